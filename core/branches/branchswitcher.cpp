#include "branchswitcher.h"

#include "branches/branchnaming.h"
#include "branches/cloudbranches.h"
#include "branches/gitrepository.h"
#include "workspace/protection.h"

namespace pd {

QString BranchSwitchOutcome::summary(const QString &environment) const
{
    QString text = QStringLiteral("%1: ").arg(environment);
    if (gitTied)
        text += QStringLiteral("on git branch %1, ").arg(gitBranch);
    if (database.isEmpty())
        return QString(text + QStringLiteral("no database branches"));
    text +=
        (cloud ? QStringLiteral("cloud branch %1") : QStringLiteral("database %1")).arg(database);
    if (mainDatabase)
        text +=
            cloud ? QStringLiteral(" (the parent branch)") : QStringLiteral(" (the main database)");
    else if (databaseCreated)
        text += QStringLiteral(" (created in %1 s)").arg(creationMs / 1000.0, 0, 'f', 1);
    return text;
}

BranchSwitcher::BranchSwitcher(Workspace workspace, QString environment, SecretValue password,
                               BranchSelectionStore store)
    : m_workspace(std::move(workspace))
    , m_environment(std::move(environment))
    , m_password(std::move(password))
    , m_store(std::move(store))
{
}

Result<const EnvironmentConfig *> BranchSwitcher::environment() const
{
    const EnvironmentConfig *env = m_workspace.environment(m_environment);
    if (!env)
        return Error(ErrorCode::NotFound, ErrorKind::NoEnvironmentNamed,
                     {ErrorArg::text(QStringLiteral("environment"), m_environment),
                      ErrorArg::text(QStringLiteral("file"), m_workspace.filePath)});
    if (!env->branches.database.isEmpty() && env->branches.database != QStringLiteral("template"))
        return Error(ErrorCode::Config, ErrorKind::BranchesDatabaseUnsupported,
                     {ErrorArg::text(QStringLiteral("environment"), m_environment),
                      ErrorArg::text(QStringLiteral("value"), env->branches.database)});
    return env;
}

Result<DatabaseBranches> BranchSwitcher::databaseBranches() const
{
    auto env = environment();
    if (!env)
        return env.error();
    if ((*env)->branches.cloud)
        return Error(ErrorCode::Config, ErrorKind::CloudBranchesNotOnServer,
                     {ErrorArg::text(QStringLiteral("environment"), m_environment)});
    return branchesOf(**env);
}

Result<DatabaseBranches> BranchSwitcher::branchesOf(const EnvironmentConfig &env) const
{
    auto branches = DatabaseBranches::forEnvironment(env, m_password, m_serverUrl);
    if (branches)
        branches->setConfirmation(m_confirmation);
    return branches;
}

Result<QString> BranchSwitcher::databaseNameFor(const QString &gitBranch) const
{
    auto env = environment();
    if (!env)
        return env.error();
    if (const auto &cloud = (*env)->branches.cloud) {
        if (m_mainBranches.contains(gitBranch))
            return cloud->parent;
        return branchnaming::databaseName((*env)->branches.naming, cloud->parent, gitBranch);
    }
    auto params = ConnectionParams::fromUrl((*env)->database.url);
    if (!params)
        return params.error();
    if (m_mainBranches.contains(gitBranch))
        return params->dbname;
    return branchnaming::databaseName((*env)->branches.naming, params->dbname, gitBranch);
}

Result<QString> BranchSwitcher::resolveBranch(const QString &nameOrGitBranch) const
{
    auto env = environment();
    if (!env)
        return env.error();
    if ((*env)->branches.cloud)
        return CloudBranches(m_workspace, **env, m_cloudSecrets, m_store)
            .resolveBranch(nameOrGitBranch);
    auto branches = databaseBranches();
    if (!branches)
        return branches.error();
    auto all = branches->list();
    if (!all)
        return all.error();
    for (const DatabaseBranchInfo &b : *all) {
        if (b.name == nameOrGitBranch)
            return b.name;
    }
    for (const DatabaseBranchInfo &b : *all) {
        if (!b.gitBranch.isEmpty() && b.gitBranch == nameOrGitBranch)
            return b.name;
    }
    if (auto mapped = databaseNameFor(nameOrGitBranch)) {
        for (const DatabaseBranchInfo &b : *all) {
            if (b.name == *mapped)
                return b.name;
        }
    }
    QStringList known;
    for (const DatabaseBranchInfo &b : *all)
        known.append(b.name);
    return Error(
        ErrorCode::NotFound,
        QStringLiteral("%1 has no database branch named or made for \"%2\"%3")
            .arg(m_environment, nameOrGitBranch,
                 known.isEmpty()
                     ? QStringLiteral(" (it has no branches)")
                     : QStringLiteral(" (branches: %1)").arg(known.join(QStringLiteral(", ")))));
}

Result<BranchSwitchOutcome> BranchSwitcher::switchTo(const QString &gitBranch,
                                                     const BranchSwitchOptions &options) const
{
    auto envResult = environment();
    if (!envResult)
        return envResult.error();
    const EnvironmentConfig &env = **envResult;
    // Pointing a protected environment elsewhere is a change to it, even to an existing branch.
    if (auto allowed = checkProtection(env, ProtectedChange::Branches, m_confirmation); !allowed)
        return allowed.error();
    const bool useGit = env.branches.git;
    const bool useDatabase = env.branches.hasDatabaseBranches();
    if (!useGit && !useDatabase)
        return Error(ErrorCode::Config, ErrorKind::NoBranchesConfigured,
                     {ErrorArg::text(QStringLiteral("environment"), m_environment),
                      ErrorArg::text(QStringLiteral("setting"),
                                     QStringLiteral("{ git: true, database: template }")),
                      ErrorArg::text(QStringLiteral("file"), m_workspace.filePath)});
    if (auto valid = GitRepository::validateBranchName(gitBranch); !valid)
        return valid.error();

    BranchSwitchOutcome outcome;
    outcome.gitBranch = gitBranch;
    outcome.gitTied = useGit;

    // 1. Git checks that change nothing.
    const GitRepository repo(m_repoDir.isEmpty() ? m_workspace.rootDir : m_repoDir);
    bool gitExists = false;
    QString current;
    if (useGit) {
        auto exists = repo.branchExists(gitBranch);
        if (!exists)
            return exists.error();
        gitExists = *exists;
        if (!gitExists && !options.createGitBranch)
            return Error(
                ErrorCode::NotFound,
                QStringLiteral("git branch %1 does not exist in %2; create it (--create) or "
                               "pick an existing one")
                    .arg(gitBranch, repo.workingDirectory()));
        auto branch = repo.currentBranch();
        current = branch ? *branch : QString();
        if (current != gitBranch) {
            auto changed = repo.changedFiles();
            if (!changed)
                return changed.error();
            if (!changed->isEmpty())
                return Error(
                    ErrorCode::Runtime,
                    QStringLiteral("cannot switch %1 to git branch %2: uncommitted changes "
                                   "in %3: %4; commit or stash them first")
                        .arg(m_environment, gitBranch, repo.workingDirectory(),
                             changed->join(QStringLiteral(", "))));
        }
    }

    // 2. The database branch.
    QString cloudUrl;
    if (env.branches.cloud) {
        auto name = databaseNameFor(gitBranch);
        if (!name)
            return name.error();
        const CloudBranches cloud(m_workspace, env, m_cloudSecrets, m_store);
        outcome.cloud = true;
        outcome.database = *name;
        outcome.mainDatabase = *name == cloud.parentBranch();
        if (!outcome.mainDatabase) {
            auto listed = cloud.list();
            if (!listed)
                return listed.error();
            const CloudBranchListing *existing = nullptr;
            for (const CloudBranchListing &item : *listed) {
                if (item.branch.name == *name)
                    existing = &item;
            }
            Result<QString> url = QString();
            if (existing) {
                url = cloud.connectionUrl(*name, {}, existing->branch.details);
            } else {
                auto created = cloud.create(*name);
                if (!created)
                    return created.error();
                outcome.databaseCreated = true;
                outcome.creationMs = created->elapsedMs;
                url = cloud.connectionUrl(*name, created->output);
            }
            if (!url)
                return Error(url.error().code,
                             QString(url.error().message +
                                     (outcome.databaseCreated
                                          ? QStringLiteral(" (cloud branch %1 was created and "
                                                           "is kept for the next attempt)")
                                                .arg(*name)
                                          : QString())));
            cloudUrl = *url;
        }
    } else if (useDatabase) {
        auto name = databaseNameFor(gitBranch);
        if (!name)
            return name.error();
        auto branches = branchesOf(env);
        if (!branches)
            return branches.error();
        outcome.database = *name;
        outcome.mainDatabase = *name == branches->mainDatabase();
        if (!outcome.mainDatabase) {
            auto existing = branches->branch(*name);
            if (existing) {
                if (!existing->gitBranch.isEmpty() && existing->gitBranch != gitBranch)
                    return Error(
                        ErrorCode::Runtime,
                        QStringLiteral("database branch \"%1\" belongs to git branch %2, not "
                                       "%3 (both names map to the same database); rename "
                                       "one of the git branches or delete the database "
                                       "branch")
                            .arg(*name, existing->gitBranch, gitBranch));
            } else if (existing.error().code == ErrorCode::NotFound) {
                BranchCreateOptions create;
                create.forceDisconnect = options.forceDisconnect;
                create.gitBranch = gitBranch;
                auto created = branches->create(*name, {}, create);
                if (!created)
                    return created.error();
                outcome.databaseCreated = true;
                outcome.creationMs = created->elapsedMs;
                outcome.terminated = created->terminated;
            } else {
                return existing.error();
            }
        }
    }

    // 3. Git, then the selection.
    if (useGit) {
        if (!gitExists) {
            if (auto made = repo.createBranch(gitBranch, options.startPoint); !made)
                return made.error();
            outcome.gitCreated = true;
        }
        if (current != gitBranch) {
            if (auto switched = repo.switchTo(gitBranch); !switched) {
                const QString note = outcome.databaseCreated
                                         ? QStringLiteral(" (database branch %1 was created and is "
                                                          "kept for the next attempt)")
                                               .arg(outcome.database)
                                         : QString();
                return Error(switched.error().code, QString(switched.error().message + note));
            }
            outcome.gitSwitched = true;
        }
    }
    if (useDatabase) {
        Result<void> saved = outcome.mainDatabase
                                 ? m_store.clear(m_workspace.filePath, m_environment)
                                 : m_store.select(m_workspace.filePath, m_environment,
                                                  {outcome.database, gitBranch, {}, cloudUrl});
        if (!saved)
            return saved.error();
    }
    return outcome;
}

Result<void> BranchSwitcher::remove(const QString &database) const
{
    auto env = environment();
    if (!env)
        return env.error();
    if (auto allowed = checkProtection(**env, ProtectedChange::Branches, m_confirmation); !allowed)
        return allowed.error();
    if ((*env)->branches.cloud)
        return CloudBranches(m_workspace, **env, m_cloudSecrets, m_store).remove(database);
    auto branches = databaseBranches();
    if (!branches)
        return branches.error();
    if (auto removed = branches->remove(database); !removed)
        return removed;
    const auto selected = m_store.selection(m_workspace.filePath, m_environment);
    if (selected && selected->database == database)
        return m_store.clear(m_workspace.filePath, m_environment);
    return {};
}

Result<BranchCleanupReport> BranchSwitcher::cleanup(int olderThanDays, bool dryRun) const
{
    auto env = environment();
    if (!env)
        return env.error();
    if ((*env)->branches.cloud)
        // A vendor project holds teammates' and CI's branches too, and nothing marks the
        // ones ParityDeck made: removing by pattern could delete someone else's work.
        return Error(ErrorCode::Usage, ErrorKind::CloudCleanupUnavailable,
                     {ErrorArg::text(QStringLiteral("environment"), m_environment)});
    auto branches = branchesOf(**env);
    if (!branches)
        return branches.error();
    BranchCleanupCriteria criteria;
    criteria.olderThanDays = olderThanDays;
    if ((*env)->branches.git) {
        const GitRepository repo(m_repoDir.isEmpty() ? m_workspace.rootDir : m_repoDir);
        auto gitBranches = repo.branches();
        if (!gitBranches)
            return gitBranches.error();
        criteria.existingGitBranches = *gitBranches;
    }
    auto report = branches->cleanup(criteria, dryRun);
    if (!report || dryRun)
        return report;
    const auto selected = m_store.selection(m_workspace.filePath, m_environment);
    if (selected && report->removed.contains(selected->database)) {
        if (auto cleared = m_store.clear(m_workspace.filePath, m_environment); !cleared)
            return cleared.error();
    }
    return report;
}

} // namespace pd
