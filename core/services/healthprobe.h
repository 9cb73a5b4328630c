// Health probes of a service (paritydeck.yaml `health:`): tcp, postgres, http on loopback,
// command. Each is bounded by its timeout and blocks: worker threads only. A probe answers
// with nothing (healthy) or an Error whose message is a short phrase naming what failed
// ("port 6432 refused", "GET /health answered 503"); callers prefix the service name.
#pragma once

#include "common/result.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace pd {

struct HealthContext
{
    // For postgres probes: the environment's database and its resolved password (or the
    // error resolving it); nullopt when the environment has no password reference.
    DatabaseConfig database;
    std::optional<Result<SecretValue>> databasePassword;
    // For command probes.
    QString workingDirectory;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
};

Result<void> checkHealth(const HealthProbeConfig &probe, const HealthContext &context);

// "host:port" → host and port; false when malformed. Accepts [v6]:port.
bool splitHostPort(const QString &target, QString *host, quint16 *port);

} // namespace pd
