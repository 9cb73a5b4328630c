// Writes SQL as the next migration of a workspace, named the way its migrations folder
// names them (migrationsource.h lists the formats), so a schema difference reviewed in
// the panel becomes a migration the team's own tool will pick up. Blocking (file system):
// worker threads only.
#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QString>

namespace pd {

struct Workspace;

struct NewMigrationFile
{
    QString path; // absolute
    // The key the format's loader gives it: "0004", "5", "20240101120000"; the whole name
    // for plain folders ("004_add_index") and Prisma ("20240101120000_add_index").
    QString version;
    QString format; // migrationFormatName()
};

// "Add orders index" → "add_orders_index": lower case, runs of anything else than a-z/0-9
// become one underscore; never empty ("schema_change").
QString migrationSlug(const QString &name);

// Writes `sql` as a new file after the last migration of the workspace's folder (created
// when missing; an empty or missing folder uses ParityDeck's format unless
// migrations.format names another). Never overwrites a file. Timestamped formats (dbmate,
// prisma) use `now` in UTC. Sqitch and Alembic need their own tools (a plan entry, a
// Python revision): refused with ErrorCode::Refused saying so.
Result<NewMigrationFile> writeNewMigration(const Workspace &workspace, const QString &name,
                                           const QString &sql,
                                           const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace pd
