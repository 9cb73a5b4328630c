// services/: what runs beside an environment's database (paritydeck.yaml `services:`) and
// how ParityDeck starts, stops, watches and restarts it.
//
// ServiceController is the one place that acts on services. Its blocking methods are for
// worker threads (the CLI's command thread, the monitor's pool); the *Async wrappers run
// them on the controller's own pool and return a QFuture for the GUI. Every start, stop
// and restart — successful or not — is written to the audit log with its duration.
//
// Command pairs (`start`/`stop`) run through /bin/sh -c in the service's folder, bounded
// by start_timeout. Supervised processes (`run:`) are started detached in their own
// session with a pidfile and a log file under the state dir (services/servicefiles.h), so
// every ParityDeck process — and the next one after this one quits — sees and controls
// them. Secret environment variables are resolved per action and handed to the child
// only through its environment, never through argv, a log line or a message.
//
// Actions on one service are serialised across processes by a lock file next to its
// pidfile, so a CLI `stop` and the GUI's automatic restart cannot interleave.
#pragma once

#include "audit/auditlog.h"
#include "common/result.h"
#include "services/servicefiles.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QMutex>
#include <QObject>
#include <QPair>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <optional>

namespace pd {

class SecretResolver;

// What the state files say about one service right now (cheap; no probes).
struct ServiceRuntime
{
    QString environment;
    QString service;
    bool supervised = false;
    bool running = false;                   // supervised: the pidfile names a live process
    std::optional<ProcessIdentity> process; // supervised: the pidfile's identity (live or not)
    ServiceFiles::Record record;
    QString logFile;
};

class ServiceController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceController)

public:
    // `resolver` resolves secret_env references; it must live on a thread with an event
    // loop that is never blocked by this controller (the GUI or CLI main thread). When
    // null, the controller makes its own on the current thread.
    explicit ServiceController(Workspace workspace, SecretResolver *resolver = nullptr,
                               QObject *parent = nullptr);
    // Waits for actions still running on the pool (each is bounded by its timeouts).
    ~ServiceController() override;

    const Workspace &workspace() const noexcept { return m_workspace; }

    // Makes running actions give up their secret and health waits (as Cancelled). Owners
    // call it before blocking on their own pools at shutdown.
    void beginShutdown() { m_shuttingDown = true; }

    // SIGTERM → SIGKILL grace for supervised processes (default 10 s).
    void setStopGraceMs(int ms) { m_stopGraceMs = ms; }
    int stopGraceMs() const noexcept { return m_stopGraceMs; }
    // Wait, after starting a service that has a health probe, until it is healthy (bounded
    // by start_timeout) before reporting success and before starting what comes `after` it.
    // Default true. Services that others wait for are always awaited.
    void setWaitForHealthy(bool wait) { m_waitForHealthy = wait; }
    // Size at which a service log is rotated to .log.1 (default 1 MiB).
    void setLogCapBytes(qint64 bytes) { m_logCapBytes = bytes; }
    qint64 logCapBytes() const noexcept { return m_logCapBytes; }
    // Where actions are recorded (default AuditLog::defaultPath()).
    void setAuditLog(const AuditLog &log) { m_audit = log; }
    // Resolves secrets with `resolver` (not owned; it must outlive this object) from now on.
    void setSecretResolver(SecretResolver &resolver) { m_resolver = &resolver; }
    const AuditLog &auditLog() const noexcept { return m_audit; }

    // --- Blocking: worker threads only, never the resolver's thread. -----------------
    // `service` empty: every service of the environment, in `after:` order (stop: reverse).
    // Errors name the service: "pgbouncer: start command exited 1: <last stderr line>".
    //
    // Protected environments: with `protection: confirm`, `confirmation` must be the
    // environment's name (what the user typed); `read-only` environments are refused
    // whatever it is. A refusal (ErrorCode::Protected) comes before any secret is read or
    // process touched, and is audited with outcome "refused". The monitor's automatic
    // restart (restartAfterExit) is not guarded: it only brings back what was running.
    Result<void> start(const QString &environment, const QString &service = {},
                       const QString &confirmation = {});
    Result<void> stop(const QString &environment, const QString &service = {},
                      const QString &confirmation = {});
    Result<void> restart(const QString &environment, const QString &service = {},
                         const QString &confirmation = {});
    // The monitor's `restart: true` policy: starts a supervised process that exited on its
    // own. Audited as action "restart" with the attempt number. Error Cancelled (and no
    // audit line) when, by the time the service's lock is held, the pidfile is gone (the
    // user stopped it) or names a live process again.
    Result<void> restartAfterExit(const QString &environment, const QString &service, int attempt);

    // The last `lines` lines of the service's log (supervised output, or the output of its
    // start/stop commands). Error NotFound for an unknown service or a service never started.
    Result<QStringList> logs(const QString &environment, const QString &service,
                             int lines = 50) const;
    Result<ServiceRuntime> runtime(const QString &environment, const QString &service) const;
    // Supervised services this controller started and has not stopped since, as
    // {environment, service} pairs: what the GUI offers to stop on quit.
    QList<QPair<QString, QString>> startedHere() const;

    // Services in start order (dependencies first); `service` non-empty: that service
    // alone. Error NotFound naming the known names.
    static Result<QList<ServiceConfig>> startOrder(const EnvironmentConfig &environment,
                                                   const QString &service = {});

    // --- Asynchronous: callable from any thread; the work runs on the controller's pool.
    QFuture<Result<void>> startAsync(const QString &environment, const QString &service = {},
                                     const QString &confirmation = {});
    QFuture<Result<void>> stopAsync(const QString &environment, const QString &service = {},
                                    const QString &confirmation = {});
    QFuture<Result<void>> restartAsync(const QString &environment, const QString &service = {},
                                       const QString &confirmation = {});

private:
    struct Resolved;
    enum class Action { Start, Stop, Restart };

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

    Workspace m_workspace;
    SecretResolver *m_resolver = nullptr;
    QThreadPool m_pool;
    AuditLog m_audit;
    // Set on the owner's thread, read by actions on worker threads.
    std::atomic_int m_stopGraceMs = 10000;
    std::atomic_bool m_waitForHealthy = true;
    std::atomic<qint64> m_logCapBytes = 1024 * 1024;
    std::atomic_bool m_shuttingDown = false;
    mutable QMutex m_startedMutex;
    QList<QPair<QString, QString>> m_startedHere;
};

} // namespace pd
