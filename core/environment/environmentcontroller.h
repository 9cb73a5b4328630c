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
// refusals included. Start and stop go through the monitor's ServiceController, which
// audits its own actions and checks the typed name of protected environments.
#pragma once

#include "common/result.h"
#include "environment/environmentstatus.h"
#include "migrations/migrationrunner.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QHash>
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
    QString targetVersion; // empty: everything pending
};

class EnvironmentController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnvironmentController)

public:
    // The monitor must outlive the controller; its workspace is the controller's.
    explicit EnvironmentController(StatusMonitor *monitor, QObject *parent = nullptr);
    // Cancels running applies (between migrations) and waits for the pool.
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
    QFuture<Result<ApplyReport>> applyMigrations(const QString &environment,
                                                 const MigrationRequest &request);
    // Starts/stops all services of `environment` in dependency order. `confirmation` is the
    // name the user typed, needed for `protection: confirm` environments; the service
    // controller checks it and audits a refusal, which comes back worded for the panel.
    QFuture<Result<void>> start(const QString &environment, const QString &confirmation = {});
    QFuture<Result<void>> stop(const QString &environment, const QString &confirmation = {});

    // Asks the running operation of `environment` to stop at its next safe point.
    void cancel(const QString &environment);
    bool isBusy(const QString &environment) const { return m_running.contains(environment); }
    QString runningOperation(const QString &environment) const;
    bool isCancellable(const QString &environment) const;
    bool isCancelling(const QString &environment) const;

Q_SIGNALS:
    void operationStarted(const QString &environment, const QString &description, bool cancellable);
    // `result` is an error with ErrorCode::Cancelled when the user cancelled.
    void operationFinished(const QString &environment, const QString &description,
                           const pd::Result<void> &result);
    void migrationProgress(const QString &environment, const pd::MigrationProgress &progress);
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
    QFuture<Result<void>> serviceAction(const QString &environment, bool start,
                                        const QString &confirmation);

    StatusMonitor *m_monitor;
    SecretResolver *m_resolver;
    QThreadPool m_pool;
    QHash<QString, Running> m_running;
    QHash<QString, Result<MigrationPlan>> m_plans;
    QHash<QString, int> m_planReads; // reads in flight per environment
    QHash<QString, quint64> m_planSerial;
    QHash<QString, StatusState> m_lastState; // as last published by the monitor
};

} // namespace pd
