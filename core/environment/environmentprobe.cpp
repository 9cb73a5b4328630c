#include "environmentprobe.h"

#include "db/connection.h"

#include <QElapsedTimer>

namespace pd {

namespace {

// Unreachable (nothing listens, or nobody answers in time) is "down": the environment is
// not running. Everything else that fails needs the user's attention and is an "error".
StatusState stateForConnectError(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Refused:
    case ErrorCode::Timeout:
        return StatusState::Down;
    default:
        return StatusState::Error;
    }
}

} // namespace

EnvironmentStatus probeEnvironment(const EnvironmentConfig &env, const Result<SecretValue> *password)
{
    EnvironmentStatus status;
    status.environment = env.name;

    auto params = ConnectionParams::fromUrl(env.database.url);
    if (!params) {
        status.state = StatusState::Error;
        status.reason = params.error().message;
        status.checkedAt = QDateTime::currentDateTimeUtc();
        return status;
    }
    if (password) {
        if (!password->ok()) {
            status.state = StatusState::Error;
            status.reason = QStringLiteral("cannot read the database password: ") + password->error().message;
            status.checkedAt = QDateTime::currentDateTimeUtc();
            return status;
        }
        params->password = password->value();
    }
    params->connectTimeoutSeconds = env.database.connectTimeoutSeconds;
    params->statementTimeoutSeconds = env.database.statementTimeoutSeconds;

    QElapsedTimer clock;
    clock.start();
    auto connection = Connection::open(*params);
    if (!connection) {
        status.state = stateForConnectError(connection.error().code);
        status.reason = connection.error().message;
        status.checkedAt = QDateTime::currentDateTimeUtc();
        return status;
    }
    status.serverVersion = connection->serverVersion();
    auto size = connection->scalar(QStringLiteral("SELECT pg_database_size(current_database())"));
    status.latencyMs = clock.elapsed();
    if (size) {
        status.databaseSizeBytes = size->toLongLong();
        status.state = StatusState::Up;
    } else {
        // Connected but cannot even query: the server is there but not healthy.
        status.state = StatusState::Degraded;
        status.reason = size.error().message;
    }
    status.checkedAt = QDateTime::currentDateTimeUtc();
    return status;
}

} // namespace pd
