// paritydeck migrate status|apply|baseline ENV — the schema version of an environment and
// the safe way to change it. Ctrl-C during apply cancels between migrations.
#include "command.h"
#include "migrations/migrationrunner.h"
#include "output.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <atomic>
#include <csignal>

namespace pd::cli {

namespace {

const QString MigrateUsage = QStringLiteral(
    "Usage: paritydeck migrate status ENV [--json]\n"
    "       paritydeck migrate apply ENV [--dry-run] [--to VERSION] [--confirm ENV]\n"
    "                                    [--allow-changed] [--allow-out-of-order] [--json]\n"
    "       paritydeck migrate baseline ENV --to VERSION [--confirm ENV] [--json]\n"
    "status exits 0 when the environment is up to date, 1 when migrations are pending or\n"
    "history has problems. apply runs each pending migration in its own transaction under an\n"
    "advisory lock; protected environments need --confirm with the environment's name, and\n"
    "read-only ones refuse. Ctrl-C stops between migrations.\n");

std::atomic_bool s_cancel{false};

extern "C" void onInterrupt(int)
{
    s_cancel.store(true);
}

struct MigrateArgs
{
    QString action;
    QString environment;
    bool json = false;
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
                return Error(ErrorCode::Usage, QStringLiteral("%1 needs a value").arg(QLatin1String(name)));
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
        } else if (arg == QLatin1String("--to")) {
            auto v = value("--to");
            if (!v)
                return v.error();
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
        return Error(ErrorCode::Usage, QStringLiteral("migrate: expected an action and an environment"));
    parsed.action = positional.at(0);
    parsed.environment = positional.at(1);
    if (parsed.action != QLatin1String("status") && parsed.action != QLatin1String("apply")
        && parsed.action != QLatin1String("baseline"))
        return Error(ErrorCode::Usage, QStringLiteral("migrate: unknown action '%1'").arg(parsed.action));
    if (parsed.action == QLatin1String("baseline") && parsed.options.targetVersion.isEmpty())
        return Error(ErrorCode::Usage, QStringLiteral("migrate baseline: --to VERSION is required"));
    return parsed;
}

void printPlan(const QString &environment, const MigrationPlan &plan)
{
    outLine(QStringLiteral("%1: %2 applied, %3 pending, head %4   (history: %5)")
                .arg(environment)
                .arg(plan.count(MigrationState::Applied))
                .arg(plan.pendingCount())
                .arg(plan.headVersion.isEmpty() ? QStringLiteral("none") : plan.headVersion,
                     plan.historyExists ? plan.historyTable : plan.historyTable + QStringLiteral(", not created yet")));
    QList<QStringList> rows;
    for (const PlannedMigration &m : plan.migrations) {
        QString state = migrationStateName(m.state);
        if (m.outOfOrder)
            state += QStringLiteral(" (out of order)");
        rows.append({m.version, m.name, state,
                     m.applied ? m.applied->appliedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString()});
    }
    if (!rows.isEmpty())
        out(formatTable({QStringLiteral("VERSION"), QStringLiteral("NAME"), QStringLiteral("STATE"), QStringLiteral("APPLIED")}, rows));
    for (const MigrationProblem &problem : plan.problems)
        outLine(QStringLiteral("%1 %2").arg(problem.blocking() ? QStringLiteral("problem:") : QStringLiteral("note:"), problem.message));
}

QJsonObject reportToJson(const QString &environment, const ApplyReport &report)
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
        s.insert(QStringLiteral("duration_ms"), double(step.durationMs));
        steps.append(s);
    }
    QJsonObject o;
    o.insert(QStringLiteral("environment"), environment);
    o.insert(QStringLiteral("dry_run"), report.dryRun);
    o.insert(QStringLiteral("cancelled"), report.cancelled);
    o.insert(QStringLiteral("steps"), steps);
    o.insert(QStringLiteral("plan_before"), migrationPlanToJson(report.plan));
    return o;
}

void printReport(const ApplyReport &report, bool baseline)
{
    if (report.steps.isEmpty()) {
        outLine(QStringLiteral("nothing to do: no pending migrations"));
        return;
    }
    for (const MigrationStep &step : report.steps) {
        const QString verb = report.dryRun ? QStringLiteral("would apply") : baseline ? QStringLiteral("recorded") : QStringLiteral("applied");
        outLine(QStringLiteral("%1 %2 (%3 statement%4%5)%6")
                    .arg(verb, step.file)
                    .arg(step.statements.size())
                    .arg(step.statements.size() == 1 ? QString() : QStringLiteral("s"),
                         step.transactional ? QString() : QStringLiteral(", no transaction"),
                         report.dryRun ? QString() : QStringLiteral(" in %1 ms").arg(step.durationMs)));
        if (report.dryRun) {
            for (const SqlStatement &statement : step.statements)
                outLine(QStringLiteral("    ") + statement.position() + QStringLiteral("  ") + statement.summary());
        }
        for (const QString &warning : step.destructive)
            outLine(QStringLiteral("    destructive: ") + warning);
    }
    if (report.cancelled)
        outLine(QStringLiteral("cancelled: the remaining migrations stay pending"));
}

} // namespace

int migrateCommand(const CommandContext &context)
{
    if (context.args.contains(QStringLiteral("--help")) || context.args.contains(QStringLiteral("-h"))) {
        out(MigrateUsage);
        return 0;
    }
    auto args = parseArgs(context.args);
    if (!args)
        return usageError(args.error().message, MigrateUsage);
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    auto env = findEnvironment(*workspace, args->environment);
    if (!env)
        return fail(env.error());
    auto set = MigrationSource::load(*workspace);
    if (!set)
        return fail(set.error());

    // Protection is decided before a password is read or a connection opened.
    ApplyOptions options = args->options;
    options.environment = (*env)->name;
    options.protection = (*env)->protection;

    // A refusal must not depend on the keyring or a command: decide it before either runs.
    const bool writes = args->action != QLatin1String("status") && !options.dryRun;
    if (writes && options.protection == Protection::ReadOnly) {
        const Error refused(ErrorCode::Protected, QStringLiteral("%1 is read-only: ParityDeck never writes to its database")
                                                      .arg(options.environment));
        recordAudit(options.environment, QStringLiteral("migrate-") + args->action, options.targetVersion, &refused, 0);
        return fail(refused);
    }
    if (writes && options.protection == Protection::Confirm && options.confirmation != options.environment) {
        const Error refused(ErrorCode::Protected,
                            QStringLiteral("%1 is protected: add --confirm %1 to %2 migrations on it")
                                .arg(options.environment, args->action));
        recordAudit(options.environment, QStringLiteral("migrate-") + args->action, options.targetVersion, &refused, 0);
        return fail(refused);
    }

    auto params = connectionFor(*workspace, **env);
    if (!params)
        return fail(params.error());

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
                errLine(QStringLiteral("[%1/%2] %3 …").arg(p.index + 1).arg(p.total).arg(p.file));
                break;
            case MigrationProgress::Phase::Finished:
                errLine(QStringLiteral("[%1/%2] %3 done in %4 ms").arg(p.index + 1).arg(p.total).arg(p.file).arg(p.durationMs));
                break;
            }
        };
    }
    s_cancel.store(false);
    options.cancel = &s_cancel;
    auto previous = std::signal(SIGINT, &onInterrupt);
    QElapsedTimer clock;
    clock.start();
    auto report = baseline ? MigrationRunner::baseline(*params, *set, options) : MigrationRunner::apply(*params, *set, options);
    std::signal(SIGINT, previous);
    const QString action = baseline ? QStringLiteral("migrate-baseline") : QStringLiteral("migrate-apply");
    if (!report) {
        if (!options.dryRun)
            recordAudit((*env)->name, action, options.targetVersion, &report.error(), clock.elapsed());
        return fail(report.error());
    }
    if (!report->dryRun && !report->steps.isEmpty()) {
        QStringList files;
        for (const MigrationStep &step : report->steps)
            files.append(step.file);
        const Error cancelled(ErrorCode::Cancelled, QStringLiteral("cancelled after %1").arg(files.join(QStringLiteral(", "))));
        recordAudit((*env)->name, action, report->steps.last().version, report->cancelled ? &cancelled : nullptr,
                    clock.elapsed(), files.join(QStringLiteral(", ")));
    }
    if (args->json)
        outJson(QJsonDocument(reportToJson((*env)->name, *report)));
    else
        printReport(*report, baseline);
    return report->cancelled ? 3 : 0;
}

} // namespace pd::cli
