// The two sides of a schema comparison, as a user names them: an environment ("staging"),
// the schema an environment's applied migrations produce ("migrations:staging"), a schema
// .sql file, or a postgresql:// URL. Each resolves to a SchemaSnapshot; the expected
// schema and .sql files are built in a throwaway shadow database on the first unprotected
// environment's server that allows one, dropped again afterwards. Expected schemas are
// kept in the snapshot cache (migrations/snapshotcache.h) unless the caller opts out.
//
// Shared by `paritydeck diff`/`drift` and the diff review window. Everything here that
// returns a snapshot blocks: worker threads only. Passwords come through a
// ConnectionLookup so the CLI (which blocks a worker on the keyring) and the GUI (which
// resolves passwords asynchronously on its own thread first) use the same code.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "migrations/shadowdatabase.h"
#include "migrations/snapshotcache.h"
#include "schema/schemasnapshot.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace pd {

// An environment's connection parameters with its password set (the selected database
// branch applied). May block the calling worker thread.
using ConnectionLookup = std::function<Result<ConnectionParams>(const EnvironmentConfig &)>;

struct SchemaSide
{
    enum class Kind { Environment, Migrations, File, Url };
    Kind kind = Kind::Environment;
    QString spec;        // as the user wrote it
    QString environment; // Environment and Migrations
    QString path;        // File: absolute
};

// Classifies `spec` (no I/O beyond asking whether a file exists). Unknown environment
// names are an error listing the known ones.
Result<SchemaSide> parseSchemaSide(const Workspace &workspace, const QString &spec);

// A short label for headers: "staging", "expected from migrations (staging)",
// "schema.sql", "postgresql://app@db/app".
QString schemaSideLabel(const SchemaSide &side);

// The environments whose passwords resolving `side` may need: its own environment, and
// for the shadow database (migrations and files) every unprotected environment.
QStringList environmentsNeededFor(const Workspace &workspace, const SchemaSide &side);

// The workspace's schema filter (schema.include / schema.exclude), narrowed to `schemas`
// when that is not empty (the CLI's --schema).
SchemaFilter schemaFilterFor(const Workspace &workspace, const QStringList &schemas = {});

// A lookup over passwords resolved beforehand (keyed by environment name). Connection
// parameters themselves are read when called (the branch selection file), on the worker.
ConnectionLookup connectionLookupWith(const Workspace &workspace,
                                      QHash<QString, Result<SecretValue>> passwords);

// A shadow database on the first unprotected environment's server that accepts one.
Result<ShadowDatabase> createShadowDatabase(const Workspace &workspace,
                                            const ConnectionLookup &lookup);

// The schema of the database `params` points at, read with `filter`. `cancel` (optional)
// cancels the catalog query running when it is set (Connection::setCancelFlag), so a
// stalled server does not hold a stop signal until the statement timeout; the result is
// then ErrorCode::Cancelled.
Result<SchemaSnapshot> introspectDatabase(const ConnectionParams &params,
                                          const SchemaFilter &filter,
                                          const std::atomic_bool *cancel = nullptr);

// The expected schema of `set` up to `upTo` (a version of the set; empty: none) for a
// server of major version `serverMajor`: from the snapshot cache when it has it and
// `useCache` is true, otherwise built in a shadow database (and then cached).
Result<ExpectedSchema> expectedSchemaAt(const Workspace &workspace, const MigrationSet &set,
                                        const QString &upTo, int serverMajor,
                                        const SchemaFilter &filter, const ConnectionLookup &lookup,
                                        bool useCache = true);

// What `env`'s applied migrations produce (expectedSchemaAt its applied head, for its
// server's major version). `head` receives the applied head version (empty when none is
// applied). A head whose file is gone is an error: it cannot be rebuilt.
Result<SchemaSnapshot> expectedSchemaOf(const Workspace &workspace, const EnvironmentConfig &env,
                                        const SchemaFilter &filter, const ConnectionLookup &lookup,
                                        QString *head = nullptr, bool useCache = true);

// `cancel` (optional) is checked between the steps (connect, shadow, load, introspect);
// a step already running finishes first, except a live database's introspection (an
// environment or URL side), whose running catalog query it cancels. A cancelled resolution is
// ErrorCode::Cancelled. `useCache` as for expectedSchemaOf (migrations:ENV sides). Errors about a
// .sql file name it as the user wrote it (side.spec).
Result<SchemaSnapshot> resolveSchemaSide(const Workspace &workspace, const SchemaSide &side,
                                         const SchemaFilter &filter, const ConnectionLookup &lookup,
                                         const std::atomic_bool *cancel = nullptr,
                                         bool useCache = true);

} // namespace pd
