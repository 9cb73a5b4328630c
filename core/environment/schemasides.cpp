#include "environment/schemasides.h"

#include "branches/branchselection.h"
#include "common/errors.h"
#include "db/connection.h"
#include "environment/resolvedconnection.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "migrations/serverwidestate.h"
#include "migrations/sqlscript.h"
#include "schema/introspector.h"
#include "workspace/protection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace pd {

namespace {

const QLatin1String MigrationsPrefix("migrations:");

// A URL given outside the workspace (a diff side, the scratch server) keeps the limits it
// names itself (connect_timeout=…) or the defaults.
ConnectionParams urlConnectionParams(ConnectionParams params, ConnectionPurpose purpose)
{
    const ConnectionTimeouts own{params.connectTimeoutSeconds, params.statementTimeoutSeconds};
    return connectionParamsFor(std::move(params), own, purpose);
}

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load();
}

Error cancelledError()
{
    return errors::cancelled();
}

Result<const EnvironmentConfig *> environmentNamed(const Workspace &workspace, const QString &name)
{
    if (const EnvironmentConfig *env = workspace.environment(name))
        return env;
    return Error(ErrorCode::Usage, ErrorKind::NoEnvironmentIn,
                 {ErrorArg::text(QStringLiteral("environment"), name),
                  ErrorArg::text(QStringLiteral("file"), workspace.filePath),
                  ErrorArg::text(QStringLiteral("environments"),
                                 workspace.environmentNames().join(QStringLiteral(", ")))});
}

// `path` is opened; `name` (as the user wrote it) is what errors call the file.
//
// The file is parsed first (a syntax error is FILE:LINE:COL) and refused when a statement's
// effect would reach outside the scratch database (SqlScript::checkStaysInDatabase) — both
// before the scratch database exists. Then it runs statement by statement in one REPEATABLE
// READ transaction, and what no parser can see (a DO block or function that changes a role
// with EXECUTE) is caught by comparing the server's shared catalogs before and after: when
// they differ the transaction is rolled back and the file refused.
Result<SchemaSnapshot> schemaFromFile(const Workspace &workspace, const QString &path,
                                      const QString &name, const SchemaFilter &filter,
                                      const ConnectionLookup &lookup,
                                      const std::atomic_bool *cancel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::NotFound, ErrorKind::FileUnreadable,
                     {ErrorArg::text(QStringLiteral("file"), name),
                      ErrorArg::text(QStringLiteral("detail"), file.errorString())});
    auto script = SqlScript::parse(file.readAll(), name);
    if (!script)
        return script.error();
    if (auto contained = script->checkStaysInDatabase(QStringLiteral("a schema file")); !contained)
        return contained.error();
    // A file wrapped in BEGIN … COMMIT loads the same without the wrapper.
    const QList<SqlStatement> statements = script->statementsUnwrapped();
    for (const SqlStatement &s : std::as_const(statements)) {
        if (s.transactionControl)
            return errors::inFile(
                ErrorCode::Config, name, s.line, s.column,
                {ErrorArg::text(QStringLiteral("detail"),
                                QStringLiteral("%1: a schema file is loaded into the scratch "
                                               "database in one transaction, so that it can be "
                                               "checked and rolled back as a whole; remove the "
                                               "transaction control")
                                    .arg(s.summary()))});
    }
    if (cancelled(cancel))
        return cancelledError();
    auto shadow = createShadowDatabase(workspace, lookup);
    if (!shadow)
        return shadow.error();
    Result<SchemaSnapshot> snapshot = [&]() -> Result<SchemaSnapshot> {
        // The connection closes at the end of this scope, before the shadow is dropped.
        auto connection = Connection::open(shadow->params());
        if (!connection)
            return connection.error();
        const auto doesNotLoad = [&](const Error &reason) {
            return Error(ErrorCode::Config, ErrorKind::SchemaFileDoesNotLoad,
                         {ErrorArg::text(QStringLiteral("file"), name),
                          reason.asArg(QStringLiteral("reason"))});
        };
        if (auto begin = connection->exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ"));
            !begin)
            return doesNotLoad(begin.error());
        const auto load = [&](const SqlStatement &s) -> Result<void> {
            if (auto loaded = connection->exec(s.sql, {}, 10 * 60 * 1000); !loaded)
                return Error(ErrorCode::Config, ErrorKind::SchemaFileDoesNotLoad,
                             {ErrorArg::text(QStringLiteral("file"), script->locate(s)),
                              loaded.error().asArg(QStringLiteral("reason"))});
            return {};
        };
        // The file's own SET TRANSACTION (or its BEGIN's isolation level) must come before
        // any query.
        const qsizetype first = transactionSettingsAtStart(statements);
        for (qsizetype i = 0; i < first; ++i) {
            if (auto loaded = load(statements.at(i)); !loaded)
                return loaded.error();
        }
        auto before = ServerWideState::read(*connection);
        if (!before)
            return doesNotLoad(before.error());
        for (qsizetype i = first; i < statements.size(); ++i) {
            if (cancelled(cancel))
                return cancelledError();
            if (auto loaded = load(statements.at(i)); !loaded)
                return loaded.error();
        }
        auto after = ServerWideState::read(*connection);
        if (!after)
            return doesNotLoad(after.error());
        if (const QStringList changed = after->changedSince(*before); !changed.isEmpty()) {
            (void)connection->exec(QStringLiteral("ROLLBACK"));
            return Error(ErrorCode::Config,
                         QStringLiteral("%1: loading it into the scratch database changed the "
                                        "server outside that database (%2), so it was rolled "
                                        "back and refused; a DO block or a function it calls "
                                        "does this with dynamic SQL")
                             .arg(name, changed.join(QStringLiteral(", "))));
        }
        if (auto commit = connection->exec(QStringLiteral("COMMIT")); !commit)
            return doesNotLoad(commit.error());
        if (cancelled(cancel))
            return cancelledError();
        return introspect(*connection, filter);
    }();
    (void)shadow->drop();
    return snapshot;
}

} // namespace

Result<SchemaSide> parseSchemaSide(const Workspace &workspace, const QString &spec)
{
    SchemaSide side;
    side.spec = spec;
    if (spec.startsWith(MigrationsPrefix)) {
        side.kind = SchemaSide::Kind::Migrations;
        side.environment = spec.mid(MigrationsPrefix.size());
        if (auto env = environmentNamed(workspace, side.environment); !env)
            return env.error();
        return side;
    }
    if (spec.startsWith(QLatin1String("postgresql://")) ||
        spec.startsWith(QLatin1String("postgres://"))) {
        side.kind = SchemaSide::Kind::Url;
        return side;
    }
    // Relative paths are the user's: the current directory for the CLI, absolute from a
    // file dialog in the GUI.
    if (spec.endsWith(QLatin1String(".sql"), Qt::CaseInsensitive) || QFileInfo(spec).isFile()) {
        side.kind = SchemaSide::Kind::File;
        side.path = QFileInfo(spec).absoluteFilePath();
        return side;
    }
    if (auto env = environmentNamed(workspace, spec); !env)
        return env.error();
    side.kind = SchemaSide::Kind::Environment;
    side.environment = spec;
    return side;
}

QString schemaSideLabel(const SchemaSide &side)
{
    switch (side.kind) {
    case SchemaSide::Kind::Environment:
        return side.environment;
    case SchemaSide::Kind::Migrations:
        return QStringLiteral("expected from migrations (%1)").arg(side.environment);
    case SchemaSide::Kind::File:
        return QFileInfo(side.path).fileName();
    case SchemaSide::Kind::Url:
        return side.spec;
    }
    return side.spec;
}

QStringList environmentsNeededFor(const Workspace &workspace, const SchemaSide &side)
{
    QStringList names;
    if (!side.environment.isEmpty())
        names << side.environment;
    if (side.kind == SchemaSide::Kind::Migrations || side.kind == SchemaSide::Kind::File) {
        for (const EnvironmentConfig &env : workspace.environments) {
            if (protectionDecision(env, ProtectedChange::ScratchDatabase).verdict ==
                    ProtectionVerdict::Allowed &&
                !names.contains(env.name))
                names << env.name;
        }
    }
    return names;
}

SchemaFilter schemaFilterFor(const Workspace &workspace, const QStringList &schemas)
{
    SchemaFilter filter;
    filter.includeSchemas = schemas.isEmpty() ? workspace.schemaInclude : schemas;
    filter.excludeSchemas += workspace.schemaExclude;
    return filter;
}

ConnectionLookup connectionLookupWith(const Workspace &workspace,
                                      QHash<QString, Result<SecretValue>> passwords)
{
    return [workspace, passwords = std::move(passwords)](
               const EnvironmentConfig &env) -> Result<ConnectionParams> {
        auto params = effectiveConnectionParams(workspace, env.name);
        if (!params)
            return params.error();
        std::optional<Result<SecretValue>> password;
        if (env.database.password) {
            const auto it = passwords.constFind(env.name);
            if (it == passwords.cend())
                return Error(ErrorCode::NotFound, ErrorKind::PasswordNotRead, {})
                    .inEnvironment(env.name);
            password = *it;
        }
        return environmentConnectionParams(std::move(params).value(), env, password,
                                           ConnectionPurpose::Introspection);
    };
}

Result<ShadowDatabase> createShadowDatabase(const Workspace &workspace,
                                            const ConnectionLookup &lookup)
{
    QStringList tried;
    if (!workspace.scratchUrl.isEmpty()) {
        auto params = ConnectionParams::fromUrl(workspace.scratchUrl);
        if (!params)
            return Error(ErrorCode::Config, ErrorKind::ScratchUrlInvalid,
                         {params.error().asArg(QStringLiteral("reason"))});
        auto shadow =
            ShadowDatabase::create(urlConnectionParams(*params, ConnectionPurpose::Introspection));
        if (shadow)
            return shadow;
        tried.append(QStringLiteral("scratch server %1: %2")
                         .arg(params->displayTarget(), shadow.error().message));
    }
    for (const EnvironmentConfig &env : workspace.environments) {
        if (protectionDecision(env, ProtectedChange::ScratchDatabase).verdict !=
            ProtectionVerdict::Allowed)
            continue;
        auto params = lookup(env);
        if (!params)
            continue;
        auto shadow = ShadowDatabase::create(*params);
        if (shadow)
            return shadow;
        tried.append(env.name + QStringLiteral(": ") + shadow.error().message);
    }
    // Nothing to try is the caller's to fix (a usage error); servers that refused are not.
    return Error(
        tried.isEmpty() ? ErrorCode::Usage : ErrorCode::Runtime,
        QStringLiteral(
            "no server to build a scratch database on: give one with --scratch URL or "
            "PARITYDECK_SCRATCH_URL (a server whose user may CREATE DATABASE), or run in a "
            "workspace with an unprotected environment whose user may create databases%1")
            .arg(tried.isEmpty()
                     ? QString()
                     : QStringLiteral(" (") + tried.join(QStringLiteral("; ")) + QLatin1Char(')')));
}

Result<SchemaSnapshot> introspectDatabase(const ConnectionParams &params,
                                          const SchemaFilter &filter,
                                          const std::atomic_bool *cancel)
{
    auto connection = Connection::open(params);
    if (!connection)
        return connection.error();
    // Read-only and dropped at the end of this scope: a flag that refuses its ROLLBACK too
    // (setCancelFlag) costs nothing.
    connection->setCancelFlag(cancel);
    return introspect(*connection, filter);
}

Result<ExpectedSchema> expectedSchemaAt(const Workspace &workspace, const MigrationSet &set,
                                        const QString &upTo, int serverMajor,
                                        const SchemaFilter &filter, const ConnectionLookup &lookup,
                                        bool useCache)
{
    const SnapshotCache cache;
    return buildExpectedSchema(
        set, upTo, serverMajor, filter, [&] { return createShadowDatabase(workspace, lookup); },
        useCache ? &cache : nullptr);
}

Result<SchemaSnapshot> expectedSchemaOf(const Workspace &workspace, const EnvironmentConfig &env,
                                        const SchemaFilter &filter, const ConnectionLookup &lookup,
                                        QString *head, bool useCache)
{
    auto set = MigrationSource::load(workspace);
    if (!set)
        return set.error();
    auto params = lookup(env);
    if (!params)
        return params.error();
    int serverMajor = 0;
    // The connection closes at the end of this scope: it is not needed while the shadow is built.
    auto plan = [&]() -> Result<MigrationPlan> {
        auto connection = Connection::open(*params);
        if (!connection)
            return connection.error();
        serverMajor = connection->serverVersionNumber() / 10000;
        return MigrationRunner::status(*connection, *set);
    }();
    if (!plan)
        return plan.error();
    if (head)
        *head = plan->headVersion;
    if (!plan->headVersion.isEmpty() && set->indexOf(plan->headVersion) < 0)
        return Error(ErrorCode::NotFound, ErrorKind::HeadMigrationHasNoFile,
                     {ErrorArg::text(QStringLiteral("environment"), env.name),
                      ErrorArg::text(QStringLiteral("version"), plan->headVersion),
                      ErrorArg::text(QStringLiteral("folder"), set->dir)});
    auto expected =
        expectedSchemaAt(workspace, *set, plan->headVersion, serverMajor, filter, lookup, useCache);
    if (!expected)
        return Error(expected.error().code,
                     QStringLiteral("%1: %2").arg(env.name, expected.error().message));
    return std::move(expected->snapshot);
}

Result<SchemaSnapshot> resolveSchemaSide(const Workspace &workspace, const SchemaSide &side,
                                         const SchemaFilter &filter, const ConnectionLookup &lookup,
                                         const std::atomic_bool *cancel, bool useCache)
{
    if (cancelled(cancel))
        return cancelledError();
    switch (side.kind) {
    case SchemaSide::Kind::Migrations: {
        auto env = environmentNamed(workspace, side.environment);
        if (!env)
            return env.error();
        return expectedSchemaOf(workspace, **env, filter, lookup, nullptr, useCache);
    }
    case SchemaSide::Kind::Url: {
        auto params = ConnectionParams::fromUrl(side.spec);
        if (!params)
            return params.error();
        return introspectDatabase(
            urlConnectionParams(std::move(params).value(), ConnectionPurpose::Introspection),
            filter, cancel);
    }
    case SchemaSide::Kind::File:
        return schemaFromFile(workspace, side.path, side.spec, filter, lookup, cancel);
    case SchemaSide::Kind::Environment: {
        auto env = environmentNamed(workspace, side.environment);
        if (!env)
            return env.error();
        auto params = lookup(**env);
        if (!params)
            return params.error();
        if (cancelled(cancel))
            return cancelledError();
        return introspectDatabase(*params, filter, cancel);
    }
    }
    return Error(ErrorCode::Runtime, QStringLiteral("unknown schema side"));
}

} // namespace pd
