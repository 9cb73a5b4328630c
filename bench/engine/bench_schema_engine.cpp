// Times ParityDeck's schema engine on two databases and prints one JSON line: the full
// diff as the app runs it (both introspections at once on two threads, diff, SQL
// generation) with its peak RSS, then introspection of A and of B one after the other;
// object and change counts, and the client's and the server backend's CPU time for A.
// Driven by bench/schema;
// prints figures only and never judges them.
//
// usage: bench_schema_engine URL_A URL_B
//        bench_schema_engine --introspect-only URL
//        bench_schema_engine --digest URL     the catalog digest (schema/catalogdigest.h) and
//                                             one full introspection, each as the first query of
//                                             a new session and again on the same session, and
//                                             the digest with its own connection
#include "db/connection.h"
#include "db/connectionparams.h"
#include "schema/catalogdigest.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <thread>

namespace {

struct Timed
{
    pd::Result<pd::SchemaSnapshot> snapshot;
    double ms = 0;
    double clientCpuMs = 0;  // this thread's CPU time while introspecting
    double serverCpuMs = -1; // the backend's CPU time, when /proc/<pid>/stat is readable
};

double threadCpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

// The fields of /proc/PID/stat after the command name (the first is the state, field 3),
// or none when it cannot be read (another machine's server, another user's process).
QList<QByteArray> procStatFields(const QString &pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = file.readAll();
    return text.mid(text.lastIndexOf(')') + 2).split(' ');
}

// utime + stime of a process (fields 14 and 15 of /proc/PID/stat), or -1.
double processCpuMs(const QString &pid)
{
    const QList<QByteArray> fields = procStatFields(pid);
    if (fields.size() < 13)
        return -1;
    const double ticks = double(fields.at(11).toLongLong() + fields.at(12).toLongLong());
    return ticks * 1e3 / double(sysconf(_SC_CLK_TCK));
}

// Minor page faults of a process (field 10 of /proc/PID/stat), or -1.
qint64 processMinorFaults(const QString &pid)
{
    const QList<QByteArray> fields = procStatFields(pid);
    return fields.size() < 8 ? -1 : fields.at(7).toLongLong();
}

double elapsedMs(const QElapsedTimer &timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

// Connect (not timed), then introspect (timed).
Timed introspectUrl(const QString &url)
{
    Timed out;
    auto params = pd::ConnectionParams::fromUrl(url);
    if (!params) {
        out.snapshot = params.error();
        return out;
    }
    params->statementTimeoutSeconds = 3600; // big synthetic schemas: measure, do not time out
    params->connectTimeoutSeconds = 30;
    auto connection = pd::Connection::open(*params);
    if (!connection) {
        out.snapshot = connection.error();
        return out;
    }
    const pd::Result<QString> pid = connection->scalar(QStringLiteral("SELECT pg_backend_pid()"));
    const QString backend = pid ? pid.value() : QString();
    const double server0 = processCpuMs(backend);
    const double client0 = threadCpuMs();
    QElapsedTimer timer;
    timer.start();
    out.snapshot = pd::introspect(*connection);
    out.ms = elapsedMs(timer);
    out.clientCpuMs = threadCpuMs() - client0;
    const double server1 = processCpuMs(backend);
    if (server0 >= 0 && server1 >= 0)
        out.serverCpuMs = server1 - server0;
    return out;
}

long peakRssKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // kilobytes on Linux
}

int fail(const QString &what, const pd::Error &error)
{
    std::fprintf(stderr, "bench_schema_engine: %s: %s\n", qPrintable(what),
                 qPrintable(error.message));
    return 3;
}

void printJson(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);

    if (args.size() == 2 && args.at(0) == QStringLiteral("--introspect-only")) {
        Timed a = introspectUrl(args.at(1));
        if (!a.snapshot)
            return fail(QStringLiteral("introspect"), a.snapshot.error());
        QJsonObject out;
        out[QStringLiteral("mode")] = QStringLiteral("introspect-only");
        out[QStringLiteral("introspect_ms")] = a.ms;
        out[QStringLiteral("client_cpu_ms")] = a.clientCpuMs;
        out[QStringLiteral("server_cpu_ms")] = a.serverCpuMs;
        out[QStringLiteral("objects")] = static_cast<int>(a.snapshot->objects.size());
        out[QStringLiteral("queries")] = a.snapshot->queryCount;
        out[QStringLiteral("peak_rss_kb")] = static_cast<double>(peakRssKb());
        printJson(out);
        return 0;
    }
    if (args.size() == 2 && args.at(0) == QStringLiteral("--digest")) {
        auto params = pd::ConnectionParams::fromUrl(args.at(1));
        if (!params)
            return fail(QStringLiteral("url"), params.error());
        params->statementTimeoutSeconds = 3600;
        params->connectTimeoutSeconds = 30;
        // Each is taken twice: as the first query of a new session (what the drift watch
        // pays when it connects for a look) and again on the same session (what it pays
        // on a kept one, environment/keptconnections.h). A new backend's first pass over
        // the catalogs also maps each shared buffer it touches into its address space;
        // the backend's minor page faults say how many (when /proc/<pid> is readable).
        struct Session
        {
            std::optional<pd::Connection> connection;
            QString backend;
        };
        const auto connect = [&params]() -> pd::Result<Session> {
            auto connection = pd::Connection::open(*params);
            if (!connection)
                return connection.error();
            Session session;
            const pd::Result<QString> pid =
                connection->scalar(QStringLiteral("SELECT pg_backend_pid()"));
            session.backend = pid ? pid.value() : QString();
            session.connection.emplace(std::move(*connection));
            return session;
        };
        QElapsedTimer timer;
        timer.start();
        QByteArray first;
        {
            auto session = connect();
            if (!session)
                return fail(QStringLiteral("connect"), session.error());
            auto digest = pd::catalogDigest(*session->connection);
            if (!digest)
                return fail(QStringLiteral("digest"), digest.error());
            first = digest->value;
        }
        const double withConnectMs = elapsedMs(timer);

        auto session = connect();
        if (!session)
            return fail(QStringLiteral("connect"), session.error());
        const qint64 faults0 = processMinorFaults(session->backend);
        timer.restart();
        auto digest = pd::catalogDigest(*session->connection);
        const double coldMs = elapsedMs(timer);
        const qint64 faults1 = processMinorFaults(session->backend);
        if (!digest)
            return fail(QStringLiteral("digest"), digest.error());
        bool stable = digest->value == first;
        QList<double> warm;
        for (int i = 0; i < 3; ++i) {
            timer.restart();
            auto again = pd::catalogDigest(*session->connection);
            warm.append(elapsedMs(timer));
            if (!again)
                return fail(QStringLiteral("digest"), again.error());
            stable = stable && again->value == first;
        }
        std::sort(warm.begin(), warm.end());
        timer.restart();
        auto counters = pd::catalogWriteCounters(*session->connection);
        const double countersMs = elapsedMs(timer);
        if (!counters)
            return fail(QStringLiteral("counters"), counters.error());

        auto fresh = connect();
        if (!fresh)
            return fail(QStringLiteral("connect"), fresh.error());
        timer.restart();
        auto snapshot = pd::introspect(*fresh->connection);
        const double introspectColdMs = elapsedMs(timer);
        if (!snapshot)
            return fail(QStringLiteral("introspect"), snapshot.error());
        timer.restart();
        snapshot = pd::introspect(*fresh->connection);
        const double introspectWarmMs = elapsedMs(timer);
        if (!snapshot)
            return fail(QStringLiteral("introspect"), snapshot.error());

        QJsonObject out;
        out[QStringLiteral("mode")] = QStringLiteral("digest");
        out[QStringLiteral("digest_cold_ms")] = coldMs;
        out[QStringLiteral("digest_warm_ms")] = warm.at(1);
        out[QStringLiteral("digest_with_connect_ms")] = withConnectMs;
        if (faults0 >= 0 && faults1 >= 0)
            out[QStringLiteral("digest_cold_page_faults")] = double(faults1 - faults0);
        out[QStringLiteral("counters_ms")] = countersMs;
        out[QStringLiteral("counters_kept")] = counters->has_value();
        out[QStringLiteral("introspect_cold_ms")] = introspectColdMs;
        out[QStringLiteral("introspect_warm_ms")] = introspectWarmMs;
        out[QStringLiteral("digest_rows")] = digest->rows;
        out[QStringLiteral("stable")] = stable;
        out[QStringLiteral("objects")] = static_cast<int>(snapshot->objects.size());
        printJson(out);
        return 0;
    }
    if (args.size() != 2 || args.at(0).startsWith(QLatin1Char('-'))) {
        std::fprintf(stderr, "usage: bench_schema_engine URL_A URL_B\n"
                             "       bench_schema_engine --introspect-only URL\n"
                             "       bench_schema_engine --digest URL\n");
        return 2;
    }
    const QString urlA = args.at(0);
    const QString urlB = args.at(1);

    // The full diff as the app runs it: both sides in parallel, then diff, then SQL.
    QElapsedTimer total;
    total.start();
    Timed pa;
    Timed pb;
    {
        std::thread ta([&] { pa = introspectUrl(urlA); });
        std::thread tb([&] { pb = introspectUrl(urlB); });
        ta.join();
        tb.join();
    }
    const double parallelMs = elapsedMs(total);
    if (!pa.snapshot)
        return fail(QStringLiteral("introspect A (parallel)"), pa.snapshot.error());
    if (!pb.snapshot)
        return fail(QStringLiteral("introspect B (parallel)"), pb.snapshot.error());

    QElapsedTimer step;
    step.start();
    const pd::SchemaDiff result = pd::diff(*pa.snapshot, *pb.snapshot);
    const double diffMs = elapsedMs(step);

    step.restart();
    pd::SqlOptions options;
    options.unsafe = true;
    const QString sql = pd::generateSql(result, options);
    const double sqlMs = elapsedMs(step);
    const double totalMs = elapsedMs(total);
    // Peak RSS of the full diff alone, as a `paritydeck diff` process sees it: measured
    // before the one-by-one runs below, whose freed memory glibc would keep mapped.
    const long fullDiffPeakRssKb = peakRssKb();

    // Then each side alone, one after the other.
    Timed a = introspectUrl(urlA);
    if (!a.snapshot)
        return fail(QStringLiteral("introspect A"), a.snapshot.error());
    Timed b = introspectUrl(urlB);
    if (!b.snapshot)
        return fail(QStringLiteral("introspect B"), b.snapshot.error());
    const double sequentialAMs = a.ms;
    const double sequentialBMs = b.ms;

    QJsonObject out;
    out[QStringLiteral("mode")] = QStringLiteral("diff");
    out[QStringLiteral("introspect_a_ms")] = sequentialAMs;
    out[QStringLiteral("introspect_b_ms")] = sequentialBMs;
    out[QStringLiteral("introspect_parallel_ms")] = parallelMs;
    out[QStringLiteral("introspect_parallel_a_ms")] = pa.ms;
    out[QStringLiteral("introspect_parallel_b_ms")] = pb.ms;
    out[QStringLiteral("client_cpu_a_ms")] = pa.clientCpuMs;
    out[QStringLiteral("server_cpu_a_ms")] = pa.serverCpuMs;
    out[QStringLiteral("diff_ms")] = diffMs;
    out[QStringLiteral("sql_ms")] = sqlMs;
    out[QStringLiteral("total_ms")] = totalMs;
    out[QStringLiteral("objects_a")] = static_cast<int>(pa.snapshot->objects.size());
    out[QStringLiteral("objects_b")] = static_cast<int>(pb.snapshot->objects.size());
    out[QStringLiteral("changes")] = static_cast<int>(result.changes.size());
    out[QStringLiteral("summary")] = result.summaryText();
    out[QStringLiteral("sql_bytes")] = static_cast<int>(sql.toUtf8().size());
    out[QStringLiteral("queries")] = pa.snapshot->queryCount;
    out[QStringLiteral("peak_rss_kb")] = static_cast<double>(fullDiffPeakRssKb);
    out[QStringLiteral("peak_rss_with_sequential_kb")] = static_cast<double>(peakRssKb());
    printJson(out);
    return 0;
}
