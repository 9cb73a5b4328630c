#include "environmentprobe.h"

#include "audit/sharedhistory.h"
#include "branches/branchselection.h"

#include "db/connection.h"
#include "db/connectionfactory.h"
#include "environment/keptconnections.h"
#include "environment/resolvedconnection.h"
#include "environment/servicecheck.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>

namespace pd {

namespace {

// Unreachable (nothing listens, or nobody answers in time) is "down": the environment is
// not running. Everything else that fails needs the user's attention and is an "error".
StatusState stateForConnectError(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Refused:
    case ErrorCode::Timeout:
        return StatusState::Down;
    default:
        return StatusState::Error;
    }
}

// A service's state as it counts for its environment.
StatusState environmentStateFor(StatusState service, bool hasDatabase, StatusState database,
                                bool allServicesDown)
{
    if (service != StatusState::Down)
        return service;
    if (hasDatabase)
        return database == StatusState::Up ? StatusState::Degraded : StatusState::Down;
    return allServicesDown ? StatusState::Down : StatusState::Degraded;
}

} // namespace

EnvironmentStatus combineEnvironmentStatus(EnvironmentStatus status, bool hasDatabase)
{
    const StatusState database = status.state;
    const bool allServicesDown =
        !status.services.isEmpty() &&
        std::all_of(status.services.cbegin(), status.services.cend(),
                    [](const ServiceStatus &s) { return s.state == StatusState::Down; });
    struct Part
    {
        StatusState state;
        QList<Error> reason;
    };
    QList<Part> parts;
    if (hasDatabase)
        parts.append(Part{database, status.reasonErrors.parts});
    for (const ServiceStatus &s : std::as_const(status.services)) {
        if (s.state == StatusState::Unknown)
            continue; // not observable; says nothing about the environment
        const StatusState counted =
            environmentStateFor(s.state, hasDatabase, database, allServicesDown);
        parts.append(
            Part{counted, s.reason.isEmpty()
                              ? QList<Error>()
                              : QList<Error>{s.reasonErrors.parts.value(0).inEnvironment(s.name)}});
    }
    StatusState combined = StatusState::Unknown;
    for (const Part &p : std::as_const(parts)) {
        if (combined == StatusState::Unknown ||
            statusPrecedence(p.state) > statusPrecedence(combined))
            combined = p.state;
    }
    QList<Error> reasons;
    for (const Part &p : std::as_const(parts)) {
        if (p.state == combined && combined != StatusState::Up)
            reasons.append(p.reason);
    }
    status.state = combined;
    setReason(status, std::move(reasons));
    return status;
}

EnvironmentStatus probeEnvironmentAndServices(const Workspace &workspace,
                                              const EnvironmentConfig &env,
                                              const Result<SecretValue> *password)
{
    const bool hasDatabase = !env.database.url.trimmed().isEmpty();
    EnvironmentStatus status;
    if (hasDatabase) {
        // The selected branch's connection: a cloud branch lives on another host.
        status = probeEnvironmentAt(env, password, effectiveConnectionParams(workspace, env.name));
    } else {
        status.environment = env.name;
        status.checkedAt = QDateTime::currentDateTimeUtc();
    }
    std::optional<Result<SecretValue>> databasePassword;
    if (password)
        databasePassword = *password;
    QList<ServiceCheckInput> inputs;
    for (const ServiceConfig &service : env.services)
        inputs.append(serviceCheckInput(workspace, env, service, databasePassword));
    for (const ServiceCheck &check : checkServices(inputs))
        status.services.append(check.status);
    return combineEnvironmentStatus(std::move(status), hasDatabase);
}

EnvironmentStatus probeEnvironment(const EnvironmentConfig &env,
                                   const Result<SecretValue> *password, const QString &database)
{
    Result<ConnectionParams> params = ConnectionParams::fromUrl(env.database.url);
    if (params && !database.isEmpty())
        params->dbname = database;
    return probeEnvironmentAt(env, password, std::move(params));
}

namespace {

// The check's one query, timed. Fills in the facts of an open connection; true when the
// server answered it. `timeoutMs` <= 0: the connection's statement timeout.
bool checkOver(Connection &connection, EnvironmentStatus &status, int timeoutMs = -1)
{
    status.serverVersion = connection.serverVersion();
    QElapsedTimer clock;
    clock.start();
    const auto size = connection.exec(QStringLiteral("SELECT pg_database_size(current_database())"),
                                      {}, timeoutMs);
    status.latencyMs = clock.elapsed();
    status.checkedAt = QDateTime::currentDateTimeUtc();
    if (size && size->rowCount() == 1) {
        status.databaseSizeBytes = size->value(0, 0).toLongLong();
        status.state = StatusState::Up;
        setReason(status, QList<Error>());
        return true;
    }
    // Connected but cannot even query: the server is there but not healthy.
    status.state = StatusState::Degraded;
    setReason(status, size ? QList<Error>{Error(ErrorCode::Runtime,
                                                QStringLiteral("the size query returned no row"))}
                           : QList<Error>{size.error()});
    return false;
}

// What the team did here (history: database), read on the check's connection: one small
// query.
void readSharedHistory(Connection &connection, const EnvironmentConfig &env,
                       EnvironmentStatus &status)
{
    if (env.history != HistoryStore::Database)
        return;
    if (auto history = sharedhistory::read(connection))
        status.sharedHistory = *history;
    else
        status.sharedHistoryNote = history.error().message;
}

} // namespace

EnvironmentStatus
probeEnvironmentAt(const EnvironmentConfig &env, const Result<SecretValue> *password,
                   Result<ConnectionParams> params, KeptConnections *kept,
                   const std::function<void(Connection &, const EnvironmentStatus &)> &whileOpen)
{
    EnvironmentStatus status;
    status.environment = env.name;

    if (!params) {
        status.state = StatusState::Error;
        setReason(status, {params.error()});
        status.checkedAt = QDateTime::currentDateTimeUtc();
        return status;
    }
    if (password && !password->ok()) {
        status.state = StatusState::Error;
        status.secretUnreadable = true;
        setReason(status, QStringLiteral("cannot read the database password: ") +
                              password->error().message);
        status.checkedAt = QDateTime::currentDateTimeUtc();
        return status;
    }
    params = connectionParamsFor(std::move(params).value(), connectionTimeoutsOf(env),
                                 ConnectionPurpose::StatusProbe,
                                 password ? password->value() : SecretValue());
    status.database = params->dbname;

    if (kept) {
        if (std::optional<KeptConnections::Kept> reused = kept->take(env.name, *params)) {
            // A live server answers a session it already has as fast as a new connection:
            // the connect timeout bounds the wait, not the statement timeout, so a session
            // a firewall dropped in silence costs no more than a connect would.
            EnvironmentStatus onKept = status;
            if (checkOver(reused->connection, onKept, params->connectTimeoutSeconds * 1000)) {
                readSharedHistory(reused->connection, env, onKept);
                if (whileOpen)
                    whileOpen(reused->connection, onKept);
                kept->giveBack(env.name, std::move(reused->connection), reused->openedAtMs);
                return onKept;
            }
            // Whatever went wrong is told by a new connection below; this one is closed.
        }
    }
    const qint64 openedAtMs = kept ? kept->nowMs() : 0;
    auto connection = Connection::open(*params);
    if (!connection) {
        status.state = stateForConnectError(connection.error().code);
        setReason(status, {connection.error()});
        status.checkedAt = QDateTime::currentDateTimeUtc();
        return status;
    }
    if (checkOver(*connection, status)) {
        readSharedHistory(*connection, env, status);
        if (whileOpen)
            whileOpen(*connection, status);
        if (kept)
            kept->giveBack(env.name, std::move(*connection), openedAtMs);
    }
    return status;
}

SchemaFacts schemaFactsOf(const Result<MigrationPlan> &plan)
{
    SchemaFacts facts;
    if (!plan) {
        facts.error = plan.error().message;
        return facts;
    }
    facts.known = true;
    facts.head = plan->headVersion;
    facts.pending = plan->count(MigrationState::Pending);
    facts.failed = plan->count(MigrationState::Failed);
    facts.changed = plan->count(MigrationState::ChecksumChanged);
    facts.missing = plan->count(MigrationState::Missing);
    return facts;
}

bool workspaceHasNoMigrations(const Workspace &workspace)
{
    return !workspace.migrations.dirGiven &&
           !QFileInfo(workspace.resolvePath(workspace.migrations.dir)).isDir();
}

SchemaFacts noMigrationsFacts()
{
    SchemaFacts facts;
    facts.error = QStringLiteral("no migrations folder");
    facts.noMigrations = true;
    return facts;
}

} // namespace pd
