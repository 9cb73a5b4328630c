#include "migrations/newmigrationfile.h"

#include "migrations/migrationsource.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace pd {

namespace {

// The largest leading number among the versions and the widest zero-padded spelling of
// one, so "0009" is followed by "0010" and "9" by "10".
struct Numbering
{
    qint64 last = 0;
    int width = 0;
};

Numbering numberingOf(const MigrationSet &set, int defaultWidth)
{
    Numbering n;
    static const QRegularExpression leading(QStringLiteral("^(\\d+)"));
    for (const Migration &migration : set.migrations) {
        QString key = migration.version;
        if (set.format == MigrationFormat::Plain)
            key = QFileInfo(migration.filePath).fileName();
        const auto match = leading.match(key);
        if (!match.hasMatch())
            continue;
        const QString digits = match.captured(1);
        n.last = std::max(n.last, digits.toLongLong());
        if (digits.startsWith(QLatin1Char('0')))
            n.width = std::max(n.width, int(digits.size()));
    }
    if (n.width == 0)
        n.width = set.migrations.isEmpty() ? defaultWidth : 1;
    return n;
}

QString padded(qint64 number, int width)
{
    return QStringLiteral("%1").arg(number, width, 10, QLatin1Char('0'));
}

Result<NewMigrationFile> writeFile(const QString &path, const QByteArray &contents)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error(ErrorCode::Runtime, ErrorKind::FolderNotCreated,
                     {ErrorArg::text(QStringLiteral("folder"), QFileInfo(path).absolutePath())});
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return Error(ErrorCode::Runtime, ErrorKind::FileNotCreated,
                     {ErrorArg::text(QStringLiteral("file"), QDir::toNativeSeparators(path)),
                      ErrorArg::text(QStringLiteral("detail"), file.errorString())});
    if (file.write(contents) != contents.size() || !file.flush())
        return Error(ErrorCode::Runtime, ErrorKind::FileNotWritten,
                     {ErrorArg::text(QStringLiteral("file"), QDir::toNativeSeparators(path)),
                      ErrorArg::text(QStringLiteral("detail"), file.errorString())});
    NewMigrationFile written;
    written.path = QFileInfo(path).absoluteFilePath();
    return written;
}

} // namespace

QString migrationSlug(const QString &name)
{
    QString slug;
    bool gap = false;
    for (const QChar c : name.toLower()) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')) {
            if (gap && !slug.isEmpty())
                slug += QLatin1Char('_');
            slug += c;
            gap = false;
        } else {
            gap = true;
        }
    }
    return slug.isEmpty() ? QStringLiteral("schema_change") : slug.left(60);
}

Result<NewMigrationFile> writeNewMigration(const Workspace &workspace, const QString &name,
                                           const QString &sql, const QDateTime &now)
{
    const QString dir = workspace.resolvePath(workspace.migrations.dir);
    auto configured = migrationFormatFromName(workspace.migrations.format);
    if (!configured)
        return configured.error();
    MigrationSet set;
    set.format = *configured == MigrationFormat::Auto ? MigrationFormat::ParityDeck : *configured;
    set.dir = dir;
    if (QFileInfo(dir).isDir()) {
        auto loaded = MigrationSource::load(dir, *configured);
        if (!loaded)
            return loaded.error();
        set = *loaded;
    }
    const QString slug = migrationSlug(name);
    QString body = sql;
    if (!body.endsWith(QLatin1Char('\n')))
        body += QLatin1Char('\n');
    const QString stamp = now.toUTC().toString(QStringLiteral("yyyyMMddHHmmss"));

    QString relative;
    QString version;
    QByteArray contents = body.toUtf8();
    switch (set.format) {
    case MigrationFormat::Auto:
    case MigrationFormat::ParityDeck: {
        const Numbering n = numberingOf(set, 4);
        version = padded(n.last + 1, n.width);
        relative = version + QLatin1Char('_') + slug + QStringLiteral(".sql");
        break;
    }
    case MigrationFormat::GolangMigrate: {
        const Numbering n = numberingOf(set, 6);
        version = padded(n.last + 1, n.width);
        relative = version + QLatin1Char('_') + slug + QStringLiteral(".up.sql");
        break;
    }
    case MigrationFormat::Flyway: {
        Numbering n;
        for (const Migration &migration : std::as_const(set.migrations)) {
            if (!migration.repeatable)
                n.last = std::max(n.last,
                                  migration.version.section(QLatin1Char('.'), 0, 0).toLongLong());
        }
        version = QString::number(n.last + 1);
        relative =
            QLatin1Char('V') + version + QStringLiteral("__") + slug + QStringLiteral(".sql");
        break;
    }
    case MigrationFormat::Dbmate:
        version = stamp;
        relative = stamp + QLatin1Char('_') + slug + QStringLiteral(".sql");
        contents =
            (QStringLiteral("-- migrate:up\n") + body + QStringLiteral("\n-- migrate:down\n"))
                .toUtf8();
        break;
    case MigrationFormat::Prisma:
        version = stamp + QLatin1Char('_') + slug; // Prisma keys a migration by its folder
        relative = version + QStringLiteral("/migration.sql");
        break;
    case MigrationFormat::Plain: {
        // Numbered after the last leading number (or timestamped), but a plain folder keys
        // each migration by its whole name, so that is the version the loader will read.
        const Numbering n = numberingOf(set, 0);
        const QString prefix = n.last > 0 ? padded(n.last + 1, n.width) : stamp;
        version = prefix + QLatin1Char('_') + slug;
        relative = version + QStringLiteral(".sql");
        // Names are applied in text order: "10_x" comes before "9_y", and a timestamp
        // before "create_users". A new file that would not be last is refused.
        if (!set.migrations.isEmpty() &&
            MigrationSource::compareVersions(MigrationFormat::Plain, version,
                                             set.migrations.last().version) <= 0)
            return Error(ErrorCode::Refused, ErrorKind::NewPlainMigrationWouldNotSortLast,
                         {ErrorArg::text(QStringLiteral("version"), version),
                          ErrorArg::text(QStringLiteral("last"), set.migrations.last().version)});
        break;
    }
    case MigrationFormat::Sqitch:
        return Error(ErrorCode::Refused, ErrorKind::SqitchNeedsPlanEntry,
                     {ErrorArg::text(QStringLiteral("change"), slug)});
    case MigrationFormat::Alembic:
        return Error(
            ErrorCode::Refused,
            QStringLiteral(
                "Alembic revisions are Python: create one with `alembic revision -m \"%1\"` "
                "and run the SQL from op.execute()")
                .arg(name));
    }
    auto written = writeFile(QDir(dir).filePath(relative), contents);
    if (!written)
        return written.error();
    written->version = version;
    written->format = migrationFormatName(set.format);
    return written;
}

} // namespace pd
