// The first window: one card per environment in workspace order; a toolbar with Refresh
// all (F5), Compare environments… (Ctrl+D), Parity (Ctrl+P), Secrets (Ctrl+Shift+S), Audit
// log (Ctrl+L) and Settings (Ctrl+,); and a status bar that says how many environments are
// up and, on the right, which background work is running (applies, drift checks, parity,
// branch actions). It never waits for anything: statuses arrive from the StatusMonitor,
// actions go through the EnvironmentController and the core's asynchronous APIs.
//
// Drift comes from the window's DriftWatch (core/environment/driftwatch.h), which the app
// starts (startDriftWatch()): checked in the background, shown on the cards through the
// monitor's statuses; Check drift asks it at once. After an apply the drift is stale and
// is checked again. The status bar names every environment that is not in order
// ("Needs attention — staging: 1 pending migration · prod: drift, 2 objects") and, on the
// right, what the user started last and how it ended.
// Schema comparisons are not drawn here: Diff…, the drift badge, Compare environments… and
// the parity view emit diffRequested(from, to) for the diff review window.
//
// The title is "<project> — ParityDeck"; Help has Documentation (F1) and About. The window
// never widens itself for a text: what can be long elides, and the minimum width (what the
// cards need, measured once their layouts settle) may shrink again. In a wide window the
// cards keep a readable width, centred.
//
// Quitting is the application's decision: requestQuit() (Ctrl+Q, the tray's Quit, closing
// the window when there is no tray) first offers — in a non-modal question — to stop the
// supervised services this GUI started, then emits quitRequested(). With close-to-tray on,
// closing, Ctrl+W and Esc only hide.
#pragma once

#include "aboutdialog.h"
#include "auditview.h"
#include "branchswitcher.h"
#include "environment/environmentstatus.h"
#include "environmentcard.h"
#include "migrationdialog.h"
#include "parityview.h"
#include "secretsview.h"
#include "settingsdialog.h"

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>

#include <functional>

class QAction;
class QLabel;
class QProgressBar;
class QScrollArea;
class QVBoxLayout;

namespace pd {
class BranchOperations;
class DriftWatch;
class EnvironmentController;
class StatusMonitor;
} // namespace pd

namespace pd::ui {

class AuditView;
class BranchSwitcherDialog;
class ElidedLabel;
class EnvironmentCard;
class EnvironmentListModel;
class MigrationDialog;
class ParityView;
class SecretsView;
class SettingsDialog;
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
    // Called right before the window hides to the tray (closed, or "Hide to tray"): the
    // tray's owner checks that the tray is still there and calls setCloseToTray() if not.
    void setTrayRecheck(std::function<void()> recheck) { m_trayRecheck = std::move(recheck); }

    EnvironmentListModel *model() const noexcept { return m_model; }
    StatusMonitor *monitor() const noexcept { return m_monitor; }
    EnvironmentController *controller() const noexcept { return m_controller; }
    // Shows the window, unless the user chose "start minimised" and a tray icon can bring
    // it back. The app calls this instead of show() at launch.
    void showOnLaunch(bool trayAvailable);
    // What the status bar's right side says ("" when nothing runs in the background).
    QString backgroundWorkText() const;
    // The open "stop the services ParityDeck started?" question, if any.
    QMessageBox *quitOffer() const;
    // What the window currently shows as the overall state (the status bar's light).
    StatusState aggregateState() const;
    QString summaryText() const;
    // When the cards' "checked … ago" texts are refreshed next, in ms; -1: not scheduled.
    int msUntilAgeRefresh() const
    {
        return m_ageTimer.isActive() ? m_ageTimer.remainingTime() : -1;
    }
    bool compactRows() const noexcept { return m_compactRows; }
    // Null without a controller.
    DriftWatch *driftWatch() const noexcept { return m_driftWatch; }
    // How the last thing the user started here ended ("" when nothing did lately).
    QString lastOutcomeText() const;

public Q_SLOTS:
    void showAndRaise();
    // Shows the window and brings the environment's card into view.
    void showEnvironment(const QString &environment);
    void refreshAll();
    // One line per environment (true) or cards (false); View ▸ Compact rows, Ctrl+Shift+R.
    void setCompactRows(bool rows);
    // Opens (or raises) the review-and-apply dialog of `environment`; null without a controller.
    MigrationDialog *openMigrationDialog(const QString &environment);
    // Opens (or raises) the branch switcher of `environment`; null without a controller.
    BranchSwitcherDialog *openBranchSwitcher(const QString &environment);
    ParityView *openParityView();
    SecretsView *openSecretsView();
    AuditView *openAuditView();
    SettingsDialog *openSettings();
    // Help ▸ About ParityDeck, and Help ▸ Documentation (F1): the user guide
    // (aboutdialog.h: userGuidePath()) in the desktop's viewer.
    AboutDialog *openAbout();
    void openDocumentation();
    // Applies the user's own refresh and drift intervals (Settings ▸ Checks), or the
    // workspace's where the user set none. The window does this at construction and
    // whenever the settings change.
    void applyCheckIntervals();
    // Compare environments…: asks the diff review for a comparison the user picks.
    void compareEnvironments();
    // Compares the live schema of `environment` with its migrations, on a worker.
    void checkDrift(const QString &environment);
    // Start/Stop/Restart as the card's buttons do (the typed name first on protected ones).
    void startServices(const QString &environment);
    void stopServices(const QString &environment);
    void restartServices(const QString &environment);
    // The same for every environment whose database answers (Ctrl+Shift+D).
    void checkDriftEverywhere();
    // Turns the background drift watch on (the app does; tests that want it too).
    void startDriftWatch();
    // Opens the diff review of `environment`'s drift: its migrations → its live schema.
    void reviewDrift(const QString &environment);
    // Reads the checked-out git branch again (cards with branches show it).
    void refreshGitBranch();
    // Quits, after offering to stop what this GUI started (see the header comment).
    void requestQuit();
    // Background work shown on the status bar's right, by key (one entry per key).
    void beginBackgroundWork(const QString &key, const QString &description);
    void endBackgroundWork(const QString &key);

Q_SIGNALS:
    void quitRequested();
    // A schema comparison is wanted. FROM/TO: an environment name, "migrations:ENV" (the
    // schema ENV's migrations produce) or a file; empty: the user picks that side.
    void diffRequested(const QString &from, const QString &to);
    // A long operation (start, stop, apply, drift check, branch action) ended; the tray
    // turns this into a notification.
    void longOperationFinished(const QString &title, const QString &message, bool ok);
    void backgroundWorkChanged(const QString &text);
    void driftChecked(const QString &environment);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void rebuildCards();
    void updateStatusBar();
    void refreshAges();
    void scheduleAgeRefresh();
    void updateMinimumWidth();
    void updateSideMargins();
    static constexpr int kColumnEdge = 12; // the cards' distance from the window's sides
    void requestServiceAction(const QString &environment, EnvironmentCard::ServiceAction action);
    bool eventFilter(QObject *watched, QEvent *event) override;
    void alignRows();
    void onBusyChanged(bool busy);
    void hideToTray();
    // Whether closing hides to the tray, asking the tray's owner first (setTrayRecheck()).
    bool closesToTrayNow();
    void stopStartedServicesThenQuit(const QList<QPair<QString, QString>> &services);
    EnvironmentCard *cardOf(const QString &environment) const;
    void updateBackgroundWork();
    void showOutcome(const QString &text, bool ok);
    void saveSettings() const;
    void restoreSettings();

    StatusMonitor *m_monitor;
    EnvironmentController *m_controller;
    EnvironmentListModel *m_model;
    QHash<QString, QPointer<MigrationDialog>> m_migrationDialogs;
    QHash<QString, QPointer<BranchSwitcherDialog>> m_branchDialogs;
    QPointer<ParityView> m_parityView;
    QPointer<SecretsView> m_secretsView;
    QPointer<AuditView> m_auditView;
    QPointer<SettingsDialog> m_settingsDialog;
    QPointer<AboutDialog> m_aboutDialog;
    QPointer<QMessageBox> m_quitOffer;
    DriftWatch *m_driftWatch = nullptr;
    BranchOperations *m_branches = nullptr;
    QString m_gitBranch;
    QList<QPair<QString, QString>> m_work; // key → description, in start order
    bool m_quitting = false;

    QAction *m_refreshAction = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_driftAllAction = nullptr;
    QAction *m_parityAction = nullptr;
    QAction *m_secretsAction = nullptr;
    QAction *m_auditAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_hideAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_rowsAction = nullptr;
    QAction *m_docsAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QString m_userGuide;               // what Help ▸ Documentation opens ("" when none)
    bool m_driftWatchWanted = false;   // startDriftWatch() was called
    bool m_ownRefreshInterval = false; // the monitor runs at the user's own interval
    bool m_compactRows = false;

    QScrollArea *m_scroll = nullptr;
    QVBoxLayout *m_cardLayout = nullptr;
    QList<EnvironmentCard *> m_cards;
    QLabel *m_emptyHint = nullptr;

    StatusLight *m_summaryLight = nullptr;
    ElidedLabel *m_summary = nullptr;
    QProgressBar *m_workBar = nullptr;
    ElidedLabel *m_workLabel = nullptr;
    ElidedLabel *m_outcome = nullptr; // how the user's last action ended, for a while
    QTimer m_outcomeTimer;

    bool m_closeToTray = false;
    std::function<void()> m_trayRecheck;
    bool m_settingsRestored = false;
    bool m_busy = false;
    bool m_showBusy = false;
    QTimer m_ageTimer;
    QTimer m_minimumWidthLater; // coalesces layout requests into one measurement  // re-words
                                // "checked … ago" while the window is visible
};

} // namespace pd::ui
