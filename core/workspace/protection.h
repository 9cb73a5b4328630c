// The one rule for what a protected environment lets happen, asked by every caller that
// changes something: the CLI's commands, the panel's cards, rows, tray and dialogs, the
// branch switcher and the secrets view. `protection: none` allows everything; `confirm`
// needs the environment's name typed (the CLI's --confirm ENV, a dialog's text field);
// `read-only` refuses every change. Refusals name the protection and what would be needed.
#pragma once

#include "common/result.h"
#include "workspace/workspace.h"

#include <QString>

namespace pd {

enum class ProtectedChange {
    ApplyMigrations, // migrate apply, migrations.command, reverting drift
    Baseline,        // marking migrations applied
    Services,        // start, stop, restart
    Branches,        // create, reset, delete, switch, cleanup of database branches
    EndSessions,     // --force-disconnect: other clients' sessions on the parent database
    Secrets,         // writing or revealing a secret
};

enum class ProtectionVerdict { Allowed, NeedsTypedName, Refused };

struct ProtectionDecision
{
    ProtectionVerdict verdict = ProtectionVerdict::Allowed;
    // For people: "prod is read-only (protection: read-only): branches cannot be changed".
    QString reason;
};

// What `protection` says about `change` on `environment`, before any name is typed.
ProtectionDecision protectionDecision(const QString &environment, Protection protection,
                                      ProtectedChange change);
inline ProtectionDecision protectionDecision(const EnvironmentConfig &env, ProtectedChange change)
{
    return protectionDecision(env.name, env.protection, change);
}

// Allowed as it is, or with `typedName` equal to the environment's name; otherwise an
// ErrorCode::Protected error whose message says why and what to type.
Result<void> checkProtection(const QString &environment, Protection protection,
                             ProtectedChange change, const QString &typedName);
inline Result<void> checkProtection(const EnvironmentConfig &env, ProtectedChange change,
                                    const QString &typedName)
{
    return checkProtection(env.name, env.protection, change, typedName);
}

} // namespace pd
