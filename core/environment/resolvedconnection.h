// Connection parameters of an environment with its password, for the panel's on-demand
// work (parity, drift, branches). The password is resolved asynchronously on the
// resolver's thread; the rest (the branch selection is a file read) runs on `pool`, so a
// caller on the GUI thread never waits. Chain further blocking work with
// `.then(pool, ...)` on the returned future.
#pragma once

#include "common/result.h"
#include "db/connectionfactory.h"
#include "db/connectionparams.h"
#include "secrets/secretref.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QList>

#include <optional>

class QThreadPool;

namespace pd {

class SecretResolver;

// The pool for the panel's on-demand work (parity, drift, branches, secrets bookkeeping):
// process-wide, so a result that arrives after its window closed still has threads to
// finish on, and no object's destructor has to wait for a slow server.
QThreadPool *panelWorkPool();

// Every audit entry this process writes names its workspace and the database it acted on:
// the environment's selected branch when there is one (read when the entry is written),
// else its configured database (AuditLog::setWorkspace, AuditLog::setDatabaseNamer).
void stampAuditEntries(const Workspace &workspace);

// An environment's database.connect_timeout and statement_timeout, for the factory.
ConnectionTimeouts connectionTimeoutsOf(const EnvironmentConfig &environment);

// The environment's side of the connection factory (db/connectionfactory.h): `base` (its
// effective parameters) with its timeouts, its password when given, and `purpose`'s
// settings. A password that could not be read is an error naming the environment.
Result<ConnectionParams>
environmentConnectionParams(ConnectionParams base, const EnvironmentConfig &environment,
                            const std::optional<Result<SecretValue>> &password,
                            ConnectionPurpose purpose);

// Blocking (reads the branch selection): the environment's effective connection
// parameters (environmentConnectionParams). An environment without a database URL is a
// config error.
Result<ConnectionParams> connectionParamsWith(const Workspace &workspace,
                                              const EnvironmentConfig &environment,
                                              const std::optional<Result<SecretValue>> &password,
                                              ConnectionPurpose purpose);

// Asynchronous: resolves every reference (in parallel where the kind allows) and finishes
// with their results in the same order; one that could not be resolved (or was abandoned)
// is an error naming it. `resolver` must outlive the future.
QFuture<QList<Result<SecretValue>>> resolveAll(SecretResolver &resolver,
                                               const QList<SecretRef> &references);

// Asynchronous: resolves the password with `resolver`, then builds the parameters on `pool`.
// `resolver` and `pool` must outlive the future.
QFuture<Result<ConnectionParams>> resolveConnection(SecretResolver &resolver, QThreadPool *pool,
                                                    const Workspace &workspace,
                                                    const EnvironmentConfig &environment,
                                                    ConnectionPurpose purpose);

} // namespace pd
