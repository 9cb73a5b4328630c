// The system tray icon: the application icon with a badge for the monitor's aggregate
// (green check = all up, amber shapes = some down/starting/degraded, red octagon = an
// error, grey clock = not checked yet), a tool tip naming every environment and its state,
// and a menu with one submenu per environment (its state and reason, Show, Start, Stop,
// Restart, Apply pending migrations…), "Show window" and "Quit".
//
// It changes only when the StatusMonitor says something changed, and reads the same
// aggregate as the window, so the two never disagree. The one timer is the tray watch of
// showWhenAvailable(): at login the app may start before the panel that hosts the tray.
//
// Notifications: a change of an environment's (already de-flapped) state after its first
// check, and the end of a long operation the window reports (start, stop, apply, drift,
// branch actions). Changes arriving together become one message, and each message
// replaces the previous one (one balloon at a time, never a stack). Off when the user
// turned notifications off in the settings.
#pragma once

#include "appsettings.h"
#include "environment/environmentstatus.h"

#include <QHash>
#include <QIcon>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSet>
#include <QSystemTrayIcon>
#include <QTimer>

#include <memory>

class QAction;
class QMenu;

namespace pd {
class StatusMonitor;
}

namespace pd::ui {

class MainWindow;

class TrayController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayController)
    // statusStateName() of the icon currently in the tray ("up", "down", "error", …).
    Q_PROPERTY(QString trayState READ trayStateName NOTIFY trayStateChanged)

public:
    // The monitor must outlive the controller. The icon is not shown until show().
    explicit TrayController(StatusMonitor *monitor, QObject *parent = nullptr);
    ~TrayController() override;

    static bool isSystemTrayAvailable();

    // Wires the tray to the window: "Show window" and clicks raise it, an environment's
    // entry shows its card, and while the icon is shown closing the window only hides it.
    // With the window's controller, the submenus' Start/Stop/Restart/Apply work and long
    // operations are notified. Quit goes through MainWindow::requestQuit() (the offer to
    // stop what this GUI started); quitRequested() follows the window's.
    void attachWindow(MainWindow *window);

    // Shows `title`/`message` as the tray's notification (merged with others arriving in
    // the same moment), unless notifications are off, or off for `event` (Settings).
    void notify(const QString &title, const QString &message, bool warning = false,
                NotifyEvent event = NotifyEvent::ActionFinished);
    void setNotificationsEnabled(bool enabled) { m_notificationsEnabled = enabled; }
    bool notificationsEnabled() const noexcept { return m_notificationsEnabled; }
    QString lastNotificationTitle() const { return m_lastTitle; }
    QString lastNotificationMessage() const { return m_lastMessage; }
    int notificationCount() const noexcept { return m_notificationCount; }

    void show();
    void hide();
    bool isVisible() const;
    // Shows the icon now when a system tray exists; otherwise keeps checking without ever
    // blocking — every second for the first half minute, then every 5 s, until hide() or
    // the controller goes — and shows it when a tray appears. While the icon is shown the
    // watch goes on every minute: a tray that goes away turns close-to-tray off, and a tray
    // that comes back gets the icon again (Qt docks it again by itself on X11). Closing the
    // window does not wait for the watch: the window asks for a check right then
    // (MainWindow::setTrayRecheck()), so it never hides to a tray that has gone.
    void showWhenAvailable();
    // A tray was missing at the last check and the icon waits to be shown.
    bool isWaitingForTray() const noexcept { return m_watchTray && !m_trayAvailable; }
    // Delays of the tray watch (tests shorten them): without a tray `fastChecks` checks
    // `fastMs` apart, then every `slowMs`; with the icon shown, every `dockedMs`.
    void setTrayWatchIntervals(int fastMs, int fastChecks, int slowMs, int dockedMs);

    StatusState currentState() const noexcept { return m_state; }
    QString trayStateName() const;
    QString toolTip() const;
    QMenu *contextMenu() const noexcept { return m_menu.get(); }
    QSystemTrayIcon *trayIcon() const noexcept { return m_tray; }

Q_SIGNALS:
    void trayStateChanged(const QString &state);
    void showWindowRequested();                            // "Show window" or a click on the icon
    void environmentActivated(const QString &environment); // an environment's menu entry
    void quitRequested();
    void notificationShown(const QString &title, const QString &message);
    // The tray watch saw a system tray appear (true) or go away (false).
    void systemTrayAvailabilityChanged(bool available);

private:
    void sync();
    void syncActions();
    void onStatusChanged(const pd::EnvironmentStatus &status);
    void flushNotifications();
    void updateCloseToTray();
    void checkTray();
    void scheduleTrayCheck();
    void onActivated(QSystemTrayIcon::ActivationReason reason);
    void notifyDrift(const EnvironmentStatus &status);
    // Where the drift last announced for `environment` of this workspace is remembered
    // (application settings), so that a relaunch showing the same drift says nothing.
    QString driftNotifiedKey(const QString &environment) const;
    void forgetDriftNotified(const QString &environment);
    bool causedHere(const QString &environment) const;
    const QIcon &iconFor(StatusState state, bool tray);

    StatusMonitor *m_monitor;
    QPointer<MainWindow> m_window;
    QSystemTrayIcon *m_tray;
    // QMenu is a widget and cannot have a QObject parent; the controller owns it.
    std::unique_ptr<QMenu> m_menu;
    QHash<QString, QAction *> m_environmentActions; // the submenus' own actions
    QHash<QString, QMenu *> m_environmentMenus;
    // Each environment's state and reason as the tray last showed them (change notifications).
    QHash<QString, QPair<StatusState, QString>> m_known;
    // Environments whose drift was notified (until it is gone again), and those whose
    // next drift result the user asked for in the window (not notified: they see it).
    QSet<QString> m_driftNotified;
    QSet<QString> m_driftAskedHere;
    // Environment → when the window's own action on it ended (ms since epoch); a state
    // change it caused is not notified (the status bar says it).
    QHash<QString, qint64> m_ownActionUntil;
    QString m_clickOpensDrift; // the environment of the drift notification shown last
    struct Note
    {
        QString title;
        QString message;
        bool warning = false;
    };
    QList<Note> m_pendingNotes;
    QTimer *m_noteTimer = nullptr;
    QString m_lastTitle;
    QString m_lastMessage;
    int m_notificationCount = 0;
    bool m_notificationsEnabled = true;
    QHash<int, QIcon> m_trayIcons;   // per StatusState, rendered once
    QHash<int, QIcon> m_statusIcons; // per StatusState, rendered once
    StatusState m_state = StatusState::Unknown;
    bool m_iconSet = false;
    QTimer *m_trayWatch = nullptr;
    bool m_watchTray = false;     // showWhenAvailable() is in effect
    bool m_trayAvailable = false; // at the last check
    int m_trayChecksMissing = 0;  // consecutive checks that found no tray
    int m_trayFastMs = 1000;
    int m_trayFastChecks = 30;
    int m_traySlowMs = 5000;
    int m_trayDockedMs = 60000;
};

} // namespace pd::ui
