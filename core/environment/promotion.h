// Promotion: bringing to an environment exactly the migrations its upstream
// (`promotes_from:` in paritydeck.yaml, staging ← dev, prod ← staging) has applied and it
// has not — only when every gate passes (docs/promotion.md):
//
//   upstream-at-head    the upstream's history is clean (nothing failed, changed or missing)
//                       and every migration up to its head is applied and in this checkout
//   upstream-drift      the upstream's live schema is what its migrations build (computeDrift)
//   target-drift        the same for the target
//   target-history      the target's history has nothing failed, changed, missing or out of
//                       order, and nothing the upstream has not applied
//   parity              every parity row marked `gate: true` matches between the two
//
// A failing gate is named with its reason and nothing runs. What passes runs through the
// migration runner (protection, advisory lock, one transaction per migration) with the
// upstream's head as its target version, so the runner re-reads the plan under the lock
// and applies nothing beyond it; the audit log gets a "promote" entry before and after.
//
// planPromotion() is a pure function of the facts; gatherPromotionFacts() and promote()
// block (worker threads only).
#pragma once

#include "common/result.h"
#include "environment/driftcheck.h"
#include "environment/schemasides.h"
#include "migrations/migrationplan.h"
#include "migrations/migrationrunner.h"
#include "parity/paritymatrix.h"
#include "workspace/workspace.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace pd {

enum class PromotionGateKind { UpstreamAtHead, UpstreamDrift, TargetDrift, TargetHistory, Parity };
// "upstream-at-head", "upstream-drift", "target-drift", "target-history", "parity" (JSON).
QString promotionGateName(PromotionGateKind kind);

struct PromotionGate
{
    PromotionGateKind kind = PromotionGateKind::UpstreamAtHead;
    bool passed = false;
    QString title;  // "dev is at its head 0004", for people
    QString reason; // why it failed, or what was found when it passed
};

// What the gates are decided on. Each part is an error when it could not be read, and an
// error fails its gate (a gate is never passed for want of facts).
struct PromotionFacts
{
    Result<MigrationPlan> upstreamPlan;
    Result<MigrationPlan> targetPlan;
    Result<DriftReport> upstreamDrift;
    Result<DriftReport> targetDrift;
    // The parity matrix of the two environments (rows whose `gate` is true are gates).
    Result<QList<ParityRow>> parityRows;
};

struct PromotionPlan
{
    QString upstream;
    QString target;
    QString upstreamHead; // "" when the upstream has nothing applied (or is unreadable)
    QString targetHead;
    // The migrations the upstream has applied and the target has not, in apply order.
    QList<PlannedMigration> migrations;
    QList<PromotionGate> gates;

    bool gatesPass() const;
    QList<PromotionGate> failingGates() const;
    // "target-drift: prod has drifted …; parity: …", for refusals and the audit log.
    QString failingGatesText() const;
    QStringList versions() const;
};

QJsonObject promotionPlanToJson(const PromotionPlan &plan);

// The environment `target` is promoted from, or a Config error when it has no
// promotes_from (naming the setting) and NotFound when the upstream is not in `workspace`.
Result<const EnvironmentConfig *> upstreamOf(const Workspace &workspace,
                                             const EnvironmentConfig &target);

// The promotion chains of the workspace, each from an environment without promotes_from to
// one nothing is promoted from ({dev, staging, prod}); an upstream promoted to by two
// environments starts two chains. Environments in no chain are left out. Workspace order.
QList<QStringList> promotionChains(const Workspace &workspace);

// Pure: the gates and the migrations, from what was read.
PromotionPlan planPromotion(const EnvironmentConfig &upstream, const EnvironmentConfig &target,
                            const MigrationSet &set, const PromotionFacts &facts);

// Blocking: both migration plans and both drift checks (computeDrift, the drift watch's
// comparison), read in parallel. The parity rows are the caller's: `parityRows` as
// collected for the two environments (or why they could not be).
PromotionFacts gatherPromotionFacts(const Workspace &workspace, const EnvironmentConfig &upstream,
                                    const EnvironmentConfig &target, const MigrationSet &set,
                                    const ConnectionLookup &lookup,
                                    Result<QList<ParityRow>> parityRows,
                                    const std::atomic_bool *cancel = nullptr);

struct PromotionOptions
{
    QString confirmation; // the typed name, for a `protection: confirm` target
    ConfirmationSource confirmationSource = ConfirmationSource::CommandLine;
    bool dryRun = false;
    QString auditLogPath;                                    // empty: AuditLog::defaultPath()
    std::function<void(const MigrationProgress &)> progress; // worker thread
    const std::atomic_bool *cancel = nullptr;
};

struct PromotionReport
{
    PromotionPlan plan;
    bool dryRun = false;
    bool refused = false;       // a gate failed: nothing ran
    bool cancelled = false;     // stopped between migrations
    QList<MigrationStep> steps; // applied (or, in a dry run, would be)
};

// The parity rows of the two environments, asked for only once protection allows going on.
using ParityRowsSource = std::function<Result<QList<ParityRow>>()>;

// Blocking. Protection is checked before anything is read (ErrorCode::Protected, audited
// as refused); then the facts are gathered and the gates decided; a failing gate is a
// report with `refused` set (audited as refused, nothing runs). Otherwise the runner
// applies up to the upstream's head. A dry run checks no protection and changes nothing.
Result<PromotionReport> promote(const Workspace &workspace, const EnvironmentConfig &target,
                                const MigrationSet &set, const ConnectionLookup &lookup,
                                const ParityRowsSource &parityRows,
                                const PromotionOptions &options);

} // namespace pd
