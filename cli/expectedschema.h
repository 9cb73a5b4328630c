// The CLI's side of core/environment/schemasides.h: passwords come from connectionFor()
// (blocking this worker thread on the keyring), shadow databases live on the workspace's
// first unprotected server, and expected schemas are cached by
// core/migrations/snapshotcache.h. Used by drift, diff migrations:ENV and migrate baseline.
#pragma once

#include "command.h"
#include "environment/schemasides.h"

namespace pd::cli {

// Connection parameters through connectionFor(). Keeps a copy of `workspace`.
inline ConnectionLookup cliConnectionLookup(const Workspace &workspace)
{
    return [workspace](const EnvironmentConfig &env) {
        return connectionFor(workspace, env, ConnectionPurpose::Introspection);
    };
}

// The workspace's schema filter (schema.include / schema.exclude).
inline SchemaFilter workspaceFilter(const Workspace &workspace)
{
    return schemaFilterFor(workspace);
}

// The expected schema of `set` up to `upTo` (empty: none) for a server of major version
// `serverMajor`, from the cache unless `useCache` is false.
inline Result<ExpectedSchema> expectedSchemaUpTo(const Workspace &workspace,
                                                 const MigrationSet &set, const QString &upTo,
                                                 int serverMajor, const SchemaFilter &filter,
                                                 bool useCache = true)
{
    return expectedSchemaAt(workspace, set, upTo, serverMajor, filter,
                            cliConnectionLookup(workspace), useCache);
}

} // namespace pd::cli
