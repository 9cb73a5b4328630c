#include "cli.h"
#include "audit/auditlog.h"

#include "branches/branchselection.h"
#include "command.h"
#include "environment/resolvedconnection.h"
#include "output.h"
#include "secrets/secretresolver.h"
#include "stopsignals.h"
#include "workspace/workspaceloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

namespace pd::cli {

// Commands that live in their own files without a declaration in command.h.
int initCommand(const CommandContext &context);     // initcommand.cpp
int completeCommand(const CommandContext &context); // completecommand.cpp

namespace {

struct CommandEntry
{
    const char *name;
    int (*run)(const CommandContext &);
    bool hidden = false; // not in --help or shell completion (__complete)
};

const CommandEntry Commands[] = {
    {"status", &statusCommand},
    {"secret", &secretCommand},
    {"migrate", &migrateCommand},
    {"promote", &promoteCommand},
    {"branch", &branchCommand},
    {"parity", &parityCommand},
    {"start", &serviceCommand},
    {"stop", &serviceCommand},
    {"restart", &serviceCommand},
    {"logs", &logsCommand},
    {"audit", &auditCommand},
    {"diff", &diffCommand},
    {"drift", &driftCommand},
    {"init", &initCommand},
    {"__complete", &completeCommand, true},
};

const CommandEntry *findCommand(const QString &name)
{
    for (const CommandEntry &entry : Commands) {
        if (name == QLatin1String(entry.name))
            return &entry;
    }
    return nullptr;
}

} // namespace

QStringList commandNames()
{
    QStringList names;
    for (const CommandEntry &entry : Commands) {
        if (!entry.hidden)
            names.append(QLatin1String(entry.name));
    }
    return names;
}

QString usageText()
{
    return QStringLiteral(
        "Usage: paritydeck [--workspace PATH] [COMMAND [ARGS…]]\n"
        "\n"
        "Without a command, opens the ParityDeck control panel.\n"
        "\n"
        "Commands:\n"
        "  init [--project NAME] [--print]\n"
        "                               write a commented starter paritydeck.yaml from what is "
        "here\n"
        "  status [--json]              status of every environment's database\n"
        "  secret set ENV KEY           store a secret in the keyring (value from stdin or a "
        "prompt)\n"
        "  secret get ENV KEY [--reveal] [--json]\n"
        "                               say whether a secret resolves; --reveal prints it\n"
        "  secret delete ENV KEY        remove a secret from the keyring\n"
        "  migrate status ENV [--json]  applied, pending, changed and failed migrations\n"
        "  migrate apply ENV [--dry-run] [--to V] [--confirm ENV] [--command-timeout S]\n"
        "                               apply pending migrations, each in its own transaction\n"
        "                               (or run migrations.command when one is set)\n"
        "  migrate baseline ENV --to V [--confirm ENV] [--force | --skip-check]\n"
        "                               record migrations up to V as applied without running "
        "them,\n"
        "                               after checking the live schema against the expected one\n"
        "  promote ENV [--dry-run] [--confirm ENV] [--json]\n"
        "                               apply what ENV's upstream (promotes_from) has applied, "
        "when\n"
        "                               every gate (history, drift, parity) passes\n"
        "  branch list|create|switch|reset|delete|cleanup [--env ENV] …\n"
        "                               git branches tied to database branches (branch --help)\n"
        "  parity [--json]              config, secret and schema parity matrix with a score\n"
        "  start|stop|restart ENV [SERVICE] [--confirm ENV]\n"
        "                               run the environment's services (in 'after:' order)\n"
        "  logs ENV SERVICE [--lines N] last lines of a supervised service's log\n"
        "  diff FROM TO [--format text|sql|json] [--unsafe] [--no-cache]\n"
        "                               schema differences and the SQL turning FROM into TO\n"
        "  drift ENV [--format text|sql|json] [--no-cache]\n"
        "                               live schema versus what ENV's migrations say it should be\n"
        "  audit [--env ENV] [--action A] [--limit N] [--json]\n"
        "                               what ParityDeck changed, when, by whom, with what outcome\n"
        "\n"
        "Options:\n"
        "  --workspace PATH   paritydeck.yaml, or the folder holding it (default: found by\n"
        "                     walking up from the current directory); before or after COMMAND\n"
        "  -h, --help         this help; COMMAND --help for a command's help\n"
        "  --version          print the version\n"
        "\n"
        "Exit codes: 0 ok, 1 something is not in order (an environment not up, drift,\n"
        "pending migrations), 2 usage or configuration error, 3 runtime failure.\n");
}

// QGuiApplication's command-line options that take a value.
static const QStringList &qtOptionsWithValue()
{
    static const QStringList options{QStringLiteral("-platform"),
                                     QStringLiteral("-platformpluginpath"),
                                     QStringLiteral("-platformtheme"),
                                     QStringLiteral("-plugin"),
                                     QStringLiteral("-qwindowgeometry"),
                                     QStringLiteral("-geometry"),
                                     QStringLiteral("-qwindowicon"),
                                     QStringLiteral("-icon"),
                                     QStringLiteral("-qwindowtitle"),
                                     QStringLiteral("-title"),
                                     QStringLiteral("-display"),
                                     QStringLiteral("-style"),
                                     QStringLiteral("-stylesheet"),
                                     QStringLiteral("-session"),
                                     QStringLiteral("-name")};
    return options;
}

GlobalOptions parseGlobalOptions(const QStringList &arguments, QString *error)
{
    GlobalOptions options;
    bool verbatim = false; // after "--": arguments are the command's, whatever they look like
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        // --workspace, -w and --workspace= are taken before the command and after it
        // ("paritydeck status --workspace W"), as users of other tools expect; no command
        // has an option of that name.
        if (!verbatim && (arg == QLatin1String("--workspace") || arg == QLatin1String("-w"))) {
            if (i + 1 >= arguments.size()) {
                if (error)
                    *error = QStringLiteral("--workspace needs a path");
                return options;
            }
            options.workspace = arguments.at(++i);
            continue;
        }
        if (!verbatim && arg.startsWith(QLatin1String("--workspace="))) {
            options.workspace = arg.mid(int(qstrlen("--workspace=")));
            continue;
        }
        if (!options.rest.isEmpty()) {
            if (!verbatim && arg == QLatin1String("--"))
                verbatim = true;
            else
                options.rest.append(arg);
            continue;
        }
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            options.help = true;
        } else if (arg == QLatin1String("--version")) {
            options.version = true;
        } else if (qtOptionsWithValue().contains(arg)) {
            ++i; // Qt's own GUI option and its value (-platform offscreen): not a command
        } else if (arg.startsWith(QLatin1Char('-')) && !arg.startsWith(QLatin1String("--"))) {
            // Qt's own flags without a value (-reverse, -nograb): the GUI handles them.
        } else if (arg.startsWith(QLatin1Char('-'))) {
            if (error)
                *error = QStringLiteral("unknown option '%1' before the command").arg(arg);
            return options;
        } else {
            options.rest.append(arg);
        }
    }
    return options;
}

bool isCliInvocation(const QStringList &arguments)
{
    QString error;
    const GlobalOptions options = parseGlobalOptions(arguments.mid(1), &error);
    return !error.isEmpty() || options.help || options.version || !options.rest.isEmpty();
}

// Every error the CLI prints starts with the program's name, whichever command failed
// and whether or not the message names a file and position.
static void printError(const Error &error)
{
    errLine(QStringLiteral("paritydeck: ") + error.message);
}

Result<Workspace> loadWorkspace(const CommandContext &context)
{
    QString path = context.global.workspace;
    if (path.isEmpty()) {
        auto found = WorkspaceLoader::discover(QDir::currentPath());
        if (!found) {
            printError(found.error());
            return found.error();
        }
        path = found.value();
    }
    auto workspace = WorkspaceLoader::load(path);
    if (!workspace)
        printError(workspace.error());
    else
        stampAuditEntries(*workspace); // every audit entry says where from, and which database
    return workspace;
}

SecretResolver *createResolver(const Workspace &workspace)
{
    auto *resolver = new SecretResolver(workspace.rootDir);
    resolver->moveToThread(QCoreApplication::instance()->thread());
    return resolver;
}

Result<const EnvironmentConfig *> findEnvironment(const Workspace &workspace, const QString &name)
{
    if (const EnvironmentConfig *env = workspace.environment(name))
        return env;
    return Error(ErrorCode::Usage,
                 QStringLiteral("no environment '%1' in %2 (environments: %3)")
                     .arg(name, workspace.filePath,
                          workspace.environmentNames().join(QStringLiteral(", "))));
}

Result<SecretValue> resolveSecret(const Workspace &workspace, const SecretRef &ref)
{
    SecretResolver *resolver = createResolver(workspace);
    QFuture<Result<SecretValue>> future = resolver->resolve(ref);
    future.waitForFinished();
    Result<SecretValue> value = future.result();
    resolver->deleteLater();
    return value;
}

Result<ConnectionParams> connectionFor(const Workspace &workspace, const EnvironmentConfig &env,
                                       ConnectionPurpose purpose)
{
    // The selected database branch, when the environment has one (per-user state).
    auto params = effectiveConnectionParams(workspace, env.name);
    if (!params)
        return params.error();
    std::optional<Result<SecretValue>> password;
    if (env.database.password)
        password = resolveSecret(workspace, *env.database.password);
    return environmentConnectionParams(std::move(params).value(), env, password, purpose);
}

int fail(const Error &error)
{
    printError(error);
    return exitCodeFor(error.code);
}

int usageError(const QString &message, const QString &usage)
{
    errLine(QStringLiteral("paritydeck: ") + message);
    err(usage);
    return 2;
}

int run(const QStringList &arguments)
{
    QString error;
    GlobalOptions global = parseGlobalOptions(arguments.mid(1), &error);
    if (!error.isEmpty())
        return usageError(error, usageText());
    if (global.version) {
        outLine(QStringLiteral("paritydeck " PARITYDECK_VERSION));
        return 0;
    }
    if (global.rest.isEmpty()) {
        out(usageText());
        return global.help ? 0 : 2;
    }
    const QString name = global.rest.takeFirst();
    const CommandEntry *command = findCommand(name);
    if (!command)
        return usageError(QStringLiteral("unknown command '%1'").arg(name), usageText());

    CommandContext context;
    context.args = global.rest;
    if (command->run == &serviceCommand)
        context.args.prepend(name); // start, stop or restart
    if (global.help)
        context.args.prepend(QStringLiteral("--help"));
    context.global = std::move(global);
    SecretStore store;
    context.store = &store;
    // Shadows a command gave up on are dropped when the event loop ends (finish()), and on
    // SIGINT/SIGTERM/SIGHUP.
    const ShadowCleanup shadowCleanup;

    // The command blocks on a worker thread; this thread runs the event loop that keyring
    // jobs need, and quits with the command's exit code.
    QFutureWatcher<int> watcher;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &watcher,
                     [&watcher] { QCoreApplication::exit(watcher.future().result()); });
    watcher.setFuture(QtConcurrent::run([command, context] { return command->run(context); }));
    return shadowCleanup.finish(QCoreApplication::exec());
}

} // namespace pd::cli
