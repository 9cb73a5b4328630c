// Loading a .sql side or migrations into a scratch (shadow) database for a comparison must
// leave nothing behind outside it, against a real server: statements whose effect reaches
// outside the database (role settings, ALTER DATABASE, roles, …) are refused at their
// FILE:LINE:COL before a scratch database is even made; what no parser sees (a DO block
// that changes a role with EXECUTE) is caught, rolled back and refused; role-owned objects
// and harmless DO blocks still load; another session's work on the server meanwhile is
// not mistaken for the file's.
#include "db/connection.h"
#include "environment/schemasides.h"
#include "migrations/migrationsource.h"
#include "migrations/shadowdatabase.h"
#include "pgcluster.h"
#include "schema/schemaobject.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <thread>

using namespace pd;
using namespace pd::test;

namespace {

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
}

// QVERIFY2 evaluates its message whether or not the check holds.
template<typename T> QString errorOf(const Result<T> &result)
{
    return result.ok() ? QString() : result.error().message;
}

ConnectionLookup noEnvironments()
{
    return [](const EnvironmentConfig &) -> Result<ConnectionParams> {
        return Error(ErrorCode::Runtime, QStringLiteral("no environments in this test"));
    };
}

} // namespace

class TestSchemaSides final : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    QTemporaryDir m_dir;
    Workspace m_workspace;

    QString scalar(const QString &sql)
    {
        auto r = m_cluster.exec(sql);
        if (!r)
            qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().message));
        return r->value(0, 0);
    }
    QString roleSettings()
    {
        return scalar(QStringLiteral("SELECT count(*) FROM pg_db_role_setting"));
    }
    QString shadows()
    {
        return scalar(QStringLiteral(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'paritydeck_shadow%'"));
    }
    Result<SchemaSnapshot> loadFile(const QString &name, const QByteArray &sql)
    {
        const QString path = m_dir.filePath(name);
        writeFile(path, sql);
        auto side = parseSchemaSide(m_workspace, path);
        if (!side)
            return side.error();
        return resolveSchemaSide(m_workspace, *side, SchemaFilter{}, noEnvironments());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_cluster.start().ok());
        QVERIFY(m_dir.isValid());
        QVERIFY(m_cluster.exec(QStringLiteral("CREATE DATABASE app")).ok());
        QVERIFY(m_cluster.exec(QStringLiteral("CREATE ROLE app LOGIN")).ok());
        QVERIFY(m_cluster.exec(QStringLiteral("CREATE ROLE reader")).ok());
        m_workspace.rootDir = m_dir.path();
        m_workspace.scratchUrl = m_cluster.url(QStringLiteral("postgres"));
    }

    void cleanup()
    {
        // Whatever a failing test left, the next one starts clean.
        (void)m_cluster.exec(QStringLiteral("ALTER ROLE app RESET ALL"));
        (void)m_cluster.exec(QStringLiteral("ALTER DATABASE app RESET ALL"));
        (void)m_cluster.exec(QStringLiteral("DROP ROLE IF EXISTS sneaky"));
    }

    // The outside tester's file: a normal diff before, and both settings left behind.
    void aSchemaFileThatReachesOutsideIsRefusedBeforeAnythingRuns()
    {
        const QString before = roleSettings();
        auto loaded = loadFile(QStringLiteral("evil.sql"),
                               "CREATE TABLE a (id int);\n"
                               "ALTER ROLE app SET application_name = 'pwned_by_sql_file';\n"
                               "ALTER DATABASE app SET statement_timeout = '1ms';\n");
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::Config);
        QVERIFY2(errorOf(loaded).contains(
                     QStringLiteral("evil.sql:2:1: ALTER ROLE app SET application_name")),
                 qPrintable(loaded.error().message));
        QVERIFY2(errorOf(loaded).contains(QStringLiteral("nothing was run")),
                 qPrintable(loaded.error().message));
        QCOMPARE(roleSettings(), before);
        QCOMPARE(shadows(), QStringLiteral("0"));
    }

    void eachKindThatReachesOutsideIsRefused_data()
    {
        QTest::addColumn<QByteArray>("sql");
        QTest::newRow("alter database") << QByteArray("ALTER DATABASE app SET work_mem = '2MB'");
        QTest::newRow("create role") << QByteArray("CREATE ROLE sneaky");
        QTest::newRow("grant membership") << QByteArray("GRANT reader TO app");
        QTest::newRow("grant on database") << QByteArray("GRANT CREATE ON DATABASE app TO reader");
        QTest::newRow("comment on role") << QByteArray("COMMENT ON ROLE app IS 'x'");
        QTest::newRow("copy to program")
            << QByteArray("CREATE TABLE t (id int);\nCOPY t TO PROGRAM 'true'");
    }
    void eachKindThatReachesOutsideIsRefused()
    {
        QFETCH(QByteArray, sql);
        const QString fingerprint = scalar(QStringLiteral(
            "SELECT (SELECT count(*) FROM pg_db_role_setting) || '/' || "
            "(SELECT count(*) FROM pg_roles) || '/' || (SELECT count(*) FROM pg_auth_members) "
            "|| '/' || (SELECT coalesce(datacl::text, '') FROM pg_database WHERE datname = 'app') "
            "|| '/' || (SELECT count(*) FROM pg_shdescription)"));
        auto loaded = loadFile(QStringLiteral("outside.sql"), sql);
        QVERIFY(!loaded.ok());
        QVERIFY2(errorOf(loaded).contains(QStringLiteral("nothing was run")),
                 qPrintable(loaded.error().message));
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT (SELECT count(*) FROM pg_db_role_setting) || '/' || "
                     "(SELECT count(*) FROM pg_roles) || '/' || (SELECT count(*) FROM "
                     "pg_auth_members) || '/' || (SELECT coalesce(datacl::text, '') FROM "
                     "pg_database WHERE datname = 'app') || '/' || (SELECT count(*) FROM "
                     "pg_shdescription)")),
                 fingerprint);
        QCOMPARE(shadows(), QStringLiteral("0"));
    }

    // What the parser cannot see: EXECUTE in a DO block. The load is rolled back.
    void aDoBlockThatChangesTheServerIsRolledBackAndRefused_data()
    {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<QString>("what");
        QTest::newRow("role setting")
            << QByteArray("CREATE TABLE a (id int);\n"
                          "DO $$ BEGIN EXECUTE 'ALTER ROLE app SET application_name = ''x'''; "
                          "END $$;\n")
            << QStringLiteral("role and database settings");
        QTest::newRow("database setting")
            << QByteArray("DO $$ BEGIN EXECUTE 'ALTER DATABASE app SET work_mem = ''2MB'''; "
                          "END $$;\n")
            << QStringLiteral("role and database settings");
        QTest::newRow("new role in a sub-transaction")
            << QByteArray("DO $$ BEGIN BEGIN EXECUTE 'CREATE ROLE sneaky'; EXCEPTION WHEN "
                          "others THEN NULL; END; END $$;\n")
            << QStringLiteral("roles");
        QTest::newRow("membership")
            << QByteArray("DO $$ BEGIN EXECUTE 'GRANT reader TO app'; END $$;\n")
            << QStringLiteral("role membership");
        // pg_roles hides passwords; the test's server user is a superuser, who can read them.
        QTest::newRow("password")
            << QByteArray("DO $$ BEGIN EXECUTE 'ALTER ROLE reader PASSWORD ''guessed'''; "
                          "END $$;\n")
            << QStringLiteral("role passwords");
    }
    void aDoBlockThatChangesTheServerIsRolledBackAndRefused()
    {
        QFETCH(QByteArray, sql);
        QFETCH(QString, what);
        const QString settings = roleSettings();
        const QString members = scalar(QStringLiteral("SELECT count(*) FROM pg_auth_members"));
        auto loaded = loadFile(QStringLiteral("dynamic.sql"), sql);
        QVERIFY(!loaded.ok());
        QVERIFY2(errorOf(loaded).contains(QStringLiteral("changed the server outside")) &&
                     loaded.error().message.contains(what),
                 qPrintable(loaded.error().message));
        QCOMPARE(roleSettings(), settings);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = 'sneaky'")),
                 QStringLiteral("0"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM pg_auth_members")), members);
        QCOMPARE(scalar(QStringLiteral(
                     "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'reader'")),
                 QStringLiteral("t"));
        QCOMPARE(shadows(), QStringLiteral("0"));
    }

    // Role-owned objects live in the scratch database; a DO block that stays inside loads.
    void roleOwnedObjectsAndHarmlessDoBlocksLoad()
    {
        auto loaded = loadFile(QStringLiteral("schema.sql"),
                               "BEGIN;\n"
                               "CREATE TABLE t (id int PRIMARY KEY);\n"
                               "ALTER TABLE t OWNER TO reader;\n"
                               "GRANT SELECT ON t TO app;\n"
                               "CREATE SCHEMA s AUTHORIZATION reader;\n"
                               "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app;\n"
                               "COMMENT ON TABLE t IS 'kept';\n"
                               "DO $$ BEGIN CREATE TYPE mood AS ENUM ('ok'); EXCEPTION WHEN "
                               "duplicate_object THEN NULL; END $$;\n"
                               "COMMIT;\n");
        QVERIFY2(loaded.ok(), qPrintable(errorOf(loaded)));
        QCOMPARE(loaded->count(ObjectKind::Table), 1);
        QCOMPARE(loaded->count(ObjectKind::Enum), 1);
        QCOMPARE(shadows(), QStringLiteral("0"));
    }

    // A file's own isolation level (its BEGIN's, or SET TRANSACTION) is set before the
    // first query of the load; a DO block changing the server is still caught under it.
    void aSchemaFilesOwnIsolationLevelLoads()
    {
        auto loaded =
            loadFile(QStringLiteral("serializable.sql"), "BEGIN ISOLATION LEVEL SERIALIZABLE;\n"
                                                         "CREATE TABLE t (id int PRIMARY KEY);\n"
                                                         "COMMIT;\n");
        QVERIFY2(loaded.ok(), qPrintable(errorOf(loaded)));
        QCOMPARE(loaded->count(ObjectKind::Table), 1);
        auto sneaky = loadFile(QStringLiteral("sneaky.sql"),
                               "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\n"
                               "CREATE TABLE t (id int);\n"
                               "DO $$ BEGIN EXECUTE 'CREATE ROLE sneaky'; END $$;\n");
        QVERIFY(!sneaky.ok());
        QVERIFY2(errorOf(sneaky).contains(QStringLiteral("changed the server outside")),
                 qPrintable(errorOf(sneaky)));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = 'sneaky'")),
                 QStringLiteral("0"));
        QCOMPARE(shadows(), QStringLiteral("0"));
    }

    // The comparison is within one snapshot: someone changing a role setting on the same
    // server while the file loads is not the file's doing.
    void anotherSessionsChangesMeanwhileAreNotBlamedOnTheFile()
    {
        std::thread other([this] {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            (void)m_cluster.exec(QStringLiteral("ALTER ROLE reader SET work_mem = '3MB'"));
            (void)m_cluster.exec(QStringLiteral("CREATE ROLE sneaky"));
        });
        auto loaded =
            loadFile(QStringLiteral("slow.sql"), "CREATE TABLE t (id int);\nSELECT pg_sleep(2);\n");
        other.join();
        (void)m_cluster.exec(QStringLiteral("ALTER ROLE reader RESET ALL"));
        QVERIFY2(loaded.ok(), qPrintable(errorOf(loaded)));
        QCOMPARE(loaded->count(ObjectKind::Table), 1);
    }

    // Migrations applied to a shadow database obey the same rule, refused before the
    // shadow exists.
    void migrationsThatReachOutsideAreRefusedBeforeAShadowExists()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("migrations/0001_users.sql")),
                  "CREATE TABLE users (id int);\n");
        writeFile(dir.filePath(QStringLiteral("migrations/0002_settings.sql")),
                  "CREATE INDEX users_id ON users (id);\n"
                  "ALTER DATABASE app SET statement_timeout = '1ms';\n");
        auto set = MigrationSource::load(dir.filePath(QStringLiteral("migrations")));
        QVERIFY2(set.ok(), qPrintable(errorOf(set)));

        // Up to 0001: nothing of 0002 runs, so it builds.
        auto first = expectedSchemaAt(m_workspace, *set, QStringLiteral("0001"), 0, SchemaFilter{},
                                      noEnvironments(), false);
        QVERIFY2(first.ok(), qPrintable(errorOf(first)));

        const QString settings = roleSettings();
        auto refused = expectedSchemaAt(m_workspace, *set, QStringLiteral("0002"), 0,
                                        SchemaFilter{}, noEnvironments(), false);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(
                     QStringLiteral("migrations/0002_settings.sql:2:1: ALTER DATABASE app")),
                 qPrintable(refused.error().message));
        QCOMPARE(roleSettings(), settings);
        QCOMPARE(shadows(), QStringLiteral("0"));
        QCOMPARE(ShadowDatabase::liveCount(), 0);

        // ShadowDatabase::apply refuses the same on its own, running nothing.
        auto shadow = ShadowDatabase::create(m_cluster.connectionParams());
        QVERIFY2(shadow.ok(), qPrintable(errorOf(shadow)));
        auto applied = shadow->apply(*set);
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().message.contains(QStringLiteral("0002_settings.sql:2:1")),
                 qPrintable(applied.error().message));
        {
            auto connection = Connection::open(shadow->params());
            QVERIFY(connection.ok());
            QCOMPARE(
                connection->scalar(QStringLiteral("SELECT to_regclass('public.users') IS NULL"))
                    .value(),
                QStringLiteral("t"));
        }
        QVERIFY(shadow->drop().ok());
        QCOMPARE(roleSettings(), settings);
    }

    // What the parser cannot see in a migration (EXECUTE in a DO block) is caught while the
    // shadow is built: that migration is rolled back and the build fails, naming it; the
    // migrations before it are not blamed.
    void aMigrationsDoBlockThatChangesTheServerFailsTheBuild()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("migrations/0001_users.sql")),
                  "CREATE TABLE users (id int);\n"
                  "DO $$ BEGIN CREATE TYPE mood AS ENUM ('ok'); EXCEPTION WHEN "
                  "duplicate_object THEN NULL; END $$;\n");
        writeFile(dir.filePath(QStringLiteral("migrations/0002_sneaky.sql")),
                  "CREATE INDEX users_id ON users (id);\n"
                  "DO $$ BEGIN EXECUTE 'CREATE ROLE sneaky'; EXECUTE 'GRANT reader TO app'; "
                  "END $$;\n");
        auto set = MigrationSource::load(dir.filePath(QStringLiteral("migrations")));
        QVERIFY2(set.ok(), qPrintable(errorOf(set)));
        const QString members = scalar(QStringLiteral("SELECT count(*) FROM pg_auth_members"));

        auto first = expectedSchemaAt(m_workspace, *set, QStringLiteral("0001"), 0, SchemaFilter{},
                                      noEnvironments(), false);
        QVERIFY2(first.ok(), qPrintable(errorOf(first)));
        QCOMPARE(first->snapshot.count(ObjectKind::Enum), 1);

        auto refused = expectedSchemaAt(m_workspace, *set, QStringLiteral("0002"), 0,
                                        SchemaFilter{}, noEnvironments(), false);
        QVERIFY(!refused.ok());
        const QString message = errorOf(refused);
        QVERIFY2(message.contains(QStringLiteral("0002_sneaky.sql")) &&
                     message.contains(QStringLiteral("changed the server outside the shadow "
                                                     "database (roles, role membership")) &&
                     message.contains(QStringLiteral("rolled back")) &&
                     !message.contains(QStringLiteral("0001_users.sql")),
                 qPrintable(message));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = 'sneaky'")),
                 QStringLiteral("0"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM pg_auth_members")), members);
        QCOMPARE(shadows(), QStringLiteral("0"));
        QCOMPARE(ShadowDatabase::liveCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSchemaSides)
#include "tst_schemasides.moc"
