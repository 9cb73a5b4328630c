// One status check of one service, for the status monitor: what the state files say
// (pidfile, last start/error) plus the health probe. Blocking: worker threads only.
//
// State rules, in order:
//   supervised, no pidfile          → down "stopped" (or error: the last start's failure)
//   supervised, pidfile but no process → down "process exited: <last log line>" (crashed)
//   probe passes (or no probe)      → up
//   probe fails, seen healthy since this start → down "<probe failure>"
//   probe fails, within start_timeout of the start → starting
//   probe fails after start_timeout → error "did not become healthy within N s: …"
// A command pair without status command and without probe cannot be observed: unknown.
#pragma once

#include "environment/environmentstatus.h"
#include "services/healthprobe.h"
#include "workspace/workspace.h"

#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace pd {

struct ServiceCheck
{
    ServiceStatus status;
    // Identity of the current start ("pid@ticks", or the start time of a command pair);
    // empty when not started. The monitor remembers which starts were seen healthy.
    QString startId;
    bool healthy = false;
    bool crashed = false; // supervised process gone while its pidfile remains
};

struct ServiceCheckInput
{
    Workspace workspace;
    QString environment;
    ServiceConfig service;
    HealthContext health;
    QSet<QString> startsSeenHealthy;
    qint64 logCapBytes = 1024 * 1024;
};

ServiceCheck checkService(const ServiceCheckInput &input);
// Every service of an environment at once, each on a thread of its own, in `inputs` order:
// hung probes cost one timeout together, not one each.
QList<ServiceCheck> checkServices(const QList<ServiceCheckInput> &inputs);

// The input for `service` of `environment`: its folder, plain variables (health commands
// get no secrets), and the database password for postgres probes.
ServiceCheckInput serviceCheckInput(const Workspace &workspace,
                                    const EnvironmentConfig &environment,
                                    const ServiceConfig &service,
                                    const std::optional<Result<SecretValue>> &databasePassword);

} // namespace pd
