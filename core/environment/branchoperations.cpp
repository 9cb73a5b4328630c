#include "branchoperations.h"

#include "audit/auditlog.h"
#include "branches/branchselection.h"
#include "branches/branchswitcher.h"
#include "branches/cloudbranchactions.h"
#include "branches/cloudbranches.h"
#include "branches/databasebranches.h"
#include "branches/gitrepository.h"
#include "common/errors.h"
#include "environment/resolvedconnection.h"
#include "secrets/secretresolver.h"
#include "workspace/protection.h"

#include <QElapsedTimer>
#include <QtConcurrent>

namespace pd {
namespace {

template<typename T> QFuture<Result<T>> failed(Error error)
{
    return QtFuture::makeReadyFuture(Result<T>(std::move(error)));
}

// The environment's password (when it has one) first, then its branches.cloud.secret_env.
QList<SecretRef> secretReferences(const EnvironmentConfig &env)
{
    QList<SecretRef> refs;
    if (env.database.password)
        refs.append(*env.database.password);
    refs.append(cloudSecretReferences(env));
    return refs;
}

struct EnvironmentSecrets
{
    SecretValue password;
    QMap<QString, QString> cloud; // resolved secret_env, for the vendor commands only
};

Result<EnvironmentSecrets> readSecrets(const EnvironmentConfig &env,
                                       QList<Result<SecretValue>> resolved)
{
    EnvironmentSecrets secrets;
    if (env.database.password && !resolved.isEmpty()) {
        const Result<SecretValue> first = resolved.takeFirst();
        if (!first)
            return Error(first.error().code,
                         env.name + QStringLiteral(": cannot read the database password: ") +
                             first.error().message);
        secrets.password = first.value();
    }
    auto cloud = cloudSecretEnvironment(env, resolved);
    if (!cloud)
        return cloud.error();
    secrets.cloud = *cloud;
    return secrets;
}

void audit(const AuditLog &log, const QString &environment, const QString &action,
           const QString &target, const Error *error, qint64 durationMs, const QString &detail,
           const SecretValue &password, const QMap<QString, QString> &cloudSecrets = {},
           const QString &operation = {})
{
    AuditEntry entry = auditEntryFor(environment, action, target, error, durationMs, detail);
    entry.operation = operation;
    QList<SecretValue> known;
    if (!password.isEmpty())
        known.append(password);
    for (const QString &value : cloudSecrets)
        known.append(SecretValue::fromString(value));
    if (auto written = log.append(entry, known); !written)
        qWarning("could not write the audit log: %s", qPrintable(written.error().message));
}

// The vendor's branches in the shape of local ones (no size: vendors do not print one).
Result<QList<DatabaseBranchInfo>> cloudDatabases(const CloudBranches &cloud, BranchListing &listing)
{
    auto all = cloud.list();
    if (!all)
        return all.error();
    QList<DatabaseBranchInfo> databases;
    listing.selectedDatabase = cloud.parentBranch();
    for (const CloudBranchListing &entry : std::as_const(*all)) {
        if (entry.selected)
            listing.selectedDatabase = entry.branch.name;
        if (entry.isParent)
            continue; // the environment's own database, like a template branch's main
        DatabaseBranchInfo info;
        info.name = entry.branch.name;
        info.parent = entry.parent;
        info.created = QDateTime::fromString(entry.created, Qt::ISODate);
        databases.append(info);
    }
    return databases;
}

Result<BranchListing> buildListing(const Workspace &workspace, const EnvironmentConfig &env,
                                   const EnvironmentSecrets &secrets)
{
    BranchListing listing;
    listing.environment = env.name;
    listing.gitEnabled = env.branches.git;
    listing.databaseEnabled = env.branches.hasDatabaseBranches();
    listing.selectedDatabase = effectiveDatabase(workspace, env.name);
    BranchSwitcher switcher(workspace, env.name, secrets.password);
    switcher.setCloudSecretEnvironment(secrets.cloud);

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
    if (env.branches.cloud) {
        const CloudBranches cloud(workspace, env, secrets.cloud);
        listing.mainDatabase = cloud.parentBranch();
        auto all = cloudDatabases(cloud, listing);
        if (!all)
            return all.error();
        databases = *all;
    } else if (listing.databaseEnabled) {
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

void BranchOperations::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
}

BranchOperations::~BranchOperations() = default;

QStringList BranchOperations::branchEnvironments() const
{
    QStringList names;
    for (const EnvironmentConfig &env : m_workspace.environments) {
        if (env.branches.git || env.branches.hasDatabaseBranches())
            names.append(env.name);
    }
    return names;
}

QFuture<Result<BranchListing>> BranchOperations::list(const QString &environment)
{
    const EnvironmentConfig *env = m_workspace.environment(environment);
    if (!env)
        return failed<BranchListing>(errors::noEnvironment(environment));
    return resolveAll(*m_resolver, secretReferences(*env))
        .then(panelWorkPool(),
              [workspace = m_workspace,
               config = *env](const QList<Result<SecretValue>> &resolved) -> Result<BranchListing> {
                  auto secrets = readSecrets(config, resolved);
                  if (!secrets)
                      return secrets.error();
                  return buildListing(workspace, config, *secrets);
              });
}

QFuture<Result<QString>> BranchOperations::currentGitBranch()
{
    return QtConcurrent::run(panelWorkPool(), [dir = m_workspace.rootDir] {
        return GitRepository(dir, 10000).currentBranch();
    });
}

QFuture<Result<QString>> BranchOperations::switchTo(const QString &environment,
                                                    const QString &gitBranch, bool createGitBranch,
                                                    bool forceDisconnect,
                                                    const QString &confirmation)
{
    return act(Action::Switch, environment, gitBranch, {}, createGitBranch, forceDisconnect,
               confirmation);
}

QFuture<Result<QString>> BranchOperations::create(const QString &environment, const QString &name,
                                                  const QString &parent, bool forceDisconnect,
                                                  const QString &confirmation)
{
    return act(Action::Create, environment, name, parent, false, forceDisconnect, confirmation);
}

QFuture<Result<QString>> BranchOperations::reset(const QString &environment,
                                                 const QString &database, bool forceDisconnect,
                                                 const QString &confirmation)
{
    return act(Action::Reset, environment, database, {}, false, forceDisconnect, confirmation);
}

QFuture<Result<QString>> BranchOperations::remove(const QString &environment,
                                                  const QString &database,
                                                  const QString &confirmation)
{
    return act(Action::Remove, environment, database, {}, false, false, confirmation);
}

QFuture<Result<QString>> BranchOperations::act(Action action, const QString &environment,
                                               const QString &name, const QString &parent,
                                               bool flag, bool forceDisconnect,
                                               const QString &confirmation)
{
    static const char *const names[] = {"branch-switch", "branch-create", "branch-reset",
                                        "branch-delete"};
    const EnvironmentConfig *env = m_workspace.environment(environment);
    if (!env)
        return failed<QString>(errors::noEnvironment(environment));
    // Protection before the keyring is asked: a refusal reads no secret. Audited on a worker
    // (the audit log is a file).
    if (auto allowed = checkProtection(*env, ProtectedChange::Branches, confirmation,
                                       ConfirmationSource::Dialog);
        !allowed) {
        return QtConcurrent::run(panelWorkPool(),
                                 [log = m_audit, environment, name, action,
                                  refusal = allowed.error()]() -> Result<QString> {
                                     audit(log, environment, QLatin1String(names[int(action)]),
                                           name, &refusal, -1, {}, SecretValue());
                                     return refusal;
                                 });
    }
    return resolveAll(*m_resolver, secretReferences(*env))
        .then(panelWorkPool(),
              [log = m_audit, workspace = m_workspace, config = *env, action, name, parent, flag,
               forceDisconnect,
               confirmation](const QList<Result<SecretValue>> &resolved) -> Result<QString> {
                  const QString auditAction = QLatin1String(names[int(action)]);
                  auto secrets = readSecrets(config, resolved);
                  if (!secrets) {
                      audit(log, config.name, auditAction, name, &secrets.error(), -1, {},
                            SecretValue());
                      return secrets.error();
                  }
                  const SecretValue password = secrets->password;
                  BranchSwitcher switcher(workspace, config.name, password);
                  switcher.setConfirmation(confirmation);
                  switcher.setCloudSecretEnvironment(secrets->cloud);
                  // Before it runs: a ParityDeck killed half-way still leaves "started" in the log.
                  const QString operation = log.begin(config.name, auditAction, name);
                  if (config.branches.cloud && action != Action::Switch) {
                      // The vendor's CLI does it, as `paritydeck branch create|reset|delete` does.
                      const CloudBranches cloud(workspace, config, secrets->cloud);
                      const CloudBranchAction cloudAction =
                          action == Action::Create  ? CloudBranchAction::Create
                          : action == Action::Reset ? CloudBranchAction::Reset
                                                    : CloudBranchAction::Delete;
                      const CloudBranchActionOutcome outcome =
                          runCloudBranchAction(cloud, cloudAction, name, parent);
                      audit(log, config.name, auditAction, outcome.target,
                            outcome.error ? &*outcome.error : nullptr, outcome.elapsedMs,
                            outcome.auditDetail.isEmpty() ? outcome.sentence : outcome.auditDetail,
                            password, secrets->cloud, operation);
                      if (outcome.error)
                          return *outcome.error;
                      return outcome.sentence;
                  }
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
                              .arg(created->branch.name, created->branch.parent,
                                   seconds(created->elapsedMs));
                      }
                      if (action == Action::Reset) {
                          auto reset = branches->reset(name, createOptions);
                          if (!reset)
                              return reset.error();
                          return QStringLiteral("reset %1 from %2 in %3")
                              .arg(reset->branch.name, reset->branch.parent,
                                   seconds(reset->elapsedMs));
                      }
                      if (auto removed = switcher.remove(name); !removed)
                          return removed.error();
                      return QStringLiteral("deleted %1").arg(name);
                  }();
                  audit(log, config.name, auditAction, name, outcome ? nullptr : &outcome.error(),
                        clock.elapsed(), outcome ? *outcome : QString(), password, secrets->cloud,
                        operation);
                  return outcome;
              });
}

} // namespace pd
