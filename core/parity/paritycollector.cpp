#include "paritycollector.h"

#include "db/connection.h"
#include "parity/paritydigest.h"
#include "secrets/dotenv.h"
#include "secrets/secretresolver.h"

#include <QCryptographicHash>
#include <QFuture>

#include <memory>

namespace pd {

void ParityCollector::readDotenv(const Workspace &workspace, const EnvironmentConfig &environment,
                                 ParityEnvironmentInput &input)
{
    input.name = environment.name;
    input.dotenvHashes.reset();
    if (environment.dotenv.isEmpty()) {
        input.dotenvNote = QStringLiteral("no dotenv file is configured");
        return;
    }
    auto file = DotenvFile::read(workspace.resolvePath(environment.dotenv));
    if (!file) {
        // Dotenv errors name the file, line and column, never a value.
        input.dotenvNote = file.error().message;
        return;
    }
    QMap<QString, QByteArray> hashes;
    const QMap<QString, QString> values = file->toMap();
    input.shownValues.clear();
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        hashes.insert(it.key(), paritydigest::hex(it.value().toUtf8()));
        if (workspace.parityShowValues.contains(it.key()))
            input.shownValues.insert(it.key(), it.value());
    }
    input.dotenvHashes = hashes;
    input.dotenvNote.clear();
}

QFuture<QMap<QString, ParitySecretState>>
ParityCollector::resolveSecrets(SecretResolver &resolver, const EnvironmentConfig &environment)
{
    const QStringList names = environment.secrets.keys();
    if (names.isEmpty())
        return QtFuture::makeReadyFuture(QMap<QString, ParitySecretState>());
    QList<QFuture<Result<SecretValue>>> futures;
    for (const QString &name : names)
        futures.append(resolver.resolve(environment.secrets.value(name)));
    return QtFuture::whenAll(futures.begin(), futures.end())
        .then([names](const QList<QFuture<Result<SecretValue>>> &done) {
            QMap<QString, ParitySecretState> states;
            for (qsizetype i = 0; i < done.size(); ++i) {
                ParitySecretState state;
                const QFuture<Result<SecretValue>> &f = done.at(i);
                if (f.isCanceled() || f.resultCount() == 0) {
                    state.note = QStringLiteral("the secret could not be resolved (cancelled)");
                } else {
                    const Result<SecretValue> result = f.result();
                    if (result) {
                        state.resolved = true;
                        state.sha256Hex = paritydigest::hex(*result);
                    } else {
                        state.note = result.error().message;
                    }
                }
                states.insert(names.at(i), state);
            }
            return states;
        });
}

QFuture<QList<ParityEnvironmentInput>> ParityCollector::collect(const Workspace &workspace,
                                                                SecretResolver &resolver)
{
    auto inputs = std::make_shared<QList<ParityEnvironmentInput>>();
    QList<QFuture<QMap<QString, ParitySecretState>>> futures;
    for (const EnvironmentConfig &env : workspace.environments) {
        ParityEnvironmentInput input;
        readDotenv(workspace, env, input);
        inputs->append(input);
        futures.append(resolveSecrets(resolver, env));
    }
    if (futures.isEmpty())
        return QtFuture::makeReadyFuture(QList<ParityEnvironmentInput>());
    return QtFuture::whenAll(futures.begin(), futures.end())
        .then([inputs](const QList<QFuture<QMap<QString, ParitySecretState>>> &done) {
            QList<ParityEnvironmentInput> out = *inputs;
            for (qsizetype i = 0; i < done.size() && i < out.size(); ++i) {
                if (done.at(i).resultCount() > 0)
                    out[i].secrets = done.at(i).result();
            }
            return out;
        });
}

Result<ParityServerFacts> ParityCollector::queryServer(Connection &connection)
{
    ParityServerFacts facts;
    facts.serverVersion = connection.serverVersion();
    auto rows = connection.exec(
        QStringLiteral("SELECT extname, extversion FROM pg_extension ORDER BY extname"));
    if (!rows)
        return rows.error();
    for (int r = 0; r < rows->rowCount(); ++r)
        facts.extensions.insert(rows->value(r, 0), rows->value(r, 1));
    return facts;
}

void ParityCollector::applyServerFacts(const ParityServerFacts &facts,
                                       ParityEnvironmentInput &input)
{
    input.serverVersion = facts.serverVersion;
    input.extensions = facts.extensions;
}

} // namespace pd
