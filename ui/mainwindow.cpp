#include "mainwindow.h"

#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "environmentcard.h"
#include "environmentlistmodel.h"
#include "migrationdialog.h"
#include "statusicons.h"
#include "statuslight.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace pd::ui {
namespace {

// Periodic checks of healthy local servers take a few milliseconds; flashing "Checking…"
// in the status bar for each of them every few seconds is noise. Only checks that are
// still running after this long (or ones the user asked for) are announced.
constexpr int kBusyAnnounceDelayMs = 600;

QSettings windowSettings()
{
    return QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck"));
}

} // namespace

MainWindow::MainWindow(StatusMonitor *monitor, EnvironmentController *controller, QWidget *parent)
    : QMainWindow(parent)
    , m_monitor(monitor)
    , m_controller(controller)
    , m_model(new EnvironmentListModel(monitor, this))
{
    Q_ASSERT(monitor);
    setObjectName(QStringLiteral("mainWindow"));
    const QString project = monitor->workspace().project;
    setWindowTitle(project.isEmpty() ? QStringLiteral("ParityDeck")
                                     : QStringLiteral("ParityDeck — ") + project);
    setWindowIcon(appIcon());

    createActions();

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("environmentList"));
    m_scroll->setAccessibleName(QStringLiteral("Environments"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // Cards never scroll sideways: the window keeps them at least as wide as they need
    // (see updateMinimumWidth()), and long reasons elide instead.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *content = new QWidget(m_scroll);
    content->setObjectName(QStringLiteral("environmentListContent"));
    m_cardLayout = new QVBoxLayout(content);
    m_cardLayout->setContentsMargins(12, 12, 12, 12);
    m_cardLayout->setSpacing(10);
    m_scroll->setWidget(content);
    setCentralWidget(m_scroll);

    m_summaryLight = new StatusLight(this);
    m_summaryLight->setObjectName(QStringLiteral("summaryLight"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("statusSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    // Permanent widgets, not showMessage(): the summary must not time out or be replaced
    // by hover texts, and screen readers can find it by name.
    statusBar()->addWidget(m_summaryLight);
    statusBar()->addWidget(m_summary, 1);

    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::rebuildCards);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::rebuildCards);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::rebuildCards);
    // The model updates itself from statusChanged first (it was connected first), so the
    // summary below always counts the rows the cards show.
    connect(m_monitor, &StatusMonitor::statusChanged, this, &MainWindow::updateStatusBar);
    connect(m_monitor, &StatusMonitor::busyChanged, this, &MainWindow::onBusyChanged);

    m_busyDelay.setSingleShot(true);
    m_busyDelay.setInterval(kBusyAnnounceDelayMs);
    connect(&m_busyDelay, &QTimer::timeout, this, [this] {
        m_showBusy = m_busy;
        updateStatusBar();
    });
    m_ageTimer.setInterval(1000);
    connect(&m_ageTimer, &QTimer::timeout, this, [this] {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (EnvironmentCard *card : std::as_const(m_cards))
            card->refreshAge(now);
    });

    rebuildCards();
    m_busy = m_monitor->checksInFlight() > 0;
    m_showBusy = m_busy;
    updateStatusBar();

    // A first-run size that fits three cards with their actions; restoreSettings()
    // replaces it later.
    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 100, fm.height() * 40);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_refreshAction = new QAction(refreshIcon(), QStringLiteral("&Refresh all"), this);
    m_refreshAction->setObjectName(QStringLiteral("actionRefresh"));
    QList<QKeySequence> refreshKeys = QKeySequence::keyBindings(QKeySequence::Refresh);
    // The platform theme decides QKeySequence::Refresh; F5 must work everywhere.
    if (!refreshKeys.contains(QKeySequence(Qt::Key_F5)))
        refreshKeys.prepend(QKeySequence(Qt::Key_F5));
    m_refreshAction->setShortcuts(refreshKeys);
    m_refreshAction->setToolTip(QStringLiteral("Check every environment now (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refreshAll);

    m_hideAction = new QAction(QStringLiteral("&Hide to tray"), this);
    m_hideAction->setObjectName(QStringLiteral("actionHide"));
    m_hideAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence(Qt::Key_Escape)});
    m_hideAction->setEnabled(false); // only meaningful when a tray icon can bring it back
    connect(m_hideAction, &QAction::triggered, this, &MainWindow::hideToTray);

    m_quitAction = new QAction(QStringLiteral("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, [this] {
        saveSettings();
        Q_EMIT quitRequested();
    });

    QMenu *fileMenu = menuBar()->addMenu(QStringLiteral("&File"));
    fileMenu->setObjectName(QStringLiteral("menuFile"));
    fileMenu->addAction(m_refreshAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_hideAction);
    fileMenu->addAction(m_quitAction);

    QToolBar *toolBar = addToolBar(QStringLiteral("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar")); // saveState() needs the name
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setMovable(false);
    toolBar->addAction(m_refreshAction);
}

void MainWindow::setCloseToTray(bool enabled)
{
    m_closeToTray = enabled;
    m_hideAction->setEnabled(enabled);
    // Closing still closes (hides) the window, but no longer counts as "last window closed".
    // Ignoring the close event instead would be a veto wherever Qt closes all windows before
    // quitting (QGuiApplication's QEvent::Quit handling, session logout) and gives up if one
    // refuses: "Quit" would then do nothing.
    setAttribute(Qt::WA_QuitOnClose, !enabled);
}

StatusState MainWindow::aggregateState() const
{
    return m_summaryLight->state();
}

QString MainWindow::summaryText() const
{
    return m_summary->text();
}

void MainWindow::showAndRaise()
{
    if (isMinimized())
        setWindowState(windowState() & ~Qt::WindowMinimized);
    show();
    raise();
    activateWindow();
}

void MainWindow::showEnvironment(const QString &environment)
{
    showAndRaise();
    for (EnvironmentCard *card : std::as_const(m_cards)) {
        if (card->environment() == environment) {
            m_scroll->ensureWidgetVisible(card);
            break;
        }
    }
}

void MainWindow::refreshAll()
{
    // Asked for by the user: say so at once instead of after the announce delay.
    m_monitor->refreshAll();
    if (m_controller)
        m_controller->refreshAll();
    m_busy = m_monitor->checksInFlight() > 0;
    m_showBusy = m_busy;
    updateStatusBar();
}

MigrationDialog *MainWindow::openMigrationDialog(const QString &environment)
{
    if (!m_controller)
        return nullptr;
    QPointer<MigrationDialog> &dialog = m_migrationDialogs[environment];
    if (!dialog) {
        // Non-modal: the cards keep showing progress while the dialog is open.
        dialog = new MigrationDialog(m_controller, environment, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

void MainWindow::rebuildCards()
{
    qDeleteAll(m_cards);
    m_cards.clear();
    delete m_emptyHint;
    m_emptyHint = nullptr;
    while (QLayoutItem *item = m_cardLayout->takeAt(0))
        delete item;

    QWidget *content = m_scroll->widget();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        auto *card = new EnvironmentCard(m_model, row, m_controller, content);
        connect(card, &EnvironmentCard::applyRequested, this, &MainWindow::openMigrationDialog);
        m_cardLayout->addWidget(card);
        m_cards.append(card);
    }
    if (m_cards.isEmpty()) {
        m_emptyHint = new QLabel(QStringLiteral("This workspace has no environments. Add them "
                                                "under \"environments:\" in paritydeck.yaml."),
                                 content);
        m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
        m_emptyHint->setWordWrap(true);
        m_cardLayout->addWidget(m_emptyHint);
    }
    m_cardLayout->addStretch(1);
    updateMinimumWidth();
}

void MainWindow::onBusyChanged(bool busy)
{
    m_busy = busy;
    if (busy) {
        // Before the first results there is nothing else to say: announce at once.
        if (m_model->aggregate() == StatusState::Unknown)
            m_showBusy = true;
        else
            m_busyDelay.start();
    } else {
        m_busyDelay.stop();
        m_showBusy = false;
    }
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const int total = m_model->rowCount();
    int up = 0;
    int checked = 0;
    for (int row = 0; row < total; ++row) {
        const StatusState state = m_model->statusAt(row).state;
        up += state == StatusState::Up ? 1 : 0;
        checked += state == StatusState::Unknown ? 0 : 1;
    }
    const StatusState aggregate = m_model->aggregate();

    QString text;
    if (m_showBusy && m_busy) {
        const int n = m_monitor->checksInFlight();
        text = n == 1 ? QStringLiteral("Checking 1 environment…")
                      : QStringLiteral("Checking %1 environments…").arg(n);
    } else if (total == 0) {
        text = QStringLiteral("No environments");
    } else if (checked == 0) {
        text = QStringLiteral("Not checked yet");
    } else if (up == total) {
        text =
            total == 1 ? QStringLiteral("Environment up") : QStringLiteral("All environments up");
    } else {
        text = QStringLiteral("%1 of %2 up").arg(up).arg(total);
    }
    if (m_summary->text() != text)
        m_summary->setText(text);
    updateMinimumWidth();
    m_summaryLight->setState(aggregate, QStringLiteral("Overall"));
    m_summaryLight->setToolTip(statusStateLabel(aggregate));
}

void MainWindow::updateMinimumWidth()
{
    // A new version string or size can make a card's facts row wider than before.
    const int needed = m_scroll->widget()->minimumSizeHint().width() +
                       m_scroll->verticalScrollBar()->sizeHint().width() +
                       2 * m_scroll->frameWidth();
    if (m_scroll->minimumWidth() < needed)
        m_scroll->setMinimumWidth(needed);
}

void MainWindow::hideToTray()
{
    if (!m_closeToTray)
        return;
    saveSettings();
    hide();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    event->accept();
    // With a tray the window just goes away and the monitor keeps running; without one,
    // closing the only window means quitting.
    if (!m_closeToTray)
        Q_EMIT quitRequested();
}

void MainWindow::showEvent(QShowEvent *event)
{
    // Before the native window maps, so a restored geometry never flickers from the default.
    if (!m_settingsRestored) {
        m_settingsRestored = true;
        restoreSettings();
    }
    QMainWindow::showEvent(event);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (EnvironmentCard *card : std::as_const(m_cards))
        card->refreshAge(now);
    m_ageTimer.start();
}

void MainWindow::hideEvent(QHideEvent *event)
{
    QMainWindow::hideEvent(event);
    // Nobody reads "checked 3 s ago" in a hidden window.
    m_ageTimer.stop();
}

void MainWindow::saveSettings() const
{
    // A few hundred bytes to a local file, only on close/hide/quit: never during checks.
    QSettings settings = windowSettings();
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
}

void MainWindow::restoreSettings()
{
    const QSettings settings = windowSettings();
    const QByteArray geometry = settings.value(QStringLiteral("mainWindow/geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings.value(QStringLiteral("mainWindow/state")).toByteArray();
    if (!state.isEmpty())
        restoreState(state);
}

} // namespace pd::ui
