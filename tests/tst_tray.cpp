// The tray icon on a real X11 system tray (xcb under Xvfb, with trayer): it follows the
// servers, never disagrees with the window, names every environment, keeps the
// application running when the window is closed, acts on environments from their
// submenus, and notifies state changes and finished operations one message at a time.
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "mainwindow.h"
#include "pgcluster.h"
#include "statusicons.h"
#include "traycontroller.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

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
        QCOMPARE(up.size(), QSize(32, 32));
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
                                      QStringLiteral("---"), QStringLiteral("Show window"),
                                      QStringLiteral("Quit")}));

        QVERIFY(m_prod.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(tray.property("trayState").toString(), QStringLiteral("down"),
                                  kTimeoutMs);
        QCOMPARE(tray.currentState(), StatusState::Down);
        QCOMPARE(window.aggregateState(), StatusState::Down);
        QCOMPARE(monitor.aggregate(), StatusState::Down);
        const QString tip = tray.toolTip();
        QVERIFY2(tip.contains(QStringLiteral("dev: Up")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("prod: Down (")), qPrintable(tip));
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

        // One submenu per environment: its state, Show, Start, Stop, Apply.
        auto *sub = tray.contextMenu()->findChild<QMenu *>(QStringLiteral("trayMenu-prod"));
        QVERIFY(sub);
        QCOMPARE(actionTexts(sub),
                 (QStringList{QStringLiteral("Up"), QStringLiteral("Show in window"),
                              QStringLiteral("---"), QStringLiteral("Start"), QStringLiteral("Stop"),
                              QStringLiteral("Apply pending migrations…")}));
        auto *start = sub->findChild<QAction *>(QStringLiteral("trayEnvStart-prod"));
        auto *apply = sub->findChild<QAction *>(QStringLiteral("trayEnvApply-prod"));
        QVERIFY(start && apply);
        QVERIFY(!start->isEnabled());
        QCOMPARE(start->toolTip(), QStringLiteral("No services are configured."));
        QTRY_VERIFY_WITH_TIMEOUT(!controller.isPlanLoading(QStringLiteral("prod")), kTimeoutMs);
        QVERIFY(!apply->isEnabled());
        QCOMPARE(apply->toolTip(), QStringLiteral("The migration status is not known."));
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

        // A long operation's end is notified too: here a refused apply on protected prod.
        auto refused = controller.applyMigrations(QStringLiteral("prod"), MigrationRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(refused.isFinished(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 3, kTimeoutMs);
        QCOMPARE(tray.lastNotificationTitle(), QStringLiteral("prod: Applying migrations failed"));
        QVERIFY(!tray.lastNotificationMessage().isEmpty());

        // Several at once become one message, not a stack.
        tray.notify(QStringLiteral("a"), QStringLiteral("first"));
        tray.notify(QStringLiteral("b"), QStringLiteral("second"));
        QTRY_COMPARE(notified.size(), 4);
        QTest::qWait(400);
        QCOMPARE(notified.size(), 4);
        QCOMPARE(tray.lastNotificationTitle(), QStringLiteral("ParityDeck: 2 changes"));
        QCOMPARE(tray.lastNotificationMessage(), QStringLiteral("a\nb"));

        // Turned off: nothing shown.
        tray.setNotificationsEnabled(false);
        tray.notify(QStringLiteral("c"), QStringLiteral("third"));
        QTest::qWait(400);
        QCOMPARE(notified.size(), 4);
    }

    // Last: it runs the application's event loop to its end, as main() does.
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
    QTEST_SET_MAIN_SOURCE_PATH
    TestTray test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_tray.moc"
