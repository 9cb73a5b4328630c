// paritydeck promote ENV [--dry-run] [--confirm ENV] [--json]: applies to ENV exactly the
// migrations its upstream (promotes_from) has applied and ENV has not, when every gate
// passes (core/environment/promotion.h, docs/promotion.md).
#include "command.h"
#include "common/printable.h"
#include "environment/paritycheck.h"
#include "environment/promotion.h"
#include "output.h"
#include "stopsignals.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace pd::cli {

namespace {

const QString PromoteUsage = QStringLiteral(
    "Usage: paritydeck promote ENV [--dry-run] [--confirm ENV] [--json]\n"
    "Applies to ENV exactly the migrations its upstream (environments.ENV.promotes_from)\n"
    "has applied and ENV has not, through the migration runner (advisory lock, one\n"
    "transaction each, audit log), only when every gate passes: the upstream is at its head\n"
    "and has no drift; ENV has no drift and no failed, changed or missing history; parity\n"
    "rows marked gate: true match. A failing gate is named with its reason and nothing runs.\n"
    "--dry-run prints the gates and the plan and changes nothing. Protected environments\n"
    "need --confirm with the environment's name; read-only ones refuse.\n"
    "Exit codes: 0 promoted or nothing to do, 1 a gate failed, 2 usage, config or refused\n"
    "for want of --confirm, 3 runtime failure.\n");

struct PromoteArgs
{
    QString environment;
    QString confirmation;
    bool dryRun = false;
    bool json = false;
};

Result<PromoteArgs> parseArgs(const QStringList &args)
{
    PromoteArgs parsed;
    QStringList positional;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--json")) {
            parsed.json = true;
        } else if (arg == QLatin1String("--dry-run")) {
            parsed.dryRun = true;
        } else if (arg == QLatin1String("--confirm")) {
            if (i + 1 >= args.size())
                return Error(ErrorCode::Usage, QStringLiteral("--confirm needs a value"));
            parsed.confirmation = args.at(++i);
        } else if (arg.startsWith(QLatin1Char('-'))) {
            return Error(ErrorCode::Usage, QStringLiteral("promote: unknown option '%1'").arg(arg));
        } else {
            positional.append(arg);
        }
    }
    if (positional.size() != 1)
        return Error(ErrorCode::Usage, QStringLiteral("promote: expected one environment"));
    parsed.environment = positional.first();
    return parsed;
}

// The parity matrix of the two environments, as the panel's parity view makes it (so rows
// marked `gate: true` are the same rows it shows). Blocks this worker while the keyring
// answers on the main thread.
Result<QList<ParityRow>> parityRowsOf(const Workspace &workspace, const EnvironmentConfig &upstream,
                                      const EnvironmentConfig &target)
{
    Workspace pair = workspace;
    pair.environments = {upstream, target};
    auto *check = new ParityCheck(pair);
    check->moveToThread(QCoreApplication::instance()->thread());
    QFuture<ParityMatrix> matrix = check->run();
    matrix.waitForFinished();
    check->deleteLater();
    if (matrix.isCanceled() || matrix.resultCount() == 0)
        return Error(ErrorCode::Runtime, QStringLiteral("the parity check was abandoned"));
    return matrix.result().rows();
}

QJsonArray stepsToJson(const QList<MigrationStep> &steps)
{
    QJsonArray list;
    for (const MigrationStep &step : steps) {
        QJsonObject s;
        s.insert(QStringLiteral("version"), step.version);
        s.insert(QStringLiteral("name"), step.name);
        s.insert(QStringLiteral("file"), step.file);
        s.insert(QStringLiteral("destructive"), QJsonArray::fromStringList(step.destructive));
        s.insert(QStringLiteral("duration_ms"), double(step.durationMs));
        list.append(s);
    }
    return list;
}

void printGates(const PromotionPlan &plan)
{
    const auto head = [](const QString &version) {
        return version.isEmpty() ? QStringLiteral("none") : version;
    };
    outLine(QStringLiteral("promote %1 ← %2 (%1 at %3, %2 at %4)")
                .arg(plan.target, plan.upstream, head(plan.targetHead), head(plan.upstreamHead)));
    outLine(QStringLiteral("gates:"));
    for (const PromotionGate &gate : plan.gates)
        outLine(QStringLiteral("  %1 %2: %3")
                    .arg(gate.passed ? QStringLiteral("pass") : QStringLiteral("FAIL"),
                         promotionGateName(gate.kind), gate.reason));
}

void printPlan(const PromotionPlan &plan)
{
    if (plan.migrations.isEmpty()) {
        outLine(QStringLiteral("plan: nothing to promote (%1 has every migration %2 has)")
                    .arg(plan.target, plan.upstream));
        return;
    }
    outLine(QStringLiteral("plan: %1 migration%2 from %3")
                .arg(plan.migrations.size())
                .arg(plan.migrations.size() == 1 ? QString() : QStringLiteral("s"), plan.upstream));
    for (const PlannedMigration &m : plan.migrations)
        outLine(QStringLiteral("  %1 %2").arg(m.version, m.name));
}

} // namespace

int promoteCommand(const CommandContext &context)
{
    if (context.args.contains(QStringLiteral("--help")) ||
        context.args.contains(QStringLiteral("-h"))) {
        out(PromoteUsage);
        return 0;
    }
    auto args = parseArgs(context.args);
    if (!args)
        return usageError(args.error().message, PromoteUsage);
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    auto env = findEnvironment(*workspace, args->environment);
    if (!env)
        return fail(env.error());
    auto upstream = upstreamOf(*workspace, **env);
    if (!upstream)
        return fail(Error(ErrorCode::Config, upstream.error().message));
    auto set = MigrationSource::load(*workspace);
    if (!set)
        return fail(set.error());
    PromotionOptions options;
    options.confirmation = args->confirmation;
    options.dryRun = args->dryRun;
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
    const Workspace &ws = *workspace;
    const ConnectionLookup lookup = [ws](const EnvironmentConfig &e) {
        return connectionFor(ws, e, ConnectionPurpose::Migration);
    };
    // Protection is decided in promote() before a password is read or a connection opened;
    // the parity rows are collected only once it allowed going on.
    const EnvironmentConfig &target = **env;
    const EnvironmentConfig &source = **upstream;
    StopSignals stopSignals;
    options.cancel = StopSignals::cancelFlag();
    auto report = promote(
        ws, target, *set, lookup,
        [&] {
            if (!args->json)
                errLine(QStringLiteral("checking the gates of %1 ← %2 (history, drift, parity) …")
                            .arg(target.name, source.name));
            return parityRowsOf(ws, source, target);
        },
        options);
    if (!report) {
        Error error = report.error();
        if (const int signal = StopSignals::received();
            signal != 0 && error.code == ErrorCode::Cancelled)
            error.message += QStringLiteral(" (ParityDeck received %1)").arg(signalName(signal));
        const int status = fail(error);
        stopSignals.endAsSignalled();
        return status;
    }

    const int status = report->refused ? 1 : report->cancelled ? 3 : 0;
    if (args->json) {
        QJsonObject o = promotionPlanToJson(report->plan);
        o.insert(QStringLiteral("environment"), (*env)->name);
        o.insert(QStringLiteral("dry_run"), report->dryRun);
        o.insert(QStringLiteral("refused"), report->refused);
        o.insert(QStringLiteral("cancelled"), report->cancelled);
        o.insert(QStringLiteral("applied"),
                 report->dryRun ? QJsonArray() : stepsToJson(report->steps));
        outJson(QJsonDocument(o));
        if (report->cancelled)
            stopSignals.endAsSignalled();
        return status;
    }
    printGates(report->plan);
    printPlan(report->plan);
    if (report->refused) {
        errLine(QStringLiteral("paritydeck: %1 was not promoted, nothing ran: %2")
                    .arg((*env)->name, report->plan.failingGatesText()));
        return status;
    }
    if (report->dryRun) {
        outLine(QStringLiteral("dry run: nothing was applied"));
        return status;
    }
    for (const MigrationStep &step : report->steps) {
        outLine(QStringLiteral("applied %1 in %2 ms").arg(oneLine(step.file)).arg(step.durationMs));
        for (const QString &warning : step.destructive)
            outLine(QStringLiteral("    destructive: ") + oneLine(warning));
    }
    if (report->cancelled) {
        outLine(QStringLiteral("cancelled: the remaining migrations stay pending"));
        stopSignals.endAsSignalled();
    } else if (!report->plan.migrations.isEmpty())
        outLine(QStringLiteral("%1 promoted to %2").arg((*env)->name, report->plan.upstreamHead));
    return status;
}

} // namespace pd::cli
