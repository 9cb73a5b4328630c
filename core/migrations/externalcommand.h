// Applying migrations with the tool a workspace already uses: `migrations.command` in
// paritydeck.yaml (`alembic upgrade head`, `npx prisma migrate deploy`, `sqitch deploy`, …)
// run as a shell command in the workspace folder. ParityDeck adds what its own runner
// gives: protection, one applier at a time, a time limit, the output kept and masked, and
// the history read before and after so the caller can say what changed.
//
// The connection reaches the child only through its environment, never its command line
// (argv is readable by every user of the machine in /proc):
//
//   PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD   libpq's own variables (psql, psycopg, sqitch)
//   PGCONNECT_TIMEOUT, PGSSLMODE, …                from the environment's URL options
//   DATABASE_URL                                   postgresql://user:password@host:port/db,
//                                                  the form Prisma, dbmate, Rails and most
//                                                  Alembic env.py files read
//   PARITYDECK_ENVIRONMENT                         the environment's name
//
// Blocking: call apply() on a worker thread.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "migrations/migrationplan.h"
#include "migrations/migrationrunner.h"
#include "workspace/workspace.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace pd {

struct ExternalApplyOptions
{
    QString environment; // for protection and messages
    Protection protection = Protection::None;
    QString confirmation; // must equal `environment` under Protection::Confirm
    ConfirmationSource confirmationSource = ConfirmationSource::CommandLine; // for the advice
    QString command;                                                         // run with /bin/sh -c
    QString workingDirectory;
    bool dryRun = false;                      // read the status, say what would run, run nothing
    int timeoutMs = 30 * 60 * 1000;           // the whole command; then its process group is killed
    int lockTimeoutMs = 120 * 1000;           // waiting for another ParityDeck applier
    const std::atomic_bool *cancel = nullptr; // polled while the command runs
    // WaitingForLock (message: who holds it), Started and Finished (index 0, total 1,
    // version = the command). Called on the worker thread.
    std::function<void(const MigrationProgress &)> progress;
    // Each line of output as the tool prints it (stdout and stderr interleaved, password
    // masked, without the line break), for a live log. Called on the worker thread.
    std::function<void(const QString &line)> outputLine;
};

struct ExternalApplyReport
{
    QString command;
    QString workingDirectory;
    QStringList variables; // names of the variables that carry the connection
    bool dryRun = false;
    bool exited = false; // the command ended by itself, and exitCode is its exit status
    int exitCode = 0;
    qint64 durationMs = 0;
    QString output;          // stdout and stderr interleaved, last 64 KiB, password masked
    bool beforeRead = false; // `before` was read (a failure may come earlier)
    bool afterRead = false;  // `after` was read (a dry run: it is `before`)
    MigrationPlan before;
    MigrationPlan after; // read again once the command has finished (= before in a dry run)
};

class ExternalMigrationCommand final
{
public:
    // Runs options.command against `params` (same protection as MigrationRunner::apply,
    // decided before anything connects). While it runs, ParityDeck's advisory lock is held
    // on a separate session, so a second ParityDeck applier (CLI or GUI) waits instead of
    // starting the tool twice. A command that fails (exit code ≠ 0, killed, timed out,
    // cancelled) is an Error whose message carries the end of its output and the history
    // as read afterwards.
    // `partial` (optional) receives as much of the report as the run got to, also when it
    // fails: the command's exit code, output and the histories read.
    static Result<ExternalApplyReport> apply(const ConnectionParams &params,
                                             const MigrationSet &set,
                                             const ExternalApplyOptions &options,
                                             ExternalApplyReport *partial = nullptr);

    // `base` with the connection variables above set (and PGSERVICE, PGHOSTADDR removed,
    // which would override them).
    static QProcessEnvironment environmentFor(const ConnectionParams &params,
                                              const QString &environmentName,
                                              QProcessEnvironment base);
    static QStringList variableNames(); // the names environmentFor() sets, for messages
    // postgresql://user[:password]@host:port/db?…, each part percent-encoded; a socket
    // directory goes in ?host=.
    static QString databaseUrl(const ConnectionParams &params, bool withPassword);
};

} // namespace pd
