#include "traycontroller.h"

#include "appsettings.h"

#include "environment/driftwatch.h"
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "errortext.h"
#include "humanformat.h"
#include "mainwindow.h"
#include "settingsdialog.h"
#include "statusicons.h"

#include <QAction>
#include <QCryptographicHash>
#include <QMenu>
#include <QSettings>

#include <algorithm>
#include <limits>

namespace pd::ui {
namespace {

// Keeps one runaway error message from turning the tool tip into a wall of text; the
// window shows the full sentence.
QString shortReason(const QString &reason)
{
    constexpr int kMax = 90;
    const QString simplified = reason.simplified();
    return simplified.size() <= kMax ? simplified : simplified.left(kMax - 1) + QChar(0x2026);
}

// QAction::setIcon() announces a change even for the same icon, and every announcement
// rebuilds the menu item (and, for the tray's menu, its platform copy).
void setIconIfChanged(QAction *action, const QIcon &icon)
{
    if (action->icon().cacheKey() != icon.cacheKey())
        action->setIcon(icon);
}

} // namespace

TrayController::TrayController(StatusMonitor *monitor, QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(std::make_unique<QMenu>())
{
    Q_ASSERT(monitor);
    setObjectName(QStringLiteral("trayController"));
    m_tray->setObjectName(QStringLiteral("trayIcon"));
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_menu->setToolTipsVisible(true); // environment entries carry the reason as tool tip

    for (const EnvironmentConfig &env : monitor->workspace().environments) {
        // Submenus are children of the top menu, so findChild reaches their actions.
        QMenu *sub = m_menu->addMenu(env.name);
        sub->setObjectName(QStringLiteral("trayMenu-") + env.name);
        sub->setToolTipsVisible(true);
        QAction *action = sub->menuAction();
        action->setObjectName(QStringLiteral("trayEnv-") + env.name);
        const QString name = env.name;
        connect(action, &QAction::triggered, this,
                [this, name] { Q_EMIT environmentActivated(name); });

        QAction *state = sub->addAction(QString());
        state->setObjectName(QStringLiteral("trayEnvState-") + env.name);
        state->setEnabled(false); // information, not a command
        QAction *showCard = sub->addAction(tr("Show in window"));
        showCard->setObjectName(QStringLiteral("trayEnvShow-") + env.name);
        connect(showCard, &QAction::triggered, this,
                [this, name] { Q_EMIT environmentActivated(name); });
        sub->addSeparator();
        QAction *start = sub->addAction(tr("Start"));
        start->setObjectName(QStringLiteral("trayEnvStart-") + env.name);
        QAction *stop = sub->addAction(tr("Stop"));
        stop->setObjectName(QStringLiteral("trayEnvStop-") + env.name);
        QAction *restart = sub->addAction(tr("Restart"));
        restart->setObjectName(QStringLiteral("trayEnvRestart-") + env.name);
        QAction *apply = sub->addAction(tr("Apply pending migrations…"));
        apply->setObjectName(QStringLiteral("trayEnvApply-") + env.name);
        // Through the window: a protected environment asks for its name there first.
        connect(start, &QAction::triggered, this, [this, name] {
            if (m_window)
                m_window->startServices(name);
        });
        connect(stop, &QAction::triggered, this, [this, name] {
            if (m_window)
                m_window->stopServices(name);
        });
        connect(restart, &QAction::triggered, this, [this, name] {
            if (m_window)
                m_window->restartServices(name);
        });
        connect(apply, &QAction::triggered, this, [this, name] {
            if (m_window) {
                m_window->showAndRaise();
                m_window->openMigrationDialog(name);
            }
        });
        m_environmentActions.insert(env.name, action);
        m_environmentMenus.insert(env.name, sub);
    }
    m_menu->addSeparator();
    QAction *refreshAll = m_menu->addAction(tr("Refresh all"));
    refreshAll->setObjectName(QStringLiteral("trayRefreshAll"));
    connect(refreshAll, &QAction::triggered, this, [this] {
        if (m_window)
            m_window->refreshAll();
        else
            m_monitor->refreshAll();
    });
    QAction *checkDrift = m_menu->addAction(tr("Check drift"));
    checkDrift->setObjectName(QStringLiteral("trayCheckDrift"));
    checkDrift->setToolTip(tr("Compare every reachable environment with its migrations now"));
    connect(checkDrift, &QAction::triggered, this, [this] {
        if (m_window)
            m_window->checkDriftEverywhere();
    });
    m_menu->addSeparator();
    QAction *showAction = m_menu->addAction(tr("Show window"));
    showAction->setObjectName(QStringLiteral("trayShowWindow"));
    connect(showAction, &QAction::triggered, this, &TrayController::showWindowRequested);
    QAction *quitAction = m_menu->addAction(tr("Quit"));
    quitAction->setObjectName(QStringLiteral("trayQuit"));
    connect(quitAction, &QAction::triggered, this, [this] {
        if (m_window)
            m_window->requestQuit(); // its quitRequested() becomes ours
        else
            Q_EMIT quitRequested();
    });
    m_tray->setContextMenu(m_menu.get());
    // Opening the menu is looking: environments checked less often while calm are checked now.
    connect(m_menu.get(), &QMenu::aboutToShow, m_monitor, &StatusMonitor::wake);

    m_noteTimer = new QTimer(this);
    m_noteTimer->setSingleShot(true);
    // Long enough to gather the changes one refresh brings, short enough to feel immediate.
    m_noteTimer->setInterval(250);
    connect(m_noteTimer, &QTimer::timeout, this, &TrayController::flushNotifications);
    m_notificationsEnabled = SettingsDialog::notificationsEnabled();

    m_trayWatch = new QTimer(this);
    m_trayWatch->setSingleShot(true);
    connect(m_trayWatch, &QTimer::timeout, this, &TrayController::checkTray);

    connect(m_tray, &QSystemTrayIcon::activated, this, &TrayController::onActivated);
    // The drift notification leads to what drifted.
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_window && !m_clickOpensDrift.isEmpty())
            m_window->reviewDrift(m_clickOpensDrift);
    });
    // The tray shows no time of a check: only news reach it.
    connect(monitor, &StatusMonitor::factsChanged, this, &TrayController::onStatusChanged);
    connect(monitor, &StatusMonitor::aggregateChanged, this, &TrayController::sync);
    sync();
}

TrayController::~TrayController()
{
    // The icon refers to the menu; take it down first. A window that outlives us must
    // quit on close again, or nothing could bring it back.
    m_tray->setContextMenu(nullptr);
    m_tray->hide();
    if (m_window)
        m_window->setCloseToTray(false);
}

bool TrayController::isSystemTrayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayController::attachWindow(MainWindow *window)
{
    Q_ASSERT(window);
    m_window = window;
    connect(this, &TrayController::showWindowRequested, window, &MainWindow::showAndRaise);
    // The watch looks every half minute; hiding the window to the tray looks now.
    window->setTrayRecheck([this] {
        if (m_watchTray)
            checkTray();
    });
    connect(this, &TrayController::environmentActivated, window, &MainWindow::showEnvironment);
    connect(window, &MainWindow::quitRequested, this, &TrayController::quitRequested);
    // What the user started in the window is said in its status bar; only while the window
    // is hidden (an action from this menu) does its end become a notification.
    connect(window, &MainWindow::longOperationFinished, this,
            [this](const QString &title, const QString &message, bool ok) {
                if (!m_window || !m_window->isVisible())
                    notify(title, message, !ok, NotifyEvent::ActionFinished);
            });
    if (DriftWatch *watch = window->driftWatch()) {
        connect(watch, &DriftWatch::checkStarted, this, [this](const QString &env, bool requested) {
            if (requested)
                m_driftAskedHere.insert(env);
        });
    }
    if (EnvironmentController *controller = window->controller()) {
        connect(controller, &EnvironmentController::operationStarted, this,
                [this](const QString &env) {
                    m_ownActionUntil.insert(env, std::numeric_limits<qint64>::max());
                });
        connect(controller, &EnvironmentController::operationFinished, this,
                [this](const QString &env) {
                    // The re-check it triggers arrives within a few seconds.
                    m_ownActionUntil.insert(env, QDateTime::currentMSecsSinceEpoch() + 15000);
                });
        connect(controller, &EnvironmentController::operationStarted, this,
                &TrayController::syncActions);
        connect(controller, &EnvironmentController::operationFinished, this,
                &TrayController::syncActions);
        connect(controller, &EnvironmentController::migrationPlanChanged, this,
                &TrayController::syncActions);
    }
    updateCloseToTray();
    syncActions();
}

bool TrayController::causedHere(const QString &environment) const
{
    return m_ownActionUntil.value(environment, 0) > QDateTime::currentMSecsSinceEpoch();
}

void TrayController::onStatusChanged(const EnvironmentStatus &status)
{
    notifyDrift(status);
    // The monitor has de-flapped the state already; the first result is no "change".
    const auto known = m_known.constFind(status.environment);
    const StatusState previous = known == m_known.cend() ? StatusState::Unknown : known->first;
    const QString shownReason = problemLine(status);
    if (known != m_known.cend() && *known == qMakePair(status.state, shownReason))
        return; // the tray shows nothing else of a check: the icon, tip and menu stay true
    m_known.insert(status.environment, {status.state, shownReason});
    // Only going down and coming back are news; what the window's own action caused is
    // said in its status bar.
    const auto reachable = [](StatusState s) {
        return s == StatusState::Up || s == StatusState::Degraded;
    };
    const auto unreachable = [](StatusState s) {
        return s == StatusState::Down || s == StatusState::Error;
    };
    const bool wentDown = reachable(previous) && unreachable(status.state);
    const bool cameBack = unreachable(previous) && reachable(status.state);
    if ((wentDown || cameBack) && !causedHere(status.environment)) {
        QString message = reasonText(status);
        if (message.isEmpty())
            message = tr("was %1").arg(statusStateLabel(previous));
        m_clickOpensDrift.clear();
        notify(tr("%1 is %2").arg(status.environment, statusStateLabel(status.state)), message,
               wentDown, wentDown ? NotifyEvent::EnvironmentDown : NotifyEvent::EnvironmentBackUp);
    }
    sync();
}

void TrayController::notifyDrift(const EnvironmentStatus &status)
{
    const QString &env = status.environment;
    if (status.drift.checking)
        return;
    if (status.drift.state != DriftStatus::State::Drifted) {
        if (status.drift.state == DriftStatus::State::None && m_driftNotified.remove(env))
            forgetDriftNotified(env); // gone: the next drift is news again
        if (status.drift.state != DriftStatus::State::Unknown)
            m_driftAskedHere.remove(env);
        return;
    }
    const bool asked = m_driftAskedHere.contains(env);
    m_driftAskedHere.remove(env);
    if (m_driftNotified.contains(env))
        return;
    m_driftNotified.insert(env);
    // The same drift the last session already announced (the drift records outlive the
    // panel, and are shown at once on the next launch) is not news: told once, not at every
    // launch. Remembered per workspace file and environment, by what drifted.
    QSettings settings = appSettings();
    const QString key = driftNotifiedKey(env);
    const QString told = QString::number(status.drift.objects) + u' ' + status.drift.summary;
    if (settings.value(key).toString() == told)
        return;
    settings.setValue(key, told);
    if (asked)
        return; // the user asked in the window and sees the answer there
    m_clickOpensDrift = env;
    notify(status.drift.objects == 1
               ? tr("%1: drift, 1 object").arg(env)
               : tr("%1: drift, %2 objects").arg(env).arg(status.drift.objects),
           tr("%1's live schema differs from its migrations (%2). Click to review.")
               .arg(env, status.drift.summary),
           true, NotifyEvent::DriftAppeared);
}

QString TrayController::driftNotifiedKey(const QString &environment) const
{
    const QByteArray workspace =
        QCryptographicHash::hash(m_monitor->workspace().filePath.toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(12);
    return QStringLiteral("driftNotified/") + QString::fromLatin1(workspace) + u'/' + environment;
}

void TrayController::forgetDriftNotified(const QString &environment)
{
    QSettings settings = appSettings();
    settings.remove(driftNotifiedKey(environment));
}

void TrayController::notify(const QString &title, const QString &message, bool warning,
                            NotifyEvent event)
{
    // The overall switch, then the user's choice for this kind of event (Settings).
    if (!m_notificationsEnabled || !notifyEventEnabled(event))
        return;
    m_pendingNotes.append({title, message, warning});
    if (!m_noteTimer->isActive())
        m_noteTimer->start();
}

void TrayController::flushNotifications()
{
    if (m_pendingNotes.isEmpty())
        return;
    QString title;
    QString message;
    bool warning = false;
    if (m_pendingNotes.size() == 1) {
        title = m_pendingNotes.first().title;
        message = m_pendingNotes.first().message;
        warning = m_pendingNotes.first().warning;
    } else {
        // Several at once: each named in the title, never a bare count.
        QStringList titles;
        QStringList lines;
        for (const Note &note : std::as_const(m_pendingNotes)) {
            titles.append(note.title);
            lines.append(note.message);
            warning = warning || note.warning;
        }
        title = titles.join(QStringLiteral(" · "));
        message = lines.join(QLatin1Char('\n'));
    }
    m_pendingNotes.clear();
    m_lastTitle = title;
    m_lastMessage = message;
    ++m_notificationCount;
    // One message at a time: showMessage() replaces the balloon that is still up.
    if (m_tray->isVisible())
        m_tray->showMessage(title, message,
                            warning ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information,
                            8000);
    Q_EMIT notificationShown(title, message);
}

void TrayController::syncActions()
{
    EnvironmentController *controller = m_window ? m_window->controller() : nullptr;
    for (const EnvironmentConfig &env : m_monitor->workspace().environments) {
        QMenu *sub = m_environmentMenus.value(env.name);
        if (!sub)
            continue;
        auto *start = sub->findChild<QAction *>(QStringLiteral("trayEnvStart-") + env.name);
        auto *stop = sub->findChild<QAction *>(QStringLiteral("trayEnvStop-") + env.name);
        auto *restart = sub->findChild<QAction *>(QStringLiteral("trayEnvRestart-") + env.name);
        auto *apply = sub->findChild<QAction *>(QStringLiteral("trayEnvApply-") + env.name);
        if (!start || !stop || !restart || !apply)
            continue;
        // The card's rule (core's action policy); a protected environment's name is asked
        // for on its card, where these actions lead.
        int pending = 0;
        QMap<EnvironmentAction, ActionDecision> decisions;
        if (controller) {
            if (const auto latest = controller->latestPlan(env.name); latest && *latest)
                pending = latest->value().pendingCount();
            decisions = controller->decideAll(env.name);
        }
        const auto show = [&](QAction *action, EnvironmentAction kind, const QString &tip) {
            if (!controller) {
                action->setEnabled(false);
                action->setToolTip(tr("Open the window to act on environments."));
                return;
            }
            const ActionDecision decision = decisions.value(kind);
            action->setEnabled(decision.offered());
            action->setToolTip(!decision.offered() ? decision.reason
                               : decision.verdict == ProtectionVerdict::NeedsTypedName
                                   ? tr("%1 (asks for %2's name first)").arg(tip, env.name)
                                   : tip);
        };
        show(start, EnvironmentAction::Start, tr("Start every service of %1").arg(env.name));
        show(stop, EnvironmentAction::Stop, tr("Stop every service of %1").arg(env.name));
        show(restart, EnvironmentAction::Restart, tr("Restart every service of %1").arg(env.name));
        show(apply, EnvironmentAction::ApplyMigrations, tr("Review and apply in the window"));
        apply->setText(pending == 1  ? tr("Apply 1 pending migration…")
                       : pending > 1 ? tr("Apply %1 pending migrations…").arg(pending)
                                     : tr("Apply pending migrations…"));
    }
}

void TrayController::show()
{
    m_tray->show();
    updateCloseToTray();
}

void TrayController::hide()
{
    m_watchTray = false;
    m_trayWatch->stop();
    m_tray->hide();
    updateCloseToTray();
}

void TrayController::showWhenAvailable()
{
    m_watchTray = true;
    m_trayChecksMissing = 0;
    m_trayAvailable = isSystemTrayAvailable();
    if (m_trayAvailable)
        show();
    else
        updateCloseToTray();
    scheduleTrayCheck();
}

void TrayController::setTrayWatchIntervals(int fastMs, int fastChecks, int slowMs, int dockedMs)
{
    m_trayFastMs = std::max(10, fastMs);
    m_trayFastChecks = std::max(0, fastChecks);
    m_traySlowMs = std::max(10, slowMs);
    m_trayDockedMs = std::max(10, dockedMs);
}

void TrayController::scheduleTrayCheck()
{
    if (!m_watchTray)
        return;
    if (m_trayAvailable)
        m_trayWatch->start(m_trayDockedMs);
    else
        m_trayWatch->start(m_trayChecksMissing < m_trayFastChecks ? m_trayFastMs : m_traySlowMs);
}

void TrayController::checkTray()
{
    if (!m_watchTray)
        return;
    const bool available = isSystemTrayAvailable();
    const bool changed = available != m_trayAvailable;
    m_trayAvailable = available;
    m_trayChecksMissing = available ? 0 : m_trayChecksMissing + 1;
    if (available && (changed || !m_tray->isVisible())) {
        // A new tray (the first, or one restarted after a crash): (re)dock the icon there.
        if (m_tray->isVisible())
            m_tray->hide();
        show();
    } else if (changed) {
        updateCloseToTray();
    }
    if (changed)
        Q_EMIT systemTrayAvailabilityChanged(available);
    scheduleTrayCheck();
}

void TrayController::updateCloseToTray()
{
    // Hiding the window is only safe while there is an icon to bring it back.
    if (m_window)
        m_window->setCloseToTray(m_tray->isVisible() && isSystemTrayAvailable());
}

bool TrayController::isVisible() const
{
    return m_tray->isVisible();
}

QString TrayController::trayStateName() const
{
    return statusStateName(m_state);
}

QString TrayController::toolTip() const
{
    return m_tray->toolTip();
}

const QIcon &TrayController::iconFor(StatusState state, bool tray)
{
    QHash<int, QIcon> &cache = tray ? m_trayIcons : m_statusIcons;
    auto it = cache.find(int(state));
    if (it == cache.end())
        it = cache.insert(int(state), tray ? pd::ui::trayIcon(state) : statusIcon(state));
    return *it;
}

void TrayController::sync()
{
    const QList<EnvironmentStatus> statuses = m_monitor->statuses();

    QStringList parts;
    QStringList problems;
    for (const EnvironmentStatus &status : statuses) {
        const StatusState shown = shownState(status);
        const QString attention = attentionText(attentionItems(status));
        QString part = status.environment + QStringLiteral(": ") + statusStateLabel(shown);
        if (shown != StatusState::Up && !status.reason.isEmpty())
            part += QStringLiteral(" (") + shortReason(reasonText(status)) + QLatin1Char(')');
        parts << part;
        if (shown == StatusState::Attention)
            problems << status.environment + QStringLiteral(": ") + attention;
        else if (shown != StatusState::Up && shown != StatusState::Unknown)
            problems << part + (attention.isEmpty() ? QString() : QStringLiteral(", ") + attention);
        // For the menu: what needs attention, else why it is not up.
        const QString why = shown == StatusState::Attention ? attention : reasonText(status);

        if (QAction *action = m_environmentActions.value(status.environment)) {
            const QString text = status.environment + QStringLiteral(" — ") +
                                 (shown == StatusState::Attention ? shortReason(attention)
                                                                  : statusStateLabel(shown));
            // Menus treat '&' as a mnemonic marker; environment names are plain text.
            QString escaped = text;
            escaped.replace(QLatin1Char('&'), QStringLiteral("&&"));
            if (action->text() != escaped)
                action->setText(escaped);
            setIconIfChanged(action, iconFor(shown, false));
            const QString tip = why.isEmpty() ? escaped : plainToolTip(why);
            if (action->toolTip() != tip)
                action->setToolTip(tip);
            if (QMenu *sub = m_environmentMenus.value(status.environment)) {
                if (auto *state = sub->findChild<QAction *>(QStringLiteral("trayEnvState-") +
                                                            status.environment)) {
                    QString line = statusStateLabel(shown);
                    if (shown != StatusState::Up && !why.isEmpty())
                        line += QStringLiteral(": ") + shortReason(why);
                    line.replace(QLatin1Char('&'), QStringLiteral("&&"));
                    if (state->text() != line)
                        state->setText(line);
                    setIconIfChanged(state, iconFor(shown, false));
                }
            }
        }
    }
    syncActions();
    // All in order: every environment with its state; otherwise only those not in order,
    // each with its problems ("staging: 1 pending migration · prod: drift, 2 objects").
    const QString tip = tr("ParityDeck — %1")
                            .arg(problems.isEmpty() ? parts.join(QStringLiteral(", "))
                                                    : problems.join(QStringLiteral(" · ")));
    const QString safeTip = plainToolTip(tip);
    if (m_tray->toolTip() != safeTip)
        m_tray->setToolTip(safeTip);

    const StatusState state = m_monitor->aggregate();
    // Re-setting an unchanged icon makes some trays redraw (flicker) on every check.
    if (!m_iconSet || state != m_state) {
        m_iconSet = true;
        const bool changed = state != m_state;
        m_state = state;
        m_tray->setIcon(iconFor(state, true));
        if (changed)
            Q_EMIT trayStateChanged(trayStateName());
    }
}

void TrayController::onActivated(QSystemTrayIcon::ActivationReason reason)
{
    // A left click (or double click) opens the window; the right click shows the menu,
    // which Qt handles itself.
    if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
        Q_EMIT showWindowRequested();
}

} // namespace pd::ui
