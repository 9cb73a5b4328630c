#include "driftcheck.h"

#include "db/connection.h"
#include "environment/resolvedconnection.h"
#include "environment/schemasides.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"
#include "secrets/secretresolver.h"

#include <QtConcurrent>

namespace pd {
namespace {

// Worker thread. The expected schema is built where `paritydeck drift` builds it
// (environment/schemasides.h), never on a protected server.
Result<DriftReport> computeDrift(const Workspace &workspace, const EnvironmentConfig &env,
                                 const ConnectionLookup &lookup)
{
    auto live = lookup(env);
    if (!live)
        return live.error();
    const SchemaFilter filter = schemaFilterFor(workspace);
    // The live schema is read while the shadow is built.
    const ConnectionParams liveParams = *live;
    QThreadPool local;
    QFuture<Result<SchemaSnapshot>> liveSnapshot =
        QtConcurrent::run(&local, [liveParams, filter] { return introspectDatabase(liveParams, filter); });
    QString head;
    const Result<SchemaSnapshot> expected = expectedSchemaOf(workspace, env, filter, lookup, &head);
    liveSnapshot.waitForFinished();
    const Result<SchemaSnapshot> actual = liveSnapshot.result();
    if (!actual)
        return actual.error();
    if (!expected)
        return expected.error();

    DiffOptions diffOptions;
    diffOptions.comparePrivileges = workspace.schemaPrivileges;
    const SchemaDiff changes = diff(*expected, *actual, diffOptions);
    DriftReport report;
    report.environment = env.name;
    report.head = head;
    report.changes = int(changes.changes.size());
    report.destructive = changes.destructiveCount();
    report.summary = changes.summaryText();
    FingerprintOptions fingerprintOptions;
    fingerprintOptions.ignorePrivileges = !workspace.schemaPrivileges;
    report.liveFingerprint = QString::fromLatin1(fingerprint(*actual, fingerprintOptions).left(12));
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
    auto side = parseSchemaSide(m_workspace, QStringLiteral("migrations:") + environment);
    if (!side)
        return QtFuture::makeReadyFuture(Result<DriftReport>(side.error()));

    // The environment itself, and every unprotected one that could hold the shadow.
    QStringList withPassword;
    QList<SecretRef> references;
    for (const QString &name : environmentsNeededFor(m_workspace, *side)) {
        const EnvironmentConfig *env = m_workspace.environment(name);
        if (env && env->database.password) {
            withPassword.append(name);
            references.append(*env->database.password);
        }
    }
    return resolveAll(*m_resolver, references)
        .then(panelWorkPool(), [workspace = m_workspace, config = *found,
                                withPassword](const QList<Result<SecretValue>> &resolved) {
            QHash<QString, Result<SecretValue>> passwords;
            for (qsizetype i = 0; i < withPassword.size() && i < resolved.size(); ++i)
                passwords.insert(withPassword.at(i), resolved.at(i));
            return computeDrift(workspace, config, connectionLookupWith(workspace, passwords));
        });
}

} // namespace pd
