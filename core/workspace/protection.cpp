#include "workspace/protection.h"

#include "common/printable.h"

namespace pd {

namespace {

QString changeText(ProtectedChange change)
{
    switch (change) {
    case ProtectedChange::ApplyMigrations:
        return QStringLiteral("migrations cannot be applied");
    case ProtectedChange::Baseline:
        return QStringLiteral("migrations cannot be marked as applied");
    case ProtectedChange::Services:
        return QStringLiteral("services cannot be started or stopped");
    case ProtectedChange::Branches:
        return QStringLiteral("database branches cannot be created, reset, deleted or switched");
    case ProtectedChange::EndSessions:
        return QStringLiteral("other clients' sessions cannot be ended");
    case ProtectedChange::Secrets:
        return QStringLiteral("its secrets cannot be stored or deleted");
    case ProtectedChange::RevealSecret:
        return QStringLiteral("its secrets cannot be revealed");
    case ProtectedChange::ScratchDatabase:
        return QStringLiteral("its server does not host throwaway databases");
    case ProtectedChange::SharedHistory:
        return QStringLiteral("ParityDeck does not write its shared history into its database");
    }
    return QStringLiteral("nothing can be changed");
}

} // namespace

ProtectionDecision protectionDecision(const QString &environment, Protection protection,
                                      ProtectedChange change)
{
    switch (protection) {
    case Protection::None:
        return {};
    case Protection::Confirm:
        if (change == ProtectedChange::SharedHistory)
            return {};
        if (change == ProtectedChange::ScratchDatabase)
            return {ProtectionVerdict::Refused,
                    QStringLiteral("%1 is protected (protection: confirm): %2")
                        .arg(environment, changeText(change))};
        return {ProtectionVerdict::NeedsTypedName,
                QStringLiteral(
                    "%1 is protected (protection: confirm): %2 without its name typed to confirm")
                    .arg(environment, changeText(change))};
    case Protection::ReadOnly:
        if (change == ProtectedChange::RevealSecret)
            return {ProtectionVerdict::NeedsTypedName,
                    QStringLiteral("%1 is read-only (protection: read-only): %2 without its "
                                   "name typed to confirm")
                        .arg(environment, changeText(change))};
        return {ProtectionVerdict::Refused,
                QStringLiteral("%1 is read-only (protection: read-only): %2")
                    .arg(environment, changeText(change))};
    }
    return {ProtectionVerdict::Refused, QStringLiteral("%1: unknown protection").arg(environment)};
}

Result<void> checkProtection(const QString &environment, Protection protection,
                             ProtectedChange change, const QString &typedName,
                             ConfirmationSource source)
{
    const ProtectionDecision decision = protectionDecision(environment, protection, change);
    switch (decision.verdict) {
    case ProtectionVerdict::Allowed:
        return {};
    case ProtectionVerdict::NeedsTypedName:
        if (typedName == environment)
            return {};
        return Error(
            ErrorCode::Protected,
            decision.reason +
                (!typedName.isEmpty()
                     ? QStringLiteral(" (\"%1\" was typed)").arg(oneLine(typedName))
                 : source == ConfirmationSource::CommandLine
                     ? QStringLiteral(" (--confirm %1 on the command line)").arg(environment)
                     : QStringLiteral(" (type %1 to confirm)").arg(environment)));
    case ProtectionVerdict::Refused:
        break;
    }
    return Error(ErrorCode::Protected, decision.reason);
}

} // namespace pd
