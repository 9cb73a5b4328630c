#include "fuzztargets.h"

#include "db/connectionparams.h"
#include "migrations/migrationsource.h"
#include "migrations/sqlscript.h"
#include "schema/identifiers.h"
#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"
#include "secrets/dotenv.h"
#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>

namespace pd::fuzz {

namespace {

// Any broken invariant ends the process: libFuzzer saves the input as a crash, the ctest
// driver prints the seed and iteration before calling here.
#define PD_FUZZ_CHECK(condition, what)                                                             \
    do {                                                                                           \
        if (!(condition))                                                                          \
            qFatal("fuzz invariant broken: %s (%s)", what, #condition);                            \
    } while (false)

int lineCount(QByteArrayView data)
{
    return int(std::count(data.begin(), data.end(), '\n')) + 1;
}

const QString FileName = QStringLiteral("/fuzz/paritydeck.yaml");

} // namespace

void workspaceLoader(QByteArrayView data)
{
    ConfigError detail;
    const Result<Workspace> workspace =
        WorkspaceLoader::parse(data.toByteArray(), FileName, &detail);
    if (!workspace) {
        PD_FUZZ_CHECK(workspace.error().code == ErrorCode::Config,
                      "loader errors are Config errors");
        PD_FUZZ_CHECK(workspace.error().message.startsWith(FileName),
                      "message starts with the file name");
        PD_FUZZ_CHECK(!detail.message.isEmpty(), "the detail has a message");
        PD_FUZZ_CHECK(detail.line >= 0 && detail.line <= lineCount(data) + 1,
                      "line inside the file");
        PD_FUZZ_CHECK(detail.column >= 0, "column not negative");
        PD_FUZZ_CHECK(detail.line > 0 || detail.column == 0, "no column without a line");
        return;
    }
    PD_FUZZ_CHECK(workspace->version == 1, "only version 1 loads");
    PD_FUZZ_CHECK(!workspace->project.trimmed().isEmpty(), "a project name");
    PD_FUZZ_CHECK(std::none_of(workspace->project.cbegin(), workspace->project.cend(),
                               [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7F; }),
                  "no control character in a name");
    PD_FUZZ_CHECK(!workspace->environments.isEmpty(), "at least one environment");
    QSet<QString> names;
    for (const EnvironmentConfig &env : workspace->environments) {
        PD_FUZZ_CHECK(!env.name.isEmpty() && !names.contains(env.name), "unique environment names");
        names.insert(env.name);
        PD_FUZZ_CHECK(!env.database.url.isEmpty(), "every environment has a database URL");
        PD_FUZZ_CHECK(ConnectionParams::fromUrl(env.database.url).ok(),
                      "a URL that loads is one the connection accepts (checked at load time)");
        PD_FUZZ_CHECK(env.database.connectTimeoutSeconds >= 1, "connect timeout at least 1 s");
        QSet<QString> services;
        for (const ServiceConfig &service : env.services) {
            PD_FUZZ_CHECK(!services.contains(service.name), "unique service names");
            services.insert(service.name);
            PD_FUZZ_CHECK(service.isSupervised() !=
                              (!service.start.isEmpty() && !service.stop.isEmpty()),
                          "a service is either run or a start/stop pair");
        }
        for (const ServiceConfig &service : env.services) {
            for (const QString &other : service.after)
                PD_FUZZ_CHECK(services.contains(other) && other != service.name,
                              "after names another service");
        }
    }
}

void dotenv(QByteArrayView data)
{
    // Seeds and the libFuzzer dictionary carry values with this marker; an error message
    // must never repeat a value, so it must never contain the marker.
    static const QByteArray marker = "S3CRET";
    const Result<DotenvFile> file = DotenvFile::parse(data, QStringLiteral("fuzz.env"));
    if (!file) {
        PD_FUZZ_CHECK(file.error().code == ErrorCode::Config, "dotenv errors are Config errors");
        PD_FUZZ_CHECK(file.error().message.startsWith(QStringLiteral("fuzz.env:")),
                      "message has a position");
        // Key names may be quoted; values never. Checked when every marker in the input
        // stands after an '=' on its line, i.e. inside a value.
        bool onlyInValues = data.contains(marker);
        for (const QByteArray &line : data.toByteArray().split('\n')) {
            const qsizetype at = line.indexOf(marker);
            if (at >= 0 && !line.left(at).contains('='))
                onlyInValues = false;
        }
        if (onlyInValues)
            PD_FUZZ_CHECK(!file.error().message.contains(QLatin1String(marker)),
                          "message quotes no value");
        return;
    }
    const int lines = lineCount(data);
    for (const DotenvEntry &entry : file->entries()) {
        PD_FUZZ_CHECK(!entry.key.isEmpty(), "keys are not empty");
        PD_FUZZ_CHECK(!entry.key.contains(u'=') && !entry.key.contains(u'\n') &&
                          !entry.key.contains(u' '),
                      "keys hold no '=', space or line break");
        PD_FUZZ_CHECK(entry.line >= 1 && entry.line <= lines, "entry line inside the file");
        PD_FUZZ_CHECK(file->contains(entry.key), "contains() finds every key");
    }
    const Result<DotenvFile> again = DotenvFile::parse(data, QStringLiteral("fuzz.env"));
    PD_FUZZ_CHECK(again && again->entries() == file->entries(), "parsing is deterministic");
}

void sqlScript(QByteArrayView data)
{
    const QByteArray bytes = data.toByteArray();
    const Result<SqlScript> script = SqlScript::parse(bytes, QStringLiteral("fuzz.sql"));
    if (!script) {
        // Invalid UTF-8 makes libpg_query print a parse tree that is not JSON, which
        // SqlScript reports as a Runtime error (reported to the owner of sqlscript.cpp);
        // every other bad input must be a Config error.
        const bool validUtf8 = QString::fromUtf8(bytes).toUtf8() == bytes;
        PD_FUZZ_CHECK(script.error().code == ErrorCode::Config || !validUtf8,
                      "SQL errors are Config errors");
        PD_FUZZ_CHECK(script.error().message.startsWith(QStringLiteral("fuzz.sql")),
                      "message names the file");
        return;
    }
    int previousEnd = 0;
    for (const SqlStatement &statement : script->statements()) {
        PD_FUZZ_CHECK(statement.byteOffset >= previousEnd, "statements in order, not overlapping");
        PD_FUZZ_CHECK(statement.byteLength >= 0, "length not negative");
        PD_FUZZ_CHECK(qsizetype(statement.byteOffset) + statement.byteLength <= bytes.size(),
                      "statement inside the text");
        PD_FUZZ_CHECK(statement.line >= 1 && statement.line <= lineCount(data),
                      "line inside the text");
        PD_FUZZ_CHECK(statement.column >= 1, "column from 1");
        PD_FUZZ_CHECK(!statement.nodeType.isEmpty(), "every statement has a node type");
        PD_FUZZ_CHECK(!statement.destructive || !statement.destructiveReason.isEmpty(),
                      "destructive says why");
        previousEnd = statement.byteOffset + statement.byteLength;
        (void)statement.summary();
        (void)script->locate(statement);
    }
    const Result<QList<SqlStatement>> executable = script->executableStatements();
    if (executable)
        PD_FUZZ_CHECK(executable->size() <= script->statements().size(),
                      "executable statements are a subset");
    else
        PD_FUZZ_CHECK(!executable.error().message.isEmpty(), "a refusal says why");
}

void migrationSource(QByteArrayView data)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return;
    QStringList versionsSeen;
    int files = 0;
    for (const QByteArray &line : data.toByteArray().split('\n')) {
        if (++files > 40)
            break;
        const qsizetype tab = line.indexOf('\t');
        QString name = QString::fromUtf8(tab < 0 ? line : line.left(tab));
        const QByteArray contents =
            tab < 0 ? QByteArray("select 1;\n") : line.mid(tab + 1).replace("\\n", "\n");
        // One level of sub-folder at most, and nothing that leaves the folder.
        name.remove(QChar(0));
        QStringList parts = name.split(u'/', Qt::SkipEmptyParts);
        if (parts.isEmpty() || parts.size() > 2)
            continue;
        bool usable = true;
        for (QString &part : parts) {
            part = part.left(120);
            usable = usable && part != u"." && part != u"..";
        }
        if (!usable)
            continue;
        const QString path = dir.filePath(parts.join(u'/'));
        if (parts.size() == 2 && !QDir().mkpath(dir.filePath(parts.first())))
            continue;
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(contents);
        versionsSeen.append(parts.last());
    }

    const Result<MigrationFormat> detected = MigrationSource::detectFormat(dir.path());
    if (!detected)
        PD_FUZZ_CHECK(!detected.error().message.isEmpty(), "detection failure says why");
    for (const MigrationFormat format :
         {MigrationFormat::Auto, MigrationFormat::ParityDeck, MigrationFormat::Flyway,
          MigrationFormat::GolangMigrate, MigrationFormat::Dbmate, MigrationFormat::Sqitch,
          MigrationFormat::Alembic, MigrationFormat::Prisma, MigrationFormat::Plain}) {
        const Result<MigrationSet> set = MigrationSource::load(dir.path(), format);
        if (!set) {
            PD_FUZZ_CHECK(!set.error().message.isEmpty(), "a load failure says why");
            continue;
        }
        QSet<QString> versions;
        for (const Migration &migration : set->migrations) {
            PD_FUZZ_CHECK(!versions.contains(migration.version), "versions are unique");
            versions.insert(migration.version);
            PD_FUZZ_CHECK(migration.filePath.startsWith(set->dir),
                          "migrations come from the folder");
            PD_FUZZ_CHECK(migration.checksum.size() == 64, "SHA-256 checksums");
        }
        // Sqitch and Alembic order by plan/graph; every other format (plain folders too,
        // whose down files are never migrations) by compareVersions() on the versions.
        const bool ordered =
            set->format != MigrationFormat::Sqitch && set->format != MigrationFormat::Alembic;
        for (qsizetype i = 1; ordered && i < set->migrations.size(); ++i) {
            const Migration &a = set->migrations.at(i - 1);
            const Migration &b = set->migrations.at(i);
            if (a.repeatable || b.repeatable)
                continue;
            const int order = MigrationSource::compareVersions(set->format, a.version, b.version);
            // Versions that compare equal are a duplicate-version error (decisions §13),
            // except Flyway's "1" and "1.0", which are distinct files of one version.
            if (set->format == MigrationFormat::Flyway)
                PD_FUZZ_CHECK(order <= 0, "migrations in version order");
            else
                PD_FUZZ_CHECK(order < 0, "migrations in strictly increasing version order");
        }
    }
    // Version comparison is a consistent order on any strings, file names included.
    for (qsizetype i = 0; i + 1 < versionsSeen.size() && i < 8; ++i) {
        for (const MigrationFormat format :
             {MigrationFormat::ParityDeck, MigrationFormat::Flyway, MigrationFormat::Dbmate}) {
            const QString &a = versionsSeen.at(i);
            const QString &b = versionsSeen.at(i + 1);
            const int ab = MigrationSource::compareVersions(format, a, b);
            const int ba = MigrationSource::compareVersions(format, b, a);
            PD_FUZZ_CHECK((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0),
                          "compareVersions is antisymmetric");
            PD_FUZZ_CHECK(MigrationSource::compareVersions(format, a, a) == 0,
                          "compareVersions is reflexive");
        }
    }
}

namespace {

// Up to eight names from the input, as a server could hold them: no NUL, at most 63 bytes,
// never empty. Fewer parts than names repeat (two objects may share a name).
QStringList namesFrom(QByteArrayView data)
{
    QStringList names;
    for (const QByteArray &part : data.toByteArray().split('\x1f')) {
        QString name = QString::fromUtf8(part).remove(QChar(0));
        name = identifierPrefix(name, 63);
        if (!name.isEmpty())
            names << name;
        if (names.size() == 8)
            break;
    }
    if (names.isEmpty())
        names << QStringLiteral("x");
    while (names.size() < 8)
        names << names.at(names.size() % names.size()) + QString::number(names.size());
    for (QString &name : names)
        name = identifierPrefix(name, 63);
    return names;
}

SchemaObject object(ObjectKind kind, const QString &schema, const QString &table,
                    const QString &name)
{
    SchemaObject o;
    o.kind = kind;
    o.schema = schema;
    o.table = table;
    o.name = name;
    return o;
}

// What introspection would read from a database whose objects carry `names`; `changed`
// retypes a column, drops the enum and a column, and renames the view.
SchemaSnapshot hostileSnapshot(const QStringList &names, bool changed)
{
    const QString &schema = names.at(0);
    const QString &table = names.at(1);
    SchemaSnapshot snapshot;
    SchemaObject s = object(ObjectKind::Schema, {}, {}, schema);
    s.setAttribute(Attr::Comment, names.at(7));
    snapshot.insert(s);
    SchemaObject t = object(ObjectKind::Table, schema, {}, table);
    t.setAttribute(Attr::Comment, names.at(5));
    t.dependsOn << s.id();
    snapshot.insert(t);
    const QStringList columns =
        changed ? QStringList{names.at(2)} : QStringList{names.at(2), names.at(3)};
    int position = 0;
    for (const QString &name : columns) {
        SchemaObject c = object(ObjectKind::Column, schema, table, name);
        c.position = ++position;
        c.setAttribute(Attr::Type, changed ? QStringLiteral("bigint") : QStringLiteral("integer"));
        c.setAttribute(Attr::Comment, names.at(6));
        c.dependsOn << t.id();
        snapshot.insert(c);
    }
    SchemaObject d = object(ObjectKind::ColumnDefault, schema, table, names.at(2));
    d.setAttribute(Attr::Expression, QStringLiteral("1"));
    snapshot.insert(d);
    SchemaObject check = object(ObjectKind::Constraint, schema, table, names.at(4));
    check.setAttribute(Attr::Definition, QStringLiteral("CHECK (") + quoteIdent(names.at(2)) +
                                             QStringLiteral(" > 0)"));
    snapshot.insert(check);
    SchemaObject index = object(ObjectKind::Index, schema, table, names.at(3));
    index.setAttribute(Attr::Definition, QStringLiteral("CREATE INDEX ") + quoteIdent(names.at(3)) +
                                             QStringLiteral(" ON ") + qualifiedName(schema, table) +
                                             QStringLiteral(" USING btree (") +
                                             quoteIdent(names.at(2)) + QLatin1Char(')'));
    snapshot.insert(index);
    if (!changed) {
        SchemaObject e = object(ObjectKind::Enum, schema, {}, names.at(5));
        e.elements = {names.at(6), names.at(7), names.at(0)};
        e.elements.removeDuplicates();
        snapshot.insert(e);
    }
    SchemaObject sequence = object(ObjectKind::Sequence, schema, {}, names.at(6));
    for (const auto &[key, value] : {std::pair{Attr::Type, "bigint"},
                                     {Attr::Increment, "1"},
                                     {Attr::Min, "1"},
                                     {Attr::Max, "9223372036854775807"},
                                     {Attr::Start, "1"},
                                     {Attr::Cache, "1"}})
        sequence.setAttribute(key, QLatin1String(value));
    snapshot.insert(sequence);
    SchemaObject view = object(ObjectKind::View, schema, {}, changed ? names.at(4) : names.at(7));
    view.setAttribute(Attr::Definition,
                      QStringLiteral(" SELECT 1 AS ") + quoteIdent(names.at(1)) + QLatin1Char(';'));
    view.setAttribute(Attr::Comment, names.at(3));
    snapshot.insert(view);
    return snapshot;
}

// The node types PostgreSQL's parser finds in `sql`, or why it could not parse it.
QStringList nodeTypes(const QString &sql)
{
    const Result<SqlScript> parsed =
        SqlScript::parse(sql.toUtf8(), QStringLiteral("generated.sql"));
    PD_FUZZ_CHECK(parsed.ok(), "generated SQL parses");
    QStringList types;
    for (const SqlStatement &statement : parsed->statements())
        types << statement.nodeType;
    return types;
}

void checkScript(const SchemaDiff &diff, bool unsafe)
{
    // Every planned statement is one statement of its own …
    QStringList expected{QStringLiteral("TransactionStmt"), QStringLiteral("VariableSetStmt")};
    for (const GeneratedStatement &statement : generateStatements(diff, unsafe)) {
        const QStringList one = nodeTypes(statement.sql);
        PD_FUZZ_CHECK(one.size() == 1, "a planned statement is exactly one statement");
        if (unsafe || !statement.destructive)
            expected << one.first();
    }
    expected << QStringLiteral("TransactionStmt");
    // … and the script, with its header, warnings and commented-out statements, runs exactly
    // those: nothing a name holds becomes a statement or swallows one.
    SqlOptions options;
    options.unsafe = unsafe;
    options.transaction = true;
    PD_FUZZ_CHECK(nodeTypes(generateSql(diff, options)) == expected,
                  "the script runs exactly the planned statements");
}

} // namespace

void generatedSql(QByteArrayView data)
{
    const QStringList names = namesFrom(data);
    const SchemaSnapshot hostile = hostileSnapshot(names, false);
    const SchemaSnapshot changed = hostileSnapshot(names, true);
    const SchemaSnapshot empty;
    for (const auto &[from, to] :
         {std::pair{&hostile, &empty}, {&empty, &hostile}, {&hostile, &changed}}) {
        const SchemaDiff d = diff(*from, *to);
        PD_FUZZ_CHECK(!d.isEmpty(), "the snapshots differ");
        checkScript(d, false);
        checkScript(d, true);
    }
}

} // namespace pd::fuzz
