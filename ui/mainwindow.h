// The first window: one card per environment in workspace order, "Refresh all" on the
// toolbar (F5), and a status bar that says what the monitor is doing or how many
// environments are up. It never waits for anything: every status arrives as a signal
// from the StatusMonitor, which does its I/O on its own threads.
//
// Quitting is the application's decision: Ctrl+Q (and closing the window when there is no
// tray) emit quitRequested(). With close-to-tray on, closing, Ctrl+W and Esc only hide.
#pragma once

#include "environment/environmentstatus.h"

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QAction;
class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace pd {
class EnvironmentController;
class StatusMonitor;
} // namespace pd

namespace pd::ui {

class EnvironmentCard;
class EnvironmentListModel;
class MigrationDialog;
class StatusLight;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // The monitor (and the controller, when given) must outlive the window. The window does
    // not start the monitor. Without a controller the cards only watch: no actions.
    explicit MainWindow(StatusMonitor *monitor, EnvironmentController *controller = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    // On when a system tray icon is shown: closing then hides the window instead of quitting.
    void setCloseToTray(bool enabled);
    bool closeToTray() const noexcept { return m_closeToTray; }

    EnvironmentListModel *model() const noexcept { return m_model; }
    // What the window currently shows as the overall state (the status bar's light).
    StatusState aggregateState() const;
    QString summaryText() const;

public Q_SLOTS:
    void showAndRaise();
    // Shows the window and brings the environment's card into view.
    void showEnvironment(const QString &environment);
    void refreshAll();
    // Opens (or raises) the review-and-apply dialog of `environment`; null without a controller.
    MigrationDialog *openMigrationDialog(const QString &environment);

Q_SIGNALS:
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void createActions();
    void rebuildCards();
    void updateStatusBar();
    void updateMinimumWidth();
    void onBusyChanged(bool busy);
    void hideToTray();
    void saveSettings() const;
    void restoreSettings();

    StatusMonitor *m_monitor;
    EnvironmentController *m_controller;
    EnvironmentListModel *m_model;
    QHash<QString, QPointer<MigrationDialog>> m_migrationDialogs;

    QAction *m_refreshAction = nullptr;
    QAction *m_hideAction = nullptr;
    QAction *m_quitAction = nullptr;

    QScrollArea *m_scroll = nullptr;
    QVBoxLayout *m_cardLayout = nullptr;
    QList<EnvironmentCard *> m_cards;
    QLabel *m_emptyHint = nullptr;

    StatusLight *m_summaryLight = nullptr;
    QLabel *m_summary = nullptr;

    bool m_closeToTray = false;
    bool m_settingsRestored = false;
    bool m_busy = false;
    bool m_showBusy = false;
    QTimer m_busyDelay; // shows "Checking…" only for checks that take noticeable time
    QTimer m_ageTimer;  // re-words "checked … ago" while the window is visible
};

} // namespace pd::ui
