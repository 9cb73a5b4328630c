// The panel's own settings store (window sizes, layout, preferences): one place that
// names it, so every window reads and writes the same file
// (~/.config/ParityDeck/paritydeck.conf on Linux), and the getters for the preferences
// other parts of the panel act on (Settings ▸ Checks and Settings ▸ Notifications).
#pragma once

#include <QSettings>
#include <QString>

#include <optional>

namespace pd::ui {

QSettings appSettings();

// What may become a desktop notification. Each is on by default; the tray asks
// notifies(event) before showing one.
enum class NotifyEvent {
    DriftAppeared,     // an environment's schema drifted from its migrations
    EnvironmentDown,   // an environment went down or into an error
    EnvironmentBackUp, // an environment that was down answers again
    ActionFinished,    // a start, stop, apply, drift check or branch action ended
};
// "drift", "down", "up", "actions": the key under "notify/" in the settings file.
QString notifyEventKey(NotifyEvent event);
// True when notifications are on at all ("ui/notifications") and on for `event`.
bool notifies(NotifyEvent event);
// The per-event choice alone, whatever the overall switch says.
bool notifyEventEnabled(NotifyEvent event);
void setNotifyEventEnabled(NotifyEvent event, bool on);

// This user's own check intervals, in seconds, or nullopt to use the workspace's
// (refresh_interval, drift_interval in paritydeck.yaml). A local drift interval replaces
// the workspace's top-level one (0 turns the background drift checks off for this user);
// environments that set their own drift_interval keep it.
std::optional<int> localRefreshIntervalSeconds();
void setLocalRefreshIntervalSeconds(std::optional<int> seconds);
std::optional<int> localDriftIntervalSeconds();
void setLocalDriftIntervalSeconds(std::optional<int> seconds);

} // namespace pd::ui
