// The tray icon on a real X11 system tray (xcb under Xvfb, with trayer): it follows the
// servers, never disagrees with the window, names every environment, keeps the
// application running when the window is closed, acts on environments from their
// submenus, and notifies state changes and finished operations one message at a time.
// At login the app may start before the panel that hosts the tray: showWhenAvailable()
// waits for one (tested on a display of its own, where the tray starts later).
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "mainwindow.h"
#include "pgcluster.h"
#include "statusicons.h"
#include "traycontroller.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QMenu>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace pd;
using pd::test::PgCluster;
using pd::ui::MainWindow;
using pd::ui::TrayController;

namespace {

constexpr int kTimeoutMs = 15000;

EnvironmentConfig environmentAt(const QString &name, const QString &url)
{
    EnvironmentConfig env;
    env.name = name;
    env.database.url = url;
    env.database.connectTimeoutSeconds = 2;
    return env;
}

// Notices a quit request however it is made (QCoreApplication::quit() posts this event).
class QuitWatcher final : public QObject
{
public:
    bool quitSeen = false;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == qApp && event->type() == QEvent::Quit)
            quitSeen = true;
        return QObject::eventFilter(watched, event);
    }
};

QStringList actionTexts(const QMenu *menu)
{
    QStringList texts;
    for (const QAction *action : menu->actions())
        texts << (action->isSeparator() ? QStringLiteral("---") : action->text());
    return texts;
}

// The test binary re-run with this variable set is the app of the tray-wait test, on a
// fresh X display that has no tray yet (runTrayWaitChild()).
constexpr char kTrayWaitChild[] = "PD_TST_TRAY_WAIT_CHILD";

int childFailure(const char *what)
{
    std::fprintf(stderr, "tray-wait-child: FAIL: %s\n", what);
    return 1;
}

// Starts trayer on this process's display and waits until it owns the tray selection.
bool startTrayer(QProcess &trayer)
{
    trayer.setProgram(QStringLiteral("trayer"));
    trayer.setArguments({QStringLiteral("--edge"), QStringLiteral("top"), QStringLiteral("--align"),
                         QStringLiteral("right"), QStringLiteral("--widthtype"),
                         QStringLiteral("pixel"), QStringLiteral("--width"), QStringLiteral("120"),
                         QStringLiteral("--height"), QStringLiteral("24")});
    trayer.setProcessChannelMode(QProcess::ForwardedChannels);
    trayer.start();
    return trayer.waitForStarted(5000);
}

// The app side: no tray at first, then trayer starts; the icon must show up on its own,
// and follow the tray when it goes away and comes back. Returns the exit code.
int runTrayWaitChild()
{
    QStandardPaths::setTestModeEnabled(true);
    if (QSystemTrayIcon::isSystemTrayAvailable())
        return childFailure("the fresh display already has a system tray");
    Workspace ws;
    ws.project = QStringLiteral("login");
    ws.rootDir = QDir::tempPath();
    ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
    ws.environments = {environmentAt(QStringLiteral("dev"),
                                     QStringLiteral("postgresql://postgres@127.0.0.1:1/x"))};
    StatusMonitor monitor(ws); // never started: the tray, not the servers, is under test
    MainWindow window(&monitor);
    TrayController tray(&monitor);
    tray.attachWindow(&window);
    tray.setTrayWatchIntervals(200, 5, 600, 600);
    QSignalSpy availability(&tray, &TrayController::systemTrayAvailabilityChanged);

    tray.showWhenAvailable();
    if (tray.isVisible() || !tray.isWaitingForTray())
        return childFailure("without a tray the icon must wait, not be shown");
    if (window.closeToTray())
        return childFailure("without a tray closing the window must not hide it");
    window.showOnLaunch(tray.isVisible());
    if (!QTest::qWaitForWindowExposed(&window))
        return childFailure("the window did not appear while waiting for a tray");

    // Waiting never blocks: a 20 ms timer keeps ticking through several tray checks.
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
    ticker.start(20);
    QTest::qWait(1500); // five fast checks, then slow ones
    ticker.stop();
    if (ticks < 25)
        return childFailure("the event loop was blocked while waiting for a tray");
    if (tray.isVisible() || !tray.isWaitingForTray() || !availability.isEmpty())
        return childFailure("the icon appeared with no tray");

    QProcess trayer;
    if (!startTrayer(trayer))
        return childFailure("trayer did not start");
    QElapsedTimer appeared;
    appeared.start();
    if (!QTest::qWaitFor([&] { return tray.isVisible(); }, 10000))
        return childFailure("the icon was not shown after the tray appeared");
    std::printf("tray-wait-child: icon shown %lld ms after trayer started\n",
                static_cast<long long>(appeared.elapsed()));
    if (tray.isWaitingForTray() || !window.closeToTray())
        return childFailure("with the icon shown, closing the window must hide it to the tray");
    if (availability.size() != 1 || !availability.first().first().toBool())
        return childFailure("the tray's arrival was not signalled once");
    // Docked for real: the icon has a place in trayer's window.
    if (!QTest::qWaitFor([&] { return !tray.trayIcon()->geometry().isEmpty(); }, 5000))
        return childFailure("the icon is not docked in the tray");

    // The panel crashes: close-to-tray goes off, and the icon docks again when it is back.
    trayer.kill();
    trayer.waitForFinished(5000);
    if (!QTest::qWaitFor([&] { return !window.closeToTray() && tray.isWaitingForTray(); }, 5000))
        return childFailure("a vanished tray left close-to-tray on");
    QProcess trayerAgain;
    if (!startTrayer(trayerAgain))
        return childFailure("trayer did not start again");
    if (!QTest::qWaitFor([&] { return window.closeToTray() && !tray.isWaitingForTray(); }, 10000))
        return childFailure("the icon did not come back with the tray");
    if (!QTest::qWaitFor([&] { return !tray.trayIcon()->geometry().isEmpty(); }, 5000))
        return childFailure("the icon is not docked in the restarted tray");
    if (availability.size() != 3)
        return childFailure("expected three availability changes (up, down, up)");

    // Docked, the watch looks only now and then; closing the window looks at once, so a
    // tray that has just gone never gets the window hidden into it.
    tray.setTrayWatchIntervals(200, 5, 600, 3600 * 1000);
    QTest::qWait(800); // the watch's next look is now an hour away
    QSignalSpy quit(&window, &MainWindow::quitRequested);
    trayerAgain.kill();
    trayerAgain.waitForFinished(5000);
    QTest::qWait(300); // the X server's word that the tray window is gone
    if (!window.closeToTray())
        return childFailure("the docked watch looked again within the hour");
    window.close();
    if (window.closeToTray() || quit.size() != 1)
        return childFailure("closing the window right after the tray went hid it to no tray");
    tray.setTrayWatchIntervals(200, 5, 600, 600);
    QProcess trayerThird;
    if (!startTrayer(trayerThird))
        return childFailure("trayer did not start a third time");
    if (!QTest::qWaitFor([&] { return window.closeToTray() && !tray.isWaitingForTray(); }, 10000))
        return childFailure("the icon did not come back with the third tray");

    // hide() ends the watch: a later tray does not bring the icon back.
    tray.hide();
    trayerThird.kill();
    trayerThird.waitForFinished(5000);
    if (tray.isVisible() || tray.isWaitingForTray())
        return childFailure("hide() must stop waiting for a tray");
    window.hide();
    std::printf("tray-wait-child: ok\n");
    return 0;
}

} // namespace

class TestTray final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSystemTrayIcon::isSystemTrayAvailable()) {
            if (qgetenv("PARITYDECK_REQUIRE_TRAY") == "1")
                QFAIL("no system tray on this display, and PARITYDECK_REQUIRE_TRAY=1");
            QSKIP("no system tray on this display (run under scripts/test, which starts trayer)");
        }
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
        QVERIFY2(m_dev.start().ok(), qPrintable(m_dev.serverLog()));
        QVERIFY2(m_prod.start().ok(), qPrintable(m_prod.serverLog()));
    }

    void trayIconsDifferPerState()
    {
        // The badge is drawn, and each state has its own picture (shape and colour).
        const QImage up = ui::renderTrayImage(StatusState::Up, 32);
        const QImage down = ui::renderTrayImage(StatusState::Down, 32);
        const QImage error = ui::renderTrayImage(StatusState::Error, 32);
        const QImage unknown = ui::renderTrayImage(StatusState::Unknown, 32);
        const QImage attention = ui::renderTrayImage(StatusState::Attention, 32);
        QCOMPARE(up.size(), QSize(32, 32));
        QVERIFY(attention != up);
        QVERIFY(attention != ui::renderTrayImage(StatusState::Degraded, 32));
        QVERIFY(up != down);
        QVERIFY(down != error);
        QVERIFY(error != unknown);
        // Crisp at scale 2: a real 64 px rendering exists for a 32 px request.
        const QIcon icon = ui::trayIcon(StatusState::Up);
        QVERIFY(icon.availableSizes().contains(QSize(64, 64)));
        QVERIFY(icon.availableSizes().contains(QSize(16, 16)));
    }

    void trayFollowsServersAndAgreesWithTheWindow()
    {
        StatusMonitor monitor(workspace());
        monitor.setIntervalMs(300);
        MainWindow window(&monitor);
        TrayController tray(&monitor);
        tray.attachWindow(&window);
        tray.show();
        QVERIFY(window.closeToTray());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // Every time the tray changes its icon, the window already shows the same state.
        int disagreements = 0;
        int changes = 0;
        connect(&tray, &TrayController::trayStateChanged, this, [&](const QString &state) {
            ++changes;
            if (state != statusStateName(window.aggregateState()))
                ++disagreements;
        });

        QCOMPARE(tray.property("trayState").toString(), QStringLiteral("unknown"));
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("up"),
                                  kTimeoutMs);
        QCOMPARE(tray.currentState(), StatusState::Up);
        QCOMPARE(tray.currentState(), window.aggregateState());
        QVERIFY(tray.isVisible());
        QVERIFY(!tray.trayIcon()->icon().isNull());
        QTRY_COMPARE(tray.toolTip(), QStringLiteral("ParityDeck — dev: Up, prod: Up"));

        const QStringList upMenu = actionTexts(tray.contextMenu());
        QCOMPARE(upMenu, (QStringList{QStringLiteral("dev — Up"), QStringLiteral("prod — Up"),
                                      QStringLiteral("---"), QStringLiteral("Refresh all"),
                                      QStringLiteral("Check drift"), QStringLiteral("---"),
                                      QStringLiteral("Show window"), QStringLiteral("Quit")}));

        QVERIFY(m_prod.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("down"),
                                  kTimeoutMs);
        QCOMPARE(tray.currentState(), StatusState::Down);
        QCOMPARE(window.aggregateState(), StatusState::Down);
        QCOMPARE(monitor.aggregate(), StatusState::Down);
        const QString tip = tray.toolTip();
        // Only what is not in order is named.
        QVERIFY2(tip.startsWith(QStringLiteral("ParityDeck — prod: Down (")), qPrintable(tip));
        QVERIFY2(!tip.contains(QStringLiteral("dev:")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("refused")), qPrintable(tip));
        QVERIFY(actionTexts(tray.contextMenu()).contains(QStringLiteral("prod — Down")));
        QVERIFY(tray.contextMenu()
                    ->findChild<QAction *>(QStringLiteral("trayEnv-prod"))
                    ->toolTip()
                    .contains(QStringLiteral("refused")));

        QVERIFY2(m_prod.restart().ok(), qPrintable(m_prod.serverLog()));
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("up"),
                                  kTimeoutMs);
        QCOMPARE(disagreements, 0);
        QVERIFY(changes >= 3); // unknown → up → down → up
    }

    void closingTheWindowKeepsTrayAndApplication()
    {
        StatusMonitor monitor(workspace());
        monitor.setIntervalMs(300);
        MainWindow window(&monitor);
        TrayController tray(&monitor);
        tray.attachWindow(&window);
        tray.show();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("up"),
                                  kTimeoutMs);

        QuitWatcher quitWatcher;
        qApp->installEventFilter(&quitWatcher);
        QSignalSpy windowQuit(&window, &MainWindow::quitRequested);
        QSignalSpy trayQuit(&tray, &TrayController::quitRequested);
        QSignalSpy lastClosed(qApp, &QGuiApplication::lastWindowClosed);

        window.close();
        QTRY_VERIFY(!window.isVisible());
        QTest::qWait(200); // let a (wrong) quit event arrive if one was posted
        QVERIFY(tray.isVisible());
        QCOMPARE(windowQuit.size(), 0);
        QCOMPARE(trayQuit.size(), 0);
        QVERIFY(!quitWatcher.quitSeen);
        QCOMPARE(lastClosed.size(), 0);
        // Still watching: a stopped server still reaches the tray with the window hidden.
        QVERIFY(m_prod.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("down"),
                                  kTimeoutMs);
        QVERIFY2(m_prod.restart().ok(), qPrintable(m_prod.serverLog()));

        // "Show window" brings it back; "Quit" asks the application to quit.
        QAction *show = tray.contextMenu()->findChild<QAction *>(QStringLiteral("trayShowWindow"));
        QVERIFY(show);
        show->trigger();
        QTRY_VERIFY(window.isVisible());
        QAction *quit = tray.contextMenu()->findChild<QAction *>(QStringLiteral("trayQuit"));
        QVERIFY(quit);
        quit->trigger();
        QCOMPARE(trayQuit.size(), 1);
        qApp->removeEventFilter(&quitWatcher);
    }

    void attentionReachesIconTooltipMenuAndStatusBarAndDriftIsNotifiedOnce()
    {
        StatusMonitor monitor(workspace());
        monitor.setIntervalMs(300);
        EnvironmentController controller(&monitor);
        MainWindow window(&monitor, &controller);
        TrayController tray(&monitor);
        tray.setNotificationsEnabled(true);
        tray.attachWindow(&window);
        tray.show();
        window.show();
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("up"),
                                  kTimeoutMs);
        QSignalSpy notified(&tray, &TrayController::notificationShown);

        // What the controller and the drift watch publish: dev one migration behind, prod
        // with two hand-made objects.
        SchemaFacts behind;
        behind.known = true;
        behind.head = QStringLiteral("0003");
        behind.pending = 1;
        monitor.setSchemaFacts(QStringLiteral("dev"), behind);
        DriftStatus drifted;
        drifted.state = DriftStatus::State::Drifted;
        drifted.objects = 2;
        drifted.summary = QStringLiteral("2 changed");
        drifted.checkedAt = QDateTime::currentDateTimeUtc();
        monitor.setDrift(QStringLiteral("prod"), drifted);

        QTRY_COMPARE(tray.property("trayState").toString(), QStringLiteral("attention"));
        QCOMPARE(tray.currentState(), window.aggregateState());
        QCOMPARE(tray.toolTip(),
                 QStringLiteral("ParityDeck — dev: 1 pending migration · prod: drift, 2 objects"));
        QCOMPARE(
            window.summaryText(),
            QStringLiteral("Needs attention — dev: 1 pending migration · prod: drift, 2 objects"));
        const QStringList menu = actionTexts(tray.contextMenu());
        QCOMPARE(menu.mid(0, 2), (QStringList{QStringLiteral("dev — 1 pending migration"),
                                              QStringLiteral("prod — drift, 2 objects")}));
        auto *prodState =
            tray.contextMenu()->findChild<QAction *>(QStringLiteral("trayEnvState-prod"));
        QVERIFY(prodState);
        QCOMPARE(prodState->text(), QStringLiteral("Needs attention: drift, 2 objects"));

        // Drift appearing is news, once; a re-check with the same answer is not.
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, kTimeoutMs);
        QCOMPARE(tray.lastNotificationTitle(), QStringLiteral("prod: drift, 2 objects"));
        DriftStatus checking = drifted;
        checking.checking = true;
        monitor.setDrift(QStringLiteral("prod"), checking);
        drifted.checkedAt = drifted.checkedAt.addSecs(1);
        monitor.setDrift(QStringLiteral("prod"), drifted);
        QTest::qWait(500);
        QCOMPARE(notified.size(), 1);
        // Clicking it opens the review of prod's drift.
        QSignalSpy diff(&window, &MainWindow::diffRequested);
        Q_EMIT tray.trayIcon()->messageClicked();
        QCOMPARE(diff.size(), 1);
        QCOMPARE(diff.first(),
                 (QList<QVariant>{QStringLiteral("migrations:prod"), QStringLiteral("prod")}));

        // The next launch shows the same drift from its records at once: told already, so
        // not news again (a new tray knows nothing of what this one told: only the
        // settings do). Another drift is news.
        {
            TrayController relaunched(&monitor);
            relaunched.setNotificationsEnabled(true);
            relaunched.show();
            QSignalSpy again(&relaunched, &TrayController::notificationShown);
            SchemaFacts prodBehind;
            prodBehind.known = true;
            prodBehind.head = QStringLiteral("0003");
            prodBehind.pending = 1;
            monitor.setSchemaFacts(QStringLiteral("prod"), prodBehind); // news, same drift
            QTRY_VERIFY2(
                tray.toolTip().contains(QLatin1String("prod: drift, 2 objects, 1 pending")),
                qPrintable(tray.toolTip()));
            QTest::qWait(500);
            QCOMPARE(again.size(), 0);
            monitor.setSchemaFacts(QStringLiteral("prod"), SchemaFacts{});
        }
        {
            TrayController relaunched(&monitor);
            relaunched.setNotificationsEnabled(true);
            relaunched.show();
            QSignalSpy again(&relaunched, &TrayController::notificationShown);
            DriftStatus more = drifted;
            more.objects = 3;
            more.summary = QStringLiteral("3 changed");
            monitor.setDrift(QStringLiteral("prod"), more);
            QTRY_COMPARE_WITH_TIMEOUT(again.size(), 1, kTimeoutMs);
            QCOMPARE(relaunched.lastNotificationTitle(), QStringLiteral("prod: drift, 3 objects"));
            monitor.setDrift(QStringLiteral("prod"), drifted);
        }

        // Refresh all from the tray's menu checks every environment.
        QSignalSpy busy(&monitor, &StatusMonitor::busyChanged);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.checksInFlight(), 0, kTimeoutMs);
        tray.contextMenu()->findChild<QAction *>(QStringLiteral("trayRefreshAll"))->trigger();
        QCOMPARE(monitor.checksInFlight(), 2);
        QVERIFY(tray.contextMenu()->findChild<QAction *>(QStringLiteral("trayCheckDrift")));

        // Back in order: the tooltip lists every environment again.
        monitor.setSchemaFacts(QStringLiteral("dev"), SchemaFacts{});
        DriftStatus none;
        none.state = DriftStatus::State::None;
        none.checkedAt = QDateTime::currentDateTimeUtc();
        monitor.setDrift(QStringLiteral("prod"), none);
        QTRY_COMPARE(tray.property("trayState").toString(), QStringLiteral("up"));
        QCOMPARE(tray.toolTip(), QStringLiteral("ParityDeck — dev: Up, prod: Up"));
    }

    // The panel's own Start/Stop is said in its status bar; only a change from outside is
    // a notification.
    void ownActionsAreNotNotified()
    {
        StatusMonitor monitor(workspace());
        monitor.setIntervalMs(300);
        EnvironmentController controller(&monitor);
        MainWindow window(&monitor, &controller);
        TrayController tray(&monitor);
        tray.setNotificationsEnabled(true);
        tray.attachWindow(&window);
        tray.show();
        window.show();
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("up"),
                                  kTimeoutMs);
        QSignalSpy notified(&tray, &TrayController::notificationShown);
        // An operation of the window on prod (refused: prod is protected), and the server
        // going down while it is fresh: caused here as far as the tray can tell.
        auto applied = controller.applyMigrations(QStringLiteral("prod"), MigrationRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(applied.isFinished(), kTimeoutMs);
        QVERIFY(m_prod.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).state, StatusState::Down,
                                  kTimeoutMs);
        // The tray's Apply on a down environment is off and says why (it stayed enabled).
        auto *applyAction =
            tray.contextMenu()->findChild<QAction *>(QStringLiteral("trayEnvApply-prod"));
        QVERIFY(applyAction);
        QTRY_VERIFY_WITH_TIMEOUT(!applyAction->isEnabled(), kTimeoutMs);
        QCOMPARE(applyAction->toolTip(), QStringLiteral("prod is down: start it first."));
        QTest::qWait(500);
        QCOMPARE(notified.size(), 0);
        QVERIFY2(m_prod.restart().ok(), qPrintable(m_prod.serverLog()));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).state, StatusState::Up,
                                  kTimeoutMs);
    }

    void submenusActOnEnvironmentsAndNotificationsReplaceEachOther()
    {
        QTemporaryDir root; // no migrations folder: the plans cannot be read
        Workspace ws = workspace();
        ws.rootDir = root.path();
        ws.filePath = root.filePath(QStringLiteral("paritydeck.yaml"));
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(300);
        EnvironmentController controller(&monitor);
        MainWindow window(&monitor, &controller);
        TrayController tray(&monitor);
        tray.setNotificationsEnabled(true);
        tray.attachWindow(&window);
        tray.show();
        window.show();
        monitor.start();
        controller.refreshAll();
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("up"),
                                  kTimeoutMs);
        // The first results are no change: nothing notified yet.
        QCOMPARE(tray.notificationCount(), 0);

        // One submenu per environment: its state, Show, Start, Stop, Restart, Apply.
        auto *sub = tray.contextMenu()->findChild<QMenu *>(QStringLiteral("trayMenu-prod"));
        QVERIFY(sub);
        QCOMPARE(
            actionTexts(sub),
            (QStringList{QStringLiteral("Up"), QStringLiteral("Show in window"),
                         QStringLiteral("---"), QStringLiteral("Start"), QStringLiteral("Stop"),
                         QStringLiteral("Restart"), QStringLiteral("Apply pending migrations…")}));
        auto *start = sub->findChild<QAction *>(QStringLiteral("trayEnvStart-prod"));
        auto *restart = sub->findChild<QAction *>(QStringLiteral("trayEnvRestart-prod"));
        auto *apply = sub->findChild<QAction *>(QStringLiteral("trayEnvApply-prod"));
        QVERIFY(start && restart && apply);
        QVERIFY(!start->isEnabled());
        // The card's words: core's action policy decides both.
        QCOMPARE(start->toolTip(),
                 QStringLiteral(
                     "No services are configured for prod (\"services:\" in paritydeck.yaml)."));
        QVERIFY(!restart->isEnabled());
        QCOMPARE(restart->toolTip(), start->toolTip());
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isPlanLoading(QStringLiteral("prod")), kTimeoutMs);
        QVERIFY(!apply->isEnabled());
        // Why, in the card's words: here the workspace has no migrations folder.
        QVERIFY2(apply->toolTip().startsWith(
                     QStringLiteral("The migration status of prod could not be read: "
                                    "the migrations folder")),
                 qPrintable(apply->toolTip()));
        window.hide();
        sub->findChild<QAction *>(QStringLiteral("trayEnvShow-prod"))->trigger();
        QTRY_VERIFY(window.isVisible());

        // A state change is notified once, with the reason.
        QSignalSpy notified(&tray, &TrayController::notificationShown);
        QVERIFY(m_prod.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, kTimeoutMs);
        QCOMPARE(tray.lastNotificationTitle(), QStringLiteral("prod is Down"));
        QVERIFY2(tray.lastNotificationMessage().contains(QStringLiteral("refused")),
                 qPrintable(tray.lastNotificationMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(sub->findChild<QAction *>(QStringLiteral("trayEnvState-prod"))
                                     ->text()
                                     .startsWith(QStringLiteral("Down: ")),
                                 kTimeoutMs);
        QTest::qWait(1500); // more checks of the stopped server: no repeated notification
        QCOMPARE(notified.size(), 1);
        QVERIFY2(m_prod.restart().ok(), qPrintable(m_prod.serverLog()));
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 2, kTimeoutMs);
        QCOMPARE(tray.lastNotificationTitle(), QStringLiteral("prod is Up"));

        // What the user started in the window ends in its status bar, not in a notification:
        // here a refused apply on protected prod.
        auto refused = controller.applyMigrations(QStringLiteral("prod"), MigrationRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(refused.isFinished(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(window.lastOutcomeText(),
                                  QStringLiteral("prod: Applying migrations failed"), kTimeoutMs);
        QTest::qWait(400);
        QCOMPARE(notified.size(), 2);
        // With the window hidden (an action from the tray's menu), the end is notified.
        window.hide();
        auto refusedAgain = controller.applyMigrations(QStringLiteral("prod"), MigrationRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(refusedAgain.isFinished(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 3, kTimeoutMs);
        QCOMPARE(tray.lastNotificationTitle(), QStringLiteral("prod: Applying migrations failed"));
        QVERIFY(!tray.lastNotificationMessage().isEmpty());

        // Several at once become one message, not a stack — each named, never a count.
        tray.notify(QStringLiteral("a"), QStringLiteral("first"));
        tray.notify(QStringLiteral("b"), QStringLiteral("second"));
        QTRY_COMPARE(notified.size(), 4);
        QTest::qWait(400);
        QCOMPARE(notified.size(), 4);
        QCOMPARE(tray.lastNotificationTitle(), QStringLiteral("a · b"));
        QCOMPARE(tray.lastNotificationMessage(), QStringLiteral("first\nsecond"));

        // One kind of event turned off in Settings: that kind is not shown, others are.
        ui::setNotifyEventEnabled(ui::NotifyEvent::EnvironmentDown, false);
        tray.notify(QStringLiteral("prod is Down"), QStringLiteral("off"), true,
                    ui::NotifyEvent::EnvironmentDown);
        QTest::qWait(400);
        QCOMPARE(notified.size(), 4);
        tray.notify(QStringLiteral("prod: drift, 2 objects"), QStringLiteral("on"), true,
                    ui::NotifyEvent::DriftAppeared);
        QTRY_COMPARE(notified.size(), 5);
        ui::setNotifyEventEnabled(ui::NotifyEvent::EnvironmentDown, true);

        // Turned off: nothing shown.
        tray.setNotificationsEnabled(false);
        tray.notify(QStringLiteral("c"), QStringLiteral("third"));
        QTest::qWait(400);
        QCOMPARE(notified.size(), 5);
    }

    // Last: it runs the application's event loop to its end, as main() does.
    void showWhenAvailableWaitsForATrayThatStartsLater()
    {
        // A display of its own, without a tray, for the same binary in child mode.
        const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        const QString trayer = QStandardPaths::findExecutable(QStringLiteral("trayer"));
        if (xvfb.isEmpty() || trayer.isEmpty()) {
            if (qgetenv("PARITYDECK_REQUIRE_TRAY") == "1")
                QFAIL("Xvfb and trayer are needed (scripts/setup installs them)");
            QSKIP("Xvfb or trayer is not installed");
        }
        QProcess server;
        server.setProcessChannelMode(QProcess::SeparateChannels);
        // -displayfd 1: the server picks a free display and writes its number to stdout.
        server.start(xvfb,
                     {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                      QStringLiteral("0"), QStringLiteral("800x600x24"),
                      QStringLiteral("-nolisten"), QStringLiteral("tcp"), QStringLiteral("-ac")});
        QVERIFY(server.waitForStarted(5000));
        QByteArray number;
        QElapsedTimer clock;
        clock.start();
        while (!number.endsWith('\n') && clock.elapsed() < 15000) {
            if (server.waitForReadyRead(500))
                number += server.readAllStandardOutput();
            QVERIFY2(server.state() == QProcess::Running,
                     server.readAllStandardError().constData());
        }
        number = number.trimmed();
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d+$"))
                     .match(QString::fromLatin1(number))
                     .hasMatch(),
                 number.constData());

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DISPLAY"), QLatin1Char(':') + QString::fromLatin1(number));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QString::fromLatin1(kTrayWaitChild), QStringLiteral("1"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        // No session bus: the icon must take the X11 tray, not a StatusNotifier host.
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted(5000));
        const bool finished = child.waitForFinished(90000);
        const QByteArray output = child.readAll();
        server.terminate();
        server.waitForFinished(5000);
        QVERIFY2(finished, output.constData());
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
                 output.constData());
        QVERIFY2(output.contains("tray-wait-child: ok"), output.constData());
        qInfo("%s", output.trimmed().constData());
    }

    void quittingIsNotVetoedByTheWindowThatHidesToTray()
    {
        StatusMonitor monitor(workspace());
        MainWindow window(&monitor);
        TrayController tray(&monitor);
        tray.attachWindow(&window);
        tray.show();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.closeToTray());

        // Qt may close every window before quitting and give up if one refuses; a window
        // that ignored its close event to stay in the tray could make "Quit" do nothing.
        QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        QTimer::singleShot(5000, qApp, [] { QCoreApplication::exit(1); }); // the vetoed case
        QCOMPARE(QApplication::exec(), 0);
        QVERIFY(!window.isVisible());
    }

private:
    Workspace workspace() const
    {
        Workspace ws;
        ws.project = QStringLiteral("podcast");
        ws.rootDir = QDir::tempPath();
        ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
        ws.environments = {environmentAt(QStringLiteral("dev"), m_dev.url()),
                           environmentAt(QStringLiteral("prod"), m_prod.url())};
        ws.environments[1].protection = Protection::Confirm;
        return ws;
    }

    PgCluster m_dev;
    PgCluster m_prod;
};

// Like QTEST_MAIN, except that without any display the test reports "no tray" (a skip, or a
// failure with PARITYDECK_REQUIRE_TRAY=1) instead of aborting inside QApplication.
int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kTrayWaitChild))
        return runTrayWaitChild();
    QTEST_SET_MAIN_SOURCE_PATH
    TestTray test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_tray.moc"
