// paritydeck diff FROM TO and paritydeck drift ENV: schema differences as a list of object
// changes, as the SQL that turns one side into the other, or as JSON.
//
// A side is an environment name, a postgresql:// URL, `migrations:ENV` (the schema that
// ENV's applied migrations produce, built in a throwaway shadow database) or a .sql file
// (loaded into a shadow database). Shadow databases live on the first unprotected
// environment's server that lets us create one, and are dropped afterwards. The expected
// schema of migrations is cached (core/migrations/snapshotcache.h); --no-cache rebuilds it.
// Sides are resolved by core/environment/schemasides.h, as in the diff review window.
#include "command.h"
#include "expectedschema.h"
#include "output.h"
#include "schema/diffjson.h"
#include "schema/fingerprint.h"
#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"

#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace pd::cli {

namespace {

const QString DiffUsage = QStringLiteral(
    "Usage: paritydeck diff FROM TO [--format text|sql|json] [--unsafe] [--schema S …]\n"
    "                           [--no-privileges]\n"
    "FROM and TO: an environment name, a postgresql:// URL (password from PGPASSWORD is not\n"
    "read; use an environment), migrations:ENV (what ENV's applied migrations produce) or a\n"
    "schema .sql file. The SQL turns FROM into TO; without --unsafe, destructive statements\n"
    "are listed but commented out. The expected schema of migrations:ENV is cached by\n"
    "migration versions and checksums; --no-cache builds it again. Grants and default\n"
    "privileges are compared unless --no-privileges (or schema.privileges: false).\n"
    "Exit code 0 identical, 1 different, 2 usage, 3 runtime.\n");

const QString DriftUsage = QStringLiteral(
    "Usage: paritydeck drift ENV [--format text|sql|json] [--unsafe] [--reconcile live|migrations]\n"
    "                            [--no-cache] [--no-privileges]\n"
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
    bool privileges = true;
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
        } else if (arg == QLatin1String("--no-privileges")) {
            parsed.privileges = false;
        } else if (arg.startsWith(QLatin1Char('-'))) {
            return Error(ErrorCode::Usage, QStringLiteral("unknown option '%1'").arg(arg));
        } else {
            parsed.positional.append(arg);
        }
    }
    return parsed;
}

// One side as written on the command line (FROM, TO), parsed and resolved.
Result<SchemaSnapshot> resolveSide(const Workspace &workspace, const QString &spec, const SchemaFilter &filter,
                                   const ConnectionLookup &lookup, bool useCache)
{
    auto side = parseSchemaSide(workspace, spec);
    if (!side)
        return side.error();
    return resolveSchemaSide(workspace, *side, filter, lookup, nullptr, useCache);
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
    const SchemaFilter filter = schemaFilterFor(*workspace, args->schemas);
    // Both sides are read at once: two servers, two introspections in parallel.
    const Workspace ws = *workspace;
    const ConnectionLookup lookup = cliConnectionLookup(ws);
    QFuture<Result<SchemaSnapshot>> from =
        QtConcurrent::run([&] { return resolveSide(ws, args->positional.at(0), filter, lookup, args->useCache); });
    auto to = resolveSide(ws, args->positional.at(1), filter, lookup, args->useCache);
    from.waitForFinished();
    const Result<SchemaSnapshot> fromSnapshot = from.result();
    if (!fromSnapshot)
        return fail(fromSnapshot.error());
    if (!to)
        return fail(to.error());
    const DiffOptions options{.comparePrivileges = args->privileges && ws.schemaPrivileges};
    return printDiff(diff(*fromSnapshot, *to, options), *args, args->positional.at(0),
                     args->positional.at(1));
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
    const SchemaFilter filter = schemaFilterFor(*workspace, args->schemas);
    auto params = connectionFor(*workspace, **env);
    if (!params)
        return fail(params.error());
    const ConnectionParams liveParams = *params;
    QFuture<Result<SchemaSnapshot>> live =
        QtConcurrent::run([liveParams, filter] { return introspectDatabase(liveParams, filter); });
    QString head;
    auto expected = expectedSchemaOf(*workspace, **env, filter, cliConnectionLookup(*workspace), &head, args->useCache);
    live.waitForFinished();
    const Result<SchemaSnapshot> liveSnapshot = live.result();
    if (!liveSnapshot)
        return fail(liveSnapshot.error());
    if (!expected)
        return fail(expected.error());
    const QString expectedLabel = QStringLiteral("migrations up to %1").arg(head.isEmpty() ? QStringLiteral("none") : head);
    const DiffOptions options{.comparePrivileges = args->privileges && workspace->schemaPrivileges};
    const SchemaDiff changes = diff(*expected, *liveSnapshot, options);
    if (args->format == QLatin1String("text") && changes.isEmpty()) {
        outLine(QStringLiteral("%1: in sync with its migrations (up to %2), fingerprint %3")
                    .arg((*env)->name, head.isEmpty() ? QStringLiteral("none") : head,
                         QString::fromLatin1(
                             fingerprint(*liveSnapshot,
                                         {.ignorePrivileges = !options.comparePrivileges})
                                 .left(12))));
        return 0;
    }
    const std::optional<SchemaDiff> reconcile =
        args->reconcile == QLatin1String("live")
            ? std::optional<SchemaDiff>(diff(*liveSnapshot, *expected, options))
            : std::nullopt;
    return printDiff(changes, *args, expectedLabel, (*env)->name + QStringLiteral(" (live)"), reconcile);
}

} // namespace pd::cli
