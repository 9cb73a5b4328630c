#include "migrations/migrationsource.h"

#include "common/errors.h"
#include "common/regularfile.h"
#include "workspace/workspace.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <array>
#include <cstdint>

namespace pd {

namespace {

const QRegularExpression &parityDeckName()
{
    static const QRegularExpression re(QStringLiteral("^(\\d+)_(.+?)(\\.down)?\\.sql$"));
    return re;
}
const QRegularExpression &flywayVersioned()
{
    // V or U, version parts joined by '.' or '_', two underscores, description.
    static const QRegularExpression re(QStringLiteral("^([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql$"));
    return re;
}
const QRegularExpression &flywayRepeatable()
{
    static const QRegularExpression re(QStringLiteral("^R__(.+)\\.sql$"));
    return re;
}
const QRegularExpression &golangName()
{
    static const QRegularExpression re(QStringLiteral("^(\\d+)_(.*)\\.(up|down)\\.sql$"));
    return re;
}
const QRegularExpression &dbmateName()
{
    static const QRegularExpression re(QStringLiteral("^(\\d+)_?(.*)\\.sql$"));
    return re;
}
// dbmate's section markers are whole lines; options follow on the same line.
const QRegularExpression &dbmateUp()
{
    static const QRegularExpression re(QStringLiteral("^--\\s*migrate:up\\b(.*)$"),
                                       QRegularExpression::MultilineOption);
    return re;
}
const QRegularExpression &dbmateDown()
{
    static const QRegularExpression re(QStringLiteral("^--\\s*migrate:down\\b.*$"),
                                       QRegularExpression::MultilineOption);
    return re;
}

// A migration file may be large (a seed of many INSERTs), but not without bound: a link
// to /dev/zero or a sparse file of gigabytes must not fill memory (docs/migrations.md).
constexpr qint64 kMaxMigrationBytes = 64 * 1024 * 1024;

Result<QByteArray> readFile(const QString &path)
{
    RegularFileRead read = readRegularFile(path, kMaxMigrationBytes);
    if (read.problem != RegularFileRead::Problem::None) {
        QString why = regularFileProblemText(read, byteLimitText(kMaxMigrationBytes));
        if (read.problem == RegularFileRead::Problem::TooLarge)
            why += QStringLiteral(", the limit for one migration file; split it, or load the "
                                  "data with COPY from a file of its own");
        else if (read.problem != RegularFileRead::Problem::Unreadable)
            why += QStringLiteral("; a migration must be a regular file");
        return Error(ErrorCode::NotFound, ErrorKind::MigrationUnreadable,
                     {ErrorArg::text(QStringLiteral("file"), QDir::toNativeSeparators(path)),
                      ErrorArg::text(QStringLiteral("detail"), why)});
    }
    return std::move(read.bytes);
}

// The files in `dir` (and below it with `recursive`) whose names match `pattern`, sorted.
// Entries so named that are not regular files (a folder, a FIFO, a device, a symbolic
// link that leads nowhere or to itself) are not read, and each gets a note in `warnings`,
// as a badly named file does, so a migration never disappears without a word.
QStringList migrationFiles(const QString &dir, const QString &pattern, bool recursive,
                           QStringList *warnings)
{
    QStringList files;
    QDirIterator it(dir, {pattern}, QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot,
                    recursive ? QDirIterator::Subdirectories : QDirIterator::NoIteratorFlags);
    QStringList notes;
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path); // follows symbolic links
        if (info.isFile()) {
            files << path;
            continue;
        }
        QString why;
        if (info.isDir())
            why = QStringLiteral("is a folder");
        else if (info.isSymLink() && !info.exists())
            why = QStringLiteral("is a symbolic link that leads nowhere (or to itself)");
        else
            why = QStringLiteral("is not a regular file (a FIFO, socket or device)");
        notes << QStringLiteral("ignored %1: %2; a migration must be a regular file")
                     .arg(QDir(dir).relativeFilePath(path), why);
    }
    files.sort();
    notes.sort();
    if (warnings)
        *warnings << notes;
    return files;
}

QStringList sqlFiles(const QString &dir, bool recursive, QStringList *warnings = nullptr)
{
    return migrationFiles(dir, QStringLiteral("*.sql"), recursive, warnings);
}

QString relativeTo(const QString &dir, const QString &path)
{
    return QDir(dir).relativeFilePath(path);
}

// Digit strings of any length compared as numbers ("0010" > "9").
int compareNumeric(QStringView a, QStringView b)
{
    while (a.size() > 1 && a.front() == QLatin1Char('0'))
        a = a.mid(1);
    while (b.size() > 1 && b.front() == QLatin1Char('0'))
        b = b.mid(1);
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return a.compare(b);
}

bool allDigits(QStringView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
}

Migration migrationFromFile(const QString &dir, const QString &path, const QByteArray &contents)
{
    Migration m;
    m.filePath = QFileInfo(path).absoluteFilePath();
    m.relativePath = relativeTo(dir, path);
    m.upSql = contents;
    m.checksum = MigrationSource::checksum(contents);
    return m;
}

Result<void> rejectDuplicate(QHash<QString, QString> &seen, const QString &version,
                             const QString &dir, const QString &path)
{
    const auto it = seen.constFind(version);
    if (it != seen.constEnd()) {
        return Error(ErrorCode::Config, ErrorKind::DuplicateMigrationVersion,
                     {ErrorArg::text(QStringLiteral("first"), relativeTo(dir, *it)),
                      ErrorArg::text(QStringLiteral("second"), relativeTo(dir, path)),
                      ErrorArg::text(QStringLiteral("version"), version),
                      ErrorArg::text(QStringLiteral("zeros"), QString())});
    }
    seen.insert(version, path);
    return {};
}

// Numeric versions are numbers: "001" and "0001" are both version 1, as compareVersions()
// orders them. Keying duplicates by the number makes such a pair a duplicate-version
// error instead of two migrations that sort as equals (docs/decisions.md).
Result<void> rejectDuplicateNumber(QHash<QString, QString> &seen, const QString &digits,
                                   const QString &dir, const QString &path)
{
    QStringView number(digits);
    while (number.size() > 1 && number.front() == QLatin1Char('0'))
        number = number.mid(1);
    const QString key = number.toString();
    const auto it = seen.constFind(key);
    if (it != seen.constEnd()) {
        const QString first = relativeTo(dir, *it), second = relativeTo(dir, path);
        const bool sameDigits = QFileInfo(*it).fileName().startsWith(digits) &&
                                !QFileInfo(*it).fileName().at(digits.size()).isDigit();
        return Error(ErrorCode::Config, ErrorKind::DuplicateMigrationVersion,
                     {ErrorArg::text(QStringLiteral("first"), std::min(first, second)),
                      ErrorArg::text(QStringLiteral("second"), std::max(first, second)),
                      ErrorArg::text(QStringLiteral("version"), key),
                      sameDigits ? ErrorArg::text(QStringLiteral("zeros"), QString())
                                 : ErrorArg::phraseOf(
                                       QStringLiteral("zeros"),
                                       QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                         " (leading zeros do not make another "
                                                         "version)"))});
    }
    seen.insert(key, path);
    return {};
}

void sortByVersion(MigrationFormat format, QList<Migration> &list)
{
    std::stable_sort(list.begin(), list.end(), [format](const Migration &a, const Migration &b) {
        if (a.repeatable != b.repeatable)
            return !a.repeatable; // Flyway: repeatables after all versioned migrations
        if (a.repeatable)
            return a.name < b.name;
        return MigrationSource::compareVersions(format, a.version, b.version) < 0;
    });
}

Result<MigrationSet> loadParityDeck(const QString &dir)
{
    MigrationSet set;
    QHash<QString, QString> seen;
    QHash<QString, QString> downs; // "0003_name" → path
    for (const QString &path : sqlFiles(dir, false, &set.warnings)) {
        const QString file = QFileInfo(path).fileName();
        const auto match = parityDeckName().match(file);
        if (!match.hasMatch()) {
            set.warnings << QStringLiteral("ignored %1: not named like NNNN_name.sql").arg(file);
            continue;
        }
        if (match.capturedLength(3) > 0) {
            downs.insert(match.captured(1) + QLatin1Char('_') + match.captured(2), path);
            continue;
        }
        if (auto dup = rejectDuplicateNumber(seen, match.captured(1), dir, path); !dup)
            return dup.error();
        auto contents = readFile(path);
        if (!contents)
            return contents.error();
        Migration m = migrationFromFile(dir, path, *contents);
        m.version = match.captured(1);
        m.name = match.captured(2);
        set.migrations << m;
    }
    for (Migration &m : set.migrations)
        m.downPath = downs.take(m.version + QLatin1Char('_') + m.name);
    for (const QString &orphan : std::as_const(downs))
        set.warnings << QStringLiteral("ignored %1: no migration with that version and name")
                            .arg(relativeTo(dir, orphan));
    sortByVersion(MigrationFormat::ParityDeck, set.migrations);
    return set;
}

Result<MigrationSet> loadFlyway(const QString &dir)
{
    MigrationSet set;
    QHash<QString, QString> seen;
    QHash<QString, QString> undos;
    for (const QString &path : sqlFiles(dir, true, &set.warnings)) {
        const QString file = QFileInfo(path).fileName();
        Migration m;
        if (const auto v = flywayVersioned().match(file); v.hasMatch()) {
            const QString version = v.captured(2).replace(QLatin1Char('_'), QLatin1Char('.'));
            if (v.captured(1) == QLatin1String("U")) {
                undos.insert(version, path);
                continue;
            }
            if (auto dup = rejectDuplicate(seen, version, dir, path); !dup)
                return dup.error();
            m.version = version;
            m.name = v.captured(3).replace(QLatin1Char('_'), QLatin1Char(' '));
        } else if (const auto r = flywayRepeatable().match(file); r.hasMatch()) {
            m.name = r.captured(1).replace(QLatin1Char('_'), QLatin1Char(' '));
            m.version = QStringLiteral("R__") + r.captured(1);
            m.repeatable = true;
        } else {
            set.warnings << QStringLiteral("ignored %1: not named like V1__name.sql or "
                                           "R__name.sql")
                                .arg(relativeTo(dir, path));
            continue;
        }
        auto contents = readFile(path);
        if (!contents)
            return contents.error();
        const QString version = m.version, name = m.name;
        const bool repeatable = m.repeatable;
        m = migrationFromFile(dir, path, *contents);
        m.version = version;
        m.name = name;
        m.repeatable = repeatable;
        m.toolChecksum = MigrationSource::flywayChecksum(*contents);
        set.migrations << m;
    }
    for (Migration &m : set.migrations) {
        if (!m.repeatable)
            m.downPath = undos.take(m.version);
    }
    sortByVersion(MigrationFormat::Flyway, set.migrations);
    return set;
}

Result<MigrationSet> loadGolangMigrate(const QString &dir)
{
    MigrationSet set;
    QHash<QString, QString> seen;
    QHash<QString, QString> downs;
    for (const QString &path : sqlFiles(dir, false, &set.warnings)) {
        const QString file = QFileInfo(path).fileName();
        const auto match = golangName().match(file);
        if (!match.hasMatch()) {
            set.warnings << QStringLiteral("ignored %1: not named like NNN_name.up.sql or "
                                           "NNN_name.down.sql")
                                .arg(file);
            continue;
        }
        // golang-migrate keys by the number: "001" and "1" are the same version.
        QString version = match.captured(1);
        if (match.captured(3) == QLatin1String("down")) {
            downs.insert(QString::number(version.toULongLong()), path);
            continue;
        }
        bool ok = false;
        version.toULongLong(&ok);
        if (!ok) {
            return Error(ErrorCode::Config, ErrorKind::GolangVersionTooLarge,
                         {ErrorArg::text(QStringLiteral("file"), file),
                          ErrorArg::text(QStringLiteral("version"), version)});
        }
        if (auto dup = rejectDuplicate(seen, QString::number(version.toULongLong()), dir, path);
            !dup)
            return dup.error();
        auto contents = readFile(path);
        if (!contents)
            return contents.error();
        Migration m = migrationFromFile(dir, path, *contents);
        m.version = QString::number(version.toULongLong());
        m.name = match.captured(2);
        set.migrations << m;
    }
    for (Migration &m : set.migrations)
        m.downPath = downs.take(m.version);
    sortByVersion(MigrationFormat::GolangMigrate, set.migrations);
    return set;
}

Result<MigrationSet> loadDbmate(const QString &dir)
{
    MigrationSet set;
    QHash<QString, QString> seen;
    for (const QString &path : sqlFiles(dir, false, &set.warnings)) {
        const QString file = QFileInfo(path).fileName();
        const auto match = dbmateName().match(file);
        if (!match.hasMatch()) {
            set.warnings << QStringLiteral("ignored %1: not named like "
                                           "YYYYMMDDHHMMSS_name.sql")
                                .arg(file);
            continue;
        }
        auto contents = readFile(path);
        if (!contents)
            return contents.error();
        // Markers are ASCII; Latin-1 keeps one character per byte, so every offset below is
        // a byte offset even when the file holds invalid UTF-8 (reported elsewhere, with
        // its position).
        // A UTF-8 byte order mark is not part of the first line (offsets stay bytes).
        const int bom = contents->startsWith("\xEF\xBB\xBF") ? 3 : 0;
        const QString text =
            QString::fromLatin1(contents->constData() + bom, contents->size() - bom);
        const auto up = dbmateUp().match(text);
        if (!up.hasMatch()) {
            set.warnings
                << QStringLiteral("ignored %1: it has no \"-- migrate:up\" line").arg(file);
            continue;
        }
        if (auto dup = rejectDuplicateNumber(seen, match.captured(1), dir, path); !dup)
            return dup.error();
        Migration m = migrationFromFile(dir, path, *contents);
        m.version = match.captured(1);
        m.name = match.captured(2);
        m.downPath = m.filePath; // the down section lives in the same file
        // Section boundaries as byte offsets: the section text keeps its exact bytes, and
        // its first line number lets statement positions point into the file.
        int sectionStart = bom + int(up.capturedEnd());
        if (sectionStart < contents->size() && contents->at(sectionStart) == '\r')
            ++sectionStart;
        if (sectionStart < contents->size() && contents->at(sectionStart) == '\n')
            ++sectionStart;
        int sectionEnd = int(contents->size());
        const auto down = dbmateDown().match(text, up.capturedEnd());
        if (down.hasMatch())
            sectionEnd = bom + int(down.capturedStart());
        m.upSql = contents->mid(sectionStart, std::max(0, sectionEnd - sectionStart));
        m.upFirstLine = int(contents->left(sectionStart).count('\n')) + 1;
        m.noTransaction = up.captured(1).contains(QLatin1String("transaction:false"));
        set.migrations << m;
    }
    sortByVersion(MigrationFormat::Dbmate, set.migrations);
    return set;
}

// Prisma keeps one folder per migration, named "<timestamp>_<name>", holding migration.sql.
QStringList prismaFolders(const QString &dir)
{
    QStringList folders;
    for (const QString &sub : QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (QFileInfo::exists(QDir(dir).filePath(sub + QStringLiteral("/migration.sql"))))
            folders << sub;
    }
    return folders;
}

Result<MigrationSet> loadPrisma(const QString &dir)
{
    MigrationSet set;
    for (const QString &folder : prismaFolders(dir)) {
        const QString path = QDir(dir).filePath(folder + QStringLiteral("/migration.sql"));
        auto contents = readFile(path);
        if (!contents)
            return contents.error();
        Migration m = migrationFromFile(dir, path, *contents);
        // _prisma_migrations.migration_name is the folder name.
        m.version = folder;
        const qsizetype underscore = folder.indexOf(QLatin1Char('_'));
        m.name = underscore > 0 ? folder.mid(underscore + 1) : folder;
        // Older Prisma versions hashed the bytes as they were; newer ones normalise line
        // endings first (= `checksum`). Either may be in the history.
        m.toolChecksum = QString::fromLatin1(
            QCryptographicHash::hash(*contents, QCryptographicHash::Sha256).toHex());
        set.migrations << m;
    }
    return set; // folder-name order, which is Prisma's
}

// Plain folders: every NAME.sql (or NAME.up.sql) is the migration NAME, applied in order
// of NAME; NAME.down.sql is never a migration, only NAME's down script. Ordering by NAME
// rather than by the whole file name keeps "a.up.sql" before "a_b.sql" and means a down
// file can never sort in between.
Result<MigrationSet> loadPlain(const QString &dir)
{
    MigrationSet set;
    QHash<QString, QString> seen;
    QHash<QString, QString> downs; // NAME → path of NAME.down.sql
    for (const QString &path : sqlFiles(dir, false, &set.warnings)) {
        const QString file = QFileInfo(path).fileName();
        QString name = file.chopped(4); // ".sql"
        if (name.endsWith(QLatin1String(".down"), Qt::CaseInsensitive)) {
            downs.insert(name.chopped(5), path);
            continue;
        }
        if (name.endsWith(QLatin1String(".up"), Qt::CaseInsensitive))
            name.chop(3);
        if (name.isEmpty()) {
            set.warnings
                << QStringLiteral("ignored %1: the file has no name before .sql").arg(file);
            continue;
        }
        if (auto dup = rejectDuplicate(seen, name, dir, path); !dup)
            return dup.error();
        auto contents = readFile(path);
        if (!contents)
            return contents.error();
        Migration m = migrationFromFile(dir, path, *contents);
        m.version = name;
        m.name = name;
        set.migrations << m;
    }
    for (Migration &m : set.migrations)
        m.downPath = downs.take(m.version);
    for (const QString &orphan : std::as_const(downs))
        set.warnings << QStringLiteral("ignored %1: no migration %2.sql to undo")
                            .arg(relativeTo(dir, orphan), QFileInfo(orphan).fileName().chopped(9));
    sortByVersion(MigrationFormat::Plain, set.migrations);
    return set;
}

// sqitch.plan: "%pragma" lines, "@tag" lines, and change lines
//   name [dep other:dep !conflict] 2024-01-01T00:00:00Z Planner Name <email> # note
// A change listed again after a tag is "reworked": the earlier one's scripts are
// deploy/name@tag.sql, the latest keeps deploy/name.sql.
Result<MigrationSet> loadSqitch(const QString &dir)
{
    const QString planPath = QDir(dir).filePath(QStringLiteral("sqitch.plan"));
    auto plan = readFile(planPath);
    if (!plan)
        return plan.error();
    struct Entry
    {
        QString name;
        QStringList dependencies;
        QString note;
        QString tagAfter; // first tag after this change
        int line = 0;
    };
    QList<Entry> entries;
    static const QRegularExpression change(
        QStringLiteral("^([^\\s@%#\\[][^\\s\\[]*)\\s*(?:\\[([^\\]]*)\\])?.*?(?:#\\s*(.*))?$"));
    const QStringList lines = QString::fromUtf8(*plan).split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('%')) ||
            line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1Char('@'))) {
            const QString tag = line.section(QLatin1Char(' '), 0, 0).mid(1);
            for (auto it = entries.rbegin(); it != entries.rend() && it->tagAfter.isEmpty(); ++it)
                it->tagAfter = tag;
            continue;
        }
        const auto m = change.match(line);
        if (!m.hasMatch()) {
            return errors::inFile(
                ErrorCode::Config, QDir::toNativeSeparators(planPath), i + 1, 1,
                {ErrorArg::phraseOf(QStringLiteral("detail"),
                                    QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot read this plan "
                                                                          "line"))});
        }
        Entry e;
        e.name = m.captured(1);
        for (const QString &dep : m.captured(2).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (!dep.startsWith(QLatin1Char('!')))
                e.dependencies << dep;
        }
        e.note = m.captured(3).trimmed();
        e.line = i + 1;
        entries << e;
    }

    MigrationSet set;
    QHash<QString, int> lastIndex;
    for (int i = 0; i < entries.size(); ++i)
        lastIndex.insert(entries.at(i).name, i);
    for (int i = 0; i < entries.size(); ++i) {
        const Entry &e = entries.at(i);
        const bool reworked = lastIndex.value(e.name) != i;
        if (reworked && e.tagAfter.isEmpty()) {
            return errors::inFile(
                ErrorCode::Config, QDir::toNativeSeparators(planPath), e.line, 1,
                {ErrorArg::phraseOf(QStringLiteral("detail"),
                                    QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                      "change {change} appears again later, but "
                                                      "no tag follows this one; sqitch requires "
                                                      "a tag between a change and its rework")),
                 ErrorArg::text(QStringLiteral("change"), e.name)});
        }
        const QString key = reworked ? e.name + QLatin1Char('@') + e.tagAfter : e.name;
        const QString deploy =
            QDir(dir).filePath(QStringLiteral("deploy/") + key + QStringLiteral(".sql"));
        auto contents = readFile(deploy);
        if (!contents) {
            return Error(ErrorCode::NotFound, ErrorKind::SqitchDeployScriptMissing,
                         {ErrorArg::number(QStringLiteral("line"), e.line),
                          ErrorArg::text(QStringLiteral("change"), e.name),
                          ErrorArg::text(QStringLiteral("file"), relativeTo(dir, deploy))});
        }
        Migration m = migrationFromFile(dir, deploy, *contents);
        m.version = key;
        m.name = e.note.isEmpty() ? e.name : e.note;
        m.parents = e.dependencies;
        // sqitch.changes.script_hash is the SHA-1 of the deploy script's bytes.
        m.toolChecksum = QString::fromLatin1(
            QCryptographicHash::hash(*contents, QCryptographicHash::Sha1).toHex());
        const QString revert =
            QDir(dir).filePath(QStringLiteral("revert/") + key + QStringLiteral(".sql"));
        if (QFileInfo::exists(revert))
            m.downPath = revert;
        set.migrations << m;
    }
    return set;
}

QString alembicVersionsDir(const QString &dir)
{
    const QString versions = QDir(dir).filePath(QStringLiteral("versions"));
    return QFileInfo(versions).isDir() ? versions : dir;
}

// Alembic revision files are Python. Their identifying assignments are simple literals
// at module level, so they are read as text: running the files would run the app's code.
Result<MigrationSet> loadAlembic(const QString &dir)
{
    const QString versions = alembicVersionsDir(dir);
    static const QRegularExpression revisionRe(
        QStringLiteral("^revision\\s*(?::[^=\\n]*)?=\\s*['\"]([^'\"]+)['\"]"),
        QRegularExpression::MultilineOption);
    static const QRegularExpression downRe(
        QStringLiteral("^down_revision\\s*(?::[^=\\n]*)?=\\s*(None|['\"][^'\"]*['\"]|[\\(\\[][^\\)"
                       "\\]]*[\\)\\]])"),
        QRegularExpression::MultilineOption);
    static const QRegularExpression quoted(QStringLiteral("['\"]([^'\"]+)['\"]"));
    static const QRegularExpression docstring(QStringLiteral("^\\s*(?:\"\"\"|''')\\s*([^\\n]*)"));

    MigrationSet set;
    QList<Migration> found;
    const QStringList files =
        migrationFiles(versions, QStringLiteral("*.py"), false, &set.warnings);
    QHash<QString, QString> seen;
    for (const QString &path : std::as_const(files)) {
        auto contents = readFile(path);
        if (!contents)
            return contents.error();
        const QString text = QString::fromUtf8(*contents);
        const auto rev = revisionRe.match(text);
        if (!rev.hasMatch()) {
            if (!path.endsWith(QLatin1String("__init__.py")))
                set.warnings << QStringLiteral("ignored %1: no \"revision = '…'\" line")
                                    .arg(relativeTo(dir, path));
            continue;
        }
        if (auto dup = rejectDuplicate(seen, rev.captured(1), dir, path); !dup)
            return dup.error();
        Migration m = migrationFromFile(dir, path, *contents);
        m.upSql.clear();
        m.executable = false;
        m.version = rev.captured(1);
        const auto down = downRe.match(text);
        if (down.hasMatch() && down.captured(1) != QLatin1String("None")) {
            auto parents = quoted.globalMatch(down.captured(1));
            while (parents.hasNext())
                m.parents << parents.next().captured(1);
        }
        const auto doc = docstring.match(text);
        QString title = doc.hasMatch() ? doc.captured(1).trimmed() : QString();
        if (title.isEmpty()) {
            title = QFileInfo(path).completeBaseName();
            if (title.startsWith(m.version + QLatin1Char('_')))
                title = title.mid(m.version.size() + 1);
        }
        m.name = title;
        found << m;
    }

    // Kahn's algorithm; among revisions ready at the same time, file-name order keeps the
    // result stable.
    QHash<QString, int> index;
    for (int i = 0; i < found.size(); ++i)
        index.insert(found.at(i).version, i);
    QList<int> pendingParents(found.size(), 0);
    QList<QList<int>> children(found.size());
    for (int i = 0; i < found.size(); ++i) {
        for (const QString &parent : found.at(i).parents) {
            const auto p = index.constFind(parent);
            if (p == index.constEnd()) {
                set.warnings << QStringLiteral("%1: down_revision %2 is not in %3")
                                    .arg(found.at(i).relativePath, parent,
                                         relativeTo(dir, versions).isEmpty()
                                             ? QStringLiteral(".")
                                             : relativeTo(dir, versions));
                continue;
            }
            ++pendingParents[i];
            children[*p] << i;
        }
    }
    QList<int> ready;
    for (int i = 0; i < found.size(); ++i) {
        if (pendingParents.at(i) == 0)
            ready << i;
    }
    while (!ready.isEmpty()) {
        std::sort(ready.begin(), ready.end());
        const int next = ready.takeFirst();
        set.migrations << found.at(next);
        for (int child : children.at(next)) {
            if (--pendingParents[child] == 0)
                ready << child;
        }
    }
    if (set.migrations.size() != found.size()) {
        QStringList cycle;
        for (int i = 0; i < found.size(); ++i) {
            if (pendingParents.at(i) > 0)
                cycle << found.at(i).version;
        }
        return Error(
            ErrorCode::Config, ErrorKind::AlembicCycle,
            {ErrorArg::text(QStringLiteral("revisions"), cycle.join(QStringLiteral(", ")))});
    }
    int heads = 0;
    for (int i = 0; i < found.size(); ++i)
        heads += children.at(i).isEmpty() ? 1 : 0;
    if (heads > 1)
        set.warnings << QStringLiteral("the Alembic revisions have %1 heads; merge them with "
                                       "`alembic merge heads`")
                            .arg(heads);
    return set;
}

bool looksLikeAlembic(const QString &dir)
{
    const QString versions = alembicVersionsDir(dir);
    static const QRegularExpression revisionRe(QStringLiteral("^revision\\s*(?::[^=\\n]*)?="),
                                               QRegularExpression::MultilineOption);
    QDirIterator it(versions, {QStringLiteral("*.py")}, QDir::Files);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) &&
            revisionRe.match(QString::fromUtf8(file.read(64 * 1024))).hasMatch())
            return true;
    }
    return false;
}

} // namespace

int MigrationSet::indexOf(const QString &version) const
{
    for (int i = 0; i < migrations.size(); ++i) {
        if (migrations.at(i).version == version)
            return i;
    }
    return -1;
}

int MigrationSet::indexOfTarget(const QString &version) const
{
    if (const int exact = indexOf(version); exact >= 0 || version.isEmpty())
        return exact;
    // Numbers only, never text: for a format whose versions are names (sqitch, Alembic,
    // plain) compareVersions() compares text, which the exact match has already done.
    for (int i = 0; i < migrations.size(); ++i) {
        const Migration &m = migrations.at(i);
        if (!m.repeatable && MigrationSource::compareVersions(format, m.version, version) == 0)
            return i;
    }
    return -1;
}

const Migration *MigrationSet::find(const QString &version) const
{
    const int i = indexOf(version);
    return i < 0 ? nullptr : &migrations.at(i);
}

Result<MigrationFormat> MigrationSource::detectFormat(const QString &dir)
{
    const QFileInfo info(dir);
    if (!info.isDir()) {
        return Error(ErrorCode::NotFound, ErrorKind::NoMigrationsFolder,
                     {ErrorArg::text(QStringLiteral("folder"), QDir::toNativeSeparators(dir))});
    }
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("sqitch.plan"))))
        return MigrationFormat::Sqitch;
    if (looksLikeAlembic(dir))
        return MigrationFormat::Alembic;
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("migration_lock.toml"))) ||
        !prismaFolders(dir).isEmpty())
        return MigrationFormat::Prisma;
    const QStringList top = sqlFiles(dir, false);
    const QStringList all = sqlFiles(dir, true);
    const auto anyName = [](const QStringList &files, const QRegularExpression &re) {
        return std::any_of(files.begin(), files.end(), [&re](const QString &path) {
            return re.match(QFileInfo(path).fileName()).hasMatch();
        });
    };
    if (anyName(all, flywayVersioned()) || anyName(all, flywayRepeatable()))
        return MigrationFormat::Flyway;
    // ".up.sql" decides: ParityDeck's "NNNN_name.down.sql" also ends in ".down.sql".
    static const QRegularExpression golangUp(QStringLiteral("^\\d+_.*\\.up\\.sql$"));
    if (anyName(top, golangUp))
        return MigrationFormat::GolangMigrate;
    for (const QString &path : top) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) &&
            dbmateUp().match(QString::fromUtf8(file.readAll())).hasMatch())
            return MigrationFormat::Dbmate;
    }
    if (top.isEmpty() || anyName(top, parityDeckName()))
        return MigrationFormat::ParityDeck;
    return MigrationFormat::Plain;
}

Result<MigrationSet> MigrationSource::load(const QString &dir, MigrationFormat format)
{
    const QString absolute = QFileInfo(dir).absoluteFilePath();
    if (!QFileInfo(absolute).isDir()) {
        return Error(ErrorCode::NotFound, ErrorKind::NoMigrationsFolder,
                     {ErrorArg::text(QStringLiteral("folder"), QDir::toNativeSeparators(dir))});
    }
    if (format == MigrationFormat::Auto) {
        auto detected = detectFormat(absolute);
        if (!detected)
            return detected.error();
        format = *detected;
    }
    Result<MigrationSet> set = Error(ErrorCode::Runtime, QStringLiteral("unknown format"));
    switch (format) {
    case MigrationFormat::Auto:
    case MigrationFormat::ParityDeck:
        set = loadParityDeck(absolute);
        break;
    case MigrationFormat::Flyway:
        set = loadFlyway(absolute);
        break;
    case MigrationFormat::GolangMigrate:
        set = loadGolangMigrate(absolute);
        break;
    case MigrationFormat::Dbmate:
        set = loadDbmate(absolute);
        break;
    case MigrationFormat::Sqitch:
        set = loadSqitch(absolute);
        break;
    case MigrationFormat::Alembic:
        set = loadAlembic(absolute);
        break;
    case MigrationFormat::Prisma:
        set = loadPrisma(absolute);
        break;
    case MigrationFormat::Plain:
        set = loadPlain(absolute);
        break;
    }
    if (set) {
        set->format = format;
        set->dir = absolute;
    }
    return set;
}

Result<MigrationSet> MigrationSource::load(const Workspace &workspace)
{
    auto format = migrationFormatFromName(workspace.migrations.format);
    if (!format) {
        return Error(
            ErrorCode::Config, ErrorKind::BadMigrationsFormat,
            {ErrorArg::text(QStringLiteral("file"), QDir::toNativeSeparators(workspace.filePath)),
             format.error().asArg(QStringLiteral("reason"))});
    }
    return load(workspace.resolvePath(workspace.migrations.dir), *format);
}

int MigrationSource::compareVersions(MigrationFormat format, const QString &a, const QString &b)
{
    switch (format) {
    case MigrationFormat::ParityDeck:
    case MigrationFormat::GolangMigrate:
    case MigrationFormat::Dbmate:
        if (allDigits(a) && allDigits(b))
            return compareNumeric(a, b);
        break;
    case MigrationFormat::Flyway: {
        // 1.10 > 1.9, and 1.0 equals 1 (Flyway ignores trailing zero parts).
        const QStringList pa = a.split(QLatin1Char('.')), pb = b.split(QLatin1Char('.'));
        if (!std::all_of(pa.begin(), pa.end(), allDigits) ||
            !std::all_of(pb.begin(), pb.end(), allDigits))
            break;
        for (qsizetype i = 0; i < std::max(pa.size(), pb.size()); ++i) {
            const QString x = i < pa.size() ? pa.at(i) : QStringLiteral("0");
            const QString y = i < pb.size() ? pb.at(i) : QStringLiteral("0");
            if (const int c = compareNumeric(x, y); c != 0)
                return c;
        }
        return 0;
    }
    default:
        break;
    }
    return QString::compare(a, b);
}

QString MigrationSource::checksum(const QByteArray &contents)
{
    QByteArray normalised = contents;
    normalised.replace("\r\n", "\n");
    return QString::fromLatin1(
        QCryptographicHash::hash(normalised, QCryptographicHash::Sha256).toHex());
}

QString MigrationSource::flywayChecksum(const QByteArray &contents)
{
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    QByteArray text = contents;
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    // Java's BufferedReader.readLine(): lines end at \n, \r or \r\n; terminators are not
    // part of the checksum, and a final terminator does not start another line.
    uint32_t crc = 0xFFFFFFFFu;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char ch = text.at(i);
        if (ch == '\r' || ch == '\n')
            continue;
        crc = table[(crc ^ uint8_t(ch)) & 0xFF] ^ (crc >> 8);
    }
    return QString::number(int32_t(crc ^ 0xFFFFFFFFu));
}

} // namespace pd
