#include "environment/promotion.h"

#include "audit/auditlog.h"
#include "audit/sharedhistory.h"
#include "environment/historyrecorder.h"
#include "workspace/protection.h"

#include <QDebug>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>

namespace pd {

namespace {

const QString kAction = QStringLiteral("promote");

PromotionGate gate(PromotionGateKind kind, QString title)
{
    PromotionGate g;
    g.kind = kind;
    g.title = std::move(title);
    return g;
}

bool isApplied(MigrationState state)
{
    return state == MigrationState::Applied || state == MigrationState::ChecksumChanged ||
           state == MigrationState::Failed || state == MigrationState::Missing;
}

QString headText(const QString &head)
{
    return head.isEmpty() ? QStringLiteral("none") : head;
}

// failed, changed and missing history, as "0003 failed; 0002 changed since it was applied".
QStringList historyTrouble(const MigrationPlan &plan)
{
    QStringList trouble;
    for (const PlannedMigration &m : plan.migrations) {
        switch (m.state) {
        case MigrationState::Failed:
            trouble.append(m.version + QStringLiteral(" failed"));
            break;
        case MigrationState::ChecksumChanged:
            trouble.append(m.version + QStringLiteral(" changed since it was applied"));
            break;
        case MigrationState::Missing:
            trouble.append(m.version +
                           QStringLiteral(" is applied but has no file in this checkout"));
            break;
        case MigrationState::Applied:
        case MigrationState::Pending:
            break;
        }
    }
    if (plan.dirty)
        trouble.append(QStringLiteral("the history is marked dirty"));
    return trouble;
}

PromotionGate upstreamAtHead(const EnvironmentConfig &upstream, const Result<MigrationPlan> &plan)
{
    PromotionGate g = gate(PromotionGateKind::UpstreamAtHead,
                           QStringLiteral("%1 is at its head").arg(upstream.name));
    if (!plan) {
        g.reason = QStringLiteral("the migration history of %1 could not be read: %2")
                       .arg(upstream.name, plan.error().message);
        return g;
    }
    g.title =
        QStringLiteral("%1 is at its head %2").arg(upstream.name, headText(plan->headVersion));
    QStringList trouble = historyTrouble(*plan);
    QStringList gaps;
    for (const PlannedMigration &m : plan->migrations) {
        if (m.state == MigrationState::Pending && m.outOfOrder)
            gaps.append(m.version);
    }
    if (!gaps.isEmpty())
        trouble.append(QStringLiteral("%1 older than its head %2 not applied")
                           .arg(gaps.join(QStringLiteral(", ")), plan->headVersion));
    if (!plan->headInCheckout)
        trouble.append(
            QStringLiteral("its head %1 is not in this checkout").arg(plan->headVersion));
    if (!trouble.isEmpty()) {
        g.reason = upstream.name + QStringLiteral(": ") + trouble.join(QStringLiteral("; "));
        return g;
    }
    g.passed = true;
    g.reason = plan->headVersion.isEmpty()
                   ? QStringLiteral("%1 has no migration applied").arg(upstream.name)
                   : QStringLiteral("every migration up to %1 is applied on %2")
                         .arg(plan->headVersion, upstream.name);
    return g;
}

PromotionGate driftFree(PromotionGateKind kind, const EnvironmentConfig &env,
                        const Result<DriftReport> &drift)
{
    PromotionGate g = gate(kind, QStringLiteral("%1 has no drift").arg(env.name));
    if (!drift) {
        g.reason = QStringLiteral("the drift of %1 could not be checked: %2")
                       .arg(env.name, drift.error().message);
        return g;
    }
    if (drift->noMigrations) {
        g.reason = QStringLiteral("there is no migrations folder to compare %1 with").arg(env.name);
        return g;
    }
    if (!drift->inSync()) {
        g.reason = QStringLiteral("%1 has drifted from what its migrations (head %2) build: %3")
                       .arg(env.name, headText(drift->head), drift->summary);
        return g;
    }
    g.passed = true;
    g.reason = QStringLiteral("%1's live schema is what its migrations up to %2 build")
                   .arg(env.name, headText(drift->head));
    return g;
}

PromotionGate targetHistory(const EnvironmentConfig &upstream, const EnvironmentConfig &target,
                            const Result<MigrationPlan> &targetPlan,
                            const Result<MigrationPlan> &upstreamPlan)
{
    PromotionGate g = gate(PromotionGateKind::TargetHistory,
                           QStringLiteral("%1's history is clean").arg(target.name));
    if (!targetPlan) {
        g.reason = QStringLiteral("the migration history of %1 could not be read: %2")
                       .arg(target.name, targetPlan.error().message);
        return g;
    }
    QStringList trouble = historyTrouble(*targetPlan);
    if (upstreamPlan) {
        QSet<QString> upstreamApplied;
        for (const PlannedMigration &m : upstreamPlan->migrations) {
            if (isApplied(m.state))
                upstreamApplied.insert(m.version);
        }
        QStringList ahead;
        for (const PlannedMigration &m : targetPlan->migrations) {
            if (isApplied(m.state) && !upstreamApplied.contains(m.version))
                ahead.append(m.version);
        }
        if (!ahead.isEmpty())
            trouble.append(QStringLiteral("%1 applied here but not on %2")
                               .arg(ahead.join(QStringLiteral(", ")), upstream.name));
    }
    if (!targetPlan->writable())
        trouble.append(
            QStringLiteral("its migrations are tracked in %1, which ParityDeck does not write")
                .arg(targetPlan->historyTable));
    if (!trouble.isEmpty()) {
        g.reason = target.name + QStringLiteral(": ") + trouble.join(QStringLiteral("; "));
        return g;
    }
    g.passed = true;
    g.reason = QStringLiteral("nothing failed, changed or missing on %1").arg(target.name);
    return g;
}

PromotionGate parityGate(const EnvironmentConfig &upstream, const EnvironmentConfig &target,
                         const Result<QList<ParityRow>> &rows)
{
    PromotionGate g =
        gate(PromotionGateKind::Parity, QStringLiteral("gated parity rows match between %1 and %2")
                                            .arg(upstream.name, target.name));
    if (!rows) {
        g.reason =
            QStringLiteral("the parity matrix could not be made: %1").arg(rows.error().message);
        return g;
    }
    QStringList differing;
    int gated = 0;
    for (const ParityRow &row : *rows) {
        if (!row.gate)
            continue;
        ++gated;
        const ParityCell up = row.cells.value(upstream.name);
        const ParityCell down = row.cells.value(target.name);
        const bool present =
            up.state != ParityCellState::Missing && up.state != ParityCellState::Unknown &&
            down.state != ParityCellState::Missing && down.state != ParityCellState::Unknown;
        if (!present || !row.matches)
            differing.append(
                QStringLiteral("%1 (%2: %3, %4: %5)")
                    .arg(row.label(), upstream.name,
                         up.text.isEmpty() ? parityCellStateName(up.state) : up.text, target.name,
                         down.text.isEmpty() ? parityCellStateName(down.state) : down.text));
    }
    if (!differing.isEmpty()) {
        g.reason = QStringLiteral("%1 of %2 gated parity rows differ: %3")
                       .arg(differing.size())
                       .arg(gated)
                       .arg(differing.join(QStringLiteral("; ")));
        return g;
    }
    g.passed = true;
    g.reason = gated == 0 ? QStringLiteral("no parity row is marked gate: true")
                          : QStringLiteral("all %1 gated parity rows match").arg(gated);
    return g;
}

} // namespace

QString promotionGateName(PromotionGateKind kind)
{
    switch (kind) {
    case PromotionGateKind::UpstreamAtHead:
        return QStringLiteral("upstream-at-head");
    case PromotionGateKind::UpstreamDrift:
        return QStringLiteral("upstream-drift");
    case PromotionGateKind::TargetDrift:
        return QStringLiteral("target-drift");
    case PromotionGateKind::TargetHistory:
        return QStringLiteral("target-history");
    case PromotionGateKind::Parity:
        return QStringLiteral("parity");
    }
    return {};
}

bool PromotionPlan::gatesPass() const
{
    return !gates.isEmpty() && std::all_of(gates.cbegin(), gates.cend(),
                                           [](const PromotionGate &g) { return g.passed; });
}

QList<PromotionGate> PromotionPlan::failingGates() const
{
    QList<PromotionGate> failing;
    for (const PromotionGate &g : gates) {
        if (!g.passed)
            failing.append(g);
    }
    return failing;
}

QString PromotionPlan::failingGatesText() const
{
    QStringList parts;
    for (const PromotionGate &g : failingGates())
        parts.append(promotionGateName(g.kind) + QStringLiteral(": ") + g.reason);
    return parts.join(QStringLiteral("; "));
}

QStringList PromotionPlan::versions() const
{
    QStringList list;
    for (const PlannedMigration &m : migrations)
        list.append(m.version);
    return list;
}

QJsonObject promotionPlanToJson(const PromotionPlan &plan)
{
    QJsonArray gates;
    for (const PromotionGate &g : plan.gates) {
        QJsonObject o;
        o.insert(QStringLiteral("gate"), promotionGateName(g.kind));
        o.insert(QStringLiteral("passed"), g.passed);
        o.insert(QStringLiteral("title"), g.title);
        o.insert(QStringLiteral("reason"), g.reason);
        gates.append(o);
    }
    QJsonArray migrations;
    for (const PlannedMigration &m : plan.migrations) {
        QJsonObject o;
        o.insert(QStringLiteral("version"), m.version);
        o.insert(QStringLiteral("name"), m.name);
        migrations.append(o);
    }
    QJsonObject o;
    o.insert(QStringLiteral("upstream"), plan.upstream);
    o.insert(QStringLiteral("target"), plan.target);
    o.insert(QStringLiteral("upstream_head"),
             plan.upstreamHead.isEmpty() ? QJsonValue() : QJsonValue(plan.upstreamHead));
    o.insert(QStringLiteral("target_head"),
             plan.targetHead.isEmpty() ? QJsonValue() : QJsonValue(plan.targetHead));
    o.insert(QStringLiteral("gates_passed"), plan.gatesPass());
    o.insert(QStringLiteral("gates"), gates);
    o.insert(QStringLiteral("migrations"), migrations);
    return o;
}

QList<QStringList> promotionChains(const Workspace &workspace)
{
    QList<QStringList> chains;
    // Depth-first from each root; the loader has ruled out cycles, `seen` guards anyway.
    const std::function<void(QStringList)> extend = [&](QStringList chain) {
        bool extended = false;
        for (const EnvironmentConfig &env : workspace.environments) {
            if (env.promotesFrom == chain.last() && !chain.contains(env.name)) {
                extended = true;
                extend(chain + QStringList{env.name});
            }
        }
        if (!extended && chain.size() > 1)
            chains.append(chain);
    };
    for (const EnvironmentConfig &env : workspace.environments) {
        if (env.promotesFrom.isEmpty())
            extend({env.name});
    }
    return chains;
}

Result<const EnvironmentConfig *> upstreamOf(const Workspace &workspace,
                                             const EnvironmentConfig &target)
{
    if (target.promotesFrom.isEmpty())
        return Error(ErrorCode::Config, ErrorKind::NotPromotedFromAnother,
                     {ErrorArg::text(QStringLiteral("environment"), target.name),
                      ErrorArg::text(QStringLiteral("file"), workspace.filePath)});
    if (const EnvironmentConfig *upstream = workspace.environment(target.promotesFrom))
        return upstream;
    return Error(ErrorCode::NotFound, ErrorKind::UpstreamNotAnEnvironment,
                 {ErrorArg::text(QStringLiteral("environment"), target.name),
                  ErrorArg::text(QStringLiteral("upstream"), target.promotesFrom),
                  ErrorArg::text(QStringLiteral("file"), workspace.filePath)});
}

PromotionPlan planPromotion(const EnvironmentConfig &upstream, const EnvironmentConfig &target,
                            const MigrationSet &set, const PromotionFacts &facts)
{
    PromotionPlan plan;
    plan.upstream = upstream.name;
    plan.target = target.name;
    if (facts.upstreamPlan)
        plan.upstreamHead = facts.upstreamPlan->headVersion;
    if (facts.targetPlan)
        plan.targetHead = facts.targetPlan->headVersion;
    plan.gates = {upstreamAtHead(upstream, facts.upstreamPlan),
                  driftFree(PromotionGateKind::UpstreamDrift, upstream, facts.upstreamDrift),
                  driftFree(PromotionGateKind::TargetDrift, target, facts.targetDrift),
                  targetHistory(upstream, target, facts.targetPlan, facts.upstreamPlan),
                  parityGate(upstream, target, facts.parityRows)};
    if (facts.upstreamPlan && facts.targetPlan) {
        QSet<QString> upstreamApplied;
        for (const PlannedMigration &m : facts.upstreamPlan->migrations) {
            if (isApplied(m.state))
                upstreamApplied.insert(m.version);
        }
        for (const PlannedMigration &m : facts.targetPlan->migrations) {
            if (m.state == MigrationState::Pending && upstreamApplied.contains(m.version))
                plan.migrations.append(m);
        }
        // Apply order is the folder's (the target plan lists files in it).
        std::sort(plan.migrations.begin(), plan.migrations.end(),
                  [&set](const PlannedMigration &a, const PlannedMigration &b) {
                      return set.indexOf(a.version) < set.indexOf(b.version);
                  });
    }
    return plan;
}

PromotionFacts gatherPromotionFacts(const Workspace &workspace, const EnvironmentConfig &upstream,
                                    const EnvironmentConfig &target, const MigrationSet &set,
                                    const ConnectionLookup &lookup,
                                    Result<QList<ParityRow>> parityRows,
                                    const std::atomic_bool *cancel)
{
    const auto readPlan = [&set, &lookup](const EnvironmentConfig &env) -> Result<MigrationPlan> {
        auto params = lookup(env);
        if (!params)
            return params.error();
        return MigrationRunner::status(*params, set);
    };
    // Four reads on servers that may be slow: all at once, on a pool of their own.
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    QFuture<Result<MigrationPlan>> upPlan = QtConcurrent::run(&pool, readPlan, upstream);
    QFuture<Result<MigrationPlan>> downPlan = QtConcurrent::run(&pool, readPlan, target);
    QFuture<Result<DriftReport>> upDrift =
        QtConcurrent::run(&pool, [&] { return computeDrift(workspace, upstream, lookup, cancel); });
    QFuture<Result<DriftReport>> downDrift =
        QtConcurrent::run(&pool, [&] { return computeDrift(workspace, target, lookup, cancel); });
    PromotionFacts facts;
    facts.upstreamPlan = upPlan.result();
    facts.targetPlan = downPlan.result();
    facts.upstreamDrift = upDrift.result();
    facts.targetDrift = downDrift.result();
    facts.parityRows = std::move(parityRows);
    return facts;
}

Result<PromotionReport> promote(const Workspace &workspace, const EnvironmentConfig &target,
                                const MigrationSet &set, const ConnectionLookup &lookup,
                                const ParityRowsSource &parityRows, const PromotionOptions &options)
{
    const AuditLog audit(options.auditLogPath);
    const auto record = [&](const QString &auditTarget, const Error *error, qint64 ms,
                            const QString &detail, const QString &operation = {}) {
        AuditEntry entry = auditEntryFor(target.name, kAction, auditTarget, error, ms, detail);
        entry.operation = operation;
        (void)audit.append(entry);
    };
    auto upstream = upstreamOf(workspace, target);
    if (!upstream)
        return upstream.error();

    // Protection before anything is read: a refusal depends on no server and no keyring.
    if (!options.dryRun) {
        if (auto allowed = checkProtection(target, ProtectedChange::ApplyMigrations,
                                           options.confirmation, options.confirmationSource);
            !allowed) {
            const Error refused(ErrorCode::Protected,
                                allowed.error().message + QStringLiteral("; nothing was promoted"));
            record(QString(), &refused, 0, QStringLiteral("from %1").arg((*upstream)->name));
            return refused;
        }
    }

    PromotionReport report;
    report.dryRun = options.dryRun;
    const PromotionFacts facts = gatherPromotionFacts(workspace, **upstream, target, set, lookup,
                                                      parityRows(), options.cancel);
    report.plan = planPromotion(**upstream, target, set, facts);
    // Cancelled while the gates were checked: a gate that failed for it says nothing.
    if (options.cancel && options.cancel->load()) {
        const Error cancelled(
            ErrorCode::Cancelled,
            QStringLiteral("%1: cancelled while checking the gates; nothing was applied")
                .arg(target.name));
        if (!options.dryRun)
            record(report.plan.upstreamHead, &cancelled, 0, QString());
        return cancelled;
    }
    if (!report.plan.gatesPass()) {
        report.refused = true;
        if (!options.dryRun) {
            const Error refused(ErrorCode::Protected,
                                QStringLiteral("promotion from %1 refused, nothing was applied: %2")
                                    .arg((*upstream)->name, report.plan.failingGatesText()));
            record(report.plan.upstreamHead, &refused, 0, QString());
        }
        return report;
    }
    if (report.plan.migrations.isEmpty()) {
        if (!options.dryRun)
            record(report.plan.upstreamHead, nullptr, 0,
                   QStringLiteral("from %1: nothing to promote, %2 is at %3")
                       .arg((*upstream)->name, target.name, headText(report.plan.targetHead)));
        return report;
    }
    auto params = lookup(target);
    if (!params)
        return params.error();

    ApplyOptions apply;
    apply.environment = target.name;
    apply.protection = target.protection;
    apply.confirmation = options.confirmation;
    apply.confirmationSource = options.confirmationSource;
    apply.dryRun = options.dryRun;
    // Up to the upstream's head and no further: the runner re-reads the plan under its lock.
    apply.targetVersion = report.plan.upstreamHead;
    apply.progress = options.progress;
    apply.cancel = options.cancel;

    const QString versions = report.plan.versions().join(QStringLiteral(", "));
    const QString detail = QStringLiteral("from %1: %2").arg((*upstream)->name, versions);
    QElapsedTimer clock;
    clock.start();
    const QString operation =
        options.dryRun ? QString()
                       : audit.begin(target.name, kAction, report.plan.upstreamHead, detail);
    auto applied = MigrationRunner::apply(*params, set, apply);
    if (!options.dryRun) {
        // history: database — the team sees each migration and the promotion itself.
        QStringList warnings{
            recordMigrationHistory(target, *params, applied, false, report.plan.upstreamHead)};
        const QString what =
            QStringLiteral("%1 → %2: %3").arg((*upstream)->name, target.name, versions);
        const QString result = !applied ? QStringLiteral("failed: ") + applied.error().message
                               : applied->cancelled ? QStringLiteral("cancelled")
                                                    : QStringLiteral("promoted");
        if (target.history == HistoryStore::Database) {
            if (auto written =
                    recordSharedHistory(target, *params, QStringLiteral("promotion"), what, result);
                !written)
                warnings.append(written.error().message);
        }
        for (const QString &warning : std::as_const(warnings)) {
            if (!warning.isEmpty())
                qWarning().noquote() << warning;
        }
    }
    if (!applied) {
        if (!options.dryRun)
            record(report.plan.upstreamHead, &applied.error(), clock.elapsed(), detail, operation);
        return applied.error();
    }
    report.steps = applied->steps;
    report.cancelled = applied->cancelled;
    if (!options.dryRun) {
        QStringList done;
        for (const MigrationStep &step : report.steps)
            done.append(step.version);
        const Error cancelled(
            ErrorCode::Cancelled,
            QStringLiteral("cancelled after %1").arg(done.join(QStringLiteral(", "))));
        record(done.isEmpty() ? report.plan.targetHead : done.last(),
               report.cancelled ? &cancelled : nullptr, clock.elapsed(),
               QStringLiteral("from %1: %2")
                   .arg((*upstream)->name, done.isEmpty() ? QStringLiteral("nothing applied")
                                                          : done.join(QStringLiteral(", "))),
               operation);
    }
    return report;
}

} // namespace pd
