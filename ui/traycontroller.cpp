#include "traycontroller.h"

#include "environment/statusmonitor.h"
#include "humanformat.h"
#include "mainwindow.h"
#include "statusicons.h"

#include <QAction>
#include <QMenu>

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
        auto *action = m_menu->addAction(env.name);
        action->setObjectName(QStringLiteral("trayEnv-") + env.name);
        const QString name = env.name;
        connect(action, &QAction::triggered, this,
                [this, name] { Q_EMIT environmentActivated(name); });
        m_environmentActions.insert(env.name, action);
    }
    m_menu->addSeparator();
    QAction *showAction = m_menu->addAction(QStringLiteral("Show window"));
    showAction->setObjectName(QStringLiteral("trayShowWindow"));
    connect(showAction, &QAction::triggered, this, &TrayController::showWindowRequested);
    QAction *quitAction = m_menu->addAction(QStringLiteral("Quit"));
    quitAction->setObjectName(QStringLiteral("trayQuit"));
    connect(quitAction, &QAction::triggered, this, &TrayController::quitRequested);
    m_tray->setContextMenu(m_menu.get());

    connect(m_tray, &QSystemTrayIcon::activated, this, &TrayController::onActivated);
    connect(monitor, &StatusMonitor::statusChanged, this, &TrayController::sync);
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
    connect(this, &TrayController::environmentActivated, window, &MainWindow::showEnvironment);
    updateCloseToTray();
}

void TrayController::show()
{
    m_tray->show();
    updateCloseToTray();
}

void TrayController::hide()
{
    m_tray->hide();
    updateCloseToTray();
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
    for (const EnvironmentStatus &status : statuses) {
        QString part = status.environment + QStringLiteral(": ") + statusStateLabel(status.state);
        if (status.state != StatusState::Up && !status.reason.isEmpty())
            part += QStringLiteral(" (") + shortReason(status.reason) + QLatin1Char(')');
        parts << part;

        if (QAction *action = m_environmentActions.value(status.environment)) {
            const QString text =
                status.environment + QStringLiteral(" — ") + statusStateLabel(status.state);
            // Menus treat '&' as a mnemonic marker; environment names are plain text.
            QString escaped = text;
            escaped.replace(QLatin1Char('&'), QStringLiteral("&&"));
            if (action->text() != escaped)
                action->setText(escaped);
            action->setIcon(iconFor(status.state, false));
            action->setToolTip(status.reason.isEmpty() ? escaped : plainToolTip(status.reason));
        }
    }
    const QString tip = QStringLiteral("ParityDeck — ") + parts.join(QStringLiteral(", "));
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
