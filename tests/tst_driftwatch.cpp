// Drift known without a click, against real servers: the catalog digest changes with the
// schema and only with it; the drift watch finds hand-made changes on its own, protected
// environments included (only read: the shadow lives on the unprotected server), checks
// again only when the digest says something changed, and a check that cannot be made is an
// error with its reason — never "none". The status monitor's part: a change the panel
// caused is re-checked and reported at once, and a database that stops answering keeps
// its last-known facts as "last seen".
#include "db/connection.h"
#include "environment/driftrecords.h"
#include "environment/driftwatch.h"
#include "environment/statusmonitor.h"
#include "metacallcounter.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"
#include "schema/catalogdigest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

#include <limits>

using namespace pd;
using pd::test::PgCluster;

namespace {

constexpr int kTimeoutMs = 30000;

EnvironmentConfig environmentAt(const QString &name, const QString &url,
                                Protection protection = Protection::None)
{
    EnvironmentConfig env;
    env.name = name;
    env.protection = protection;
    env.database.url = url;
    env.database.connectTimeoutSeconds = 3;
    env.database.statementTimeoutSeconds = 20;
    return env;
}

QByteArray digestOf(const PgCluster &cluster, const QString &db, const SchemaFilter &filter = {})
{
    auto params = ConnectionParams::fromUrl(cluster.url(db));
    if (!params)
        return {};
    auto connection = Connection::open(*params);
    if (!connection)
        return {};
    auto digest = catalogDigest(*connection, filter);
    return digest ? digest->value : QByteArray();
}

QByteArray countersOf(const PgCluster &cluster, const QString &db)
{
    auto params = ConnectionParams::fromUrl(cluster.url(db));
    if (!params)
        return {};
    auto connection = Connection::open(*params);
    if (!connection)
        return {};
    auto counters = catalogWriteCounters(*connection);
    return counters && *counters ? **counters : QByteArray();
}

bool exec(const PgCluster &cluster, const QString &db, const QString &sql)
{
    const auto done = cluster.exec(sql, db);
    if (!done)
        qWarning("%s: %s", qPrintable(sql), qPrintable(done.error().message));
    return done.ok();
}

QStringList databasesOn(const PgCluster &cluster)
{
    QStringList names;
    const auto rows = cluster.exec(QStringLiteral("SELECT datname FROM pg_database ORDER BY 1"));
    if (rows) {
        for (int r = 0; r < rows->rowCount(); ++r)
            names.append(rows->value(r, 0));
    }
    return names;
}

} // namespace

class TestDriftWatch final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QTemporaryDir m_workspace;

    // A workspace folder with two migrations; environments added by each test.
    Workspace workspaceWith(const QList<EnvironmentConfig> &environments,
                            int driftIntervalSeconds = 600)
    {
        Workspace ws;
        ws.project = QStringLiteral("drift-test");
        ws.rootDir = m_workspace.path();
        ws.filePath = m_workspace.filePath(QStringLiteral("paritydeck.yaml"));
        ws.migrations.format = QStringLiteral("paritydeck");
        ws.environments = environments;
        ws.driftIntervalSeconds = driftIntervalSeconds;
        return ws;
    }

    // A started server with database "app", a workspace whose one environment "dev" is that
    // database, and every migration applied to it. Empty, or what failed.
    QString devInOrder(PgCluster &server, Workspace *ws)
    {
        if (!server.start().ok())
            return QStringLiteral("the server did not start: ") + server.serverLog();
        if (auto created = server.createDatabase(QStringLiteral("app")); !created)
            return created.error().message;
        *ws = workspaceWith(
            {environmentAt(QStringLiteral("dev"), server.url(QStringLiteral("app")))});
        if (!applyAll(*ws, server, QStringLiteral("app")))
            return QStringLiteral("applying the migrations to dev failed");
        return {};
    }

    static bool applyAll(const Workspace &ws, const PgCluster &cluster, const QString &db)
    {
        const auto set = MigrationSource::load(ws);
        auto params = ConnectionParams::fromUrl(cluster.url(db));
        if (!set || !params)
            return false;
        ApplyOptions options;
        options.environment = QStringLiteral("test");
        const auto applied = MigrationRunner::apply(*params, *set, options);
        if (!applied)
            qWarning("%s", qPrintable(applied.error().message));
        return applied.ok();
    }

private Q_SLOTS:
    // The loader takes drift_interval up to INT_MAX seconds; in milliseconds that needs 64
    // bits. Computed in int it wrapped to a negative number, which switched the watch off.
    void driftIntervalBeyondIntMillisecondsStaysOn()
    {
        EnvironmentConfig dev =
            environmentAt(QStringLiteral("dev"), QStringLiteral("postgresql://a@127.0.0.1:1/x"));
        EnvironmentConfig prod =
            environmentAt(QStringLiteral("prod"), QStringLiteral("postgresql://a@127.0.0.1:1/y"));
        prod.driftIntervalSeconds = std::numeric_limits<int>::max();
        const Workspace ws = workspaceWith({dev, prod}, 2147484);
        StatusMonitor monitor(ws);
        DriftWatch watch(&monitor);
        QCOMPARE(watch.intervalMs(QStringLiteral("dev")), qint64(2147484) * 1000);
        QCOMPARE(watch.intervalMs(QStringLiteral("prod")),
                 qint64(std::numeric_limits<int>::max()) * 1000);
        watch.setIntervalOverrideSeconds(0);
        QCOMPARE(watch.intervalMs(QStringLiteral("dev")), qint64(0));
    }

    // What needs attention is one model for the card, the rows, the tray and `status`: a
    // migration status that could not be read where the database answered, and a secret
    // under `secrets:` that could not be read, both count; a workspace without migrations
    // and a server that is down do not add a schema problem.
    void unreadableMigrationStatusAndSecretsNeedAttention()
    {
        EnvironmentStatus status;
        status.environment = QStringLiteral("dev");
        status.state = StatusState::Up;
        QCOMPARE(shownState(status), StatusState::Up);

        status.schema.error =
            QStringLiteral("cannot read the migration history: permission denied for schema x");
        QCOMPARE(shownState(status), StatusState::Attention);
        QList<AttentionItem> items = attentionItems(status);
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().kind, AttentionKind::UnknownMigrationStatus);
        QCOMPARE(attentionKindName(items.first().kind), QStringLiteral("unknown-migration-status"));
        QCOMPARE(problemLine(status),
                 QStringLiteral("dev: migration status unknown: cannot read the migration "
                                "history: permission denied for schema x"));

        // Down: the state says it; the schema cannot be read for the same reason.
        status.state = StatusState::Down;
        QVERIFY(attentionItems(status).isEmpty());
        status.state = StatusState::Up;

        // No migrations at all is not a problem.
        status.schema.noMigrations = true;
        QCOMPARE(shownState(status), StatusState::Up);

        status.unreadableSecrets = {QStringLiteral("api (env:PD_UNSET)")};
        QCOMPARE(shownState(status), StatusState::Attention);
        items = attentionItems(status);
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().kind, AttentionKind::UnreadableSecret);
        QCOMPARE(items.first().text, QStringLiteral("secret unreadable: api (env:PD_UNSET)"));
        QCOMPARE(unreadableSecretLabel(QStringLiteral("api"),
                                       SecretRef::parse(QStringLiteral("env:PD_UNSET")).value()),
                 QStringLiteral("api (env:PD_UNSET)"));
    }

    void initTestCase()
    {
        QVERIFY(m_home.isValid() && m_workspace.isValid());
        // Records and the expected-schema cache stay in throwaway folders.
        qputenv("XDG_STATE_HOME", m_home.filePath(QStringLiteral("state")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        QVERIFY(QDir(m_workspace.path()).mkpath(QStringLiteral("migrations")));
        QFile first(m_workspace.filePath(QStringLiteral("migrations/0001_users.sql")));
        QVERIFY(first.open(QIODevice::WriteOnly));
        first.write("CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n");
        first.close();
        QFile second(m_workspace.filePath(QStringLiteral("migrations/0002_index.sql")));
        QVERIFY(second.open(QIODevice::WriteOnly));
        second.write("CREATE INDEX users_email_idx ON users (email);\n");
        second.close();
    }

    void catalogDigestChangesWithTheSchemaAndOnlyWithIt()
    {
        PgCluster cluster;
        QVERIFY2(cluster.start().ok(), qPrintable(cluster.serverLog()));
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        const QString db = QStringLiteral("app");
        QVERIFY(exec(cluster, db,
                     QStringLiteral("CREATE TABLE t (id int PRIMARY KEY, v text);"
                                    " CREATE SCHEMA scratch;")));
        const QByteArray first = digestOf(cluster, db);
        QVERIFY(!first.isEmpty());
        QCOMPARE(digestOf(cluster, db), first);

        // Statistics and data are no schema: ANALYZE and VACUUM update catalog rows in place.
        QVERIFY(exec(cluster, db,
                     QStringLiteral("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 500) g")));
        QVERIFY(exec(cluster, db, QStringLiteral("ANALYZE t")));
        QVERIFY(exec(cluster, db, QStringLiteral("VACUUM t")));
        QCOMPARE(digestOf(cluster, db), first);

        // The write counters (the watch's first, cheaper look) stay while nothing is
        // written and move with DDL; the server counts by default.
        const QByteArray counters = countersOf(cluster, db);
        QVERIFY(!counters.isEmpty());
        QCOMPARE(countersOf(cluster, db), counters);
        QVERIFY(exec(cluster, db, QStringLiteral("CREATE TABLE counted (id int)")));
        QTRY_VERIFY(countersOf(cluster, db) != counters);
        QVERIFY(exec(cluster, db, QStringLiteral("DROP TABLE counted")));

        // Each kind of change gives another digest.
        QByteArray previous = digestOf(cluster, db);
        const QStringList changes{
            QStringLiteral("ALTER TABLE t ADD COLUMN created timestamptz"),
            QStringLiteral("ALTER TABLE t ALTER COLUMN v TYPE varchar(20)"),
            QStringLiteral("COMMENT ON COLUMN t.v IS 'the value'"),
            QStringLiteral("CREATE INDEX t_v_idx ON t (v)"),
            QStringLiteral("ALTER TABLE t ADD CONSTRAINT v_short CHECK (length(v) < 10)"),
            QStringLiteral("CREATE VIEW tv AS SELECT id FROM t"),
            QStringLiteral("CREATE OR REPLACE VIEW tv AS SELECT id, v FROM t"),
            QStringLiteral("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
            QStringLiteral("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2'"),
            QStringLiteral("ALTER TABLE t RENAME COLUMN v TO value"),
            QStringLiteral("DROP INDEX t_v_idx"),
            // Changes that write one catalog row and nothing else.
            QStringLiteral("ALTER TABLE t ALTER COLUMN value SET NOT NULL"),
            QStringLiteral("ALTER TABLE t ALTER COLUMN value SET DEFAULT 'x'"),
            QStringLiteral("ALTER TABLE t ALTER COLUMN value SET DEFAULT 'y'"),
            QStringLiteral("ALTER TABLE t ALTER COLUMN value DROP DEFAULT"),
            QStringLiteral("COMMENT ON CONSTRAINT v_short ON t IS 'short'"),
            QStringLiteral("COMMENT ON FUNCTION f() IS 'one'"),
            QStringLiteral("COMMENT ON SCHEMA public IS 'the schema'"),
            QStringLiteral("CREATE SEQUENCE s"),
            QStringLiteral("ALTER SEQUENCE s OWNED BY t.id"),
            QStringLiteral("ALTER SEQUENCE s INCREMENT BY 2"),
            QStringLiteral("CREATE ROLE drift_reader"),
            QStringLiteral("GRANT SELECT ON t TO drift_reader"),
            QStringLiteral("GRANT UPDATE (value) ON t TO drift_reader"),
            QStringLiteral("ALTER ROLE drift_reader RENAME TO drift_auditor"),
            QStringLiteral("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO drift_auditor"),
            QStringLiteral("CREATE COLLATION c2 (locale = 'C')"),
            QStringLiteral("COMMENT ON COLLATION c2 IS 'another C'"),
            QStringLiteral("CREATE TYPE mood AS ENUM ('ok')"),
            QStringLiteral("ALTER TYPE mood ADD VALUE 'sad'"),
            QStringLiteral("CREATE DOMAIN positive AS int"),
            QStringLiteral("ALTER DOMAIN positive ADD CONSTRAINT above CHECK (VALUE > 0)"),
            QStringLiteral("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql"
                           " AS 'BEGIN RETURN NEW; END'"),
            QStringLiteral("CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW"
                           " EXECUTE FUNCTION touch()"),
            QStringLiteral("COMMENT ON TRIGGER t_touch ON t IS 'touches'"),
            QStringLiteral("ALTER TABLE t DISABLE TRIGGER t_touch"),
            QStringLiteral("CREATE POLICY mine ON t USING (true)"),
            QStringLiteral("COMMENT ON POLICY mine ON t IS 'all rows'"),
            QStringLiteral("ALTER TABLE t ENABLE ROW LEVEL SECURITY"),
            QStringLiteral("CREATE TABLE kid () INHERITS (t)"),
            QStringLiteral("ALTER TABLE kid NO INHERIT t"),
            QStringLiteral("CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql"
                           " AS 'BEGIN END'"),
            QStringLiteral(
                "CREATE EVENT TRIGGER on_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl()"),
            QStringLiteral("COMMENT ON EVENT TRIGGER on_ddl IS 'watching'"),
            QStringLiteral("ALTER EVENT TRIGGER on_ddl DISABLE"),
            QStringLiteral("ALTER INDEX t_pkey RENAME TO t_key"),
        };
        // The counters move too: the watch takes the digest only when they have.
        QByteArray previousCounters = countersOf(cluster, db);
        for (const QString &change : changes) {
            QVERIFY(exec(cluster, db, change));
            const QByteArray now = digestOf(cluster, db);
            QVERIFY2(!now.isEmpty() && now != previous, qPrintable(change));
            previous = now;
            QTRY_VERIFY2(countersOf(cluster, db) != previousCounters, qPrintable(change));
            previousCounters = countersOf(cluster, db);
        }

        // Frozen catalog rows (their xmin reads as 2) are no change, and keep the digest
        // still while other transactions move the reference it counts ages from.
        QVERIFY(exec(cluster, db, QStringLiteral("VACUUM FREEZE")));
        const QByteArray frozen = digestOf(cluster, db);
        QVERIFY(exec(cluster, db, QStringLiteral("CREATE TABLE elsewhere (id int)")));
        QVERIFY(exec(cluster, db, QStringLiteral("DROP TABLE elsewhere")));
        QCOMPARE(digestOf(cluster, db), frozen);
        QVERIFY(exec(cluster, db, QStringLiteral("ALTER TABLE t RENAME COLUMN value TO v")));
        QVERIFY(digestOf(cluster, db) != frozen);
        previous = digestOf(cluster, db);

        // Schemas outside the compared ones do not count.
        SchemaFilter filter;
        filter.excludeSchemas.append(QStringLiteral("scratch"));
        const QByteArray filtered = digestOf(cluster, db, filter);
        QVERIFY(exec(cluster, db, QStringLiteral("CREATE TABLE scratch.tmp (id int)")));
        QCOMPARE(digestOf(cluster, db, filter), filtered);
        QVERIFY(digestOf(cluster, db) != previous);
    }

    void driftIsFoundWithoutAClickAndCheckedAgainOnlyWhenTheSchemaChanged()
    {
        PgCluster devServer, prodServer;
        QVERIFY2(devServer.start().ok(), qPrintable(devServer.serverLog()));
        QVERIFY2(prodServer.start().ok(), qPrintable(prodServer.serverLog()));
        QVERIFY(devServer.createDatabase(QStringLiteral("app")).ok());
        QVERIFY(prodServer.createDatabase(QStringLiteral("app")).ok());
        const Workspace ws = workspaceWith(
            {environmentAt(QStringLiteral("dev"), devServer.url(QStringLiteral("app"))),
             environmentAt(QStringLiteral("prod"), prodServer.url(QStringLiteral("app")),
                           Protection::Confirm)});
        QVERIFY(applyAll(ws, devServer, QStringLiteral("app")));
        QVERIFY(applyAll(ws, prodServer, QStringLiteral("app")));
        // Someone fixes prod by hand.
        QVERIFY(exec(prodServer, QStringLiteral("app"),
                     QStringLiteral("ALTER TABLE users ADD COLUMN hotfix text")));
        const QStringList prodDatabases = databasesOn(prodServer);

        StatusMonitor monitor(ws);
        monitor.setIntervalMs(500);
        DriftWatch watch(&monitor);
        watch.setStaggerMs(100);
        watch.setDigestIntervalMs(300);
        monitor.start();
        watch.start();

        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).drift.state,
                                  DriftStatus::State::Drifted, kTimeoutMs);
        const EnvironmentStatus prod = monitor.status(QStringLiteral("prod"));
        QCOMPARE(prod.drift.objects, 1);
        QVERIFY(prod.drift.checkedAt.isValid());
        QCOMPARE(shownState(prod), StatusState::Attention);
        QCOMPARE(attentionText(attentionItems(prod)), QStringLiteral("drift, 1 object"));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).drift.state,
                                  DriftStatus::State::None, kTimeoutMs);
        QCOMPARE(monitor.aggregate(), StatusState::Attention);
        QCOMPARE(problemLine(monitor.status(QStringLiteral("prod"))),
                 QStringLiteral("prod: drift, 1 object"));
        // The protected server was only read: no shadow database was ever made there.
        QCOMPARE(databasesOn(prodServer), prodDatabases);

        // Nothing changes: several digest rounds, no new full check.
        QTRY_VERIFY_WITH_TIMEOUT(watch.checksRunning() == 0, kTimeoutMs);
        const int fullChecks = watch.fullChecksStarted();
        const int digests = watch.digestsStarted();
        QTRY_VERIFY_WITH_TIMEOUT(watch.digestsStarted() >= digests + 4, kTimeoutMs);
        QCOMPARE(watch.fullChecksStarted(), fullChecks);

        // A hand-made change on dev: the digest sees it and the full check follows.
        QVERIFY(exec(devServer, QStringLiteral("app"),
                     QStringLiteral("CREATE INDEX users_id_email_idx ON users (id, email)")));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).drift.state,
                                  DriftStatus::State::Drifted, kTimeoutMs);
        QCOMPARE(monitor.status(QStringLiteral("dev")).drift.objects, 1);
        QVERIFY(watch.fullChecksStarted() > fullChecks);

        // The records outlive the panel: a new watch shows them before checking anything.
        const auto records = DriftRecords(ws).load();
        QCOMPARE(records.value(QStringLiteral("prod")).drift.state, DriftStatus::State::Drifted);
        QVERIFY(!records.value(QStringLiteral("prod")).digest.isEmpty());
    }

    void theMinuteLookRidesOnTheStatusChecksConnection()
    {
        // dev is not kept between looks (unprotected): every status check is a connection
        // of its own. The watch's look at the catalog rides on one of them instead of
        // opening another: the database sees one session per status check and no more.
        PgCluster server;
        Workspace ws;
        const QString failed = devInOrder(server, &ws);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(300);
        monitor.setMaxCalmFactor(1); // every tick: the looks wait at most one
        DriftWatch watch(&monitor);
        watch.setStaggerMs(0);
        watch.setDigestIntervalMs(200);
        QSignalSpy checks(&monitor, &StatusMonitor::statusChanged);
        monitor.start();
        watch.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).drift.state,
                                  DriftStatus::State::None, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(watch.fullChecksStarted() > 0 && watch.checksRunning() <= 1 &&
                                     !watch.isChecking(QStringLiteral("dev")),
                                 kTimeoutMs);
        const auto sessions = [&server]() -> qint64 {
            const auto rows = server.exec(
                QStringLiteral("SELECT sessions FROM pg_stat_database WHERE datname = 'app'"));
            return rows && rows->rowCount() == 1 ? rows->value(0, 0).toLongLong() : -1;
        };
        const int fullChecks = watch.fullChecksStarted();
        const int digests = watch.digestsStarted();
        const int rides = monitor.catalogLooksTaken();
        const qsizetype checksBefore = checks.size();
        const qint64 sessionsBefore = sessions();
        QVERIFY(sessionsBefore > 0);

        QTRY_VERIFY_WITH_TIMEOUT(watch.digestsStarted() >= digests + 6, kTimeoutMs);
        watch.stop();
        monitor.stop();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.checksInFlight(), 0, kTimeoutMs);
        QCOMPARE(watch.fullChecksStarted(), fullChecks); // nothing changed: looks only
        // Each look was taken by a status check (the last one may have been waiting).
        QVERIFY2(monitor.catalogLooksTaken() - rides >= watch.digestsStarted() - digests - 1,
                 qPrintable(QStringLiteral("%1 rides for %2 looks")
                                .arg(monitor.catalogLooksTaken() - rides)
                                .arg(watch.digestsStarted() - digests)));
        // A session is counted when its backend ends: wait for the last check's.
        QTest::qWait(500);
        const qint64 opened = sessions() - sessionsBefore;
        const qsizetype statusChecks = checks.size() - checksBefore;
        // One check may have been running when counting began.
        QVERIFY2(opened <= statusChecks + 1,
                 qPrintable(QStringLiteral("%1 sessions for %2 status checks and %3 looks")
                                .arg(opened)
                                .arg(statusChecks)
                                .arg(watch.digestsStarted() - digests)));
        QVERIFY(opened >= statusChecks - 1);
    }

    void aLookWaitingOnALockNeverHoldsTheStatusBack()
    {
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        QVERIFY(server.createDatabase(QStringLiteral("app")).ok());
        const Workspace ws = workspaceWith(
            {environmentAt(QStringLiteral("dev"), server.url(QStringLiteral("app")))});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(20000); // no routine check during the test
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  kTimeoutMs);
        // A session holds a catalog the digest reads (and the check's own query does not).
        auto params = ConnectionParams::fromUrl(server.url(QStringLiteral("app")));
        QVERIFY(params);
        auto locker = Connection::open(*params);
        QVERIFY(locker);
        QVERIFY(locker->exec(QStringLiteral(
            "BEGIN; LOCK TABLE pg_catalog.pg_description IN ACCESS EXCLUSIVE MODE")));
        QSignalSpy checked(&monitor, &StatusMonitor::statusChanged);
        std::optional<Result<LiveCatalogLook>> answer;
        connect(&monitor, &StatusMonitor::catalogLooked, this,
                [&answer](const QString &, const Result<LiveCatalogLook> &look) { answer = look; });
        QVERIFY(monitor.requestCatalogLook(QStringLiteral("dev"), {}));
        monitor.refresh(QStringLiteral("dev"));
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, kTimeoutMs);
        QCOMPARE(monitor.status(QStringLiteral("dev")).state, StatusState::Up);
        QTest::qWait(500);
        QVERIFY(!answer); // the look still waits for the lock
        QVERIFY(locker->exec(QStringLiteral("COMMIT")));
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kTimeoutMs);
        QVERIFY2(answer->ok(), qPrintable(answer->ok() ? QString() : answer->error().message));
        QVERIFY(!(*answer)->digest.isEmpty());
        QCOMPARE(monitor.catalogLooksTaken(), 1);

        // Checked less often than every half minute: the caller looks on its own rather
        // than wait minutes for a check.
        monitor.setIntervalMs(int(StatusMonitor::kLookWaitLimitMs) + 1000);
        QVERIFY(!monitor.requestCatalogLook(QStringLiteral("dev"), {}));
        monitor.stop();
        monitor.setIntervalMs(300);
        QVERIFY(!monitor.requestCatalogLook(QStringLiteral("dev"), {}));
    }

    // Nearly every minute look finds the write counters as they were: that answer travels
    // with the check's status, one queued call (one wake-up of the panel) instead of two,
    // and is still told after the status.
    void anUnchangedLookComesBackWithItsStatus()
    {
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        QVERIFY(server.createDatabase(QStringLiteral("app")).ok());
        const QString dev = QStringLiteral("dev");
        StatusMonitor monitor(
            workspaceWith({environmentAt(dev, server.url(QStringLiteral("app")))}));
        monitor.setIntervalMs(20000); // no routine check during the test
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(dev).state, StatusState::Up, kTimeoutMs);
        QStringList told;
        std::optional<Result<LiveCatalogLook>> answer;
        connect(&monitor, &StatusMonitor::statusChanged, this,
                [&told](const EnvironmentStatus &) { told.append(QStringLiteral("status")); });
        connect(&monitor, &StatusMonitor::catalogLooked, this,
                [&](const QString &, const Result<LiveCatalogLook> &look) {
                    told.append(QStringLiteral("look"));
                    answer = look;
                });
        pd::test::MetaCallCounter calls(&monitor);
        // The first look has no counters to compare with: counters, then the digest, which
        // comes on its own after the status.
        QVERIFY(monitor.requestCatalogLook(dev, {}));
        monitor.refresh(dev);
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kTimeoutMs);
        QVERIFY(answer->ok());
        QVERIFY(!(*answer)->unchanged && !(*answer)->digest.isEmpty());
        QCOMPARE(told, (QStringList{QStringLiteral("status"), QStringLiteral("look")}));
        QCOMPARE(calls.count, 2);
        // Then the same counters (the server may still be flushing the counts of the
        // database's creation: looked at until they hold still).
        bool unchangedSeen = false;
        for (int attempt = 0; attempt < 10 && !unchangedSeen; ++attempt) {
            const QByteArray last = (*answer)->counters;
            QVERIFY(!last.isEmpty());
            answer.reset();
            told.clear();
            calls.count = 0;
            QVERIFY(monitor.requestCatalogLook(dev, last));
            monitor.refresh(dev);
            QTRY_VERIFY_WITH_TIMEOUT(answer.has_value() && monitor.checksInFlight() == 0,
                                     kTimeoutMs);
            QVERIFY(answer->ok());
            if (!(*answer)->unchanged) {
                QTest::qWait(1100);
                continue;
            }
            unchangedSeen = true;
            QVERIFY((*answer)->digest.isEmpty());
            QCOMPARE(told, (QStringList{QStringLiteral("status"), QStringLiteral("look")}));
            QTest::qWait(100); // nothing else is on its way
            QCOMPARE(calls.count, 1);
        }
        QVERIFY(unchangedSeen);
    }

    void recordsOfChecksFinishingTogetherAreAllKept()
    {
        // Checks of different servers finish on different pool threads at the same moment;
        // each stores its record into one shared file. None may replace another's.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Workspace ws;
        ws.filePath = m_workspace.filePath(QStringLiteral("together.yaml"));
        const DriftRecords records(ws, dir.path());
        constexpr int kEnvironments = 8;
        constexpr int kRounds = 25;
        QList<QFuture<void>> writers;
        for (int i = 0; i < kEnvironments; ++i) {
            writers.append(QtConcurrent::run([records, i] {
                for (int round = 1; round <= kRounds; ++round) {
                    DriftRecord record;
                    record.drift.state = DriftStatus::State::Drifted;
                    record.drift.objects = round;
                    record.drift.checkedAt = QDateTime::currentDateTimeUtc();
                    records.store(QStringLiteral("env%1").arg(i), record);
                }
            }));
        }
        for (auto &writer : writers)
            writer.waitForFinished();
        const auto loaded = records.load();
        QCOMPARE(loaded.size(), kEnvironments);
        for (int i = 0; i < kEnvironments; ++i)
            QCOMPARE(loaded.value(QStringLiteral("env%1").arg(i)).drift.objects, kRounds);
    }

    void theUsersOwnIntervalReplacesTheWorkspacesButNotAnEnvironments()
    {
        // Settings ▸ Checks: a user's own drift interval stands in for the workspace's
        // top-level drift_interval; an environment's own drift_interval still wins.
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        QVERIFY(server.createDatabase(QStringLiteral("app")).ok());
        QVERIFY(server.createDatabase(QStringLiteral("quiet")).ok());
        EnvironmentConfig quiet =
            environmentAt(QStringLiteral("quiet"), server.url(QStringLiteral("quiet")));
        quiet.driftIntervalSeconds = 0; // never in the background, whatever the user says
        // The team turned the watch off for the workspace.
        const Workspace ws = workspaceWith(
            {environmentAt(QStringLiteral("dev"), server.url(QStringLiteral("app"))), quiet}, 0);
        QVERIFY(applyAll(ws, server, QStringLiteral("app")));
        QVERIFY(applyAll(ws, server, QStringLiteral("quiet")));
        for (const char *db : {"app", "quiet"})
            QVERIFY(exec(server, QLatin1String(db),
                         QStringLiteral("ALTER TABLE users ADD COLUMN hotfix text")));

        StatusMonitor monitor(ws);
        monitor.setIntervalMs(500);
        DriftWatch watch(&monitor);
        watch.setStaggerMs(100);
        watch.setDigestIntervalMs(300);
        monitor.start();
        watch.start();
        QVERIFY(!watch.isStarted()); // off, as the workspace says

        // This user wants it: the drift is found without a click.
        watch.setIntervalOverrideSeconds(300);
        QCOMPARE(watch.intervalOverrideSeconds().value_or(-1), 300);
        watch.start();
        QVERIFY(watch.isStarted());
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).drift.state,
                                  DriftStatus::State::Drifted, kTimeoutMs);
        // The environment that opted out stays unchecked.
        QTRY_VERIFY_WITH_TIMEOUT(watch.digestsStarted() >= 2, kTimeoutMs);
        QVERIFY(monitor.status(QStringLiteral("quiet")).drift.state != DriftStatus::State::Drifted);

        // And the other way: 0 turns it off for this user; asking still works.
        watch.stop();
        watch.setIntervalOverrideSeconds(0);
        watch.start();
        QVERIFY(!watch.isStarted());
        watch.checkNow(QStringLiteral("quiet"));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("quiet")).drift.state,
                                  DriftStatus::State::Drifted, kTimeoutMs);
    }

    void aCheckThatCannotBeMadeIsAnErrorNeverNone()
    {
        // Only a protected environment: nowhere to build the expected schema.
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        QVERIFY(server.createDatabase(QStringLiteral("app")).ok());
        const Workspace ws = workspaceWith({environmentAt(
            QStringLiteral("prod"), server.url(QStringLiteral("app")), Protection::Confirm)});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(500);
        DriftWatch watch(&monitor);
        QSignalSpy finished(&watch, &DriftWatch::checkFinished);
        monitor.start();
        // Not started: only what the user asks for runs.
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).state, StatusState::Up,
                                  kTimeoutMs);
        watch.checkNow(QStringLiteral("prod"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
        QCOMPARE(finished.first().at(2).toBool(), true); // requested
        const EnvironmentStatus prod = monitor.status(QStringLiteral("prod"));
        QCOMPARE(prod.drift.state, DriftStatus::State::Error);
        QVERIFY(!prod.drift.reason.isEmpty());
        QCOMPARE(driftText(prod.drift), QStringLiteral("drift: error"));
        QCOMPARE(shownState(prod), StatusState::Attention);
    }

    // A check that keeps failing is tried again after 1, 2, 4, 8… ticks. Before, a failed
    // check had no head, the monitor's head differed from it, and every finished check
    // started the next at once: a shadow build every stagger (1.5 s) on a real server.
    void aFailingCheckBacksOffInsteadOfLooping()
    {
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        QVERIFY(server.createDatabase(QStringLiteral("app")).ok());
        // Only a protected environment: nowhere to build the expected schema.
        const Workspace ws = workspaceWith({environmentAt(
            QStringLiteral("prod"), server.url(QStringLiteral("app")), Protection::Confirm)});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(200);
        DriftWatch watch(&monitor);
        watch.setStaggerMs(0);
        watch.setDigestIntervalMs(100);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).state, StatusState::Up,
                                  kTimeoutMs);
        // What the controller publishes once it read the history: a known head.
        SchemaFacts facts;
        facts.known = true;
        facts.head = QStringLiteral("0002");
        monitor.setSchemaFacts(QStringLiteral("prod"), facts);
        watch.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).drift.state,
                                  DriftStatus::State::Error, kTimeoutMs);
        const int first = watch.fullChecksStarted();
        // 30 ticks: a retry every tick would be 30 checks, the old loop hundreds; backing
        // off 1, 2, 4, 8, 16 ticks makes at most 5.
        QTest::qWait(3000);
        const int retries = watch.fullChecksStarted() - first;
        QVERIFY2(retries >= 1 && retries <= 6, qPrintable(QString::number(retries)));
        QCOMPARE(monitor.status(QStringLiteral("prod")).drift.state, DriftStatus::State::Error);
    }

    // The background look fails where the full check would (permission denied on a catalog
    // for the watch's role): the card says "drift: error" with why, not the last result.
    void aLookThatFailsShowsTheErrorNotTheLastResult()
    {
        PgCluster devServer, prodServer;
        QVERIFY2(devServer.start().ok(), qPrintable(devServer.serverLog()));
        QVERIFY2(prodServer.start().ok(), qPrintable(prodServer.serverLog()));
        QVERIFY(devServer.createDatabase(QStringLiteral("app")).ok());
        QVERIFY(prodServer.createDatabase(QStringLiteral("app")).ok());
        QVERIFY(prodServer.createRole(QStringLiteral("watcher"), QStringLiteral("w")).ok());
        const Workspace ws = workspaceWith(
            {environmentAt(QStringLiteral("dev"), devServer.url(QStringLiteral("app"))),
             environmentAt(QStringLiteral("prod"),
                           prodServer.url(QStringLiteral("app"), QStringLiteral("watcher")),
                           Protection::Confirm)});
        QVERIFY(applyAll(ws, devServer, QStringLiteral("app")));
        QVERIFY(applyAll(ws, prodServer, QStringLiteral("app")));
        QVERIFY(exec(prodServer, QStringLiteral("app"),
                     QStringLiteral("GRANT USAGE ON SCHEMA paritydeck TO watcher; "
                                    "GRANT SELECT ON ALL TABLES IN SCHEMA paritydeck TO watcher")));

        StatusMonitor monitor(ws);
        monitor.setIntervalMs(300);
        DriftWatch watch(&monitor);
        watch.setStaggerMs(0);
        watch.setDigestIntervalMs(200);
        monitor.start();
        watch.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).drift.state,
                                  DriftStatus::State::None, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(watch.digestsStarted() >= 2, kTimeoutMs);

        QVERIFY(exec(prodServer, QStringLiteral("app"),
                     QStringLiteral("REVOKE SELECT ON pg_catalog.pg_trigger FROM PUBLIC")));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).drift.state,
                                  DriftStatus::State::Error, kTimeoutMs);
        const QString reason = monitor.status(QStringLiteral("prod")).drift.reason;
        QVERIFY2(reason.contains(QLatin1String("permission denied")), qPrintable(reason));
        // Given back, the next check finds it in order again.
        QVERIFY(exec(prodServer, QStringLiteral("app"),
                     QStringLiteral("GRANT SELECT ON pg_catalog.pg_trigger TO PUBLIC")));
        watch.checkNow(QStringLiteral("prod"));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("prod")).drift.state,
                                  DriftStatus::State::None, kTimeoutMs);
    }

    // While the panel acts on an environment (a Restart), no drift check of it starts and one
    // running is dropped: a server going down on purpose is no drift error.
    void aHeldEnvironmentIsNotCheckedAndKeepsWhatWasKnown()
    {
        PgCluster server;
        Workspace ws;
        const QString failed = devInOrder(server, &ws);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(300);
        DriftWatch watch(&monitor);
        watch.setStaggerMs(0);
        watch.setDigestIntervalMs(100);
        monitor.start();
        watch.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).drift.state,
                                  DriftStatus::State::None, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(watch.checksRunning() == 0, kTimeoutMs);

        watch.hold(QStringLiteral("dev"), true);
        QVERIFY(server.stop().ok()); // the Restart's stop
        watch.checkNow(QStringLiteral("dev"));
        QTest::qWait(1000); // ten ticks
        QVERIFY(!watch.isChecking(QStringLiteral("dev")));
        QCOMPARE(monitor.status(QStringLiteral("dev")).drift.state, DriftStatus::State::None);
        QVERIFY(server.restart().ok());
        const int digests = watch.digestsStarted();
        watch.hold(QStringLiteral("dev"), false);
        QTRY_VERIFY_WITH_TIMEOUT(watch.digestsStarted() + watch.fullChecksStarted() > digests,
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(watch.checksRunning() == 0, kTimeoutMs);
        QCOMPARE(monitor.status(QStringLiteral("dev")).drift.state, DriftStatus::State::None);
    }

    void theServerGoingAwayMidCheckIsAnError()
    {
        PgCluster server;
        Workspace ws;
        const QString failed = devInOrder(server, &ws);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        // A schema big enough that the check is still reading it when the server goes.
        QVERIFY(exec(server, QStringLiteral("app"),
                     QStringLiteral(
                         "DO $$ BEGIN FOR i IN 1..1500 LOOP EXECUTE format("
                         "'CREATE TABLE filler_%s (id int PRIMARY KEY, a text, b text, c int)', i);"
                         " END LOOP; END $$")));
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(60000);
        DriftWatch watch(&monitor);
        QSignalSpy started(&watch, &DriftWatch::checkStarted);
        QSignalSpy finished(&watch, &DriftWatch::checkFinished);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  kTimeoutMs);
        watch.checkNow(QStringLiteral("dev"));
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, kTimeoutMs);
        QVERIFY(server.kill().ok());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
        const DriftStatus drift = monitor.status(QStringLiteral("dev")).drift;
        QCOMPARE(drift.state, DriftStatus::State::Error);
        QVERIFY(!drift.reason.isEmpty());
    }

    void anActionOfThePanelIsReportedAtOnceAndDownKeepsLastSeen()
    {
        PgCluster server;
        QVERIFY2(server.start().ok(), qPrintable(server.serverLog()));
        const Workspace ws = workspaceWith({environmentAt(QStringLiteral("dev"), server.url())});
        StatusMonitor monitor(ws);
        // Slow polls and a long de-flap: without recheckAfterAction() a change would take
        // minutes to show.
        monitor.setIntervalMs(60000);
        monitor.setDeflapChecks(3);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  kTimeoutMs);
        const QString version = monitor.status(QStringLiteral("dev")).serverVersion;
        QVERIFY(!version.isEmpty());
        SchemaFacts facts;
        facts.known = true;
        facts.head = QStringLiteral("0001");
        facts.pending = 1;
        monitor.setSchemaFacts(QStringLiteral("dev"), facts);
        QCOMPARE(problemLine(monitor.status(QStringLiteral("dev"))),
                 QStringLiteral("dev: 1 pending migration"));

        QVERIFY(server.stop().ok());
        // A routine check finds it gone; the de-flap still reports it up until more checks
        // agree — with what it said when it answered, never "Up" beside a greyed "last seen".
        QSignalSpy checked(&monitor, &StatusMonitor::statusChanged);
        monitor.refresh(QStringLiteral("dev"));
        QTRY_VERIFY_WITH_TIMEOUT(!checked.isEmpty(), 10000);
        const EnvironmentStatus holding = monitor.status(QStringLiteral("dev"));
        QCOMPARE(holding.state, StatusState::Up);
        QCOMPARE(holding.serverVersion, version);
        QVERIFY(holding.databaseSizeBytes > 0);

        QElapsedTimer clock;
        clock.start();
        monitor.recheckAfterAction(QStringLiteral("dev"));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Down,
                                  10000);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        const EnvironmentStatus down = monitor.status(QStringLiteral("dev"));
        // Never mixed: no current version while down, the last one as "last seen".
        QVERIFY(down.serverVersion.isEmpty());
        QCOMPARE(down.databaseSizeBytes, -1);
        QCOMPARE(down.lastSeenVersion, version);
        QVERIFY(down.lastSeenSizeBytes > 0);
        QVERIFY(down.lastSeenAt.isValid());
        // What its history said is from before it stopped: not a problem of its own now.
        QCOMPARE(problemLine(down), QStringLiteral("dev: Down"));
        QVERIFY(!schemaFactsCurrent(down));

        QVERIFY(server.restart().ok());
        clock.restart();
        monitor.recheckAfterAction(QStringLiteral("dev"));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  10000);
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(monitor.status(QStringLiteral("dev")).serverVersion, version);
    }
};

QTEST_GUILESS_MAIN(TestDriftWatch)
#include "tst_driftwatch.moc"
