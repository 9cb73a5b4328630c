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
//
// The actions' state (the workspace, settings, the audit log, the resolver) lives in an
// Engine the async tasks share: a task never touches the controller, so destroying it
// never waits for one (common/detachedwork.h). beginShutdown() (also run by the
// destructor) makes running actions give up their secret and health waits and cuts them
// off from the resolver, which the owner may destroy next.
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
#include <memory>
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
    // Calls beginShutdown() and returns at once: actions still running finish on their own
    // (each is bounded by its timeouts) without the controller.
    ~ServiceController() override;

    const Workspace &workspace() const noexcept;

    // Makes running actions give up their secret and health waits (as Cancelled) and stops
    // them from asking the resolver again. Owners call it before the resolver goes.
    void beginShutdown();

    // SIGTERM → SIGKILL grace for supervised processes (default 10 s).
    void setStopGraceMs(int ms);
    int stopGraceMs() const noexcept;
    // Wait, after starting a service that has a health probe, until it is healthy (bounded
    // by start_timeout) before reporting success and before starting what comes `after` it.
    // Default true. Services that others wait for are always awaited.
    void setWaitForHealthy(bool wait);
    // Size at which a service log is rotated to .log.1 (default 1 MiB).
    void setLogCapBytes(qint64 bytes);
    qint64 logCapBytes() const noexcept;
    // Where actions are recorded (default AuditLog::defaultPath()). Set before any action.
    void setAuditLog(const AuditLog &log);
    const AuditLog &auditLog() const noexcept;
    // Resolves secrets with `resolver` (not owned; it must outlive this object, or
    // beginShutdown() must be called before it goes) from now on.
    void setSecretResolver(SecretResolver &resolver);

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
    // restartAfterExit() on the controller's pool (the monitor's restart policy).
    QFuture<Result<void>> restartAfterExitAsync(const QString &environment, const QString &service,
                                                int attempt);

private:
    struct Resolved;
    enum class Action { Start, Stop, Restart };
    class Engine;

    std::shared_ptr<Engine> m_engine;
    std::shared_ptr<QThreadPool> m_pool; // detached, not waited for, on destruction
};

} // namespace pd
