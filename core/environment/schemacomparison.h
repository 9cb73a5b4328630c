// A schema comparison as the diff review window (and anything else without widgets) runs
// it: two sides as a user names them (environment/schemasides.h) are classified, the
// passwords they need are resolved through the object's own SecretResolver (resolveAll,
// asynchronously, on this object's thread), both schemas are read at once on
// panelWorkPool() and compared there. Nothing here blocks the caller's thread.
//
// Also the second remedy for drift: reverting an environment to what its migrations
// produce, by applying SQL that turns its live schema into the expected one. That is a
// change to the environment, so it goes through the one protection rule
// (workspace/protection.h, ProtectedChange::ApplyMigrations: typed name on `confirm`,
// refused on `read-only`), takes the migration runner's advisory lock so it never runs
// beside an apply, refuses when the live schema changed since it was reviewed, runs in
// one transaction and is audited as "revert" (a "started" entry before it runs, the
// outcome after; target the reviewed schema's fingerprint, detail the objects reverted).
// The panel runs it through EnvironmentController::revertToMigrations() and the migration
// dialog; revert() here is the same without an operation slot, for callers without one.
//
// Typical use (on the GUI thread):
//     auto *comparison = new SchemaComparison(workspace, window);
//     QFuture<Result<ComparedSchemas>> f = comparison->compare("migrations:prod", "prod");
//     // progress(): poll while it runs; cancel(): drop it.
#pragma once

#include "audit/auditlog.h"
#include "common/result.h"
#include "environment/schemasides.h"
#include "migrations/migrationrunner.h"
#include "schema/schemadiff.h"
#include "workspace/protection.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QObject>

#include <atomic>
#include <memory>

namespace pd {

class SecretResolver;

struct ComparedSchemas
{
    SchemaSide from;
    SchemaSide to;
    QString fromLabel; // schemaSideLabel()
    QString toLabel;
    SchemaDiff diff; // turns FROM into TO

    // FROM (TO) when it is an environment of the workspace; empty otherwise.
    QString fromEnvironment() const;
    QString toEnvironment() const;
    // The environment of a drift comparison: one side is ENV and the other migrations:ENV.
    // Empty when the comparison is not one.
    QString driftEnvironment() const;
};

// Blocking (worker threads only): reads both sides at once and compares them. `fromRead`
// and `toRead` (optional) are set when each side's schema has been read; `cancel` is
// checked between the steps. Errors name the side as the user wrote it.
Result<SchemaDiff> compareSchemaSides(const Workspace &workspace, const SchemaSide &from,
                                      const SchemaSide &to, const ConnectionLookup &lookup,
                                      const std::atomic_bool *cancel = nullptr,
                                      std::atomic_bool *fromRead = nullptr,
                                      std::atomic_bool *toRead = nullptr);

// The SQL that reverts drift: turns `live` (the environment as it is) into `expected`
// (what its migrations produce), with the review's options (a header, no BEGIN/COMMIT;
// destructive statements commented out unless `unsafe`). `onlyIds` (object ids), when not
// empty, restricts it to those objects.
QString revertSql(const SchemaSnapshot &live, const SchemaSnapshot &expected, bool unsafe,
                  const QStringList &onlyIds = {});

struct RevertRequest
{
    QString environment;
    QString sql; // reviewed by the user; turns the live schema into the expected one
    QByteArray reviewedFingerprint; // fingerprint() of the live schema `sql` was made from
    QString confirmation;           // the environment's name, typed, for protection: confirm
    // Where it was typed, for a refusal's advice (the review's dialog by default).
    ConfirmationSource confirmationSource = ConfirmationSource::Dialog;
    // The objects the SQL reverts ("table public.hotfix"), named in the audit entry.
    QStringList objects;
    // Connect, check the fingerprint and parse the SQL; run nothing, audit nothing, need no
    // typed name (as a migration dry run).
    bool dryRun = false;
};

struct RevertReport
{
    QString environment;
    bool dryRun = false;
    int statements = 0;
    QStringList summaries; // each statement: "4:1  DROP TABLE public.hotfix"
    qint64 durationMs = 0;
};

// Blocking (worker threads only). In order: protection (before connecting; a refusal is
// ErrorCode::Protected and audited), connect, the runner's advisory lock, the live schema
// read again and compared with `reviewedFingerprint` (a difference is ErrorCode::Conflict:
// compare again), then every statement in one transaction; `cancel` is checked between
// statements and rolls everything back. Audited as "revert" with target "schema <the
// reviewed fingerprint>", whatever the outcome, in `audit`. `progress` (optional, called
// on this thread) hears one step: waiting for the lock, started, finished.
Result<RevertReport>
revertToMigrations(const Workspace &workspace, const RevertRequest &request,
                   const ConnectionLookup &lookup, const AuditLog &audit,
                   const std::atomic_bool *cancel = nullptr,
                   const std::function<void(const MigrationProgress &)> &progress = {});

// The audit target of a revert: "schema 1a2b3c4d5e6f" (the reviewed fingerprint's start).
QString revertAuditTarget(const QByteArray &reviewedFingerprint);

class SchemaComparison final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SchemaComparison)

public:
    enum class Stage { Parsing, Passwords, Reading, Comparing, Done };
    struct Progress
    {
        Stage stage = Stage::Done;
        bool fromRead = false;
        bool toRead = false;
    };

    explicit SchemaComparison(Workspace workspace, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Call it before
    // the first request.
    void setSecretResolver(SecretResolver &resolver);
    // Writes the reverts' audit entries to `log` instead of the default one (AuditLog()).
    void setAuditLog(const AuditLog &log) { m_audit = log; }
    const AuditLog &auditLog() const noexcept { return m_audit; }
    ~SchemaComparison() override;

    const Workspace &workspace() const noexcept { return m_workspace; }

    // Call on this object's thread. Starts a comparison; one still running is cancelled
    // (its future finishes with ErrorCode::Cancelled). Unknown sides, unreadable passwords
    // and server errors come back as errors.
    QFuture<Result<ComparedSchemas>> compare(const QString &from, const QString &to);
    // The running comparison stops at its next step (a catalog query already running
    // finishes in the background and is discarded) and finishes with ErrorCode::Cancelled.
    void cancel();
    // Of the newest comparison; safe to poll from this object's thread.
    Progress progress() const;

    // Call on this object's thread. Resolves the environment's password (only once the
    // protection rule allows the change), then revertToMigrations() on panelWorkPool().
    QFuture<Result<RevertReport>> revert(const RevertRequest &request);

private:
    struct Job;

    Workspace m_workspace;
    SecretResolver *m_resolver;
    AuditLog m_audit;
    std::shared_ptr<Job> m_job;
};

} // namespace pd
