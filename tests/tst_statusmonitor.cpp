// The status monitor against real servers: statuses follow the server, a hanging server
// delays nobody, a wrong or missing password is an error that never reaches the log;
// services combine with the database (degraded, down), a down environment is polled less
// often, and a change is reported only once it held for the de-flap window.
#include "common/detachedwork.h"
#include "common/logging.h"
#include "environment/environmentcontroller.h"
#include "environment/environmentprobe.h"
#include "environment/statusmonitor.h"
#include "hangingserver.h"
#include "metacallcounter.h"
#include "pgcluster.h"
#include "refusingport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace pd;
using pd::test::MetaCallCounter;
using pd::test::PgCluster;

namespace {

EnvironmentConfig environmentAt(const QString &name, const QString &url, int connectTimeout = 2)
{
    EnvironmentConfig env;
    env.name = name;
    env.database.url = url;
    env.database.connectTimeoutSeconds = connectTimeout;
    env.database.statementTimeoutSeconds = 5;
    return env;
}

Workspace workspaceOf(const QList<EnvironmentConfig> &environments)
{
    Workspace ws;
    ws.project = QStringLiteral("monitor-test");
    ws.rootDir = QDir::tempPath();
    ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
    ws.environments = environments;
    return ws;
}

// A command-pair service watched by a tcp probe (start/stop are never run by these tests).
ServiceConfig tcpService(const QString &name, quint16 port)
{
    ServiceConfig s;
    s.name = name;
    s.start = QStringLiteral("true");
    s.stop = QStringLiteral("true");
    s.health.kind = HealthProbeConfig::Kind::Tcp;
    s.health.target = QStringLiteral("127.0.0.1:%1").arg(port);
    s.health.timeoutSeconds = 2;
    return s;
}

// An environment without a database, judged by one tcp-probed service "cache" on `port`.
EnvironmentConfig cacheOnlyEnvironment(const QString &name, quint16 port)
{
    EnvironmentConfig env;
    env.name = name;
    env.services = {tcpService(QStringLiteral("cache"), port)};
    return env;
}

} // namespace

class TestStatusMonitor final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_state;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_state.isValid());
        // Service records of these tests stay in a temporary state dir.
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
    }

    // A secret of the environment that cannot be read makes it need attention in the
    // panel too (the CLI's status reads them itself); named with its reference, no value.
    void anUnreadableSecretNeedsAttention()
    {
        PgCluster dev;
        QVERIFY2(dev.start().ok(), qPrintable(dev.serverLog()));
        EnvironmentConfig env = environmentAt(QStringLiteral("dev"), dev.url());
        const auto missing = SecretRef::parse(QStringLiteral("env:PD_TEST_MONITOR_API_TOKEN"));
        const auto present = SecretRef::parse(QStringLiteral("env:PD_TEST_MONITOR_PRESENT"));
        QVERIFY(missing && present);
        env.secrets.insert(QStringLiteral("api"), *missing);
        env.secrets.insert(QStringLiteral("other"), *present);
        qunsetenv("PD_TEST_MONITOR_API_TOKEN");
        qputenv("PD_TEST_MONITOR_PRESENT", "value-never-shown");
        StatusMonitor monitor(workspaceOf({env}));
        monitor.setIntervalMs(200);
        monitor.start();
        const QStringList expected{unreadableSecretLabel(QStringLiteral("api"), *missing)};
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).unreadableSecrets, expected,
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  10000);
        const EnvironmentStatus dev1 = monitor.status(QStringLiteral("dev"));
        QCOMPARE(shownState(dev1), StatusState::Attention);
        QVERIFY(!problemLine(dev1).contains(QLatin1String("value-never-shown")));
        QVERIFY2(problemLine(dev1).contains(QLatin1String("api")), qPrintable(problemLine(dev1)));
        // Routine checks keep it; once it can be read, Refresh clears it.
        QTest::qWait(500);
        QCOMPARE(monitor.status(QStringLiteral("dev")).unreadableSecrets, expected);
        qputenv("PD_TEST_MONITOR_API_TOKEN", "now-set");
        monitor.refreshAll();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).unreadableSecrets.isEmpty(),
                                 10000);
        QCOMPARE(shownState(monitor.status(QStringLiteral("dev"))), StatusState::Up);
        qunsetenv("PD_TEST_MONITOR_API_TOKEN");
        qunsetenv("PD_TEST_MONITOR_PRESENT");
    }

    void statusFollowsTheServer()
    {
        PgCluster dev, staging;
        QVERIFY2(dev.start().ok(), qPrintable(dev.serverLog()));
        QVERIFY2(staging.start().ok(), qPrintable(staging.serverLog()));

        StatusMonitor monitor(
            workspaceOf({environmentAt(QStringLiteral("dev"), dev.url()),
                         environmentAt(QStringLiteral("staging"), staging.url())}));
        QSignalSpy aggregateSpy(&monitor, &StatusMonitor::aggregateChanged);
        monitor.setIntervalMs(200);
        QCOMPARE(monitor.status(QStringLiteral("dev")).state, StatusState::Unknown);
        QCOMPARE(monitor.aggregate(), StatusState::Unknown);
        monitor.start();

        QTRY_COMPARE_WITH_TIMEOUT(monitor.aggregate(), StatusState::Up, 10000);
        const EnvironmentStatus up = monitor.status(QStringLiteral("staging"));
        QVERIFY2(up.serverVersion.startsWith(QStringLiteral("15.")), qPrintable(up.serverVersion));
        QVERIFY(up.databaseSizeBytes > 1000000);
        QVERIFY(up.checkedAt.isValid());
        QVERIFY(up.reason.isEmpty());

        QVERIFY(staging.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("staging")).state,
                                  StatusState::Down, 10000);
        const EnvironmentStatus down = monitor.status(QStringLiteral("staging"));
        QVERIFY2(down.reason.contains(
                     QStringLiteral("connection refused at 127.0.0.1:%1").arg(staging.port())),
                 qPrintable(down.reason));
        QCOMPARE(monitor.status(QStringLiteral("dev")).state, StatusState::Up);
        QCOMPARE(monitor.aggregate(), StatusState::Down);
        QVERIFY(!aggregateSpy.isEmpty());
        QCOMPARE(aggregateSpy.last().at(0).value<StatusState>(), StatusState::Down);

        QVERIFY(staging.restart().ok());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.aggregate(), StatusState::Up, 10000);
    }

    void onlyNewsReachTheSummaries()
    {
        // Every check is reported (statusChanged), but factsChanged only when the status
        // says something new: the time and latency of a check are not news.
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        StatusMonitor monitor(workspaceOf({environmentAt(QStringLiteral("dev"), server.url())}));
        monitor.setIntervalMs(150);
        QSignalSpy checks(&monitor, &StatusMonitor::statusChanged);
        QSignalSpy news(&monitor, &StatusMonitor::factsChanged);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  10000);
        QCOMPARE(news.count(), 1);
        const int before = checks.count();
        QTRY_VERIFY_WITH_TIMEOUT(checks.count() >= before + 4, 10000);
        QCOMPARE(news.count(), 1);
        QVERIFY(monitor.status(QStringLiteral("dev")).checkedAt >
                news.first().at(0).value<EnvironmentStatus>().checkedAt);

        // The time, latency and last-seen time of a check are all that may differ; any
        // other field is news, the team's shared history included.
        const EnvironmentStatus seen = monitor.status(QStringLiteral("dev"));
        EnvironmentStatus later = seen;
        later.checkedAt = seen.checkedAt.addSecs(5);
        later.latencyMs = seen.latencyMs + 3;
        later.lastSeenAt = later.checkedAt;
        QVERIFY(sameFactsShown(seen, later));
        EnvironmentStatus never = seen;
        never.checkedAt = QDateTime();
        QVERIFY(!sameFactsShown(seen, never));
        SharedHistoryEntry applied;
        applied.who = QStringLiteral("ana@laptop");
        applied.kind = QStringLiteral("migration");
        applied.what = QStringLiteral("0042_add_search");
        later.sharedHistory.append(applied);
        QVERIFY(!sameFactsShown(seen, later));

        // Drift learnt elsewhere is news, once.
        DriftStatus drift;
        drift.state = DriftStatus::State::Drifted;
        drift.objects = 2;
        drift.checkedAt = QDateTime::currentDateTimeUtc();
        monitor.setDrift(QStringLiteral("dev"), drift);
        QCOMPARE(news.count(), 2);
        monitor.setDrift(QStringLiteral("dev"), drift);
        QCOMPARE(news.count(), 2);

        QVERIFY(server.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Down,
                                  10000);
        QCOMPARE(news.last().at(0).value<EnvironmentStatus>().state, StatusState::Down);
    }

    void aChosenGssEncModeIsNeverOverridden_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("environment");
        QTest::newRow("in the URL") << QStringLiteral("?gssencmode=require") << QByteArray();
        QTest::newRow("PGGSSENCMODE") << QString() << QByteArrayLiteral("require");
    }

    void aChosenGssEncModeIsNeverOverridden()
    {
        // After a check finds a target unreachable, the monitor's later checks skip libpq's
        // GSSAPI attempt, but only when nothing chose gssencmode. Here GSSAPI encryption is
        // required (by the URL or the environment), which a local test server cannot give:
        // every check must keep failing for that reason, also after the server was down.
        QFETCH(QString, query);
        QFETCH(QByteArray, environment);
        if (!environment.isEmpty())
            qputenv("PGGSSENCMODE", environment);
        const auto unset = qScopeGuard([] { qunsetenv("PGGSSENCMODE"); });
        PgCluster db;
        QVERIFY2(db.start().ok(), qPrintable(db.serverLog()));
        QVERIFY(db.stop().ok());
        StatusMonitor monitor(workspaceOf({environmentAt(
            QStringLiteral("kerberos"),
            QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(db.port()) +
                query)}));
        monitor.setIntervalMs(100);
        monitor.setMaxBackoffFactor(1);
        QSignalSpy checked(&monitor, &StatusMonitor::statusChanged);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("kerberos")).state,
                                  StatusState::Down, 10000);

        QVERIFY(db.restart().ok());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("kerberos")).state,
                                  StatusState::Error, 10000);
        const int before = int(checked.size());
        QTRY_VERIFY_WITH_TIMEOUT(checked.size() >= before + 5, 10000);
        const EnvironmentStatus status = monitor.status(QStringLiteral("kerberos"));
        QCOMPARE(status.state, StatusState::Error);
        QVERIFY2(status.reason.contains(QStringLiteral("GSSAPI")), qPrintable(status.reason));
    }

    void hangingServerDelaysNoOtherEnvironment()
    {
        PgCluster dev;
        const auto started = dev.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        pd::test::HangingServer hang;
        QVERIFY2(hang.isListening(), qPrintable(hang.errorString()));

        StatusMonitor monitor(workspaceOf(
            {environmentAt(QStringLiteral("remote"),
                           QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(hang.port()), 3),
             environmentAt(QStringLiteral("dev"), dev.url())}));
        monitor.setIntervalMs(100);
        monitor.start();

        // dev answers while the hanging check is still waiting for its timeout.
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  10000);
        QCOMPARE(monitor.status(QStringLiteral("remote")).state, StatusState::Unknown);
        QVERIFY(monitor.checksInFlight() >= 1);
        // With a 100 ms interval a naive monitor would have opened many connections by now;
        // this one never starts a second check of an environment whose first is running.
        QVERIFY(hang.waitForConnections(1, 5000));
        QTest::qWait(500);
        QCOMPARE(hang.acceptedCount(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("remote")).state, StatusState::Down,
                                  15000);
        QVERIFY2(
            monitor.status(QStringLiteral("remote")).reason.contains(QStringLiteral("timed out")),
            qPrintable(monitor.status(QStringLiteral("remote")).reason));
    }

    // Quitting while a server hangs: the monitor's destructor (GUI thread) returns at once
    // instead of waiting for the check stuck in its connect; the check then ends by its
    // connect timeout on the detached pool without touching the monitor (run under
    // scripts/test --sanitize, a use after free would be reported).
    void destroyingTheMonitorNeverWaitsForAHungCheck()
    {
        pd::test::HangingServer hang;
        QVERIFY2(hang.isListening(), qPrintable(hang.errorString()));
        const int connectTimeoutMs = 4000;
        auto *monitor = new StatusMonitor(workspaceOf(
            {environmentAt(QStringLiteral("remote"),
                           QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(hang.port()),
                           connectTimeoutMs / 1000)}));
        monitor->refresh(QStringLiteral("remote"));
        // The check is inside its connect now, waiting for an answer that never comes.
        QVERIFY(hang.waitForConnections(1, 5000));
        QCOMPARE(monitor->checksInFlight(), 1);
        QElapsedTimer clock;
        clock.start();
        delete monitor;
        const qint64 tookMs = clock.elapsed();
        QVERIFY2(
            tookMs < connectTimeoutMs / 4,
            qPrintable(QStringLiteral("~StatusMonitor took %1 ms, the connect timeout is %2 ms")
                           .arg(tookMs)
                           .arg(connectTimeoutMs)));
        QVERIFY(detachedPoolsRunning() >= 1);
        // The detached check ends by itself, bounded by the connect timeout.
        QVERIFY(finishDetachedWork(connectTimeoutMs * 3));
        QCOMPARE(detachedPoolsRunning(), 0);
    }

    // The same for the controller: a migration status read stuck in its connect, the
    // controller and its monitor destroyed, neither waits.
    void destroyingTheControllerNeverWaitsForAHungRead()
    {
        pd::test::HangingServer hang;
        QVERIFY2(hang.isListening(), qPrintable(hang.errorString()));
        const int connectTimeoutMs = 4000;
        // The plan is read after the migration files, so there must be one.
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        QFile migration(dir.filePath(QStringLiteral("migrations/0001_init.sql")));
        QVERIFY(migration.open(QIODevice::WriteOnly));
        migration.write("CREATE TABLE t (id int);\n");
        migration.close();
        Workspace ws = workspaceOf(
            {environmentAt(QStringLiteral("remote"),
                           QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(hang.port()),
                           connectTimeoutMs / 1000)});
        ws.rootDir = dir.path();
        ws.filePath = dir.filePath(QStringLiteral("paritydeck.yaml"));
        ws.migrations.dir = QStringLiteral("migrations");
        auto *monitor = new StatusMonitor(ws);
        auto *controller = new EnvironmentController(monitor);
        QFuture<Result<MigrationPlan>> plan = controller->migrationStatus(QStringLiteral("remote"));
        QVERIFY(hang.waitForConnections(1, 5000));
        QVERIFY(controller->isPlanLoading(QStringLiteral("remote")));
        QElapsedTimer clock;
        clock.start();
        delete controller;
        delete monitor;
        const qint64 tookMs = clock.elapsed();
        QVERIFY2(tookMs < connectTimeoutMs / 4,
                 qPrintable(QStringLiteral("~EnvironmentController and ~StatusMonitor took %1 ms, "
                                           "the connect timeout is %2 ms")
                                .arg(tookMs)
                                .arg(connectTimeoutMs)));
        QVERIFY(finishDetachedWork(connectTimeoutMs * 3));
        QCOMPARE(detachedPoolsRunning(), 0);
        // Its caller hears that it was abandoned, not a result from a dead controller.
        QTRY_VERIFY(plan.isFinished());
        QCOMPARE(plan.resultCount(), 0);
    }

    void refusedPortIsDown()
    {
        pd::test::RefusingPort refused;
        QVERIFY(refused.isValid());
        StatusMonitor monitor(workspaceOf({environmentAt(
            QStringLiteral("gone"),
            QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(refused.port()))}));
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("gone")).state, StatusState::Down,
                                  10000);
        QCOMPARE(monitor.aggregate(), StatusState::Down);
    }

    void wrongPasswordIsAnErrorAndNeverLogged()
    {
        QTemporaryDir logDir;
        const QString logPath = logDir.filePath(QStringLiteral("paritydeck.log"));
        logging::install(logPath);

        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        PgCluster cluster(options);
        const auto started = cluster.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        const QString right = QStringLiteral("Right-Horse-Battery-7731");
        const QString wrong = QStringLiteral("Wrong-Staple-Donkey-9902");
        QVERIFY(cluster.createRole(QStringLiteral("app"), right).ok());

        qputenv("PD_MONITOR_TEST_PASSWORD", wrong.toUtf8());
        EnvironmentConfig env =
            environmentAt(QStringLiteral("staging"),
                          cluster.url(QStringLiteral("postgres"), QStringLiteral("app")));
        env.database.password = SecretRef{
            SecretRef::Kind::Env, {}, {}, QStringLiteral("PD_MONITOR_TEST_PASSWORD"), {}, {}};
        StatusMonitor monitor(workspaceOf({env}));
        monitor.setIntervalMs(200);
        monitor.start();

        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("staging")).state,
                                  StatusState::Error, 10000);
        const QString reason = monitor.status(QStringLiteral("staging")).reason;
        QVERIFY2(
            reason.contains(QStringLiteral("password authentication failed for user \"app\"")) ||
                reason.contains(QStringLiteral("password authentication failed for user app")),
            qPrintable(reason));
        QVERIFY(!reason.contains(wrong));
        QCOMPARE(monitor.aggregate(), StatusState::Error);

        // The rejected password is not cached: fixing it in its source heals the status.
        qputenv("PD_MONITOR_TEST_PASSWORD", right.toUtf8());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("staging")).state, StatusState::Up,
                                  10000);
        qInfo() << "status reason was" << reason;

        QFile log(logPath);
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logged = log.readAll();
        QVERIFY(logged.contains("status reason was"));
        QVERIFY(!logged.contains(right.toUtf8()));
        QVERIFY(!logged.contains(wrong.toUtf8()));
        qunsetenv("PD_MONITOR_TEST_PASSWORD");
    }

    void missingSecretIsAnErrorNamingTheReference()
    {
        pd::test::RefusingPort refused;
        EnvironmentConfig env =
            environmentAt(QStringLiteral("prod"),
                          QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(refused.port()));
        env.database.password = SecretRef{
            SecretRef::Kind::Env, {}, {}, QStringLiteral("PD_SURELY_UNSET_VARIABLE"), {}, {}};
        StatusMonitor monitor(workspaceOf({env}));
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).state, StatusState::Error,
                                  10000);
        QVERIFY2(monitor.status(QStringLiteral("prod"))
                     .reason.contains(QStringLiteral("PD_SURELY_UNSET_VARIABLE")),
                 qPrintable(monitor.status(QStringLiteral("prod")).reason));
    }

    void serviceDownWithDatabaseUpIsDegraded()
    {
        PgCluster dev;
        const auto started = dev.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        pd::test::RefusingPort refused;
        QVERIFY(refused.isValid());

        EnvironmentConfig env = environmentAt(QStringLiteral("dev"), dev.url());
        ServiceConfig postgres = tcpService(QStringLiteral("postgres"), 0);
        postgres.health.kind = HealthProbeConfig::Kind::Postgres;
        postgres.health.target.clear();
        env.services = {postgres, tcpService(QStringLiteral("pgbouncer"), refused.port())};
        StatusMonitor monitor(workspaceOf({env}));
        monitor.setIntervalMs(200);
        monitor.start();

        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state,
                                  StatusState::Degraded, 10000);
        EnvironmentStatus status = monitor.status(QStringLiteral("dev"));
        QCOMPARE(status.reason, QStringLiteral("pgbouncer: port %1 refused").arg(refused.port()));
        QCOMPARE(status.services.size(), 2);
        QCOMPARE(status.services.at(0).name, QStringLiteral("postgres"));
        QCOMPARE(status.services.at(0).state, StatusState::Up);
        QCOMPARE(status.services.at(1).state, StatusState::Down);
        QVERIFY(status.serverVersion.startsWith(QStringLiteral("15.")));
        QCOMPARE(monitor.aggregate(), StatusState::Degraded);
        // The one-shot check (paritydeck status) combines the same way.
        const EnvironmentStatus once =
            probeEnvironmentAndServices(monitor.workspace(), env, nullptr);
        QCOMPARE(once.state, StatusState::Degraded);
        QCOMPARE(once.reason, status.reason);
        QCOMPARE(once.services.size(), 2);

        // Without the database the environment is simply down, whatever its services say.
        QVERIFY(dev.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Down,
                                  10000);
        status = monitor.status(QStringLiteral("dev"));
        QVERIFY2(status.reason.startsWith(
                     QStringLiteral("connection refused at 127.0.0.1:%1").arg(dev.port())),
                 qPrintable(status.reason));
        QVERIFY2(status.reason.contains(
                     QStringLiteral("pgbouncer: port %1 refused").arg(refused.port())),
                 qPrintable(status.reason));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).services.at(0).state,
                                  StatusState::Down, 10000);
    }

    void aChangeIsReportedOnlyAfterTheDeflapWindow()
    {
        auto listener = std::make_unique<QTcpServer>();
        QVERIFY(listener->listen(QHostAddress::LocalHost, 0));
        const quint16 port = listener->serverPort();
        const EnvironmentConfig env = cacheOnlyEnvironment(QStringLiteral("local"), port);
        StatusMonitor monitor(workspaceOf({env}));
        monitor.setIntervalMs(100);
        monitor.setDeflapChecks(3);
        QSignalSpy checks(&monitor, &StatusMonitor::statusChanged);
        monitor.start();
        // The first result is reported at once.
        QVERIFY(checks.wait(10000));
        QCOMPARE(checks.size(), 1);
        QCOMPARE(monitor.status(QStringLiteral("local")).state, StatusState::Up);

        listener.reset();
        checks.clear();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("local")).state, StatusState::Down,
                                  10000);
        // Three checks saw it down (one more may have been under way when it closed).
        QVERIFY2(checks.size() >= 3 && checks.size() <= 4,
                 qPrintable(QString::number(checks.size())));
        for (qsizetype i = 0; i + 1 < checks.size(); ++i)
            QCOMPARE(checks.at(i).at(0).value<EnvironmentStatus>().state, StatusState::Up);
        QCOMPARE(monitor.status(QStringLiteral("local")).reason,
                 QStringLiteral("cache: port %1 refused").arg(port));
    }

    void downEnvironmentIsPolledLessOften()
    {
        pd::test::RefusingPort refused;
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        const EnvironmentConfig fine =
            cacheOnlyEnvironment(QStringLiteral("fine"), listener.serverPort());
        StatusMonitor monitor(workspaceOf(
            {fine, environmentAt(
                       QStringLiteral("gone"),
                       QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(refused.port()))}));
        monitor.setIntervalMs(100);
        monitor.setMaxCalmFactor(1); // "fine" is checked on every tick, calm or not
        QCOMPARE(monitor.maxBackoffFactor(), 10);
        QHash<QString, int> checks;
        connect(&monitor, &StatusMonitor::statusChanged, this,
                [&](const EnvironmentStatus &s) { ++checks[s.environment]; });
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(checks.value(QStringLiteral("fine")) >= 32, 30000);
        QCOMPARE(monitor.status(QStringLiteral("gone")).state, StatusState::Down);
        // Every tick for "fine"; every 2nd, 4th, 8th, then every 10th for "gone" (ticks 1, 2,
        // 4, 8, 16, 20, 30: about 7).
        QVERIFY2(checks.value(QStringLiteral("gone")) <= 10,
                 qPrintable(QStringLiteral("%1 vs %2")
                                .arg(checks.value(QStringLiteral("gone")))
                                .arg(checks.value(QStringLiteral("fine")))));
        QVERIFY(checks.value(QStringLiteral("gone")) >= 4);

        // An explicit refresh does not wait for the back-off.
        int before = checks.value(QStringLiteral("gone"));
        monitor.stop();
        monitor.refresh(QStringLiteral("gone"));
        QTRY_COMPARE_WITH_TIMEOUT(checks.value(QStringLiteral("gone")), before + 1, 10000);
        QCOMPARE(monitor.status(QStringLiteral("gone")).state, StatusState::Down);
        QVERIFY(monitor.checkEveryTicks(QStringLiteral("gone")) > 1);

        // Someone looking checks a backing-off environment at once when its last check is
        // older than the interval; still down, it keeps backing off.
        QTRY_COMPARE_WITH_TIMEOUT(monitor.checksInFlight(), 0, 10000);
        QTest::qWait(150); // past the 100 ms interval
        before = checks.value(QStringLiteral("gone"));
        const int fineBefore = checks.value(QStringLiteral("fine"));
        monitor.wake();
        QTRY_COMPARE_WITH_TIMEOUT(checks.value(QStringLiteral("gone")), before + 1, 10000);
        QVERIFY(monitor.checkEveryTicks(QStringLiteral("gone")) > 1);
        // "fine" is not stretched (maxCalmFactor 1): looking does not check it.
        QCOMPARE(checks.value(QStringLiteral("fine")), fineBefore);
        // Looked at again at once: the last check is fresh, nothing runs.
        before = checks.value(QStringLiteral("gone"));
        monitor.wake();
        QCOMPARE(monitor.checksInFlight(), 0);
        QTest::qWait(200);
        QCOMPARE(checks.value(QStringLiteral("gone")), before);
    }

    void anEnvironmentWithoutNewsIsCheckedLessOftenUntilSomeoneLooks()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        const EnvironmentConfig env =
            cacheOnlyEnvironment(QStringLiteral("quiet"), listener.serverPort());
        const QString name = env.name;
        StatusMonitor monitor(workspaceOf({env}));
        QCOMPARE(monitor.maxCalmFactor(), 6);
        monitor.setCalmChecks(3);
        // Checks are driven by hand: the timer never fires within the test.
        monitor.setIntervalMs(3600 * 1000);
        QSignalSpy checks(&monitor, &StatusMonitor::statusChanged);
        const auto checkOnce = [&] {
            const qsizetype before = checks.size();
            monitor.refresh(name);
            return QTest::qWaitFor([&] { return checks.size() > before; }, 10000);
        };
        // The first result is news; then three checks with nothing new make it calm.
        QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 1);
        for (int i = 0; i < 2; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 1);
        QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 2);
        for (int i = 0; i < 3; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 4);
        for (int i = 0; i < 3; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 6); // not 8: never beyond maxCalmFactor()
        for (int i = 0; i < 6; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 6);

        // Someone looks: back to every tick, and a check at once (the last one is older
        // than the interval only when the interval is short).
        monitor.wake();
        QCOMPARE(monitor.checkEveryTicks(name), 1);
        QCOMPARE(monitor.checksInFlight(), 0);
        for (int i = 0; i < 3; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 2);
        monitor.setIntervalMs(50);
        QTest::qWait(60);
        const qsizetype beforeWake = checks.size();
        monitor.wake();
        QCOMPARE(monitor.checksInFlight(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(checks.size(), beforeWake + 1, 10000);
        monitor.setIntervalMs(3600 * 1000);

        // Calm again, then news: migration facts learnt elsewhere end the stretch.
        for (int i = 0; i < 3; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 2);
        SchemaFacts facts;
        facts.known = true;
        facts.pending = 1;
        monitor.setSchemaFacts(name, facts);
        QCOMPARE(monitor.checkEveryTicks(name), 1);

        // A change waiting out the de-flap is not calm either: the service goes away.
        for (int i = 0; i < 3; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.checkEveryTicks(name), 2);
        listener.close();
        QVERIFY(checkOnce());
        QCOMPARE(monitor.status(name).state, StatusState::Up); // not yet reported
        QCOMPARE(monitor.checkEveryTicks(name), 1);
        QVERIFY(checkOnce());
        QCOMPARE(monitor.status(name).state, StatusState::Down);
    }

    void aGrowingDatabaseStaysCalm()
    {
        // Autovacuum and every write move a database's size: the card shows the new size,
        // but the environment is as calm as before. A change of state still ends the stretch.
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        const QString name = QStringLiteral("dev");
        StatusMonitor monitor(workspaceOf({environmentAt(name, server.url())}));
        monitor.setCalmChecks(2);
        monitor.setIntervalMs(3600 * 1000); // checks driven by hand
        QSignalSpy checks(&monitor, &StatusMonitor::statusChanged);
        QSignalSpy news(&monitor, &StatusMonitor::factsChanged);
        const auto checkOnce = [&] {
            const qsizetype before = checks.size();
            monitor.refresh(name);
            return QTest::qWaitFor([&] { return checks.size() > before; }, 10000);
        };
        for (int i = 0; i < 5; ++i)
            QVERIFY(checkOnce());
        QCOMPARE(monitor.status(name).state, StatusState::Up);
        QCOMPARE(monitor.checkEveryTicks(name), 4);
        const qint64 sizeBefore = monitor.status(name).databaseSizeBytes;
        QVERIFY(sizeBefore > 0);

        QVERIFY(server
                    .exec(QStringLiteral("CREATE TABLE grows AS"
                                         " SELECT g, repeat('x', 200) AS pad"
                                         " FROM generate_series(1, 20000) g"))
                    .ok());
        const qsizetype newsBefore = news.size();
        QVERIFY(checkOnce());
        const EnvironmentStatus grown = monitor.status(name);
        QVERIFY2(grown.databaseSizeBytes > sizeBefore + 1024 * 1024,
                 qPrintable(QString::number(grown.databaseSizeBytes)));
        QCOMPARE(news.size(), newsBefore + 1); // the summaries hear of it
        QCOMPARE(monitor.checkEveryTicks(name), 4);

        EnvironmentStatus other = grown;
        other.databaseSizeBytes = sizeBefore;
        other.lastSeenSizeBytes = sizeBefore;
        QVERIFY(!sameFactsShown(grown, other));
        QVERIFY(sameStateShown(grown, other));
        other.databaseSizeBytes = -1; // no size at all: the database did not answer
        QVERIFY(!sameStateShown(grown, other));

        SchemaFacts facts;
        facts.known = true;
        facts.pending = 1;
        monitor.setSchemaFacts(name, facts);
        QCOMPARE(monitor.checkEveryTicks(name), 1);
    }

    void calmStretchOffChecksEveryTick()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        const EnvironmentConfig env =
            cacheOnlyEnvironment(QStringLiteral("busy"), listener.serverPort());
        StatusMonitor monitor(workspaceOf({env}));
        monitor.setMaxCalmFactor(1);
        monitor.setCalmChecks(1);
        monitor.setIntervalMs(3600 * 1000);
        QSignalSpy checks(&monitor, &StatusMonitor::statusChanged);
        for (int i = 0; i < 5; ++i) {
            monitor.refresh(env.name);
            QTRY_COMPARE_WITH_TIMEOUT(checks.size(), i + 1, 10000);
        }
        QCOMPARE(monitor.checkEveryTicks(env.name), 1);
    }

    void stretchedEnvironmentsShareTheTimersTicks()
    {
        // Two quiet environments on the longest calm stretch: the timer fires only on the
        // ticks that check them, and both are checked on the same ones — not every tick.
        QTcpServer first;
        QTcpServer second;
        QVERIFY(first.listen(QHostAddress::LocalHost, 0));
        QVERIFY(second.listen(QHostAddress::LocalHost, 0));
        const QString a = QStringLiteral("a");
        const QString b = QStringLiteral("b");
        StatusMonitor monitor(workspaceOf({cacheOnlyEnvironment(a, first.serverPort()),
                                           cacheOnlyEnvironment(b, second.serverPort())}));
        monitor.setCalmChecks(1);
        monitor.setIntervalMs(100);
        QHash<QString, int> checks;
        connect(&monitor, &StatusMonitor::statusChanged, this,
                [&checks](const EnvironmentStatus &status) { ++checks[status.environment]; });
        MetaCallCounter results(&monitor);
        monitor.start();
        const int longest = monitor.maxCalmFactor();
        QTRY_VERIFY_WITH_TIMEOUT(
            monitor.checkEveryTicks(a) == longest && monitor.checkEveryTicks(b) == longest, 20000);
        const int wakeupsBefore = monitor.timerWakeups();
        const int checksBefore = checks.value(a) + checks.value(b);
        const int resultsBefore = results.count;
        QTRY_VERIFY_WITH_TIMEOUT(checks.value(a) + checks.value(b) >= checksBefore + 12, 30000);
        const int wakeups = monitor.timerWakeups() - wakeupsBefore;
        // Twelve checks, six of each: six shared ticks, give or take the ones around the
        // window's ends. Firing on every tick would have been about 36.
        QVERIFY2(wakeups <= 8, qPrintable(QStringLiteral("%1 timer wakeups").arg(wakeups)));
        // And the two results of a tick come back together: one queued call each tick, not
        // one per check (12).
        const int resultCalls = results.count - resultsBefore;
        QVERIFY2(resultCalls <= 8, qPrintable(QStringLiteral("%1 result calls").arg(resultCalls)));
        QCOMPARE(monitor.checkEveryTicks(a), longest);
        QCOMPARE(monitor.nextCheckTick(a) % longest, 0);
        QCOMPARE(monitor.nextCheckTick(b) % longest, 0);
    }
};

QTEST_GUILESS_MAIN(TestStatusMonitor)
#include "tst_statusmonitor.moc"
