#include "branchoperations.h"

#include "audit/auditlog.h"
#include "branches/branchselection.h"
#include "branches/branchswitcher.h"
#include "branches/databasebranches.h"
#include "branches/gitrepository.h"
#include "environment/resolvedconnection.h"
#include "secrets/secretresolver.h"

#include <QElapsedTimer>
#include <QtConcurrent>

namespace pd {
namespace {

template<typename T> QFuture<Result<T>> failed(Error error)
{
    return QtFuture::makeReadyFuture(Result<T>(std::move(error)));
}

void audit(const QString &environment, const QString &action, const QString &target,
           const Error *error, qint64 durationMs, const QString &detail,
           const SecretValue &password)
{
    AuditEntry entry;
    entry.environment = environment;
    entry.action = action;
    entry.target = target;
    entry.outcome = error ? auditOutcomeFor(*error) : AuditOutcome::Ok;
    entry.durationMs = durationMs;
    entry.detail = error ? error->message : detail;
    QList<SecretValue> known;
    if (!password.isEmpty())
        known.append(password);
    if (auto written = AuditLog().append(entry, known); !written)
        qWarning("could not write the audit log: %s", qPrintable(written.error().message));
}

Result<BranchListing> buildListing(const Workspace &workspace, const EnvironmentConfig &env,
                                   const SecretValue &password)
{
    BranchListing listing;
    listing.environment = env.name;
    listing.gitEnabled = env.branches.git;
    listing.databaseEnabled = !env.branches.database.isEmpty();
    listing.selectedDatabase = effectiveDatabase(workspace, env.name);
    const BranchSwitcher switcher(workspace, env.name, password);

    QStringList gitBranches;
    if (listing.gitEnabled) {
        const GitRepository repo(workspace.rootDir);
        if (auto branches = repo.branches())
            gitBranches = *branches;
        else
            listing.gitNote = branches.error().message;
        if (auto current = repo.currentBranch())
            listing.currentGitBranch = *current;
    }

    QList<DatabaseBranchInfo> databases;
    if (listing.databaseEnabled) {
        auto branches = switcher.databaseBranches();
        if (!branches)
            return branches.error();
        listing.mainDatabase = branches->mainDatabase();
        auto all = branches->list();
        if (!all)
            return all.error();
        databases = *all;
    }

    QSet<QString> shown;
    for (const QString &git : std::as_const(gitBranches)) {
        BranchListingRow row;
        row.gitBranch = git;
        row.gitExists = true;
        row.gitCurrent = git == listing.currentGitBranch;
        if (listing.databaseEnabled) {
            if (auto name = switcher.databaseNameFor(git))
                row.database = *name;
            row.mainDatabase = row.database == listing.mainDatabase;
            row.databaseExists = row.mainDatabase;
            for (const DatabaseBranchInfo &db : std::as_const(databases)) {
                if (db.name == row.database) {
                    row.databaseExists = true;
                    row.parent = db.parent;
                    row.sizeBytes = db.sizeBytes;
                    row.created = db.created;
                }
            }
            row.selected = !row.database.isEmpty() && row.database == listing.selectedDatabase;
            shown.insert(row.database);
        }
        listing.rows.append(row);
    }
    // Database branches no listed git branch maps to: made by hand, or their git branch is gone.
    for (const DatabaseBranchInfo &db : std::as_const(databases)) {
        if (shown.contains(db.name))
            continue;
        BranchListingRow row;
        row.gitBranch = db.gitBranch;
        row.database = db.name;
        row.databaseExists = true;
        row.parent = db.parent;
        row.sizeBytes = db.sizeBytes;
        row.created = db.created;
        row.selected = db.name == listing.selectedDatabase;
        listing.rows.append(row);
    }
    return listing;
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
}

} // namespace

BranchOperations::BranchOperations(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
{
}

BranchOperations::~BranchOperations() = default;

QStringList BranchOperations::branchEnvironments() const
{
    QStringList names;
    for (const EnvironmentConfig &env : m_workspace.environments) {
        if (env.branches.git || !env.branches.database.isEmpty())
            names.append(env.name);
    }
    return names;
}

QFuture<Result<BranchListing>> BranchOperations::list(const QString &environment)
{
    const EnvironmentConfig *env = m_workspace.environment(environment);
    if (!env)
        return failed<BranchListing>(
            Error(ErrorCode::NotFound, QStringLiteral("no environment '%1'").arg(environment)));
    QList<SecretRef> refs;
    if (env->database.password)
        refs.append(*env->database.password);
    return resolveAll(*m_resolver, refs)
        .then(panelWorkPool(), [workspace = m_workspace,
                                config = *env](const QList<Result<SecretValue>> &resolved)
                  -> Result<BranchListing> {
            SecretValue password;
            if (!resolved.isEmpty()) {
                if (!resolved.first())
                    return Error(resolved.first().error().code,
                                 config.name + QStringLiteral(": cannot read the database password: ") +
                                     resolved.first().error().message);
                password = resolved.first().value();
            }
            return buildListing(workspace, config, password);
        });
}

QFuture<Result<QString>> BranchOperations::currentGitBranch()
{
    return QtConcurrent::run(panelWorkPool(), [dir = m_workspace.rootDir] {
        return GitRepository(dir, 10000).currentBranch();
    });
}

QFuture<Result<QString>> BranchOperations::switchTo(const QString &environment,
                                                    const QString &gitBranch,
                                                    bool createGitBranch, bool forceDisconnect)
{
    return act(Action::Switch, environment, gitBranch, {}, createGitBranch, forceDisconnect);
}

QFuture<Result<QString>> BranchOperations::create(const QString &environment, const QString &name,
                                                  const QString &parent, bool forceDisconnect)
{
    return act(Action::Create, environment, name, parent, false, forceDisconnect);
}

QFuture<Result<QString>> BranchOperations::reset(const QString &environment,
                                                 const QString &database, bool forceDisconnect)
{
    return act(Action::Reset, environment, database, {}, false, forceDisconnect);
}

QFuture<Result<QString>> BranchOperations::remove(const QString &environment,
                                                  const QString &database)
{
    return act(Action::Remove, environment, database, {}, false, false);
}

QFuture<Result<QString>> BranchOperations::act(Action action, const QString &environment,
                                               const QString &name, const QString &parent,
                                               bool flag, bool forceDisconnect)
{
    const EnvironmentConfig *env = m_workspace.environment(environment);
    if (!env)
        return failed<QString>(
            Error(ErrorCode::NotFound, QStringLiteral("no environment '%1'").arg(environment)));
    QList<SecretRef> refs;
    if (env->database.password)
        refs.append(*env->database.password);
    return resolveAll(*m_resolver, refs)
        .then(panelWorkPool(), [workspace = m_workspace, config = *env, action, name, parent, flag,
                                forceDisconnect](const QList<Result<SecretValue>> &resolved)
                  -> Result<QString> {
            static const char *const names[] = {"branch-switch", "branch-create", "branch-reset",
                                                "branch-delete"};
            const QString auditAction = QLatin1String(names[int(action)]);
            SecretValue password;
            if (!resolved.isEmpty()) {
                if (!resolved.first()) {
                    const Error error(resolved.first().error().code,
                                      config.name +
                                          QStringLiteral(": cannot read the database password: ") +
                                          resolved.first().error().message);
                    audit(config.name, auditAction, name, &error, -1, {}, password);
                    return error;
                }
                password = resolved.first().value();
            }
            const BranchSwitcher switcher(workspace, config.name, password);
            BranchCreateOptions createOptions;
            createOptions.forceDisconnect = forceDisconnect;
            QElapsedTimer clock;
            clock.start();
            Result<QString> outcome = [&]() -> Result<QString> {
                if (action == Action::Switch) {
                    BranchSwitchOptions options;
                    options.createGitBranch = flag;
                    options.forceDisconnect = forceDisconnect;
                    auto switched = switcher.switchTo(name, options);
                    if (!switched)
                        return switched.error();
                    return switched->summary(config.name);
                }
                auto branches = switcher.databaseBranches();
                if (!branches)
                    return branches.error();
                if (action == Action::Create) {
                    auto created = branches->create(name, parent, createOptions);
                    if (!created)
                        return created.error();
                    return QStringLiteral("created %1 from %2 in %3")
                        .arg(created->branch.name, created->branch.parent, seconds(created->elapsedMs));
                }
                if (action == Action::Reset) {
                    auto reset = branches->reset(name, createOptions);
                    if (!reset)
                        return reset.error();
                    return QStringLiteral("reset %1 from %2 in %3")
                        .arg(reset->branch.name, reset->branch.parent, seconds(reset->elapsedMs));
                }
                if (auto removed = switcher.remove(name); !removed)
                    return removed.error();
                return QStringLiteral("deleted %1").arg(name);
            }();
            audit(config.name, auditAction, name, outcome ? nullptr : &outcome.error(),
                  clock.elapsed(), outcome ? *outcome : QString(), password);
            return outcome;
        });
}

} // namespace pd
