// The expected-schema cache against a real server: a snapshot of a schema with every kind of
// object survives the JSON round trip unchanged; the key follows migration versions,
// checksums, target, server major version and filter; a second build of the same expected
// schema creates no shadow database; an edited migration builds (and caches) anew.
#include "db/connection.h"
#include "migrations/migrationsource.h"
#include "migrations/shadowdatabase.h"
#include "migrations/snapshotcache.h"
#include "pgcluster.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;
using namespace pd::test;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(PD_TEST_DATA_DIR "/migrations/") + relative;
}

QString copyFolder(const QTemporaryDir &tmp, const QString &folder)
{
    const QString target = tmp.filePath(QStringLiteral("migrations"));
    const QDir source(dataPath(folder));
    QDirIterator it(source.path(), QDir::Files);
    while (it.hasNext()) {
        const QString from = it.next();
        const QString to = QDir(target).filePath(source.relativeFilePath(from));
        QDir().mkpath(target);
        if (!QFile::copy(from, to))
            qFatal("cannot copy %s", qPrintable(from));
        QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
    }
    return target;
}

void appendTo(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (!file.open(QIODevice::Append) || file.write(text) != text.size())
        qFatal("cannot append to %s", qPrintable(path));
}

MigrationSet load(const QString &dir)
{
    auto set = MigrationSource::load(dir);
    if (!set)
        qFatal("cannot load %s: %s", qPrintable(dir), qPrintable(set.error().message));
    return set.value();
}

const char *RichSchema = R"SQL(
CREATE SCHEMA app;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE app.pair AS (a int, b text);
CREATE SEQUENCE app.counter START 7 INCREMENT 3;
CREATE TABLE app.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email app.email NOT NULL UNIQUE,
    mood app.mood DEFAULT 'ok',
    score numeric(10, 2) DEFAULT 0 CHECK (score >= 0),
    created timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.users IS 'people, "quoted" and ''escaped''';
CREATE TABLE app.posts (
    id serial PRIMARY KEY,
    user_id bigint REFERENCES app.users (id) ON DELETE CASCADE,
    body text
);
CREATE INDEX posts_user_idx ON app.posts (user_id) WHERE body IS NOT NULL;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.body := coalesce(NEW.body, ''); RETURN NEW; END $$;
CREATE TRIGGER posts_touch BEFORE INSERT ON app.posts FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE FUNCTION app.add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE PROCEDURE app.noop() LANGUAGE sql AS 'SELECT 1';
CREATE VIEW app.active AS SELECT id, email FROM app.users WHERE mood <> 'sad';
CREATE MATERIALIZED VIEW app.counts AS SELECT user_id, count(*) AS n FROM app.posts GROUP BY user_id;
ALTER TABLE app.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_posts ON app.posts USING (user_id = 1);
CREATE RULE no_delete AS ON DELETE TO app.posts DO INSTEAD NOTHING;
)SQL";

} // namespace

class TestSnapshotCache final : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    QTemporaryDir m_cacheDir;
    int m_shadows = 0; // shadow databases created by the builds of this test

    std::function<Result<ShadowDatabase>()> countingShadow()
    {
        return [this]() -> Result<ShadowDatabase> {
            ++m_shadows;
            return ShadowDatabase::create(m_cluster.connectionParams());
        };
    }

    int serverMajor()
    {
        auto c = m_cluster.connect();
        if (!c)
            qFatal("connect: %s", qPrintable(c.error().message));
        return c->serverVersionNumber() / 10000;
    }

    int shadowDatabasesLeft()
    {
        auto n = m_cluster.exec(QStringLiteral(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'paritydeck_shadow_%'"));
        if (!n)
            qFatal("count: %s", qPrintable(n.error().message));
        return n->value(0, 0).toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto started = m_cluster.start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
        QVERIFY(m_cacheDir.isValid());
    }

    void roundTripKeepsEverySnapshotDetail()
    {
        QVERIFY(m_cluster.createDatabase(QStringLiteral("rich")).ok());
        auto loaded = m_cluster.exec(QString::fromUtf8(RichSchema), QStringLiteral("rich"));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
        auto c = m_cluster.connect(QStringLiteral("rich"));
        QVERIFY(c.ok());
        auto snapshot = introspect(*c);
        QVERIFY2(snapshot.ok(), snapshot.ok() ? "" : qPrintable(snapshot.error().message));
        QVERIFY(snapshot->objects.size() > 25);
        QVERIFY(!snapshot->notCompared.isEmpty()); // the rule

        const SnapshotCache cache(m_cacheDir.filePath(QStringLiteral("roundtrip")));
        QVERIFY(cache.store(QStringLiteral("k"), *snapshot).ok());
        const auto back = cache.load(QStringLiteral("k"));
        QVERIFY(back.has_value());
        QCOMPARE(back->objects.keys(), snapshot->objects.keys());
        for (auto it = snapshot->objects.cbegin(); it != snapshot->objects.cend(); ++it)
            QVERIFY2(back->objects.value(it.key()) == it.value(), qPrintable(it.key()));
        QCOMPARE(back->notCompared, snapshot->notCompared);
        QCOMPARE(back->serverVersionNumber, snapshot->serverVersionNumber);
        QCOMPARE(back->serverVersion, snapshot->serverVersion);
        QCOMPARE(back->database, snapshot->database);
        QCOMPARE(back->queryCount, snapshot->queryCount);
        QVERIFY(diff(*snapshot, *back).isEmpty());
        // Enum labels keep their order, columns their positions.
        const SchemaObject *mood = back->find(
            objectId(ObjectKind::Enum, QStringLiteral("app"), {}, QStringLiteral("mood")));
        QVERIFY(mood);
        QCOMPARE(mood->elements, (QStringList{QStringLiteral("sad"), QStringLiteral("ok"),
                                              QStringLiteral("happy")}));
    }

    void unreadableFileIsAMissAndIsRemoved()
    {
        const QString dir = m_cacheDir.filePath(QStringLiteral("broken"));
        QDir().mkpath(dir);
        const QString path = dir + QStringLiteral("/bad.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": 1, \"objects\": [{\"kind\": \"no such kind\"}]}");
        file.close();
        const SnapshotCache cache(dir);
        QVERIFY(!cache.load(QStringLiteral("bad")).has_value());
        QVERIFY(!QFile::exists(path));
        QVERIFY(!cache.load(QStringLiteral("absent")).has_value());
    }

    void keyFollowsEverythingTheSchemaDependsOn()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        const SchemaFilter filter;
        const MigrationSet set = load(dir);
        const QString k3 = SnapshotCache::key(set, QStringLiteral("0003"), 15, filter);
        QCOMPARE(k3.size(), 64);
        QCOMPARE(SnapshotCache::key(load(dir), QStringLiteral("0003"), 15, filter), k3); // stable
        QVERIFY(SnapshotCache::key(set, QStringLiteral("0004"), 15, filter) != k3);
        QVERIFY(SnapshotCache::key(set, QString(), 15, filter) != k3);
        QVERIFY(SnapshotCache::key(set, QStringLiteral("0003"), 16, filter) != k3);
        SchemaFilter narrower;
        narrower.includeSchemas = {QStringLiteral("public")};
        QVERIFY(SnapshotCache::key(set, QStringLiteral("0003"), 15, narrower) != k3);

        const QString k5 = SnapshotCache::key(set, QStringLiteral("0005"), 15, filter);
        // A later migration changing does not touch the key of an earlier target …
        appendTo(dir + QStringLiteral("/0004_create_basic_4.sql"), "\n-- edited\n");
        const MigrationSet edited4 = load(dir);
        QCOMPARE(SnapshotCache::key(edited4, QStringLiteral("0003"), 15, filter), k3);
        QVERIFY(SnapshotCache::key(edited4, QStringLiteral("0005"), 15, filter) != k5);
        // … an earlier one does. CRLF line endings are the same file.
        QFile f(dir + QStringLiteral("/0002_create_basic_2.sql"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        text.replace("\n", "\r\n");
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        QCOMPARE(SnapshotCache::key(load(dir), QStringLiteral("0003"), 15, filter), k3);
        appendTo(dir + QStringLiteral("/0002_create_basic_2.sql"),
                 "\r\nCREATE TABLE extra (id int);\r\n");
        QVERIFY(SnapshotCache::key(load(dir), QStringLiteral("0003"), 15, filter) != k3);
    }

    void secondBuildComesFromTheCacheAndAnEditRebuilds()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        const SnapshotCache cache(m_cacheDir.filePath(QStringLiteral("builds")));
        const SchemaFilter filter;
        const int major = serverMajor();
        m_shadows = 0;

        QElapsedTimer clock;
        clock.start();
        auto first = buildExpectedSchema(load(dir), QStringLiteral("0004"), major, filter,
                                         countingShadow(), &cache);
        const qint64 firstMs = clock.elapsed();
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QVERIFY(!first->fromCache);
        QCOMPARE(m_shadows, 1);
        QCOMPARE(shadowDatabasesLeft(), 0);
        QVERIFY(
            QFile::exists(cache.dir() + QLatin1Char('/') + first->key + QStringLiteral(".json")));
        QVERIFY(first->snapshot.find(
            objectId(ObjectKind::Table, QStringLiteral("public"), {}, QStringLiteral("basic_4"))));
        QVERIFY(!first->snapshot.find(
            objectId(ObjectKind::Table, QStringLiteral("public"), {}, QStringLiteral("basic_5"))));

        clock.restart();
        auto second = buildExpectedSchema(load(dir), QStringLiteral("0004"), major, filter,
                                          countingShadow(), &cache);
        const qint64 secondMs = clock.elapsed();
        QVERIFY(second.ok());
        QVERIFY(second->fromCache);
        QCOMPARE(m_shadows, 1); // no shadow database this time
        QCOMPARE(second->key, first->key);
        QVERIFY(diff(first->snapshot, second->snapshot).isEmpty());
        QVERIFY2(secondMs < firstMs,
                 qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(secondMs).arg(firstMs)));

        // An applied migration edited: another key, a new shadow, the edit is in the schema.
        appendTo(dir + QStringLiteral("/0002_create_basic_2.sql"),
                 "\nALTER TABLE basic_2 ADD COLUMN note text;\n");
        auto third = buildExpectedSchema(load(dir), QStringLiteral("0004"), major, filter,
                                         countingShadow(), &cache);
        QVERIFY(third.ok());
        QVERIFY(!third->fromCache);
        QCOMPARE(m_shadows, 2);
        QVERIFY(third->key != first->key);
        QVERIFY(third->snapshot.find(objectId(ObjectKind::Column, QStringLiteral("public"),
                                              QStringLiteral("basic_2"), QStringLiteral("note"))));

        // Without a cache, every build makes a shadow.
        auto uncached = buildExpectedSchema(load(dir), QStringLiteral("0004"), major, filter,
                                            countingShadow(), nullptr);
        QVERIFY(uncached.ok());
        QVERIFY(!uncached->fromCache);
        QCOMPARE(m_shadows, 3);
    }

    void snapshotOfAnotherMajorVersionIsNotFiledUnderThisKey()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        const SnapshotCache cache(m_cacheDir.filePath(QStringLiteral("major")));
        auto built = buildExpectedSchema(load(dir), QStringLiteral("0001"), serverMajor() + 1,
                                         SchemaFilter{}, countingShadow(), &cache);
        QVERIFY(built.ok());
        QVERIFY(
            !QFile::exists(cache.dir() + QLatin1Char('/') + built->key + QStringLiteral(".json")));
    }

    void unknownTargetIsAnError()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        const int before = m_shadows;
        auto built = buildExpectedSchema(load(dir), QStringLiteral("0042"), 15, SchemaFilter{},
                                         countingShadow(), nullptr);
        QVERIFY(!built.ok());
        QCOMPARE(built.error().code, ErrorCode::NotFound);
        QCOMPARE(m_shadows, before);
    }
};

QTEST_GUILESS_MAIN(TestSnapshotCache)
#include "tst_snapshotcache.moc"
