// The comparison of a migrations folder with one database's history: what is applied,
// what is pending, and everything that should stop a careful person from applying —
// migrations edited after they ran, history rows without a file, failed or dirty runs,
// pending migrations older than the newest applied one. Plain values: the status view,
// `paritydeck migrate status`, the parity matrix and the runner all read the same plan.
#pragma once

#include "migrations/migrationhistory.h"
#include "migrations/migrationsource.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pd {

enum class MigrationState {
    Applied,         // in history, file unchanged
    Pending,         // on disk, not in history
    ChecksumChanged, // in history, but the file changed since it was applied
    Failed,          // in history as failed (or golang-migrate dirty at this version)
    Missing,         // in history, no file on disk (another branch? deleted?)
};
QString migrationStateName(MigrationState state); // "applied", "pending", … (stable, for JSON)

struct PlannedMigration
{
    QString version;
    QString name;
    MigrationState state = MigrationState::Pending;
    // Pending, but a later migration is already applied (Flyway calls this out of order).
    bool outOfOrder = false;
    std::optional<Migration> migration;      // the file; empty when Missing
    std::optional<AppliedMigration> applied; // the history row; empty when Pending or when
                                             // the tool keeps only the current version
    QString detail;                          // why the state is what it is, for people
};

struct MigrationProblem
{
    // Blocking problems stop an apply (unless the matching override is given).
    enum class Kind { ChecksumChanged, Failed, Dirty, OutOfOrder, Missing, Warning };
    Kind kind = Kind::Warning;
    QString version; // empty when it is about the whole history
    QString message; // a sentence with the remedy
    bool blocking() const { return kind != Kind::Missing && kind != Kind::Warning; }
};

struct MigrationPlan
{
    MigrationFormat format = MigrationFormat::ParityDeck;
    QString migrationsDir;
    // The history the plan is based on. When the database has none yet it is ParityDeck's,
    // with historyExists false (the runner creates it on the first apply).
    HistoryKind historyKind = HistoryKind::ParityDeck;
    QString historyTable = QStringLiteral("paritydeck.schema_migrations");
    bool historyExists = false;
    bool dirty = false; // golang-migrate

    QList<PlannedMigration> migrations; // files in apply order, then Missing ones
    QList<MigrationProblem> problems;
    // The newest migration applied successfully, empty if none; may have no file. A failed
    // one never is the head: it is listed as Failed, with its problem.
    QString headVersion;
    // Whether headVersion has a migration file here. False when the database is ahead of
    // this checkout (a migration applied from another branch).
    bool headInCheckout = true;
    // "0007" or "0007, not in this checkout" (or "none"), for people.
    QString headLabel() const;

    int count(MigrationState state) const;
    int pendingCount() const { return count(MigrationState::Pending); }
    QList<PlannedMigration> pending() const;
    // Nothing pending and nothing wrong; warnings (a stray file in the folder) do not count.
    bool isUpToDate() const;
    bool hasBlockingProblems() const;
    // Only ParityDeck's own history is written; other tools' tables are read-only.
    bool writable() const { return historyKind == HistoryKind::ParityDeck; }
};

// "checksum-changed", "failed", "dirty", "out-of-order", "missing", "warning" (stable, for JSON).
QString migrationProblemKindName(MigrationProblem::Kind kind);

// The plan for `--json` output and the UI: stable keys, ISO 8601 UTC times.
QJsonObject migrationPlanToJson(const MigrationPlan &plan);

class MigrationPlanner final
{
public:
    // `histories` as read by MigrationHistoryReader::readAll (ParityDeck's first).
    static MigrationPlan plan(const MigrationSet &set, const QList<MigrationHistory> &histories);
};

} // namespace pd
