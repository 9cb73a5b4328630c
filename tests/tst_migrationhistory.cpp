// Reading migration history from a real server — ParityDeck's own table and the
// tracking tables of Flyway, golang-migrate, dbmate, Rails, Alembic, Prisma and sqitch,
// created from the tools' documented DDL — and planning against it: applied, pending,
// missing, checksum-changed, failed/dirty, out of order.
#include "db/connection.h"
#include "migrations/migrationhistory.h"
#include "migrations/migrationplan.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace pd;
using namespace pd::test;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(PD_TEST_DATA_DIR "/migrations/") + relative;
}

QString historyDdl(const QString &tool)
{
    QFile file(dataPath(QStringLiteral("history/") + tool + QStringLiteral(".sql")));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing DDL for %s", qPrintable(tool));
    return QString::fromUtf8(file.readAll());
}

MigrationSet loadSet(const QString &folder)
{
    auto set = MigrationSource::load(dataPath(folder));
    if (!set)
        qFatal("cannot load %s: %s", qPrintable(folder), qPrintable(set.error().message));
    return set.value();
}

const PlannedMigration &planned(const MigrationPlan &plan, const QString &version)
{
    for (const PlannedMigration &p : plan.migrations) {
        if (p.version == version)
            return p;
    }
    qFatal("version %s is not in the plan", qPrintable(version));
}

QString stateOf(const MigrationPlan &plan, const QString &version)
{
    return migrationStateName(planned(plan, version).state);
}

QString problemMessage(const MigrationPlan &plan, MigrationProblem::Kind kind,
                       const QString &version)
{
    for (const MigrationProblem &p : plan.problems) {
        if (p.kind == kind && p.version == version)
            return p.message;
    }
    return {};
}

bool hasProblem(const MigrationPlan &plan, MigrationProblem::Kind kind, const QString &version)
{
    return !problemMessage(plan, kind, version).isEmpty();
}

} // namespace

class TestMigrationHistory final : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    int m_databases = 0;

    // A fresh database with `ddl` run in it, and a connection to it.
    Connection freshDatabase(const QString &ddl = {})
    {
        const QString name = QStringLiteral("hist_%1").arg(++m_databases);
        if (auto created = m_cluster.createDatabase(name); !created)
            qFatal("createdb: %s", qPrintable(created.error().message));
        auto connection = m_cluster.connect(name);
        if (!connection)
            qFatal("connect: %s", qPrintable(connection.error().message));
        if (!ddl.isEmpty()) {
            if (auto r = connection->exec(ddl); !r)
                qFatal("DDL: %s", qPrintable(r.error().message));
        }
        return std::move(connection).value();
    }

    static void execOk(Connection &c, const QString &sql, const QStringList &params = {})
    {
        const auto r = c.exec(sql, params);
        if (!r)
            qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().message));
    }

    static MigrationPlan planFor(Connection &c, const MigrationSet &set)
    {
        auto histories = MigrationHistoryReader::readAll(c);
        if (!histories)
            qFatal("readAll: %s", qPrintable(histories.error().message));
        return MigrationPlanner::plan(set, *histories);
    }

    // ParityDeck's own history where the first migration, 0001, failed.
    MigrationPlan planWithFirstMigrationFailed()
    {
        Connection c = freshDatabase(MigrationHistoryReader::parityDeckTableDdl());
        const MigrationSet set = loadSet(QStringLiteral("paritydeck"));
        execOk(c,
               QStringLiteral(
                   "INSERT INTO paritydeck.schema_migrations (version, name, checksum, success) "
                   "VALUES ('0001', 'create_users', $1, false)"),
               {set.migrations.at(0).checksum});
        return planFor(c, set);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto started = m_cluster.start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
    }

    void freshDatabaseHasNoHistoryAndEverythingIsPending()
    {
        Connection c = freshDatabase();
        const auto histories = MigrationHistoryReader::readAll(c);
        QVERIFY(histories.ok());
        QVERIFY(histories->isEmpty());
        const MigrationPlan plan =
            MigrationPlanner::plan(loadSet(QStringLiteral("paritydeck")), *histories);
        QVERIFY(!plan.historyExists);
        QCOMPARE(plan.historyKind, HistoryKind::ParityDeck);
        QCOMPARE(plan.pendingCount(), 3);
        QVERIFY(plan.headVersion.isEmpty());
        QVERIFY(plan.writable());
    }

    void parityDeckHistoryShowsAppliedChangedMissingAndPending()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("paritydeck-demo")));
        const MigrationSet set = loadSet(QStringLiteral("paritydeck"));
        const QString insert = QStringLiteral(
            "INSERT INTO paritydeck.schema_migrations (version, name, checksum, applied_at) "
            "VALUES ($1, $2, $3, now() - $4::interval)");
        execOk(c, insert,
               {QStringLiteral("0001"), QStringLiteral("create_users"),
                set.migrations.at(0).checksum, QStringLiteral("3 days")});
        execOk(c, insert,
               {QStringLiteral("0002"), QStringLiteral("add_email"), QStringLiteral("0123abcd"),
                QStringLiteral("2 days")});
        execOk(c, insert,
               {QStringLiteral("0007"), QStringLiteral("from_another_branch"), QStringLiteral("ff"),
                QStringLiteral("1 day")});

        const MigrationPlan plan = planFor(c, set);
        QVERIFY(plan.historyExists);
        QCOMPARE(plan.historyTable, QStringLiteral("paritydeck.schema_migrations"));
        QCOMPARE(stateOf(plan, QStringLiteral("0001")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("0002")), QStringLiteral("checksum-changed"));
        QCOMPARE(stateOf(plan, QStringLiteral("0010")), QStringLiteral("pending"));
        QCOMPARE(stateOf(plan, QStringLiteral("0007")), QStringLiteral("missing"));
        QVERIFY(!planned(plan, QStringLiteral("0010")).outOfOrder);
        QVERIFY(!plan.isUpToDate());
        // The database is at 0007, applied from another branch: that is its head, and it
        // says the file is not here (it used to be "0002", as if 0007 did not exist).
        QCOMPARE(plan.headVersion, QStringLiteral("0007"));
        QVERIFY(!plan.headInCheckout);
        QCOMPARE(plan.headLabel(), QStringLiteral("0007, not in this checkout"));
        QCOMPARE(plan.pendingCount(), 1);
        QVERIFY(hasProblem(plan, MigrationProblem::Kind::ChecksumChanged, QStringLiteral("0002")));
        QVERIFY(hasProblem(plan, MigrationProblem::Kind::Missing, QStringLiteral("0007")));
        QVERIFY(plan.hasBlockingProblems());
        const AppliedMigration &row = *planned(plan, QStringLiteral("0001")).applied;
        QCOMPARE(row.appliedBy, QStringLiteral("postgres"));
        QVERIFY(row.appliedAt.isValid());
        QVERIFY(row.appliedAt < QDateTime::currentDateTimeUtc().addDays(-2));
    }

    void planAsJsonHasStableKeys()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("paritydeck-demo")));
        const MigrationSet set = loadSet(QStringLiteral("paritydeck"));
        execOk(
            c,
            QStringLiteral(
                "INSERT INTO paritydeck.schema_migrations (version, name, checksum, duration_ms) "
                "VALUES ('0001', 'create_users', $1, 42)"),
            {set.migrations.at(0).checksum});
        const QJsonObject json = migrationPlanToJson(planFor(c, set));
        QCOMPARE(json.value(QStringLiteral("format")).toString(), QStringLiteral("paritydeck"));
        QCOMPARE(json.value(QStringLiteral("head")).toString(), QStringLiteral("0001"));
        QCOMPARE(json.value(QStringLiteral("pending")).toInt(), 2);
        QCOMPARE(json.value(QStringLiteral("upToDate")).toBool(), false);
        const QJsonObject history = json.value(QStringLiteral("history")).toObject();
        QCOMPARE(history.value(QStringLiteral("table")).toString(),
                 QStringLiteral("paritydeck.schema_migrations"));
        QCOMPARE(history.value(QStringLiteral("writable")).toBool(), true);
        const QJsonArray migrations = json.value(QStringLiteral("migrations")).toArray();
        QCOMPARE(migrations.size(), 3);
        const QJsonObject first = migrations.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("applied"));
        QCOMPARE(first.value(QStringLiteral("file")).toString(),
                 QStringLiteral("0001_create_users.sql"));
        QCOMPARE(first.value(QStringLiteral("durationMs")).toInt(), 42);
        QVERIFY(first.value(QStringLiteral("appliedAt")).toString().endsWith(QLatin1Char('Z')));
        const QJsonArray problems = json.value(QStringLiteral("problems")).toArray();
        QCOMPARE(problems.size(), 1); // notes.sql is not a migration
        QCOMPARE(problems.at(0).toObject().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("warning"));
        QCOMPARE(problems.at(0).toObject().value(QStringLiteral("blocking")).toBool(), false);
    }

    void upToDateDespiteAStrayFileWarning()
    {
        Connection c = freshDatabase(MigrationHistoryReader::parityDeckTableDdl());
        const MigrationSet set = loadSet(QStringLiteral("paritydeck"));
        for (const Migration &m : set.migrations) {
            execOk(
                c,
                QStringLiteral("INSERT INTO paritydeck.schema_migrations (version, name, checksum) "
                               "VALUES ($1, $2, $3)"),
                {m.version, m.name, m.checksum});
        }
        const MigrationPlan plan = planFor(c, set);
        QCOMPARE(plan.problems.size(), 1); // notes.sql
        QVERIFY(plan.isUpToDate());
        QCOMPARE(plan.headVersion, QStringLiteral("0010"));
    }

    void pendingMigrationOlderThanTheHeadIsOutOfOrder()
    {
        Connection c = freshDatabase(MigrationHistoryReader::parityDeckTableDdl());
        const MigrationSet set = loadSet(QStringLiteral("paritydeck"));
        const QString insert =
            QStringLiteral("INSERT INTO paritydeck.schema_migrations (version, name, checksum) "
                           "VALUES ($1, $2, $3)");
        execOk(c, insert,
               {QStringLiteral("0001"), QStringLiteral("create_users"),
                set.migrations.at(0).checksum});
        execOk(
            c, insert,
            {QStringLiteral("0010"), QStringLiteral("index_email"), set.migrations.at(2).checksum});
        const MigrationPlan plan = planFor(c, set);
        QCOMPARE(stateOf(plan, QStringLiteral("0002")), QStringLiteral("pending"));
        QVERIFY(planned(plan, QStringLiteral("0002")).outOfOrder);
        QVERIFY(hasProblem(plan, MigrationProblem::Kind::OutOfOrder, QStringLiteral("0002")));
        QCOMPARE(plan.headVersion, QStringLiteral("0010"));
    }

    void failedParityDeckRowBlocksWithTheDeleteRemedy()
    {
        const MigrationPlan plan = planWithFirstMigrationFailed();
        QCOMPARE(stateOf(plan, QStringLiteral("0001")), QStringLiteral("failed"));
        const QString message =
            problemMessage(plan, MigrationProblem::Kind::Failed, QStringLiteral("0001"));
        QVERIFY2(message.contains(QStringLiteral(
                     "DELETE FROM paritydeck.schema_migrations WHERE version = '0001'")),
                 qPrintable(message));
    }

    // Issue 16, item 9: a failed run stays a failed run when its file is not here.
    void failedRowWithoutItsFileIsFailedWithTheRemedy()
    {
        Connection c = freshDatabase(MigrationHistoryReader::parityDeckTableDdl());
        const MigrationSet set = loadSet(QStringLiteral("paritydeck"));
        execOk(c,
               QStringLiteral(
                   "INSERT INTO paritydeck.schema_migrations (version, name, checksum, success) "
                   "VALUES ('0001', 'create_users', $1, true), "
                   "('0008', 'from_another_branch', 'ff', false)"),
               {set.migrations.at(0).checksum});
        const MigrationPlan plan = planFor(c, set);
        QCOMPARE(stateOf(plan, QStringLiteral("0008")), QStringLiteral("failed"));
        QCOMPARE(plan.count(MigrationState::Missing), 0);
        QVERIFY(!hasProblem(plan, MigrationProblem::Kind::Missing, QStringLiteral("0008")));
        QVERIFY(plan.hasBlockingProblems());
        const QString message =
            problemMessage(plan, MigrationProblem::Kind::Failed, QStringLiteral("0008"));
        QVERIFY2(message.contains(QStringLiteral("no migration file in this checkout")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral(
                     "DELETE FROM paritydeck.schema_migrations WHERE version = '0008'")),
                 qPrintable(message));
        // A failed run is not the head; 0001 is, and its file is here.
        QCOMPARE(plan.headVersion, QStringLiteral("0001"));
        QVERIFY(plan.headInCheckout);
    }

    void flywayHistoryIsReadWithItsOwnChecksums()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("flyway")));
        const MigrationSet set = loadSet(QStringLiteral("flyway"));
        const QString insert = QStringLiteral("INSERT INTO flyway_schema_history (installed_rank, "
                                              "version, description, type, script, "
                                              "checksum, installed_by, execution_time, success) "
                                              "VALUES ($1, $2, $3, $4, $5, $6, 'ci', 12, $7)");
        execOk(c, insert,
               {QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("create users"),
                QStringLiteral("SQL"), QStringLiteral("V1__create_users.sql"),
                set.find(QStringLiteral("1"))->toolChecksum, QStringLiteral("true")});
        execOk(c, insert,
               {QStringLiteral("2"), QStringLiteral("1.1"), QStringLiteral("add email"),
                QStringLiteral("SQL"), QStringLiteral("V1.1__add_email.sql"),
                QStringLiteral("12345"), QStringLiteral("true")});
        execOk(c, insert,
               {QStringLiteral("3"), QStringLiteral("1.2"), QStringLiteral("add phone"),
                QStringLiteral("SQL"), QStringLiteral("V1_2__add_phone.sql"),
                set.find(QStringLiteral("1.2"))->toolChecksum, QStringLiteral("false")});
        execOk(c, insert,
               {QStringLiteral("4"), QString(), QStringLiteral("user emails"),
                QStringLiteral("SQL"), QStringLiteral("R__user_emails.sql"), QStringLiteral("777"),
                QStringLiteral("true")});

        const MigrationPlan plan = planFor(c, set);
        QCOMPARE(plan.historyKind, HistoryKind::Flyway);
        QCOMPARE(plan.historyTable, QStringLiteral("public.flyway_schema_history"));
        QVERIFY(!plan.writable());
        QCOMPARE(stateOf(plan, QStringLiteral("1")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("1.1")), QStringLiteral("checksum-changed"));
        QCOMPARE(stateOf(plan, QStringLiteral("1.2")), QStringLiteral("failed"));
        QCOMPARE(stateOf(plan, QStringLiteral("2")), QStringLiteral("pending"));
        QCOMPARE(stateOf(plan, QStringLiteral("10")), QStringLiteral("pending"));
        // A changed repeatable is simply due again.
        QCOMPARE(stateOf(plan, QStringLiteral("R__user_emails")), QStringLiteral("pending"));
        QVERIFY(hasProblem(plan, MigrationProblem::Kind::Failed, QStringLiteral("1.2")));
        QVERIFY(plan.problems.size() >= 2);
        QCOMPARE(planned(plan, QStringLiteral("1")).applied->appliedBy, QStringLiteral("ci"));
        QCOMPARE(planned(plan, QStringLiteral("1")).applied->durationMs, 12);
    }

    void flywayBaselineCountsOlderVersionsAsApplied()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("flyway")));
        execOk(
            c,
            QStringLiteral(
                "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
                "script, checksum, installed_by, execution_time, success) "
                "VALUES (1, '1.2', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', "
                "NULL, 'ci', 0, true)"));
        const MigrationPlan plan = planFor(c, loadSet(QStringLiteral("flyway")));
        QCOMPARE(stateOf(plan, QStringLiteral("1")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("1.2")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("2")), QStringLiteral("pending"));
        QVERIFY(!planned(plan, QStringLiteral("2")).outOfOrder);
        QCOMPARE(plan.count(MigrationState::Missing), 0);
        QCOMPARE(plan.headVersion, QStringLiteral("1.2"));
        QVERIFY(!plan.hasBlockingProblems());
    }

    void golangMigrateDirtyIsFailedWithTheForceRemedy()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("golang-migrate")));
        execOk(c,
               QStringLiteral("INSERT INTO schema_migrations (version, dirty) VALUES (2, true)"));
        const MigrationPlan plan = planFor(c, loadSet(QStringLiteral("golang-migrate")));
        QCOMPARE(plan.historyKind, HistoryKind::GolangMigrate);
        QVERIFY(plan.dirty);
        QCOMPARE(stateOf(plan, QStringLiteral("1")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("2")), QStringLiteral("failed"));
        QCOMPARE(stateOf(plan, QStringLiteral("10")), QStringLiteral("pending"));
        const QString message =
            problemMessage(plan, MigrationProblem::Kind::Dirty, QStringLiteral("2"));
        QVERIFY2(message.contains(QStringLiteral("force 2")) &&
                     message.contains(QStringLiteral("force 1")),
                 qPrintable(message));
    }

    void golangMigrateCleanAppliesEverythingUpToTheVersion()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("golang-migrate")));
        execOk(c,
               QStringLiteral("INSERT INTO schema_migrations (version, dirty) VALUES (2, false)"));
        const MigrationPlan plan = planFor(c, loadSet(QStringLiteral("golang-migrate")));
        QVERIFY(!plan.dirty);
        QCOMPARE(plan.count(MigrationState::Applied), 2);
        QCOMPARE(plan.pendingCount(), 1);
        QCOMPARE(plan.headVersion, QStringLiteral("2"));
        QVERIFY(!plan.hasBlockingProblems());
        QVERIFY(!plan.isUpToDate()); // 10 is pending
    }

    void dbmateAndRailsAreToldApartByArInternalMetadata()
    {
        Connection dbmate = freshDatabase(historyDdl(QStringLiteral("dbmate")));
        execOk(dbmate, QStringLiteral("INSERT INTO schema_migrations VALUES ('20240101120000')"));
        auto histories = MigrationHistoryReader::readAll(dbmate);
        QVERIFY(histories.ok());
        QCOMPARE(histories->size(), 1);
        QCOMPARE(histories->at(0).kind, HistoryKind::Dbmate);
        const MigrationPlan plan =
            MigrationPlanner::plan(loadSet(QStringLiteral("dbmate")), *histories);
        QCOMPARE(stateOf(plan, QStringLiteral("20240101120000")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("20240102090000")), QStringLiteral("pending"));

        Connection rails = freshDatabase(historyDdl(QStringLiteral("rails")));
        execOk(rails, QStringLiteral("INSERT INTO schema_migrations VALUES ('20240101120000')"));
        histories = MigrationHistoryReader::readAll(rails);
        QVERIFY(histories.ok());
        QCOMPARE(histories->size(), 1);
        QCOMPARE(histories->at(0).kind, HistoryKind::Rails);
    }

    void alembicHeadMeansItsAncestorsAreApplied()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("alembic")));
        execOk(c, QStringLiteral("INSERT INTO alembic_version VALUES ('1975ea83b712')"));
        const MigrationPlan plan = planFor(c, loadSet(QStringLiteral("alembic")));
        QCOMPARE(plan.historyKind, HistoryKind::Alembic);
        QCOMPARE(stateOf(plan, QStringLiteral("ae1027a6acf")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("1975ea83b712")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("27c6a30d7c24")), QStringLiteral("pending"));
        QCOMPARE(stateOf(plan, QStringLiteral("3d0c9b1f5e2a")), QStringLiteral("pending"));
        QCOMPARE(plan.headVersion, QStringLiteral("1975ea83b712"));
    }

    void prismaHistoryShowsFinishedFailedAndIgnoresRolledBack()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("prisma")));
        const auto histories = MigrationHistoryReader::readAll(c);
        QVERIFY(histories.ok());
        QCOMPARE(histories->size(), 1);
        const MigrationHistory &h = histories->at(0);
        QCOMPARE(h.kind, HistoryKind::Prisma);
        QCOMPARE(h.applied.size(), 2);
        QCOMPARE(h.applied.at(0).version, QStringLiteral("20240101000000_init"));
        QVERIFY(h.applied.at(0).success);
        QCOMPARE(h.applied.at(0).durationMs, 1000);
        QVERIFY(!h.applied.at(1).success);
    }

    void prismaHistoryPlansAgainstPrismaFolders()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("prisma")));
        const MigrationSet set = loadSet(QStringLiteral("prisma"));
        const Migration &init = *set.find(QStringLiteral("20240101000000_init"));
        // Older Prisma versions stored the hash of the raw (here CRLF) bytes.
        execOk(
            c,
            QStringLiteral("UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2"),
            {init.toolChecksum, init.version});
        MigrationPlan plan = planFor(c, set);
        QCOMPARE(plan.historyKind, HistoryKind::Prisma);
        QCOMPARE(stateOf(plan, init.version), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("20240102000000_add_email")),
                 QStringLiteral("failed"));
        QCOMPARE(stateOf(plan, QStringLiteral("20240103000000_add_phone")),
                 QStringLiteral("pending"));
        QCOMPARE(plan.count(MigrationState::Missing), 0); // the rolled-back row does not count
        QVERIFY2(problemMessage(plan, MigrationProblem::Kind::Failed,
                                QStringLiteral("20240102000000_add_email"))
                     .contains(QStringLiteral("prisma migrate resolve")),
                 qPrintable(plan.problems.value(0).message));
        // Newer ones normalise line endings first: the same as ParityDeck's checksum.
        execOk(
            c,
            QStringLiteral("UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2"),
            {init.checksum, init.version});
        plan = planFor(c, set);
        QCOMPARE(stateOf(plan, init.version), QStringLiteral("applied"));
        execOk(c,
               QStringLiteral(
                   "UPDATE _prisma_migrations SET checksum = 'f00' WHERE migration_name = $1"),
               {init.version});
        plan = planFor(c, set);
        QCOMPARE(stateOf(plan, init.version), QStringLiteral("checksum-changed"));
    }

    void sqitchChangesAreComparedByScriptHash()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("sqitch")));
        const MigrationSet set = loadSet(QStringLiteral("sqitch"));
        const QString insert = QStringLiteral(
            "INSERT INTO sqitch.changes (change_id, script_hash, change, project, note, "
            "committer_name, "
            "committer_email, planned_at, planner_name, planner_email) "
            "VALUES ($1, $2, $3, 'flipr', '', 'Marge', 'm@x', now(), 'Marge', 'm@x')");
        execOk(c, insert,
               {QStringLiteral("id1"), set.find(QStringLiteral("appschema"))->toolChecksum,
                QStringLiteral("appschema")});
        execOk(c, insert, {QStringLiteral("id2"), QStringLiteral("0000"), QStringLiteral("users")});
        const MigrationPlan plan = planFor(c, set);
        QCOMPARE(plan.historyKind, HistoryKind::Sqitch);
        QCOMPARE(plan.historyTable, QStringLiteral("sqitch.changes"));
        QCOMPARE(stateOf(plan, QStringLiteral("appschema")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("users")), QStringLiteral("checksum-changed"));
        QCOMPARE(stateOf(plan, QStringLiteral("flips")), QStringLiteral("pending"));
    }

    void parityDeckHistoryWinsOverAToolTableOfAnotherFormat()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("golang-migrate")));
        execOk(c, MigrationHistoryReader::parityDeckTableDdl());
        const auto histories = MigrationHistoryReader::readAll(c);
        QVERIFY(histories.ok());
        QCOMPARE(histories->size(), 2);
        QCOMPARE(histories->at(0).kind, HistoryKind::ParityDeck);
        const MigrationPlan plan =
            MigrationPlanner::plan(loadSet(QStringLiteral("golang-migrate")), *histories);
        QCOMPARE(plan.historyKind, HistoryKind::ParityDeck);
        QVERIFY(plan.writable());
    }

    void toolTableOutsideTheSearchPathIsStillFound()
    {
        Connection c = freshDatabase(
            QStringLiteral("CREATE SCHEMA migrations; SET search_path = migrations; ") +
            historyDdl(QStringLiteral("alembic")));
        const auto histories = MigrationHistoryReader::readAll(c);
        QVERIFY(histories.ok());
        QCOMPARE(histories->size(), 1);
        QCOMPARE(histories->at(0).table, QStringLiteral("migrations.alembic_version"));
    }

    // The head is the newest migration applied successfully: a failed one after it is listed
    // as failed, with its problem, and the head stays where the database really is.
    void failedMigrationIsNeverTheHead()
    {
        Connection c = freshDatabase(MigrationHistoryReader::parityDeckTableDdl());
        const MigrationSet set = loadSet(QStringLiteral("paritydeck"));
        execOk(c,
               QStringLiteral(
                   "INSERT INTO paritydeck.schema_migrations (version, name, checksum, success) "
                   "VALUES ('0001', 'create_users', $1, true), ('0002', 'add_email', $2, false)"),
               {set.migrations.at(0).checksum, set.migrations.at(1).checksum});
        const MigrationPlan plan = planFor(c, set);
        QCOMPARE(stateOf(plan, QStringLiteral("0001")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("0002")), QStringLiteral("failed"));
        QVERIFY(hasProblem(plan, MigrationProblem::Kind::Failed, QStringLiteral("0002")));
        QCOMPARE(plan.headVersion, QStringLiteral("0001"));
        QCOMPARE(plan.headLabel(), QStringLiteral("0001"));
        QCOMPARE(migrationPlanToJson(plan).value(QStringLiteral("head")).toString(),
                 QStringLiteral("0001"));
    }

    void failedFirstMigrationLeavesNoHead()
    {
        const MigrationPlan plan = planWithFirstMigrationFailed();
        QCOMPARE(stateOf(plan, QStringLiteral("0001")), QStringLiteral("failed"));
        QVERIFY(plan.headVersion.isEmpty());
        QCOMPARE(plan.headLabel(), QStringLiteral("none"));
        QVERIFY(migrationPlanToJson(plan).value(QStringLiteral("head")).isNull());
    }

    // Only failed rows, and none has a file here: still no head.
    void failedRowsWithoutFilesLeaveNoHead()
    {
        Connection c = freshDatabase(MigrationHistoryReader::parityDeckTableDdl());
        execOk(c, QStringLiteral("INSERT INTO paritydeck.schema_migrations (version, name, "
                                 "checksum, success) VALUES ('0008', 'elsewhere', 'ff', false)"));
        const MigrationPlan plan = planFor(c, loadSet(QStringLiteral("paritydeck")));
        QCOMPARE(stateOf(plan, QStringLiteral("0008")), QStringLiteral("failed"));
        QVERIFY(plan.headVersion.isEmpty());
    }

    void golangMigrateDirtyVersionIsNotTheHead()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("golang-migrate")));
        execOk(c,
               QStringLiteral("INSERT INTO schema_migrations (version, dirty) VALUES (2, true)"));
        const MigrationPlan dirtyAtTwo = planFor(c, loadSet(QStringLiteral("golang-migrate")));
        QCOMPARE(stateOf(dirtyAtTwo, QStringLiteral("2")), QStringLiteral("failed"));
        QCOMPARE(dirtyAtTwo.headVersion, QStringLiteral("1"));

        execOk(c, QStringLiteral("UPDATE schema_migrations SET version = 1"));
        const MigrationPlan dirtyAtOne = planFor(c, loadSet(QStringLiteral("golang-migrate")));
        QCOMPARE(stateOf(dirtyAtOne, QStringLiteral("1")), QStringLiteral("failed"));
        QVERIFY(dirtyAtOne.headVersion.isEmpty());

        // Dirty at a version no file has: what it failed at is no head either.
        execOk(c, QStringLiteral("UPDATE schema_migrations SET version = 7"));
        auto histories = MigrationHistoryReader::readAll(c);
        QVERIFY(histories.ok());
        MigrationSet empty = loadSet(QStringLiteral("golang-migrate"));
        empty.migrations.clear();
        const MigrationPlan noFiles = MigrationPlanner::plan(empty, *histories);
        QVERIFY(noFiles.dirty);
        QVERIFY(noFiles.headVersion.isEmpty());
    }

    void failedFlywayRunIsNotTheHead()
    {
        Connection c = freshDatabase(historyDdl(QStringLiteral("flyway")));
        const QString insert = QStringLiteral("INSERT INTO flyway_schema_history (installed_rank, "
                                              "version, description, type, script, "
                                              "checksum, installed_by, execution_time, success) "
                                              "VALUES ($1, $2, $3, 'SQL', $4, NULL, 'ci', 12, $5)");
        execOk(c, insert,
               {QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("create users"),
                QStringLiteral("V1__create_users.sql"), QStringLiteral("true")});
        execOk(c, insert,
               {QStringLiteral("2"), QStringLiteral("1.1"), QStringLiteral("add email"),
                QStringLiteral("V1.1__add_email.sql"), QStringLiteral("false")});
        const MigrationPlan plan = planFor(c, loadSet(QStringLiteral("flyway")));
        QCOMPARE(stateOf(plan, QStringLiteral("1.1")), QStringLiteral("failed"));
        QCOMPARE(plan.headVersion, QStringLiteral("1"));
    }
};

QTEST_GUILESS_MAIN(TestMigrationHistory)
#include "tst_migrationhistory.moc"
