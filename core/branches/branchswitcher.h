// `paritydeck branch switch X`: checks out git branch X and points the environment at
// database branch X (created from the main database on first use), as one step. The
// order is chosen so a refusal changes nothing: the dirty-tree check comes first, the
// database next (the slow, fallible part), the git checkout and the selection last.
//
// Git branches listed in mainBranches() ("main", "master" by default) map to the main
// database itself, so switching back to the trunk points the environment home.
//
// With `branches.cloud` the database half goes to the vendor (CloudBranches): the branch
// is created there on first use, its connection URL looked up and recorded with the
// selection; the trunk maps to the configured parent branch.
//
// Blocking: call from worker threads.
#pragma once

#include "branches/branchselection.h"
#include "branches/databasebranches.h"
#include "common/result.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QString>
#include <QStringList>

namespace pd {

struct BranchSwitchOptions
{
    // Create the git branch (at startPoint, HEAD when empty) when it does not exist.
    bool createGitBranch = false;
    QString startPoint;
    // Passed on to the database copy (see DatabaseBranches).
    bool forceDisconnect = false;
};

struct BranchSwitchOutcome
{
    QString gitBranch;
    bool gitTied = false; // the environment has branches.git: the checkout follows
    bool gitCreated = false;
    bool gitSwitched = false;  // false when already on it or git is off for the environment
    QString database;          // the environment's effective database from now on
    bool cloud = false;        // database is a cloud branch's name
    bool mainDatabase = false; // database is the main database (a trunk branch)
    bool databaseCreated = false;
    qint64 creationMs = 0; // CREATE DATABASE time when databaseCreated
    QList<DatabaseSession> terminated;

    // One line for the CLI: "dev: on git branch feature/x, database app__feature_x (created in 1.4
    // s)".
    QString summary(const QString &environment) const;
};

class BranchSwitcher final
{
public:
    // `password`: the environment's resolved database password (empty when it has none).
    BranchSwitcher(Workspace workspace, QString environment, SecretValue password,
                   BranchSelectionStore store = BranchSelectionStore());

    void setMainBranches(const QStringList &branches) { m_mainBranches = branches; }
    const QStringList &mainBranches() const noexcept { return m_mainBranches; }
    // Where the git working tree is looked for; the workspace folder by default.
    void setRepositoryDir(const QString &dir) { m_repoDir = dir; }
    // The server itself when the environment's URL goes through a pooler (see
    // DatabaseBranches::forEnvironment). Not in paritydeck.yaml yet.
    void setServerUrl(const QString &url) { m_serverUrl = url; }
    // The environment's name as the user typed it to confirm (CLI --confirm ENV, a dialog):
    // switch, remove and cleanup of a `protection: confirm` environment need it, and a
    // `read-only` one refuses them (workspace/protection.h), before anything is touched.
    void setConfirmation(const QString &typedName) { m_confirmation = typedName; }
    // The resolved `branches.cloud.secret_env` values for the vendor commands.
    void setCloudSecretEnvironment(const QMap<QString, QString> &values)
    {
        m_cloudSecrets = values;
    }

    // The database branch name git branch `gitBranch` maps to (BranchConfig::naming).
    Result<QString> databaseNameFor(const QString &gitBranch) const;

    // The database branch a user means by `nameOrGitBranch`: a branch database of that
    // name, else the branch recorded for that git branch, else the naming pattern's
    // result if it exists. NotFound lists the environment's branches.
    Result<QString> resolveBranch(const QString &nameOrGitBranch) const;

    Result<BranchSwitchOutcome> switchTo(const QString &gitBranch,
                                         const BranchSwitchOptions &options = {}) const;
    // Deletes a database branch; an environment pointing at it goes back to the main database.
    Result<void> remove(const QString &database) const;
    // Criteria from the current git branches (when git is on) and the age limit.
    Result<BranchCleanupReport> cleanup(int olderThanDays, bool dryRun) const;

    // Local (template) branches only; a cloud environment gets a Config error.
    Result<DatabaseBranches> databaseBranches() const;

private:
    Result<const EnvironmentConfig *> environment() const;
    // DatabaseBranches::forEnvironment with this switcher's confirmation.
    Result<DatabaseBranches> branchesOf(const EnvironmentConfig &env) const;

    Workspace m_workspace;
    QString m_environment;
    SecretValue m_password;
    BranchSelectionStore m_store;
    QStringList m_mainBranches{QStringLiteral("main"), QStringLiteral("master")};
    QString m_repoDir;
    QString m_serverUrl;
    QString m_confirmation;
    QMap<QString, QString> m_cloudSecrets;
};

} // namespace pd
