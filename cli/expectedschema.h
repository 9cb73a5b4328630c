// The expected schema of an environment's migrations for the CLI commands that need it
// (drift, diff migrations:ENV, migrate baseline): shadow databases on the workspace's
// first unprotected server, snapshots cached by core/migrations/snapshotcache.h.
// Implemented in diffcommand.cpp.
#pragma once

#include "common/result.h"
#include "migrations/shadowdatabase.h"
#include "migrations/snapshotcache.h"
#include "schema/schemasnapshot.h"
#include "workspace/workspace.h"

namespace pd::cli {

// A shadow database on the first unprotected environment's server that accepts one.
Result<ShadowDatabase> createShadow(const Workspace &workspace);

// The workspace's schema filter (schema.include / schema.exclude).
SchemaFilter workspaceFilter(const Workspace &workspace);

// The expected schema of `set` up to `upTo` (empty: none) for a server of major version
// `serverMajor`, from the cache unless `useCache` is false.
Result<ExpectedSchema> expectedSchemaUpTo(const Workspace &workspace, const MigrationSet &set,
                                          const QString &upTo, int serverMajor,
                                          const SchemaFilter &filter, bool useCache = true);

} // namespace pd::cli
