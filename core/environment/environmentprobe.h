// One blocking health check of one environment's database: connect (bounded by the
// connect timeout), read server version and database size. Call only on a worker thread.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "environment/environmentstatus.h"
#include "migrations/migrationplan.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QDeadlineTimer>

#include <memory>
#include <optional>

namespace pd {

class Connection;

// A status check's connection, kept for the next check of the same environment: a calm
// environment then costs one query per check instead of a connection (with the TCP and
// startup exchange on both ends, about half of a check's client CPU). Used by one check
// at a time; it must be destroyed off the GUI thread (closing is a libpq call).
// It is given up when
//  - a check on it fails: a new connection decides, so a dropped connection is never
//    reported as a server that is down;
//  - the parameters or the password differ from those it was opened with;
//  - it is older than reuseSeconds: a new connection now and then is what proves that
//    the server still lets one in (a changed password, pg_hba.conf, max_connections).
// On it the check's query waits at most the connect timeout (a host gone from the
// network must not be noticed later than a new connection would notice it), then a new
// connection gets the usual statement timeout.
class ProbeSession
{
public:
    ProbeSession();
    ~ProbeSession();
    ProbeSession(const ProbeSession &) = delete;
    ProbeSession &operator=(const ProbeSession &) = delete;

    int reuseSeconds = 300;
    bool holdsConnection() const noexcept { return m_connection != nullptr; }
    // The server process of the kept connection (0 without one); tests compare it.
    int backendPid() const;

private:
    friend EnvironmentStatus probeEnvironmentAt(const EnvironmentConfig &,
                                                const Result<SecretValue> *,
                                                Result<ConnectionParams>, ProbeSession *);
    std::unique_ptr<Connection> m_connection;
    QByteArray m_key; // digest of what it was opened with, the password included
    QDeadlineTimer m_reopenBy;
};

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
// trip of the check's query, not counting the connect. With `session`, its kept
// connection is used when it may be, and a connection that passed the check is kept there.
EnvironmentStatus probeEnvironmentAt(const EnvironmentConfig &env,
                                     const Result<SecretValue> *password,
                                     Result<ConnectionParams> params,
                                     ProbeSession *session = nullptr);

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

} // namespace pd
