#include "errortext.h"

#include <QCoreApplication>

namespace pd::ui {

QString errorText(const Error &error)
{
    if (!error.isStructured())
        return error.message;
    const auto translate = [](const char *text) {
        return QCoreApplication::translate("pd::ErrorMessage", text);
    };
    // "staging: " and the like and any error nested in it go through the translator too.
    return composeError(error.kind, error.args, error.within, translate);
}

namespace {

QString reasonText(const QString &reason, const ReasonErrors &errors)
{
    if (errors.parts.isEmpty())
        return reason;
    QStringList parts;
    for (const Error &part : errors.parts)
        parts.append(errorText(part));
    return parts.join(QStringLiteral("; "));
}

} // namespace

QString reasonText(const EnvironmentStatus &status)
{
    return reasonText(status.reason, status.reasonErrors);
}

QString reasonText(const ServiceStatus &status)
{
    return reasonText(status.reason, status.reasonErrors);
}

} // namespace pd::ui
