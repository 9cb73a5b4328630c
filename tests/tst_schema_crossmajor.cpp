// The same schema on two PostgreSQL majors must compare equal: dev on 17 and prod on 15
// hold one schema when their migrations agree. Every schema of the corpus
// (tests/data/schema-pairs/*/{a,b}.sql) and the published schemas are loaded into a
// PostgreSQL 15 server and into each other major scripts/test provides (PD_OTHER_PG_BINDIRS,
// from scripts/postgres-majors), then introspected; the diff must be empty and the
// fingerprints equal. What a major really does differently must show up here first. A pair
// whose SQL needs a newer server (its "since" file) is compared only where it loads.
#include "db/connection.h"
#include "pgcluster.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace pd;
using namespace pd::test;

namespace {

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The other majors' server folders: scripts/test exports them; by hand, 18 from the cache.
// A pair's "since" file: the first PostgreSQL major its SQL loads on (first word), and why.
int sinceMajor(const QString &sqlFile)
{
    return readText(QFileInfo(sqlFile).dir().filePath(QStringLiteral("since")))
        .section(QLatin1Char(' '), 0, 0)
        .toInt();
}

QStringList otherBinDirs()
{
    const QString fromEnv = qEnvironmentVariable("PD_OTHER_PG_BINDIRS");
    if (!fromEnv.isEmpty())
        return fromEnv.split(QLatin1Char(':'), Qt::SkipEmptyParts);
    QProcess script;
    script.start(QStringLiteral("bash"), {QStringLiteral(PD_SOURCE_DIR "/scripts/postgres-majors"),
                                          QStringLiteral("bindir"), QStringLiteral("18")});
    if (!script.waitForFinished(10000))
        return {};
    return {QString::fromUtf8(script.readAllStandardOutput()).trimmed()};
}

} // namespace

class TestSchemaCrossMajor final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PgCluster> m_base;
    std::vector<std::unique_ptr<PgCluster>> m_others;
    int m_databases = 0;
    int m_markedBetweenMajors = 0;

    static Result<SchemaSnapshot> load(const PgCluster &cluster, const QString &name,
                                       const QString &sql)
    {
        if (Result<void> created = cluster.createDatabase(name, QStringLiteral("template0"));
            !created)
            return created.error();
        if (!sql.trimmed().isEmpty()) {
            if (Result<QueryResult> loaded = cluster.exec(sql, name); !loaded)
                return loaded.error();
        }
        Result<Connection> connection = cluster.connect(name);
        if (!connection)
            return connection.error();
        return introspect(*connection);
    }

private Q_SLOTS:
    void initTestCase()
    {
        PgClusterOptions base;
        base.binDir = PgCluster::clientBinDir(); // Debian's 15, whatever PD_PG_BINDIR says
        m_base = std::make_unique<PgCluster>(base);
        const Result<void> started = m_base->start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
        const QStringList others = otherBinDirs();
        QVERIFY2(
            !others.isEmpty() && QFile::exists(others.first() + QStringLiteral("/postgres")),
            "no other PostgreSQL major: run scripts/postgres-majors fetch 18 (scripts/test does)");
        for (const QString &dir : others) {
            PgClusterOptions options;
            options.binDir = dir;
            auto cluster = std::make_unique<PgCluster>(options);
            const Result<void> up = cluster->start();
            QVERIFY2(up.ok(), up.ok() ? "" : qPrintable(up.error().message));
            qInfo("comparing PostgreSQL %d with %d", m_base->serverMajor(), cluster->serverMajor());
            m_others.push_back(std::move(cluster));
        }
    }

    void sameSchemaComparesEqual_data()
    {
        QTest::addColumn<QString>("file");
        const QDir pairs(QStringLiteral(PD_TEST_DATA_DIR) + QStringLiteral("/schema-pairs"));
        for (const QString &pair : pairs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            if (QFile::exists(pairs.filePath(pair + QStringLiteral("/skip"))))
                continue;
            for (const QString &side : {QStringLiteral("a.sql"), QStringLiteral("b.sql")}) {
                const QString file = pairs.filePath(pair + QLatin1Char('/') + side);
                if (!readText(file).trimmed().isEmpty())
                    QTest::newRow(qPrintable(pair + QLatin1Char('/') + side)) << file;
            }
        }
        const QDir published(QStringLiteral(PD_PUBLISHED_SCHEMAS_DIR));
        for (const QString &file :
             published.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(QStringLiteral("published/") + file))
                << published.filePath(file);
    }

    void sameSchemaComparesEqual()
    {
        QFETCH(QString, file);
        const QString sql = readText(file);
        const QString name = QStringLiteral("x_%1").arg(++m_databases);
        const Result<SchemaSnapshot> base = load(*m_base, name, sql);
        QVERIFY2(base.ok(), base.ok() ? "" : qPrintable(base.error().message));
        for (const auto &other : m_others) {
            if (other->serverMajor() < sinceMajor(file))
                continue;
            const Result<SchemaSnapshot> snapshot = load(*other, name, sql);
            QVERIFY2(snapshot.ok(), snapshot.ok() ? "" : qPrintable(snapshot.error().message));
            const SchemaDiff difference = diff(*base, *snapshot);
            // Only what the majors themselves make differ, and marked as such.
            const bool allMarked = std::all_of(
                difference.changes.cbegin(), difference.changes.cend(),
                [](const ObjectChange &change) { return !change.betweenMajors.isEmpty(); });
            QVERIFY2(allMarked,
                     qPrintable(QStringLiteral("%1 on %2 vs %3:\n%4")
                                    .arg(file, base->serverVersion, snapshot->serverVersion,
                                         difference.describe())));
            if (difference.isEmpty())
                QCOMPARE(fingerprint(*snapshot), fingerprint(*base));
            else
                m_markedBetweenMajors += difference.changes.size();
            (void)other->exec(QStringLiteral("DROP DATABASE ") + name);
        }
        (void)m_base->exec(QStringLiteral("DROP DATABASE ") + name);
    }

    void extensionDefaultsAreMarkedAsTheMajors()
    {
        // The corpus creates citext without a version: 1.6 on 15, newer on 16+. That
        // difference is real, and must have been reported as the majors', not as drift.
        QVERIFY2(m_markedBetweenMajors > 0, "no change was marked as between majors");
    }
};

QTEST_GUILESS_MAIN(TestSchemaCrossMajor)
#include "tst_schema_crossmajor.moc"
