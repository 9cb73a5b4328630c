#include "common/errors.h"

#include <QCoreApplication>

namespace pd::errors {

Error noEnvironment(const QString &environment)
{
    return Error(ErrorCode::NotFound, ErrorKind::NoEnvironment,
                 {ErrorArg::text(QStringLiteral("environment"), environment)});
}

Error stillRunning(const QString &environment, const QString &operation)
{
    return Error(ErrorCode::Runtime, ErrorKind::StillRunning,
                 {ErrorArg::text(QStringLiteral("environment"), environment),
                  ErrorArg::text(QStringLiteral("operation"), operation)});
}

Error cancelled()
{
    return Error(ErrorCode::Cancelled, ErrorKind::Cancelled, {});
}

Error operationAbandoned()
{
    return Error(ErrorCode::Cancelled, ErrorKind::OperationAbandoned, {});
}

Error driftCheckCancelled()
{
    return Error(ErrorCode::Cancelled, ErrorKind::DriftCheckCancelled, {});
}

Error comparisonCancelled()
{
    return Error(ErrorCode::Cancelled, ErrorKind::ComparisonCancelled, {});
}

Error revertCancelled()
{
    return Error(ErrorCode::Cancelled, ErrorKind::RevertCancelled, {});
}

Error migrationsCancelledPending()
{
    return Error(ErrorCode::Cancelled, ErrorKind::MigrationsCancelledPending, {});
}

Error shuttingDown()
{
    return Error(ErrorCode::Cancelled, ErrorKind::ShuttingDown, {});
}

QList<ErrorArg> outputTail(const QString &name, const QString &line)
{
    if (line.isEmpty())
        return {ErrorArg::text(name, QString())};
    return {ErrorArg::phraseOf(name, QT_TRANSLATE_NOOP("pd::ErrorMessage", ": {line}")),
            ErrorArg::text(QStringLiteral("line"), line)};
}

} // namespace pd::errors
