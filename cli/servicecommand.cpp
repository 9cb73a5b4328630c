// paritydeck start|stop|restart ENV [SERVICE] and paritydeck logs ENV SERVICE. The
// controller records every action in the audit log itself.
#include "command.h"
#include "output.h"
#include "secrets/secretresolver.h"
#include "services/servicecontroller.h"

namespace pd::cli {

namespace {

const QString ServiceUsage = QStringLiteral(
    "Usage: paritydeck start|stop|restart ENV [SERVICE] [--no-wait] [--confirm ENV]\n"
    "Without SERVICE, acts on every service of ENV: start in 'after:' order, stop in reverse.\n"
    "start waits until the service's health probe passes (or its start_timeout runs out)\n"
    "unless --no-wait. Supervised ('run:') services keep running after ParityDeck exits.\n"
    "Protected environments: 'confirm' ones need --confirm with the environment's name,\n"
    "'read-only' ones refuse. Refusals are recorded in the audit log.\n");

const QString LogsUsage =
    QStringLiteral("Usage: paritydeck logs ENV SERVICE [--lines N]\n"
                   "Prints the last lines (default 50) of a supervised service's log.\n");

} // namespace

int serviceCommand(const CommandContext &context)
{
    QStringList positional;
    bool wait = true;
    QString confirmation;
    for (qsizetype i = 0; i < context.args.size(); ++i) {
        const QString &arg = context.args.at(i);
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(ServiceUsage);
            return 0;
        }
        if (arg == QLatin1String("--no-wait"))
            wait = false;
        else if (arg == QLatin1String("--confirm")) {
            if (i + 1 >= context.args.size())
                return usageError(QStringLiteral("--confirm needs the environment's name"),
                                  ServiceUsage);
            confirmation = context.args.at(++i);
        } else if (arg.startsWith(QLatin1Char('-')))
            return usageError(QStringLiteral("unknown option '%1'").arg(arg), ServiceUsage);
        else
            positional.append(arg);
    }
    const QString action = positional.takeFirst();
    if (positional.isEmpty() || positional.size() > 2)
        return usageError(QStringLiteral("%1: expected ENV and optionally SERVICE").arg(action),
                          ServiceUsage);
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    auto env = findEnvironment(*workspace, positional.at(0));
    if (!env)
        return fail(env.error());
    const QString service = positional.value(1);

    SecretResolver *resolver = createResolver(*workspace);
    Result<void> result;
    {
        ServiceController services(*workspace, resolver);
        services.setWaitForHealthy(wait);
        if (action == QLatin1String("start"))
            result = services.start((*env)->name, service, confirmation);
        else if (action == QLatin1String("stop"))
            result = services.stop((*env)->name, service, confirmation);
        else
            result = services.restart((*env)->name, service, confirmation);
    }
    resolver->deleteLater();
    if (!result)
        return fail(result.error());
    const QString what = service.isEmpty() ? QStringLiteral("all services of %1").arg((*env)->name)
                                           : QStringLiteral("%1/%2").arg((*env)->name, service);
    const QString done = action == QLatin1String("start")  ? QStringLiteral("started")
                         : action == QLatin1String("stop") ? QStringLiteral("stopped")
                                                           : QStringLiteral("restarted");
    outLine(QStringLiteral("%1 %2").arg(done, what));
    return 0;
}

int logsCommand(const CommandContext &context)
{
    QStringList positional;
    int lines = 50;
    for (qsizetype i = 0; i < context.args.size(); ++i) {
        const QString &arg = context.args.at(i);
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(LogsUsage);
            return 0;
        }
        if (arg == QLatin1String("--lines") && i + 1 < context.args.size()) {
            bool ok = false;
            lines = context.args.at(++i).toInt(&ok);
            if (!ok || lines <= 0)
                return usageError(QStringLiteral("logs: --lines needs a positive number"),
                                  LogsUsage);
        } else if (arg.startsWith(QLatin1Char('-'))) {
            return usageError(QStringLiteral("logs: unknown option '%1'").arg(arg), LogsUsage);
        } else {
            positional.append(arg);
        }
    }
    if (positional.size() != 2)
        return usageError(QStringLiteral("logs: expected ENV and SERVICE"), LogsUsage);
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    ServiceController services(*workspace);
    auto text = services.logs(positional.at(0), positional.at(1), lines);
    if (!text)
        return fail(text.error());
    for (const QString &line : *text)
        outLine(line);
    return 0;
}

} // namespace pd::cli
