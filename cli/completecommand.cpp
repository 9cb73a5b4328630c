// paritydeck __complete WHAT [ARGS]: words for shell completion (packaging/paritydeck.bash).
// Hidden from --help. It only reads the workspace file: no server, keyring or process is
// touched, so pressing Tab stays instant even when every environment is down. Nothing is
// printed on error (a broken workspace must not spill messages into the command line being
// typed); the exit code still says what went wrong.
#include "command.h"
#include "output.h"
#include "workspace/workspaceloader.h"

#include <QDir>

namespace pd::cli {

QStringList commandNames(); // cli.cpp: the command table without hidden commands

namespace {

const QString CompleteUsage = QStringLiteral(
    "Usage: paritydeck __complete commands\n"
    "       paritydeck __complete envs\n"
    "       paritydeck __complete services ENV\n"
    "One word per line, for shell completion; the workspace is read, nothing is checked.\n");

Result<Workspace> quietLoad(const CommandContext &context)
{
    QString path = context.global.workspace;
    if (path.isEmpty()) {
        auto found = WorkspaceLoader::discover(QDir::currentPath());
        if (!found)
            return found.error();
        path = found.value();
    }
    return WorkspaceLoader::load(path);
}

} // namespace

int completeCommand(const CommandContext &context)
{
    const QStringList &args = context.args;
    if (args.isEmpty() || args.first() == QLatin1String("--help") ||
        args.first() == QLatin1String("-h")) {
        out(CompleteUsage);
        return args.isEmpty() ? 2 : 0;
    }
    const QString what = args.first();
    if (what == QLatin1String("commands") && args.size() == 1) {
        for (const QString &word : commandNames())
            outLine(word);
        return 0;
    }
    if (what == QLatin1String("envs") && args.size() == 1) {
        const Result<Workspace> workspace = quietLoad(context);
        if (!workspace)
            return exitCodeFor(workspace.error().code);
        for (const EnvironmentConfig &env : workspace->environments)
            outLine(env.name);
        return 0;
    }
    if (what == QLatin1String("services") && args.size() == 2) {
        const Result<Workspace> workspace = quietLoad(context);
        if (!workspace)
            return exitCodeFor(workspace.error().code);
        const EnvironmentConfig *env = workspace->environment(args.at(1));
        if (!env)
            return 2;
        for (const ServiceConfig &service : env->services)
            outLine(service.name);
        return 0;
    }
    return usageError(QStringLiteral("__complete: unexpected arguments '%1'").arg(args.join(u' ')),
                      CompleteUsage);
}

} // namespace pd::cli
