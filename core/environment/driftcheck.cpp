#include "driftcheck.h"

#include "common/errors.h"
#include "db/connection.h"
#include "environment/keptconnections.h"
#include "environment/resolvedconnection.h"
#include "environment/schemasides.h"
#include "schema/catalogdigest.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"
#include "secrets/secretresolver.h"

#include <QFileInfo>
#include <QtConcurrent>

namespace pd {

namespace {

Error cancelledCheck()
{
    return errors::driftCheckCancelled();
}

} // namespace

// Worker thread. The expected schema is built where `paritydeck drift` builds it
// (environment/schemasides.h), never on a protected server.
Result<DriftReport> computeDrift(const Workspace &workspace, const EnvironmentConfig &env,
                                 const ConnectionLookup &lookup, const std::atomic_bool *cancel)
{
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    if (!QFileInfo(workspace.resolvePath(workspace.migrations.dir)).isDir()) {
        DriftReport none;
        none.environment = env.name;
        none.noMigrations = true;
        none.checkedAt = QDateTime::currentDateTimeUtc();
        return none;
    }
    auto live = lookup(env);
    if (!live)
        return live.error();
    if (cancelled())
        return cancelledCheck();
    const SchemaFilter filter = schemaFilterFor(workspace);
    // The live schema is read while the shadow is built; its digest first, so a change
    // made while it is read shows as a changed digest at the next look.
    const ConnectionParams liveParams = *live;
    QThreadPool local;
    struct Live
    {
        QByteArray counters;
        QByteArray digest;
        SchemaSnapshot snapshot;
    };
    QFuture<Result<Live>> liveSnapshot =
        QtConcurrent::run(&local, [liveParams, filter]() -> Result<Live> {
            auto connection = Connection::open(liveParams);
            if (!connection)
                return connection.error();
            // Counters first: a write after them shows as moved counters at the next look.
            auto counters = catalogWriteCounters(*connection);
            if (!counters)
                return counters.error();
            auto digest = catalogDigest(*connection, filter);
            if (!digest)
                return digest.error();
            auto snapshot = introspect(*connection, filter);
            if (!snapshot)
                return snapshot.error();
            return Live{counters->value_or(QByteArray()), digest->value, std::move(*snapshot)};
        });
    QString head;
    const Result<SchemaSnapshot> expected = expectedSchemaOf(workspace, env, filter, lookup, &head);
    liveSnapshot.waitForFinished();
    const Result<Live> actual = liveSnapshot.result();
    if (!actual)
        return actual.error();
    if (!expected)
        return expected.error();
    if (cancelled())
        return cancelledCheck();

    DiffOptions diffOptions;
    diffOptions.comparePrivileges = workspace.schemaPrivileges;
    const SchemaDiff changes = diff(*expected, actual->snapshot, diffOptions);
    DriftReport report;
    report.environment = env.name;
    report.head = head;
    report.changes = int(changes.changes.size());
    report.destructive = changes.destructiveCount();
    report.summary = changes.summaryText();
    FingerprintOptions fingerprintOptions;
    fingerprintOptions.ignorePrivileges = !workspace.schemaPrivileges;
    report.liveFingerprint =
        QString::fromLatin1(fingerprint(actual->snapshot, fingerprintOptions).left(12));
    report.liveDigest = actual->digest;
    report.liveCounters = actual->counters;
    report.target = liveParams.displayTarget();
    report.checkedAt = QDateTime::currentDateTimeUtc();
    return report;
}

Result<QByteArray> liveCatalogDigest(const Workspace &workspace, const EnvironmentConfig &env,
                                     const ConnectionLookup &lookup)
{
    auto live = lookup(env);
    if (!live)
        return live.error();
    auto connection = Connection::open(*live);
    if (!connection)
        return connection.error();
    auto digest = catalogDigest(*connection, schemaFilterFor(workspace));
    if (!digest)
        return digest.error();
    return digest->value;
}

Result<LiveCatalogLook> lookAtCatalogCountersOn(Connection &connection,
                                                const QByteArray &lastCounters)
{
    LiveCatalogLook look;
    auto counters = catalogWriteCounters(connection);
    if (!counters)
        return counters.error();
    if (*counters) {
        look.counters = **counters;
        look.unchanged = !lastCounters.isEmpty() && look.counters == lastCounters;
    }
    return look;
}

Result<LiveCatalogLook> finishCatalogLookOn(Connection &connection, const Workspace &workspace,
                                            LiveCatalogLook counted)
{
    if (counted.unchanged)
        return counted;
    auto digest = catalogDigest(connection, schemaFilterFor(workspace));
    if (!digest)
        return digest.error();
    counted.digest = digest->value;
    return counted;
}

Result<LiveCatalogLook> lookAtLiveCatalogOn(Connection &connection, const Workspace &workspace,
                                            const QByteArray &lastCounters)
{
    Result<LiveCatalogLook> counted = lookAtCatalogCountersOn(connection, lastCounters);
    if (!counted)
        return counted;
    return finishCatalogLookOn(connection, workspace, std::move(counted).value());
}

Result<LiveCatalogLook> lookAtLiveCatalog(const Workspace &workspace, const EnvironmentConfig &env,
                                          const ConnectionLookup &lookup,
                                          const QByteArray &lastCounters, KeptConnections *kept)
{
    auto live = lookup(env);
    if (!live)
        return live.error();
    // Asked every minute: skip libpq's GSSAPI attempt (most of a local connection's client
    // CPU, see StatusMonitor) unless something chose gssencmode — the URL, the environment
    // or a service file. A server that insists on it fails this look only; the full checks
    // connect as configured.
    skipGssAttemptUnlessChosen(*live);
    if (kept) {
        if (std::optional<KeptConnections::Kept> reused = kept->take(env.name, *live)) {
            Result<LiveCatalogLook> look =
                lookAtLiveCatalogOn(reused->connection, workspace, lastCounters);
            if (look) {
                kept->giveBack(env.name, std::move(reused->connection), reused->openedAtMs);
                return look;
            }
            // Told again, or told right, by a new connection below; this one is closed.
        }
    }
    const qint64 openedAtMs = kept ? kept->nowMs() : 0;
    auto connection = Connection::open(*live);
    if (!connection)
        return connection.error();
    Result<LiveCatalogLook> look = lookAtLiveCatalogOn(*connection, workspace, lastCounters);
    if (look && kept)
        kept->giveBack(env.name, std::move(*connection), openedAtMs);
    return look;
}

DriftStatus driftStatusOf(const Result<DriftReport> &report)
{
    DriftStatus drift;
    if (report && report->noMigrations) {
        drift.reason = QStringLiteral("no migrations folder to compare with");
        return drift;
    }
    if (!report) {
        drift.state = DriftStatus::State::Error;
        drift.reason = report.error().message;
        drift.checkedAt = QDateTime::currentDateTimeUtc();
        return drift;
    }
    drift.state = report->inSync() ? DriftStatus::State::None : DriftStatus::State::Drifted;
    drift.objects = report->changes;
    drift.summary = report->summary;
    drift.checkedAt = report->checkedAt;
    return drift;
}

DriftCheck::DriftCheck(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
{
}

void DriftCheck::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
}

DriftCheck::~DriftCheck() = default;

QFuture<Result<DriftReport>> DriftCheck::check(const QString &environment)
{
    const EnvironmentConfig *found = m_workspace.environment(environment);
    if (!found)
        return QtFuture::makeReadyFuture(Result<DriftReport>(errors::noEnvironment(environment)));
    if (found->database.url.isEmpty())
        return QtFuture::makeReadyFuture(Result<DriftReport>(
            Error(ErrorCode::Config, ErrorKind::NoDatabaseToCompare,
                  {ErrorArg::text(QStringLiteral("environment"), environment)})));
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
