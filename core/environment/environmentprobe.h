// One blocking health check of one environment's database: connect (bounded by the
// connect timeout), read server version and database size. Call only on a worker thread.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "environment/environmentstatus.h"
#include "migrations/migrationplan.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QElapsedTimer>
#include <QMutex>

#include <memory>
#include <optional>

namespace pd {

class Connection;

// The connection a repeating probe of one environment keeps between its checks, so that a
// routine check is one query instead of a connect, a SET and a query (the panel's idle
// cost is mostly these connects). It is opened afresh at least every `maxAgeMs`, so that
// whether the server still accepts new connections (max_connections, pg_hba.conf, a
// changed password) is known within that time; and whenever the connection it would use
// changed (branch, host, user, timeouts, gssencmode). A check on a kept connection that
// fails (the server restarted, idle_session_timeout closed it) is made again on a fresh
// connection, whose result is what counts. One check at a time uses it.
class ProbeConnection final
{
public:
    explicit ProbeConnection(int maxAgeMs = 60'000);
    ~ProbeConnection();
    ProbeConnection(const ProbeConnection &) = delete;
    ProbeConnection &operator=(const ProbeConnection &) = delete;

    // How many checks opened a connection / used the kept one (for tests and benchmarks).
    int opened() const;
    int reused() const;

private:
    friend EnvironmentStatus probeEnvironmentAt(const EnvironmentConfig &,
                                                const Result<SecretValue> *,
                                                Result<ConnectionParams>, std::optional<bool> *,
                                                ProbeConnection *);
    mutable QMutex m_mutex;
    const int m_maxAgeMs;
    std::unique_ptr<Connection> m_connection;
    QByteArray m_key; // a digest of what it was opened with
    QElapsedTimer m_openedAt;
    int m_opened = 0;
    int m_reused = 0;
};

// `password`: the resolved secret, or the error resolving it (reported as the status's
// reason), or nullptr when the environment has no password reference.
// `database`: connect to this database instead of the URL's (the selected branch).
EnvironmentStatus probeEnvironment(const EnvironmentConfig &env,
                                   const Result<SecretValue> *password,
                                   const QString &database = {});
// The same against a connection already worked out (effectiveConnectionParams: the
// selected branch, which for a cloud branch is another host); an error in `params` is
// reported as the status's reason. The password and timeouts come from `env`. When the
// connection opens and `gssEncrypted` is given, it is set to whether GSSAPI encryption is
// in use (and left empty otherwise). With `keep`, the connection is kept there for the
// next check of the same environment (see ProbeConnection). `latencyMs` is the round trip
// of the check's query, whether or not the connection was new.
EnvironmentStatus probeEnvironmentAt(const EnvironmentConfig &env,
                                     const Result<SecretValue> *password,
                                     Result<ConnectionParams> params,
                                     std::optional<bool> *gssEncrypted = nullptr,
                                     ProbeConnection *keep = nullptr);

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
