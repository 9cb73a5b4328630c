// The history a team shares (history: database): entries written to paritydeck.history in
// a real PostgreSQL database by real migration applies and drift findings, read back as a
// teammate's panel reads them, never for read-only environments, never with a secret.
#include "audit/sharedhistory.h"
#include "db/connection.h"
#include "environment/environmentprobe.h"
#include "environment/historyrecorder.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"
#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;
using pd::test::PgCluster;

namespace {

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

} // namespace

class TestSharedHistory final : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    QTemporaryDir m_dir;

    EnvironmentConfig environment(const QString &db, HistoryStore store = HistoryStore::Database)
    {
        EnvironmentConfig env;
        env.name = db;
        env.database.url = m_cluster.url(db);
        env.history = store;
        return env;
    }

    QList<SharedHistoryEntry> entries(const QString &db)
    {
        auto connection = m_cluster.connect(db);
        if (!connection)
            return {};
        auto read = sharedhistory::read(connection.value());
        return read ? *read : QList<SharedHistoryEntry>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_cluster.start().ok(), qPrintable(m_cluster.serverLog()));
        for (const QString &db : {QStringLiteral("prod"), QStringLiteral("local"),
                                  QStringLiteral("frozen"), QStringLiteral("drifty")})
            QVERIFY(m_cluster.createDatabase(db).ok());
    }

    void theLoaderRefusesSharedHistoryForReadOnlyEnvironments()
    {
        const QByteArray head = "version: 1\nproject: p\nenvironments:\n  prod:\n";
        const auto parsed =
            WorkspaceLoader::parse(head + "    history: database\n    protection: confirm\n"
                                          "    database: { url: postgresql://a@127.0.0.1/x }\n",
                                   QStringLiteral("p.yaml"));
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->environments.first().history, HistoryStore::Database);
        const auto local = WorkspaceLoader::parse(
            head + "    database: { url: postgresql://a@127.0.0.1/x }\n", QStringLiteral("p.yaml"));
        QCOMPARE(local->environments.first().history, HistoryStore::Local);

        ConfigError detail;
        QVERIFY(!WorkspaceLoader::parse(head +
                                            "    protection: read-only\n    history: database\n"
                                            "    database: { url: postgresql://a@127.0.0.1/x }\n",
                                        QStringLiteral("p.yaml"), &detail)
                     .ok());
        QCOMPARE(detail.line, 6);
        QCOMPARE(detail.column, 14);
        QVERIFY2(detail.message.contains(QStringLiteral("read-only")) &&
                     detail.message.contains(QStringLiteral("history: local")),
                 qPrintable(detail.message));
        QVERIFY(!WorkspaceLoader::parse(head +
                                            "    history: databse\n"
                                            "    database: { url: postgresql://a@127.0.0.1/x }\n",
                                        QStringLiteral("p.yaml"), &detail)
                     .ok());
        QCOMPARE(detail.line, 5);
        QVERIFY2(detail.message.contains(QStringLiteral("did you mean 'database'?")),
                 qPrintable(detail.message));
    }

    void appliedMigrationsAreWrittenAndReadBackAsATeammateSeesThem()
    {
        const QString folder = m_dir.filePath(QStringLiteral("migrations"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(writeFile(folder + QStringLiteral("/0041_users.sql"),
                          "CREATE TABLE users (id int);\n"));
        QVERIFY(writeFile(folder + QStringLiteral("/0042_add_search.sql"),
                          "ALTER TABLE users ADD name text;\n"));
        auto set = MigrationSource::load(folder, MigrationFormat::ParityDeck);
        QVERIFY2(set.ok(), qPrintable(set ? QString() : set.error().message));

        EnvironmentConfig prod = environment(QStringLiteral("prod"));
        prod.protection = Protection::Confirm;
        ConnectionParams params = m_cluster.connectionParams(QStringLiteral("prod"));
        ApplyOptions options;
        options.environment = prod.name;
        options.protection = prod.protection;
        options.confirmation = prod.name;
        const Result<ApplyReport> report = MigrationRunner::apply(params, *set, options);
        QVERIFY2(report.ok(), qPrintable(report ? QString() : report.error().message));
        QCOMPARE(report->steps.size(), 2);
        QCOMPARE(recordMigrationHistory(prod, params, report, false), QString());

        const QList<SharedHistoryEntry> written = entries(QStringLiteral("prod"));
        QCOMPARE(written.size(), 2);
        const SharedHistoryEntry &newest = written.first();
        QCOMPARE(newest.environment, QStringLiteral("prod"));
        QCOMPARE(newest.kind, QStringLiteral("migration"));
        QCOMPARE(newest.what, QStringLiteral("0042"));
        QCOMPARE(newest.result, QStringLiteral("applied"));
        QCOMPARE(newest.who, sharedhistory::who());
        QVERIFY(newest.who.endsWith(u'@' + QHostInfo::localHostName()));
        QCOMPARE(written.at(1).what, QStringLiteral("0041"));
        QVERIFY(qAbs(newest.at.secsTo(QDateTime::currentDateTimeUtc())) < 60);

        // The card's line, as a teammate's panel shows it two hours later.
        SharedHistoryEntry ana = newest;
        ana.who = QStringLiteral("ana@laptop");
        QCOMPARE(sharedhistory::describe(ana, newest.at.addSecs(2 * 3600 + 120)),
                 QStringLiteral("prod: 0042 applied by ana@laptop 2 h ago"));
        QCOMPARE(sharedhistory::age(newest.at, newest.at.addSecs(30)), QStringLiteral("just now"));
        QCOMPARE(sharedhistory::age(newest.at, newest.at.addSecs(300)),
                 QStringLiteral("5 min ago"));
        QCOMPARE(sharedhistory::age(newest.at, newest.at.addDays(3)), QStringLiteral("3 d ago"));

        // The panel's check reads it with each poll (status.sharedHistory).
        const EnvironmentStatus status = probeEnvironmentAt(prod, nullptr, params);
        QCOMPARE(status.state, StatusState::Up);
        QCOMPARE(status.sharedHistory, written);

        // A failed run is one entry saying so; a dry run writes nothing.
        QVERIFY(writeFile(folder + QStringLiteral("/0043_broken.sql"),
                          "ALTER TABLE nowhere ADD x int;\n"));
        set = MigrationSource::load(folder, MigrationFormat::ParityDeck);
        options.dryRun = true;
        QCOMPARE(recordMigrationHistory(prod, params, MigrationRunner::apply(params, *set, options),
                                        false),
                 QString());
        QCOMPARE(entries(QStringLiteral("prod")).size(), 2);
        options.dryRun = false;
        const Result<ApplyReport> failed = MigrationRunner::apply(params, *set, options);
        QVERIFY(!failed.ok());
        QCOMPARE(recordMigrationHistory(prod, params, failed, false, QStringLiteral("0043")),
                 QString());
        const QList<SharedHistoryEntry> after = entries(QStringLiteral("prod"));
        QCOMPARE(after.size(), 3);
        QCOMPARE(after.first().what, QStringLiteral("0043"));
        QVERIFY2(after.first().result.startsWith(QStringLiteral("failed: ")),
                 qPrintable(after.first().result));
    }

    void environmentsWithoutItOrReadOnlyAreNotWritten()
    {
        const ConnectionParams params = m_cluster.connectionParams(QStringLiteral("local"));
        QVERIFY(recordSharedHistory(environment(QStringLiteral("local"), HistoryStore::Local),
                                    params, QStringLiteral("migration"), QStringLiteral("0001"),
                                    QStringLiteral("applied"))
                    .ok());
        auto connection = m_cluster.connect(QStringLiteral("local"));
        QVERIFY(connection.ok());
        QCOMPARE(connection.value()
                     .scalar(QStringLiteral("SELECT to_regclass('paritydeck.history') IS NULL"))
                     .value(),
                 QStringLiteral("t"));

        // Built by hand (the loader refuses it): the protection rule still refuses.
        EnvironmentConfig frozen = environment(QStringLiteral("frozen"));
        frozen.protection = Protection::ReadOnly;
        const Result<void> refused = recordSharedHistory(
            frozen, m_cluster.connectionParams(QStringLiteral("frozen")),
            QStringLiteral("migration"), QStringLiteral("0001"), QStringLiteral("applied"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Protected);
        QVERIFY(entries(QStringLiteral("frozen")).isEmpty());
        auto frozenConnection = m_cluster.connect(QStringLiteral("frozen"));
        QCOMPARE(frozenConnection.value()
                     .scalar(QStringLiteral("SELECT to_regnamespace('paritydeck') IS NULL"))
                     .value(),
                 QStringLiteral("t"));
    }

    void noSecretReachesTheTable()
    {
        ConnectionParams params = m_cluster.connectionParams(QStringLiteral("prod"));
        params.password = SecretValue(QByteArray("hist0ry-s3cret-pw"));
        QVERIFY(recordSharedHistory(environment(QStringLiteral("prod")), params,
                                    QStringLiteral("migration"), QStringLiteral("0099"),
                                    QStringLiteral("failed: password hist0ry-s3cret-pw rejected"))
                    .ok());
        auto connection = m_cluster.connect(QStringLiteral("prod"));
        const QString all =
            connection.value()
                .scalar(QStringLiteral("SELECT string_agg(h::text, ' ') FROM paritydeck.history h"))
                .value();
        QVERIFY(!all.contains(QStringLiteral("hist0ry-s3cret-pw")));
        QVERIFY2(all.contains(QStringLiteral("failed: password •••• rejected")), qPrintable(all));
    }

    void driftFindingsAreWrittenOnceAndTheirEndToo()
    {
        const EnvironmentConfig env = environment(QStringLiteral("drifty"));
        const ConnectionParams params = m_cluster.connectionParams(QStringLiteral("drifty"));
        DriftReport clean;
        clean.environment = env.name;
        clean.summary = QStringLiteral("identical");
        // In line and never drifted: nothing to say.
        QCOMPARE(recordDriftHistory(env, params, clean), QString());
        QVERIFY(entries(QStringLiteral("drifty")).isEmpty());

        DriftReport drifted = clean;
        drifted.changes = 2;
        drifted.summary = QStringLiteral("1 column added, 1 index added");
        QCOMPARE(recordDriftHistory(env, params, drifted), QString());
        QCOMPARE(recordDriftHistory(env, params, drifted), QString()); // the same finding again
        QList<SharedHistoryEntry> written = entries(QStringLiteral("drifty"));
        QCOMPARE(written.size(), 1);
        QCOMPARE(written.first().kind, QStringLiteral("drift"));
        QCOMPARE(written.first().what, QStringLiteral("2 objects"));
        QCOMPARE(written.first().result,
                 QStringLiteral("differ from the migrations (1 column added, 1 index added)"));

        QCOMPARE(recordDriftHistory(env, params, clean), QString());
        QCOMPARE(recordDriftHistory(env, params, clean), QString());
        written = entries(QStringLiteral("drifty"));
        QCOMPARE(written.size(), 2);
        QCOMPARE(written.first().result, QStringLiteral("back in line with the migrations"));

        // A failed check says nothing about drift.
        QCOMPARE(
            recordDriftHistory(env, params,
                               Result<DriftReport>(Error(ErrorCode::Runtime, QStringLiteral("x")))),
            QString());
        QCOMPARE(entries(QStringLiteral("drifty")).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSharedHistory)
#include "tst_sharedhistory.moc"
