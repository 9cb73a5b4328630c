// The one rule for what a protected environment lets happen, asked by every caller that
// changes something: the CLI's commands, the panel's cards, rows, tray and dialogs, the
// branch switcher and the secrets view. `protection: none` allows everything; `confirm`
// needs the environment's name typed (the CLI's --confirm ENV, a dialog's text field);
// `read-only` refuses every change (revealing a secret, a read, needs the typed name there
// too). Refusals name the protection and what would be needed.
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
    Secrets,         // storing or deleting a secret
    RevealSecret,    // showing a secret's value: a read, so read-only asks for the name too
    ScratchDatabase, // a throwaway database on its server (drift, migrations: sides); never
                     // asked for by name: any protection keeps scratch work off the server
    SharedHistory,   // a row in paritydeck.history (history: database): it goes with a
                     // change already allowed, so confirm needs no second name; read-only
                     // databases are not written to at all
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

// Where the name is typed, for the refusal's advice: `--confirm ENV` or a dialog's field.
enum class ConfirmationSource { CommandLine, Dialog };

// Allowed as it is, or with `typedName` equal to the environment's name; otherwise an
// ErrorCode::Protected error whose message says why and what to type.
Result<void> checkProtection(const QString &environment, Protection protection,
                             ProtectedChange change, const QString &typedName,
                             ConfirmationSource source = ConfirmationSource::CommandLine);
inline Result<void> checkProtection(const EnvironmentConfig &env, ProtectedChange change,
                                    const QString &typedName,
                                    ConfirmationSource source = ConfirmationSource::CommandLine)
{
    return checkProtection(env.name, env.protection, change, typedName, source);
}

// Whether the panel keeps one idle session open on `env`'s database between its routine
// looks (environment/keptconnections.h): the database's keep_connection when set, else only
// on a protected environment. A kept session saves each look a new connection (with a
// password, about 5 ms of hashing on this machine), but while it is open PostgreSQL refuses
// to drop the database or copy it as a template without FORCE — which developers do to
// their own databases all day, and nobody does to a protected one from here.
bool keptBetweenLooks(const EnvironmentConfig &env);

} // namespace pd
