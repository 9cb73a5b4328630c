#include "paritycheck.h"

#include "db/connection.h"
#include "environment/resolvedconnection.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "parity/paritycollector.h"
#include "parity/paritydigest.h"
#include "parity/parityprobes.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "secrets/secretresolver.h"

#include <QtConcurrent>

#include <optional>

namespace pd {

void addServerFacts(Connection &connection, const Workspace &workspace,
                    const std::optional<MigrationSet> &migrations, ParityEnvironmentInput &input)
{
    if (auto facts = ParityCollector::queryServer(connection))
        ParityCollector::applyServerFacts(*facts, input);
    else
        input.serverNote = facts.error().message;
    if (migrations) {
        if (auto plan = MigrationRunner::status(connection, *migrations))
            // "" = none applied (shown as missing); a head applied from another branch
            // says so ("0007, not in this checkout").
            input.migrationHead = plan->headVersion.isEmpty() ? QString() : plan->headLabel();
        else
            input.migrationNote = plan.error().message;
    }
    // Same schema on two servers gives the same fingerprint (column order, OIDs and
    // server-chosen names aside), so one row tells whether schemas agree.
    SchemaFilter filter;
    filter.includeSchemas = workspace.schemaInclude;
    filter.excludeSchemas += workspace.schemaExclude;
    FingerprintOptions options;
    options.ignorePrivileges = !workspace.schemaPrivileges;
    if (auto snapshot = introspect(connection, filter))
        input.schemaFingerprint = QString::fromLatin1(fingerprint(*snapshot, options).left(12));
    else
        input.schemaNote = snapshot.error().message;
}

void addServerFacts(const Result<ConnectionParams> &params, const Workspace &workspace,
                    const EnvironmentConfig &environment,
                    const std::optional<MigrationSet> &migrations, ParityEnvironmentInput &input)
{
    // Probes run whether or not the server answers: a runtime version or a commit does
    // not need it, and the database probes say why they could not run.
    const auto probe = [&](Connection *connection) {
        const ConnectionParams *p =
            params && !environment.database.url.isEmpty() ? &*params : nullptr;
        input.probes =
            parityprobes::runAll(workspace, environment, p, connection, input.serverNote);
    };
    if (environment.database.url.isEmpty()) {
        input.serverNote = QStringLiteral("no database is configured");
        probe(nullptr);
        return;
    }
    if (!params) {
        input.serverNote = params.error().message;
        probe(nullptr);
        return;
    }
    auto connection = Connection::open(*params);
    if (!connection) {
        input.serverNote = connection.error().message;
        probe(nullptr);
        return;
    }
    addServerFacts(*connection, workspace, migrations, input);
    probe(&*connection);
}

namespace {

// Where each environment's values sit in the flat list of resolved references.
struct Layout
{
    QStringList secretNames;
    qsizetype firstSecret = 0;
    qsizetype password = -1; // -1: no password reference
};

// Worker thread: what only the server can tell.
void addServerFacts(const Workspace &workspace, const std::optional<MigrationSet> &migrations,
                    const EnvironmentConfig &env,
                    const std::optional<Result<SecretValue>> &password,
                    ParityEnvironmentInput &input)
{
    const Result<ConnectionParams> params =
        env.database.url.isEmpty()
            ? Result<ConnectionParams>(ConnectionParams())
            : connectionParamsWith(workspace, env, password, ConnectionPurpose::Introspection);
    addServerFacts(params, workspace, env, migrations, input);
}

ParityMatrix buildMatrix(const Workspace &workspace, const QList<Layout> &layout,
                         const QList<Result<SecretValue>> &resolved)
{
    QList<ParityEnvironmentInput> inputs(workspace.environments.size());
    std::optional<MigrationSet> migrations;
    if (auto set = MigrationSource::load(workspace))
        migrations = *set;

    QThreadPool servers;
    servers.setMaxThreadCount(std::max(1, int(workspace.environments.size())));
    QList<QFuture<void>> queries;
    for (qsizetype i = 0; i < workspace.environments.size(); ++i) {
        const EnvironmentConfig &env = workspace.environments.at(i);
        ParityEnvironmentInput &input = inputs[i];
        ParityCollector::readDotenv(workspace, env, input);
        const Layout &where = layout.at(i);
        for (qsizetype s = 0; s < where.secretNames.size(); ++s) {
            const Result<SecretValue> &value = resolved.at(where.firstSecret + s);
            ParitySecretState state;
            if (value) {
                state.resolved = true;
                state.sha256Hex = paritydigest::hex(*value);
            } else {
                state.note = value.error().message;
            }
            input.secrets.insert(where.secretNames.at(s), state);
        }
        std::optional<Result<SecretValue>> password;
        if (where.password >= 0)
            password = resolved.at(where.password);
        queries.append(
            QtConcurrent::run(&servers, [&workspace, &migrations, &env, password, &input] {
                addServerFacts(workspace, migrations, env, password, input);
            }));
    }
    for (QFuture<void> &query : queries)
        query.waitForFinished();

    ParityOptions options;
    options.presenceOnly = workspace.parityPresenceOnly;
    options.migrationsKnown = migrations.has_value();
    options.target = workspace.parityTarget;
    return ParityMatrix::build(inputs, options);
}

} // namespace

ParityCheck::ParityCheck(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
{
}

void ParityCheck::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
}

ParityCheck::~ParityCheck() = default;

QFuture<ParityMatrix> ParityCheck::run()
{
    QList<Layout> layout;
    QList<SecretRef> references;
    for (const EnvironmentConfig &env : m_workspace.environments) {
        Layout where;
        where.firstSecret = references.size();
        for (auto it = env.secrets.cbegin(); it != env.secrets.cend(); ++it) {
            where.secretNames.append(it.key());
            references.append(it.value());
        }
        if (env.database.password) {
            where.password = references.size();
            references.append(*env.database.password);
        }
        layout.append(where);
    }
    return resolveAll(*m_resolver, references)
        .then(panelWorkPool(),
              [workspace = m_workspace, layout](const QList<Result<SecretValue>> &resolved) {
                  return buildMatrix(workspace, layout, resolved);
              });
}

} // namespace pd
