// One blocking health check of one environment's database: connect (bounded by the
// connect timeout), read server version and database size. Call only on a worker thread.
#pragma once

#include "common/result.h"
#include "environment/environmentstatus.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <optional>

namespace pd {

// `password`: the resolved secret, or the error resolving it (reported as the status's
// reason), or nullptr when the environment has no password reference.
EnvironmentStatus probeEnvironment(const EnvironmentConfig &env, const Result<SecretValue> *password);

} // namespace pd
