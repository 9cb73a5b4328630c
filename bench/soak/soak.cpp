// Soak run of the status monitor (core/environment/statusmonitor.h): N environments
// polled every second for M minutes while things go wrong on purpose, printing the
// process's resident memory and open file descriptors at the start and the end, and
// checking that every state change that was caused was also reported.
//
// Environments, cycling through these kinds (10 environments = each kind at least once):
//   steady    a database on real server A
//   killed    a database on real server B, which is SIGKILLed and restarted every
//             --flap-seconds: each cycle must be reported as down and then up again
//   flapping  server A plus a supervised service (run: sleep S, restart: true) that the
//             soak starts before the monitor: it exits on its own every --service-seconds
//             and the monitor's restart policy must start it again each time. S defaults
//             to 35, longer than the policy's 30 s "stable" mark, so every exit is a first
//             crash, restarted at once (a shorter S backs off to one restart a minute)
//   toggled   server A plus a command-pair service whose status command follows a flag
//             file that this program flips every --toggle-seconds: each flip must be
//             reported (up ↔ degraded)
//   hanging   a TCP listener that accepts and never answers (down after connect_timeout)
//   refused   a port nothing listens on (down)
//
//   bench_soak [--envs N] [--minutes M] [--flap-seconds S] [--toggle-seconds T]
//              [--service-seconds S]
// Output: figures on stdout and one JSON line starting with "soak-result ".
#include "environment/statusmonitor.h"
#include "hangingserver.h"
#include "pgcluster.h"
#include "refusingport.h"
#include "services/servicecontroller.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace pd;
using pd::test::HangingServer;
using pd::test::PgCluster;
using pd::test::RefusingPort;

namespace {

qint64 rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

int openFds()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)
                   .size());
}

int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::NoDotAndDotDot | QDir::Dirs)
                   .size());
}

enum class Kind { Steady, Killed, Flapping, Toggled, Hanging, Refused };
const char *kindName(Kind kind)
{
    switch (kind) {
    case Kind::Steady:
        return "steady";
    case Kind::Killed:
        return "killed";
    case Kind::Flapping:
        return "flapping";
    case Kind::Toggled:
        return "toggled";
    case Kind::Hanging:
        return "hanging";
    case Kind::Refused:
        return "refused";
    }
    return "?";
}

struct Sample
{
    double seconds = 0;
    qint64 rss = 0;
    int fds = 0;        // of the monitor: without the hanging listener's accepted sockets
    int fixtureFds = 0; // sockets the in-process hanging listener keeps open by design
    int threads = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption envsOption(QStringLiteral("envs"), QStringLiteral("environments"),
                                        QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption minutesOption(QStringLiteral("minutes"), QStringLiteral("duration"),
                                           QStringLiteral("M"), QStringLiteral("10"));
    const QCommandLineOption flapOption(QStringLiteral("flap-seconds"),
                                        QStringLiteral("kill/restart period of server B"),
                                        QStringLiteral("S"), QStringLiteral("20"));
    const QCommandLineOption toggleOption(QStringLiteral("toggle-seconds"),
                                          QStringLiteral("flag flip period"), QStringLiteral("T"),
                                          QStringLiteral("7"));
    const QCommandLineOption serviceOption(
        QStringLiteral("service-seconds"),
        QStringLiteral("lifetime of the supervised service before it exits"), QStringLiteral("S"),
        QStringLiteral("35"));
    parser.addOptions({envsOption, minutesOption, flapOption, toggleOption, serviceOption});
    parser.process(app);
    const int envCount = std::max(1, parser.value(envsOption).toInt());
    const double minutes = std::max(0.1, parser.value(minutesOption).toDouble());
    const int flapSeconds = std::max(5, parser.value(flapOption).toInt());
    const int toggleSeconds = std::max(3, parser.value(toggleOption).toInt());
    const int serviceSeconds = std::max(2, parser.value(serviceOption).toInt());

    PgCluster serverA;
    PgCluster serverB;
    for (PgCluster *server : {&serverA, &serverB}) {
        if (auto started = server->start(); !started) {
            std::fprintf(stderr, "soak: cannot start a PostgreSQL server: %s\n",
                         qPrintable(started.error().message));
            return 3;
        }
    }
    HangingServer hanging;
    RefusingPort refused;
    QTemporaryDir work;
    const QString flag = work.filePath(QStringLiteral("toggle.flag"));

    const QList<Kind> cycle{Kind::Steady,  Kind::Killed,  Kind::Flapping, Kind::Toggled,
                            Kind::Hanging, Kind::Refused, Kind::Steady,   Kind::Steady,
                            Kind::Steady,  Kind::Flapping};
    Workspace workspace;
    workspace.project = QStringLiteral("soak");
    workspace.filePath = work.filePath(QStringLiteral("paritydeck.yaml"));
    workspace.rootDir = work.path();
    QHash<QString, Kind> kinds;
    for (int i = 0; i < envCount; ++i) {
        const Kind kind = cycle.at(i % cycle.size());
        EnvironmentConfig env;
        env.name = QStringLiteral("env%1-%2").arg(i).arg(QLatin1String(kindName(kind)));
        env.database.connectTimeoutSeconds = 2;
        env.database.statementTimeoutSeconds = 5;
        switch (kind) {
        case Kind::Killed:
            env.database.url = serverB.url();
            break;
        case Kind::Hanging:
            env.database.url =
                QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(hanging.port());
            break;
        case Kind::Refused:
            env.database.url =
                QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(refused.port());
            break;
        default:
            env.database.url = serverA.url();
        }
        if (kind == Kind::Flapping) {
            ServiceConfig service;
            service.name = QStringLiteral("worker");
            service.run = QStringLiteral("sleep %1").arg(serviceSeconds);
            service.restart = true;
            service.startTimeoutSeconds = 5;
            env.services.append(service);
        }
        if (kind == Kind::Toggled) {
            ServiceConfig service;
            service.name = QStringLiteral("flagged");
            service.start = QStringLiteral("touch ") + flag;
            service.stop = QStringLiteral("rm -f ") + flag;
            service.status = QStringLiteral("test -f ") + flag;
            env.services.append(service);
        }
        kinds.insert(env.name, kind);
        workspace.environments.append(env);
    }

    // Supervised services keep their pidfiles and logs under XDG_STATE_HOME: keep them here.
    qputenv("XDG_STATE_HOME", work.filePath(QStringLiteral("state")).toUtf8());

    StatusMonitor monitor(workspace);
    monitor.setIntervalMs(1000);

    QHash<QString, StatusState> last;
    QHash<QString, int> transitions;
    int killedDownReports = 0;
    int killedUpReports = 0;
    int toggledReports = 0;
    int restarts = 0;
    int failedServiceRestarts = 0;
    QHash<QString, int> restartsOf; // successful restarts per environment
    QObject::connect(
        &monitor, &StatusMonitor::statusChanged, &app, [&](const EnvironmentStatus &status) {
            const StatusState previous = last.value(status.environment, StatusState::Unknown);
            if (previous == status.state)
                return;
            last.insert(status.environment, status.state);
            if (previous == StatusState::Unknown)
                return; // the first report is not a transition
            ++transitions[status.environment];
            const Kind kind = kinds.value(status.environment);
            if (kind == Kind::Killed && status.state == StatusState::Down)
                ++killedDownReports;
            if (kind == Kind::Killed && status.state == StatusState::Up)
                ++killedUpReports;
            if (kind == Kind::Toggled)
                ++toggledReports;
        });
    QObject::connect(&monitor, &StatusMonitor::serviceRestarted, &app,
                     [&](const QString &environment, const QString &, int, const QString &error) {
                         ++restarts;
                         if (error.isEmpty())
                             ++restartsOf[environment];
                         else
                             ++failedServiceRestarts;
                     });

    QElapsedTimer clock;
    clock.start();
    QList<Sample> samples;
    const auto sample = [&] {
        const int held = hanging.acceptedCount();
        samples.append(
            {double(clock.elapsed()) / 1000.0, rssKiB(), openFds() - held, held, threadCount()});
        // One line a minute, so growth over the run is visible, not just its two ends.
        if (samples.size() % 6 == 1) {
            const Sample &s = samples.last();
            std::printf("soak: at %4.0f s: RSS %lld KiB, %d fds, %d threads\n", s.seconds,
                        static_cast<long long>(s.rss), s.fds, s.threads);
            std::fflush(stdout);
        }
    };

    // Server B: killed, down for half a period, restarted. Blocking calls on a worker.
    int kills = 0;
    int failedRestarts = 0;
    QTimer flapTimer;
    flapTimer.setInterval(flapSeconds * 1000);
    QFuture<void> flapping;
    QObject::connect(&flapTimer, &QTimer::timeout, &app, [&] {
        if (flapping.isRunning())
            return;
        ++kills;
        flapping = QtConcurrent::run([&serverB, &failedRestarts, flapSeconds] {
            (void)serverB.kill();
            QThread::msleep(quint64(flapSeconds) * 500);
            if (!serverB.restart())
                ++failedRestarts;
        });
    });
    int toggles = 0;
    QTimer toggleTimer;
    toggleTimer.setInterval(toggleSeconds * 1000);
    QObject::connect(&toggleTimer, &QTimer::timeout, &app, [&] {
        ++toggles;
        if (QFile::exists(flag))
            QFile::remove(flag);
        else
            QFile(flag).open(QIODevice::WriteOnly);
    });
    QFile(flag).open(QIODevice::WriteOnly);

    QTimer sampler;
    sampler.setInterval(10000);
    QObject::connect(&sampler, &QTimer::timeout, &app, sample);

    const qint64 durationMs = qint64(minutes * 60000);
    // Memory is compared from the end of a warm-up (thread pools, caches, the first
    // connections), a tenth of the run but at least 20 s, to the end.
    const qint64 warmupMs =
        std::min<qint64>(durationMs / 2, std::max<qint64>(20000, durationMs / 10));
    Sample start;
    QTimer::singleShot(warmupMs, &app, [&] {
        sample();
        start = samples.last();
        std::printf("soak: after %.0f s warm-up: RSS %lld KiB, %d fds, %d threads\n", start.seconds,
                    static_cast<long long>(start.rss), start.fds, start.threads);
        std::fflush(stdout);
    });
    QTimer::singleShot(durationMs, &app, [&] {
        flapTimer.stop();
        toggleTimer.stop();
        // Let the last kill cycle and flag flip settle and be reported.
        QTimer::singleShot(flapSeconds * 1000 / 2 + 6000, &app, [&] {
            monitor.stop();
            sample();
            QCoreApplication::quit();
        });
    });

    // The restart policy only brings back what was running: start the supervised services
    // first (on the controller's pool; no secrets, so nothing waits for this thread).
    int serviceStartFailures = 0;
    QList<QFuture<Result<void>>> serviceStarts;
    for (const EnvironmentConfig &env : std::as_const(workspace.environments)) {
        if (kinds.value(env.name) == Kind::Flapping)
            serviceStarts.append(
                monitor.serviceController()->startAsync(env.name, QStringLiteral("worker")));
    }
    for (QFuture<Result<void>> &started : serviceStarts) {
        started.waitForFinished();
        if (const Result<void> &done = started.result(); !done) {
            ++serviceStartFailures;
            std::fprintf(stderr, "soak: cannot start the supervised service: %s\n",
                         qPrintable(done.error().message));
        }
    }

    monitor.start();
    flapTimer.start();
    toggleTimer.start();
    sampler.start();
    sample();
    std::printf(
        "soak: %d environments, %.1f min, server B killed every %d s, flag flipped every %d s\n",
        envCount, minutes, flapSeconds, toggleSeconds);
    std::fflush(stdout);
    app.exec();
    flapping.waitForFinished();
    const double serviceRunSeconds = samples.last().seconds;
    // Leave no supervised process behind.
    for (const EnvironmentConfig &env : std::as_const(workspace.environments)) {
        if (kinds.value(env.name) == Kind::Flapping)
            monitor.serviceController()
                ->stopAsync(env.name, QStringLiteral("worker"))
                .waitForFinished();
    }

    const Sample end = samples.last();
    qint64 maxRss = 0;
    int maxFds = 0;
    for (const Sample &s : samples) {
        maxRss = std::max(maxRss, s.rss);
        maxFds = std::max(maxFds, s.fds);
    }
    const bool hasKilled =
        std::any_of(kinds.cbegin(), kinds.cend(), [](Kind k) { return k == Kind::Killed; });
    const bool hasToggled =
        std::any_of(kinds.cbegin(), kinds.cend(), [](Kind k) { return k == Kind::Toggled; });
    const int missedKills =
        hasKilled
            ? std::max(0, kills - failedRestarts - std::min(killedDownReports, killedUpReports))
            : 0;
    const int missedToggles = hasToggled ? std::max(0, toggles - toggledReports) : 0;
    // Each supervised service exits every serviceSeconds and should be back within a few
    // checks: allow 5 s per cycle and one cycle cut short by the end of the run.
    const int expectedRestarts = std::max(0, int(serviceRunSeconds / (serviceSeconds + 5)) - 1);
    int missedRestarts = serviceStartFailures + failedServiceRestarts;
    for (auto it = kinds.cbegin(); it != kinds.cend(); ++it) {
        if (it.value() == Kind::Flapping)
            missedRestarts += std::max(0, expectedRestarts - restartsOf.value(it.key()));
    }

    std::printf("soak: end after %.0f s: RSS %lld KiB (%+lld KiB since warm-up, max %lld), %d fds "
                "(%+d, max %d; "
                "not counted: %d sockets the hanging listener holds), %d threads (%+d)\n",
                end.seconds, static_cast<long long>(end.rss),
                static_cast<long long>(end.rss - start.rss), static_cast<long long>(maxRss),
                end.fds, end.fds - start.fds, maxFds, end.fixtureFds, end.threads,
                end.threads - start.threads);
    // Growth that goes on would show in the second half as much as in the first.
    const double middle = (start.seconds + end.seconds) / 2;
    const Sample &half = *std::min_element(
        samples.cbegin(), samples.cend(), [middle](const Sample &a, const Sample &b) {
            return std::abs(a.seconds - middle) < std::abs(b.seconds - middle);
        });
    std::printf("soak: RSS %+lld KiB from warm-up to %.0f s, %+lld KiB from there to the end\n",
                static_cast<long long>(half.rss - start.rss), half.seconds,
                static_cast<long long>(end.rss - half.rss));
    std::printf("soak: server B killed %d times (%d failed restarts): reported down %d, up %d; "
                "flag flipped %d times: "
                "reported %d changes; restart policy restarted services %d times (%d failed; at "
                "least %d per "
                "flapping environment expected, missed %d)\n",
                kills, failedRestarts, killedDownReports, killedUpReports, toggles, toggledReports,
                restarts, failedServiceRestarts, expectedRestarts, missedRestarts);
    for (const EnvironmentConfig &env : workspace.environments) {
        std::printf("  %-18s %3d transitions, now %s\n", qPrintable(env.name),
                    transitions.value(env.name), qPrintable(statusStateName(last.value(env.name))));
    }
    QJsonObject result{{QStringLiteral("environments"), envCount},
                       {QStringLiteral("seconds"), end.seconds},
                       {QStringLiteral("rss_kib_start"), double(start.rss)},
                       {QStringLiteral("rss_kib_mid"), double(half.rss)},
                       {QStringLiteral("rss_kib_end"), double(end.rss)},
                       {QStringLiteral("rss_kib_max"), double(maxRss)},
                       {QStringLiteral("fds_start"), start.fds},
                       {QStringLiteral("fds_end"), end.fds},
                       {QStringLiteral("threads_start"), start.threads},
                       {QStringLiteral("threads_end"), end.threads},
                       {QStringLiteral("kills"), kills},
                       {QStringLiteral("missed_kill_transitions"), missedKills},
                       {QStringLiteral("toggles"), toggles},
                       {QStringLiteral("missed_toggle_transitions"), missedToggles},
                       {QStringLiteral("service_restarts"), restarts},
                       {QStringLiteral("missed_service_restarts"), missedRestarts}};
    std::printf("soak-result %s\n",
                QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return missedKills == 0 && missedToggles == 0 && missedRestarts == 0 ? 0 : 1;
}
