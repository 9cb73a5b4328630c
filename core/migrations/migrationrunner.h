// migrations/: everything about schema migrations — one file's SQL split and classified
// (sqlscript.h), migration folders in the common formats (migrationsource.h), the tracking
// tables of ParityDeck and other tools (migrationhistory.h), the comparison of the two
// (migrationplan.h), applying safely (this file) and the expected schema
// (shadowdatabase.h). See docs/migrations.md.
//
// MigrationRunner applies pending migrations to one database. Blocking: run it on a worker
// thread.
//
// The guarantees, in the order they are checked:
//   1. Protection first: a read-only environment refuses, a confirm environment refuses
//      without the typed name — before any connection is opened, so nothing runs.
//   2. One applier per database: a session-level pg_advisory_lock on a fixed key; the
//      history is read (and the plan made) only after the lock is held, so a second
//      applier that waited sees the first one's work and applies nothing twice.
//   3. Nothing runs while the plan has a problem: changed checksums (unless allowChanged),
//      failed or dirty history, out-of-order pending migrations (unless allowOutOfOrder),
//      another tool's history (read-only to ParityDeck).
//   4. Every migration to run is parsed before the first one runs: a syntax error is
//      FILE:LINE:COL and nothing has been applied.
//   5. Each migration runs in its own transaction with its history row written in the
//      same transaction: it is applied and recorded, or neither. A migration that cannot
//      run in a transaction runs statement by statement and is recorded afterwards (as
//      failed if a statement fails, so the next apply stops until someone looks).
//   6. Each migration starts from the same session state, as if it were the first of the
//      run (Connection::resetSession() between migrations): settings a migration made with
//      SET, SET ROLE, its temporary tables and the like end with it.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "migrations/migrationplan.h"
#include "migrations/sqlscript.h"
#include "workspace/protection.h"
#include "workspace/workspace.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>

namespace pd {

class Connection;

class Connection;

struct MigrationProgress
{
    enum class Phase { WaitingForLock, Started, Finished };
    Phase phase = Phase::Started;
    int index = 0; // 0-based among the migrations of this run
    int total = 0;
    QString version;
    QString name;
    QString file;          // as used in messages: "migrations/0003_add_status.sql"
    qint64 durationMs = 0; // Finished only
    QString message;       // WaitingForLock: who holds the lock
};

struct ApplyOptions
{
    QString environment; // for protection and messages
    Protection protection = Protection::None;
    QString confirmation; // must equal `environment` under Protection::Confirm
    ConfirmationSource confirmationSource = ConfirmationSource::CommandLine; // for the advice
    bool dryRun = false;                     // plan, parse, report — execute nothing
    QString targetVersion;                   // apply up to and including it; empty: everything
    bool allowChanged = false;               // apply although applied files changed
    bool allowOutOfOrder = false;            // apply pending migrations older than the head
    int statementTimeoutMs = 30 * 60 * 1000; // per statement of a migration
    int lockTimeoutMs = 120 * 1000;          // waiting for another applier
    // lock_timeout for the migrations' own statements; 0 keeps the server's setting. An
    // ALTER TABLE queued behind a long query blocks every later query on that table, so on
    // a busy database failing fast (and retrying later) is kinder than waiting.
    int tableLockTimeoutMs = 0;
    std::function<void(const MigrationProgress &)> progress; // called on the worker thread
    const std::atomic_bool *cancel = nullptr;                // checked between migrations
    // Called on the runner's connection around each migration's statements: `opening`
    // before the first (right after BEGIN for one in a transaction: it may still set the
    // transaction's isolation), `closing` after the last (before COMMIT). An error from
    // either fails the migration with it as the reason — rolled back when it runs in a
    // transaction. `inTransaction` says which kind of migration it is. A shadow build
    // compares the server's shared state with them (shadowdatabase.h).
    using MigrationHook = std::function<Result<void>(Connection &, bool inTransaction)>;
    MigrationHook opening;
    MigrationHook closing;
};

struct MigrationStep
{
    QString version;
    QString name;
    QString file;
    bool transactional = true;
    QList<SqlStatement> statements; // what runs (or would run), in order
    QStringList destructive;        // "FILE:LINE:COL: drops a table", for review
    QStringList warnings;           // "FILE:LINE:COL: …": near-miss directives (SqlScript)
    qint64 durationMs = 0;          // 0 in a dry run
};

struct ApplyReport
{
    bool dryRun = false;
    bool cancelled = false;     // stopped between migrations; the rest stays pending
    bool planRead = false;      // `plan` was read (a failure may come before)
    MigrationPlan plan;         // as found before applying (under the lock)
    QList<MigrationStep> steps; // applied, or in a dry run: would be applied
};

class MigrationRunner final
{
public:
    // The database's migration status: histories read, compared with `set`. Read-only.
    static Result<MigrationPlan> status(const ConnectionParams &params, const MigrationSet &set);
    static Result<MigrationPlan> status(Connection &connection, const MigrationSet &set);

    // `partial` (optional) receives as much of the report as the run got to, also when it
    // fails: the plan once it was read, and the migrations applied before the failure.
    static Result<ApplyReport> apply(const ConnectionParams &params, const MigrationSet &set,
                                     const ApplyOptions &options, ApplyReport *partial = nullptr);
    // Records pending migrations (up to options.targetVersion) as applied without running
    // them, for a database whose schema already has them (like `alembic stamp` or Flyway's
    // baseline). Same protection, lock and plan checks as apply(); a dry run lists what
    // would be recorded.
    static Result<ApplyReport> baseline(const ConnectionParams &params, const MigrationSet &set,
                                        const ApplyOptions &options,
                                        ApplyReport *partial = nullptr);

    // The pg_advisory_lock key every ParityDeck applier uses: the first 8 bytes of
    // SHA-256("paritydeck"), so it is the same in every version and on every machine.
    static qint64 advisoryLockKey();
    // After pg_try_advisory_lock found the lock taken: tries again every 200 ms until it is
    // taken (ok), `timeoutMs` has passed (ErrorCode::Timeout) or `cancel` is set
    // (ErrorCode::Cancelled); `timeoutMs` <= 0 waits until cancelled. Polling instead of a
    // blocking pg_advisory_lock lets Cancel work while another applier holds the lock.
    static Result<void> waitForLock(Connection &connection, const QString &keyText, int timeoutMs,
                                    const std::atomic_bool *cancel);
    // "migrations/0003_add_status.sql": the migrations folder's name and the file in it,
    // which reads as a path from the workspace root in the usual layout.
    static QString displayPath(const MigrationSet &set, const Migration &migration);

private:
    enum class Mode { Apply, Baseline };
    static Result<ApplyReport> run(const ConnectionParams &params, const MigrationSet &set,
                                   const ApplyOptions &options, Mode mode, ApplyReport &report);
};

} // namespace pd
