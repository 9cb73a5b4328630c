// parity.probes: what else must agree between environments besides the database schema.
// A command probe is a shell command run once per environment in the workspace folder,
// `{env}` replaced by the environment's name and its connection in the PG* variables of
// the child's environment (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD — never on a
// command line). Its trimmed output is the cell's value: cut at 4 KiB and marked, bytes
// that are not UTF-8 (and control characters) shown as \xNN. A command that fails, is not
// found on PATH or does not finish in time (its whole process group is killed) gives an
// `unknown` cell with the reason. A secret probe is compared by keyed hash
// (paritydigest::hex); its output is not kept, shown, logged or put in a note.
//
// Built-in database probes read the connected server: settings (pg_settings), the roles
// the environment connects as (attributes and memberships), grants on the compared
// schemas, and a checksum of reference tables' rows.
//
// Command probe results are kept for the workspace's refresh interval, so a panel that
// refreshes often does not run every command every time. Everything here blocks: worker
// threads only.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "parity/paritymatrix.h"
#include "workspace/workspace.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pd {

class Connection;
struct SchemaFilter;

namespace parityprobes {

// Output longer than this is cut and marked.
constexpr qsizetype MaxOutputBytes = 4096;

// The cell text of a command's output: trimmed, cut at MaxOutputBytes (`cut` says it was
// longer) with a marker, non-UTF-8 bytes and control characters (except line breaks and
// tabs) as \xNN.
QString displayOutput(const QByteArray &output, bool cut);

// Runs one command probe for one environment. `connection` gives the PG* variables;
// nullptr runs it without them (no database, or its password could not be read).
ParityProbeValue runCommand(const Workspace &workspace, const ParityProbeConfig &probe,
                            const QString &environment, const ConnectionParams *connection);

// One built-in probe against the connected server: one value per setting or table, one
// for roles and privileges.
QList<ParityProbeValue> runDatabase(Connection &connection, const ParityProbeConfig &probe,
                                    const SchemaFilter &filter);

// Every probe of the workspace for one environment, in order. `connection` is the open
// connection (nullptr when there is none: database probes are then unknown with
// `whyNoConnection`), `params` its parameters for the command probes' PG* variables.
QList<ParityProbeValue> runAll(const Workspace &workspace, const EnvironmentConfig &environment,
                               const ConnectionParams *params, Connection *connection,
                               const QString &whyNoConnection);

// Forgets every remembered command result (tests; a workspace that changed).
void clearCache();

} // namespace parityprobes

} // namespace pd
