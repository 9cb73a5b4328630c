// Database branches and git branches for the panel's branch switcher: the listing (each
// git branch with its database branch — exists, size, age — plus branch databases whose
// git branch is gone) and the actions create, reset, delete and switch, exactly as
// `paritydeck branch …` does them, refusals included (dirty tree, sessions on the parent,
// protected parent come back as the sentences core writes). Every action is audited as
// "branch-<action>" like the CLI's. With branches.cloud the database branches are the
// vendor's (CloudBranches, through cloudbranchactions like `paritydeck branch`); sizes are
// unknown and the parent branch plays the main database.
//
// The environment's password and branches.cloud.secret_env are resolved asynchronously; git and the
// server are talked to on panelWorkPool(). Nothing blocks the caller's thread.
#pragma once

#include "audit/auditlog.h"

#include "common/result.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>

namespace pd {

class SecretResolver;

struct BranchListingRow
{
    QString gitBranch;       // empty: a database branch made by hand (no git branch)
    bool gitExists = false;  // a local git branch of that name exists
    bool gitCurrent = false; // it is checked out
    QString database;        // the database branch it maps to (or is)
    bool databaseExists = false;
    bool mainDatabase = false; // a trunk branch ("main"): the environment's own database
    bool selected = false;     // the environment points at this database now
    QString parent;
    qint64 sizeBytes = -1; // -1 unknown
    QDateTime created;     // UTC; invalid when unknown
};

struct BranchListing
{
    QString environment;
    QString mainDatabase;
    QString selectedDatabase; // the environment's effective database
    QString currentGitBranch; // empty when git is off, detached or unreadable
    bool gitEnabled = false;
    bool databaseEnabled = false;
    QString gitNote; // why git branches are missing, when they are
    QList<BranchListingRow> rows;
};

class BranchOperations final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BranchOperations)

public:
    explicit BranchOperations(Workspace workspace, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Call it before
    // the first request.
    void setSecretResolver(SecretResolver &resolver);
    // Writes its audit entries to `log` instead of the default one (AuditLog()).
    void setAuditLog(const AuditLog &log) { m_audit = log; }
    ~BranchOperations() override;

    const Workspace &workspace() const noexcept { return m_workspace; }

    // Environments with git or database branches enabled, in workspace order.
    QStringList branchEnvironments() const;

    QFuture<Result<BranchListing>> list(const QString &environment);
    // The checked-out git branch of the workspace (for the card's "git ↔ database" line).
    QFuture<Result<QString>> currentGitBranch();

    // Each finishes with one sentence saying what happened. `confirmation` is the name the
    // user typed; a protected environment (protection.h, ProtectedChange::Branches) refuses
    // without it, before any secret is read, and the refusal is audited.
    QFuture<Result<QString>> switchTo(const QString &environment, const QString &gitBranch,
                                      bool createGitBranch, bool forceDisconnect,
                                      const QString &confirmation = {});
    QFuture<Result<QString>> create(const QString &environment, const QString &name,
                                    const QString &parent, bool forceDisconnect,
                                    const QString &confirmation = {});
    QFuture<Result<QString>> reset(const QString &environment, const QString &database,
                                   bool forceDisconnect, const QString &confirmation = {});
    QFuture<Result<QString>> remove(const QString &environment, const QString &database,
                                    const QString &confirmation = {});

private:
    enum class Action { Switch, Create, Reset, Remove };
    QFuture<Result<QString>> act(Action action, const QString &environment, const QString &name,
                                 const QString &parent, bool flag, bool forceDisconnect,
                                 const QString &confirmation);

    Workspace m_workspace;
    SecretResolver *m_resolver;
    AuditLog m_audit;
};

} // namespace pd
