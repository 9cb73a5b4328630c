// The migration formats ParityDeck reads, in one table: the names `migrations.format`
// accepts in paritydeck.yaml (workspace loader), the enum the migration sources switch on,
// and the names error messages list all come from it. A new format is one row here (and
// its reader in core/migrations/migrationsource.*).
#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

namespace pd {

enum class MigrationFormat {
    Auto,
    ParityDeck,
    Flyway,
    GolangMigrate,
    Dbmate,
    Sqitch,
    Alembic,
    Prisma,
    Plain
};

// "paritydeck", "flyway", "golang-migrate", "dbmate", "sqitch", "alembic", "prisma", "plain",
// "auto".
QString migrationFormatName(MigrationFormat format);
// Accepts the names above plus "sqitch-plan"; unknown names are a Config error that
// lists the valid ones.
Result<MigrationFormat> migrationFormatFromName(const QString &name);
// Every name `migrations.format` accepts, aliases ("sqitch-plan") included, in the order
// they are listed to people.
const QStringList &migrationFormatNames();

} // namespace pd
