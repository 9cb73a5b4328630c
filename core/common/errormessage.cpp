#include "common/errormessage.h"

#include <QCoreApplication>

namespace pd {

const char *errorTemplate(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Unspecified:
        return nullptr;
    case ErrorKind::ConnectTimedOut:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "timed out after {seconds}s connecting to {address}");
    case ErrorKind::PasswordRejected:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "password authentication failed for user {user} at {address}");
    case ErrorKind::PasswordMissing:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "the server at {address} requires a password for user {user}, but none was given");
    case ErrorKind::RoleMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "role \"{role}\" does not exist at {address}");
    case ErrorKind::DatabaseMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "database \"{database}\" does not exist at {address}");
    case ErrorKind::AuthenticationFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "authentication failed for user {user} at {address}: {detail}");
    case ErrorKind::ConnectionRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "connection refused at {address}");
    case ErrorKind::NoServerSocket:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "connection refused at {address} (no server socket there)");
    case ErrorKind::HostUnresolved:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "host name \"{host}\" could not be resolved: {detail}");
    case ErrorKind::ServerRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the server at {address} refused the connection: {detail}");
    case ErrorKind::HostUnreachable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot reach {address}: {detail}");
    case ErrorKind::ConnectFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "could not connect to {address}: {detail}");
    case ErrorKind::ConfigAtPosition:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file}:{line}:{column}: {detail}");
    case ErrorKind::ConfigAtLine:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file}:{line}: {detail}");
    case ErrorKind::ConfigInFile:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file}: {detail}");
    case ErrorKind::ConfigUnlocated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{detail}");
    case ErrorKind::ProtectedNeedsName:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is protected (protection: confirm): {change} "
                                 "without its name typed to confirm{advice}");
    case ErrorKind::ProtectedRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is protected (protection: confirm): {change}");
    case ErrorKind::ReadOnlyNeedsName:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is read-only (protection: read-only): {change} "
                                 "without its name typed to confirm{advice}");
    case ErrorKind::ReadOnlyRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is read-only (protection: read-only): {change}");
    case ErrorKind::UnknownProtection:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment}: unknown protection");
    case ErrorKind::MigrationFailedRolledBack:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{inEnvironment}migration {version} failed at {where}{statement}: {detail}; its "
            "transaction was rolled back, so nothing of {version} was kept; {applied}");
    case ErrorKind::MigrationFailedOutsideTransaction:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{inEnvironment}migration {version} failed at {where}{statement}: {detail}; it ran "
            "outside a transaction, so the statements before that one stay applied and {version} "
            "is recorded as failed — repair by hand, then delete its history row; {applied}");
    }
    return nullptr;
}

QString composeErrorText(const QString &templateText, const QList<ErrorArg> &args,
                         const TemplateTranslator &translate)
{
    // One pass over the template only: a value that itself contains "{…}" (a server's
    // message, a file name) is copied, never expanded.
    QString out;
    out.reserve(templateText.size() + 64);
    qsizetype i = 0;
    while (i < templateText.size()) {
        const qsizetype open = templateText.indexOf(u'{', i);
        const qsizetype close = open < 0 ? -1 : templateText.indexOf(u'}', open + 1);
        if (open < 0 || close < 0) {
            out += QStringView(templateText).mid(i);
            break;
        }
        out += QStringView(templateText).mid(i, open - i);
        const QStringView name = QStringView(templateText).mid(open + 1, close - open - 1);
        const ErrorArg *found = nullptr;
        for (const ErrorArg &arg : args) {
            if (arg.name == name) {
                found = &arg;
                break;
            }
        }
        if (!found)
            out += QStringView(templateText).mid(open, close - open + 1);
        else if (found->phrase)
            out += composeErrorText(translate(found->phrase), args, translate);
        else
            out += found->value;
        i = close + 1;
    }
    return out;
}

QString englishErrorText(ErrorKind kind, const QList<ErrorArg> &args)
{
    const char *text = errorTemplate(kind);
    if (!text)
        return {};
    return composeErrorText(QString::fromUtf8(text), args,
                            [](const char *phrase) { return QString::fromUtf8(phrase); });
}

} // namespace pd
