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
    QString text = composeErrorText(translate(errorTemplate(error.kind)), error.args, translate);
    // "staging: " and the like, innermost last, each through the translator as well.
    for (auto it = error.within.crbegin(); it != error.within.crend(); ++it)
        text.prepend(composeErrorText(translate(errorPrefixTemplate()),
                                      {ErrorArg::text(QStringLiteral("environment"), *it)},
                                      translate));
    return text;
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
