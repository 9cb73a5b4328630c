// The parity matrix for the panel (what `paritydeck parity` prints), computed without
// blocking the caller: secret references and database passwords are resolved
// asynchronously, then dotenv files, servers (version, extensions), migration heads and
// schema fingerprints are read on the check's own thread pool, every server at once, so
// an unreachable one costs its connect timeout once and delays nobody. The work runs on
// panelWorkPool() and holds nothing of the check, so destroying the check never waits.
#pragma once

#include "db/connectionparams.h"
#include "migrations/migrationsource.h"
#include "parity/paritycollector.h"
#include "parity/paritymatrix.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QObject>

namespace pd {

class Connection;
class SecretResolver;

// What only a live server can tell, added to `input`: server version and extensions,
// migration head (with `migrations`), schema fingerprint (with the workspace's schema
// filter). Shared by the panel and `paritydeck parity`. Blocking: worker threads only.
void addServerFacts(Connection &connection, const Workspace &workspace,
                    const std::optional<MigrationSet> &migrations, ParityEnvironmentInput &input);
// The same from connection parameters (or the reason there are none: an unreadable
// password, a variable not set): connects, and when it cannot, records why in the input's
// notes so the matrix shows those rows as not checked, with the reason.
void addServerFacts(const Result<ConnectionParams> &params, const Workspace &workspace,
                    const EnvironmentConfig &environment,
                    const std::optional<MigrationSet> &migrations, ParityEnvironmentInput &input);

class ParityCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParityCheck)

public:
    explicit ParityCheck(Workspace workspace, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Call it before
    // the first request.
    void setSecretResolver(SecretResolver &resolver);
    ~ParityCheck() override;

    const Workspace &workspace() const noexcept { return m_workspace; }

    // Call on the check's thread. The future is cancelled when the check is destroyed
    // before the secrets were resolved.
    QFuture<ParityMatrix> run();

private:
    Workspace m_workspace;
    SecretResolver *m_resolver;
};

} // namespace pd
