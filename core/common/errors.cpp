#include "common/errors.h"

#include <QCoreApplication>
#include <QDir>

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

Error noMigrationWithVersion(const QString &version, const QString &folder)
{
    return Error(ErrorCode::NotFound, ErrorKind::NoMigrationWithVersion,
                 {ErrorArg::text(QStringLiteral("version"), version),
                  ErrorArg::text(QStringLiteral("folder"), QDir::toNativeSeparators(folder))});
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

Error inFile(ErrorCode code, const QString &file, int line, int column, QList<ErrorArg> detail)
{
    detail.prepend(ErrorArg::text(QStringLiteral("file"), file));
    ErrorKind kind = ErrorKind::ConfigInFile;
    if (line > 0) {
        detail.append(ErrorArg::number(QStringLiteral("line"), line));
        kind = ErrorKind::ConfigAtLine;
        if (column > 0) {
            detail.append(ErrorArg::number(QStringLiteral("column"), column));
            kind = ErrorKind::ConfigAtPosition;
        }
    }
    return Error(code, kind, std::move(detail));
}

QList<ErrorArg> outputTail(const QString &name, const QString &line)
{
    if (line.isEmpty())
        return {ErrorArg::text(name, QString())};
    return {ErrorArg::phraseOf(name, QT_TRANSLATE_NOOP("pd::ErrorMessage", ": {line}")),
            ErrorArg::text(QStringLiteral("line"), line)};
}

} // namespace pd::errors
