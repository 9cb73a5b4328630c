#include "servicecontroller.h"

#include "common/detachedwork.h"
#include "common/errors.h"
#include "secrets/secretmask.h"
#include "secrets/secretresolver.h"
#include "services/detachedprocess.h"
#include "services/healthprobe.h"
#include "services/shellcommand.h"
#include "workspace/protection.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <functional>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace pd {

namespace {

QString actionName(int action)
{
    switch (action) {
    case 0:
        return QStringLiteral("start");
    case 1:
        return QStringLiteral("stop");
    default:
        return QStringLiteral("restart");
    }
}

// An exclusive flock on <service>.lock for the duration of one action, shared by every
// ParityDeck process. Released (with the descriptor) on destruction.
class ServiceLock final
{
public:
    explicit ServiceLock(const ServiceFiles &files)
    {
        if (!files.ensureFolder())
            return;
        const QByteArray path = QFile::encodeName(files.folder() + u'/' +
                                                  QFileInfo(files.pidFile()).completeBaseName() +
                                                  QStringLiteral(".lock"));
        m_fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (m_fd >= 0) {
            while (::flock(m_fd, LOCK_EX) != 0 && errno == EINTR) {
            }
        }
    }
    ~ServiceLock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    ServiceLock(const ServiceLock &) = delete;
    ServiceLock &operator=(const ServiceLock &) = delete;

private:
    int m_fd = -1;
};

// "exec CMD" makes the service itself the pidfile's process (and the signal's first
// receiver) instead of a waiting shell; only for a single simple command, where exec
// cannot change what runs.
QString shellCommandFor(const QString &run)
{
    static const QString controlCharacters = QStringLiteral(";&|()\n`{}");
    for (QChar c : run) {
        if (controlCharacters.contains(c))
            return run;
    }
    return QStringLiteral("exec ") + run;
}

QList<QByteArray> environmentList(const QProcessEnvironment &environment)
{
    QList<QByteArray> list;
    const QStringList keys = environment.keys();
    for (const QString &key : keys)
        list.append(QString(key + u'=' + environment.value(key)).toLocal8Bit());
    return list;
}

} // namespace

struct ServiceController::Resolved
{
    QProcessEnvironment environment;
    QList<SecretValue> secrets; // every value resolved for this action, for masking
    HealthContext health;
};

// What the actions run on: everything a task needs, shared with the controller, so a task
// never touches the controller itself.
class ServiceController::Engine final
{
public:
    explicit Engine(Workspace workspace)
        : m_workspace(std::move(workspace))
    {
    }

    Result<void> start(const QString &environment, const QString &service,
                       const QString &confirmation);
    Result<void> stop(const QString &environment, const QString &service,
                      const QString &confirmation);
    Result<void> restart(const QString &environment, const QString &service,
                         const QString &confirmation);
    Result<void> restartAfterExit(const QString &environment, const QString &service, int attempt);
    Result<QStringList> logs(const QString &environment, const QString &service, int lines) const;
    Result<ServiceRuntime> runtime(const QString &environment, const QString &service) const;
    QList<QPair<QString, QString>> startedHere() const;

    // The resolver, while the controller's owner keeps it; null once shut down.
    void setResolver(SecretResolver *resolver)
    {
        const QMutexLocker lock(&m_resolverMutex);
        m_resolver = resolver;
    }

    const Workspace m_workspace;
    AuditLog m_audit;
    std::atomic_int m_stopGraceMs = 10000;
    std::atomic_bool m_waitForHealthy = true;
    std::atomic<qint64> m_logCapBytes = 1024 * 1024;
    std::atomic_bool m_shuttingDown = false;

private:
    Result<void> act(Action action, const QString &environment, const QString &service,
                     const QString &confirmation);
    Result<void> actOnOne(Action action, const EnvironmentConfig &env, const ServiceConfig &service,
                          bool mustBecomeHealthy, const QString &why, bool onlyIfExited = false);
    Result<QString> startOne(const EnvironmentConfig &env, const ServiceConfig &service,
                             const Resolved &resolved, bool mustBecomeHealthy);
    Result<QString> stopOne(const EnvironmentConfig &env, const ServiceConfig &service,
                            const Resolved &resolved);
    Result<Resolved> resolve(const EnvironmentConfig &env, const ServiceConfig &service);
    Result<void> waitHealthy(const EnvironmentConfig &env, const ServiceConfig &service,
                             const Resolved &resolved,
                             const std::optional<ProcessIdentity> &process);
    Result<const EnvironmentConfig *> findEnvironment(const QString &environment) const;
    QString workingDirectory(const ServiceConfig &service) const;
    // Asks the resolver (resolve() returns at once); Cancelled once shut down.
    QFuture<Result<SecretValue>> askResolver(const SecretRef &reference)
    {
        const QMutexLocker lock(&m_resolverMutex);
        if (!m_resolver || m_shuttingDown)
            return QtFuture::makeReadyFuture(Result<SecretValue>(errors::shuttingDown()));
        return m_resolver->resolve(reference);
    }
    bool onResolverThread() const
    {
        const QMutexLocker lock(&m_resolverMutex);
        return m_resolver && QThread::currentThread() == m_resolver->thread();
    }

    mutable QMutex m_resolverMutex;
    SecretResolver *m_resolver = nullptr;
    mutable QMutex m_startedMutex;
    QList<QPair<QString, QString>> m_startedHere;
};

ServiceController::ServiceController(Workspace workspace, SecretResolver *resolver, QObject *parent)
    : QObject(parent)
    , m_engine(std::make_shared<Engine>(std::move(workspace)))
    , m_pool(ownedThreadPool(QStringLiteral("ServiceController pool"), 4))
{
    if (!resolver)
        resolver = new SecretResolver(m_engine->m_workspace.rootDir, this);
    m_engine->setResolver(resolver);
}

ServiceController::~ServiceController()
{
    // Secret and health waits notice this and give up; the resolver (ours, a child, or the
    // owner's) is never asked again. Running actions finish on the detached pool.
    beginShutdown();
    detachThreadPool(std::move(m_pool));
}

void ServiceController::beginShutdown()
{
    m_engine->m_shuttingDown = true;
    m_engine->setResolver(nullptr);
}

const Workspace &ServiceController::workspace() const noexcept
{
    return m_engine->m_workspace;
}

void ServiceController::setStopGraceMs(int ms)
{
    m_engine->m_stopGraceMs = ms;
}

int ServiceController::stopGraceMs() const noexcept
{
    return m_engine->m_stopGraceMs;
}

void ServiceController::setWaitForHealthy(bool wait)
{
    m_engine->m_waitForHealthy = wait;
}

void ServiceController::setLogCapBytes(qint64 bytes)
{
    m_engine->m_logCapBytes = bytes;
}

qint64 ServiceController::logCapBytes() const noexcept
{
    return m_engine->m_logCapBytes;
}

void ServiceController::setAuditLog(const AuditLog &log)
{
    m_engine->m_audit = log;
}

const AuditLog &ServiceController::auditLog() const noexcept
{
    return m_engine->m_audit;
}

void ServiceController::setSecretResolver(SecretResolver &resolver)
{
    m_engine->setResolver(&resolver);
}

Result<void> ServiceController::start(const QString &environment, const QString &service,
                                      const QString &confirmation)
{
    return m_engine->start(environment, service, confirmation);
}

Result<void> ServiceController::stop(const QString &environment, const QString &service,
                                     const QString &confirmation)
{
    return m_engine->stop(environment, service, confirmation);
}

Result<void> ServiceController::restart(const QString &environment, const QString &service,
                                        const QString &confirmation)
{
    return m_engine->restart(environment, service, confirmation);
}

Result<void> ServiceController::restartAfterExit(const QString &environment, const QString &service,
                                                 int attempt)
{
    return m_engine->restartAfterExit(environment, service, attempt);
}

Result<QStringList> ServiceController::logs(const QString &environment, const QString &service,
                                            int lines) const
{
    return m_engine->logs(environment, service, lines);
}

Result<ServiceRuntime> ServiceController::runtime(const QString &environment,
                                                  const QString &service) const
{
    return m_engine->runtime(environment, service);
}

QList<QPair<QString, QString>> ServiceController::startedHere() const
{
    return m_engine->startedHere();
}

Result<const EnvironmentConfig *>
ServiceController::Engine::findEnvironment(const QString &environment) const
{
    const EnvironmentConfig *env = m_workspace.environment(environment);
    if (!env)
        return Error(
            ErrorCode::NotFound,
            QStringLiteral("no environment named %1; the workspace has: %2")
                .arg(environment, m_workspace.environmentNames().join(QStringLiteral(", "))));
    return env;
}

Result<QList<ServiceConfig>> ServiceController::startOrder(const EnvironmentConfig &environment,
                                                           const QString &service)
{
    QStringList names;
    for (const ServiceConfig &s : environment.services)
        names.append(s.name);
    if (!service.isEmpty()) {
        for (const ServiceConfig &s : environment.services) {
            if (s.name == service)
                return QList<ServiceConfig>{s};
        }
        return Error(
            ErrorCode::NotFound, ErrorKind::NoSuchService,
            {ErrorArg::text(QStringLiteral("environment"), environment.name),
             ErrorArg::text(QStringLiteral("service"), service),
             names.isEmpty()
                 ? ErrorArg::phraseOf(QStringLiteral("services"),
                                      QT_TRANSLATE_NOOP("pd::ErrorMessage", "no services"))
                 : ErrorArg::text(QStringLiteral("services"), names.join(QStringLiteral(", ")))});
    }
    // Depth-first topological order, stable with respect to the file's order. The loader
    // already rejected cycles and unknown names; guard anyway so a hand-built workspace
    // cannot recurse forever.
    QList<ServiceConfig> ordered;
    QStringList done, visiting;
    std::function<bool(const ServiceConfig &)> visit = [&](const ServiceConfig &s) {
        if (done.contains(s.name))
            return true;
        if (visiting.contains(s.name))
            return false;
        visiting.append(s.name);
        for (const QString &dependency : s.after) {
            const qsizetype i = names.indexOf(dependency);
            if (i >= 0 && !visit(environment.services.at(i)))
                return false;
        }
        visiting.removeAll(s.name);
        done.append(s.name);
        ordered.append(s);
        return true;
    };
    for (const ServiceConfig &s : environment.services) {
        if (!visit(s))
            return Error(ErrorCode::Config, ErrorKind::ServicesWaitForEachOther,
                         {ErrorArg::text(QStringLiteral("environment"), environment.name)});
    }
    return ordered;
}

QString ServiceController::Engine::workingDirectory(const ServiceConfig &service) const
{
    return service.workingDirectory.isEmpty() ? m_workspace.rootDir
                                              : m_workspace.resolvePath(service.workingDirectory);
}

Result<ServiceController::Resolved> ServiceController::Engine::resolve(const EnvironmentConfig &env,
                                                                       const ServiceConfig &service)
{
    Resolved resolved;
    resolved.environment = QProcessEnvironment::systemEnvironment();
    for (auto it = service.environment.cbegin(); it != service.environment.cend(); ++it)
        resolved.environment.insert(it.key(), it.value());

    if (onResolverThread() && (!service.secretEnvironment.isEmpty() || env.database.password))
        return Error(ErrorCode::Runtime,
                     QStringLiteral("internal error: service actions that read secrets must not "
                                    "run on the thread of the secret resolver"));
    // Waits without blocking on the future's own thread: polling lets a controller being
    // destroyed abandon the wait instead of deadlocking with the resolver's thread.
    // The bound is a safety net for a resolver whose thread runs no event loop; keyring and
    // command references have their own, shorter timeouts.
    const auto wait = [this](QFuture<Result<SecretValue>> future) -> Result<SecretValue> {
        const QDeadlineTimer deadline(120000);
        while (!future.isFinished()) {
            if (m_shuttingDown)
                return errors::shuttingDown();
            if (deadline.hasExpired())
                return Error(ErrorCode::Timeout, ErrorKind::SecretResolverNoAnswer,
                             {ErrorArg::number(QStringLiteral("seconds"), 120)});
            QThread::msleep(5);
        }
        return future.result();
    };
    for (auto it = service.secretEnvironment.cbegin(); it != service.secretEnvironment.cend();
         ++it) {
        Result<SecretValue> value = wait(askResolver(it.value()));
        if (!value)
            return Error(value.error().code,
                         QStringLiteral("cannot read %1 for %2: %3")
                             .arg(it.key(), it.value().toString(), value.error().message));
        resolved.secrets.append(value.value());
        // The one place a secret leaves ParityDeck for a service: the child's environment.
        resolved.environment.insert(it.key(), value->revealString());
    }

    resolved.health.database = env.database;
    resolved.health.workingDirectory = workingDirectory(service);
    resolved.health.environment = resolved.environment;
    if (service.health.kind == HealthProbeConfig::Kind::Postgres && env.database.password) {
        Result<SecretValue> password = wait(askResolver(*env.database.password));
        if (password)
            resolved.secrets.append(password.value());
        resolved.health.databasePassword = std::move(password);
    }
    return resolved;
}

Result<void> ServiceController::Engine::waitHealthy(const EnvironmentConfig &env,
                                                    const ServiceConfig &service,
                                                    const Resolved &resolved,
                                                    const std::optional<ProcessIdentity> &process)
{
    Q_UNUSED(env)
    const QDeadlineTimer deadline(qint64(service.startTimeoutSeconds) * 1000);
    const ServiceFiles files(m_workspace, env.name, service.name);
    QString lastProblem;
    for (;;) {
        if (process && !process::isAlive(*process)) {
            const QString line = maskSecrets(files.lastLogLine(), resolved.secrets);
            return Error(ErrorCode::Runtime, ErrorKind::ProcessExitedDuringStart,
                         errors::outputTail(QStringLiteral("output"), line));
        }
        if (service.health.kind == HealthProbeConfig::Kind::None)
            return {};
        const auto health = checkHealth(service.health, resolved.health);
        if (health)
            return {};
        lastProblem = maskSecrets(health.error().message, resolved.secrets);
        if (deadline.hasExpired())
            return Error(ErrorCode::Timeout, ErrorKind::NotHealthyWithin,
                         {ErrorArg::number(QStringLiteral("seconds"), service.startTimeoutSeconds),
                          ErrorArg::text(QStringLiteral("detail"), lastProblem)});
        if (m_shuttingDown)
            return errors::shuttingDown();
        // Polling an outside process: there is no event to wait for.
        QThread::msleep(100);
    }
}

Result<QString> ServiceController::Engine::startOne(const EnvironmentConfig &env,
                                                    const ServiceConfig &service,
                                                    const Resolved &resolved,
                                                    bool mustBecomeHealthy)
{
    const ServiceFiles files(m_workspace, env.name, service.name);
    if (auto made = files.ensureFolder(); !made)
        return made.error();
    ServiceFiles::Record record = files.readRecord();

    if (service.isSupervised()) {
        if (const auto existing = files.readPid(); existing && process::isAlive(*existing))
            return QStringLiteral("already running (pid %1)").arg(existing->pid);
        files.capLog(m_logCapBytes);
        process::DetachedSpec spec;
        spec.shellCommand = shellCommandFor(service.run);
        spec.workingDirectory = workingDirectory(service);
        spec.environment = environmentList(resolved.environment);
        spec.logFile = files.logFile();
        record.startedAt = QDateTime::currentDateTimeUtc();
        auto started = process::startDetached(spec);
        if (!started) {
            record.lastError = maskSecrets(started.error().message, resolved.secrets);
            files.writeRecord(record);
            return Error(started.error().code, record.lastError);
        }
        record.lastError.clear();
        files.writeRecord(record);
        if (auto written = files.writePid(*started); !written)
            return written.error();
        if (mustBecomeHealthy) {
            if (auto healthy = waitHealthy(env, service, resolved, *started); !healthy) {
                record.lastError = healthy.error().message;
                files.writeRecord(record);
                return healthy.error();
            }
        }
        return QStringLiteral("started (pid %1)").arg(started->pid);
    }

    // Command pair: skip when the status command says it already runs.
    ShellCommand command;
    command.workingDirectory = workingDirectory(service);
    command.environment = resolved.environment;
    command.timeoutMs = std::max(1, service.startTimeoutSeconds) * 1000;
    if (!service.status.isEmpty()) {
        command.command = service.status;
        auto status = runShellCommand(command, QStringLiteral("status command"));
        if (status && !status->crashed && status->exitCode == 0)
            return QStringLiteral("already running");
    }
    record.startedAt = QDateTime::currentDateTimeUtc();
    command.command = service.start;
    auto output = runShellCommand(command, QStringLiteral("start command"));
    if (output) {
        files.capLog(m_logCapBytes);
        files.appendLog(maskSecrets(QByteArray("--- start command (exit " +
                                               QByteArray::number(output->exitCode) + ")\n" +
                                               output->standardOutput + output->standardError),
                                    resolved.secrets));
    }
    QString problem;
    if (!output)
        problem = output.error().message;
    else if (output->crashed)
        problem = QStringLiteral("start command was killed by a signal");
    else if (output->exitCode != 0) {
        const QString line = output->lastLine();
        problem = QStringLiteral("start command exited %1%2")
                      .arg(output->exitCode)
                      .arg(line.isEmpty() ? QString() : QStringLiteral(": ") + line);
    }
    if (!problem.isEmpty()) {
        record.lastError = maskSecrets(problem, resolved.secrets);
        files.writeRecord(record);
        return Error(output ? ErrorCode::Runtime : output.error().code, record.lastError);
    }
    record.lastError.clear();
    files.writeRecord(record);
    if (mustBecomeHealthy) {
        if (auto healthy = waitHealthy(env, service, resolved, std::nullopt); !healthy) {
            record.lastError = healthy.error().message;
            files.writeRecord(record);
            return healthy.error();
        }
    }
    return QStringLiteral("started");
}

Result<QString> ServiceController::Engine::stopOne(const EnvironmentConfig &env,
                                                   const ServiceConfig &service,
                                                   const Resolved &resolved)
{
    const ServiceFiles files(m_workspace, env.name, service.name);
    ServiceFiles::Record record = files.readRecord();
    if (service.isSupervised()) {
        const auto existing = files.readPid();
        if (!existing || !process::isAlive(*existing)) {
            files.removePid();
            record.stoppedAt = QDateTime::currentDateTimeUtc();
            record.lastError.clear();
            files.writeRecord(record);
            return QStringLiteral("was not running");
        }
        const int graceMs = m_stopGraceMs;
        auto stopped = process::terminateGroup(*existing, graceMs);
        if (!stopped)
            return stopped.error();
        files.removePid();
        record.stoppedAt = QDateTime::currentDateTimeUtc();
        record.lastError.clear();
        files.writeRecord(record);
        if (stopped->killed)
            return QStringLiteral("pid %1 ignored SIGTERM for %2 s and was killed")
                .arg(existing->pid)
                .arg(graceMs / 1000.0);
        return QStringLiteral("pid %1 stopped with SIGTERM").arg(existing->pid);
    }

    ShellCommand command;
    command.command = service.stop;
    command.workingDirectory = workingDirectory(service);
    command.environment = resolved.environment;
    command.timeoutMs = std::max(1, service.startTimeoutSeconds) * 1000;
    auto output = runShellCommand(command, QStringLiteral("stop command"));
    if (output)
        files.appendLog(maskSecrets(QByteArray("--- stop command (exit " +
                                               QByteArray::number(output->exitCode) + ")\n" +
                                               output->standardOutput + output->standardError),
                                    resolved.secrets));
    if (!output)
        return output.error();
    if (output->crashed || output->exitCode != 0) {
        const QString line = output->lastLine();
        return Error(ErrorCode::Runtime, ErrorKind::StopCommandExited,
                     QList<ErrorArg>{ErrorArg::number(QStringLiteral("exitCode"), output->exitCode)}
                         << errors::outputTail(QStringLiteral("output"),
                                               maskSecrets(line, resolved.secrets)));
    }
    record.stoppedAt = QDateTime::currentDateTimeUtc();
    record.lastError.clear();
    files.writeRecord(record);
    return QStringLiteral("stopped");
}

Result<void> ServiceController::Engine::actOnOne(Action action, const EnvironmentConfig &env,
                                                 const ServiceConfig &service,
                                                 bool mustBecomeHealthy, const QString &why,
                                                 bool onlyIfExited)
{
    QElapsedTimer clock;
    clock.start();
    const ServiceFiles files(m_workspace, env.name, service.name);
    AuditEntry entry;
    entry.environment = env.name;
    entry.action = actionName(int(action));
    entry.target = service.name;

    Result<QString> done = QString();
    QList<SecretValue> secrets;
    {
        const ServiceLock lock(files);
        if (onlyIfExited) {
            // The monitor saw the process gone before it took the lock; a stop by the user
            // (pidfile removed) or another restart may have happened since. Undoing the
            // user's stop would be worse than a missed restart.
            const auto pid = files.readPid();
            if (!pid || process::isAlive(*pid))
                return Error(ErrorCode::Cancelled, ErrorKind::NotRestartedMeanwhile, {})
                    .inEnvironment(service.name);
        }
        // Before it runs: a ParityDeck killed half-way still leaves "started" in the log.
        entry.operation = m_audit.begin(env.name, entry.action, service.name, why);
        // Stopping a supervised process needs no secrets: a broken keyring must not keep
        // the user from stopping it.
        const bool needsSecrets = !(action == Action::Stop && service.isSupervised());
        auto resolved = needsSecrets ? resolve(env, service) : Result<Resolved>(Resolved{});
        if (!resolved) {
            done = resolved.error();
            if (action != Action::Stop) {
                ServiceFiles::Record record = files.readRecord();
                record.startedAt = QDateTime::currentDateTimeUtc();
                record.lastError = resolved.error().message;
                files.writeRecord(record);
            }
        } else {
            secrets = resolved->secrets;
            if (action == Action::Stop) {
                done = stopOne(env, service, *resolved);
            } else if (action == Action::Start) {
                done = startOne(env, service, *resolved, mustBecomeHealthy);
            } else {
                auto stopped = stopOne(env, service, *resolved);
                if (!stopped)
                    done = stopped.error();
                else {
                    auto started = startOne(env, service, *resolved, mustBecomeHealthy);
                    done = started ? Result<QString>(*stopped + QStringLiteral("; ") + *started)
                                   : started;
                }
            }
        }
    }

    entry.durationMs = clock.elapsed();
    if (done) {
        entry.outcome = AuditOutcome::Ok;
        entry.detail = why.isEmpty() ? *done : why + QStringLiteral("; ") + *done;
    } else {
        entry.outcome = auditOutcomeFor(done.error());
        entry.detail = why.isEmpty() ? done.error().message
                                     : why + QStringLiteral("; ") + done.error().message;
    }
    if (auto written = m_audit.append(entry, secrets); !written)
        qWarning("%s", qPrintable(written.error().message));
    if (service.isSupervised() && done) {
        const QMutexLocker locker(&m_startedMutex);
        const QPair<QString, QString> key{env.name, service.name};
        m_startedHere.removeAll(key);
        if (action != Action::Stop && !done->startsWith(QStringLiteral("already running")))
            m_startedHere.append(key);
    }
    if (!done)
        return done.error().inEnvironment(service.name);
    return {};
}

QList<QPair<QString, QString>> ServiceController::Engine::startedHere() const
{
    const QMutexLocker locker(&m_startedMutex);
    return m_startedHere;
}

Result<void> ServiceController::Engine::act(Action action, const QString &environment,
                                            const QString &service, const QString &confirmation)
{
    auto env = findEnvironment(environment);
    if (!env)
        return env.error();
    if (auto allowed = pd::checkProtection(**env, ProtectedChange::Services, confirmation);
        !allowed) {
        AuditEntry entry;
        entry.environment = environment;
        entry.action = actionName(int(action));
        entry.target = service.isEmpty() ? QStringLiteral("all services") : service;
        entry.outcome = AuditOutcome::Refused;
        entry.durationMs = 0;
        entry.detail = allowed.error().message;
        if (auto written = m_audit.append(entry); !written)
            qWarning("%s", qPrintable(written.error().message));
        return allowed;
    }
    auto order = startOrder(**env, service);
    if (!order)
        return order.error();
    if (order->isEmpty())
        return Error(ErrorCode::NotFound, ErrorKind::EnvironmentHasNoServices,
                     {ErrorArg::text(QStringLiteral("environment"), environment)});

    QStringList awaited; // services something else waits for
    for (const ServiceConfig &s : (*env)->services)
        awaited += s.after;

    if (action == Action::Stop) {
        std::reverse(order->begin(), order->end());
        Result<void> first;
        // Stop everything even when one stop fails: a half-stopped environment is worse.
        for (const ServiceConfig &s : std::as_const(*order)) {
            auto stopped = actOnOne(Action::Stop, **env, s, false, {});
            if (!stopped && first)
                first = stopped;
        }
        return first;
    }
    if (action == Action::Restart && service.isEmpty()) {
        if (auto stopped = act(Action::Stop, environment, service, confirmation); !stopped)
            return stopped;
        return act(Action::Start, environment, service, confirmation);
    }
    for (const ServiceConfig &s : std::as_const(*order)) {
        const bool mustBecomeHealthy = m_waitForHealthy || awaited.contains(s.name);
        if (auto done = actOnOne(action, **env, s, mustBecomeHealthy, {}); !done)
            return done; // what comes after a failed service would fail too
    }
    return {};
}

Result<void> ServiceController::Engine::start(const QString &environment, const QString &service,
                                              const QString &confirmation)
{
    return act(Action::Start, environment, service, confirmation);
}

Result<void> ServiceController::Engine::stop(const QString &environment, const QString &service,
                                             const QString &confirmation)
{
    return act(Action::Stop, environment, service, confirmation);
}

Result<void> ServiceController::Engine::restart(const QString &environment, const QString &service,
                                                const QString &confirmation)
{
    return act(Action::Restart, environment, service, confirmation);
}

Result<void> ServiceController::Engine::restartAfterExit(const QString &environment,
                                                         const QString &service, int attempt)
{
    auto env = findEnvironment(environment);
    if (!env)
        return env.error();
    auto order = startOrder(**env, service);
    if (!order)
        return order.error();
    // A restart, not a start: the stop half clears the stale pidfile and anything the dead
    // process left running in its group.
    return actOnOne(
        Action::Restart, **env, order->first(), false,
        QStringLiteral("automatic restart after the process exited (attempt %1)").arg(attempt),
        true);
}

Result<QStringList> ServiceController::Engine::logs(const QString &environment,
                                                    const QString &service, int lines) const
{
    auto env = findEnvironment(environment);
    if (!env)
        return env.error();
    if (auto order = startOrder(**env, service); !order)
        return order.error();
    return ServiceFiles(m_workspace, environment, service).tailLog(lines);
}

Result<ServiceRuntime> ServiceController::Engine::runtime(const QString &environment,
                                                          const QString &service) const
{
    auto env = findEnvironment(environment);
    if (!env)
        return env.error();
    auto order = startOrder(**env, service);
    if (!order)
        return order.error();
    const ServiceFiles files(m_workspace, environment, service);
    ServiceRuntime runtime;
    runtime.environment = environment;
    runtime.service = service;
    runtime.supervised = order->first().isSupervised();
    runtime.process = files.readPid();
    runtime.running = runtime.process && process::isAlive(*runtime.process);
    runtime.record = files.readRecord();
    runtime.logFile = files.logFile();
    return runtime;
}

QFuture<Result<void>> ServiceController::startAsync(const QString &environment,
                                                    const QString &service,
                                                    const QString &confirmation)
{
    return QtConcurrent::run(m_pool.get(), [engine = m_engine, environment, service, confirmation] {
        return engine->start(environment, service, confirmation);
    });
}

QFuture<Result<void>> ServiceController::stopAsync(const QString &environment,
                                                   const QString &service,
                                                   const QString &confirmation)
{
    return QtConcurrent::run(m_pool.get(), [engine = m_engine, environment, service, confirmation] {
        return engine->stop(environment, service, confirmation);
    });
}

QFuture<Result<void>> ServiceController::restartAsync(const QString &environment,
                                                      const QString &service,
                                                      const QString &confirmation)
{
    return QtConcurrent::run(m_pool.get(), [engine = m_engine, environment, service, confirmation] {
        return engine->restart(environment, service, confirmation);
    });
}

QFuture<Result<void>> ServiceController::restartAfterExitAsync(const QString &environment,
                                                               const QString &service, int attempt)
{
    return QtConcurrent::run(m_pool.get(), [engine = m_engine, environment, service, attempt] {
        return engine->restartAfterExit(environment, service, attempt);
    });
}

} // namespace pd
