#include "environment/actionpolicy.h"

#include <algorithm>

namespace pd {

namespace {

ActionDecision refused(QString reason)
{
    return {ProtectionVerdict::Refused, std::move(reason)};
}

bool allServicesAre(const EnvironmentStatus &status, StatusState state)
{
    return !status.services.isEmpty() &&
           std::all_of(status.services.cbegin(), status.services.cend(),
                       [state](const ServiceStatus &service) { return service.state == state; });
}

// Why the environment's database cannot take this action now; empty when it can (or when
// nothing is known yet: the action itself will say what it finds).
QString unreachableWhy(const QString &name, const EnvironmentStatus *status)
{
    if (!status)
        return {};
    switch (status->state) {
    case StatusState::Down:
        return name + QStringLiteral(" is down: start it first.");
    case StatusState::Error:
        return name + QStringLiteral(" has an error: ") + status->reason;
    case StatusState::Starting:
        return name + QStringLiteral(" is still starting.");
    case StatusState::Unknown:
    case StatusState::Up:
    case StatusState::Degraded:
    case StatusState::Attention:
        break;
    }
    return {};
}

// The configuration and the run state; protection is asked separately.
QString unavailableWhy(const EnvironmentConfig &env, EnvironmentAction action)
{
    const QString &name = env.name;
    switch (action) {
    case EnvironmentAction::Start:
    case EnvironmentAction::Stop:
    case EnvironmentAction::Restart:
        if (env.services.isEmpty())
            return QStringLiteral("No services are configured for %1 (\"services:\" in "
                                  "paritydeck.yaml).")
                .arg(name);
        break;
    case EnvironmentAction::SwitchBranch:
        if (!env.branches.git && !env.branches.hasDatabaseBranches())
            return QStringLiteral("%1 has no branches configured (\"branches: { git: true, "
                                  "database: template }\" in paritydeck.yaml).")
                .arg(name);
        break;
    case EnvironmentAction::Promote:
        if (env.promotesFrom.isEmpty())
            return QStringLiteral("%1 is not promoted from another environment (\"promotes_from: "
                                  "ENV\" in paritydeck.yaml).")
                .arg(name);
        [[fallthrough]];
    case EnvironmentAction::ApplyMigrations:
    case EnvironmentAction::Diff:
    case EnvironmentAction::CheckDrift:
        if (env.database.url.isEmpty())
            return QStringLiteral("%1 has no database configured.").arg(name);
        break;
    }
    return {};
}

QString stateWhy(const EnvironmentConfig &env, EnvironmentAction action, const ActionFacts &facts)
{
    const QString &name = env.name;
    const EnvironmentStatus *status = facts.status;
    switch (action) {
    case EnvironmentAction::Start:
        if (status &&
            (status->state == StatusState::Up || status->state == StatusState::Attention) &&
            (status->services.isEmpty() || allServicesAre(*status, StatusState::Up)))
            return QStringLiteral("%1 is up: every service runs.").arg(name);
        return {};
    case EnvironmentAction::Stop:
        if (status && status->state == StatusState::Down &&
            (status->services.isEmpty() || allServicesAre(*status, StatusState::Down)))
            return QStringLiteral("%1 is down: no service runs.").arg(name);
        return {};
    case EnvironmentAction::Restart:
        return {};
    case EnvironmentAction::ApplyMigrations: {
        if (QString why = unreachableWhy(name, status); !why.isEmpty())
            return why;
        const SchemaFacts *plan = facts.plan ? facts.plan : (status ? &status->schema : nullptr);
        if (!plan || (!plan->known && plan->error.isEmpty()))
            return QStringLiteral("The migration status of %1 is not known yet.").arg(name);
        if (!plan->known)
            return QStringLiteral("The migration status of %1 could not be read: %2")
                .arg(name, plan->error);
        if (plan->pending == 0)
            return QStringLiteral("Nothing pending: %1 has no migration to apply.").arg(name);
        return {};
    }
    case EnvironmentAction::SwitchBranch:
    case EnvironmentAction::Diff:
    case EnvironmentAction::CheckDrift:
    case EnvironmentAction::Promote:
        return unreachableWhy(name, status);
    }
    return {};
}

} // namespace

std::optional<ProtectedChange> protectedChangeOf(EnvironmentAction action)
{
    switch (action) {
    case EnvironmentAction::Start:
    case EnvironmentAction::Stop:
    case EnvironmentAction::Restart:
        return ProtectedChange::Services;
    case EnvironmentAction::ApplyMigrations:
    case EnvironmentAction::Promote: // applies migrations, through the same runner
        return ProtectedChange::ApplyMigrations;
    case EnvironmentAction::SwitchBranch:
        return ProtectedChange::Branches;
    case EnvironmentAction::Diff:
    case EnvironmentAction::CheckDrift:
        break;
    }
    return std::nullopt;
}

ActionDecision decideAction(const EnvironmentConfig &environment, EnvironmentAction action,
                            const ActionFacts &facts)
{
    if (QString why = unavailableWhy(environment, action); !why.isEmpty())
        return refused(why);
    ProtectionDecision protection;
    if (const auto change = protectedChangeOf(action))
        protection = protectionDecision(environment, *change);
    if (protection.verdict == ProtectionVerdict::Refused)
        return refused(protection.reason);
    // Reading the schema for a diff can run beside anything; every other action waits.
    if (!facts.runningOperation.isEmpty() && action != EnvironmentAction::Diff)
        return refused(facts.runningOperation + QStringLiteral(" is still running."));
    if (QString why = stateWhy(environment, action, facts); !why.isEmpty())
        return refused(why);
    return {protection.verdict, protection.reason};
}

} // namespace pd
