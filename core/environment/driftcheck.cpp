#include "driftcheck.h"

#include "db/connection.h"
#include "environment/resolvedconnection.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "migrations/shadowdatabase.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"
#include "secrets/secretresolver.h"

#include <QtConcurrent>

namespace pd {
namespace {

Result<SchemaSnapshot> snapshotOf(const ConnectionParams &params, const SchemaFilter &filter)
{
    auto connection = Connection::open(params);
    if (!connection)
        return connection.error();
    return introspect(*connection, filter);
}

struct Candidate
{
    EnvironmentConfig environment;
    std::optional<Result<SecretValue>> password;
};

// Worker thread. Nothing is ever created on a protected server (docs/decisions.md §7).
Result<ShadowDatabase> createShadow(const Workspace &workspace, const QList<Candidate> &candidates)
{
    QStringList tried;
    for (const Candidate &candidate : candidates) {
        auto params = connectionParamsWith(workspace, candidate.environment, candidate.password);
        if (!params)
            continue;
        auto shadow = ShadowDatabase::create(*params);
        if (shadow)
            return shadow;
        tried.append(candidate.environment.name + QStringLiteral(": ") + shadow.error().message);
    }
    return Error(ErrorCode::Runtime,
                 QStringLiteral("no server to build the expected schema on: an unprotected "
                                "environment whose user may CREATE DATABASE is needed%1")
                     .arg(tried.isEmpty() ? QString()
                                          : QStringLiteral(" (") + tried.join(QStringLiteral("; ")) +
                                                QLatin1Char(')')));
}

Result<DriftReport> computeDrift(const Workspace &workspace, const Candidate &target,
                                 const QList<Candidate> &shadowCandidates)
{
    const EnvironmentConfig &env = target.environment;
    auto live = connectionParamsWith(workspace, env, target.password);
    if (!live)
        return live.error();
    auto set = MigrationSource::load(workspace);
    if (!set)
        return set.error();
    auto plan = MigrationRunner::status(*live, *set);
    if (!plan)
        return plan.error();

    SchemaFilter filter;
    filter.includeSchemas = workspace.schemaInclude;
    filter.excludeSchemas += workspace.schemaExclude;
    // The live schema is read while the shadow is built.
    const ConnectionParams liveParams = *live;
    QThreadPool local;
    QFuture<Result<SchemaSnapshot>> liveSnapshot =
        QtConcurrent::run(&local, [liveParams, filter] { return snapshotOf(liveParams, filter); });

    Result<SchemaSnapshot> expected = [&]() -> Result<SchemaSnapshot> {
        auto shadow = createShadow(workspace, shadowCandidates);
        if (!shadow)
            return shadow.error();
        if (!plan->headVersion.isEmpty()) {
            ApplyOptions options;
            options.environment = QStringLiteral("shadow");
            options.targetVersion = plan->headVersion;
            auto applied = shadow->apply(*set, options);
            if (!applied)
                return Error(applied.error().code,
                             QStringLiteral("building the expected schema of %1 failed: %2")
                                 .arg(env.name, applied.error().message));
        }
        auto snapshot = snapshotOf(shadow->params(), filter);
        (void)shadow->drop();
        return snapshot;
    }();
    liveSnapshot.waitForFinished();
    const Result<SchemaSnapshot> actual = liveSnapshot.result();
    if (!actual)
        return actual.error();
    if (!expected)
        return expected.error();

    const SchemaDiff changes = diff(*expected, *actual);
    DriftReport report;
    report.environment = env.name;
    report.head = plan->headVersion;
    report.changes = int(changes.changes.size());
    report.destructive = changes.destructiveCount();
    report.summary = changes.summaryText();
    report.liveFingerprint = QString::fromLatin1(fingerprint(*actual).left(12));
    report.checkedAt = QDateTime::currentDateTimeUtc();
    return report;
}

} // namespace

DriftCheck::DriftCheck(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
{
}

DriftCheck::~DriftCheck() = default;

QFuture<Result<DriftReport>> DriftCheck::check(const QString &environment)
{
    const EnvironmentConfig *found = m_workspace.environment(environment);
    if (!found)
        return QtFuture::makeReadyFuture(Result<DriftReport>(
            Error(ErrorCode::NotFound, QStringLiteral("no environment '%1'").arg(environment))));
    if (found->database.url.isEmpty())
        return QtFuture::makeReadyFuture(Result<DriftReport>(
            Error(ErrorCode::Config, environment + QStringLiteral(" has no database to compare"))));

    // The target first, then every unprotected environment that could hold the shadow.
    QList<EnvironmentConfig> needed{*found};
    for (const EnvironmentConfig &env : m_workspace.environments) {
        if (env.protection == Protection::None && !env.database.url.isEmpty())
            needed.append(env);
    }
    QList<SecretRef> references;
    QList<qsizetype> passwordAt;
    for (const EnvironmentConfig &env : needed) {
        passwordAt.append(env.database.password ? references.size() : -1);
        if (env.database.password)
            references.append(*env.database.password);
    }
    return resolveAll(*m_resolver, references)
        .then(panelWorkPool(), [workspace = m_workspace, needed,
                                passwordAt](const QList<Result<SecretValue>> &resolved) {
            QList<Candidate> candidates;
            for (qsizetype i = 0; i < needed.size(); ++i) {
                Candidate candidate{needed.at(i), std::nullopt};
                if (passwordAt.at(i) >= 0)
                    candidate.password = resolved.at(passwordAt.at(i));
                candidates.append(candidate);
            }
            const Candidate target = candidates.takeFirst();
            return computeDrift(workspace, target, candidates);
        });
}

} // namespace pd
