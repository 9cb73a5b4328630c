#include "servicecheck.h"

#include "services/servicefiles.h"
#include "services/shellcommand.h"

#include <future>
#include <vector>

namespace pd {

namespace {

Error freeText(const QString &text)
{
    return Error(ErrorCode::Runtime, text);
}

ServiceCheck unhealthy(const ServiceCheckInput &input, ServiceCheck check,
                       const QDateTime &startedAt, const Error &problem)
{
    const ServiceConfig &service = input.service;
    // Seen healthy since this start, by this process or another (the panel, an earlier
    // `status`): it went down later; it is not a start that failed.
    const bool seenHealthy =
        !check.startId.isEmpty() &&
        (input.startsSeenHealthy.contains(check.startId) ||
         ServiceFiles(input.workspace, input.environment, service.name).seenHealthyStart() ==
             check.startId);
    if (seenHealthy) {
        check.status.state = StatusState::Down;
        setReason(check.status, problem);
    } else if (startedAt.isValid() &&
               startedAt.addSecs(service.startTimeoutSeconds) > QDateTime::currentDateTimeUtc()) {
        check.status.state = StatusState::Starting;
        setReason(check.status, freeText(QStringLiteral("starting (%1)").arg(problem.message)));
    } else if (startedAt.isValid()) {
        check.status.state = StatusState::Error;
        setReason(check.status, freeText(QStringLiteral("did not become healthy within %1 s: %2")
                                             .arg(service.startTimeoutSeconds)
                                             .arg(problem.message)));
    } else {
        // Started outside ParityDeck (or before it kept records): nothing to wait for.
        check.status.state = StatusState::Down;
        setReason(check.status, problem);
    }
    return check;
}

ServiceCheck probe(const ServiceCheckInput &input, ServiceCheck check, const QDateTime &startedAt)
{
    if (input.service.health.kind == HealthProbeConfig::Kind::None) {
        check.status.state = StatusState::Up;
        check.healthy = true;
        return check;
    }
    const auto health = checkHealth(input.service.health, input.health);
    if (health) {
        check.status.state = StatusState::Up;
        check.healthy = true;
        if (!input.startsSeenHealthy.contains(check.startId)) // once per start, not per check
            ServiceFiles(input.workspace, input.environment, input.service.name)
                .markSeenHealthy(check.startId);
        return check;
    }
    return unhealthy(input, std::move(check), startedAt, health.error());
}

} // namespace

ServiceCheckInput serviceCheckInput(const Workspace &workspace,
                                    const EnvironmentConfig &environment,
                                    const ServiceConfig &service,
                                    const std::optional<Result<SecretValue>> &databasePassword)
{
    ServiceCheckInput input;
    input.workspace = workspace;
    input.environment = environment.name;
    input.service = service;
    input.health.database = environment.database;
    input.health.databasePassword = databasePassword;
    input.health.workingDirectory = service.workingDirectory.isEmpty()
                                        ? workspace.rootDir
                                        : workspace.resolvePath(service.workingDirectory);
    QProcessEnvironment variables = QProcessEnvironment::systemEnvironment();
    for (auto it = service.environment.cbegin(); it != service.environment.cend(); ++it)
        variables.insert(it.key(), it.value());
    input.health.environment = variables;
    return input;
}

ServiceCheck checkService(const ServiceCheckInput &input)
{
    const ServiceConfig &service = input.service;
    const ServiceFiles files(input.workspace, input.environment, service.name);
    const ServiceFiles::Record record = files.readRecord();
    const bool lastStartFailed =
        !record.lastError.isEmpty() &&
        (!record.stoppedAt.isValid() || record.startedAt >= record.stoppedAt);
    ServiceCheck check;
    check.status.name = service.name;

    if (service.isSupervised()) {
        const auto pid = files.readPid();
        if (!pid) {
            check.status.state = lastStartFailed ? StatusState::Error : StatusState::Down;
            setReason(check.status,
                      freeText(lastStartFailed ? record.lastError : QStringLiteral("stopped")));
            return check;
        }
        check.startId = pid->id();
        if (!process::isAlive(*pid)) {
            check.crashed = true;
            check.status.state = StatusState::Down;
            // The log's last line is not quoted here: status reasons reach the window, the
            // tray, `status --json` and the audit log, and a child may have echoed one of
            // its secret_env values, which this check has no way to mask.
            setReason(
                check.status,
                freeText(QStringLiteral("process %1 exited (its output: paritydeck logs %2 %3)")
                             .arg(pid->pid)
                             .arg(input.environment, service.name)));
            return check;
        }
        // The log only grows while the process runs; keeping it capped is part of watching.
        files.capLog(input.logCapBytes);
        return probe(input, std::move(check),
                     pid->startedAt.isValid() ? pid->startedAt : record.startedAt);
    }

    check.startId = record.startedAt.isValid()
                        ? QString::number(record.startedAt.toMSecsSinceEpoch())
                        : QString();
    if (!service.status.isEmpty()) {
        ShellCommand command;
        command.command = service.status;
        command.workingDirectory = input.health.workingDirectory;
        command.environment = input.health.environment;
        command.timeoutMs = std::max(1, service.health.timeoutSeconds) * 1000;
        auto output = runShellCommand(command, QStringLiteral("status command"));
        if (!output || output->crashed || output->exitCode != 0) {
            if (lastStartFailed) {
                check.status.state = StatusState::Error;
                setReason(check.status, freeText(record.lastError));
                return check;
            }
            // What happened, not an exit code it never had: "did not finish within 3 s",
            // "cannot run …", "killed by a signal", or the code and its last line.
            Error reason;
            if (!output) {
                reason = output.error();
            } else if (output->crashed) {
                reason = freeText(QStringLiteral("status command was killed by a signal"));
            } else {
                const QString line = output->lastLine();
                reason =
                    freeText(QStringLiteral("status command exited %1%2")
                                 .arg(output->exitCode)
                                 .arg(line.isEmpty() ? QString() : QStringLiteral(": ") + line));
            }
            return unhealthy(input, std::move(check), record.startedAt, reason);
        }
        return probe(input, std::move(check), record.startedAt);
    }
    if (service.health.kind == HealthProbeConfig::Kind::None) {
        check.status.state = lastStartFailed ? StatusState::Error : StatusState::Unknown;
        setReason(check.status,
                  freeText(lastStartFailed
                               ? record.lastError
                               : QStringLiteral(
                                     "not observed (no 'status' command and no 'health' probe)")));
        return check;
    }
    ServiceCheck probed = probe(input, check, record.startedAt);
    if (!probed.healthy && lastStartFailed) {
        probed.status.state = StatusState::Error;
        setReason(probed.status, freeText(record.lastError));
    }
    return probed;
}

QList<ServiceCheck> checkServices(const QList<ServiceCheckInput> &inputs)
{
    // Threads of their own rather than a pool's: the caller is itself a pool worker, and
    // waiting there on tasks queued behind it could starve. Service lists are short.
    std::vector<std::future<ServiceCheck>> others;
    for (qsizetype i = 1; i < inputs.size(); ++i)
        others.push_back(
            std::async(std::launch::async, [&inputs, i] { return checkService(inputs.at(i)); }));
    QList<ServiceCheck> checks;
    if (inputs.isEmpty())
        return checks;
    checks.reserve(inputs.size());
    checks.append(checkService(inputs.first()));
    for (std::future<ServiceCheck> &other : others)
        checks.append(other.get());
    return checks;
}

} // namespace pd
