#include "migrations/migrationhistory.h"

#include "db/connection.h"

#include <QHash>
#include <QSet>

#include <optional>

namespace pd {

namespace {

QString quoteIdent(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

struct FoundTable
{
    QString schema;
    QString name;
    QSet<QString> columns;
    QHash<QString, QString> types; // column → format_type
    QString qualified() const { return quoteIdent(schema) + QLatin1Char('.') + quoteIdent(name); }
    QString display() const { return schema + QLatin1Char('.') + name; }
};

// Milliseconds since the epoch (from "extract(epoch …) * 1000") → UTC time.
QDateTime fromEpochMs(const QueryResult &rows, int row, const QString &column)
{
    const int c = rows.columnIndex(column);
    if (c < 0 || rows.isNull(row, c))
        return {};
    bool ok = false;
    const double ms = rows.value(row, c).toDouble(&ok);
    return ok ? QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC) : QDateTime();
}

bool isTrue(const QString &value)
{
    return value == QLatin1String("t") || value == QLatin1String("true");
}

Error readError(const FoundTable &table, const Error &error)
{
    return Error(error.code, QStringLiteral("cannot read the migration history in %1: %2")
                                 .arg(table.display(), error.message));
}

Result<MigrationHistory> readParityDeck(Connection &c, const FoundTable &t)
{
    auto rows = c.exec(
        QStringLiteral(
            "SELECT version, name, checksum, extract(epoch FROM applied_at) * 1000 AS applied_ms, "
            "applied_by, duration_ms, success FROM %1 ORDER BY applied_at, version")
            .arg(t.qualified()));
    if (!rows)
        return readError(t, rows.error());
    MigrationHistory h;
    h.kind = HistoryKind::ParityDeck;
    for (int r = 0; r < rows->rowCount(); ++r) {
        AppliedMigration a;
        a.version = rows->value(r, QStringLiteral("version"));
        a.name = rows->value(r, QStringLiteral("name"));
        a.checksum = rows->value(r, QStringLiteral("checksum"));
        a.appliedAt = fromEpochMs(*rows, r, QStringLiteral("applied_ms"));
        a.appliedBy = rows->value(r, QStringLiteral("applied_by"));
        a.durationMs = rows->value(r, QStringLiteral("duration_ms")).toInt();
        a.success = isTrue(rows->value(r, QStringLiteral("success")));
        h.applied << a;
    }
    return h;
}

Result<MigrationHistory> readFlyway(Connection &c, const FoundTable &t)
{
    auto rows =
        c.exec(QStringLiteral(
                   "SELECT version, description, type, script, checksum, installed_by, "
                   "extract(epoch FROM installed_on) * 1000 AS applied_ms, execution_time, success "
                   "FROM %1 ORDER BY installed_rank")
                   .arg(t.qualified()));
    if (!rows)
        return readError(t, rows.error());
    MigrationHistory h;
    h.kind = HistoryKind::Flyway;
    for (int r = 0; r < rows->rowCount(); ++r) {
        const QString type = rows->value(r, QStringLiteral("type"));
        // SCHEMA: Flyway created the schema; DELETE/UNDO: later entries undo earlier ones.
        if (type == QLatin1String("SCHEMA"))
            continue;
        AppliedMigration a;
        a.version = rows->value(r, QStringLiteral("version"));
        if (type == QLatin1String("BASELINE")) {
            // The database was adopted at this version; older files were never run by
            // Flyway and do not need to be.
            h.baselineVersion = a.version;
            continue;
        }
        if (type == QLatin1String("DELETE") || type.startsWith(QLatin1String("UNDO"))) {
            for (qsizetype i = h.applied.size() - 1; i >= 0; --i) {
                if (h.applied.at(i).version == a.version) {
                    h.applied.removeAt(i);
                    break;
                }
            }
            continue;
        }
        const QString script = rows->value(r, QStringLiteral("script"));
        if (a.version.isEmpty()) {
            // Repeatable: keyed like the files, "R__" + the name part of the script.
            QString base = script.section(QLatin1Char('/'), -1);
            if (base.endsWith(QLatin1String(".sql")))
                base.chop(4);
            a.version = base;
            // A repeatable is applied again on every change: the latest row counts.
            for (qsizetype i = h.applied.size() - 1; i >= 0; --i) {
                if (h.applied.at(i).version == a.version)
                    h.applied.removeAt(i);
            }
        }
        a.name = rows->value(r, QStringLiteral("description"));
        a.checksum = rows->value(r, QStringLiteral("checksum"));
        a.appliedAt = fromEpochMs(*rows, r, QStringLiteral("applied_ms"));
        a.appliedBy = rows->value(r, QStringLiteral("installed_by"));
        a.durationMs = rows->value(r, QStringLiteral("execution_time")).toInt();
        a.success = isTrue(rows->value(r, QStringLiteral("success")));
        h.applied << a;
    }
    return h;
}

Result<MigrationHistory> readGolangMigrate(Connection &c, const FoundTable &t)
{
    auto rows = c.exec(QStringLiteral("SELECT version, dirty FROM %1").arg(t.qualified()));
    if (!rows)
        return readError(t, rows.error());
    MigrationHistory h;
    h.kind = HistoryKind::GolangMigrate;
    h.currentVersionOnly = true;
    for (int r = 0; r < rows->rowCount(); ++r) {
        h.currentVersions << rows->value(r, 0);
        h.dirty = h.dirty || isTrue(rows->value(r, 1));
    }
    return h;
}

Result<MigrationHistory> readVersionsOnly(Connection &c, const FoundTable &t, HistoryKind kind)
{
    auto rows =
        c.exec(QStringLiteral("SELECT version FROM %1 ORDER BY version").arg(t.qualified()));
    if (!rows)
        return readError(t, rows.error());
    MigrationHistory h;
    h.kind = kind;
    for (int r = 0; r < rows->rowCount(); ++r) {
        AppliedMigration a;
        a.version = rows->value(r, 0);
        h.applied << a;
    }
    return h;
}

Result<MigrationHistory> readAlembic(Connection &c, const FoundTable &t)
{
    auto rows = c.exec(
        QStringLiteral("SELECT version_num FROM %1 ORDER BY version_num").arg(t.qualified()));
    if (!rows)
        return readError(t, rows.error());
    MigrationHistory h;
    h.kind = HistoryKind::Alembic;
    h.currentVersionOnly = true;
    for (int r = 0; r < rows->rowCount(); ++r)
        h.currentVersions << rows->value(r, 0);
    return h;
}

Result<MigrationHistory> readPrisma(Connection &c, const FoundTable &t)
{
    auto rows = c.exec(
        QStringLiteral(
            "SELECT migration_name, checksum, extract(epoch FROM started_at) * 1000 AS applied_ms, "
            "(extract(epoch FROM finished_at - started_at) * 1000)::int AS duration_ms, "
            "finished_at IS NOT NULL AS finished FROM %1 WHERE rolled_back_at IS NULL "
            "ORDER BY started_at, migration_name")
            .arg(t.qualified()));
    if (!rows)
        return readError(t, rows.error());
    MigrationHistory h;
    h.kind = HistoryKind::Prisma;
    for (int r = 0; r < rows->rowCount(); ++r) {
        AppliedMigration a;
        a.version = rows->value(r, QStringLiteral("migration_name"));
        a.name = a.version;
        a.checksum = rows->value(r, QStringLiteral("checksum"));
        a.appliedAt = fromEpochMs(*rows, r, QStringLiteral("applied_ms"));
        const int d = rows->columnIndex(QStringLiteral("duration_ms"));
        a.durationMs = rows->isNull(r, d) ? -1 : rows->value(r, d).toInt();
        a.success = isTrue(rows->value(r, QStringLiteral("finished")));
        h.applied << a;
    }
    return h;
}

Result<MigrationHistory> readSqitch(Connection &c, const FoundTable &t)
{
    auto rows =
        c.exec(QStringLiteral("SELECT change, script_hash, note, committer_name, "
                              "extract(epoch FROM committed_at) * 1000 AS applied_ms FROM %1 "
                              "ORDER BY committed_at, change")
                   .arg(t.qualified()));
    if (!rows)
        return readError(t, rows.error());
    MigrationHistory h;
    h.kind = HistoryKind::Sqitch;
    for (int r = 0; r < rows->rowCount(); ++r) {
        AppliedMigration a;
        a.version = rows->value(r, QStringLiteral("change"));
        const QString note = rows->value(r, QStringLiteral("note"));
        a.name = note.isEmpty() ? a.version : note;
        a.checksum = rows->value(r, QStringLiteral("script_hash"));
        a.appliedBy = rows->value(r, QStringLiteral("committer_name"));
        a.appliedAt = fromEpochMs(*rows, r, QStringLiteral("applied_ms"));
        h.applied << a;
    }
    return h;
}

std::optional<HistoryKind> kindOf(const FoundTable &t, const QList<FoundTable> &all)
{
    const auto has = [&t](std::initializer_list<const char *> columns) {
        for (const char *c : columns) {
            if (!t.columns.contains(QLatin1String(c)))
                return false;
        }
        return true;
    };
    if (t.name == QLatin1String("schema_migrations")) {
        if (t.schema == QLatin1String("paritydeck") && has({"version", "name", "checksum"}))
            return HistoryKind::ParityDeck;
        if (has({"version", "dirty"}))
            return HistoryKind::GolangMigrate;
        if (has({"version"}) && t.columns.size() == 1) {
            // Rails keeps ar_internal_metadata next to it; dbmate keeps nothing else.
            for (const FoundTable &other : all) {
                if (other.schema == t.schema && other.name == QLatin1String("ar_internal_metadata"))
                    return HistoryKind::Rails;
            }
            return HistoryKind::Dbmate;
        }
    } else if (t.name == QLatin1String("flyway_schema_history") &&
               has({"installed_rank", "version", "checksum", "success"})) {
        return HistoryKind::Flyway;
    } else if (t.name == QLatin1String("alembic_version") && has({"version_num"})) {
        return HistoryKind::Alembic;
    } else if (t.name == QLatin1String("_prisma_migrations") &&
               has({"migration_name", "checksum", "finished_at", "rolled_back_at"})) {
        return HistoryKind::Prisma;
    } else if (t.name == QLatin1String("changes") && t.schema == QLatin1String("sqitch") &&
               has({"change_id", "change", "script_hash", "project"})) {
        return HistoryKind::Sqitch;
    }
    return std::nullopt;
}

} // namespace

QString historyKindName(HistoryKind kind)
{
    switch (kind) {
    case HistoryKind::ParityDeck:
        return QStringLiteral("paritydeck");
    case HistoryKind::Flyway:
        return QStringLiteral("flyway");
    case HistoryKind::GolangMigrate:
        return QStringLiteral("golang-migrate");
    case HistoryKind::Dbmate:
        return QStringLiteral("dbmate");
    case HistoryKind::Rails:
        return QStringLiteral("rails");
    case HistoryKind::Alembic:
        return QStringLiteral("alembic");
    case HistoryKind::Prisma:
        return QStringLiteral("prisma");
    case HistoryKind::Sqitch:
        return QStringLiteral("sqitch");
    }
    return {};
}

QString historyKindLabel(HistoryKind kind)
{
    switch (kind) {
    case HistoryKind::ParityDeck:
        return QStringLiteral("ParityDeck");
    case HistoryKind::Flyway:
        return QStringLiteral("Flyway");
    case HistoryKind::GolangMigrate:
        return QStringLiteral("golang-migrate");
    case HistoryKind::Dbmate:
        return QStringLiteral("dbmate");
    case HistoryKind::Rails:
        return QStringLiteral("Rails");
    case HistoryKind::Alembic:
        return QStringLiteral("Alembic");
    case HistoryKind::Prisma:
        return QStringLiteral("Prisma");
    case HistoryKind::Sqitch:
        return QStringLiteral("sqitch");
    }
    return {};
}

const AppliedMigration *MigrationHistory::find(const QString &version) const
{
    for (const AppliedMigration &a : applied) {
        if (a.version == version)
            return &a;
    }
    return nullptr;
}

QString MigrationHistoryReader::parityDeckTableDdl()
{
    return QStringLiteral("CREATE SCHEMA IF NOT EXISTS paritydeck;\n"
                          "CREATE TABLE IF NOT EXISTS paritydeck.schema_migrations (\n"
                          "    version     text PRIMARY KEY,\n"
                          "    name        text NOT NULL,\n"
                          "    checksum    text NOT NULL,\n"
                          "    applied_at  timestamptz NOT NULL DEFAULT now(),\n"
                          "    applied_by  text NOT NULL DEFAULT current_user,\n"
                          "    duration_ms integer NOT NULL DEFAULT 0,\n"
                          "    success     boolean NOT NULL DEFAULT true\n"
                          ");");
}

Result<QList<MigrationHistory>> MigrationHistoryReader::readAll(Connection &connection)
{
    auto tables = connection.exec(QStringLiteral(
        "SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
        "       pg_catalog.pg_table_is_visible(c.oid) AS visible "
        "FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT "
        "a.attisdropped "
        "WHERE c.relkind IN ('r', 'p') "
        "  AND c.relname IN ('schema_migrations', 'flyway_schema_history', 'alembic_version', "
        "                    '_prisma_migrations', 'changes', 'ar_internal_metadata') "
        "  AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY visible DESC, n.nspname, c.relname, a.attnum"));
    if (!tables) {
        return Error(tables.error().code, QStringLiteral("cannot look for migration history "
                                                         "tables: %1")
                                              .arg(tables.error().message));
    }
    QList<FoundTable> found;
    for (int r = 0; r < tables->rowCount(); ++r) {
        const QString schema = tables->value(r, 0), name = tables->value(r, 1);
        if (found.isEmpty() || found.last().schema != schema || found.last().name != name)
            found.append(FoundTable{schema, name, {}, {}});
        found.last().columns.insert(tables->value(r, 2));
        found.last().types.insert(tables->value(r, 2), tables->value(r, 3));
    }

    QList<MigrationHistory> histories;
    QSet<HistoryKind> seen;
    for (const FoundTable &t : std::as_const(found)) {
        const auto kind = kindOf(t, found);
        if (!kind || seen.contains(*kind))
            continue; // the first (search_path-visible) table of a kind wins
        seen.insert(*kind);
        Result<MigrationHistory> h = Error(ErrorCode::Runtime, QString());
        switch (*kind) {
        case HistoryKind::ParityDeck:
            h = readParityDeck(connection, t);
            break;
        case HistoryKind::Flyway:
            h = readFlyway(connection, t);
            break;
        case HistoryKind::GolangMigrate:
            h = readGolangMigrate(connection, t);
            break;
        case HistoryKind::Dbmate:
        case HistoryKind::Rails:
            h = readVersionsOnly(connection, t, *kind);
            break;
        case HistoryKind::Alembic:
            h = readAlembic(connection, t);
            break;
        case HistoryKind::Prisma:
            h = readPrisma(connection, t);
            break;
        case HistoryKind::Sqitch:
            h = readSqitch(connection, t);
            break;
        }
        if (!h)
            return h.error();
        h->table = t.display();
        if (*kind == HistoryKind::ParityDeck)
            histories.prepend(*h);
        else
            histories.append(*h);
    }
    return histories;
}

} // namespace pd
