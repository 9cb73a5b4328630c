#include "environmentcontroller.h"

#include "audit/auditlog.h"
#include "branches/branchselection.h"
#include "common/detachedwork.h"
#include "common/errors.h"
#include "common/whenfinished.h"
#include "environment/environmentprobe.h"
#include "environment/environmentstatus.h"
#include "environment/historyrecorder.h"
#include "environment/paritycheck.h"
#include "environment/resolvedconnection.h"
#include "environment/schemasides.h"
#include "environment/statusmonitor.h"
#include "migrations/migrationsource.h"
#include "secrets/secretresolver.h"
#include "services/servicecontroller.h"
#include "workspace/protection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QPromise>
#include <QUrl>
#include <QtConcurrent>

#include <algorithm>

namespace pd {
namespace {

template<typename T> Result<T> resultOf(const QFuture<Result<T>> &future)
{
    if (future.resultCount() > 0)
        return future.result();
    return errors::operationAbandoned();
}

// The service controller words a missing or wrong confirmation for the command line
// ("--confirm prod"); in the panel the name was typed into a question. Same refusal, audited
// there already, worded for where it is read.
Error typedNameRefused(const EnvironmentConfig &env, const QString &typed, const char *nothing)
{
    const Result<void> refusal =
        checkProtection(env, ProtectedChange::Services, typed, ConfirmationSource::Dialog);
    return Error(ErrorCode::Protected, ErrorKind::RefusedNothingDone,
                 {refusal
                      ? ErrorArg::phraseOf(QStringLiteral("reason"),
                                           QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                             "{environment} refused the change"))
                      : refusal.error().asArg(QStringLiteral("reason")),
                  ErrorArg::text(QStringLiteral("environment"), env.name),
                  ErrorArg::phraseOf(QStringLiteral("nothing"), nothing)});
}

// The runner's options (a target version) do not apply to migrations.command.
Error commandTakesNoTarget(const QString &environment, const QString &command)
{
    return Error(ErrorCode::Usage, ErrorKind::MigrationsCommandTakesNoTarget,
                 {ErrorArg::text(QStringLiteral("environment"), environment),
                  ErrorArg::text(QStringLiteral("command"), command)});
}

template<typename T> QFuture<Result<T>> finishedWith(Result<T> result)
{
    QPromise<Result<T>> promise;
    promise.start();
    promise.addResult(std::move(result));
    promise.finish();
    return promise.future();
}

QString commandOf(const Workspace &workspace)
{
    return workspace.migrations.command.trimmed();
}

Result<MigrationPlan> readPlan(const Workspace &workspace, const EnvironmentConfig &env,
                               const std::optional<Result<SecretValue>> &password)
{
    auto set = MigrationSource::load(workspace);
    if (!set)
        return set.error();
    auto params = connectionParamsWith(workspace, env, password, ConnectionPurpose::Migration);
    if (!params)
        return params.error();
    if (commandOf(workspace).isEmpty())
        return MigrationRunner::status(*params, *set);
    // migrations.command: the command's dry run, which reads the status the command's
    // report would start from (the tool's own history) and runs nothing.
    ExternalApplyOptions options;
    options.command = commandOf(workspace);
    options.workingDirectory = workspace.rootDir;
    options.dryRun = true;
    auto preview = ExternalMigrationCommand::apply(*params, *set, options);
    if (!preview)
        return preview.error();
    return preview->before;
}

// Before anything connects: the decision MigrationRunner and ExternalMigrationCommand
// take again, taken here so that a refusal needs no password, folder or connection.
Result<void> panelProtection(const EnvironmentConfig &env, const MigrationRequest &request)
{
    if (request.dryRun)
        return {};
    return checkProtection(env, ProtectedChange::ApplyMigrations, request.confirmation,
                           ConfirmationSource::Dialog);
}

QString headOf(const MigrationPlan &plan)
{
    return plan.headVersion.isEmpty() ? QStringLiteral("none") : plan.headVersion;
}

QString displayFile(const MigrationPlan &plan, const PlannedMigration &planned)
{
    if (!planned.migration)
        return planned.version;
    const QString folder = QFileInfo(plan.migrationsDir).fileName();
    return folder.isEmpty() ? planned.migration->relativePath
                            : folder + QLatin1Char('/') + planned.migration->relativePath;
}

// What a command run did, in the runner's terms: the migrations pending before it that
// are applied after it (a dry run: every pending one). The tool chose the statements.
ApplyReport asApplyReport(const ExternalApplyReport &external)
{
    ApplyReport report;
    report.dryRun = external.dryRun;
    report.plan = external.before;
    for (const PlannedMigration &before : external.before.migrations) {
        if (before.state != MigrationState::Pending)
            continue;
        if (!external.dryRun) {
            const auto after = std::find_if(
                external.after.migrations.cbegin(), external.after.migrations.cend(),
                [&before](const PlannedMigration &m) { return m.version == before.version; });
            if (after == external.after.migrations.cend() ||
                after->state != MigrationState::Applied)
                continue;
        }
        MigrationStep step;
        step.version = before.version;
        step.name = before.name;
        step.file = displayFile(external.before, before);
        step.transactional = !(before.migration && before.migration->noTransaction);
        report.steps.append(step);
    }
    return report;
}

void audit(const AuditLog &log, const QString &environment, const QString &target,
           const Error *error, qint64 durationMs, const QString &detail,
           const QList<SecretValue> &secrets, const QString &operation = {})
{
    AuditEntry entry = auditEntryFor(environment, QStringLiteral("migrate-apply"), target, error,
                                     durationMs, detail);
    entry.operation = operation;
    if (auto written = log.append(entry, secrets); !written)
        qWarning("could not write the audit log: %s", qPrintable(written.error().message));
}

} // namespace

EnvironmentController::EnvironmentController(StatusMonitor *monitor, QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
    , m_resolver(new SecretResolver(monitor->workspace().rootDir, this))
    // A plan read per environment at startup plus an apply: enough that a hanging server
    // never queues the others behind it.
    , m_pool(ownedThreadPool(QStringLiteral("EnvironmentController pool"),
                             std::max(4, int(monitor->workspace().environments.size()) + 2)))
{
    Q_ASSERT(monitor);
    // A database that was down when its plan was read: read it again once it answers,
    // instead of showing "unknown" until the user refreshes.
    connect(monitor, &StatusMonitor::statusChanged, this, [this](const EnvironmentStatus &status) {
        const StatusState previous = m_lastState.value(status.environment, StatusState::Unknown);
        m_lastState.insert(status.environment, status.state);
        const bool reachable =
            status.state == StatusState::Up || status.state == StatusState::Degraded;
        const bool wasReachable = previous == StatusState::Up || previous == StatusState::Degraded;
        if (!reachable || wasReachable || isPlanLoading(status.environment))
            return;
        const auto plan = latestPlan(status.environment);
        if (plan && !*plan)
            migrationStatus(status.environment);
    });
}

void EnvironmentController::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
}

EnvironmentController::~EnvironmentController()
{
    for (const Running &running : std::as_const(m_running)) {
        if (running.cancel)
            running.cancel->store(true);
    }
    // Never waits: running work stops at its next safe point (the flags above) or its
    // timeout, holding copies and shared flags only, never this object; what it reports
    // lands nowhere (watchers die with this object, forwarders check it on the GUI thread).
    detachThreadPool(std::move(m_pool));
}

const Workspace &EnvironmentController::workspace() const noexcept
{
    return m_monitor->workspace();
}

void EnvironmentController::withPassword(
    const EnvironmentConfig &env, bool needed,
    std::function<void(std::optional<Result<SecretValue>>)> work)
{
    if (!needed || !env.database.password) {
        work(std::nullopt);
        return;
    }
    whenFinished(this, m_resolver->resolve(*env.database.password),
                 [work = std::move(work)](const QFuture<Result<SecretValue>> &future) {
                     work(resultOf(future));
                 });
}

QFuture<Result<MigrationPlan>> EnvironmentController::migrationStatus(const QString &environment)
{
    const EnvironmentConfig *found = workspace().environment(environment);
    if (!found)
        return finishedWith<MigrationPlan>(errors::noEnvironment(environment));
    const EnvironmentConfig env = *found;
    auto promise = std::make_shared<QPromise<Result<MigrationPlan>>>();
    promise->start();
    const quint64 serial = ++m_planSerial[environment];
    ++m_planReads[environment];

    withPassword(env, true, [this, env, promise, serial](std::optional<Result<SecretValue>> pw) {
        // Told apart on the worker (it looks at the file system): a workspace without
        // migrations has no status to read, which is not a problem.
        auto noMigrations = std::make_shared<std::atomic_bool>(false);
        const QFuture<Result<MigrationPlan>> read =
            QtConcurrent::run(m_pool.get(), [workspace = workspace(), env, pw, noMigrations] {
                Result<MigrationPlan> plan = readPlan(workspace, env, pw);
                if (!plan)
                    noMigrations->store(workspaceHasNoMigrations(workspace));
                return plan;
            });
        whenFinished(this, read, [this, env, promise, serial, noMigrations](const auto &future) {
            const Result<MigrationPlan> plan = resultOf(future);
            if (--m_planReads[env.name] <= 0)
                m_planReads.remove(env.name);
            // An older read that finishes late must not replace a newer plan.
            if (serial == m_planSerial.value(env.name)) {
                m_plans.insert(env.name, plan);
                m_monitor->setSchemaFacts(env.name, noMigrations->load() ? noMigrationsFacts()
                                                                         : schemaFactsOf(plan));
                Q_EMIT migrationPlanChanged(env.name);
            }
            promise->addResult(plan);
            promise->finish();
        });
    });
    return promise->future();
}

void EnvironmentController::refreshAll()
{
    for (const EnvironmentConfig &env : workspace().environments) {
        if (!env.database.url.isEmpty())
            migrationStatus(env.name);
    }
}

std::optional<Result<MigrationPlan>>
EnvironmentController::latestPlan(const QString &environment) const
{
    const auto it = m_plans.constFind(environment);
    if (it == m_plans.cend())
        return std::nullopt;
    return *it;
}

bool EnvironmentController::isPlanLoading(const QString &environment) const
{
    return m_planReads.value(environment) > 0;
}

QString EnvironmentController::runningOperation(const QString &environment) const
{
    return m_running.value(environment).description;
}

bool EnvironmentController::isCancellable(const QString &environment) const
{
    return m_running.value(environment).cancellable;
}

bool EnvironmentController::isCancelling(const QString &environment) const
{
    const auto it = m_running.constFind(environment);
    return it != m_running.cend() && it->cancel && it->cancel->load();
}

void EnvironmentController::cancel(const QString &environment)
{
    const auto it = m_running.constFind(environment);
    if (it != m_running.cend() && it->cancel)
        it->cancel->store(true);
}

bool EnvironmentController::begin(const QString &environment, const QString &description,
                                  bool cancellable)
{
    if (m_running.contains(environment))
        return false;
    Running running;
    running.description = description;
    running.cancellable = cancellable;
    running.cancel = std::make_shared<std::atomic_bool>(false);
    m_running.insert(environment, running);
    Q_EMIT operationStarted(environment, description, cancellable);
    return true;
}

void EnvironmentController::finish(const QString &environment, const Result<void> &result)
{
    const Running running = m_running.take(environment);
    // The panel changed this environment itself: no card may keep the state from before.
    m_monitor->recheckAfterAction(environment);
    Q_EMIT operationFinished(environment, running.description, result);
}

QFuture<Result<ApplyReport>> EnvironmentController::applyMigrations(const QString &environment,
                                                                    const MigrationRequest &request)
{
    const EnvironmentConfig *found = workspace().environment(environment);
    if (!found)
        return finishedWith<ApplyReport>(errors::noEnvironment(environment));
    if (m_running.contains(environment))
        return finishedWith<ApplyReport>(
            errors::stillRunning(environment, runningOperation(environment)));
    if (usesMigrationsCommand()) {
        if (!request.targetVersion.isEmpty())
            return finishedWith<ApplyReport>(
                commandTakesNoTarget(environment, migrationsCommand()));
        auto promise = std::make_shared<QPromise<Result<ApplyReport>>>();
        promise->start();
        whenFinished(this, applyWithCommand(environment, request), [promise](const auto &future) {
            const Result<ExternalApplyReport> external = resultOf(future);
            promise->addResult(external ? Result<ApplyReport>(asApplyReport(*external))
                                        : Result<ApplyReport>(external.error()));
            promise->finish();
        });
        return promise->future();
    }
    const EnvironmentConfig env = *found;
    const QString description = request.dryRun ? QStringLiteral("Dry run of migrations")
                                               : QStringLiteral("Applying migrations");
    begin(environment, description, true);
    const std::shared_ptr<std::atomic_bool> cancelFlag = m_running.value(environment).cancel;

    ApplyOptions options;
    options.environment = env.name;
    options.protection = env.protection;
    options.confirmation = request.confirmation;
    options.confirmationSource = ConfirmationSource::Dialog;
    options.dryRun = request.dryRun;
    options.targetVersion = request.targetVersion;
    options.cancel = cancelFlag.get();
    options.progress = progressForwarder(env.name);

    // Protection first, as the runner does: a refusal needs no password.
    const bool refused = !panelProtection(env, request);

    auto promise = std::make_shared<QPromise<Result<ApplyReport>>>();
    promise->start();
    withPassword(
        env, !refused,
        [this, env, options, refused, cancelFlag, promise](std::optional<Result<SecretValue>> pw) {
            const QFuture<Result<ApplyReport>> work = QtConcurrent::run(
                m_pool.get(),
                [workspace = workspace(), env, options, refused, cancelFlag, pw,
                 log = m_audit]() -> Result<ApplyReport> {
                    QElapsedTimer clock;
                    clock.start();
                    auto set = MigrationSource::load(workspace);
                    Result<ApplyReport> report =
                        Error(ErrorCode::Runtime, QStringLiteral("not run"));
                    QList<SecretValue> secrets;
                    QString operation; // the audit's "started" entry, once it runs
                    if (!set) {
                        report = set.error();
                    } else {
                        Result<ConnectionParams> params = ConnectionParams();
                        // A refusal must not wait for (or fail on) the connection: the
                        // runner refuses before it connects.
                        if (!refused)
                            params = connectionParamsWith(workspace, env, pw,
                                                          ConnectionPurpose::Migration);
                        if (!params) {
                            report = params.error();
                        } else {
                            secrets.append(params->password);
                            // Before it runs: a run killed half-way leaves its start.
                            if (!options.dryRun && !refused)
                                operation = log.begin(env.name, QStringLiteral("migrate-apply"),
                                                      options.targetVersion);
                            report = MigrationRunner::apply(*params, *set, options);
                            if (const QString warning = recordMigrationHistory(
                                    env, *params, report, false, options.targetVersion);
                                !warning.isEmpty())
                                qWarning().noquote() << warning;
                        }
                    }
                    if (!options.dryRun) {
                        if (!report) {
                            audit(log, env.name, options.targetVersion, &report.error(),
                                  clock.elapsed(), {}, secrets, operation);
                        } else if (report->steps.isEmpty()) {
                            audit(log, env.name, report->plan.headVersion, nullptr, clock.elapsed(),
                                  QStringLiteral("nothing to apply"), secrets, operation);
                        } else {
                            QStringList files;
                            for (const MigrationStep &step : report->steps)
                                files.append(step.file);
                            const QString list = files.join(QStringLiteral(", "));
                            const Error cancelled(ErrorCode::Cancelled,
                                                  QStringLiteral("cancelled after ") + list);
                            audit(log, env.name, report->steps.last().version,
                                  report->cancelled ? &cancelled : nullptr, clock.elapsed(), list,
                                  secrets, operation);
                        }
                    }
                    return report;
                });
            whenFinished(this, work, [this, env, options, promise](const auto &future) {
                const Result<ApplyReport> report = resultOf(future);
                Result<void> outcome;
                if (!report) {
                    outcome = report.error();
                } else if (report->cancelled) {
                    outcome = errors::migrationsCancelledPending();
                }
                finish(env.name, outcome);
                if (!options.dryRun)
                    migrationStatus(env.name);
                promise->addResult(report);
                promise->finish();
            });
        });
    return promise->future();
}

QFuture<Result<PromotionReport>> EnvironmentController::promote(const QString &environment,
                                                                const QString &confirmation)
{
    const EnvironmentConfig *found = workspace().environment(environment);
    if (!found)
        return finishedWith<PromotionReport>(errors::noEnvironment(environment));
    if (m_running.contains(environment))
        return finishedWith<PromotionReport>(
            errors::stillRunning(environment, runningOperation(environment)));
    const auto upstream = upstreamOf(workspace(), *found);
    if (!upstream)
        return finishedWith<PromotionReport>(upstream.error());
    const EnvironmentConfig env = *found;
    const EnvironmentConfig from = **upstream;
    begin(environment, QStringLiteral("Promoting from %1").arg(from.name), true);
    const std::shared_ptr<std::atomic_bool> cancelFlag = m_running.value(environment).cancel;

    PromotionOptions options;
    options.confirmation = confirmation;
    options.confirmationSource = ConfirmationSource::Dialog;
    options.auditLogPath = m_audit.path();
    options.cancel = cancelFlag.get();
    options.progress = progressForwarder(env.name);
    // A refusal needs no password and no parity: promote() refuses before it reads.
    const bool refused = !checkProtection(env, ProtectedChange::ApplyMigrations, confirmation,
                                          ConfirmationSource::Dialog);

    QStringList withPassword;
    QList<SecretRef> references;
    if (!refused) {
        for (const QString &side : {env.name, from.name}) {
            const auto parsed = parseSchemaSide(workspace(), QStringLiteral("migrations:") + side);
            if (!parsed)
                continue;
            for (const QString &name : environmentsNeededFor(workspace(), *parsed)) {
                const EnvironmentConfig *needed = workspace().environment(name);
                if (needed && needed->database.password && !withPassword.contains(name)) {
                    withPassword.append(name);
                    references.append(*needed->database.password);
                }
            }
        }
    }
    QPointer<ParityCheck> parity;
    QFuture<ParityMatrix> matrix = QtFuture::makeReadyFuture(ParityMatrix());
    if (!refused) {
        Workspace pair = workspace();
        pair.environments = {from, env};
        parity = new ParityCheck(pair, this);
        matrix = parity->run();
    }

    auto promise = std::make_shared<QPromise<Result<PromotionReport>>>();
    promise->start();
    const auto run = [this, env, options, cancelFlag,
                      promise](QHash<QString, Result<SecretValue>> passwords,
                               Result<QList<ParityRow>> rows) {
        // cancelFlag: options.cancel points into it; the task keeps it alive.
        const QFuture<Result<PromotionReport>> work = QtConcurrent::run(
            m_pool.get(),
            [workspace = workspace(), env, options, cancelFlag, passwords,
             rows]() -> Result<PromotionReport> {
                auto set = MigrationSource::load(workspace);
                if (!set)
                    return set.error();
                return pd::promote(
                    workspace, env, *set, connectionLookupWith(workspace, passwords),
                    [rows] { return rows; }, options);
            });
        whenFinished(this, work, [this, env, promise](const auto &future) {
            const Result<PromotionReport> report = resultOf(future);
            Result<void> outcome;
            if (!report)
                outcome = report.error();
            else if (report->refused)
                outcome = Error(
                    ErrorCode::Protected, ErrorKind::NotPromoted,
                    {ErrorArg::text(QStringLiteral("gates"), report->plan.failingGatesText())});
            else if (report->cancelled)
                outcome = errors::migrationsCancelledPending();
            finish(env.name, outcome);
            migrationStatus(env.name);
            promise->addResult(report);
            promise->finish();
        });
    };
    whenFinished(
        this, resolveAll(*m_resolver, references),
        [this, run, withPassword, matrix,
         parity](const QFuture<QList<Result<SecretValue>>> &resolved) {
            QHash<QString, Result<SecretValue>> passwords;
            const QList<Result<SecretValue>> values =
                resolved.resultCount() > 0 ? resolved.result() : QList<Result<SecretValue>>();
            for (qsizetype i = 0; i < withPassword.size() && i < values.size(); ++i)
                passwords.insert(withPassword.at(i), values.at(i));
            whenFinished(this, matrix, [run, passwords, parity](const QFuture<ParityMatrix> &done) {
                if (parity)
                    parity->deleteLater();
                Result<QList<ParityRow>> rows =
                    done.isCanceled() || done.resultCount() == 0
                        ? Result<QList<ParityRow>>(
                              Error(ErrorCode::Runtime, ErrorKind::ParityCheckAbandoned, {}))
                        : Result<QList<ParityRow>>(done.result().rows());
                run(passwords, std::move(rows));
            });
        });
    return promise->future();
}

QFuture<Result<RevertReport>>
EnvironmentController::revertToMigrations(const RevertRequest &request)
{
    const QString environment = request.environment;
    const EnvironmentConfig *found = workspace().environment(environment);
    if (!found)
        return finishedWith<RevertReport>(errors::noEnvironment(environment));
    if (m_running.contains(environment))
        return finishedWith<RevertReport>(
            errors::stillRunning(environment, runningOperation(environment)));
    const EnvironmentConfig env = *found;
    begin(environment,
          request.dryRun ? QStringLiteral("Dry run of the revert")
                         : QStringLiteral("Reverting to migrations"),
          true);
    const std::shared_ptr<std::atomic_bool> cancelFlag = m_running.value(environment).cancel;
    // A refusal needs no password: the core function audits it and touches nothing.
    const bool refused =
        !request.dryRun && !checkProtection(env, ProtectedChange::ApplyMigrations,
                                            request.confirmation, request.confirmationSource);
    auto promise = std::make_shared<QPromise<Result<RevertReport>>>();
    promise->start();
    withPassword(env, !refused,
                 [this, env, request, cancelFlag, promise](std::optional<Result<SecretValue>> pw) {
                     QHash<QString, Result<SecretValue>> passwords;
                     if (pw)
                         passwords.insert(env.name, *pw);
                     const QFuture<Result<RevertReport>> work = QtConcurrent::run(
                         m_pool.get(), [workspace = workspace(), request, passwords, cancelFlag,
                                        progress = progressForwarder(env.name), log = m_audit] {
                             return pd::revertToMigrations(
                                 workspace, request, connectionLookupWith(workspace, passwords),
                                 log, cancelFlag.get(), progress);
                         });
                     whenFinished(this, work, [this, env, request, promise](const auto &future) {
                         const Result<RevertReport> report = resultOf(future);
                         finish(env.name, report ? Result<void>() : Result<void>(report.error()));
                         if (!request.dryRun)
                             migrationStatus(env.name);
                         promise->addResult(report);
                         promise->finish();
                     });
                 });
    return promise->future();
}

bool EnvironmentController::usesMigrationsCommand() const
{
    return !migrationsCommand().isEmpty();
}

QString EnvironmentController::migrationsCommand() const
{
    return commandOf(workspace());
}

std::function<void(const MigrationProgress &)>
EnvironmentController::progressForwarder(const QString &environment)
{
    QPointer<EnvironmentController> self(this);
    // Posted to the application object and checked there: a worker never reads the pointer
    // while the controller may be being destroyed on the GUI thread.
    return [self, environment](const MigrationProgress &progress) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, environment, progress] {
                if (self)
                    Q_EMIT self->migrationProgress(environment, progress);
            },
            Qt::QueuedConnection);
    };
}

std::function<void(const QString &)>
EnvironmentController::outputForwarder(const QString &environment)
{
    QPointer<EnvironmentController> self(this);
    return [self, environment](const QString &line) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, environment, line] {
                if (self)
                    Q_EMIT self->migrationOutput(environment, line);
            },
            Qt::QueuedConnection);
    };
}

QFuture<Result<ExternalApplyReport>>
EnvironmentController::applyWithCommand(const QString &environment, const MigrationRequest &request)
{
    const EnvironmentConfig *found = workspace().environment(environment);
    if (!found)
        return finishedWith<ExternalApplyReport>(errors::noEnvironment(environment));
    if (!usesMigrationsCommand())
        return finishedWith<ExternalApplyReport>(
            Error(ErrorCode::Config, ErrorKind::NoMigrationsCommand,
                  {ErrorArg::text(QStringLiteral("file"), workspace().filePath)}));
    if (!request.targetVersion.isEmpty())
        return finishedWith<ExternalApplyReport>(
            commandTakesNoTarget(environment, migrationsCommand()));
    if (m_running.contains(environment))
        return finishedWith<ExternalApplyReport>(
            errors::stillRunning(environment, runningOperation(environment)));
    const EnvironmentConfig env = *found;
    begin(environment,
          request.dryRun ? QStringLiteral("Dry run of the migrations command")
                         : QStringLiteral("Running the migrations command"),
          !request.dryRun);
    const std::shared_ptr<std::atomic_bool> cancelFlag = m_running.value(environment).cancel;

    ExternalApplyOptions options;
    options.environment = env.name;
    options.protection = env.protection;
    options.confirmation = request.confirmation;
    options.confirmationSource = ConfirmationSource::Dialog;
    options.command = migrationsCommand();
    options.workingDirectory = workspace().rootDir;
    options.dryRun = request.dryRun;
    options.timeoutMs = std::max(1, request.commandTimeoutSeconds) * 1000;
    options.cancel = cancelFlag.get();
    options.progress = progressForwarder(env.name);
    options.outputLine = outputForwarder(env.name);
    const Result<void> protection = panelProtection(env, request);
    const bool refused = !protection;

    auto promise = std::make_shared<QPromise<Result<ExternalApplyReport>>>();
    promise->start();
    withPassword(
        env, !refused,
        [this, env, options, protection, refused, cancelFlag,
         promise](std::optional<Result<SecretValue>> pw) {
            const QFuture<Result<ExternalApplyReport>> work = QtConcurrent::run(
                m_pool.get(),
                [workspace = workspace(), env, options, protection, refused, cancelFlag, pw,
                 log = m_audit]() -> Result<ExternalApplyReport> {
                    QElapsedTimer clock;
                    clock.start();
                    Result<ExternalApplyReport> report =
                        Error(ErrorCode::Runtime, QStringLiteral("not run"));
                    QList<SecretValue> secrets;
                    QString operation;
                    if (refused) {
                        report = Error(ErrorCode::Protected, ErrorKind::RefusedNothingRun,
                                       {protection.error().asArg(QStringLiteral("reason"))});
                    } else if (auto set = MigrationSource::load(workspace); !set) {
                        report = set.error();
                    } else if (auto params = connectionParamsWith(workspace, env, pw,
                                                                  ConnectionPurpose::Migration);
                               !params) {
                        report = params.error();
                    } else if (cancelFlag->load()) {
                        report =
                            Error(ErrorCode::Cancelled, ErrorKind::CancelledBeforeMigrationsCommand,
                                  {ErrorArg::text(QStringLiteral("environment"), env.name)});
                    } else {
                        secrets << params->password;
                        if (!params->password.isEmpty())
                            secrets << SecretValue(
                                QUrl::toPercentEncoding(params->password.revealString()));
                        if (!options.dryRun)
                            operation = log.begin(env.name, QStringLiteral("migrate-apply"),
                                                  QStringLiteral("migrations.command"),
                                                  QStringLiteral("`%1`").arg(options.command));
                        report = ExternalMigrationCommand::apply(*params, *set, options);
                    }
                    // Audited as the CLI does it: the refusal or failure against the command,
                    // a success with the head it reached.
                    if (!options.dryRun) {
                        const QString action = QStringLiteral("migrate-apply");
                        const QString detail = QStringLiteral("`%1`").arg(options.command);
                        AuditEntry entry;
                        if (!report) {
                            entry = auditEntryFor(env.name, action,
                                                  QStringLiteral("migrations.command"),
                                                  &report.error(), clock.elapsed(), detail);
                        } else {
                            entry = auditEntryFor(env.name, action, headOf(report->after), nullptr,
                                                  clock.elapsed(),
                                                  QStringLiteral("`%1`: head %2 → %3, %4 pending")
                                                      .arg(options.command, headOf(report->before),
                                                           headOf(report->after))
                                                      .arg(report->after.pendingCount()));
                        }
                        entry.operation = operation;
                        if (auto written = log.append(entry, secrets); !written)
                            qWarning("could not write the audit log: %s",
                                     qPrintable(written.error().message));
                    }
                    return report;
                });
            whenFinished(this, work, [this, env, options, promise](const auto &future) {
                const Result<ExternalApplyReport> report = resultOf(future);
                finish(env.name, report ? Result<void>() : Result<void>(report.error()));
                if (!options.dryRun)
                    migrationStatus(env.name);
                promise->addResult(report);
                promise->finish();
            });
        });
    return promise->future();
}

QFuture<Result<void>> EnvironmentController::start(const QString &environment,
                                                   const QString &confirmation)
{
    return serviceAction(environment, ServiceVerb::Start, confirmation);
}

QFuture<Result<void>> EnvironmentController::stop(const QString &environment,
                                                  const QString &confirmation)
{
    return serviceAction(environment, ServiceVerb::Stop, confirmation);
}

QFuture<Result<void>> EnvironmentController::restart(const QString &environment,
                                                     const QString &confirmation)
{
    return serviceAction(environment, ServiceVerb::Restart, confirmation);
}

QFuture<Result<void>> EnvironmentController::serviceAction(const QString &environment,
                                                           ServiceVerb verb,
                                                           const QString &confirmation)
{
    const EnvironmentConfig *env = workspace().environment(environment);
    if (!env)
        return finishedWith<void>(errors::noEnvironment(environment));
    if (env->services.isEmpty())
        return finishedWith<void>(
            Error(ErrorCode::NotFound, ErrorKind::NoServicesConfigured,
                  {ErrorArg::text(QStringLiteral("environment"), environment)}));
    if (m_running.contains(environment))
        return finishedWith<void>(errors::stillRunning(environment, runningOperation(environment)));
    ServiceController *services = m_monitor->serviceController();
    QString description;
    const char *nothing = nullptr; // a phrase
    switch (verb) {
    case ServiceVerb::Start:
        description = QStringLiteral("Starting services");
        nothing = QT_TRANSLATE_NOOP("pd::ErrorMessage", "Nothing was started.");
        break;
    case ServiceVerb::Stop:
        description = QStringLiteral("Stopping services");
        nothing = QT_TRANSLATE_NOOP("pd::ErrorMessage", "Nothing was stopped.");
        break;
    case ServiceVerb::Restart:
        description = QStringLiteral("Restarting services");
        nothing = QT_TRANSLATE_NOOP("pd::ErrorMessage", "Nothing was stopped or started.");
        break;
    }
    begin(environment, description, false);
    const QFuture<Result<void>> action =
        verb == ServiceVerb::Start  ? services->startAsync(environment, {}, confirmation)
        : verb == ServiceVerb::Stop ? services->stopAsync(environment, {}, confirmation)
                                    : services->restartAsync(environment, {}, confirmation);
    auto promise = std::make_shared<QPromise<Result<void>>>();
    promise->start();
    whenFinished(
        this, action,
        [this, environment, env = *env, confirmation, nothing, promise](const auto &future) {
            Result<void> result = resultOf(future);
            if (!result && result.error().code == ErrorCode::Protected)
                result = typedNameRefused(env, confirmation, nothing);
            finish(environment, result);
            // Show the new state now rather than at the next tick.
            m_monitor->refresh(environment);
            promise->addResult(result);
            promise->finish();
        });
    return promise->future();
}

ActionDecision EnvironmentController::decide(const QString &environment,
                                             EnvironmentAction action) const
{
    return decideAll(environment).value(action);
}

QMap<EnvironmentAction, ActionDecision>
EnvironmentController::decideAll(const QString &environment) const
{
    static constexpr EnvironmentAction kActions[] = {
        EnvironmentAction::Start,        EnvironmentAction::Stop,
        EnvironmentAction::Restart,      EnvironmentAction::ApplyMigrations,
        EnvironmentAction::SwitchBranch, EnvironmentAction::Diff,
        EnvironmentAction::CheckDrift,   EnvironmentAction::Promote};
    QMap<EnvironmentAction, ActionDecision> decisions;
    const EnvironmentConfig *config = workspace().environment(environment);
    if (!config) {
        for (const EnvironmentAction action : kActions)
            decisions.insert(action,
                             {ProtectionVerdict::Refused,
                              QStringLiteral("%1 is not in the workspace.").arg(environment)});
        return decisions;
    }
    const EnvironmentStatus status = m_monitor->status(environment);
    ActionFacts facts;
    if (status.checkedAt.isValid())
        facts.status = &status;
    if (isBusy(environment))
        facts.runningOperation = runningOperation(environment);
    SchemaFacts plan;
    if (const auto latest = latestPlan(environment)) {
        plan = schemaFactsOf(*latest);
        facts.plan = &plan;
    }
    for (const EnvironmentAction action : kActions)
        decisions.insert(action, decideAction(*config, action, facts));
    return decisions;
}

} // namespace pd
