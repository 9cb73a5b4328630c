// Gathers what ParityMatrix compares, per environment: config keys from its dotenv file
// (hashed at once, values are not kept), its secret references through SecretResolver
// (both with paritydigest::hex, keyed per user), and the server's version and extensions. Migration
// heads and schema fingerprints come from their own engines; the caller fills them in.
#pragma once

#include "common/result.h"
#include "parity/paritymatrix.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QList>

namespace pd {

class Connection;
class SecretResolver;

struct ParityServerFacts
{
    QString serverVersion;             // "15.4"
    QMap<QString, QString> extensions; // name → version
};

class ParityCollector final
{
public:
    // Reads the environment's dotenv file (blocking; small files) into `input`: hashes on
    // success, a note when none is configured or it cannot be read.
    static void readDotenv(const Workspace &workspace, const EnvironmentConfig &environment,
                           ParityEnvironmentInput &input);

    // Resolves every secret reference of the environment. The future finishes once all
    // have (a failure becomes an unresolved state with the resolver's message).
    static QFuture<QMap<QString, ParitySecretState>>
    resolveSecrets(SecretResolver &resolver, const EnvironmentConfig &environment);

    // Dotenv and secrets for every environment of the workspace, in workspace order.
    // `resolver` must outlive the future.
    static QFuture<QList<ParityEnvironmentInput>> collect(const Workspace &workspace,
                                                          SecretResolver &resolver);

    // server_version and pg_extension of the connected database (blocking).
    static Result<ParityServerFacts> queryServer(Connection &connection);
    static void applyServerFacts(const ParityServerFacts &facts, ParityEnvironmentInput &input);
};

} // namespace pd
