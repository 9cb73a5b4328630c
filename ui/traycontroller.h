// The system tray icon: the application icon with a badge for the monitor's aggregate
// (green check = all up, amber shapes = some down/starting/degraded, red octagon = an
// error, grey clock = not checked yet), a tool tip naming every environment and its state,
// and a menu with one entry per environment, "Show window" and "Quit".
//
// It changes only when the StatusMonitor says something changed (no timers), and reads the
// same aggregate as the window, so the two never disagree.
#pragma once

#include "environment/environmentstatus.h"

#include <QHash>
#include <QIcon>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>

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
    // Quitting stays with the application (connect quitRequested of both).
    void attachWindow(MainWindow *window);

    void show();
    void hide();
    bool isVisible() const;

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

private:
    void sync();
    void updateCloseToTray();
    void onActivated(QSystemTrayIcon::ActivationReason reason);
    const QIcon &iconFor(StatusState state, bool tray);

    StatusMonitor *m_monitor;
    QPointer<MainWindow> m_window;
    QSystemTrayIcon *m_tray;
    // QMenu is a widget and cannot have a QObject parent; the controller owns it.
    std::unique_ptr<QMenu> m_menu;
    QHash<QString, QAction *> m_environmentActions;
    QHash<int, QIcon> m_trayIcons;   // per StatusState, rendered once
    QHash<int, QIcon> m_statusIcons; // per StatusState, rendered once
    StatusState m_state = StatusState::Unknown;
    bool m_iconSet = false;
};

} // namespace pd::ui
