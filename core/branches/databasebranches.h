// Database branches on a local (or any self-managed) PostgreSQL server: a branch is a
// database created with CREATE DATABASE … TEMPLATE parent, which copies the parent at
// file level — seconds for hundreds of megabytes, no dump and restore.
//
// Every branch carries its record in its own database comment, as small JSON:
//   {"paritydeck_branch":{"parent":"app","created":"2026-11-23T18:55:44Z","git":"feature/x"}}
// so any ParityDeck (another user's, the CLI, the GUI) sees which databases are branches,
// what they came from and how old they are, without a side file that could get lost.
// Databases without that record are never reset or deleted here.
//
// PostgreSQL refuses to copy a database while other sessions are connected to it. By
// default the refusal lists those sessions (pid, user, application, client address);
// with forceDisconnect they are terminated (pg_terminate_backend) and the copy retried.
//
// Blocking by design: call from worker threads only.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace pd {

class Connection;

struct DatabaseBranchInfo
{
    QString name;
    QString parent;
    QString gitBranch; // empty when the branch was not created for a git branch
    QDateTime created; // UTC; invalid when the record has none
    qint64 sizeBytes =
        -1; // -1 when the user may not connect to it (pg_database_size needs CONNECT)

    // Whole seconds since `created` at `now`; -1 when the creation time is unknown.
    qint64 ageSeconds(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
};

// Another connection to a database, as pg_stat_activity reports it.
struct DatabaseSession
{
    int pid = 0;
    QString user;
    QString applicationName;
    QString clientAddress; // "local" for Unix-socket connections
    QString database;

    // "pid 4242 (alice, psql, 127.0.0.1)"
    QString describe() const;
};

struct BranchCreateOptions
{
    // Terminate other sessions on the parent instead of refusing.
    bool forceDisconnect = false;
    // Recorded in the branch comment; cleanup() deletes the branch once it is gone.
    QString gitBranch;
    // Upper bound for one CREATE DATABASE (copying a large parent takes a while).
    int copyTimeoutSeconds = 600;
};

struct BranchCreated
{
    DatabaseBranchInfo branch;
    qint64 elapsedMs = 0;              // CREATE DATABASE alone, for "created in 1.2 s"
    QList<DatabaseSession> terminated; // sessions ended because of forceDisconnect
};

struct BranchCleanupCriteria
{
    // Git branches that exist now. When set, branches recorded for a git branch that is
    // not in the list are removed. Branches without a recorded git branch are kept: they
    // were created by hand and nothing says they are finished.
    std::optional<QStringList> existingGitBranches;
    // When > 0, branches created more than this many days ago are removed.
    int olderThanDays = 0;
    QDateTime now = QDateTime::currentDateTimeUtc();
};

struct BranchCleanupItem
{
    DatabaseBranchInfo branch;
    QString reason; // "git branch feature/x no longer exists", "created 31 days ago"
};

struct BranchCleanupReport
{
    QList<BranchCleanupItem> candidates; // what matched the criteria
    QStringList removed;                 // names actually dropped (empty on a dry run)
    QStringList failures;                // one sentence per branch that could not be dropped
};

enum class BranchScope {
    MainDatabase, // branches of the environment's main database (and their branches)
    Server,       // every ParityDeck branch on the server, whatever application it belongs to
};

class DatabaseBranches final
{
public:
    // `server`: where the environment's main database lives (its dbname is the main
    // database, the parent of new branches by default). `protection`: the environment's.
    DatabaseBranches(ConnectionParams server, Protection protection = Protection::None);

    // From the environment's database URL and its resolved password. `serverUrl`, when
    // given, is where CREATE/DROP DATABASE go instead (the server behind a PgBouncer the
    // URL points at); the main database name still comes from the environment's URL.
    static Result<DatabaseBranches> forEnvironment(const EnvironmentConfig &environment,
                                                   const SecretValue &password,
                                                   const QString &serverUrl = {});

    const QString &mainDatabase() const noexcept { return m_server.dbname; }
    // The name typed to confirm, for an environment with `protection: confirm`: create,
    // reset, remove and cleanup check workspace/protection.h first, as every caller does.
    void setConfirmation(const QString &typedName) { m_confirmation = typedName; }

    // ParityDeck branches, sorted by name.
    Result<QList<DatabaseBranchInfo>> list(BranchScope scope = BranchScope::MainDatabase) const;
    // The branch record of one database; NotFound when it does not exist, Usage when it
    // exists but is not a ParityDeck branch.
    Result<DatabaseBranchInfo> branch(const QString &name) const;
    // Other sessions connected to `database`.
    Result<QList<DatabaseSession>> sessionsOn(const QString &database) const;

    // CREATE DATABASE "name" TEMPLATE "parent" (parent: the main database when empty).
    Result<BranchCreated> create(const QString &name, const QString &parent = {},
                                 const BranchCreateOptions &options = {}) const;
    // Drops the branch and copies its parent again: every change made in it is gone.
    Result<BranchCreated> reset(const QString &name, const BranchCreateOptions &options = {}) const;
    // Drops the branch, ending the sessions connected to it.
    Result<void> remove(const QString &name) const;

    // Which of the main database's branches match `criteria`; with dryRun false, drops
    // exactly those. Other applications' branches on a shared server are never candidates.
    Result<BranchCleanupReport> cleanup(const BranchCleanupCriteria &criteria, bool dryRun) const;

    // The JSON comment recording a branch, and its reverse (nullopt for any other comment).
    static QString recordComment(const DatabaseBranchInfo &branch);
    static std::optional<DatabaseBranchInfo> parseRecord(const QString &name,
                                                         const QString &comment);

private:
    Result<Connection> connectMaintenance() const;
    static Result<QList<DatabaseSession>> sessions(Connection &conn, const QString &database);
    Result<QList<DatabaseBranchInfo>> list(Connection &conn, BranchScope scope) const;
    Result<void> refuseUnlessBranch(Connection &conn, const QString &name, const QString &action,
                                    DatabaseBranchInfo *info) const;
    Result<BranchCreated> copy(Connection &conn, const QString &name, const QString &parent,
                               const BranchCreateOptions &options, const QDateTime &created) const;
    Result<void> writeRecord(Connection &conn, const DatabaseBranchInfo &info) const;
    Result<void> drop(Connection &conn, const QString &name) const;

    Result<void> checkChangeAllowed() const;

    ConnectionParams m_server;
    Protection m_protection;
    QString m_environment; // its name, for refusals; empty when made from a URL alone
    QString m_confirmation;
};

// "app" → "\"app\"", embedded quotes doubled: database names may hold capitals and spaces.
QString quotedIdentifier(const QString &name);

} // namespace pd
