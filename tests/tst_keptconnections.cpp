// Connections kept between the routine looks at an environment (keptconnections.h), against
// a real server with password authentication: a look reuses the session the last one left
// (no new backend, no password hashing), and nothing the kept session could hide is ever
// reported from it — a session the server ended, a stopped server, a changed password, an
// open transaction, a session older than the age limit. The status monitor and the drift
// watch's catalog look share one session, and the monitor ends its sessions when asked and
// when it goes.
#include "environment/driftcheck.h"
#include "environment/environmentprobe.h"
#include "environment/keptconnections.h"
#include "environment/statusmonitor.h"
#include "pgcluster.h"
#include "workspace/protection.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>

using namespace pd;
using pd::test::PgCluster;

namespace {

const QString kRole = QStringLiteral("keeper");
const QString kPassword = QStringLiteral("kept-secret-1");

EnvironmentConfig environmentAt(const PgCluster &cluster)
{
    EnvironmentConfig env;
    env.name = QStringLiteral("staging");
    env.database.url = cluster.url(QStringLiteral("postgres"), kRole);
    env.database.connectTimeoutSeconds = 3;
    env.database.statementTimeoutSeconds = 5;
    return env;
}

Result<SecretValue> password(const QString &value = kPassword)
{
    return SecretValue::fromString(value);
}

EnvironmentStatus probe(const EnvironmentConfig &env, KeptConnections &kept,
                        const QString &secret = kPassword)
{
    const Result<SecretValue> pw = password(secret);
    return probeEnvironmentAt(env, &pw, ConnectionParams::fromUrl(env.database.url), &kept);
}

// The role's sessions on the server, by backend pid.
QStringList sessionsOf(const PgCluster &cluster)
{
    const auto rows = cluster.exec(
        QStringLiteral("SELECT pid FROM pg_stat_activity WHERE usename = '%1' ORDER BY pid")
            .arg(kRole));
    QStringList pids;
    if (!rows)
        return {QStringLiteral("error: ") + rows.error().message};
    for (int r = 0; r < rows->rowCount(); ++r)
        pids.append(rows->value(r, 0));
    return pids;
}

} // namespace

class TestKeptConnections final : public QObject
{
    Q_OBJECT

    std::unique_ptr<PgCluster> m_cluster;

    PgCluster &cluster() { return *m_cluster; }

private Q_SLOTS:
    void initTestCase()
    {
        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        m_cluster = std::make_unique<PgCluster>(options);
        QVERIFY2(m_cluster->start().ok(), qPrintable(m_cluster->serverLog()));
        QVERIFY(m_cluster->createRole(kRole, kPassword).ok());
    }

    void init()
    {
        if (!cluster().isRunning())
            QVERIFY2(cluster().restart().ok(), qPrintable(cluster().serverLog()));
        QTRY_COMPARE(sessionsOf(cluster()), QStringList());
    }

    void aLookReusesTheSessionTheLastOneLeft()
    {
        KeptConnections kept;
        const EnvironmentConfig env = environmentAt(cluster());
        const EnvironmentStatus first = probe(env, kept);
        QCOMPARE(first.state, StatusState::Up);
        QCOMPARE(kept.count(), 1);
        const QStringList after = sessionsOf(cluster());
        QCOMPARE(after.size(), 1);
        for (int i = 0; i < 3; ++i) {
            const EnvironmentStatus again = probe(env, kept);
            QCOMPARE(again.state, StatusState::Up);
            QVERIFY(again.databaseSizeBytes > 0);
            QCOMPARE(sessionsOf(cluster()), after); // the same backend answered
        }
        // Without the store every look is a connection of its own, which ends with it.
        const Result<SecretValue> pw = password();
        QCOMPARE(probeEnvironmentAt(env, &pw, ConnectionParams::fromUrl(env.database.url)).state,
                 StatusState::Up);
        QCOMPARE(sessionsOf(cluster()), after);
    }

    // A session opened the default way answers a look that skips the TLS request or the
    // GSSAPI attempt (the panel's own choices), but never one for a target the user changed.
    void ourOwnTransportChoicesAreNotAnotherTarget()
    {
        const Result<ConnectionParams> parsed =
            ConnectionParams::fromUrl(QStringLiteral("postgresql://app@db.example:5433/shop"));
        QVERIFY(parsed.ok());
        const ConnectionParams opened = *parsed;
        ConnectionParams skipping = opened;
        skipping.options.insert(QStringLiteral("sslmode"), QStringLiteral("disable"));
        skipping.sslRequestSkipped = true;
        skipping.options.insert(QStringLiteral("gssencmode"), QStringLiteral("disable"));
        QVERIFY(sameTarget(opened, skipping));
        QVERIFY(sameTarget(skipping, opened));

        // The user's own sslmode is part of the target.
        ConnectionParams chosen = opened;
        chosen.options.insert(QStringLiteral("sslmode"), QStringLiteral("disable"));
        QVERIFY(!sameTarget(opened, chosen));
        ConnectionParams required = opened;
        required.options.insert(QStringLiteral("sslmode"), QStringLiteral("require"));
        QVERIFY(!sameTarget(required, chosen));
        // And so are the address, the database, the user and the other keywords.
        ConnectionParams otherPort = opened;
        otherPort.port = 5434;
        QVERIFY(!sameTarget(opened, otherPort));
        ConnectionParams otherDatabase = opened;
        otherDatabase.dbname = QStringLiteral("shop_test");
        QVERIFY(!sameTarget(opened, otherDatabase));
        ConnectionParams otherUser = opened;
        otherUser.user = QStringLiteral("admin");
        QVERIFY(!sameTarget(opened, otherUser));
        ConnectionParams otherKeyword = skipping;
        otherKeyword.options.insert(QStringLiteral("target_session_attrs"),
                                    QStringLiteral("read-write"));
        QVERIFY(!sameTarget(skipping, otherKeyword));
    }

    void aSessionTheServerEndedIsReplacedNotReported()
    {
        KeptConnections kept;
        const EnvironmentConfig env = environmentAt(cluster());
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        const QStringList before = sessionsOf(cluster());
        QCOMPARE(before.size(), 1);
        // What idle_session_timeout or an administrator does.
        QVERIFY(cluster()
                    .exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(before.first()))
                    .ok());
        QTRY_COMPARE(sessionsOf(cluster()), QStringList());
        const EnvironmentStatus next = probe(env, kept);
        QCOMPARE(next.state, StatusState::Up);
        QVERIFY2(next.reason.isEmpty(), qPrintable(next.reason));
        const QStringList after = sessionsOf(cluster());
        QCOMPARE(after.size(), 1);
        QVERIFY(after != before);
    }

    void aStoppedServerIsToldByANewConnection()
    {
        KeptConnections kept;
        const EnvironmentConfig env = environmentAt(cluster());
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        QVERIFY(cluster().stop().ok());
        const EnvironmentStatus stopped = probe(env, kept);
        QCOMPARE(stopped.state, StatusState::Down);
        // The reason is the connect's ("refused"), not the ended session's.
        QVERIFY2(stopped.reason.contains(QLatin1String("refused")), qPrintable(stopped.reason));
        QCOMPARE(kept.count(), 0);
        QVERIFY(cluster().restart().ok());
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        QCOMPARE(kept.count(), 1);
    }

    void aChangedPasswordIsNeverAnsweredByTheOldSession()
    {
        KeptConnections kept;
        const EnvironmentConfig env = environmentAt(cluster());
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        QCOMPARE(sessionsOf(cluster()).size(), 1);
        // The keyring now holds another password: the old session must not vouch for it.
        const EnvironmentStatus wrong = probe(env, kept, QStringLiteral("not-the-password"));
        QCOMPARE(wrong.state, StatusState::Error);
        QVERIFY2(wrong.reason.contains(QLatin1String("password")), qPrintable(wrong.reason));
        QVERIFY(!wrong.reason.contains(QLatin1String("not-the-password")));
    }

    void theServersOwnPasswordChangeIsSeenWithinTheAgeLimit()
    {
        KeptConnections kept(300);
        const EnvironmentConfig env = environmentAt(cluster());
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        const QStringList first = sessionsOf(cluster());
        QVERIFY(
            cluster()
                .exec(QStringLiteral("ALTER ROLE %1 PASSWORD 'rotated-on-the-server'").arg(kRole))
                .ok());
        QThread::msleep(350);
        const EnvironmentStatus later = probe(env, kept);
        QCOMPARE(later.state, StatusState::Error); // a new connection, refused
        QVERIFY(cluster()
                    .exec(QStringLiteral("ALTER ROLE %1 PASSWORD '%2'").arg(kRole, kPassword))
                    .ok());
        QTRY_VERIFY(!sessionsOf(cluster()).contains(first.first()));
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        QCOMPARE(kept.count(), 1);
    }

    void aSessionInsideATransactionIsNeverKept()
    {
        KeptConnections kept;
        const EnvironmentConfig env = environmentAt(cluster());
        auto params = ConnectionParams::fromUrl(env.database.url);
        QVERIFY(params);
        params->password = SecretValue::fromString(kPassword);
        auto connection = Connection::open(*params);
        QVERIFY(connection);
        QVERIFY(connection->isIdle());
        QVERIFY(connection->exec(QStringLiteral("BEGIN; SELECT 1")));
        QVERIFY(!connection->isIdle());
        kept.giveBack(env.name, std::move(*connection), kept.nowMs());
        QCOMPARE(kept.count(), 0);
        QTRY_COMPARE(sessionsOf(cluster()), QStringList());
    }

    void theDriftWatchsLookSharesTheStatusSession()
    {
        KeptConnections kept;
        const EnvironmentConfig env = environmentAt(cluster());
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        const QStringList session = sessionsOf(cluster());
        QCOMPARE(session.size(), 1);
        Workspace ws;
        ws.rootDir = QDir::tempPath();
        ws.environments = {env};
        const ConnectionLookup lookup = [](const EnvironmentConfig &e) -> Result<ConnectionParams> {
            auto params = ConnectionParams::fromUrl(e.database.url);
            if (params)
                params->password = SecretValue::fromString(kPassword);
            return params;
        };
        const Result<LiveCatalogLook> look = lookAtLiveCatalog(ws, env, lookup, {}, &kept);
        if (!look)
            QFAIL(qPrintable(look.error().message));
        QVERIFY(!look->digest.isEmpty());
        QCOMPARE(sessionsOf(cluster()), session);
        QCOMPARE(kept.count(), 1);
        // The next status check runs on it too.
        QCOMPARE(probe(env, kept).state, StatusState::Up);
        QCOMPARE(sessionsOf(cluster()), session);
    }

    // A monitor checking `env` every 100 ms, with its password from the environment.
    static std::unique_ptr<StatusMonitor> monitorOf(EnvironmentConfig env)
    {
        Workspace ws;
        ws.project = QStringLiteral("kept");
        ws.rootDir = QDir::tempPath();
        ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
        const auto ref = SecretRef::parse(QStringLiteral("env:PD_TEST_KEPT_PASSWORD"));
        if (ref)
            env.database.password = *ref;
        ws.environments = {env};
        qputenv("PD_TEST_KEPT_PASSWORD", kPassword.toUtf8());
        auto monitor = std::make_unique<StatusMonitor>(ws);
        monitor->setIntervalMs(100);
        monitor->setMaxCalmFactor(1);
        return monitor;
    }

    void theMonitorEndsItsSessionsWhenAskedAndWhenItGoes()
    {
        EnvironmentConfig env = environmentAt(cluster());
        env.database.keepConnection = true;
        auto monitor = monitorOf(env);
        QSignalSpy changed(monitor.get(), &StatusMonitor::statusChanged);
        monitor->start();
        QTRY_COMPARE(monitor->status(env.name).state, StatusState::Up);
        QTRY_VERIFY(changed.size() >= 4);
        QCOMPARE(sessionsOf(cluster()).size(), 1); // every check on one session
        // Before the panel's own Stop: a server stopped in smart mode would wait for it.
        monitor->stop();
        monitor->closeKeptConnections(env.name);
        QTRY_COMPARE(sessionsOf(cluster()), QStringList());
        monitor->start();
        QTRY_COMPARE(sessionsOf(cluster()).size(), 1);
        monitor.reset();
        QTRY_COMPARE(sessionsOf(cluster()), QStringList());
    }

    // Unprotected databases are dropped and copied by their developers, which a session
    // left open would refuse: the monitor keeps one only when told to, or when protected.
    void onlyProtectedOrChosenEnvironmentsKeepASession_data()
    {
        QTest::addColumn<int>("protection"); // a Protection
        QTest::addColumn<int>("keep");       // -1: unset
        QTest::addColumn<bool>("kept");
        QTest::newRow("unprotected") << int(Protection::None) << -1 << false;
        QTest::newRow("confirm") << int(Protection::Confirm) << -1 << true;
        QTest::newRow("read-only") << int(Protection::ReadOnly) << -1 << true;
        QTest::newRow("unprotected, keep_connection: true") << int(Protection::None) << 1 << true;
        QTest::newRow("read-only, keep_connection: false")
            << int(Protection::ReadOnly) << 0 << false;
    }

    void onlyProtectedOrChosenEnvironmentsKeepASession()
    {
        QFETCH(int, protection);
        QFETCH(int, keep);
        QFETCH(bool, kept);
        EnvironmentConfig env = environmentAt(cluster());
        env.protection = Protection(protection);
        if (keep >= 0)
            env.database.keepConnection = keep == 1;
        QCOMPARE(keptBetweenLooks(env), kept);
        auto monitor = monitorOf(env);
        QSignalSpy changed(monitor.get(), &StatusMonitor::statusChanged);
        monitor->start();
        QTRY_VERIFY(changed.size() >= 3);
        QCOMPARE(monitor->status(env.name).state, StatusState::Up);
        monitor->stop();
        QTRY_COMPARE(monitor->checksInFlight(), 0);
        QCOMPARE(sessionsOf(cluster()).size(), kept ? 1 : 0);
        monitor.reset();
        QTRY_COMPARE(sessionsOf(cluster()), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestKeptConnections)
#include "tst_keptconnections.moc"
