// audit/: the append-only record of what ParityDeck did to an environment (start, stop,
// restart, migrate, …): one JSON object per line in stateDir()/audit.jsonl, readable with
// `paritydeck audit`. Entries hold only strings a person may read; there is deliberately
// no way to hand a SecretValue to the log, and every text field is passed through
// maskSecrets() with the values the caller knows as a second line of defence.
//
// Appending is safe from any thread and from several processes at once (GUI and CLI): each
// line is one write(2) on an O_APPEND descriptor under an exclusive flock, so lines never
// interleave or tear.
#pragma once

#include <functional>

#include "common/result.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace pd {

// Started: the first of two entries of a change that takes time (applying migrations,
// starting services, switching branches): written before it runs, so a run killed
// half-way still leaves its trace; the entry that ends it carries the same `operation`.
enum class AuditOutcome { Ok, Failed, Refused, Cancelled, Started };

QString auditOutcomeName(AuditOutcome outcome); // "ok", "failed", "refused", "cancelled", "started"
std::optional<AuditOutcome> auditOutcomeFromName(const QString &name);
// The outcome an Error stands for: Protected → refused, Cancelled → cancelled, else failed.
AuditOutcome auditOutcomeFor(const Error &error);

struct AuditEntry
{
    QDateTime time; // UTC; filled by append() when invalid
    QString user;   // filled by append() when empty (login name of this process)
    QString environment;
    QString action; // "start", "stop", "restart", "migrate", …
    QString target; // what the action was applied to (service name, migration, …)
    // The environment's database ("user@host:port/db", never a password); filled by
    // append() from AuditLog::setDatabases() when empty.
    QString database;
    AuditOutcome outcome = AuditOutcome::Ok;
    qint64 durationMs = -1; // -1: not measured
    QString detail;         // a sentence; error messages go here
    // The workspace file the change was made from (absolute); filled by append() from
    // AuditLog::setWorkspace() when empty. Entries written before it existed have none.
    QString workspace;
    // Pairs a "started" entry with the entry that ends it; empty for one-line entries.
    QString operation;
    // Set by read(), never stored: a "started" entry no later entry of its operation ends
    // (the process was killed, or it still runs).
    bool unfinished = false;

    QJsonObject toJson() const;
    static std::optional<AuditEntry> fromJson(const QJsonObject &object);
    // One line for `paritydeck audit`: "2026-11-23T18:55:42Z alice dev start pgbouncer ok 120 ms …"
    QString toText() const;
};

// The entry for an action that ended with `error` (nullptr: it succeeded): the outcome
// follows the error's code, and its message replaces `detail`.
AuditEntry auditEntryFor(const QString &environment, const QString &action, const QString &target,
                         const Error *error, qint64 durationMs = -1, const QString &detail = {});

struct AuditFilter
{
    QString workspace;   // empty: all workspaces
    QString environment; // empty: all
    QString action;      // empty: all
    int limit = 0;       // > 0: only the newest `limit` matching entries
};

class AuditLog final
{
public:
    // `path` empty: defaultPath().
    explicit AuditLog(QString path = {});

    static QString defaultPath(); // paths::stateDir()/audit.jsonl
    const QString &path() const noexcept { return m_path; }

    // Appends one line; creates the file (0600) and its folder (0700) when missing.
    // `knownSecrets`: values to mask out of every text field before writing.
    Result<void> append(AuditEntry entry, const QList<SecretValue> &knownSecrets = {}) const;

    // Matching entries, oldest first. Lines that are not valid entries (a torn line from a
    // crash, hand edits) are skipped, never fatal. A missing file is an empty log.
    Result<QList<AuditEntry>> read(const AuditFilter &filter = {}) const;

    static QString currentUser();

    // The workspace this process acts on, stamped on every entry appended without one.
    // Set once the workspace is loaded (CLI and panel); thread-safe.
    static void setWorkspace(const QString &workspaceFile);
    static QString workspace();
    // Each environment's database as configured ("user@host:port/db"), stamped on every
    // entry of that environment appended without one. setWorkspace(const Workspace &) sets
    // both. Thread-safe.
    static void setDatabases(const QHash<QString, QString> &byEnvironment);
    static void setWorkspace(const Workspace &workspace);
    // Names the database an entry of `environment` acted on when the entry names none,
    // before the configured one (setDatabases) is used: the panel and CLI install one that
    // follows the environment's selected branch (environment/resolvedconnection.h,
    // stampAuditEntries). Called by append(), on the appending thread; an empty answer
    // falls back to the configured database. Thread-safe; an empty function removes it.
    static void setDatabaseNamer(std::function<QString(const QString &environment)> namer);

    // Writes the "started" entry of a change and returns the operation id its end entry
    // must carry (AuditEntry::operation). An id is returned even if the write failed (the
    // warning is logged): the change is not stopped because its log line could not be kept.
    QString begin(const QString &environment, const QString &action, const QString &target,
                  const QString &detail = {}) const;

private:
    QString m_path;
};

} // namespace pd
