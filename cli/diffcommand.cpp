// paritydeck diff FROM TO and paritydeck drift ENV: schema differences as a list of object
// changes, as the SQL that turns one side into the other, or as JSON.
//
// A side is an environment name, a postgresql:// URL, `migrations:ENV` (the schema that
// ENV's applied migrations produce, built in a throwaway shadow database) or a .sql file
// (loaded into a shadow database). Shadow databases live on the first unprotected
// environment's server that lets us create one, and are dropped afterwards. The expected
// schema of migrations is cached (core/migrations/snapshotcache.h); --no-cache rebuilds it.
// Sides are resolved by core/environment/schemasides.h, as in the diff review window.
//
// `diff` needs no workspace when both sides are URLs or .sql files (as migra works): a .sql
// side then loads into a scratch database on the server --scratch URL or
// PARITYDECK_SCRATCH_URL names. A workspace found or named is still read for its schema
// filter and its unprotected servers.
//
// Ctrl-C, SIGTERM and SIGHUP interrupt a comparison: the sides stop at their next step
// (core/environment/schemasides.h), the catalog query reading a live database is cancelled
// (a stalled server does not hold the exit until the statement timeout), scratch and shadow
// databases are dropped at once, which ends the statement loading them
// (cli/stopsignals.h), and `paritydeck: interrupted by
// SIGINT; nothing was changed` replaces the result (exit 3; SIGTERM and SIGHUP then end
// ParityDeck by that signal).
#include "command.h"
#include "common/printable.h"
#include "expectedschema.h"
#include "output.h"
#include "schema/diffjson.h"
#include "schema/fingerprint.h"
#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"
#include "schema/sqltokens.h"
#include "stopsignals.h"

#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <optional>

namespace pd::cli {

namespace {

const QString DiffUsage = QStringLiteral(
    "Usage: paritydeck diff FROM TO [--format text|sql|json | --json] [--unsafe] [--schema S …]\n"
    "                               [--scratch URL] [--no-cache] [--no-privileges]\n"
    "FROM and TO: an environment name, migrations:ENV (what ENV's applied migrations\n"
    "produce), a postgresql:// URL or a schema .sql file. Environment names and migrations:ENV\n"
    "need a workspace (paritydeck.yaml); URLs and files work anywhere. A URL's password comes\n"
    "from PGPASSWORD or ~/.pgpass, never from the URL or the command line.\n"
    "A .sql file is loaded into a scratch database, created and dropped on the server of\n"
    "--scratch URL (or PARITYDECK_SCRATCH_URL), else of the workspace's first unprotected\n"
    "environment. The SQL turns FROM into TO; without --unsafe, destructive statements\n"
    "are listed but commented out. The expected schema of migrations:ENV is cached by\n"
    "migration versions and checksums; --no-cache builds it again. Grants and default\n"
    "privileges are compared unless --no-privileges (or schema.privileges: false).\n"
    "Exit code 0 identical, 1 different, 2 usage, 3 runtime.\n");

const QString DriftUsage = QStringLiteral(
    "Usage: paritydeck drift ENV [--format text|sql|json | --json] [--unsafe] [--reconcile "
    "live|migrations]\n"
    "                            [--scratch URL] [--no-cache] [--no-privileges]\n"
    "Compares ENV's live schema with what its applied migrations say it should be (built in\n"
    "a throwaway shadow database on --scratch URL, PARITYDECK_SCRATCH_URL or the first\n"
    "unprotected environment's server). The changes read from expected to live. The SQL "
    "reconciles\n"
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
    QString scratchUrl;
    bool privileges = true;
};

Result<DiffArgs> parseArgs(const QStringList &args)
{
    DiffArgs parsed;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        const bool takesValue =
            arg == QLatin1String("--format") || arg == QLatin1String("--schema") ||
            arg == QLatin1String("--reconcile") || arg == QLatin1String("--scratch");
        if (takesValue && i + 1 >= args.size())
            return Error(ErrorCode::Usage, QStringLiteral("%1 needs a value").arg(arg));
        if (arg == QLatin1String("--format")) {
            parsed.format = args.at(++i);
            if (parsed.format != QLatin1String("text") && parsed.format != QLatin1String("sql") &&
                parsed.format != QLatin1String("json"))
                return Error(ErrorCode::Usage, QStringLiteral("--format is text, sql or json"));
        } else if (arg == QLatin1String("--schema")) {
            parsed.schemas.append(args.at(++i));
        } else if (arg == QLatin1String("--reconcile")) {
            parsed.reconcile = args.at(++i);
            if (parsed.reconcile != QLatin1String("live") &&
                parsed.reconcile != QLatin1String("migrations"))
                return Error(ErrorCode::Usage, QStringLiteral("--reconcile is live or migrations"));
        } else if (arg == QLatin1String("--scratch")) {
            parsed.scratchUrl = args.at(++i);
        } else if (arg == QLatin1String("--json")) {
            parsed.format = QStringLiteral("json"); // as every other command says it
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
    if (parsed.scratchUrl.isEmpty())
        parsed.scratchUrl = qEnvironmentVariable("PARITYDECK_SCRATCH_URL");
    return parsed;
}

// A URL or a .sql file: a side that means the same with or without a workspace.
bool standsAlone(const QString &spec)
{
    return spec.startsWith(QLatin1String("postgresql://")) ||
           spec.startsWith(QLatin1String("postgres://")) ||
           spec.endsWith(QLatin1String(".sql"), Qt::CaseInsensitive) || QFileInfo(spec).isFile();
}

// The workspace named or found, or — when there is none and both sides stand alone — an
// empty one rooted here. Errors are printed.
Result<Workspace> workspaceForDiff(const CommandContext &context, const QStringList &sides)
{
    const bool needed = !std::all_of(sides.cbegin(), sides.cend(), standsAlone);
    if (!context.global.workspace.isEmpty())
        return loadWorkspace(context);
    auto found = WorkspaceLoader::discover(QDir::currentPath());
    if (found)
        return loadWorkspace(context);
    if (needed) {
        QStringList named;
        for (const QString &side : sides)
            if (!standsAlone(side))
                named << QLatin1Char('\'') + side + QLatin1Char('\'');
        const Error error(
            ErrorCode::Usage,
            QStringLiteral(
                "%1 is not a postgresql:// URL or a .sql file, and environment names need a "
                "workspace: %2 (give --workspace PATH)")
                .arg(named.join(QStringLiteral(" and ")), found.error().message));
        errLine(QStringLiteral("paritydeck: ") + error.message);
        return error;
    }
    Workspace none;
    none.rootDir = QDir::currentPath();
    return none;
}

// One side as written on the command line (FROM, TO), parsed and resolved.
Result<SchemaSnapshot> resolveSide(const Workspace &workspace, const QString &spec,
                                   const SchemaFilter &filter, const ConnectionLookup &lookup,
                                   bool useCache)
{
    auto side = parseSchemaSide(workspace, spec);
    if (!side)
        return side.error();
    return resolveSchemaSide(workspace, *side, filter, lookup, StopSignals::cancelFlag(), useCache);
}

// After a stop signal nothing is reported but that: whatever the sides returned may be
// a cancellation or half an answer. Returns the exit code, or ends the process by the
// signal (SIGTERM, SIGHUP).
std::optional<int> interrupted(StopSignals &stopSignals)
{
    const int signal = StopSignals::received();
    if (signal == 0)
        return std::nullopt;
    errLine(QStringLiteral("paritydeck: interrupted by %1; nothing was changed")
                .arg(signalName(signal)));
    stopSignals.endAsSignalled();
    return exitCodeFor(ErrorCode::Cancelled);
}

// SQL as the text format shows it: a line break inside a quoted name or a quoted string
// (never one of the script's own lines) written "\n", so a name cannot put a forged
// statement or comment on a line of its own; then every control character escaped.
// Dollar-quoted bodies keep their lines. The exact script is --format sql.
QString sqlForReading(const QString &sql)
{
    QByteArray utf8 = sql.toUtf8();
    if (!utf8.contains('\n'))
        return terminalText(sql);
    const auto tokens = scanSqlTokens(utf8);
    if (!tokens)
        return oneLine(sql); // cannot tell the script's lines from a name's: one line, safe
    QByteArray shown;
    shown.reserve(utf8.size() + 16);
    int copied = 0;
    for (const SqlToken &token : *tokens) {
        const char first = utf8.at(token.start);
        const bool quoted = (token.token == SqlToken::Identifier && first == '"') ||
                            (token.token == SqlToken::StringConst && first != '$');
        if (!quoted)
            continue;
        shown.append(utf8.constData() + copied, token.start - copied);
        shown.append(utf8.mid(token.start, token.end - token.start).replace("\n", "\\n"));
        copied = token.end;
    }
    shown.append(utf8.constData() + copied, utf8.size() - copied);
    return terminalText(QString::fromUtf8(shown));
}

int printDiff(const SchemaDiff &diff, const DiffArgs &args, const QString &fromLabel,
              const QString &toLabel, const std::optional<SchemaDiff> &sqlDiff = std::nullopt)
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
        outExact(generateSql(forSql, SqlOptions{args.unsafe, true, true})); // for psql
    } else {
        outLine(QStringLiteral("%1 → %2: %3")
                    .arg(oneLine(fromLabel), oneLine(toLabel), diff.summaryText()));
        if (!diff.isEmpty()) {
            outLine(diff.describe());
            if (const int destructive = diff.destructiveCount())
                outLine(QStringLiteral(
                            "%1 destructive change%2: the SQL comments them out unless --unsafe")
                            .arg(destructive)
                            .arg(destructive == 1 ? QString() : QStringLiteral("s")));
            outLine();
            outLine(QStringLiteral("-- SQL (--format sql prints only this):"));
            // Shown for reading: a quoted name may hold ESC or U+202E, legitimate in SQL
            // but not on a terminal. The reader is told where the exact bytes are.
            const QString sql = generateSql(forSql, SqlOptions{args.unsafe, true, true});
            const QString shown = sqlForReading(sql);
            out(shown);
            if (shown != sql) {
                if (!shown.endsWith(QLatin1Char('\n')))
                    outLine();
                outLine(QStringLiteral("-- control characters above are shown escaped (\\x1b, "
                                       "\\u202e, …); --format sql prints the exact statements"));
            }
        }
        const auto &notCompared = diff.from.notCompared;
        if (!notCompared.isEmpty()) {
            QStringList parts;
            for (auto it = notCompared.cbegin(); it != notCompared.cend(); ++it)
                parts.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
            outLine(QStringLiteral("not compared (see docs/schema-coverage.md): ") +
                    parts.join(QStringLiteral(", ")));
        }
    }
    return diff.isEmpty() ? 0 : 1;
}

} // namespace

int diffCommand(const CommandContext &context)
{
    if (context.args.contains(QStringLiteral("--help")) ||
        context.args.contains(QStringLiteral("-h"))) {
        out(DiffUsage);
        return 0;
    }
    auto args = parseArgs(context.args);
    if (!args)
        return usageError(args.error().message, DiffUsage);
    if (args->positional.size() != 2)
        return usageError(QStringLiteral("diff: expected FROM and TO"), DiffUsage);
    auto workspace = workspaceForDiff(context, args->positional);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    workspace->scratchUrl = args->scratchUrl;
    const SchemaFilter filter = schemaFilterFor(*workspace, args->schemas);
    StopSignals stopSignals;
    // Both sides are read at once: two servers, two introspections in parallel.
    const Workspace ws = *workspace;
    const ConnectionLookup lookup = cliConnectionLookup(ws);
    QFuture<Result<SchemaSnapshot>> from = QtConcurrent::run(
        [&] { return resolveSide(ws, args->positional.at(0), filter, lookup, args->useCache); });
    auto to = resolveSide(ws, args->positional.at(1), filter, lookup, args->useCache);
    from.waitForFinished();
    const Result<SchemaSnapshot> fromSnapshot = from.result();
    if (const auto stopped = interrupted(stopSignals))
        return *stopped;
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
    if (context.args.contains(QStringLiteral("--help")) ||
        context.args.contains(QStringLiteral("-h"))) {
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
    workspace->scratchUrl = args->scratchUrl;
    auto env = findEnvironment(*workspace, args->positional.first());
    if (!env)
        return fail(env.error());
    const SchemaFilter filter = schemaFilterFor(*workspace, args->schemas);
    auto params = connectionFor(*workspace, **env, ConnectionPurpose::Introspection);
    if (!params)
        return fail(params.error());
    const ConnectionParams liveParams = *params;
    StopSignals stopSignals;
    QFuture<Result<SchemaSnapshot>> live = QtConcurrent::run([liveParams, filter] {
        return introspectDatabase(liveParams, filter, StopSignals::cancelFlag());
    });
    QString head;
    auto expected = expectedSchemaOf(*workspace, **env, filter, cliConnectionLookup(*workspace),
                                     &head, args->useCache);
    live.waitForFinished();
    const Result<SchemaSnapshot> liveSnapshot = live.result();
    if (const auto stopped = interrupted(stopSignals))
        return *stopped;
    if (!liveSnapshot)
        return fail(liveSnapshot.error());
    if (!expected)
        return fail(expected.error());
    const QString expectedLabel =
        QStringLiteral("migrations up to %1").arg(head.isEmpty() ? QStringLiteral("none") : head);
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
    return printDiff(changes, *args, expectedLabel, (*env)->name + QStringLiteral(" (live)"),
                     reconcile);
}

} // namespace pd::cli
