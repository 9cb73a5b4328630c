// paritydeck diff FROM TO and paritydeck drift ENV: schema differences as a list of object
// changes, as the SQL that turns one side into the other, or as JSON.
//
// A side is an environment name, a postgresql:// URL, `migrations:ENV` (the schema that
// ENV's applied migrations produce, built in a throwaway shadow database) or a .sql file
// (loaded into a shadow database). Shadow databases live on the first unprotected
// environment's server that lets us create one, and are dropped afterwards. The expected
// schema of migrations is cached (core/migrations/snapshotcache.h); --no-cache rebuilds it.
#include "command.h"
#include "expectedschema.h"
#include "db/connection.h"
#include "migrations/migrationrunner.h"
#include "migrations/shadowdatabase.h"
#include "output.h"
#include "schema/diffjson.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>
#include <optional>

namespace pd::cli {

namespace {

const QString DiffUsage = QStringLiteral(
    "Usage: paritydeck diff FROM TO [--format text|sql|json] [--unsafe] [--schema S …]\n"
    "FROM and TO: an environment name, a postgresql:// URL (password from PGPASSWORD is not\n"
    "read; use an environment), migrations:ENV (what ENV's applied migrations produce) or a\n"
    "schema .sql file. The SQL turns FROM into TO; without --unsafe, destructive statements\n"
    "are listed but commented out. The expected schema of migrations:ENV is cached by\n"
    "migration versions and checksums; --no-cache builds it again.\n"
    "Exit code 0 identical, 1 different, 2 usage, 3 runtime.\n");

const QString DriftUsage = QStringLiteral(
    "Usage: paritydeck drift ENV [--format text|sql|json] [--unsafe] [--reconcile live|migrations]\n"
    "                            [--no-cache]\n"
    "Compares ENV's live schema with what its applied migrations say it should be (built in\n"
    "a throwaway shadow database). The changes read from expected to live. The SQL reconciles\n"
    "the live database back to its migrations (--reconcile live, default) or, with\n"
    "--reconcile migrations, turns the expected schema into the live one (a new migration).\n"
    "The expected schema is cached by migration versions and checksums, server major version\n"
    "and ParityDeck version; --no-cache builds it again.\n"
    "Exit code 0 in sync, 1 drift, 2 usage, 3 runtime.\n");

struct DiffArgs
{
    QStringList positional;
    QString format = QStringLiteral("text");
    bool unsafe = false;
    QString reconcile = QStringLiteral("live");
    QStringList schemas;
    bool useCache = true;
};

Result<DiffArgs> parseArgs(const QStringList &args)
{
    DiffArgs parsed;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        const bool takesValue = arg == QLatin1String("--format") || arg == QLatin1String("--schema")
                                || arg == QLatin1String("--reconcile");
        if (takesValue && i + 1 >= args.size())
            return Error(ErrorCode::Usage, QStringLiteral("%1 needs a value").arg(arg));
        if (arg == QLatin1String("--format")) {
            parsed.format = args.at(++i);
            if (parsed.format != QLatin1String("text") && parsed.format != QLatin1String("sql")
                && parsed.format != QLatin1String("json"))
                return Error(ErrorCode::Usage, QStringLiteral("--format is text, sql or json"));
        } else if (arg == QLatin1String("--schema")) {
            parsed.schemas.append(args.at(++i));
        } else if (arg == QLatin1String("--reconcile")) {
            parsed.reconcile = args.at(++i);
            if (parsed.reconcile != QLatin1String("live") && parsed.reconcile != QLatin1String("migrations"))
                return Error(ErrorCode::Usage, QStringLiteral("--reconcile is live or migrations"));
        } else if (arg == QLatin1String("--unsafe")) {
            parsed.unsafe = true;
        } else if (arg == QLatin1String("--no-cache")) {
            parsed.useCache = false;
        } else if (arg.startsWith(QLatin1Char('-'))) {
            return Error(ErrorCode::Usage, QStringLiteral("unknown option '%1'").arg(arg));
        } else {
            parsed.positional.append(arg);
        }
    }
    return parsed;
}

} // namespace

Result<ShadowDatabase> createShadow(const Workspace &workspace)
{
    QStringList tried;
    for (const EnvironmentConfig &env : workspace.environments) {
        if (env.protection != Protection::None)
            continue;
        auto params = connectionFor(workspace, env);
        if (!params)
            continue;
        auto shadow = ShadowDatabase::create(*params);
        if (shadow)
            return shadow;
        tried.append(env.name + QStringLiteral(": ") + shadow.error().message);
    }
    return Error(ErrorCode::Runtime,
                 QStringLiteral("no server to build a shadow database on: an unprotected environment whose "
                                "user may CREATE DATABASE is needed%1")
                     .arg(tried.isEmpty() ? QString() : QStringLiteral(" (") + tried.join(QStringLiteral("; ")) + QLatin1Char(')')));
}

Result<ExpectedSchema> expectedSchemaUpTo(const Workspace &workspace, const MigrationSet &set,
                                          const QString &upTo, int serverMajor,
                                          const SchemaFilter &filter, bool useCache)
{
    const SnapshotCache cache;
    return buildExpectedSchema(set, upTo, serverMajor, filter, [&workspace] { return createShadow(workspace); },
                               useCache ? &cache : nullptr);
}

SchemaFilter workspaceFilter(const Workspace &workspace)
{
    SchemaFilter filter;
    filter.includeSchemas = workspace.schemaInclude;
    filter.excludeSchemas += workspace.schemaExclude;
    return filter;
}

namespace {

Result<SchemaSnapshot> snapshotOf(const ConnectionParams &params, const SchemaFilter &filter)
{
    auto connection = Connection::open(params);
    if (!connection)
        return connection.error();
    return introspect(*connection, filter);
}

// One side of a comparison, resolved to a snapshot. Keeps its shadow database (if any)
// alive until the snapshot is taken, then drops it.
struct Side
{
    QString label;
    std::optional<SchemaSnapshot> snapshot;
};

Result<SchemaSnapshot> expectedSchema(const Workspace &workspace, const EnvironmentConfig &env,
                                      const SchemaFilter &filter, bool useCache, QString *head)
{
    auto set = MigrationSource::load(workspace);
    if (!set)
        return set.error();
    auto params = connectionFor(workspace, env);
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
    // A head that is no longer on disk (history row without a file) cannot be rebuilt.
    if (!plan->headVersion.isEmpty() && set->indexOf(plan->headVersion) < 0)
        return Error(ErrorCode::NotFound, QStringLiteral("%1's newest applied migration %2 has no file in %3")
                                              .arg(env.name, plan->headVersion, set->dir));
    auto expected = expectedSchemaUpTo(workspace, *set, plan->headVersion, serverMajor, filter, useCache);
    if (!expected)
        return Error(expected.error().code, QStringLiteral("%1: %2").arg(env.name, expected.error().message));
    return expected->snapshot;
}

Result<SchemaSnapshot> schemaFromFile(const Workspace &workspace, const QString &path, const SchemaFilter &filter)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QString sql = QString::fromUtf8(file.readAll());
    auto shadow = createShadow(workspace);
    if (!shadow)
        return shadow.error();
    Result<SchemaSnapshot> snapshot = [&]() -> Result<SchemaSnapshot> {
        // The connection closes at the end of this scope, before the shadow is dropped.
        auto connection = Connection::open(shadow->params());
        if (!connection)
            return connection.error();
        if (auto loaded = connection->exec(sql, {}, 10 * 60 * 1000); !loaded)
            return Error(ErrorCode::Config, QStringLiteral("%1 does not load: %2").arg(path, loaded.error().message));
        return introspect(*connection, filter);
    }();
    (void)shadow->drop();
    return snapshot;
}

Result<SchemaSnapshot> resolveSide(const Workspace &workspace, const QString &spec, const SchemaFilter &filter,
                                   bool useCache)
{
    if (spec.startsWith(QLatin1String("migrations:"))) {
        auto env = findEnvironment(workspace, spec.mid(int(qstrlen("migrations:"))));
        if (!env)
            return env.error();
        return expectedSchema(workspace, **env, filter, useCache, nullptr);
    }
    if (spec.startsWith(QLatin1String("postgresql://")) || spec.startsWith(QLatin1String("postgres://"))) {
        auto params = ConnectionParams::fromUrl(spec);
        if (!params)
            return params.error();
        return snapshotOf(*params, filter);
    }
    if (spec.endsWith(QLatin1String(".sql"), Qt::CaseInsensitive) || QFileInfo(spec).isFile())
        return schemaFromFile(workspace, spec, filter);
    auto env = findEnvironment(workspace, spec);
    if (!env)
        return env.error();
    auto params = connectionFor(workspace, **env);
    if (!params)
        return params.error();
    return snapshotOf(*params, filter);
}

int printDiff(const SchemaDiff &diff, const DiffArgs &args, const QString &fromLabel, const QString &toLabel,
              const std::optional<SchemaDiff> &sqlDiff = std::nullopt)
{
    const SchemaDiff &forSql = sqlDiff ? *sqlDiff : diff;
    if (args.format == QLatin1String("json")) {
        QJsonObject o = diffToJson(diff);
        o.insert(QStringLiteral("fromLabel"), fromLabel);
        o.insert(QStringLiteral("toLabel"), toLabel);
        o.insert(QStringLiteral("identical"), diff.isEmpty());
        o.insert(QStringLiteral("sql"), generateSql(forSql, SqlOptions{args.unsafe, true, true}));
        outJson(QJsonDocument(o));
    } else if (args.format == QLatin1String("sql")) {
        out(generateSql(forSql, SqlOptions{args.unsafe, true, true}));
    } else {
        outLine(QStringLiteral("%1 → %2: %3").arg(fromLabel, toLabel, diff.summaryText()));
        if (!diff.isEmpty()) {
            outLine(diff.describe());
            if (const int destructive = diff.destructiveCount())
                outLine(QStringLiteral("%1 destructive change%2: the SQL comments them out unless --unsafe")
                            .arg(destructive)
                            .arg(destructive == 1 ? QString() : QStringLiteral("s")));
            outLine();
            outLine(QStringLiteral("-- SQL (--format sql prints only this):"));
            out(generateSql(forSql, SqlOptions{args.unsafe, true, true}));
        }
        const auto &notCompared = diff.from.notCompared;
        if (!notCompared.isEmpty()) {
            QStringList parts;
            for (auto it = notCompared.cbegin(); it != notCompared.cend(); ++it)
                parts.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
            outLine(QStringLiteral("not compared (see docs/schema-coverage.md): ") + parts.join(QStringLiteral(", ")));
        }
    }
    return diff.isEmpty() ? 0 : 1;
}

// The workspace's schema filter, narrowed by --schema when given.
SchemaFilter filterFor(const Workspace &workspace, const DiffArgs &args)
{
    SchemaFilter filter;
    filter.includeSchemas = args.schemas.isEmpty() ? workspace.schemaInclude : args.schemas;
    filter.excludeSchemas += workspace.schemaExclude;
    return filter;
}

} // namespace

int diffCommand(const CommandContext &context)
{
    if (context.args.contains(QStringLiteral("--help")) || context.args.contains(QStringLiteral("-h"))) {
        out(DiffUsage);
        return 0;
    }
    auto args = parseArgs(context.args);
    if (!args)
        return usageError(args.error().message, DiffUsage);
    if (args->positional.size() != 2)
        return usageError(QStringLiteral("diff: expected FROM and TO"), DiffUsage);
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    const SchemaFilter filter = filterFor(*workspace, *args);
    // Both sides are read at once: two servers, two introspections in parallel.
    const Workspace ws = *workspace;
    QFuture<Result<SchemaSnapshot>> from =
        QtConcurrent::run([&] { return resolveSide(ws, args->positional.at(0), filter, args->useCache); });
    auto to = resolveSide(ws, args->positional.at(1), filter, args->useCache);
    from.waitForFinished();
    const Result<SchemaSnapshot> fromSnapshot = from.result();
    if (!fromSnapshot)
        return fail(fromSnapshot.error());
    if (!to)
        return fail(to.error());
    return printDiff(diff(*fromSnapshot, *to), *args, args->positional.at(0), args->positional.at(1));
}

int driftCommand(const CommandContext &context)
{
    if (context.args.contains(QStringLiteral("--help")) || context.args.contains(QStringLiteral("-h"))) {
        out(DriftUsage);
        return 0;
    }
    auto args = parseArgs(context.args);
    if (!args)
        return usageError(args.error().message, DriftUsage);
    if (args->positional.size() != 1)
        return usageError(QStringLiteral("drift: expected ENV"), DriftUsage);
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    auto env = findEnvironment(*workspace, args->positional.first());
    if (!env)
        return fail(env.error());
    const SchemaFilter filter = filterFor(*workspace, *args);
    auto params = connectionFor(*workspace, **env);
    if (!params)
        return fail(params.error());
    const ConnectionParams liveParams = *params;
    QFuture<Result<SchemaSnapshot>> live = QtConcurrent::run([liveParams, filter] { return snapshotOf(liveParams, filter); });
    QString head;
    auto expected = expectedSchema(*workspace, **env, filter, args->useCache, &head);
    live.waitForFinished();
    const Result<SchemaSnapshot> liveSnapshot = live.result();
    if (!liveSnapshot)
        return fail(liveSnapshot.error());
    if (!expected)
        return fail(expected.error());
    const QString expectedLabel = QStringLiteral("migrations up to %1").arg(head.isEmpty() ? QStringLiteral("none") : head);
    const SchemaDiff changes = diff(*expected, *liveSnapshot);
    if (args->format == QLatin1String("text") && changes.isEmpty()) {
        outLine(QStringLiteral("%1: in sync with its migrations (up to %2), fingerprint %3")
                    .arg((*env)->name, head.isEmpty() ? QStringLiteral("none") : head,
                         QString::fromLatin1(fingerprint(*liveSnapshot).left(12))));
        return 0;
    }
    const std::optional<SchemaDiff> reconcile =
        args->reconcile == QLatin1String("live") ? std::optional<SchemaDiff>(diff(*liveSnapshot, *expected)) : std::nullopt;
    return printDiff(changes, *args, expectedLabel, (*env)->name + QStringLiteral(" (live)"), reconcile);
}

} // namespace pd::cli
