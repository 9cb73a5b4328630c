// Whether an action on an environment can be offered now, and why not: the one answer the
// panel's cards and rows, the tray menu and the main window's menus all show. It combines
// what the workspace says (services, branches, a database configured), the environment's
// protection (protectionDecision(), the same rule the CLI and the core runners enforce),
// what runs on it now, and what the last probe and migration plan found (nothing to stop on
// a down environment, nothing to apply when nothing is pending, nothing to apply to a
// server that does not answer).
//
// NeedsTypedName means "offer it, then ask for the environment's name": the runners check
// the typed name again (checkProtection), so a caller that skips the question is refused.
#pragma once

#include "environment/environmentstatus.h"
#include "workspace/protection.h"

#include <QString>

namespace pd {

enum class EnvironmentAction {
    Start,
    Stop,
    Restart,
    ApplyMigrations,
    SwitchBranch,
    Diff,
    CheckDrift,
    Promote, // bring the upstream's (promotes_from) applied migrations here
};

// What the caller knows about the environment now. Everything is optional: an environment
// not probed yet (state Unknown) has its services offered, not refused.
struct ActionFacts
{
    const EnvironmentStatus *status = nullptr; // last probe; nullptr when none yet
    QString runningOperation;                  // "Applying migrations" while one runs, else ""
    const SchemaFacts *plan = nullptr;         // last migration plan; nullptr when not read
};

struct ActionDecision
{
    ProtectionVerdict verdict = ProtectionVerdict::Allowed;
    // Refused: why, for a tooltip ("prod is read-only (protection: read-only): services
    // cannot be started or stopped", "staging is down: start it first").
    // NeedsTypedName: what the question will be about. Allowed: empty.
    QString reason;
    bool offered() const { return verdict != ProtectionVerdict::Refused; }
};

// The protected change an action is, for checkProtection(); nullopt for actions that only
// read (Diff, CheckDrift).
std::optional<ProtectedChange> protectedChangeOf(EnvironmentAction action);

ActionDecision decideAction(const EnvironmentConfig &environment, EnvironmentAction action,
                            const ActionFacts &facts);

} // namespace pd
