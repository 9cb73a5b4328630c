// What the control panel does to an environment, as opposed to what it watches
// (statusmonitor.h): start and stop its services, read its migration status, apply its
// pending migrations. Lives on the GUI thread and never blocks it: passwords come from
// a SecretResolver on this thread (asynchronously), connection parameters, migration files
// and the database are read on the controller's own thread pool, and every result comes
// back through a QFutureWatcher parented to the controller, so nothing reaches it after
// it is gone.
//
// One operation at a time per environment (start, stop, apply or dry run): a second one is
// refused with an error instead of queueing behind the first. Migration status reads are
// not operations; they run beside them. The newest plan per environment is kept and
// announced with migrationPlanChanged(); plans are read on refreshAll() (the app calls it
// at startup), after every apply, and again when a database whose plan could not be read
// is reported up by the monitor.
//
// Applies (not dry runs) are audited as "migrate-apply", exactly as the CLI writes them,
// refusals included. Start, stop and restart go through the monitor's ServiceController,
// which audits its own actions and checks the typed name of protected environments.
//
// Workspaces whose paritydeck.yaml sets `migrations.command` (Alembic, Prisma, dbmate, a
// script, …) are applied by that command, as `paritydeck migrate apply` does it: status
// reads, dry runs and applies all go through ExternalMigrationCommand (the history is read
// by ParityDeck from the tool's own table; the command runs in the workspace folder with
// the connection in PGHOST…/DATABASE_URL, never in argv). Protection and the audit line
// are the CLI's; cancel() stops the running command (its whole process group); each line
// it prints arrives as migrationOutput(). ParityDeck-runner options (a target version) are
// refused for such workspaces, as the CLI refuses --to.
#pragma once

#include "audit/auditlog.h"
#include "common/result.h"
#include "environment/actionpolicy.h"
#include "environment/environmentstatus.h"
#include "environment/promotion.h"
#include "environment/schemacomparison.h"
#include "migrations/externalcommand.h"
#include "migrations/migrationrunner.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace pd {

class SecretResolver;
class StatusMonitor;

// What the user asked of an apply; the rest of ApplyOptions comes from the workspace.
struct MigrationRequest
{
    bool dryRun = false;
    QString confirmation;  // the environment's name, typed, for protected environments
    QString targetVersion; // empty: everything pending (must be empty with migrations.command)
    // migrations.command only: the command's whole process group is stopped after this.
    int commandTimeoutSeconds = 30 * 60;
};

class EnvironmentController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnvironmentController)

public:
    // The monitor must outlive the controller; its workspace is the controller's.
    explicit EnvironmentController(StatusMonitor *monitor, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Call it before
    // the first request.
    void setSecretResolver(SecretResolver &resolver);
    // Writes the audit entries of applies, migration commands, promotions and reverts to
    // `log` instead of the default one (AuditLog()). Call it before the first request.
    // Start, stop and restart are audited by the monitor's ServiceController, whose log is
    // set there.
    void setAuditLog(const AuditLog &log) { m_audit = log; }
    const AuditLog &auditLog() const noexcept { return m_audit; }
    // Cancels running work (at its next safe point) and returns at once: the work finishes
    // on its own, detached (common/detachedwork.h).
    ~EnvironmentController() override;

    const Workspace &workspace() const noexcept;

    // The migration plan of `environment`, read now. Also updates latestPlan().
    QFuture<Result<MigrationPlan>> migrationStatus(const QString &environment);
    // Reads every environment's plan.
    void refreshAll();

    // The newest plan read for `environment` (an error when it could not be read);
    // nullopt before the first read finished.
    std::optional<Result<MigrationPlan>> latestPlan(const QString &environment) const;
    bool isPlanLoading(const QString &environment) const;

    // Applies (or dry-runs) the pending migrations. Progress arrives as migrationProgress();
    // cancel() stops between migrations (the report then says cancelled).
    // With migrations.command this runs applyWithCommand() and reports, as steps, the
    // migrations that were pending before and are applied afterwards (a dry run: those
    // pending; no statements, the tool decides them); a cancelled command is an error with
    // ErrorCode::Cancelled, its message saying where the history stands.
    QFuture<Result<ApplyReport>> applyMigrations(const QString &environment,
                                                 const MigrationRequest &request);

    // True when the workspace sets migrations.command: applies run that command.
    bool usesMigrationsCommand() const;
    QString migrationsCommand() const; // trimmed; empty when none
    // Runs migrations.command against `environment` (one operation, like applyMigrations):
    // the report has the output (masked), exit code, duration and the plan before and
    // after. A dry run reads the status and runs nothing. Protected environments need the
    // typed name, read-only ones refuse, before anything connects; refusals, failures and
    // successes are audited as "migrate-apply" (target "migrations.command" on failure,
    // the new head on success). Lines the command prints arrive as migrationOutput();
    // cancel() stops it. Error Config when the workspace has no command.
    QFuture<Result<ExternalApplyReport>> applyWithCommand(const QString &environment,
                                                          const MigrationRequest &request);

    // Starts/stops all services of `environment` in dependency order. `confirmation` is the
    // name the user typed, needed for `protection: confirm` environments; the service
    // controller checks it and audits a refusal, which comes back worded for the panel.
    QFuture<Result<void>> start(const QString &environment, const QString &confirmation = {});
    QFuture<Result<void>> stop(const QString &environment, const QString &confirmation = {});
    // Stops all services of `environment` (reverse dependency order), then starts them all
    // (dependency order), through ServiceController::restart. Same rules as start/stop: one
    // operation at a time ("Restarting services", announced by operationStarted and
    // operationFinished like start and stop, not cancellable: a half-done restart would
    // leave services down); `protection: confirm` needs the typed name, `read-only`
    // refuses — a refusal ("Nothing was stopped or started.") touches no service and is
    // audited as action "restart"; the stop and start themselves are audited per service
    // by the ServiceController. A failed stop means nothing is started. For the card and
    // the tray: show it like Start/Stop, ask for the name first when protected.
    QFuture<Result<void>> restart(const QString &environment, const QString &confirmation = {});

    // Promotes `environment` from its upstream (promotes_from): the gates, then exactly the
    // migrations the upstream has applied and it has not (core promote(), as `paritydeck
    // promote` does it). One operation ("Promoting from dev", cancellable between
    // migrations). The passwords of both environments and of every unprotected one (the
    // drift checks' shadow databases) are resolved on this thread first, the parity rows
    // come from a ParityCheck of the two; everything else runs on the pool. Protection is
    // checked before anything is read (the typed name for `confirm`, read-only refuses).
    // A failing gate finishes the operation with an error naming every failing gate; the
    // report (refused set) still carries the plan.
    QFuture<Result<PromotionReport>> promote(const QString &environment,
                                             const QString &confirmation = {});

    // Reverts drift: applies the reviewed SQL that turns the environment's live schema into
    // what its migrations produce (core revertToMigrations(): the protection rule before
    // anything connects, the runner's advisory lock, the live schema's fingerprint checked
    // against the reviewed one, one transaction, audited as "revert"). One operation
    // ("Reverting to migrations", cancellable: the transaction is rolled back), progress as
    // migrationProgress() (one step). A dry run checks the fingerprint and parses the SQL,
    // runs nothing and needs no typed name. The plan is read again afterwards.
    QFuture<Result<RevertReport>> revertToMigrations(const RevertRequest &request);

    // Asks the running operation of `environment` to stop at its next safe point.
    void cancel(const QString &environment);
    bool isBusy(const QString &environment) const { return m_running.contains(environment); }
    QString runningOperation(const QString &environment) const;
    bool isCancellable(const QString &environment) const;
    bool isCancelling(const QString &environment) const;
    // Whether `action` can be offered on `environment` now, and why not: core's action
    // policy over the workspace, the monitor's last status, what runs and the last plan.
    // The card, the compact row and the tray ask this, so they never disagree.
    ActionDecision decide(const QString &environment, EnvironmentAction action) const;
    // Every action's decision (each one present) from one reading of the status, the
    // running work and the plan: what a card or a tray menu shows at once.
    QMap<EnvironmentAction, ActionDecision> decideAll(const QString &environment) const;
    StatusMonitor *monitor() const noexcept { return m_monitor; }

Q_SIGNALS:
    void operationStarted(const QString &environment, const QString &description, bool cancellable);
    // `result` is an error with ErrorCode::Cancelled when the user cancelled.
    void operationFinished(const QString &environment, const QString &description,
                           const pd::Result<void> &result);
    void migrationProgress(const QString &environment, const pd::MigrationProgress &progress);
    // migrations.command: one line the command printed (password masked), as it prints it.
    void migrationOutput(const QString &environment, const QString &line);
    void migrationPlanChanged(const QString &environment);

private:
    struct Running
    {
        QString description;
        bool cancellable = false;
        std::shared_ptr<std::atomic_bool> cancel;
    };
    // Resolves the environment's password (when it has one and `needed`), then calls
    // `work` on this thread with it: nullopt when none is needed, an error when it could not
    // be read.
    void withPassword(const EnvironmentConfig &env, bool needed,
                      std::function<void(std::optional<Result<SecretValue>>)> work);
    bool begin(const QString &environment, const QString &description, bool cancellable);
    void finish(const QString &environment, const Result<void> &result);
    enum class ServiceVerb { Start, Stop, Restart };
    QFuture<Result<void>> serviceAction(const QString &environment, ServiceVerb verb,
                                        const QString &confirmation);
    // Worker thread → this thread, in order; dropped once the controller is gone.
    std::function<void(const MigrationProgress &)> progressForwarder(const QString &environment);
    std::function<void(const QString &)> outputForwarder(const QString &environment);

    StatusMonitor *m_monitor;
    SecretResolver *m_resolver;
    AuditLog m_audit;
    std::shared_ptr<QThreadPool> m_pool; // detached, never waited for, on destruction
    QHash<QString, Running> m_running;
    QHash<QString, Result<MigrationPlan>> m_plans;
    QHash<QString, int> m_planReads; // reads in flight per environment
    QHash<QString, quint64> m_planSerial;
    QHash<QString, StatusState> m_lastState; // as last published by the monitor
};

} // namespace pd
