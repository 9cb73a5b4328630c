// What every CLI command receives. Commands run on a worker thread and may block there;
// objects that need the main thread's event loop (keyring jobs) are reached through
// the pointers here, whose methods are safe to call from any thread.
#pragma once

#include "cli.h"
#include "common/result.h"
#include "db/connectionfactory.h"
#include "db/connectionparams.h"
#include "secrets/secretref.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QStringList>

namespace pd {
class SecretResolver;
class SecretStore;
} // namespace pd

namespace pd::cli {

struct CommandContext
{
    GlobalOptions global;
    QStringList args;             // arguments after the subcommand name
    SecretStore *store = nullptr; // lives on the main thread
};

// A resolver for the workspace's secret references (dotenv paths resolve against the
// workspace folder), living on the main thread so keyring jobs have an event loop.
// Release it with deleteLater().
SecretResolver *createResolver(const Workspace &workspace);

// Loads the workspace named by --workspace or found by walking up from the current
// directory; prints the error and returns it on failure.
Result<Workspace> loadWorkspace(const CommandContext &context);

// Resolves one secret reference of the workspace, blocking this worker thread while the
// keyring (or command, or file) answers on the main thread.
Result<SecretValue> resolveSecret(const Workspace &workspace, const SecretRef &ref);

// Connection parameters of an environment with its password resolved (blocks this worker
// thread while the keyring answers on the main thread), built by the connection factory
// for `purpose`.
Result<ConnectionParams> connectionFor(const Workspace &workspace, const EnvironmentConfig &env,
                                       ConnectionPurpose purpose);
// The named environment, or a usage error listing the known ones.
Result<const EnvironmentConfig *> findEnvironment(const Workspace &workspace, const QString &name);

// Prints `error` to stderr and returns its exit code.
int fail(const Error &error);
int usageError(const QString &message, const QString &usage);

int statusCommand(const CommandContext &context);
int secretCommand(const CommandContext &context);
int migrateCommand(const CommandContext &context);
int branchCommand(const CommandContext &context);
int parityCommand(const CommandContext &context);
int serviceCommand(const CommandContext &context); // start, stop, restart
int logsCommand(const CommandContext &context);
int auditCommand(const CommandContext &context);
int diffCommand(const CommandContext &context);
int driftCommand(const CommandContext &context);
int promoteCommand(const CommandContext &context);

// Appends one line to the audit log for an action that changed something (or was refused).
// `error` null means success. Failures to write the audit log are reported on stderr.
// `operation`: the id AuditLog::begin() returned when the change wrote its "started" entry.
void recordAudit(const QString &environment, const QString &action, const QString &target,
                 const Error *error, qint64 durationMs, const QString &detail = {},
                 const QString &operation = {});

} // namespace pd::cli
