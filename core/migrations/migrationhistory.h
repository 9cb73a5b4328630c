// What a database says has been applied. ParityDeck writes its own table,
// paritydeck.schema_migrations; the tracking tables of other tools are read, never
// written, so a team can see their state without switching tools:
//
//   flyway_schema_history   Flyway (installed_rank, version, checksum CRC32, success)
//   schema_migrations       golang-migrate (version bigint, dirty) — only the current version
//                           dbmate (version) / Rails (version + ar_internal_metadata)
//   alembic_version         Alembic (version_num: the current head revisions)
//   _prisma_migrations      Prisma (migration_name, checksum, finished_at, rolled_back_at)
//   sqitch.changes          sqitch (change, script_hash SHA-1)
//
// Tables are found by name and told apart by their columns, in any schema; when a name
// exists in several schemas the one visible on the search_path wins.
#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace pd {

class Connection;

enum class HistoryKind {
    ParityDeck,
    Flyway,
    GolangMigrate,
    Dbmate,
    Rails,
    Alembic,
    Prisma,
    Sqitch
};
QString historyKindName(HistoryKind kind);  // "paritydeck", "flyway", … (stable, for JSON)
QString historyKindLabel(HistoryKind kind); // "ParityDeck", "Flyway", … (for people)

struct AppliedMigration
{
    QString version; // matches Migration::version of the corresponding format
    QString name;
    QString checksum;    // as the tool stores it; empty when the tool keeps none
    QDateTime appliedAt; // UTC; invalid when the tool keeps no time
    QString appliedBy;
    int durationMs = -1; // -1 when unknown
    bool success = true;
};

struct MigrationHistory
{
    HistoryKind kind = HistoryKind::ParityDeck;
    QString table;                   // qualified: "paritydeck.schema_migrations"
    QList<AppliedMigration> applied; // in the order they were applied
    // golang-migrate and Alembic keep only where the database is, not each step: the
    // current version(s). The planner derives the applied set from the migration files.
    bool currentVersionOnly = false;
    QStringList currentVersions;
    // Flyway baseline: versions up to and including it count as applied without a row.
    QString baselineVersion;
    // golang-migrate: the last migration failed part-way; the tool refuses to continue.
    bool dirty = false;

    const AppliedMigration *find(const QString &version) const;
};

class MigrationHistoryReader final
{
public:
    // Every tracking table found in the connected database, ParityDeck's first. Only
    // catalog queries and SELECTs: safe on any environment, including read-only ones.
    static Result<QList<MigrationHistory>> readAll(Connection &connection);

    // ParityDeck's table, as the demo and the runner create it (IF NOT EXISTS, so it is
    // safe to run again). Kept byte-compatible with existing installations.
    static QString parityDeckTableDdl();
    static QString parityDeckTable() { return QStringLiteral("paritydeck.schema_migrations"); }
};

} // namespace pd
