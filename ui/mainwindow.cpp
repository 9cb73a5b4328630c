#include "mainwindow.h"

#include "aboutdialog.h"
#include "appsettings.h"
#include "auditview.h"
#include "branchswitcher.h"
#include "elidedlabel.h"
#include "environment/branchoperations.h"
#include "environment/driftwatch.h"
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "environmentcard.h"
#include "environmentlistmodel.h"
#include "errortext.h"
#include "humanformat.h"
#include "migrationdialog.h"
#include "parityview.h"
#include "pipelinestrip.h"
#include "secretsview.h"
#include "services/servicecontroller.h"
#include "settingsdialog.h"
#include "statusicons.h"
#include "statuslight.h"
#include "whenfinished.h"
#include "windowgeometry.h"

#include <QAction>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace pd::ui {
MainWindow::MainWindow(StatusMonitor *monitor, EnvironmentController *controller, QWidget *parent)
    : QMainWindow(parent)
    , m_monitor(monitor)
    , m_controller(controller)
    , m_model(new EnvironmentListModel(monitor, this))
{
    Q_ASSERT(monitor);
    setObjectName(QStringLiteral("mainWindow"));
    // "podcast — ParityDeck": what is open first, then the application, as desktops list
    // windows. Spelt out in full: Qt appends the display name only to titles that do not
    // already end with it, so the title reads the same with and without one.
    const QString project = monitor->workspace().project;
    setWindowTitle(project.isEmpty() ? tr("ParityDeck") : tr("%1 — ParityDeck").arg(project));
    setWindowIcon(appIcon());

    createActions();

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("environmentList"));
    m_scroll->setAccessibleName(tr("Environments"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // Cards never scroll sideways: the window keeps them at least as wide as they need
    // (see updateMinimumWidth()), and long reasons elide instead.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *content = new QWidget(m_scroll);
    content->setObjectName(QStringLiteral("environmentListContent"));
    m_cardLayout = new QVBoxLayout(content);
    m_cardLayout->setContentsMargins(kColumnEdge, 12, kColumnEdge, 12);
    m_cardLayout->setSpacing(10);
    m_scroll->setWidget(content);
    // The promotion pipeline (hidden without promotes_from) above the cards.
    auto *central = new QWidget(this);
    central->setObjectName(QStringLiteral("centralArea"));
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    auto *pipeline = new PipelineStrip(monitor, central);
    centralLayout->addWidget(pipeline);
    centralLayout->addWidget(m_scroll, 1);
    setCentralWidget(central);
    // A card asks for a new layout only when one of its texts changed size; only then
    // can the window need to grow (computing every label's size hint on each status
    // poll was a third of the idle window's CPU).
    content->installEventFilter(this);
    m_minimumWidthLater.setSingleShot(true);
    m_minimumWidthLater.setInterval(0);
    connect(&m_minimumWidthLater, &QTimer::timeout, this, &MainWindow::updateMinimumWidth);
    m_scroll->viewport()->installEventFilter(this); // its width centres the cards

    m_summaryLight = new StatusLight(this);
    m_summaryLight->setObjectName(QStringLiteral("summaryLight"));
    // Elided: the summary names every environment not in order, and a QLabel's minimum
    // width would grow with that text, resizing (and re-laying out) the whole window
    // whenever it changes. The full text stays the accessible name and the tool tip.
    m_summary = new ElidedLabel(this);
    m_summary->setObjectName(QStringLiteral("statusSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    // Permanent widgets, not showMessage(): the summary must not time out or be replaced
    // by hover texts, and screen readers can find it by name.
    statusBar()->addWidget(m_summaryLight);
    statusBar()->addWidget(m_summary, 1);
    // Background work on the right: what runs besides the periodic checks.
    m_workBar = new QProgressBar(this);
    m_workBar->setObjectName(QStringLiteral("backgroundWorkBar"));
    m_workBar->setRange(0, 0);
    m_workBar->setTextVisible(false);
    m_workBar->setMaximumWidth(fontMetrics().averageCharWidth() * 8);
    m_workBar->setMaximumHeight(fontMetrics().height() / 2 + 2);
    m_workBar->setAccessibleName(tr("Background work in progress"));
    // Both elide too: with a long description beside a long outcome, plain labels once
    // widened the window (the status bar's minimum is the sum of its widgets').
    // Preferred: whole when there is room, shortened only when there is not.
    m_workLabel = new ElidedLabel(this);
    m_workLabel->setObjectName(QStringLiteral("backgroundWork"));
    m_workLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_outcome = new ElidedLabel(this);
    m_outcome->setObjectName(QStringLiteral("lastOutcome"));
    m_outcome->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    statusBar()->addPermanentWidget(m_workBar);
    statusBar()->addPermanentWidget(m_workLabel);
    statusBar()->addPermanentWidget(m_outcome);
    m_workBar->hide();
    m_workLabel->hide();
    m_outcome->hide();
    // What the user started is said here, not in a notification; long enough to be read.
    m_outcomeTimer.setSingleShot(true);
    m_outcomeTimer.setInterval(15000);
    connect(&m_outcomeTimer, &QTimer::timeout, this, [this] {
        m_outcome->clear();
        m_outcome->hide();
    });

    if (m_controller) {
        m_driftWatch = new DriftWatch(m_monitor, this);
        connect(m_driftWatch, &DriftWatch::checkStarted, this,
                [this](const QString &env, bool requested) {
                    if (requested)
                        beginBackgroundWork(QStringLiteral("drift:") + env,
                                            tr("Checking drift of %1").arg(env));
                });
        connect(
            m_driftWatch, &DriftWatch::checkFinished, this,
            [this](const QString &env, const Result<DriftReport> &report, bool requested) {
                if (!requested)
                    return; // background knowledge: the card and the tray show it
                endBackgroundWork(QStringLiteral("drift:") + env);
                if (!report) {
                    Q_EMIT longOperationFinished(tr("%1: drift check failed").arg(env),
                                                 errorText(report.error()), false);
                } else {
                    Q_EMIT longOperationFinished(
                        tr("%1: drift checked").arg(env),
                        report->noMigrations
                            ? tr("%1 has no migrations folder to compare with.").arg(env)
                        : report->inSync()
                            ? tr("%1 matches its migrations.").arg(env)
                            : tr("%1 differs from its migrations: %2.").arg(env, report->summary),
                        true);
                }
                Q_EMIT driftChecked(env);
            });
        connect(this, &MainWindow::longOperationFinished, this,
                [this](const QString &title, const QString &, bool ok) { showOutcome(title, ok); });
        m_branches = new BranchOperations(m_controller->workspace(), this);
        m_branches->setAuditLog(m_controller->auditLog());
        connect(m_controller, &EnvironmentController::operationStarted, this,
                [this](const QString &env, const QString &description, bool) {
                    // A server stopped in "smart" mode waits for every session to end.
                    m_monitor->closeKeptConnections(env);
                    if (m_driftWatch)
                        m_driftWatch->hold(env, true);
                    beginBackgroundWork(QStringLiteral("operation:") + env,
                                        description + QStringLiteral(" (") + env +
                                            QLatin1Char(')'));
                });
        connect(m_controller, &EnvironmentController::operationFinished, this,
                [this](const QString &env, const QString &description, const Result<void> &result) {
                    endBackgroundWork(QStringLiteral("operation:") + env);
                    if (m_driftWatch)
                        m_driftWatch->hold(env, false);
                    const bool applied = description == QLatin1String("Applying migrations");
                    if (result) {
                        // The schema changed on purpose: what drift was measured is stale.
                        if (applied && m_driftWatch)
                            m_driftWatch->invalidate(env);
                        Q_EMIT longOperationFinished(
                            tr("%1: %2 finished").arg(env, description),
                            tr("%1 on %2 succeeded.").arg(description, env), true);
                    } else {
                        const bool cancelled = result.error().code == ErrorCode::Cancelled;
                        Q_EMIT longOperationFinished(
                            (cancelled ? tr("%1: %2 cancelled") : tr("%1: %2 failed"))
                                .arg(env, description),
                            errorText(result.error()), false);
                    }
                });
    }

    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::rebuildCards);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::rebuildCards);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::rebuildCards);
    // The model updates itself from statusChanged, emitted before factsChanged, so the
    // summary below always counts the rows the cards show. It names no time of a check.
    connect(m_monitor, &StatusMonitor::factsChanged, this, &MainWindow::updateStatusBar);
    connect(m_monitor, &StatusMonitor::busyChanged, this, &MainWindow::onBusyChanged);

    // "checked … ago" moves at whole minutes of age; environments are checked more often
    // than that, so the timer wakes only when a card's text would change (a wake every 5 s
    // was a fifth of the idle window's timer work).
    m_ageTimer.setSingleShot(true);
    connect(&m_ageTimer, &QTimer::timeout, this, &MainWindow::refreshAges);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::scheduleAgeRefresh);

    rebuildCards();
    refreshGitBranch();
    applyCheckIntervals(); // the user's own intervals, if any (Settings ▸ Checks)
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
    m_refreshAction = new QAction(refreshIcon(), tr("&Refresh all"), this);
    m_refreshAction->setObjectName(QStringLiteral("actionRefresh"));
    QList<QKeySequence> refreshKeys = QKeySequence::keyBindings(QKeySequence::Refresh);
    // The platform theme decides QKeySequence::Refresh; F5 must work everywhere.
    if (!refreshKeys.contains(QKeySequence(Qt::Key_F5)))
        refreshKeys.prepend(QKeySequence(Qt::Key_F5));
    m_refreshAction->setShortcuts(refreshKeys);
    m_refreshAction->setToolTip(tr("Check every environment now (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refreshAll);

    m_compareAction = new QAction(tr("&Compare environments…"), this);
    m_compareAction->setObjectName(QStringLiteral("actionCompare"));
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_compareAction->setToolTip(tr("Compare the schemas of two environments (Ctrl+D)"));
    connect(m_compareAction, &QAction::triggered, this, &MainWindow::compareEnvironments);

    m_driftAllAction = new QAction(tr("Check &drift everywhere"), this);
    m_driftAllAction->setObjectName(QStringLiteral("actionCheckDrift"));
    m_driftAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_driftAllAction->setToolTip(tr("Compare every reachable environment with its "
                                    "migrations (Ctrl+Shift+D)"));
    connect(m_driftAllAction, &QAction::triggered, this, &MainWindow::checkDriftEverywhere);

    m_parityAction = new QAction(tr("&Parity"), this);
    m_parityAction->setObjectName(QStringLiteral("actionParity"));
    m_parityAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_parityAction->setToolTip(tr("How alike the environments are: config, secrets, "
                                  "migrations, schema (Ctrl+P)"));
    connect(m_parityAction, &QAction::triggered, this, &MainWindow::openParityView);

    m_secretsAction = new QAction(tr("&Secrets"), this);
    m_secretsAction->setObjectName(QStringLiteral("actionSecrets"));
    m_secretsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_secretsAction->setToolTip(tr("Secret references per environment: present or "
                                   "missing, set and delete (Ctrl+Shift+S)"));
    connect(m_secretsAction, &QAction::triggered, this, &MainWindow::openSecretsView);

    m_auditAction = new QAction(tr("&Audit log"), this);
    m_auditAction->setObjectName(QStringLiteral("actionAudit"));
    m_auditAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_auditAction->setToolTip(tr("Everything ParityDeck changed, by whom and when "
                                 "(Ctrl+L)"));
    connect(m_auditAction, &QAction::triggered, this, &MainWindow::openAuditView);

    m_settingsAction = new QAction(tr("Se&ttings…"), this);
    m_settingsAction->setObjectName(QStringLiteral("actionSettings"));
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    m_settingsAction->setToolTip(tr("Start at login, check intervals, notifications, "
                                    "appearance (Ctrl+,)"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    if (!m_controller) {
        // Watching only: nothing to compare with or change.
        for (QAction *action : {m_compareAction, m_driftAllAction, m_parityAction, m_secretsAction})
            action->setEnabled(false);
    }

    m_hideAction = new QAction(tr("&Hide to tray"), this);
    m_hideAction->setObjectName(QStringLiteral("actionHide"));
    m_hideAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence(Qt::Key_Escape)});
    m_hideAction->setEnabled(false); // only meaningful when a tray icon can bring it back
    connect(m_hideAction, &QAction::triggered, this, &MainWindow::hideToTray);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::requestQuit);

    // Cards or one row per environment; remembered with the window's geometry.
    m_rowsAction = new QAction(tr("Compact &rows"), this);
    m_rowsAction->setObjectName(QStringLiteral("actionRows"));
    m_rowsAction->setCheckable(true);
    m_rowsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_rowsAction->setToolTip(tr("One line per environment instead of a card "
                                "(Ctrl+Shift+R)"));
    connect(m_rowsAction, &QAction::toggled, this, &MainWindow::setCompactRows);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("menuFile"));
    fileMenu->addAction(m_refreshAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_settingsAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_hideAction);
    fileMenu->addAction(m_quitAction);
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("menuView"));
    viewMenu->addAction(m_compareAction);
    viewMenu->addAction(m_driftAllAction);
    viewMenu->addAction(m_parityAction);
    viewMenu->addAction(m_secretsAction);
    viewMenu->addAction(m_auditAction);
    viewMenu->addSeparator();
    viewMenu->addAction(m_rowsAction);

    m_docsAction = new QAction(tr("&Documentation"), this);
    m_docsAction->setObjectName(QStringLiteral("actionDocumentation"));
    m_docsAction->setShortcut(QKeySequence(Qt::Key_F1));
    // Looked up once, before the first frame (a few stat calls): a click never touches the disk.
    m_userGuide = userGuidePath();
    const QString &guide = m_userGuide;
    m_docsAction->setEnabled(!guide.isEmpty());
    m_docsAction->setToolTip(guide.isEmpty()
                                 ? tr("The user guide is not installed on this computer")
                                 : tr("Open the user guide (F1): %1").arg(guide));
    connect(m_docsAction, &QAction::triggered, this, &MainWindow::openDocumentation);
    m_aboutAction = new QAction(tr("&About ParityDeck"), this);
    m_aboutAction->setObjectName(QStringLiteral("actionAbout"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::openAbout);
    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->setObjectName(QStringLiteral("menuHelp"));
    helpMenu->addAction(m_docsAction);
    helpMenu->addSeparator();
    helpMenu->addAction(m_aboutAction);

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar")); // saveState() needs the name
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setMovable(false);
    toolBar->addAction(m_refreshAction);
    toolBar->addSeparator();
    toolBar->addAction(m_compareAction);
    toolBar->addAction(m_parityAction);
    toolBar->addAction(m_secretsAction);
    toolBar->addAction(m_auditAction);
    toolBar->addSeparator();
    toolBar->addAction(m_settingsAction);
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
    refreshGitBranch();
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
        rememberGeometry(dialog, QStringLiteral("migrations"));
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
        connect(card, &EnvironmentCard::diffRequested, this, &MainWindow::diffRequested);
        connect(card, &EnvironmentCard::driftCheckRequested, this, &MainWindow::checkDrift);
        connect(card, &EnvironmentCard::branchSwitchRequested, this,
                &MainWindow::openBranchSwitcher);
        card->setGitBranch(m_gitBranch);
        if (m_compactRows)
            card->setLayoutMode(EnvironmentCard::LayoutMode::Row);
        m_cardLayout->addWidget(card);
        m_cards.append(card);
    }
    if (m_cards.isEmpty()) {
        m_emptyHint = new QLabel(tr("This workspace has no environments. Add them "
                                    "under \"environments:\" in paritydeck.yaml."),
                                 content);
        m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
        m_emptyHint->setWordWrap(true);
        m_cardLayout->addWidget(m_emptyHint);
    }
    m_cardLayout->addStretch(1);
    alignRows();
    updateMinimumWidth();
    scheduleAgeRefresh();
}

void MainWindow::onBusyChanged(bool busy)
{
    const bool wasSaying = m_showBusy && m_busy;
    m_busy = busy;
    // Before the first results there is nothing else to say: announce at once. After that,
    // the routine polls stay quiet: an unreachable host holds its check for the whole
    // connect timeout, and saying so flipped the status bar (a re-layout and repaint)
    // several times a minute while nothing changed; the card already says it is down.
    // A refresh the user asked for is announced by refreshAll().
    if (busy && m_model->aggregate() == StatusState::Unknown)
        m_showBusy = true;
    else if (!busy)
        m_showBusy = false;
    // Otherwise the text is what factsChanged() last made it: a routine poll's start and
    // end (twice a round, several rounds a minute) change nothing to say.
    if ((m_showBusy && m_busy) != wasSaying)
        updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const int total = m_model->rowCount();
    int up = 0;
    int checked = 0;
    QStringList problems;
    for (int row = 0; row < total; ++row) {
        const EnvironmentStatus status = m_model->statusAt(row);
        const StatusState state = status.state;
        up += state == StatusState::Up ? 1 : 0;
        checked += state == StatusState::Unknown ? 0 : 1;
        if (state != StatusState::Unknown) {
            const QString line = problemLine(status);
            if (!line.isEmpty())
                problems.append(line);
        }
    }
    const StatusState aggregate = m_model->aggregate();
    const QString named = problems.isEmpty()
                              ? QString()
                              : QStringLiteral(" — ") + problems.join(QStringLiteral(" · "));

    QString text;
    if (m_showBusy && m_busy) {
        const int n = m_monitor->checksInFlight();
        text = n == 1 ? tr("Checking 1 environment…") : tr("Checking %1 environments…").arg(n);
    } else if (total == 0) {
        text = tr("No environments");
    } else if (checked == 0) {
        text = tr("Not checked yet");
    } else if (up == total && problems.isEmpty()) {
        text = total == 1 ? tr("Environment up") : tr("All environments up");
    } else if (up == total) {
        text = tr("Needs attention%1").arg(named);
    } else {
        text = tr("%1 of %2 up").arg(up).arg(total) + named;
    }
    if (m_summary->text() != text) {
        m_summary->setText(text);
        m_summary->setToolTip(problems.isEmpty() ? QString()
                                                 : plainToolTip(problems.join(QLatin1Char('\n'))));
    }
    m_summaryLight->setState(aggregate, tr("Overall"));
    if (m_summaryLight->toolTip() != statusStateLabel(aggregate))
        m_summaryLight->setToolTip(statusStateLabel(aggregate));
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Measured once the cards' layouts have all settled (a switch between cards and rows
    // re-lays out every card; measuring half-way once grew the window past what it needs).
    if (event->type() == QEvent::LayoutRequest && m_scroll && watched == m_scroll->widget())
        m_minimumWidthLater.start();
    else if (event->type() == QEvent::Resize && m_scroll && watched == m_scroll->viewport())
        updateSideMargins();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::updateMinimumWidth()
{
    // A new version string or size can make a card's facts row wider than before, and a
    // text that shrank lets the window shrink again. The side margins that centre the
    // column in a wide window are not part of what the cards need.
    int cards = m_emptyHint ? m_emptyHint->minimumSizeHint().width() : 0;
    for (const EnvironmentCard *card : std::as_const(m_cards))
        cards = std::max(cards, card->minimumSizeHint().width());
    const int needed = cards + 2 * kColumnEdge + m_scroll->verticalScrollBar()->sizeHint().width() +
                       2 * m_scroll->frameWidth();
    if (m_scroll->minimumWidth() != needed)
        m_scroll->setMinimumWidth(needed);
}

void MainWindow::updateSideMargins()
{
    // In a wide (maximised) window the cards keep a readable width, centred, so a card's
    // state, figures and actions stay close together instead of spanning the screen.
    const int columnWidth = fontMetrics().averageCharWidth() * 160;
    const int side = std::max(kColumnEdge, (m_scroll->viewport()->width() - columnWidth) / 2);
    const QMargins margins = m_cardLayout->contentsMargins();
    if (margins.left() != side)
        m_cardLayout->setContentsMargins(side, margins.top(), side, margins.bottom());
}

void MainWindow::alignRows()
{
    if (!m_compactRows)
        return;
    int nameWidth = 0;
    int badgeWidth = 0;
    for (const EnvironmentCard *card : std::as_const(m_cards)) {
        const QSize hints = card->rowColumnHints();
        nameWidth = qMax(nameWidth, hints.width());
        badgeWidth = qMax(badgeWidth, hints.height());
    }
    for (EnvironmentCard *card : std::as_const(m_cards))
        card->setRowColumns(nameWidth, badgeWidth);
}

void MainWindow::setCompactRows(bool rows)
{
    if (m_rowsAction->isChecked() != rows)
        m_rowsAction->setChecked(rows); // comes back here through toggled()
    if (m_compactRows == rows)
        return;
    m_compactRows = rows;
    const auto mode = rows ? EnvironmentCard::LayoutMode::Row : EnvironmentCard::LayoutMode::Card;
    for (EnvironmentCard *card : std::as_const(m_cards))
        card->setLayoutMode(mode);
    alignRows();
    // Rows need a wider window than cards; going back to cards lets it shrink again.
    m_minimumWidthLater.start();
}

bool MainWindow::closesToTrayNow()
{
    if (m_closeToTray && m_trayRecheck)
        m_trayRecheck(); // may turn close-to-tray off: the tray has just gone
    return m_closeToTray;
}

void MainWindow::hideToTray()
{
    if (!closesToTrayNow())
        return;
    saveSettings();
    hide();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    const bool toTray = closesToTrayNow();
    // With a tray the window just goes away and the monitor keeps running; without one,
    // closing the only window means quitting — after the offer to stop what we started,
    // for which the window stays.
    if (!toTray && m_controller && !m_monitor->serviceController()->startedHere().isEmpty() &&
        !m_quitting) {
        event->ignore();
        requestQuit();
        return;
    }
    event->accept();
    if (!toTray)
        Q_EMIT quitRequested();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    // Brought to the front: what it shows is checked now where checks had slowed down for
    // lack of news (StatusMonitor's calm stretch).
    if (event->type() == QEvent::ActivationChange && isActiveWindow())
        m_monitor->wake();
}

void MainWindow::showEvent(QShowEvent *event)
{
    // Before the native window maps, so a restored geometry never flickers from the default.
    if (!m_settingsRestored) {
        m_settingsRestored = true;
        restoreSettings();
    }
    QMainWindow::showEvent(event);
    refreshAges();
}

void MainWindow::refreshAges()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (EnvironmentCard *card : std::as_const(m_cards))
        card->refreshAge(now);
    m_ageTimer.stop();
    scheduleAgeRefresh();
}

void MainWindow::scheduleAgeRefresh()
{
    if (!isVisible())
        return; // showEvent() refreshes
    // From the model, which holds the new check time before it tells anyone (the cards
    // hear of it after this slot).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    qint64 soonest = -1;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QDateTime checkedAt =
            m_model->index(row).data(EnvironmentListModel::CheckedAtRole).toDateTime();
        const qint64 ms = msUntilCheckedAgeChanges(checkedAt, now);
        if (ms >= 0 && (soonest < 0 || ms < soonest))
            soonest = ms;
    }
    if (soonest < 0) {
        m_ageTimer.stop();
        return;
    }
    // Moved to the new deadline, later ones too: a check pushes its card's deadline a
    // whole interval on, and environments are checked more often than a minute, so on a
    // quiet panel the timer never fires. Keeping the sooner deadline woke the window once a
    // minute for nothing (a wake-up costs far more than moving a timer).
    m_ageTimer.start(int(soonest) + 50); // past the minute, not a hair before it
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
    QSettings settings = appSettings();
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    settings.setValue(QStringLiteral("mainWindow/layout"),
                      m_compactRows ? QStringLiteral("rows") : QStringLiteral("cards"));
}

void MainWindow::restoreSettings()
{
    const QSettings settings = appSettings();
    const QByteArray geometry = settings.value(QStringLiteral("mainWindow/geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings.value(QStringLiteral("mainWindow/state")).toByteArray();
    if (!state.isEmpty())
        restoreState(state);
    setCompactRows(settings.value(QStringLiteral("mainWindow/layout")).toString() ==
                   QLatin1String("rows"));
}

} // namespace pd::ui

namespace pd::ui {

void MainWindow::showOnLaunch(bool trayAvailable)
{
    if (trayAvailable && SettingsDialog::startMinimised())
        return;
    show();
}

EnvironmentCard *MainWindow::cardOf(const QString &environment) const
{
    for (EnvironmentCard *card : m_cards) {
        if (card->environment() == environment)
            return card;
    }
    return nullptr;
}

void MainWindow::compareEnvironments()
{
    // Both sides empty: the diff review asks which two to compare.
    Q_EMIT diffRequested(QString(), QString());
}

void MainWindow::checkDrift(const QString &environment)
{
    if (!m_driftWatch || m_driftWatch->isChecking(environment))
        return;
    m_driftWatch->checkNow(environment);
}

void MainWindow::startDriftWatch()
{
    m_driftWatchWanted = true;
    if (m_driftWatch)
        m_driftWatch->start();
}

void MainWindow::applyCheckIntervals()
{
    // Only timer intervals change here: nothing waits, the next tick uses the new value.
    const Workspace &workspace = m_monitor->workspace();
    if (const std::optional<int> refresh = localRefreshIntervalSeconds()) {
        m_monitor->setIntervalMs(*refresh * 1000);
        m_ownRefreshInterval = true;
    } else if (m_ownRefreshInterval) {
        m_monitor->setIntervalMs(std::max(1, workspace.refreshIntervalSeconds) * 1000);
        m_ownRefreshInterval = false;
    }
    if (!m_driftWatch)
        return;
    const std::optional<int> drift = localDriftIntervalSeconds();
    m_driftWatch->setIntervalOverrideSeconds(drift);
    if (!m_driftWatchWanted)
        return;
    if (drift.value_or(workspace.driftIntervalSeconds) > 0)
        m_driftWatch->start(); // nothing when already started
    else if (m_driftWatch->isStarted())
        m_driftWatch->stop();
}

AboutDialog *MainWindow::openAbout()
{
    if (!m_aboutDialog) {
        m_aboutDialog = new AboutDialog(this);
        m_aboutDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_aboutDialog->show();
    m_aboutDialog->raise();
    m_aboutDialog->activateWindow();
    return m_aboutDialog;
}

void MainWindow::openDocumentation()
{
    // The desktop opens it (xdg-open, detached): nothing here waits for the viewer.
    if (!m_userGuide.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_userGuide));
}

void MainWindow::reviewDrift(const QString &environment)
{
    showEnvironment(environment);
    Q_EMIT diffRequested(QStringLiteral("migrations:") + environment, environment);
}

QString MainWindow::lastOutcomeText() const
{
    return m_outcome->text();
}

void MainWindow::showOutcome(const QString &text, bool ok)
{
    m_outcome->setText(text);
    m_outcome->setAccessibleName(text);
    m_outcome->setToolTip(ok ? text : tr("%1\nDetails are on the environment's card").arg(text));
    m_outcome->show();
    m_outcomeTimer.start();
}

void MainWindow::startServices(const QString &environment)
{
    requestServiceAction(environment, EnvironmentCard::ServiceAction::Start);
}

void MainWindow::stopServices(const QString &environment)
{
    requestServiceAction(environment, EnvironmentCard::ServiceAction::Stop);
}

void MainWindow::restartServices(const QString &environment)
{
    requestServiceAction(environment, EnvironmentCard::ServiceAction::Restart);
}

void MainWindow::requestServiceAction(const QString &environment,
                                      EnvironmentCard::ServiceAction action)
{
    if (EnvironmentCard *card = cardOf(environment)) {
        const EnvironmentConfig *env = m_monitor->workspace().environment(environment);
        if (env && protectionDecision(*env, ProtectedChange::Services).verdict ==
                       ProtectionVerdict::NeedsTypedName)
            showEnvironment(environment); // the question about the typed name appears here
        card->requestServiceAction(action);
    }
}

void MainWindow::checkDriftEverywhere()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const EnvironmentStatus status = m_model->statusAt(row);
        const EnvironmentConfig *env = m_monitor->workspace().environment(status.environment);
        const bool reachable =
            status.state == StatusState::Up || status.state == StatusState::Degraded;
        if (env && !env->database.url.isEmpty() && reachable)
            checkDrift(status.environment);
    }
}

void MainWindow::refreshGitBranch()
{
    if (!m_branches || m_branches->branchEnvironments().isEmpty())
        return;
    whenFinished(this, m_branches->currentGitBranch(),
                 [this](const QFuture<Result<QString>> &future) {
                     const Result<QString> branch =
                         future.resultCount() > 0 ? future.result() : Result<QString>(QString());
                     m_gitBranch = branch ? *branch : QString();
                     for (EnvironmentCard *card : std::as_const(m_cards))
                         card->setGitBranch(m_gitBranch);
                 });
}

BranchSwitcherDialog *MainWindow::openBranchSwitcher(const QString &environment)
{
    if (!m_branches)
        return nullptr;
    QPointer<BranchSwitcherDialog> &dialog = m_branchDialogs[environment];
    if (!dialog) {
        dialog = new BranchSwitcherDialog(m_branches, environment, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        rememberGeometry(dialog, QStringLiteral("branchSwitcher"));
        const QString key = QStringLiteral("branch:") + environment;
        connect(dialog, &BranchSwitcherDialog::selectionChanged, this, [this](const QString &env) {
            // Another database now: check it at once and re-read its migration status.
            m_monitor->recheckAfterAction(env);
            if (m_controller)
                m_controller->migrationStatus(env);
            if (m_driftWatch)
                m_driftWatch->invalidate(env);
            refreshGitBranch();
        });
        connect(dialog, &BranchSwitcherDialog::actionStarted, this,
                [this, key, environment](const QString &what) {
                    m_monitor->closeKeptConnections(environment);
                    if (m_driftWatch)
                        m_driftWatch->hold(environment, true);
                    beginBackgroundWork(key, what);
                });
        connect(dialog, &BranchSwitcherDialog::actionFinished, this,
                [this, environment, key](bool ok, const QString &message) {
                    endBackgroundWork(key);
                    if (m_driftWatch)
                        m_driftWatch->hold(environment, false);
                    Q_EMIT longOperationFinished(environment + (ok ? tr(": branch action finished")
                                                                   : tr(": branch action failed")),
                                                 message, ok);
                });
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

ParityView *MainWindow::openParityView()
{
    if (!m_controller)
        return nullptr;
    if (!m_parityView) {
        m_parityView = new ParityView(m_controller->workspace(), this);
        rememberGeometry(m_parityView, QStringLiteral("parity"));
        connect(m_parityView, &ParityView::diffRequested, this, &MainWindow::diffRequested);
        connect(m_parityView, &ParityView::computingChanged, this, [this](bool computing) {
            if (computing)
                beginBackgroundWork(QStringLiteral("parity"),
                                    tr("Comparing environments (parity)"));
            else
                endBackgroundWork(QStringLiteral("parity"));
        });
        connect(m_parityView, &QObject::destroyed, this,
                [this] { endBackgroundWork(QStringLiteral("parity")); });
        m_parityView->show();
        m_parityView->refresh();
    }
    m_parityView->show();
    m_parityView->raise();
    m_parityView->activateWindow();
    return m_parityView;
}

SecretsView *MainWindow::openSecretsView()
{
    if (!m_controller)
        return nullptr;
    if (!m_secretsView) {
        m_secretsView = new SecretsView(m_controller->workspace(), this);
        rememberGeometry(m_secretsView, QStringLiteral("secrets"));
    }
    m_secretsView->show();
    m_secretsView->raise();
    m_secretsView->activateWindow();
    return m_secretsView;
}

AuditView *MainWindow::openAuditView()
{
    if (!m_auditView) {
        m_auditView = new AuditView(m_monitor->workspace().environmentNames(),
                                    m_monitor->workspace().filePath, QString(), this);
        rememberGeometry(m_auditView, QStringLiteral("audit"));
        // history: database — what teammates did, as the monitor last read it.
        for (const EnvironmentStatus &status : m_monitor->statuses())
            m_auditView->setSharedHistory(status.environment, status.sharedHistory);
        connect(m_monitor, &StatusMonitor::statusChanged, m_auditView,
                [view = m_auditView](const EnvironmentStatus &status) {
                    view->setSharedHistory(status.environment, status.sharedHistory);
                });
    } else
        m_auditView->reload();
    m_auditView->show();
    m_auditView->raise();
    m_auditView->activateWindow();
    return m_auditView;
}

SettingsDialog *MainWindow::openSettings()
{
    if (!m_settingsDialog) {
        const Workspace &workspace = m_monitor->workspace();
        m_settingsDialog = new SettingsDialog(workspace.filePath, this);
        m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
        m_settingsDialog->setWorkspaceIntervals(workspace.refreshIntervalSeconds,
                                                workspace.driftIntervalSeconds);
        connect(m_settingsDialog, &SettingsDialog::intervalsChanged, this,
                &MainWindow::applyCheckIntervals);
    }
    m_settingsDialog->open();
    m_settingsDialog->raise();
    m_settingsDialog->activateWindow();
    return m_settingsDialog;
}

QMessageBox *MainWindow::quitOffer() const
{
    return m_quitOffer;
}

void MainWindow::requestQuit()
{
    if (m_quitting)
        return;
    saveSettings();
    // Only unprotected environments' services are offered: stopping a protected one needs
    // its name typed (on its card), which a quit question must not bypass.
    QList<QPair<QString, QString>> started;
    if (m_controller) {
        for (const auto &service : m_monitor->serviceController()->startedHere()) {
            const EnvironmentConfig *env = m_monitor->workspace().environment(service.first);
            if (env && protectionDecision(*env, ProtectedChange::Services).verdict ==
                           ProtectionVerdict::Allowed)
                started.append(service);
        }
    }
    if (started.isEmpty()) {
        Q_EMIT quitRequested();
        return;
    }
    if (m_quitOffer) {
        m_quitOffer->raise();
        m_quitOffer->activateWindow();
        return;
    }
    QStringList names;
    for (const auto &service : started)
        names.append(service.second + QStringLiteral(" (") + service.first + QLatin1Char(')'));
    auto *box = new QMessageBox(QMessageBox::Question, tr("Quit ParityDeck"),
                                tr("ParityDeck started %1 and it is still running. "
                                   "Stop it before quitting?")
                                    .arg(names.join(QStringLiteral(", "))),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("quitOffer"));
    box->setInformativeText(tr("Services left running keep working; the CLI and "
                               "the next ParityDeck see and control them."));
    QPushButton *stop = box->addButton(tr("&Stop and quit"), QMessageBox::AcceptRole);
    stop->setObjectName(QStringLiteral("quitStopServices"));
    QPushButton *leave =
        box->addButton(tr("&Leave running and quit"), QMessageBox::DestructiveRole);
    leave->setObjectName(QStringLiteral("quitLeaveRunning"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("quitCancel"));
    box->setDefaultButton(stop);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, stop, leave, started](QAbstractButton *b) {
                if (b == stop) {
                    stopStartedServicesThenQuit(started);
                } else if (b == leave) {
                    Q_EMIT quitRequested();
                }
            });
    m_quitOffer = box;
    // Non-modal: the window (and the tray) keep working while the user decides.
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void MainWindow::stopStartedServicesThenQuit(const QList<QPair<QString, QString>> &services)
{
    m_quitting = true;
    const QString key = QStringLiteral("quit");
    beginBackgroundWork(key, tr("Stopping %1 service(s) before quitting").arg(services.size()));
    QList<QFuture<Result<void>>> stops;
    for (const auto &service : services)
        stops.append(m_monitor->serviceController()->stopAsync(service.first, service.second));
    whenFinished(
        this, QtFuture::whenAll(stops.begin(), stops.end()),
        [this, key](const QFuture<QList<QFuture<Result<void>>>> &done) {
            endBackgroundWork(key);
            QStringList failures;
            for (const QFuture<Result<void>> &f : done.result()) {
                if (f.resultCount() > 0 && !f.result())
                    failures.append(errorText(f.result().error()));
            }
            if (failures.isEmpty()) {
                Q_EMIT quitRequested();
                return;
            }
            // Say what could not be stopped instead of quitting over it.
            m_quitting = false;
            showAndRaise();
            auto *box = new QMessageBox(
                QMessageBox::Warning, tr("Quit ParityDeck"),
                tr("Some services could not be stopped:\n%1").arg(failures.join(QLatin1Char('\n'))),
                QMessageBox::Ok, this);
            box->setObjectName(QStringLiteral("quitStopFailed"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->show();
        });
}

void MainWindow::beginBackgroundWork(const QString &key, const QString &description)
{
    for (auto &item : m_work) {
        if (item.first == key) {
            item.second = description;
            updateBackgroundWork();
            return;
        }
    }
    m_work.append({key, description});
    updateBackgroundWork();
}

void MainWindow::endBackgroundWork(const QString &key)
{
    for (qsizetype i = 0; i < m_work.size(); ++i) {
        if (m_work.at(i).first == key) {
            m_work.removeAt(i);
            updateBackgroundWork();
            return;
        }
    }
}

QString MainWindow::backgroundWorkText() const
{
    return m_workLabel->text();
}

void MainWindow::updateBackgroundWork()
{
    QString text;
    QStringList all;
    for (const auto &item : std::as_const(m_work))
        all.append(item.second);
    if (m_work.size() == 1)
        text = m_work.first().second + QStringLiteral("…");
    else if (m_work.size() > 1)
        text = tr("%1… and %2 more").arg(m_work.last().second).arg(m_work.size() - 1);
    m_workLabel->setText(text);
    m_workLabel->setToolTip(all.isEmpty() ? QString() : plainToolTip(all.join(QLatin1Char('\n'))));
    m_workLabel->setVisible(!text.isEmpty());
    m_workBar->setVisible(!text.isEmpty());
    Q_EMIT backgroundWorkChanged(text);
}

} // namespace pd::ui
