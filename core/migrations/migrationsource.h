// Reads a migrations folder in the layout of ParityDeck or of a popular tool, so a team
// can keep the tool it has. Each format has its own naming and ordering rules:
//
//   paritydeck     NNNN_name.sql (+ NNNN_name.down.sql); numeric order; 001 and 0001 are the
//                  same version (a duplicate-version error naming both files)
//   flyway         V1__name.sql, V1.1__name.sql / V1_1__…, R__name.sql (repeatable, after
//                  all versioned ones), U1__name.sql (undo); dotted numeric order, recursive
//   golang-migrate NNN_name.up.sql / NNN_name.down.sql; numeric order
//   dbmate         YYYYMMDDHHMMSS_name.sql with "-- migrate:up" / "-- migrate:down" sections
//   sqitch         sqitch.plan + deploy/ revert/ verify/; plan order
//   alembic        versions/*.py; order from the revision graph (read as text, never run)
//   prisma         YYYYMMDDHHMMSS_name/migration.sql (+ migration_lock.toml); folder order
//   plain          NAME.sql or NAME.up.sql (+ NAME.down.sql); order of NAME
//
// Checksums are SHA-256 (hex) of the file with CRLF turned into LF, so a checkout on
// Windows does not look like an edited migration.
#pragma once

#include "common/result.h"
#include "workspace/migrationformat.h" // MigrationFormat and its names

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace pd {

struct Workspace;

struct Migration
{
    QString version;  // the format's own key: "0003", "1.1", "20240101120000", a sqitch
                      // change name, an Alembic revision id; Flyway repeatables: "R__name"
    QString name;     // description: "create_users", "add users" (Flyway: underscores → spaces)
    QString filePath; // absolute path of the up script (.sql, or .py for Alembic)
    QString relativePath;       // relative to the migrations folder, for messages
    QString downPath;           // absolute path of the down/revert script, empty if none
    QByteArray upSql;           // the SQL that applies it (dbmate: the up section only)
    int upFirstLine = 1;        // file line where upSql starts
    bool repeatable = false;    // Flyway R__: re-applied whenever its checksum changes
    bool executable = true;     // false for Alembic revisions (Python)
    bool noTransaction = false; // asked for by the format (dbmate "transaction:false")
    QString checksum;           // SHA-256 hex of the file, CRLF → LF
    QString toolChecksum;       // the tool's own: Flyway CRC32 (signed decimal), sqitch SHA-1
    QStringList parents;        // Alembic down_revision(s), sqitch dependencies
};

struct MigrationSet
{
    MigrationFormat format = MigrationFormat::ParityDeck;
    QString dir;                 // absolute
    QList<Migration> migrations; // in apply order
    QStringList warnings;        // files that look like migrations but were not read, …

    int indexOf(const QString &version) const;
    // A version a user typed (--to): the exact version, or else the one that is the same
    // version by the format's rule — "9" finds 0009, since numeric versions are numbers
    // (docs/decisions.md §13). -1 when there is none.
    int indexOfTarget(const QString &version) const;
    const Migration *find(const QString &version) const;
};

class MigrationSource final
{
public:
    // Looks at file names (and sqitch.plan, Alembic revision files, dbmate markers).
    // An empty folder is ParityDeck's format; a folder with nothing recognisable is an error.
    static Result<MigrationFormat> detectFormat(const QString &dir);
    static Result<MigrationSet> load(const QString &dir,
                                     MigrationFormat format = MigrationFormat::Auto);
    // The workspace's migrations: migrations.dir (relative to the workspace file) in
    // migrations.format.
    static Result<MigrationSet> load(const Workspace &workspace);

    // Orders two versions by the format's rule (<0, 0, >0). Sqitch and Alembic order by
    // plan/graph position, so for them this only compares text.
    static int compareVersions(MigrationFormat format, const QString &a, const QString &b);
    // SHA-256 hex of `contents` with CRLF → LF.
    static QString checksum(const QByteArray &contents);
    // Flyway's checksum: CRC32 over the UTF-8 bytes of each line (without line breaks,
    // BOM removed), as a signed 32-bit decimal, the way flyway_schema_history stores it.
    static QString flywayChecksum(const QByteArray &contents);
};

} // namespace pd
