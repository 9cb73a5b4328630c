#include "workspace/protection.h"

#include "common/printable.h"

namespace pd {

namespace {

// Phrases of the refusal sentences (common/errormessage.h), translated with them.
const char *changeText(ProtectedChange change)
{
    switch (change) {
    case ProtectedChange::ApplyMigrations:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "migrations cannot be applied");
    case ProtectedChange::Baseline:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "migrations cannot be marked as applied");
    case ProtectedChange::Services:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "services cannot be started or stopped");
    case ProtectedChange::Branches:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "database branches cannot be created, reset, deleted or switched");
    case ProtectedChange::EndSessions:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "other clients' sessions cannot be ended");
    case ProtectedChange::Secrets:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "its secrets cannot be stored or deleted");
    case ProtectedChange::RevealSecret:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "its secrets cannot be revealed");
    case ProtectedChange::ScratchDatabase:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "its server does not host throwaway databases");
    case ProtectedChange::SharedHistory:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "ParityDeck does not write its shared history into its database");
    }
    return QT_TRANSLATE_NOOP("pd::ErrorMessage", "nothing can be changed");
}

// Which sentence refuses `change`, or Unspecified when it is allowed as it is.
ErrorKind refusalKind(Protection protection, ProtectedChange change, ProtectionVerdict *verdict)
{
    *verdict = ProtectionVerdict::Allowed;
    switch (protection) {
    case Protection::None:
        return ErrorKind::Unspecified;
    case Protection::Confirm:
        if (change == ProtectedChange::SharedHistory)
            return ErrorKind::Unspecified;
        if (change == ProtectedChange::ScratchDatabase) {
            *verdict = ProtectionVerdict::Refused;
            return ErrorKind::ProtectedRefused;
        }
        *verdict = ProtectionVerdict::NeedsTypedName;
        return ErrorKind::ProtectedNeedsName;
    case Protection::ReadOnly:
        if (change == ProtectedChange::RevealSecret) {
            *verdict = ProtectionVerdict::NeedsTypedName;
            return ErrorKind::ReadOnlyNeedsName;
        }
        *verdict = ProtectionVerdict::Refused;
        return ErrorKind::ReadOnlyRefused;
    }
    *verdict = ProtectionVerdict::Refused;
    return ErrorKind::UnknownProtection;
}

QList<ErrorArg> refusalArgs(const QString &environment, ProtectedChange change)
{
    return {ErrorArg::text(QStringLiteral("environment"), environment),
            ErrorArg::phraseOf(QStringLiteral("change"), changeText(change)),
            ErrorArg::text(QStringLiteral("advice"), QString())};
}

} // namespace

ProtectionDecision protectionDecision(const QString &environment, Protection protection,
                                      ProtectedChange change)
{
    ProtectionDecision decision;
    const ErrorKind kind = refusalKind(protection, change, &decision.verdict);
    if (kind != ErrorKind::Unspecified)
        decision.reason = englishErrorText(kind, refusalArgs(environment, change));
    return decision;
}

Result<void> checkProtection(const QString &environment, Protection protection,
                             ProtectedChange change, const QString &typedName,
                             ConfirmationSource source)
{
    ProtectionVerdict verdict = ProtectionVerdict::Allowed;
    const ErrorKind kind = refusalKind(protection, change, &verdict);
    QList<ErrorArg> args = refusalArgs(environment, change);
    switch (verdict) {
    case ProtectionVerdict::Allowed:
        return {};
    case ProtectionVerdict::NeedsTypedName:
        if (typedName == environment)
            return {};
        args.last() = ErrorArg::phraseOf(
            QStringLiteral("advice"),
            !typedName.isEmpty() ? QT_TRANSLATE_NOOP("pd::ErrorMessage", " (\"{typed}\" was typed)")
            : source == ConfirmationSource::CommandLine
                ? QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                    " (--confirm {environment} on the command line)")
                : QT_TRANSLATE_NOOP("pd::ErrorMessage", " (type {environment} to confirm)"));
        args.append(ErrorArg::text(QStringLiteral("typed"), oneLine(typedName)));
        break;
    case ProtectionVerdict::Refused:
        break;
    }
    return Error(ErrorCode::Protected, kind, std::move(args));
}

bool keptBetweenLooks(const EnvironmentConfig &env)
{
    if (env.database.keepConnection)
        return *env.database.keepConnection;
    return protectionDecision(env, ProtectedChange::Branches).verdict != ProtectionVerdict::Allowed;
}

} // namespace pd
