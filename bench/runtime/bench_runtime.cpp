// Runtime figures for issue 6, driven by bench/run-runtime:
//
//  branches  CREATE DATABASE … TEMPLATE through DatabaseBranches::create (what `paritydeck
//            branch create/switch` runs) from parents of the given sizes, filled with
//            generate_series in a throwaway cluster. Goal: under 30 s for 1 GB.
//  status    StatusMonitor over 10 environments, 3 of them pointing at servers that accept
//            and never answer (tests/support HangingServer). The monitor lives on this
//            thread, like on the GUI thread in the app; a 10 ms heartbeat QTimer on the
//            same thread measures the longest stall (goal: never > 50 ms), and every
//            interval must bring a status for each of the 7 answering environments.
//
// Prints one line per figure and a final JSON line. Nothing here asserts; the exit code
// is 0 unless the setup itself failed.
#include "branches/databasebranches.h"
#include "db/connection.h"
#include "environment/statusmonitor.h"
#include "hangingserver.h"
#include "pgcluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace pd;
using pd::test::HangingServer;
using pd::test::PgCluster;

namespace {

void line(const QString &text)
{
    std::printf("%s\n", text.toLocal8Bit().constData());
    std::fflush(stdout);
}

// ~279 bytes per row with its primary key entry (measured: 339 000 rows → 90 MB).
constexpr qint64 kBytesPerRow = 279;

Result<qint64> fillParent(const PgCluster &cluster, const QString &db, qint64 megabytes)
{
    if (auto made = cluster.createDatabase(db); !made)
        return made.error();
    ConnectionParams params = cluster.socketParams(db);
    params.statementTimeoutSeconds = 0; // a 1 GB fill takes minutes on a busy machine
    auto conn = Connection::open(params);
    if (!conn)
        return conn.error();
    const qint64 rows = megabytes * 1024 * 1024 / kBytesPerRow;
    const QString sql =
        QStringLiteral("CREATE TABLE items AS SELECT g AS id, repeat(md5(g::text), 6) AS payload "
                       "FROM generate_series(1, %1) g; ALTER TABLE items ADD PRIMARY KEY (id); "
                       "CHECKPOINT")
            .arg(rows);
    if (auto filled = conn->exec(sql, {}, 3600 * 1000); !filled)
        return filled.error();
    auto size = conn->exec(QStringLiteral("SELECT pg_database_size(current_database())"));
    if (!size)
        return size.error();
    return size->value(0, 0).toLongLong();
}

QJsonObject benchBranches(const PgCluster &cluster, qint64 megabytes, int rounds)
{
    QJsonObject out;
    const QString parent = QStringLiteral("parent_%1mb").arg(megabytes);
    QElapsedTimer fill;
    fill.start();
    auto size = fillParent(cluster, parent, megabytes);
    if (!size) {
        line(QStringLiteral("branches %1 MB: setup failed: %2")
                 .arg(megabytes)
                 .arg(size.error().message));
        out.insert(QStringLiteral("error"), size.error().message);
        return out;
    }
    const qint64 fillMs = fill.elapsed();
    const DatabaseBranches branches(cluster.connectionParams(parent));
    QList<qint64> times;
    for (int i = 0; i < rounds; ++i) {
        const QString name = QStringLiteral("%1__bench%2").arg(parent).arg(i);
        auto created = branches.create(name);
        if (!created) {
            line(QStringLiteral("branches %1 MB: create failed: %2")
                     .arg(megabytes)
                     .arg(created.error().message));
            out.insert(QStringLiteral("error"), created.error().message);
            return out;
        }
        times.append(created->elapsedMs);
        if (auto removed = branches.remove(name); !removed)
            line(QStringLiteral("  (could not drop %1: %2)").arg(name, removed.error().message));
    }
    std::sort(times.begin(), times.end());
    const qint64 median = times.at(times.size() / 2);
    line(QStringLiteral("branch create from %1 MB parent (actual %2 MB, filled in %3 s): min %4 s, "
                        "median %5 s, "
                        "max %6 s over %7 runs (goal for 1 GB: < 30 s)")
             .arg(megabytes)
             .arg(double(*size) / (1024 * 1024), 0, 'f', 0)
             .arg(double(fillMs) / 1000, 0, 'f', 1)
             .arg(double(times.first()) / 1000, 0, 'f', 2)
             .arg(double(median) / 1000, 0, 'f', 2)
             .arg(double(times.last()) / 1000, 0, 'f', 2)
             .arg(rounds));
    out.insert(QStringLiteral("parent_mb"), double(megabytes));
    out.insert(QStringLiteral("parent_bytes"), double(*size));
    out.insert(QStringLiteral("fill_ms"), double(fillMs));
    QJsonArray all;
    for (qint64 t : times)
        all.append(double(t));
    out.insert(QStringLiteral("create_ms"), all);
    out.insert(QStringLiteral("create_median_ms"), double(median));
    // Dropping the parent gives the space back before the next (larger) size.
    if (auto dropped = cluster.exec(QStringLiteral("DROP DATABASE %1").arg(parent)); !dropped)
        line(QStringLiteral("  (could not drop %1: %2)").arg(parent, dropped.error().message));
    return out;
}

QJsonObject benchStatus(const PgCluster &cluster, int intervalMs, int intervals, int connectTimeout)
{
    constexpr int kEnvironments = 10;
    constexpr int kHanging = 3;
    std::vector<std::unique_ptr<HangingServer>> hanging;
    Workspace workspace;
    workspace.filePath = QStringLiteral("/nonexistent/bench/paritydeck.yaml");
    workspace.rootDir = QStringLiteral("/nonexistent/bench");
    workspace.project = QStringLiteral("bench");
    QStringList answering;
    for (int i = 0; i < kEnvironments; ++i) {
        EnvironmentConfig env;
        env.name = QStringLiteral("env%1").arg(i, 2, 10, QLatin1Char('0'));
        if (i % 3 == 1 && int(hanging.size()) < kHanging) {
            hanging.push_back(std::make_unique<HangingServer>());
            env.database.url =
                QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(hanging.back()->port());
            env.name += QStringLiteral("-hanging");
        } else {
            env.database.url = cluster.url();
            answering.append(env.name);
        }
        env.database.connectTimeoutSeconds = connectTimeout;
        workspace.environments.append(env);
    }

    StatusMonitor monitor(workspace);
    monitor.setIntervalMs(intervalMs);
    monitor.setAutoRestart(false);

    QElapsedTimer clock;
    QHash<QString, QList<qint64>> updates; // environment → ms of each finished check
    QObject::connect(&monitor, &StatusMonitor::statusChanged, &monitor,
                     [&](const EnvironmentStatus &status) {
                         updates[status.environment].append(clock.elapsed());
                     });

    // The heartbeat: a 10 ms timer on the monitor's thread; any gap well above 10 ms is
    // time this thread could not run events (a frozen GUI).
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(10);
    qint64 last = 0;
    qint64 maxGap = 0;
    qint64 beats = 0;
    QList<qint64> gaps;
    QObject::connect(&heartbeat, &QTimer::timeout, &heartbeat, [&] {
        const qint64 now = clock.elapsed();
        const qint64 gap = now - last;
        last = now;
        maxGap = std::max(maxGap, gap);
        gaps.append(gap);
        ++beats;
    });

    QEventLoop loop; // the bench's own main loop stands in for QApplication::exec
    clock.start();
    heartbeat.start();
    monitor.start();
    QTimer::singleShot(intervalMs * intervals + intervalMs / 2, &loop, &QEventLoop::quit);
    loop.exec();
    heartbeat.stop();
    monitor.stop();

    // Every interval [k·I, (k+1)·I) must hold a finished check of each answering environment.
    int completeIntervals = 0;
    QStringList misses;
    for (int k = 0; k < intervals; ++k) {
        bool complete = true;
        for (const QString &env : answering) {
            const auto &times = updates.value(env);
            const bool hit = std::any_of(times.begin(), times.end(), [&](qint64 t) {
                return t >= qint64(k) * intervalMs && t < qint64(k + 1) * intervalMs;
            });
            if (!hit) {
                complete = false;
                misses.append(QStringLiteral("%1@%2").arg(env).arg(k));
            }
        }
        if (complete)
            ++completeIntervals;
    }
    int hangingChecks = 0;
    QStringList hangingStates;
    for (const EnvironmentConfig &env : workspace.environments) {
        if (!env.name.endsWith(QStringLiteral("-hanging")))
            continue;
        hangingChecks += int(updates.value(env.name).size());
        const EnvironmentStatus s = monitor.status(env.name);
        hangingStates.append(
            QStringLiteral("%1=%2 (%3)").arg(env.name, statusStateName(s.state), s.reason));
    }
    std::sort(gaps.begin(), gaps.end());
    const qint64 p99 =
        gaps.isEmpty() ? 0 : gaps.at(std::min<qsizetype>(gaps.size() - 1, gaps.size() * 99 / 100));
    const int over50 =
        int(std::count_if(gaps.begin(), gaps.end(), [](qint64 g) { return g > 50; }));

    line(QStringLiteral(
             "status refresh, 10 environments (3 hanging, connect_timeout %1 s), interval %2 ms: "
             "%3 of %4 intervals complete for all 7 answering environments%5")
             .arg(connectTimeout)
             .arg(intervalMs)
             .arg(completeIntervals)
             .arg(intervals)
             .arg(misses.isEmpty() ? QString()
                                   : QStringLiteral(" (missed: %1)").arg(misses.join(u' '))));
    line(QStringLiteral("monitor thread heartbeat (10 ms timer): %1 beats, max gap %2 ms, p99 %3 "
                        "ms, gaps > 50 ms: %4 "
                        "(goal: none)")
             .arg(beats)
             .arg(maxGap)
             .arg(p99)
             .arg(over50));
    line(QStringLiteral("hanging environments: %1 finished checks in total; %2")
             .arg(hangingChecks)
             .arg(hangingStates.join(QStringLiteral("; "))));

    QJsonObject out;
    out.insert(QStringLiteral("interval_ms"), intervalMs);
    out.insert(QStringLiteral("intervals"), intervals);
    out.insert(QStringLiteral("complete_intervals"), completeIntervals);
    out.insert(QStringLiteral("heartbeat_max_gap_ms"), double(maxGap));
    out.insert(QStringLiteral("heartbeat_p99_ms"), double(p99));
    out.insert(QStringLiteral("heartbeat_gaps_over_50ms"), over50);
    out.insert(QStringLiteral("hanging_checks"), hangingChecks);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<qint64> sizes{100};
    int rounds = 3;
    int intervalMs = 1000;
    int intervals = 10;
    int connectTimeout = 2;
    bool branchesOn = true;
    bool statusOn = true;
    bool durable = false;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const QString value = i + 1 < args.size() ? args.at(i + 1) : QString();
        if (a == QLatin1String("--sizes")) {
            sizes.clear();
            for (const QString &s : value.split(u',', Qt::SkipEmptyParts))
                sizes.append(s.toLongLong());
            ++i;
        } else if (a == QLatin1String("--rounds")) {
            rounds = std::max(1, value.toInt());
            ++i;
        } else if (a == QLatin1String("--interval-ms")) {
            intervalMs = std::max(100, value.toInt());
            ++i;
        } else if (a == QLatin1String("--intervals")) {
            intervals = std::max(1, value.toInt());
            ++i;
        } else if (a == QLatin1String("--connect-timeout")) {
            connectTimeout = std::max(1, value.toInt());
            ++i;
        } else if (a == QLatin1String("--durable")) {
            durable = true;
        } else if (a == QLatin1String("--only-branches")) {
            statusOn = false;
        } else if (a == QLatin1String("--only-status")) {
            branchesOn = false;
        } else {
            std::fprintf(stderr, "usage: bench_runtime [--sizes MB,MB] [--rounds N] [--interval-ms "
                                 "MS] [--intervals N]\n"
                                 "                     [--connect-timeout S] "
                                 "[--only-branches|--only-status] [--durable]\n");
            return 2;
        }
    }

    // --durable: PostgreSQL's default durability (fsync, full-page writes, synchronous
    // commit) instead of the test fixture's speed settings; later lines win in postgresql.conf.
    PgCluster::Options options;
    if (durable)
        options.settings = {QStringLiteral("fsync = on"), QStringLiteral("full_page_writes = on"),
                            QStringLiteral("synchronous_commit = on"),
                            QStringLiteral("shared_buffers = 128MB"),
                            QStringLiteral("max_wal_size = 1GB")};
    PgCluster cluster(options);
    if (auto started = cluster.start(); !started) {
        std::fprintf(stderr, "cannot start a PostgreSQL cluster: %s\n%s\n",
                     qPrintable(started.error().message), qPrintable(cluster.serverLog()));
        return 3;
    }
    line(
        QStringLiteral("cluster under %1 (PD_PGCLUSTER_DIR), %2")
            .arg(
                PgCluster::baseDir(),
                durable
                    ? QStringLiteral(
                          "durable settings (fsync on, full_page_writes on, synchronous_commit on)")
                    : QStringLiteral("test fixture settings (fsync off)")));

    QJsonObject report;
    if (branchesOn) {
        QJsonArray results;
        for (qint64 mb : std::as_const(sizes))
            results.append(benchBranches(cluster, mb, rounds));
        report.insert(QStringLiteral("branches"), results);
    }
    if (statusOn)
        report.insert(QStringLiteral("status"),
                      benchStatus(cluster, intervalMs, intervals, connectTimeout));
    std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    return 0;
}
