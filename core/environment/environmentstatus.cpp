#include "environmentstatus.h"

namespace pd {

QString statusStateName(StatusState state)
{
    switch (state) {
    case StatusState::Unknown: return QStringLiteral("unknown");
    case StatusState::Up: return QStringLiteral("up");
    case StatusState::Down: return QStringLiteral("down");
    case StatusState::Starting: return QStringLiteral("starting");
    case StatusState::Degraded: return QStringLiteral("degraded");
    case StatusState::Error: return QStringLiteral("error");
    }
    return QStringLiteral("unknown");
}

QString statusStateLabel(StatusState state)
{
    switch (state) {
    case StatusState::Unknown: return QStringLiteral("Checking…");
    case StatusState::Up: return QStringLiteral("Up");
    case StatusState::Down: return QStringLiteral("Down");
    case StatusState::Starting: return QStringLiteral("Starting");
    case StatusState::Degraded: return QStringLiteral("Degraded");
    case StatusState::Error: return QStringLiteral("Error");
    }
    return QStringLiteral("Unknown");
}

int statusPrecedence(StatusState state)
{
    return static_cast<int>(state);
}

StatusState aggregateState(const QList<StatusState> &states)
{
    if (states.isEmpty())
        return StatusState::Unknown;
    StatusState worst = StatusState::Up;
    bool anyKnown = false;
    for (StatusState s : states) {
        if (s == StatusState::Unknown)
            continue;
        anyKnown = true;
        if (statusPrecedence(s) > statusPrecedence(worst))
            worst = s;
    }
    // While some environments are still unchecked and the rest are fine, say "checking".
    if (!anyKnown || (worst == StatusState::Up && states.contains(StatusState::Unknown)))
        return StatusState::Unknown;
    return worst;
}

} // namespace pd
