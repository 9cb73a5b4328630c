// Migrations engine timings on a throwaway cluster (see bench/run-migrations):
//   status   N migration files (default 500) read from disk and compared with the histories of
//            3 environments (N, N-10 and N-50 applied), the 3 read in parallel as the panel
//            does; median of R runs. Target < 1 s.
//   expected the expected schema of M migrations (default 200: tables with columns, an index,
//            a foreign key and a view every 10) — shadow database, apply, introspect — cold,
//            then again from the cache. Targets < 10 s and < 0.2 s.
// Prints one line per figure with its target and ratio, then a JSON line.
#include "db/connection.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "migrations/shadowdatabase.h"
#include "migrations/snapshotcache.h"
#include "pgcluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cstdio>

using namespace pd;

namespace {

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_migrations: %s\n", qPrintable(message));
    std::exit(3);
}

template<typename T> T check(Result<T> result, const char *what)
{
    if (!result)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), result.error().message));
    return std::move(result).value();
}

void check(const Result<void> &result, const char *what)
{
    if (!result)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), result.error().message));
}

void writeMigrations(const QString &dir, int count)
{
    QDir().mkpath(dir);
    for (int i = 1; i <= count; ++i) {
        QByteArray sql =
            QStringLiteral("CREATE TABLE t%1 (\n"
                           "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                           "    name text NOT NULL,\n"
                           "    amount numeric(12, 2) DEFAULT 0 CHECK (amount >= 0),\n"
                           "    created timestamptz NOT NULL DEFAULT now()%2\n"
                           ");\n"
                           "CREATE INDEX t%1_name_idx ON t%1 (name);\n")
                .arg(i)
                .arg(i > 1 ? QStringLiteral(",\n    parent bigint REFERENCES t%1 (id)").arg(i - 1)
                           : QString())
                .toUtf8();
        if (i % 10 == 0)
            sql += QStringLiteral("CREATE VIEW v%1 AS SELECT id, name FROM t%1 WHERE amount > 0;\n")
                       .arg(i)
                       .toUtf8();
        QFile file(
            QStringLiteral("%1/%2_create_t%3.sql").arg(dir).arg(i, 4, 10, QLatin1Char('0')).arg(i));
        if (!file.open(QIODevice::WriteOnly) || file.write(sql) != sql.size())
            die(QStringLiteral("cannot write %1").arg(file.fileName()));
    }
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

void line(const QString &label, double ms, double targetMs)
{
    std::printf("%-52s %9.1f ms   target < %6.0f ms   ratio %.3f %s\n", qPrintable(label), ms,
                targetMs, ms / targetMs, ms < targetMs ? "ok" : "OVER");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("paritydeck.*.debug=false"));
    int statusMigrations = 500;
    int expectedMigrations = 200;
    int runs = 5;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const auto number = [&] {
            if (i + 1 >= args.size())
                die(args.at(i) + QStringLiteral(" needs a number"));
            return args.at(++i).toInt();
        };
        if (args.at(i) == QLatin1String("--migrations"))
            statusMigrations = number();
        else if (args.at(i) == QLatin1String("--expected"))
            expectedMigrations = number();
        else if (args.at(i) == QLatin1String("--runs"))
            runs = std::max(1, number());
        else
            die(QStringLiteral("unknown argument %1 (--migrations N, --expected M, --runs R)")
                    .arg(args.at(i)));
    }

    test::PgCluster cluster;
    check(cluster.start(), "starting a cluster");
    QTemporaryDir tmp;
    const QString statusDir = tmp.filePath(QStringLiteral("status/migrations"));
    const QString expectedDir = tmp.filePath(QStringLiteral("expected/migrations"));
    writeMigrations(statusDir, statusMigrations);
    writeMigrations(expectedDir, expectedMigrations);

    // Three environments with history recorded by ParityDeck's own baseline (no tables: the
    // status only reads history).
    const MigrationSet statusSet = check(MigrationSource::load(statusDir), "loading migrations");
    const QList<int> appliedCounts{statusMigrations, std::max(0, statusMigrations - 10),
                                   std::max(0, statusMigrations - 50)};
    QList<ConnectionParams> environments;
    for (int e = 0; e < appliedCounts.size(); ++e) {
        const QString db = QStringLiteral("env%1").arg(e);
        check(cluster.createDatabase(db), "creating a database");
        environments << cluster.connectionParams(db);
        if (appliedCounts.at(e) > 0) {
            ApplyOptions options;
            options.environment = db;
            options.targetVersion = statusSet.migrations.at(appliedCounts.at(e) - 1).version;
            check(MigrationRunner::baseline(environments.last(), statusSet, options),
                  "recording history");
        }
    }

    QList<double> statusMs, loadMs;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer clock;
        clock.start();
        const MigrationSet set = check(MigrationSource::load(statusDir), "loading migrations");
        loadMs << clock.nsecsElapsed() / 1e6;
        QList<QFuture<Result<MigrationPlan>>> plans;
        for (const ConnectionParams &params : std::as_const(environments))
            plans << QtConcurrent::run(
                [params, &set] { return MigrationRunner::status(params, set); });
        for (int e = 0; e < plans.size(); ++e) {
            const MigrationPlan plan = check(plans[e].result(), "status");
            if (plan.pendingCount() != statusMigrations - appliedCounts.at(e))
                die(QStringLiteral("env%1: %2 pending, expected %3")
                        .arg(e)
                        .arg(plan.pendingCount())
                        .arg(statusMigrations - appliedCounts.at(e)));
        }
        statusMs << clock.nsecsElapsed() / 1e6;
    }

    // The expected schema: cold (shadow database) and from the cache, each in its own run.
    const MigrationSet expectedSet =
        check(MigrationSource::load(expectedDir), "loading migrations");
    const int major = check(cluster.connect(), "connecting").serverVersionNumber() / 10000;
    const QString head = expectedSet.migrations.last().version;
    int shadows = 0;
    const auto createShadow = [&]() -> Result<ShadowDatabase> {
        ++shadows;
        return ShadowDatabase::create(cluster.connectionParams());
    };
    QList<double> coldMs, cachedMs;
    int objects = 0;
    for (int r = 0; r < std::min(runs, 3); ++r) {
        const SnapshotCache cache(tmp.filePath(QStringLiteral("cache%1").arg(r)));
        QElapsedTimer clock;
        clock.start();
        const ExpectedSchema cold = check(
            buildExpectedSchema(expectedSet, head, major, SchemaFilter{}, createShadow, &cache),
            "expected schema");
        coldMs << clock.nsecsElapsed() / 1e6;
        objects = int(cold.snapshot.objects.size());
        const int shadowsBefore = shadows;
        clock.restart();
        // As the CLI does it: the files read again, the key computed, the snapshot loaded.
        const MigrationSet again = check(MigrationSource::load(expectedDir), "loading migrations");
        const ExpectedSchema warm =
            check(buildExpectedSchema(again, head, major, SchemaFilter{}, createShadow, &cache),
                  "expected schema");
        cachedMs << clock.nsecsElapsed() / 1e6;
        if (!warm.fromCache || shadows != shadowsBefore ||
            warm.snapshot.objects.size() != cold.snapshot.objects.size())
            die(QStringLiteral("the second build did not come from the cache"));
    }

    std::printf("PostgreSQL %d, %d runs (medians)\n", major, runs);
    line(QStringLiteral("read %1 migration files").arg(statusMigrations), median(loadMs), 1000);
    line(QStringLiteral("status of %1 migrations across 3 environments").arg(statusMigrations),
         median(statusMs), 1000);
    line(QStringLiteral("expected schema of %1 migrations, cold (%2 objects)")
             .arg(expectedMigrations)
             .arg(objects),
         median(coldMs), 10000);
    line(QStringLiteral("expected schema of %1 migrations, from cache").arg(expectedMigrations),
         median(cachedMs), 200);
    std::printf("cache speed-up: %.0fx\n", median(coldMs) / std::max(0.001, median(cachedMs)));

    QJsonObject json;
    json.insert(QStringLiteral("server_major"), major);
    json.insert(QStringLiteral("status_migrations"), statusMigrations);
    json.insert(QStringLiteral("status_environments"), int(environments.size()));
    json.insert(QStringLiteral("load_ms"), median(loadMs));
    json.insert(QStringLiteral("status_ms"), median(statusMs));
    json.insert(QStringLiteral("expected_migrations"), expectedMigrations);
    json.insert(QStringLiteral("expected_objects"), objects);
    json.insert(QStringLiteral("expected_cold_ms"), median(coldMs));
    json.insert(QStringLiteral("expected_cached_ms"), median(cachedMs));
    json.insert(QStringLiteral("status_ratio"), median(statusMs) / 1000);
    json.insert(QStringLiteral("expected_cold_ratio"), median(coldMs) / 10000);
    json.insert(QStringLiteral("expected_cached_ratio"), median(cachedMs) / 200);
    std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
    return 0;
}
