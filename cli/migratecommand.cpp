// paritydeck migrate status|apply|baseline ENV — the schema version of an environment and
// the safe way to change it. Ctrl-C, SIGTERM or SIGHUP during apply cancels the running
// statement (the migration's transaction rolls back) and leaves the rest pending, or stops
// a migrations.command's process group, before ParityDeck ends.
#include "audit/auditlog.h"
#include "command.h"
#include "common/printable.h"
#include "db/connection.h"
#include "environment/historyrecorder.h"
#include "expectedschema.h"
#include "migrations/externalcommand.h"
#include "migrations/migrationrunner.h"
#include "output.h"
#include "schema/diffjson.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"
#include "stopsignals.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iterator>

#include <optional>
#include <signal.h>

namespace pd::cli {

namespace {

const QString MigrateUsage = QStringLiteral(
    "Usage: paritydeck migrate status ENV [--json]\n"
    "       paritydeck migrate apply ENV [--dry-run] [--to VERSION] [--confirm ENV]\n"
    "                                    [--allow-changed] [--allow-out-of-order] [--json]\n"
    "                                    [--command-timeout SECONDS]\n"
    "       paritydeck migrate baseline ENV --to VERSION [--confirm ENV] [--force | --skip-check]\n"
    "                                    [--json]\n"
    "status exits 0 when the environment is up to date, 1 when migrations are pending or\n"
    "history has problems. apply runs each pending migration in its own transaction under an\n"
    "advisory lock; protected environments need --confirm with the environment's name, and\n"
    "read-only ones refuse. Ctrl-C (or SIGTERM) cancels the running migration, which is\n"
    "rolled back, and leaves the rest pending.\n"
    "When paritydeck.yaml sets migrations.command (e.g. `alembic upgrade head`), apply runs\n"
    "that command in the workspace folder instead, with the connection in PGHOST, PGPORT,\n"
    "PGDATABASE, PGUSER, PGPASSWORD and DATABASE_URL (never on its command line), stops it\n"
    "after --command-timeout seconds (default 1800), and reads the history again afterwards.\n"
    "baseline first compares the live schema with the schema migrations up to VERSION build\n"
    "in a shadow database and refuses (exit 1, differences listed) when they differ; --force\n"
    "records the baseline anyway, --skip-check does not compare at all.\n");

struct MigrateArgs
{
    QString action;
    QString environment;
    bool json = false;
    bool force = false;     // baseline despite differences
    bool skipCheck = false; // baseline without comparing schemas
    int commandTimeoutSeconds = 30 * 60;
    ApplyOptions options;
};

Result<MigrateArgs> parseArgs(const QStringList &args)
{
    MigrateArgs parsed;
    QStringList positional;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        auto value = [&](const char *name) -> Result<QString> {
            if (i + 1 >= args.size())
                return Error(ErrorCode::Usage,
                             QStringLiteral("%1 needs a value").arg(QLatin1String(name)));
            return args.at(++i);
        };
        if (arg == QLatin1String("--json")) {
            parsed.json = true;
        } else if (arg == QLatin1String("--dry-run")) {
            parsed.options.dryRun = true;
        } else if (arg == QLatin1String("--allow-changed")) {
            parsed.options.allowChanged = true;
        } else if (arg == QLatin1String("--allow-out-of-order")) {
            parsed.options.allowOutOfOrder = true;
        } else if (arg == QLatin1String("--force")) {
            parsed.force = true;
        } else if (arg == QLatin1String("--skip-check")) {
            parsed.skipCheck = true;
        } else if (arg == QLatin1String("--command-timeout")) {
            auto v = value("--command-timeout");
            if (!v)
                return v.error();
            bool ok = false;
            parsed.commandTimeoutSeconds = v->toInt(&ok);
            if (!ok || parsed.commandTimeoutSeconds <= 0)
                return Error(ErrorCode::Usage,
                             QStringLiteral("--command-timeout needs a number of seconds"));
        } else if (arg == QLatin1String("--to")) {
            auto v = value("--to");
            if (!v)
                return v.error();
            // An empty $TARGET in a script must not mean "everything".
            if (v->trimmed().isEmpty())
                return Error(ErrorCode::Usage,
                             QStringLiteral("--to needs a version; without --to, apply applies "
                                            "every pending migration"));
            parsed.options.targetVersion = *v;
        } else if (arg == QLatin1String("--confirm")) {
            auto v = value("--confirm");
            if (!v)
                return v.error();
            parsed.options.confirmation = *v;
        } else if (arg.startsWith(QLatin1Char('-'))) {
            return Error(ErrorCode::Usage, QStringLiteral("migrate: unknown option '%1'").arg(arg));
        } else {
            positional.append(arg);
        }
    }
    if (positional.size() != 2)
        return Error(ErrorCode::Usage,
                     QStringLiteral("migrate: expected an action and an environment"));
    parsed.action = positional.at(0);
    parsed.environment = positional.at(1);
    if (parsed.action != QLatin1String("status") && parsed.action != QLatin1String("apply") &&
        parsed.action != QLatin1String("baseline"))
        return Error(ErrorCode::Usage,
                     QStringLiteral("migrate: unknown action '%1'").arg(parsed.action));
    if (parsed.action == QLatin1String("baseline") && parsed.options.targetVersion.isEmpty())
        return Error(ErrorCode::Usage,
                     QStringLiteral("migrate baseline: --to VERSION is required"));
    if ((parsed.force || parsed.skipCheck) && parsed.action != QLatin1String("baseline"))
        return Error(ErrorCode::Usage,
                     QStringLiteral("migrate: --force and --skip-check belong to baseline"));
    if (parsed.force && parsed.skipCheck)
        return Error(
            ErrorCode::Usage,
            QStringLiteral("migrate baseline: --force and --skip-check exclude each other"));
    return parsed;
}

void printPlan(const QString &environment, const MigrationPlan &plan)
{
    outLine(QStringLiteral("%1: %2 applied, %3 pending, head %4   (history: %5)")
                .arg(environment)
                .arg(plan.count(MigrationState::Applied))
                .arg(plan.pendingCount())
                .arg(plan.headLabel(),
                     plan.historyExists ? plan.historyTable
                                        : plan.historyTable + QStringLiteral(", not created yet")));
    QList<QStringList> rows;
    for (const PlannedMigration &m : plan.migrations) {
        QString state = migrationStateName(m.state);
        if (m.outOfOrder)
            state += QStringLiteral(" (out of order)");
        rows.append({m.version, m.name, state,
                     m.applied ? m.applied->appliedAt.toLocalTime().toString(
                                     QStringLiteral("yyyy-MM-dd HH:mm"))
                               : QString()});
    }
    if (!rows.isEmpty())
        out(formatTable({QStringLiteral("VERSION"), QStringLiteral("NAME"), QStringLiteral("STATE"),
                         QStringLiteral("APPLIED")},
                        rows));
    for (const MigrationProblem &problem : plan.problems)
        outLine(QStringLiteral("%1 %2").arg(problem.blocking() ? QStringLiteral("problem:")
                                                               : QStringLiteral("note:"),
                                            oneLine(problem.message)));
}

// The apply (and baseline) document, in every outcome (docs/json-output.md): `after` is
// the history read again after a run that was not a dry run (nullptr: not read), `error`
// why the run stopped.
QJsonObject reportToJson(const QString &environment, const ApplyReport &report,
                         const MigrationPlan *after, const Error *error)
{
    QJsonArray steps;
    for (const MigrationStep &step : report.steps) {
        QJsonObject s;
        s.insert(QStringLiteral("version"), step.version);
        s.insert(QStringLiteral("name"), step.name);
        s.insert(QStringLiteral("file"), step.file);
        s.insert(QStringLiteral("transactional"), step.transactional);
        s.insert(QStringLiteral("statements"), int(step.statements.size()));
        s.insert(QStringLiteral("destructive"), QJsonArray::fromStringList(step.destructive));
        s.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(step.warnings));
        s.insert(QStringLiteral("duration_ms"), double(step.durationMs));
        steps.append(s);
    }
    QJsonObject o;
    o.insert(QStringLiteral("environment"), environment);
    o.insert(QStringLiteral("dry_run"), report.dryRun);
    o.insert(QStringLiteral("cancelled"), report.cancelled);
    o.insert(QStringLiteral("steps"), steps);
    o.insert(QStringLiteral("plan_before"),
             report.planRead ? QJsonValue(migrationPlanToJson(report.plan)) : QJsonValue());
    if (!report.dryRun)
        o.insert(QStringLiteral("plan_after"),
                 after ? QJsonValue(migrationPlanToJson(*after)) : QJsonValue());
    if (error)
        o.insert(QStringLiteral("error"), error->message);
    return o;
}

// The history after a run, for plan_after; nullopt when it cannot be read.
std::optional<MigrationPlan> planAfter(const ConnectionParams &params, const MigrationSet &set)
{
    auto plan = MigrationRunner::status(params, set);
    if (!plan)
        return std::nullopt;
    return std::move(plan).value();
}

void printReport(const ApplyReport &report, bool baseline)
{
    // Files that look like migrations but were not read, as `migrate status` shows them.
    for (const MigrationProblem &problem : report.plan.problems) {
        if (problem.kind == MigrationProblem::Kind::Warning)
            errLine(QStringLiteral("note: ") + oneLine(problem.message));
    }
    if (report.steps.isEmpty() && report.cancelled) {
        outLine(QStringLiteral("cancelled before the first migration: nothing was applied"));
        return;
    }
    if (report.steps.isEmpty()) {
        outLine(QStringLiteral("nothing to do: no pending migrations"));
        return;
    }
    for (const MigrationStep &step : report.steps) {
        const QString verb = report.dryRun ? QStringLiteral("would apply")
                             : baseline    ? QStringLiteral("recorded")
                                           : QStringLiteral("applied");
        outLine(
            QStringLiteral("%1 %2 (%3 statement%4%5)%6")
                .arg(verb, oneLine(step.file))
                .arg(step.statements.size())
                .arg(step.statements.size() == 1 ? QString() : QStringLiteral("s"),
                     step.transactional ? QString() : QStringLiteral(", no transaction"),
                     report.dryRun ? QString() : QStringLiteral(" in %1 ms").arg(step.durationMs)));
        if (report.dryRun) {
            for (const SqlStatement &statement : step.statements)
                outLine(QStringLiteral("    ") + statement.position() + QStringLiteral("  ") +
                        oneLine(statement.summary()));
        }
        for (const QString &warning : step.destructive)
            outLine(QStringLiteral("    destructive: ") + oneLine(warning));
        for (const QString &warning : step.warnings)
            outLine(QStringLiteral("    warning: ") + oneLine(warning));
    }
    if (report.cancelled)
        outLine(QStringLiteral("cancelled: the remaining migrations stay pending"));
}

// The migrations.command document (docs/json-output.md), in every outcome.
QJsonObject commandReportToJson(const QString &environment, const ExternalApplyReport &report,
                                const Error *error)
{
    QJsonObject o;
    o.insert(QStringLiteral("environment"), environment);
    o.insert(QStringLiteral("command"), report.command);
    o.insert(QStringLiteral("working_directory"), report.workingDirectory);
    o.insert(QStringLiteral("variables"), QJsonArray::fromStringList(report.variables));
    o.insert(QStringLiteral("dry_run"), report.dryRun);
    o.insert(QStringLiteral("exit_code"),
             report.exited ? QJsonValue(report.exitCode) : QJsonValue());
    o.insert(QStringLiteral("duration_ms"), double(report.durationMs));
    o.insert(QStringLiteral("output"), report.output);
    o.insert(QStringLiteral("plan_before"),
             report.beforeRead ? QJsonValue(migrationPlanToJson(report.before)) : QJsonValue());
    o.insert(QStringLiteral("plan_after"),
             report.afterRead ? QJsonValue(migrationPlanToJson(report.after)) : QJsonValue());
    if (error)
        o.insert(QStringLiteral("error"), error->message);
    return o;
}

// What the command path's document says before anything ran.
ExternalApplyReport commandNotRun(const Workspace &workspace, bool dryRun)
{
    ExternalApplyReport report;
    report.command = workspace.migrations.command;
    report.workingDirectory = workspace.rootDir;
    report.variables = ExternalMigrationCommand::variableNames();
    report.dryRun = dryRun;
    return report;
}

// migrations.command: the workspace's own tool applies, ParityDeck guards and reports.
int applyWithCommand(const Workspace &workspace, const EnvironmentConfig &env,
                     const ConnectionParams &params, const MigrationSet &set,
                     const MigrateArgs &args)
{
    ExternalApplyOptions options;
    options.environment = env.name;
    options.protection = env.protection;
    options.confirmation = args.options.confirmation;
    options.command = workspace.migrations.command;
    options.workingDirectory = workspace.rootDir;
    options.dryRun = args.options.dryRun;
    options.timeoutMs = args.commandTimeoutSeconds * 1000;
    options.lockTimeoutMs = args.options.lockTimeoutMs;
    const QString variables = ExternalMigrationCommand::variableNames().join(QStringLiteral(", "));
    if (!args.json) {
        options.progress = [&](const MigrationProgress &p) {
            switch (p.phase) {
            case MigrationProgress::Phase::WaitingForLock:
                errLine(QStringLiteral("waiting for another applier: ") + p.message);
                break;
            case MigrationProgress::Phase::Started:
                errLine(QStringLiteral("running `%1` in %2 (connection of %3 in %4) …")
                            .arg(options.command, options.workingDirectory, env.name, variables));
                break;
            case MigrationProgress::Phase::Finished:
                // A cancelled command did not finish: the error says what happened.
                if (options.cancel && options.cancel->load())
                    break;
                errLine(QStringLiteral("`%1` finished in %2 ms")
                            .arg(options.command)
                            .arg(p.durationMs));
                break;
            }
        };
        // The tool's own output as it comes (masked), so a long upgrade shows where it is.
        options.outputLine = [](const QString &line) { outLine(QStringLiteral("  | ") + line); };
    }
    StopSignals stopSignals;
    options.cancel = StopSignals::cancelFlag();
    QElapsedTimer clock;
    clock.start();
    const QString action = QStringLiteral("migrate-apply");
    const QString operation =
        options.dryRun ? QString()
                       : AuditLog().begin(env.name, action, QStringLiteral("migrations.command"),
                                          QStringLiteral("`%1`").arg(options.command));
    ExternalApplyReport partial;
    auto report = ExternalMigrationCommand::apply(params, set, options, &partial);
    if (!report) {
        Error error = report.error();
        if (const int signal = StopSignals::received();
            signal != 0 && error.code == ErrorCode::Cancelled)
            error.message += QStringLiteral(" (ParityDeck received %1)").arg(signalName(signal));
        if (!options.dryRun)
            recordAudit(env.name, action, QStringLiteral("migrations.command"), &error,
                        clock.elapsed(), QStringLiteral("`%1`").arg(options.command), operation);
        if (args.json)
            outJson(QJsonDocument(commandReportToJson(env.name, partial, &error)));
        const int status = fail(error);
        stopSignals.endAsSignalled();
        return status;
    }
    const auto head = [](const MigrationPlan &plan) {
        return plan.headVersion.isEmpty() ? QStringLiteral("none") : plan.headVersion;
    };
    if (!report->dryRun) {
        recordAudit(env.name, action, head(report->after), nullptr, clock.elapsed(),
                    QStringLiteral("`%1`: head %2 → %3, %4 pending")
                        .arg(options.command, head(report->before), head(report->after))
                        .arg(report->after.pendingCount()),
                    operation);
    }
    if (args.json) {
        outJson(QJsonDocument(commandReportToJson(env.name, *report, nullptr)));
        return 0;
    }
    if (report->dryRun) {
        outLine(
            QStringLiteral("would run `%1` in %2 with the connection of %3 in %4; nothing was run")
                .arg(report->command, report->workingDirectory, env.name, variables));
        printPlan(env.name, report->before);
        return 0;
    }
    outLine(QStringLiteral("ran `%1` in %2 ms; before: head %3, %4 pending")
                .arg(report->command)
                .arg(report->durationMs)
                .arg(head(report->before))
                .arg(report->before.pendingCount()));
    printPlan(env.name, report->after);
    return 0;
}

// Baseline's safety check: the live schema must be what migrations up to the target build.
// Returns an exit code when the baseline must not go ahead.
// `forced` receives the differences a --force baseline went ahead despite, for the audit log.
std::optional<int> checkBaseline(const Workspace &workspace, const EnvironmentConfig &env,
                                 const ConnectionParams &params, const MigrationSet &set,
                                 const MigrateArgs &args, QString *forced)
{
    const QString &target = args.options.targetVersion;
    if (set.indexOf(target) < 0)
        return fail(Error(
            ErrorCode::NotFound,
            QStringLiteral("there is no migration with version %1 in %2").arg(target, set.dir)));
    const SchemaFilter filter = workspaceFilter(workspace);
    int serverMajor = 0;
    auto live = [&]() -> Result<SchemaSnapshot> {
        auto connection = Connection::open(params);
        if (!connection)
            return connection.error();
        serverMajor = connection->serverVersionNumber() / 10000;
        return introspect(*connection, filter);
    }();
    if (!live)
        return fail(live.error());
    if (!args.json)
        errLine(QStringLiteral(
                    "checking %1's schema against migrations up to %2 (--skip-check skips this) …")
                    .arg(env.name, target));
    auto expected = expectedSchemaUpTo(workspace, set, target, serverMajor, filter);
    if (!expected) {
        return fail(Error(
            expected.error().code,
            QStringLiteral("cannot check the baseline: %1; nothing was recorded (--skip-check "
                           "records the baseline without comparing schemas)")
                .arg(expected.error().message)));
    }
    const SchemaDiff changes = diff(expected->snapshot, *live);
    if (changes.isEmpty()) {
        if (!args.json)
            errLine(QStringLiteral("%1's live schema matches migrations up to %2")
                        .arg(env.name, target));
        return std::nullopt;
    }
    const QString summary =
        QStringLiteral("%1's live schema differs from what migrations up to %2 build: %3")
            .arg(env.name, target, changes.summaryText());
    if (args.force) {
        errLine(QStringLiteral("warning: ") + summary +
                QStringLiteral("; recording the baseline anyway (--force)"));
        *forced = QStringLiteral("--force despite: ") + changes.summaryText();
        errLine(changes.describe());
        return std::nullopt;
    }
    const Error refused(
        ErrorCode::Protected,
        summary + QStringLiteral("; nothing was recorded. Bring the schema in line, baseline a "
                                 "version that matches, or use --force"));
    recordAudit(env.name, QStringLiteral("migrate-baseline"), target, &refused, 0);
    if (args.json) {
        QJsonObject o;
        o.insert(QStringLiteral("environment"), env.name);
        o.insert(QStringLiteral("refused"), true);
        o.insert(QStringLiteral("message"), refused.message);
        o.insert(QStringLiteral("differences"), diffToJson(changes));
        outJson(QJsonDocument(o));
    } else {
        errLine(QStringLiteral("paritydeck: ") + refused.message);
        errLine(QStringLiteral("changes from migrations up to %1 to the live schema:").arg(target));
        errLine(changes.describe());
    }
    return 1;
}

} // namespace

int migrateCommand(const CommandContext &context)
{
    if (context.args.contains(QStringLiteral("--help")) ||
        context.args.contains(QStringLiteral("-h"))) {
        out(MigrateUsage);
        return 0;
    }
    auto args = parseArgs(context.args);
    if (!args)
        return usageError(args.error().message, MigrateUsage);
    // apply --json prints its document whatever happens; before anything ran, it says only
    // why (stdout is for the document, standard error still has the sentence).
    const bool applyJson = args->json && args->action == QLatin1String("apply");
    const Workspace *loaded = nullptr;
    const auto failureJson = [&](const Error &error) {
        if (!applyJson)
            return;
        if (loaded && !loaded->migrations.command.trimmed().isEmpty()) {
            outJson(QJsonDocument(commandReportToJson(
                args->environment, commandNotRun(*loaded, args->options.dryRun), &error)));
            return;
        }
        ApplyReport nothing;
        nothing.dryRun = args->options.dryRun;
        outJson(QJsonDocument(reportToJson(args->environment, nothing, nullptr, &error)));
    };
    const auto failed = [&](const Error &error) {
        failureJson(error);
        return fail(error);
    };
    auto workspace = loadWorkspace(context); // says why it failed on standard error
    if (!workspace) {
        failureJson(workspace.error());
        return exitCodeFor(workspace.error().code);
    }
    loaded = &*workspace;
    auto env = findEnvironment(*workspace, args->environment);
    if (!env)
        return failed(env.error());
    auto set = MigrationSource::load(*workspace);
    if (!set)
        return failed(set.error());
    // "9" means 0009 (docs/decisions.md §13); from here on the target is the file's version,
    // so history rows, the audit and the expected schema's cache all name it one way.
    if (const int target = set->indexOfTarget(args->options.targetVersion); target >= 0)
        args->options.targetVersion = set->migrations.at(target).version;
    const bool external = args->action == QLatin1String("apply") &&
                          !workspace->migrations.command.trimmed().isEmpty();
    if (external && (!args->options.targetVersion.isEmpty() || args->options.allowChanged ||
                     args->options.allowOutOfOrder))
        return usageError(
            QStringLiteral(
                "migrate apply: migrations.command runs `%1` as it is; --to, --allow-changed "
                "and --allow-out-of-order do not apply to it")
                .arg(workspace->migrations.command),
            MigrateUsage);

    // Protection is decided before a password is read or a connection opened.
    ApplyOptions options = args->options;
    options.environment = (*env)->name;
    options.protection = (*env)->protection;

    // A refusal must not depend on the keyring or a command: decide it before either runs.
    const bool writes = args->action != QLatin1String("status") && !options.dryRun;
    if (writes) {
        const ProtectedChange change = args->action == QLatin1String("baseline")
                                           ? ProtectedChange::Baseline
                                           : ProtectedChange::ApplyMigrations;
        if (auto allowed = checkProtection(**env, change, options.confirmation); !allowed) {
            const Error refused(ErrorCode::Protected,
                                allowed.error().message + QStringLiteral("; nothing was run"));
            recordAudit(options.environment, QStringLiteral("migrate-") + args->action,
                        options.targetVersion, &refused, 0);
            return failed(refused);
        }
    }

    auto params = connectionFor(*workspace, **env, ConnectionPurpose::Migration);
    if (!params)
        return failed(params.error());

    if (external)
        return applyWithCommand(*workspace, **env, *params, *set, *args);
    QString forcedNote;
    if (args->action == QLatin1String("baseline") && !args->skipCheck) {
        if (auto stop = checkBaseline(*workspace, **env, *params, *set, *args, &forcedNote))
            return *stop;
    }

    if (args->action == QLatin1String("status")) {
        auto plan = MigrationRunner::status(*params, *set);
        if (!plan)
            return fail(plan.error());
        if (args->json) {
            QJsonObject o = migrationPlanToJson(*plan);
            o.insert(QStringLiteral("environment"), (*env)->name);
            outJson(QJsonDocument(o));
        } else {
            printPlan((*env)->name, *plan);
        }
        return plan->isUpToDate() ? 0 : 1;
    }

    const bool baseline = args->action == QLatin1String("baseline");
    if (!args->json) {
        options.progress = [](const MigrationProgress &p) {
            switch (p.phase) {
            case MigrationProgress::Phase::WaitingForLock:
                errLine(QStringLiteral("waiting for another applier: ") + p.message);
                break;
            case MigrationProgress::Phase::Started:
                errLine(QStringLiteral("[%1/%2] %3 …")
                            .arg(p.index + 1)
                            .arg(p.total)
                            .arg(oneLine(p.file)));
                break;
            case MigrationProgress::Phase::Finished:
                errLine(QStringLiteral("[%1/%2] %3 done in %4 ms")
                            .arg(p.index + 1)
                            .arg(p.total)
                            .arg(oneLine(p.file))
                            .arg(p.durationMs));
                break;
            }
        };
    }
    StopSignals stopSignals;
    options.cancel = StopSignals::cancelFlag();
    QElapsedTimer clock;
    clock.start();
    const QString action =
        baseline ? QStringLiteral("migrate-baseline") : QStringLiteral("migrate-apply");
    // Written before anything runs: a run killed half-way (SIGKILL) still leaves its start.
    const QString operation =
        options.dryRun ? QString() : AuditLog().begin((*env)->name, action, options.targetVersion);
    ApplyReport partial;
    auto report = baseline ? MigrationRunner::baseline(*params, *set, options, &partial)
                           : MigrationRunner::apply(*params, *set, options, &partial);
    // history: database — the team sees it from their own panels.
    if (const QString warning =
            recordMigrationHistory(**env, *params, report, baseline, options.targetVersion);
        !warning.isEmpty())
        errLine(QStringLiteral("warning: ") + oneLine(warning));
    if (!report) {
        Error error = report.error();
        // The runner cancelled the running statement; say what asked for it.
        if (const int signal = StopSignals::received();
            signal != 0 && error.code == ErrorCode::Cancelled)
            error.message += QStringLiteral(" (ParityDeck received %1)").arg(signalName(signal));
        if (!options.dryRun)
            recordAudit((*env)->name, action, options.targetVersion, &error, clock.elapsed(), {},
                        operation);
        if (args->json) {
            const auto after = options.dryRun ? std::nullopt : planAfter(*params, *set);
            outJson(QJsonDocument(
                reportToJson((*env)->name, partial, after ? &*after : nullptr, &error)));
        }
        const int status = fail(error);
        stopSignals.endAsSignalled();
        return status;
    }
    if (!report->dryRun && (!report->steps.isEmpty() || report->cancelled)) {
        QStringList files;
        for (const MigrationStep &step : report->steps)
            files.append(step.file);
        const Error cancelled(
            ErrorCode::Cancelled,
            files.isEmpty()
                ? QStringLiteral("cancelled before the first "
                                 "migration; nothing was applied")
                : QStringLiteral("cancelled after %1").arg(files.join(QStringLiteral(", "))));
        recordAudit((*env)->name, action,
                    report->steps.isEmpty() ? report->plan.headVersion
                                            : report->steps.last().version,
                    report->cancelled ? &cancelled : nullptr, clock.elapsed(),
                    files.join(QStringLiteral(", ")) +
                        (forcedNote.isEmpty() ? QString() : QStringLiteral("; ") + forcedNote),
                    operation);
    } else if (!report->dryRun) {
        recordAudit((*env)->name, action, report->plan.headVersion, nullptr, clock.elapsed(),
                    QStringLiteral("nothing to apply"), operation);
    }
    if (args->json) {
        const auto after = report->dryRun ? std::nullopt : planAfter(*params, *set);
        outJson(
            QJsonDocument(reportToJson((*env)->name, *report, after ? &*after : nullptr, nullptr)));
    } else
        printReport(*report, baseline);
    if (report->cancelled)
        stopSignals.endAsSignalled();
    return report->cancelled ? 3 : 0;
}

} // namespace pd::cli
