#include "workspace/migrationformat.h"

#include <iterator>

namespace pd {

namespace {

struct FormatRow
{
    MigrationFormat format;
    const char *name;
    bool alias; // accepted, never written or offered in an error
};

constexpr FormatRow kFormats[] = {
    {MigrationFormat::Auto, "auto", false},
    {MigrationFormat::ParityDeck, "paritydeck", false},
    {MigrationFormat::Flyway, "flyway", false},
    {MigrationFormat::GolangMigrate, "golang-migrate", false},
    {MigrationFormat::Dbmate, "dbmate", false},
    {MigrationFormat::Sqitch, "sqitch", false},
    {MigrationFormat::Sqitch, "sqitch-plan", true},
    {MigrationFormat::Alembic, "alembic", false},
    {MigrationFormat::Prisma, "prisma", false},
    {MigrationFormat::Plain, "plain", false},
};

} // namespace

QString migrationFormatName(MigrationFormat format)
{
    for (const FormatRow &row : kFormats) {
        if (row.format == format && !row.alias)
            return QString::fromLatin1(row.name);
    }
    return {};
}

Result<MigrationFormat> migrationFormatFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    QStringList valid;
    for (const FormatRow &row : kFormats) {
        if (n == QLatin1String(row.name))
            return row.format;
        if (!row.alias)
            valid << QString::fromLatin1(row.name);
    }
    return Error(ErrorCode::Config, ErrorKind::UnknownMigrationsFormat,
                 {ErrorArg::text(QStringLiteral("name"), name),
                  ErrorArg::text(QStringLiteral("formats"), valid.join(QStringLiteral(", ")))});
}

const QStringList &migrationFormatNames()
{
    static const QStringList names = [] {
        QStringList all;
        for (const FormatRow &row : kFormats)
            all << QString::fromLatin1(row.name);
        return all;
    }();
    return names;
}

} // namespace pd
