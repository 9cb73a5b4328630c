// paritydeck status [--json]: one check of every environment, in parallel, each bounded
// by its connect timeout.
#include "command.h"
#include "environment/environmentprobe.h"
#include "output.h"
#include "secrets/secretresolver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace pd::cli {

namespace {

const QString StatusUsage = QStringLiteral(
    "Usage: paritydeck status [--json]\n"
    "Checks every environment's database and prints one line each.\n"
    "Exit code 0 when every environment is up, 1 when some are not, 2 on a config error.\n");

QJsonObject toJson(const EnvironmentConfig &env, const EnvironmentStatus &status)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), env.name);
    o.insert(QStringLiteral("protection"), protectionName(env.protection));
    o.insert(QStringLiteral("state"), statusStateName(status.state));
    o.insert(QStringLiteral("reason"), status.reason.isEmpty() ? QJsonValue() : QJsonValue(status.reason));
    o.insert(QStringLiteral("server_version"),
             status.serverVersion.isEmpty() ? QJsonValue() : QJsonValue(status.serverVersion));
    o.insert(QStringLiteral("database_size_bytes"),
             status.databaseSizeBytes < 0 ? QJsonValue() : QJsonValue(double(status.databaseSizeBytes)));
    o.insert(QStringLiteral("latency_ms"), status.latencyMs < 0 ? QJsonValue() : QJsonValue(double(status.latencyMs)));
    o.insert(QStringLiteral("checked_at"), status.checkedAt.toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("database"), status.database.isEmpty() ? QJsonValue() : QJsonValue(status.database));
    QJsonArray services;
    for (const ServiceStatus &service : status.services) {
        QJsonObject so;
        so.insert(QStringLiteral("name"), service.name);
        so.insert(QStringLiteral("state"), statusStateName(service.state));
        so.insert(QStringLiteral("reason"), service.reason.isEmpty() ? QJsonValue() : QJsonValue(service.reason));
        services.append(so);
    }
    o.insert(QStringLiteral("services"), services);
    return o;
}

} // namespace

int statusCommand(const CommandContext &context)
{
    bool json = false;
    for (const QString &arg : context.args) {
        if (arg == QLatin1String("--json"))
            json = true;
        else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(StatusUsage);
            return 0;
        } else
            return usageError(QStringLiteral("status: unexpected argument '%1'").arg(arg), StatusUsage);
    }

    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);

    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, int(workspace->environments.size())));
    QList<QFuture<EnvironmentStatus>> checks;
    for (const EnvironmentConfig &env : std::as_const(workspace->environments)) {
        checks.append(QtConcurrent::run(&pool, [ws = *workspace, env] {
            if (!env.database.password)
                return probeEnvironmentAndServices(ws, env, nullptr);
            const Result<SecretValue> password = resolveSecret(ws, *env.database.password);
            return probeEnvironmentAndServices(ws, env, &password);
        }));
    }

    QList<EnvironmentStatus> statuses;
    QList<StatusState> states;
    for (QFuture<EnvironmentStatus> &check : checks) {
        statuses.append(check.result());
        states.append(statuses.last().state);
    }
    const StatusState overall = aggregateState(states);

    if (json) {
        QJsonArray environments;
        for (qsizetype i = 0; i < statuses.size(); ++i)
            environments.append(toJson(workspace->environments.at(i), statuses.at(i)));
        QJsonObject root;
        root.insert(QStringLiteral("workspace"), workspace->filePath);
        root.insert(QStringLiteral("project"), workspace->project);
        root.insert(QStringLiteral("state"), statusStateName(overall));
        root.insert(QStringLiteral("environments"), environments);
        outJson(QJsonDocument(root));
    } else {
        QList<QStringList> rows;
        for (qsizetype i = 0; i < statuses.size(); ++i) {
            const EnvironmentConfig &env = workspace->environments.at(i);
            const EnvironmentStatus &s = statuses.at(i);
            QStringList serviceStates;
            for (const ServiceStatus &service : s.services)
                serviceStates.append(service.name + QLatin1Char(':') + statusStateName(service.state));
            rows.append({env.name, protectionName(env.protection), statusStateName(s.state),
                         s.database.isEmpty() ? QStringLiteral("-") : s.database,
                         serviceStates.isEmpty() ? QStringLiteral("-") : serviceStates.join(QLatin1Char(' ')),
                         s.serverVersion.isEmpty() ? QStringLiteral("-") : s.serverVersion,
                         formatBytes(s.databaseSizeBytes),
                         s.checkedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")), s.reason});
        }
        out(formatTable({QStringLiteral("ENVIRONMENT"), QStringLiteral("PROTECTION"), QStringLiteral("STATUS"),
                         QStringLiteral("DATABASE"), QStringLiteral("SERVICES"),
                         QStringLiteral("VERSION"), QStringLiteral("SIZE"), QStringLiteral("CHECKED"),
                         QStringLiteral("REASON")},
                        rows));
    }
    return overall == StatusState::Up ? 0 : 1;
}

} // namespace pd::cli
