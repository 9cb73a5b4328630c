// One blocking health check of one environment's database: connect (bounded by the
// connect timeout), read server version and database size. Call only on a worker thread.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "environment/environmentstatus.h"
#include "migrations/migrationplan.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <functional>
#include <optional>

namespace pd {

class Connection;
class KeptConnections;

// `password`: the resolved secret, or the error resolving it (reported as the status's
// reason), or nullptr when the environment has no password reference.
// `database`: connect to this database instead of the URL's (the selected branch).
EnvironmentStatus probeEnvironment(const EnvironmentConfig &env,
                                   const Result<SecretValue> *password,
                                   const QString &database = {});
// The same against a connection already worked out (effectiveConnectionParams: the
// selected branch, which for a cloud branch is another host); an error in `params` is
// reported as the status's reason. The password and timeouts come from `env`; the
// connection is the factory's ConnectionPurpose::StatusProbe. `latencyMs` is the round
// trip of the check's query, not counting the connect.
// `kept` (optional): the check runs on a connection kept from an earlier look when there is
// one, and keeps its own connection afterwards when the server answered
// (environment/keptconnections.h). A check that fails on a kept connection is taken again
// on a new one, so what it reports never depends on the kept session.
// `whileOpen` (optional): called with the connection and the status found once the server
// answered the check's query, before the connection is kept or closed: more work on the
// same session.
EnvironmentStatus probeEnvironmentAt(
    const EnvironmentConfig &env, const Result<SecretValue> *password,
    Result<ConnectionParams> params, KeptConnections *kept = nullptr,
    const std::function<void(Connection &, const EnvironmentStatus &)> &whileOpen = {});

// Combines a database result with its services' results (`status.state`/`reason` hold the
// database's; `status.services` the services'), by precedence error > degraded > starting
// > down > up: a service error is an error, a starting service is starting, a service down
// while the database is up makes the environment degraded, with the database down it is
// down. Services in state Unknown (not observable) do not count. The reason lists the
// parts that decided the state, services prefixed with their name ("pgbouncer: port 6432
// refused"). Without a database (`hasDatabase` false) only the services count: all down
// is down, some down is degraded.
EnvironmentStatus combineEnvironmentStatus(EnvironmentStatus status, bool hasDatabase);

// One-shot check of an environment's database and every service (no de-flapping), for
// callers like `paritydeck status`. Blocking: worker threads only. An environment without
// a database URL is judged by its services.
EnvironmentStatus probeEnvironmentAndServices(const Workspace &workspace,
                                              const EnvironmentConfig &env,
                                              const Result<SecretValue> *password);

// A migration plan as the attention model counts it (or why it could not be read).
SchemaFacts schemaFactsOf(const Result<MigrationPlan> &plan);
// Whether the workspace has no migrations at all: paritydeck.yaml names no migrations.dir
// and the default folder does not exist (a workspace that only watches its databases). A
// folder the file names but that is missing is not this: its status is unknown, which
// needs attention. Reads the file system: worker threads only.
bool workspaceHasNoMigrations(const Workspace &workspace);
// The facts of a workspace without migrations: nothing to read, and no problem.
SchemaFacts noMigrationsFacts();

} // namespace pd
