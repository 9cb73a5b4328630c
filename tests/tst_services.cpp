// Services against real processes and sockets: detached supervised processes that outlive
// the controller, SIGTERM then SIGKILL, command pairs whose failures name their stderr
// line, probes that time out without holding anyone up, de-flapping of a flapping service,
// and secrets that reach only the child's environment.
#include "audit/auditlog.h"
#include "common/detachedwork.h"
#include "environment/servicecheck.h"
#include "environment/statusmonitor.h"
#include "hangingserver.h"
#include "pgcluster.h"
#include "refusingport.h"
#include "secrets/secretresolver.h"
#include "services/healthprobe.h"
#include "services/restartbackoff.h"
#include "services/servicecontroller.h"
#include "services/servicefiles.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pd;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// A listening socket whose accept queue is full: further SYNs are dropped, so a connect()
// neither succeeds nor is refused — it can only time out. (HangingServer accepts, which a
// plain tcp probe would count as healthy.)
class SaturatedPort final
{
public:
    SaturatedPort()
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(m_listen, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
            ::listen(m_listen, 0) != 0 ||
            ::getsockname(m_listen, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
        for (int &client : m_clients) {
            client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            ::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address);
        }
    }
    ~SaturatedPort()
    {
        for (int client : m_clients)
            ::close(client);
        ::close(m_listen);
    }
    SaturatedPort(const SaturatedPort &) = delete;
    SaturatedPort &operator=(const SaturatedPort &) = delete;
    quint16 port() const noexcept { return m_port; }

private:
    int m_listen = -1;
    int m_clients[4] = {-1, -1, -1, -1};
    quint16 m_port = 0;
};

template<typename T> std::optional<T> awaitFuture(QFuture<T> future, int timeoutMs)
{
    QFutureWatcher<T> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (!future.isFinished() && !finished.wait(timeoutMs))
        return std::nullopt;
    return future.result();
}

QString errorText(const Result<void> &result)
{
    return result.ok() ? QString() : result.error().message;
}

ServiceConfig supervised(const QString &name, const QString &run)
{
    ServiceConfig s;
    s.name = name;
    s.run = run;
    s.startTimeoutSeconds = 20;
    return s;
}

ServiceConfig commandPair(const QString &name, const QString &start, const QString &stop)
{
    ServiceConfig s;
    s.name = name;
    s.start = start;
    s.stop = stop;
    s.startTimeoutSeconds = 20;
    return s;
}

HealthProbeConfig tcpProbe(quint16 port, int timeoutSeconds = 2)
{
    HealthProbeConfig h;
    h.kind = HealthProbeConfig::Kind::Tcp;
    h.target = QStringLiteral("127.0.0.1:%1").arg(port);
    h.timeoutSeconds = timeoutSeconds;
    return h;
}

// Environments without a database URL are checked by their services alone, which keeps
// these tests about services; tst_statusmonitor combines both.
EnvironmentConfig environment(const QString &name, const QList<ServiceConfig> &services)
{
    EnvironmentConfig env;
    env.name = name;
    env.services = services;
    return env;
}

QList<QByteArray> environOf(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/environ").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().split('\0');
}

} // namespace

class TestServices final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_state;
    QTemporaryDir m_root;
    int m_workspaceCount = 0;

    // A fresh workspace (its own project hash, so pidfiles never collide between tests).
    Workspace workspaceOf(const QList<EnvironmentConfig> &environments)
    {
        Workspace ws;
        ws.project = QStringLiteral("svc-test");
        ws.rootDir = m_root.path();
        ws.filePath = m_root.filePath(QStringLiteral("paritydeck-%1.yaml").arg(++m_workspaceCount));
        ws.environments = environments;
        return ws;
    }

    AuditLog audit() const
    {
        return AuditLog(m_state.filePath(QStringLiteral("paritydeck/audit.jsonl")));
    }

    // The entries that end an action on `target` (each has a "started" one before it,
    // checked in supervisedProcessOutlivesItsControllerAndStopsWithSigterm).
    QList<AuditEntry> auditFor(const QString &target, bool withStarts = false)
    {
        QList<AuditEntry> matching;
        const auto all = audit().read();
        for (const AuditEntry &e : *all) {
            if (e.target == target && (withStarts || e.outcome != AuditOutcome::Started))
                matching.append(e);
        }
        return matching;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_state.isValid());
        QVERIFY(m_root.isValid());
        // Pidfiles, logs and the audit log of these tests stay in a temporary state dir.
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
    }

    // Issue 16, item 6: pidfiles and service logs (which may hold whatever a service
    // prints) sit in folders only the user can open, services/ included, even when an
    // older ParityDeck made it 0755.
    void serviceStateFoldersAreTheUsersAlone()
    {
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {})});
        const QString state = m_state.path() + QStringLiteral("/paritydeck");
        QVERIFY(QDir().mkpath(state + QStringLiteral("/services")));
        QVERIFY(::chmod(QFile::encodeName(state + QStringLiteral("/services")).constData(), 0755) ==
                0);
        const ServiceFiles files(ws, QStringLiteral("dev"), QStringLiteral("web"));
        QVERIFY(files.ensureFolder().ok());
        const QString folder = QFileInfo(files.pidFile()).absolutePath();
        QVERIFY(folder.startsWith(state + QStringLiteral("/services/")));
        for (QString dir = folder; dir.startsWith(state); dir = QFileInfo(dir).path()) {
            struct stat info = {};
            QCOMPARE(::stat(QFile::encodeName(dir).constData(), &info), 0);
            QVERIFY2(
                (info.st_mode & 0777) == 0700,
                qPrintable(QStringLiteral("%1 is %2").arg(dir).arg(info.st_mode & 0777, 0, 8)));
        }
    }

    void supervisedProcessOutlivesItsControllerAndStopsWithSigterm()
    {
        const quint16 port = freePort();
        ServiceConfig web =
            supervised(QStringLiteral("web"),
                       QStringLiteral("python3 -m http.server %1 --bind 127.0.0.1").arg(port));
        web.health.kind = HealthProbeConfig::Kind::Http;
        web.health.target = QStringLiteral("http://127.0.0.1:%1/").arg(port);
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {web})});

        qint64 pid = 0;
        {
            auto *first = new ServiceController(ws);
            const auto started =
                awaitFuture(first->startAsync(QStringLiteral("dev"), QStringLiteral("web")), 30000);
            QVERIFY(started);
            QVERIFY2(started->ok(), qPrintable(errorText(*started)));
            const auto runtime = first->runtime(QStringLiteral("dev"), QStringLiteral("web"));
            QVERIFY(runtime->running);
            pid = runtime->process->pid;
            QCOMPARE(first->startedHere(), (QList<QPair<QString, QString>>{
                                               {QStringLiteral("dev"), QStringLiteral("web")}}));
            delete first;
        }
        // Not our child, not in our session: it leads a session of its own.
        const auto stat = process::stat(pid);
        QVERIFY(stat.has_value());
        QVERIFY(stat->parentPid != ::getpid());
        QCOMPARE(stat->session, pid);
        QVERIFY(stat->session != ::getsid(0));
        QCOMPARE(stat->processGroup, pid);
        // Still serving after the controller is gone.
        HealthContext context;
        QVERIFY(checkHealth(web.health, context).ok());

        // A second, fresh controller (as the CLI after the GUI) finds it through the pidfile.
        ServiceController second(ws);
        const auto runtime = second.runtime(QStringLiteral("dev"), QStringLiteral("web"));
        QVERIFY(runtime->running);
        QCOMPARE(runtime->process->pid, pid);
        QVERIFY(QFileInfo(runtime->logFile)
                    .absolutePath()
                    .startsWith(m_state.path() + QStringLiteral("/paritydeck/services/")));

        const auto stopped =
            awaitFuture(second.stopAsync(QStringLiteral("dev"), QStringLiteral("web")), 30000);
        QVERIFY(stopped && stopped->ok());
        QVERIFY(!process::isAlive(*runtime->process));
        QVERIFY(!second.runtime(QStringLiteral("dev"), QStringLiteral("web"))->running);
        QVERIFY(!QFile::exists(
            ServiceFiles(ws, QStringLiteral("dev"), QStringLiteral("web")).pidFile()));
        QVERIFY(second.startedHere().isEmpty());

        const QList<AuditEntry> entries = auditFor(QStringLiteral("web"));
        QVERIFY(entries.size() >= 2);
        const AuditEntry &stop = entries.last();
        QCOMPARE(stop.action, QStringLiteral("stop"));
        QCOMPARE(stop.outcome, AuditOutcome::Ok);
        QVERIFY2(stop.detail.contains(QStringLiteral("stopped with SIGTERM")),
                 qPrintable(stop.detail));
        QVERIFY(stop.durationMs >= 0);
        QCOMPARE(entries.at(entries.size() - 2).action, QStringLiteral("start"));
        // The stop's "started" entry came first, and nothing is left unfinished.
        const QList<AuditEntry> withStarts = auditFor(QStringLiteral("web"), true);
        QCOMPARE(withStarts.at(withStarts.size() - 2).outcome, AuditOutcome::Started);
        QCOMPARE(withStarts.at(withStarts.size() - 2).operation, stop.operation);
        for (const AuditEntry &e : withStarts)
            QVERIFY2(!e.unfinished, qPrintable(e.toText()));
    }

    void processIgnoringSigtermIsKilledAfterTheGracePeriod()
    {
        const ServiceConfig stubborn =
            supervised(QStringLiteral("stubborn"),
                       QStringLiteral("trap '' TERM; echo ready; while true; do sleep 0.1; done"));
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {stubborn})});
        ServiceController controller(ws);
        controller.setStopGraceMs(500);
        const auto started = awaitFuture(controller.startAsync(QStringLiteral("dev")), 30000);
        QVERIFY(started && started->ok());
        const ProcessIdentity identity =
            *controller.runtime(QStringLiteral("dev"), QStringLiteral("stubborn"))->process;
        QVERIFY(process::isAlive(identity));
        // The shell has run its trap once it printed "ready": only then does SIGTERM miss it.
        QTRY_VERIFY_WITH_TIMEOUT(
            controller.logs(QStringLiteral("dev"), QStringLiteral("stubborn"), 5)
                .value()
                .contains(QStringLiteral("ready")),
            10000);

        const auto stopped = awaitFuture(controller.stopAsync(QStringLiteral("dev")), 30000);
        QVERIFY(stopped);
        QVERIFY2(stopped->ok(), qPrintable(errorText(*stopped)));
        QVERIFY(!process::isAlive(identity));
        const AuditEntry stop = auditFor(QStringLiteral("stubborn")).last();
        QVERIFY2(stop.detail.contains(QStringLiteral("ignored SIGTERM")) &&
                     stop.detail.contains(QStringLiteral("killed")),
                 qPrintable(stop.detail));
    }

    void servicesStartInDependencyOrderAndStopInReverse()
    {
        const QString order = m_root.filePath(QStringLiteral("order.txt"));
        QFile::remove(order);
        ServiceConfig api =
            commandPair(QStringLiteral("api"), QStringLiteral("echo start-api >> order.txt"),
                        QStringLiteral("echo stop-api >> order.txt"));
        api.after = {QStringLiteral("db")};
        const ServiceConfig db =
            commandPair(QStringLiteral("db"), QStringLiteral("echo start-db >> order.txt"),
                        QStringLiteral("echo stop-db >> order.txt"));
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {api, db})});
        ServiceController controller(ws);
        QVERIFY(awaitFuture(controller.startAsync(QStringLiteral("dev")), 30000)->ok());
        QVERIFY(awaitFuture(controller.stopAsync(QStringLiteral("dev")), 30000)->ok());
        QFile file(order);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("start-db\nstart-api\nstop-api\nstop-db\n"));

        const auto unknown = awaitFuture(
            controller.startAsync(QStringLiteral("dev"), QStringLiteral("nope")), 30000);
        QVERIFY(!unknown->ok());
        QCOMPARE(unknown->error().code, ErrorCode::NotFound);
        QVERIFY2(unknown->error().message.contains(QStringLiteral("api, db")),
                 qPrintable(unknown->error().message));
    }

    void logsShowTheLastLines()
    {
        const ServiceConfig chatty =
            supervised(QStringLiteral("chatty"), QStringLiteral("seq 1 500; sleep 600"));
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {chatty})});
        ServiceController controller(ws);
        QVERIFY(awaitFuture(controller.startAsync(QStringLiteral("dev")), 30000)->ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            controller.logs(QStringLiteral("dev"), QStringLiteral("chatty"), 3).value(),
            (QStringList{QStringLiteral("498"), QStringLiteral("499"), QStringLiteral("500")}),
            10000);
        QVERIFY(awaitFuture(controller.stopAsync(QStringLiteral("dev")), 30000)->ok());
        const auto none = controller.logs(QStringLiteral("dev"), QStringLiteral("missing"), 3);
        QVERIFY(!none.ok());
    }

    void failingStartCommandShowsItsStderrLine()
    {
        const quint16 port = freePort();
        ServiceConfig proxy = commandPair(
            QStringLiteral("proxy"),
            QStringLiteral(
                "echo booting; echo \"listen 127.0.0.1:%1: address already in use\" >&2; exit 3")
                .arg(port),
            QStringLiteral("true"));
        proxy.health = tcpProbe(port);
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {proxy})});

        StatusMonitor monitor(ws);
        monitor.setIntervalMs(200);
        const auto started =
            awaitFuture(monitor.serviceController()->startAsync(QStringLiteral("dev")), 30000);
        QVERIFY(started && !started->ok());
        const QString expected =
            QStringLiteral("start command exited 3: listen 127.0.0.1:%1: address already in use")
                .arg(port);
        QCOMPARE(started->error().message, QStringLiteral("proxy: ") + expected);

        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Error,
                                  10000);
        const EnvironmentStatus status = monitor.status(QStringLiteral("dev"));
        QCOMPARE(status.reason, QStringLiteral("proxy: ") + expected);
        QCOMPARE(status.services.size(), 1);
        QCOMPARE(status.services.at(0).state, StatusState::Error);

        const AuditEntry entry = auditFor(QStringLiteral("proxy")).last();
        QCOMPARE(entry.outcome, AuditOutcome::Failed);
        QCOMPARE(entry.detail, expected);
        QVERIFY(monitor.serviceController()
                    ->logs(QStringLiteral("dev"), QStringLiteral("proxy"), 10)
                    ->contains(QStringLiteral("booting")));
    }

    void deadServiceIsReportedDownWithinTwoIntervals()
    {
        const ServiceConfig worker =
            supervised(QStringLiteral("worker"), QStringLiteral("sleep 600"));
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {worker})});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(300);
        QCOMPARE(monitor.deflapChecks(), 2);
        QVERIFY(awaitFuture(monitor.serviceController()->startAsync(QStringLiteral("dev")), 30000)
                    ->ok());
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  10000);
        QCOMPARE(monitor.status(QStringLiteral("dev")).services.at(0).state, StatusState::Up);

        const ProcessIdentity identity =
            *monitor.serviceController()
                 ->runtime(QStringLiteral("dev"), QStringLiteral("worker"))
                 ->process;
        QSignalSpy checks(&monitor, &StatusMonitor::statusChanged);
        QVERIFY(::kill(pid_t(identity.pid), SIGKILL) == 0);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).services.at(0).state,
                                  StatusState::Down, 10000);
        // Two checks confirm the change (de-flapping); one more may have been under way
        // when the process died. At 300 ms a check, that is well within two intervals
        // after the check that first saw it.
        QVERIFY2(checks.size() <= 3, qPrintable(QString::number(checks.size())));
        const EnvironmentStatus status = monitor.status(QStringLiteral("dev"));
        QCOMPARE(status.state, StatusState::Down);
        QVERIFY2(
            status.reason.startsWith(QStringLiteral("worker: process %1 exited").arg(identity.pid)),
            qPrintable(status.reason));
    }

    void restartPolicyStartsAnExitedProcessAgain()
    {
        ServiceConfig worker = supervised(QStringLiteral("phoenix"), QStringLiteral("sleep 600"));
        worker.restart = true;
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {worker})});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(200);
        QSignalSpy restarted(&monitor, &StatusMonitor::serviceRestarted);
        QVERIFY(awaitFuture(monitor.serviceController()->startAsync(QStringLiteral("dev")), 30000)
                    ->ok());
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  10000);
        const ProcessIdentity before =
            *monitor.serviceController()
                 ->runtime(QStringLiteral("dev"), QStringLiteral("phoenix"))
                 ->process;
        QVERIFY(::kill(pid_t(before.pid), SIGKILL) == 0);

        QVERIFY(restarted.wait(10000));
        QCOMPARE(restarted.at(0).at(1).toString(), QStringLiteral("phoenix"));
        QCOMPARE(restarted.at(0).at(2).toInt(), 1);
        QCOMPARE(restarted.at(0).at(3).toString(), QString());
        const auto after =
            monitor.serviceController()->runtime(QStringLiteral("dev"), QStringLiteral("phoenix"));
        QVERIFY(after->running);
        QVERIFY(after->process->id() != before.id());
        const AuditEntry entry = auditFor(QStringLiteral("phoenix")).last();
        QCOMPARE(entry.action, QStringLiteral("restart"));
        QVERIFY2(entry.detail.contains(
                     QStringLiteral("automatic restart after the process exited (attempt 1)")),
                 qPrintable(entry.detail));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  10000);

        monitor.stop();
        QVERIFY(awaitFuture(monitor.serviceController()->stopAsync(QStringLiteral("dev")), 30000)
                    ->ok());
    }

    void hangingProbeTimesOutWithoutHoldingUpOtherEnvironments()
    {
        SaturatedPort hanging;
        QVERIFY(hanging.port() != 0);
        QTcpServer listening;
        QVERIFY(listening.listen(QHostAddress::LocalHost, 0));

        ServiceConfig slow =
            commandPair(QStringLiteral("tunnel"), QStringLiteral("true"), QStringLiteral("true"));
        slow.health = tcpProbe(hanging.port(), 2);
        ServiceConfig fast =
            commandPair(QStringLiteral("cache"), QStringLiteral("true"), QStringLiteral("true"));
        fast.health = tcpProbe(listening.serverPort(), 2);
        const Workspace ws = workspaceOf({environment(QStringLiteral("remote"), {slow}),
                                          environment(QStringLiteral("dev"), {fast})});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(100);
        QSignalSpy devChecks(&monitor, &StatusMonitor::statusChanged);
        monitor.start();

        // dev is checked again and again while remote's first probe still waits.
        QTRY_VERIFY_WITH_TIMEOUT(devChecks.size() >= 3, 10000);
        for (const QList<QVariant> &emitted : std::as_const(devChecks))
            QCOMPARE(emitted.at(0).value<EnvironmentStatus>().environment, QStringLiteral("dev"));
        QCOMPARE(monitor.status(QStringLiteral("dev")).state, StatusState::Up);
        QCOMPARE(monitor.status(QStringLiteral("remote")).state, StatusState::Unknown);
        QVERIFY(monitor.checksInFlight() >= 1);

        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("remote")).state, StatusState::Down,
                                  15000);
        const QString reason = monitor.status(QStringLiteral("remote")).reason;
        QCOMPARE(reason,
                 QStringLiteral("tunnel: no answer from port %1 within 2 s").arg(hanging.port()));
    }

    void servicesOfOneEnvironmentAreCheckedAtOnce()
    {
        // Each status command waits until all four have started: checked one after the
        // other, the first would wait alone until its timeout and report it; checked at
        // once, all four meet and pass. No clock is read; the timeout only bounds a failure.
        QTemporaryDir meeting;
        QVERIFY(meeting.isValid());
        QList<ServiceConfig> services;
        for (int i = 1; i <= 4; ++i) {
            ServiceConfig s = commandPair(QStringLiteral("svc%1").arg(i), QStringLiteral("true"),
                                          QStringLiteral("true"));
            s.status =
                QStringLiteral(
                    "touch '%1/%2'; while [ \"$(ls '%1' | wc -l)\" -lt 4 ]; do sleep 0.05; done")
                    .arg(meeting.path())
                    .arg(i);
            s.health.timeoutSeconds = 20;
            services.append(s);
        }
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), services)});
        QList<ServiceCheckInput> inputs;
        for (const ServiceConfig &service : services)
            inputs.append(serviceCheckInput(ws, ws.environments.first(), service, std::nullopt));
        const QList<ServiceCheck> checks = checkServices(inputs);
        QCOMPARE(checks.size(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(checks.at(i).status.name, services.at(i).name); // in the services' order
            QVERIFY2(checks.at(i).status.state != StatusState::Down &&
                         checks.at(i).status.state != StatusState::Error,
                     qPrintable(checks.at(i).status.reason));
        }
    }

    void hungStatusCommandSaysItTimedOut()
    {
        ServiceConfig hung =
            commandPair(QStringLiteral("hung"), QStringLiteral("true"), QStringLiteral("true"));
        hung.status = QStringLiteral("sleep 30");
        hung.health.timeoutSeconds = 1;
        hung.startTimeoutSeconds = 0;
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {hung})});
        const ServiceCheck check =
            checkService(serviceCheckInput(ws, ws.environments.first(), hung, std::nullopt));
        QVERIFY2(check.status.reason.contains(QStringLiteral("did not finish within 1 s")),
                 qPrintable(check.status.reason));
        QVERIFY2(!check.status.reason.contains(QStringLiteral("-1")),
                 qPrintable(check.status.reason));
    }

    void flappingServiceChangesAtMostOncePerDeflapWindow()
    {
        // Listens for 300 ms, closes for 300 ms, forever.
        const QString script = m_root.filePath(QStringLiteral("flap.py"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("import socket, sys, time\n"
                   "port = int(sys.argv[1])\n"
                   "while True:\n"
                   "    s = socket.socket()\n"
                   "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                   "    s.bind(('127.0.0.1', port))\n"
                   "    s.listen(16)\n"
                   "    time.sleep(0.3)\n"
                   "    s.close()\n"
                   "    time.sleep(0.3)\n");
        file.close();
        const quint16 port = freePort();
        ServiceConfig flapper =
            supervised(QStringLiteral("flapper"), QStringLiteral("python3 flap.py %1").arg(port));
        flapper.health = tcpProbe(port, 1);
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {flapper})});

        ServiceController controller(ws);
        controller.setWaitForHealthy(false);
        QVERIFY(awaitFuture(controller.startAsync(QStringLiteral("dev")), 30000)->ok());

        // Two monitors watch the same process: one reports every change, one de-flaps.
        StatusMonitor raw(ws), smooth(ws);
        raw.setDeflapChecks(1);
        smooth.setDeflapChecks(4);
        for (StatusMonitor *m : {&raw, &smooth})
            m->setIntervalMs(100);
        QList<StatusState> rawStates, smoothStates;
        connect(&raw, &StatusMonitor::statusChanged, this,
                [&](const EnvironmentStatus &s) { rawStates.append(s.services.at(0).state); });
        connect(&smooth, &StatusMonitor::statusChanged, this,
                [&](const EnvironmentStatus &s) { smoothStates.append(s.services.at(0).state); });
        raw.start();
        smooth.start();
        QTRY_VERIFY_WITH_TIMEOUT(rawStates.size() >= 40 && smoothStates.size() >= 40, 30000);
        raw.stop();
        smooth.stop();

        const auto changes = [](const QList<StatusState> &states) {
            QList<int> at;
            for (qsizetype i = 1; i < states.size(); ++i) {
                if (states.at(i) != states.at(i - 1))
                    at.append(int(i));
            }
            return at;
        };
        qInfo("raw: %lld checks, %lld changes; de-flapped: %lld checks, %lld changes",
              qint64(rawStates.size()), qint64(changes(rawStates).size()),
              qint64(smoothStates.size()), qint64(changes(smoothStates).size()));
        // The service really flaps …
        QVERIFY2(changes(rawStates).size() >= 4,
                 qPrintable(QString::number(changes(rawStates).size())));
        // … yet consecutive reported changes are at least one de-flap window (4 checks) apart.
        const QList<int> smoothChanges = changes(smoothStates);
        for (qsizetype i = 1; i < smoothChanges.size(); ++i)
            QVERIFY2(smoothChanges.at(i) - smoothChanges.at(i - 1) >= 4,
                     qPrintable(QStringLiteral("changes at checks %1 and %2")
                                    .arg(smoothChanges.at(i - 1))
                                    .arg(smoothChanges.at(i))));
        QVERIFY(smoothChanges.size() <= smoothStates.size() / 4 + 1);
        QVERIFY(smoothChanges.size() < changes(rawStates).size());

        QVERIFY(awaitFuture(controller.stopAsync(QStringLiteral("dev")), 30000)->ok());
    }

    void secretsReachOnlyTheChildsEnvironment()
    {
        const QByteArray fromEnv = "env-secret-Vulture-9917";
        const QByteArray fromDotenv = "dotenv-secret-Walrus-4821";
        qputenv("PD_SERVICES_TEST_SECRET", fromEnv);
        QFile dotenv(m_root.filePath(QStringLiteral(".env.services")));
        QVERIFY(dotenv.open(QIODevice::WriteOnly));
        dotenv.write("API_TOKEN=" + fromDotenv + "\n");
        dotenv.close();

        const auto ref = [](const QString &text) { return SecretRef::parse(text).value(); };
        ServiceConfig quiet = supervised(QStringLiteral("quiet"), QStringLiteral("sleep 600"));
        quiet.environment.insert(QStringLiteral("PLAIN_SETTING"), QStringLiteral("visible"));
        quiet.secretEnvironment.insert(QStringLiteral("DB_PASSWORD"),
                                       ref(QStringLiteral("env:PD_SERVICES_TEST_SECRET")));
        quiet.secretEnvironment.insert(QStringLiteral("API_TOKEN"),
                                       ref(QStringLiteral("dotenv:.env.services#API_TOKEN")));
        // A careless start command that prints its secret on failure: ParityDeck's own
        // records (message, log, audit) mask it.
        ServiceConfig leaky =
            commandPair(QStringLiteral("leaky"),
                        QStringLiteral("echo \"login failed for $API_TOKEN\" >&2; exit 1"),
                        QStringLiteral("true"));
        leaky.secretEnvironment = quiet.secretEnvironment;
        // A supervised process that prints its secret and dies: its status must not quote it.
        ServiceConfig crasher =
            supervised(QStringLiteral("crasher"),
                       QStringLiteral("sleep 1; echo \"token is $API_TOKEN\"; exit 1"));
        crasher.secretEnvironment = quiet.secretEnvironment;
        const Workspace ws =
            workspaceOf({environment(QStringLiteral("dev"), {quiet, leaky, crasher})});

        ServiceController controller(ws);
        const auto started = awaitFuture(
            controller.startAsync(QStringLiteral("dev"), QStringLiteral("quiet")), 30000);
        QVERIFY2(started->ok(), qPrintable(errorText(*started)));
        const auto failed = awaitFuture(
            controller.startAsync(QStringLiteral("dev"), QStringLiteral("leaky")), 30000);
        QVERIFY(!failed->ok());
        QCOMPARE(failed->error().message,
                 QStringLiteral("leaky: start command exited 1: login failed for ••••"));

        const qint64 pid =
            controller.runtime(QStringLiteral("dev"), QStringLiteral("quiet"))->process->pid;
        const QList<QByteArray> environ = environOf(pid);
        QVERIFY(environ.contains("DB_PASSWORD=" + fromEnv));
        QVERIFY(environ.contains("API_TOKEN=" + fromDotenv));
        QVERIFY(environ.contains("PLAIN_SETTING=visible"));

        QVERIFY(awaitFuture(controller.startAsync(QStringLiteral("dev"), QStringLiteral("crasher")),
                            30000)
                    ->ok());
        const qint64 crasherPid =
            controller.runtime(QStringLiteral("dev"), QStringLiteral("crasher"))->process->pid;
        QTRY_VERIFY_WITH_TIMEOUT(
            !QFileInfo::exists(QStringLiteral("/proc/%1/cmdline").arg(crasherPid)) ||
                QFile(QStringLiteral("/proc/%1/cmdline").arg(crasherPid)).size() == 0,
            10000);
        QTRY_VERIFY_WITH_TIMEOUT(controller.logs(QStringLiteral("dev"), QStringLiteral("crasher"))
                                     ->join(u'\n')
                                     .contains(QStringLiteral("token is")),
                                 10000);
        const ServiceCheck crashed =
            checkService(serviceCheckInput(ws, ws.environments.first(), crasher, std::nullopt));
        QCOMPARE(crashed.status.state, StatusState::Down);
        QVERIFY2(crashed.status.reason.contains(QStringLiteral("exited")),
                 qPrintable(crashed.status.reason));
        QVERIFY2(!crashed.status.reason.contains(QString::fromLatin1(fromDotenv)),
                 qPrintable(crashed.status.reason));

        // No process's command line holds a value.
        QDirIterator procs(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
        int scanned = 0;
        while (procs.hasNext()) {
            QFile cmdline(procs.next() + QStringLiteral("/cmdline"));
            if (!cmdline.open(QIODevice::ReadOnly))
                continue;
            ++scanned;
            const QByteArray args = cmdline.readAll();
            QVERIFY2(!args.contains(fromEnv) && !args.contains(fromDotenv),
                     qPrintable(cmdline.fileName()));
        }
        QVERIFY(scanned > 3);
        // Nor does any file ParityDeck wrote: logs, pidfiles, records, the audit log.
        QDirIterator files(m_state.path(), QDir::Files, QDirIterator::Subdirectories);
        int checked = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            // crasher.log is the crasher's own output, which printed its secret on purpose:
            // what a service prints is its business; what ParityDeck writes must not leak.
            if (f.fileName().endsWith(QLatin1String("/crasher.log")))
                continue;
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++checked;
            const QByteArray contents = f.readAll();
            QVERIFY2(!contents.contains(fromEnv) && !contents.contains(fromDotenv),
                     qPrintable(f.fileName()));
        }
        QVERIFY(checked >= 3);
        const AuditEntry leakyEntry = auditFor(QStringLiteral("leaky")).last();
        QCOMPARE(leakyEntry.detail,
                 QStringLiteral("start command exited 1: login failed for ••••"));

        QVERIFY(awaitFuture(controller.stopAsync(QStringLiteral("dev")), 30000)->ok());
        qunsetenv("PD_SERVICES_TEST_SECRET");
    }

    void serviceIsStartingUntilHealthyOrItsStartTimeout()
    {
        pd::test::RefusingPort never;
        QVERIFY(never.isValid());
        ServiceConfig slow = supervised(QStringLiteral("slowpoke"), QStringLiteral("sleep 600"));
        slow.health = tcpProbe(never.port(), 1);
        slow.startTimeoutSeconds = 2;
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {slow})});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(200);
        monitor.setDeflapChecks(1);
        QList<StatusState> seen;
        connect(&monitor, &StatusMonitor::statusChanged, this,
                [&](const EnvironmentStatus &s) { seen.append(s.state); });
        monitor.serviceController()->setWaitForHealthy(false);
        QVERIFY(awaitFuture(monitor.serviceController()->startAsync(QStringLiteral("dev")), 30000)
                    ->ok());
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Error,
                                  15000);
        QCOMPARE(seen.first(), StatusState::Starting);
        QCOMPARE(monitor.status(QStringLiteral("dev")).reason,
                 QStringLiteral("slowpoke: did not become healthy within 2 s: port %1 refused")
                     .arg(never.port()));

        // The blocking start waits the same way and says the same.
        monitor.stop();
        QVERIFY(awaitFuture(monitor.serviceController()->stopAsync(QStringLiteral("dev")), 30000)
                    ->ok());
        monitor.serviceController()->setWaitForHealthy(true);
        const auto started =
            awaitFuture(monitor.serviceController()->startAsync(QStringLiteral("dev")), 30000);
        QVERIFY(started && !started->ok());
        QCOMPARE(started->error().code, ErrorCode::Timeout);
        QCOMPARE(started->error().message,
                 QStringLiteral("slowpoke: did not become healthy within 2 s: port %1 refused")
                     .arg(never.port()));
        QVERIFY(awaitFuture(monitor.serviceController()->stopAsync(QStringLiteral("dev")), 30000)
                    ->ok());
    }

    // A start that was seen healthy once and went down later is down, not "did not become
    // healthy": also for a process that never saw it healthy itself (`paritydeck status`
    // after the panel started it), which reads what another process saw.
    void aStartSeenHealthyByAnotherProcessIsDownLaterNotAFailedStart()
    {
        auto listener = std::make_unique<QTcpServer>();
        QVERIFY(listener->listen(QHostAddress::LocalHost));
        const quint16 port = listener->serverPort();
        ServiceConfig db = supervised(QStringLiteral("db"), QStringLiteral("sleep 600"));
        db.health = tcpProbe(port, 1);
        db.startTimeoutSeconds = 1;
        const EnvironmentConfig env = environment(QStringLiteral("dev"), {db});
        const Workspace ws = workspaceOf({env});
        ServiceController controller(ws);
        controller.setWaitForHealthy(false);
        QVERIFY(awaitFuture(controller.startAsync(QStringLiteral("dev")), 30000)->ok());
        const auto check = [&] {
            return checkService(serviceCheckInput(ws, env, db, std::nullopt));
        };
        const ServiceCheck healthy = check();
        QCOMPARE(healthy.status.state, StatusState::Up);
        QVERIFY(healthy.healthy);

        listener.reset(); // what it served goes away, after its start timeout
        QThread::msleep(1200);
        // A fresh input, as a new process has: it knows nothing of what was seen.
        const ServiceCheck later = check();
        QCOMPARE(later.status.state, StatusState::Down);
        QVERIFY2(!later.status.reason.contains(QLatin1String("did not become healthy")),
                 qPrintable(later.status.reason));
        QVERIFY(awaitFuture(controller.stopAsync(QStringLiteral("dev")), 30000)->ok());
    }

    // Quitting while a start waits for its service to become healthy: the controller's
    // destructor returns at once (it used to wait for the pool, up to start_timeout); the
    // action, which holds the controller's shared state and not the controller, notices
    // the shutdown and gives up. The supervised process itself keeps running, as always.
    void destroyingTheControllerNeverWaitsForAStartWaitingToBeHealthy()
    {
        pd::test::RefusingPort never;
        QVERIFY(never.isValid());
        ServiceConfig slow = supervised(QStringLiteral("tortoise"), QStringLiteral("sleep 600"));
        slow.health = tcpProbe(never.port(), 1);
        slow.startTimeoutSeconds = 20;
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {slow})});
        ServiceController other(ws);
        auto *controller = new ServiceController(ws);
        const QFuture<Result<void>> start = controller->startAsync(QStringLiteral("dev"));
        // The process runs; the start is now polling its health probe.
        QTRY_VERIFY_WITH_TIMEOUT(
            other.runtime(QStringLiteral("dev"), QStringLiteral("tortoise")).ok() &&
                other.runtime(QStringLiteral("dev"), QStringLiteral("tortoise"))->running,
            10000);
        QVERIFY(!start.isFinished());
        QElapsedTimer clock;
        clock.start();
        delete controller;
        const qint64 tookMs = clock.elapsed();
        QVERIFY2(tookMs < slow.startTimeoutSeconds * 1000 / 4,
                 qPrintable(QStringLiteral("~ServiceController took %1 ms, start_timeout is %2 s")
                                .arg(tookMs)
                                .arg(slow.startTimeoutSeconds)));
        QVERIFY(finishDetachedWork(5000));
        QVERIFY(start.isFinished());
        QCOMPARE(start.resultCount(), 1);
        QVERIFY(!start.result().ok());
        QCOMPARE(start.result().error().code, ErrorCode::Cancelled);
        QVERIFY(other.stop(QStringLiteral("dev")).ok());
    }

    void logIsCappedWhileTheServiceRuns()
    {
        const ServiceConfig noisy =
            supervised(QStringLiteral("noisy"), QStringLiteral("seq 1 200000; sleep 600"));
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {noisy})});
        StatusMonitor monitor(ws);
        monitor.setIntervalMs(100);
        monitor.serviceController()->setLogCapBytes(64 * 1024);
        QVERIFY(awaitFuture(monitor.serviceController()->startAsync(QStringLiteral("dev")), 30000)
                    ->ok());
        const ServiceFiles files(ws, QStringLiteral("dev"), QStringLiteral("noisy"));
        // seq writes ~1.3 MB; the monitor's checks rotate it as it grows.
        QTRY_COMPARE_WITH_TIMEOUT(monitor.serviceController()
                                      ->logs(QStringLiteral("dev"), QStringLiteral("noisy"), 1)
                                      .value(),
                                  QStringList{QStringLiteral("200000")}, 15000);
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(files.logFile()).size() <= 64 * 1024, 10000);
        QVERIFY(QFileInfo::exists(files.rotatedLogFile()));
        QVERIFY(QFileInfo(files.rotatedLogFile()).size() < 2 * 1024 * 1024);
        monitor.stop();
        QVERIFY(awaitFuture(monitor.serviceController()->stopAsync(QStringLiteral("dev")), 30000)
                    ->ok());
    }

    void healthProbesOfEveryKind()
    {
        HealthContext context;
        context.workingDirectory = m_root.path();
        HealthProbeConfig command;
        command.kind = HealthProbeConfig::Kind::Command;
        command.target = QStringLiteral("test -d .");
        QVERIFY(checkHealth(command, context).ok());
        command.target = QStringLiteral("echo checking; echo 'replica lag 12 s' >&2; exit 2");
        auto failed = checkHealth(command, context);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().message,
                 QStringLiteral("health command exited 2: replica lag 12 s"));
        command.target = QStringLiteral("sleep 30");
        command.timeoutSeconds = 1;
        failed = checkHealth(command, context);
        QCOMPARE(failed.error().code, ErrorCode::Timeout);

        // http: 2xx/3xx healthy, anything else names the status; only loopback is probed.
        const quint16 port = freePort();
        const ServiceConfig web =
            supervised(QStringLiteral("web2"),
                       QStringLiteral("python3 -m http.server %1 --bind 127.0.0.1").arg(port));
        ServiceConfig awaited = web;
        awaited.health.kind = HealthProbeConfig::Kind::Tcp;
        awaited.health.target = QStringLiteral("127.0.0.1:%1").arg(port);
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {awaited})});
        ServiceController controller(ws);
        QVERIFY(awaitFuture(controller.startAsync(QStringLiteral("dev")), 30000)->ok());
        HealthProbeConfig http;
        http.kind = HealthProbeConfig::Kind::Http;
        http.target = QStringLiteral("http://127.0.0.1:%1/").arg(port);
        QVERIFY(checkHealth(http, context).ok());
        http.target = QStringLiteral("http://localhost:%1/no-such-page").arg(port);
        failed = checkHealth(http, context);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().message, QStringLiteral("GET /no-such-page answered 404"));
        http.target = QStringLiteral("http://192.0.2.10/health");
        QCOMPARE(checkHealth(http, context).error().code, ErrorCode::Config);
        QVERIFY(awaitFuture(controller.stopAsync(QStringLiteral("dev")), 30000)->ok());

        // http against a server that accepts and never answers: bounded by the timeout.
        pd::test::HangingServer hanging;
        http.target = QStringLiteral("http://127.0.0.1:%1/health").arg(hanging.port());
        http.timeoutSeconds = 1;
        failed = checkHealth(http, context);
        QCOMPARE(failed.error().code, ErrorCode::Timeout);
        QCOMPARE(failed.error().message, QStringLiteral("GET /health got no answer within 1 s"));
    }

    void pgbouncerAsASupervisedServiceInFrontOfTheDatabase()
    {
        const QString binary = QStandardPaths::findExecutable(
            QStringLiteral("pgbouncer"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
        if (binary.isEmpty())
            QSKIP("pgbouncer is not installed (scripts/setup installs it)");
        pd::test::PgCluster cluster;
        const auto up = cluster.start();
        QVERIFY2(up.ok(), qPrintable(up.ok() ? QString() : up.error().message));

        // The same configuration as tests/support/pgbouncer.h, but started by ParityDeck.
        QTemporaryDir dir(pd::test::PgCluster::baseDir() +
                          QStringLiteral("/paritydeck-svc-bouncer-XXXXXX"));
        QVERIFY(dir.isValid());
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                              QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                              QFileDevice::ExeOther);
        const quint16 port = freePort();
        const QByteArray ini =
            QStringLiteral("[databases]\n* = host=127.0.0.1 port=%1\n[pgbouncer]\n"
                           "listen_addr = 127.0.0.1\nlisten_port = %2\nunix_socket_dir =\n"
                           "auth_type = trust\nauth_file = %3/userlist.txt\npool_mode = session\n"
                           "ignore_startup_parameters = extra_float_digits\n")
                .arg(cluster.port())
                .arg(port)
                .arg(dir.path())
                .toUtf8();
        for (const auto &[name, contents] :
             {std::pair{QStringLiteral("pgbouncer.ini"), ini},
              std::pair{QStringLiteral("userlist.txt"), QByteArray("\"postgres\" \"\"\n")}}) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(contents);
            f.close();
            QFile::setPermissions(f.fileName(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                    QFileDevice::ReadOther);
        }
        // PgBouncer refuses to run as root.
        const QString run = ::geteuid() == 0
                                ? QStringLiteral("runuser -u postgres -- %1 %2/pgbouncer.ini")
                                      .arg(binary, dir.path())
                                : QStringLiteral("%1 %2/pgbouncer.ini").arg(binary, dir.path());
        ServiceConfig bouncer = supervised(QStringLiteral("pgbouncer"), run);
        bouncer.health = tcpProbe(port);
        EnvironmentConfig dev = environment(QStringLiteral("dev"), {bouncer});
        dev.database.url = QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(port);
        dev.database.connectTimeoutSeconds = 2;
        const Workspace ws = workspaceOf({dev});

        StatusMonitor monitor(ws);
        monitor.setIntervalMs(200);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Down,
                                  10000);
        QVERIFY2(monitor.status(QStringLiteral("dev"))
                     .reason.contains(QStringLiteral("pgbouncer: stopped")),
                 qPrintable(monitor.status(QStringLiteral("dev")).reason));

        const auto started =
            awaitFuture(monitor.serviceController()->startAsync(QStringLiteral("dev")), 30000);
        QVERIFY(started);
        QVERIFY2(started->ok(), qPrintable(errorText(*started)));
        // The database is reached through the supervised PgBouncer.
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Up,
                                  15000);
        QVERIFY(
            monitor.status(QStringLiteral("dev")).serverVersion.startsWith(QStringLiteral("15.")));

        const auto stopped =
            awaitFuture(monitor.serviceController()->stopAsync(QStringLiteral("dev")), 30000);
        QVERIFY2(stopped && stopped->ok(), qPrintable(stopped ? errorText(*stopped) : QString()));
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("dev")).state, StatusState::Down,
                                  10000);
        QVERIFY2(auditFor(QStringLiteral("pgbouncer"))
                     .last()
                     .detail.contains(QStringLiteral("stopped with SIGTERM")),
                 qPrintable(auditFor(QStringLiteral("pgbouncer")).last().detail));
    }

    void restartBackoffDoublesUpToItsCeilingAndResetsWhenStable()
    {
        RestartBackoff backoff(1000, 8000, 30000);
        QVERIFY(backoff.mayRestart(0));
        QCOMPARE(backoff.recordAttempt(0), 1);
        QVERIFY(!backoff.mayRestart(999));
        QVERIFY(backoff.mayRestart(1000));
        QCOMPARE(backoff.recordAttempt(1000), 2);
        QVERIFY(!backoff.mayRestart(2999));
        QVERIFY(backoff.mayRestart(3000));
        QCOMPARE(backoff.delayAfter(3), 4000);
        QCOMPARE(backoff.delayAfter(4), 8000);
        QCOMPARE(backoff.delayAfter(10), 8000);
        // Up for less than the stable period: the count stays; 30 s up: it starts over.
        backoff.recordUp(3000);
        backoff.recordUp(20000);
        QCOMPARE(backoff.attempts(), 2);
        backoff.recordUp(33000);
        QCOMPARE(backoff.attempts(), 0);
        QVERIFY(backoff.mayRestart(33000));
    }

    void missingSecretFailsTheStartNamingTheReference()
    {
        ServiceConfig needy = supervised(QStringLiteral("needy"), QStringLiteral("sleep 600"));
        needy.secretEnvironment.insert(
            QStringLiteral("TOKEN"),
            SecretRef::parse(QStringLiteral("env:PD_SURELY_UNSET_SERVICE_SECRET")).value());
        const Workspace ws = workspaceOf({environment(QStringLiteral("dev"), {needy})});
        ServiceController controller(ws);
        const auto started = awaitFuture(controller.startAsync(QStringLiteral("dev")), 30000);
        QVERIFY(!started->ok());
        QVERIFY2(
            started->error().message.contains(QStringLiteral("PD_SURELY_UNSET_SERVICE_SECRET")),
            qPrintable(started->error().message));
        QVERIFY(!controller.runtime(QStringLiteral("dev"), QStringLiteral("needy"))->running);
        QCOMPARE(auditFor(QStringLiteral("needy")).last().outcome, AuditOutcome::Failed);
    }
};

QTEST_GUILESS_MAIN(TestServices)
#include "tst_services.moc"
