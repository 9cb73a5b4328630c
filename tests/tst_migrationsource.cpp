// Reading migration folders in ParityDeck's own layout and those of Flyway,
// golang-migrate, dbmate, sqitch and Alembic: format detection, version order, down
// scripts, sections, checksums.
#include "migrations/migrationsource.h"
#include "migrations/newmigrationfile.h"
#include "migrations/sqlscript.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;

Q_DECLARE_METATYPE(pd::MigrationFormat)

namespace {

QString dataDir(const QString &name)
{
    return QStringLiteral(PD_TEST_DATA_DIR "/migrations/") + name;
}

MigrationSet loadOk(const QString &name, MigrationFormat format = MigrationFormat::Auto)
{
    auto set = MigrationSource::load(dataDir(name), format);
    if (!set)
        qFatal("cannot load %s: %s", qPrintable(name), qPrintable(set.error().message));
    return set.value();
}

QStringList versions(const MigrationSet &set)
{
    QStringList list;
    for (const Migration &m : set.migrations)
        list << m.version;
    return list;
}

void writeFile(const QString &path, const QByteArray &contents)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        qFatal("cannot write %s", qPrintable(path));
}

// A workspace in `root` whose migrations folder (of `format`) holds `files`, each with one
// statement (dbmate files with their up and down markers).
Workspace workspaceWithMigrations(const QTemporaryDir &root, const QString &format,
                                  const QStringList &files)
{
    Workspace workspace;
    workspace.rootDir = root.path();
    workspace.filePath = root.filePath(QStringLiteral("paritydeck.yaml"));
    workspace.migrations.format = format;
    for (const QString &file : files) {
        const QByteArray sql =
            format == QLatin1String("dbmate")
                ? QByteArrayLiteral("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n")
                : QByteArrayLiteral("SELECT 1;\n");
        writeFile(root.filePath(QStringLiteral("migrations/") + file), sql);
    }
    return workspace;
}

} // namespace

class TestMigrationSource final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectsEachFormatFromTheFolder_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<MigrationFormat>("format");
        QTest::newRow("paritydeck") << QStringLiteral("paritydeck") << MigrationFormat::ParityDeck;
        QTest::newRow("flyway") << QStringLiteral("flyway") << MigrationFormat::Flyway;
        QTest::newRow("golang-migrate")
            << QStringLiteral("golang-migrate") << MigrationFormat::GolangMigrate;
        QTest::newRow("dbmate") << QStringLiteral("dbmate") << MigrationFormat::Dbmate;
        QTest::newRow("sqitch") << QStringLiteral("sqitch") << MigrationFormat::Sqitch;
        QTest::newRow("alembic") << QStringLiteral("alembic") << MigrationFormat::Alembic;
        QTest::newRow("alembic versions dir")
            << QStringLiteral("alembic/versions") << MigrationFormat::Alembic;
        QTest::newRow("prisma") << QStringLiteral("prisma") << MigrationFormat::Prisma;
    }
    void detectsEachFormatFromTheFolder()
    {
        QFETCH(QString, folder);
        QFETCH(MigrationFormat, format);
        const auto detected = MigrationSource::detectFormat(dataDir(folder));
        QVERIFY2(detected.ok(), detected.ok() ? "" : qPrintable(detected.error().message));
        QCOMPARE(migrationFormatName(*detected), migrationFormatName(format));
        QCOMPARE(loadOk(folder).format, format);
    }

    void missingFolderIsNotFoundWithTheConfigKey()
    {
        const auto set = MigrationSource::load(dataDir(QStringLiteral("no-such-folder")));
        QVERIFY(!set.ok());
        QCOMPARE(set.error().code, ErrorCode::NotFound);
        QVERIFY(set.error().message.contains(QStringLiteral("migrations.dir")));
    }

    void formatNamesRoundTripAndUnknownNamesListTheValidOnes()
    {
        QCOMPARE(*migrationFormatFromName(QStringLiteral("golang-migrate")),
                 MigrationFormat::GolangMigrate);
        QCOMPARE(*migrationFormatFromName(QStringLiteral("sqitch-plan")), MigrationFormat::Sqitch);
        QCOMPARE(*migrationFormatFromName(QStringLiteral("Flyway")), MigrationFormat::Flyway);
        const auto bad = migrationFormatFromName(QStringLiteral("liquibase"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::Config);
        QVERIFY(bad.error().message.contains(QStringLiteral("dbmate")));
    }

    // The loader's accepted names and the sources' names are one table: every name the
    // workspace file accepts reads as a format, and every format's name is accepted.
    void workspaceFormatNamesAndSourceFormatsAreOneTable()
    {
        const QStringList accepted = migrationFormatNames();
        for (const QString &name : accepted)
            QVERIFY2(migrationFormatFromName(name).ok(), qPrintable(name));
        for (auto format :
             {MigrationFormat::Auto, MigrationFormat::ParityDeck, MigrationFormat::Flyway,
              MigrationFormat::GolangMigrate, MigrationFormat::Dbmate, MigrationFormat::Sqitch,
              MigrationFormat::Alembic, MigrationFormat::Prisma, MigrationFormat::Plain}) {
            const QString name = migrationFormatName(format);
            QVERIFY(!name.isEmpty());
            QVERIFY2(accepted.contains(name), qPrintable(name));
            QCOMPARE(*migrationFormatFromName(name), format);
        }
        QCOMPARE(accepted.size(), 10); // nine formats and the "sqitch-plan" alias
    }

    void parityDeckOrdersNumericallyPairsDownFilesAndWarnsAboutStrays()
    {
        const MigrationSet set = loadOk(QStringLiteral("paritydeck"));
        QCOMPARE(versions(set), (QStringList{QStringLiteral("0001"), QStringLiteral("0002"),
                                             QStringLiteral("0010")}));
        QCOMPARE(set.migrations.at(0).name, QStringLiteral("create_users"));
        QVERIFY(
            set.migrations.at(0).downPath.endsWith(QStringLiteral("0001_create_users.down.sql")));
        QVERIFY(set.migrations.at(1).downPath.isEmpty());
        QCOMPARE(set.migrations.at(2).relativePath, QStringLiteral("0010_index_email.sql"));
        QCOMPARE(set.warnings.size(), 1); // notes.sql; README.md is not SQL at all
        QVERIFY(set.warnings.at(0).contains(QStringLiteral("notes.sql")));
    }

    void flywayVersionsAreDottedNumbersRepeatablesLastUndoAsDown()
    {
        const MigrationSet set = loadOk(QStringLiteral("flyway"));
        QCOMPARE(versions(set),
                 (QStringList{QStringLiteral("1"), QStringLiteral("1.1"), QStringLiteral("1.2"),
                              QStringLiteral("2"), QStringLiteral("10"),
                              QStringLiteral("R__user_emails")}));
        QCOMPARE(set.migrations.at(1).name, QStringLiteral("add email"));
        QCOMPARE(set.migrations.at(4).relativePath, QStringLiteral("sub/V10__add_city.sql"));
        QVERIFY(set.migrations.at(3).downPath.endsWith(QStringLiteral("U2__add_age.sql")));
        QVERIFY(set.migrations.last().repeatable);
        QVERIFY(!set.migrations.last().toolChecksum.isEmpty());
    }

    void flywayVersionComparison()
    {
        QVERIFY(MigrationSource::compareVersions(MigrationFormat::Flyway, QStringLiteral("1.10"),
                                                 QStringLiteral("1.9")) > 0);
        QCOMPARE(MigrationSource::compareVersions(MigrationFormat::Flyway, QStringLiteral("1.0"),
                                                  QStringLiteral("1")),
                 0);
        QVERIFY(MigrationSource::compareVersions(MigrationFormat::Flyway, QStringLiteral("2"),
                                                 QStringLiteral("10")) < 0);
        QVERIFY(MigrationSource::compareVersions(MigrationFormat::ParityDeck,
                                                 QStringLiteral("0009"), QStringLiteral("10")) < 0);
        QVERIFY(MigrationSource::compareVersions(MigrationFormat::Dbmate,
                                                 QStringLiteral("20240101120000"),
                                                 QStringLiteral("99999999")) > 0);
    }

    void flywayChecksumIsCrc32OfTheLinesWithoutBreaks()
    {
        const QString lf =
            MigrationSource::flywayChecksum(QByteArrayLiteral("SELECT 1;\nSELECT 2;\n"));
        QCOMPARE(lf, MigrationSource::flywayChecksum(QByteArrayLiteral("SELECT 1;\r\nSELECT 2;")));
        QCOMPARE(lf, MigrationSource::flywayChecksum(
                         QByteArrayLiteral("\xEF\xBB\xBFSELECT 1;\nSELECT 2;")));
        // Independent reference: zlib.crc32(b"abc") == 891568578; 0x9CC09AFC is negative as int32.
        QCOMPARE(MigrationSource::flywayChecksum(QByteArrayLiteral("abc")),
                 QStringLiteral("891568578"));
        QCOMPARE(lf, QString::number(qint32(0x9CC09AFCu)));
    }

    void golangMigratePairsUpAndDownAndOrdersNumerically()
    {
        const MigrationSet set = loadOk(QStringLiteral("golang-migrate"));
        QCOMPARE(versions(set),
                 (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("10")}));
        QVERIFY(set.migrations.at(0).downPath.endsWith(QStringLiteral("1_create_users.down.sql")));
        QVERIFY(set.migrations.at(2).downPath.isEmpty());
        QCOMPARE(set.migrations.at(1).name, QStringLiteral("add_email"));
    }

    void dbmateSectionsAreCutOnBytes_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("upFirstLine");
        // A Latin-1 "é" (one byte, 0xE9) before the up marker: decoding it as UTF-8 turned
        // one byte into three and moved the section ("REATE TABLE …").
        QTest::newRow("invalid UTF-8 before the marker") << QByteArray("-- caf\xe9 menu\n") << 3;
        // A byte order mark before "-- migrate:up" on the first line.
        QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF") << 2;
    }

    void dbmateSectionsAreCutOnBytes()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, upFirstLine);
        QTemporaryDir dir;
        const QByteArray up = "CREATE TABLE caf (id int);\n";
        writeFile(dir.filePath(QStringLiteral("20240101120000_cafe.sql")),
                  head + "-- migrate:up\n" + up + "-- migrate:down\nDROP TABLE caf;\n");
        const auto set = MigrationSource::load(dir.path(), MigrationFormat::Dbmate);
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
        QCOMPARE(set->migrations.size(), 1);
        QCOMPARE(set->migrations.first().upSql, up);
        QCOMPARE(set->migrations.first().upFirstLine, upFirstLine);
    }

    void dbmateTakesTheUpSectionWithItsFileLineAndTransactionOption()
    {
        const MigrationSet set = loadOk(QStringLiteral("dbmate"));
        QCOMPARE(versions(set),
                 (QStringList{QStringLiteral("20240101120000"), QStringLiteral("20240102090000")}));
        const Migration &first = set.migrations.at(0);
        QCOMPARE(first.upFirstLine, 2);
        QVERIFY(!first.upSql.contains("DROP TABLE"));
        QVERIFY(!first.noTransaction);
        const auto script = SqlScript::parse(first.upSql, first.relativePath, first.upFirstLine);
        QVERIFY(script.ok());
        QCOMPARE(script->statements().size(), 1);
        QCOMPARE(script->statements().at(0).position(), QStringLiteral("2:1"));
        const Migration &second = set.migrations.at(1);
        QVERIFY(second.noTransaction);
        QCOMPARE(second.upFirstLine, 3);
        // The checksum covers the whole file, down section included.
        QFile file(second.filePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(second.checksum, MigrationSource::checksum(file.readAll()));
    }

    void sqitchFollowsThePlanWithDependenciesAndRevertScripts()
    {
        const MigrationSet set = loadOk(QStringLiteral("sqitch"));
        QCOMPARE(versions(set), (QStringList{QStringLiteral("appschema"), QStringLiteral("users"),
                                             QStringLiteral("flips")}));
        QCOMPARE(set.migrations.at(1).name, QStringLiteral("Creates table to track our users."));
        QCOMPARE(set.migrations.at(2).parents,
                 (QStringList{QStringLiteral("appschema"), QStringLiteral("users")}));
        QVERIFY(set.migrations.at(2).downPath.endsWith(QStringLiteral("revert/flips.sql")));
        QCOMPARE(set.migrations.at(0).toolChecksum.size(),
                 40); // SHA-1 hex, like sqitch's script_hash
    }

    void sqitchReworkedChangeUsesTheTaggedScriptForTheOlderEntry()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("sqitch.plan")),
                  QByteArrayLiteral("%project=p\n\nf 2024-01-01T00:00:00Z A <a@x> # first\n"
                                    "@v1 2024-01-02T00:00:00Z A <a@x> # tag\n"
                                    "f [f@v1] 2024-01-03T00:00:00Z A <a@x> # reworked\n"));
        writeFile(dir.filePath(QStringLiteral("deploy/f@v1.sql")),
                  QByteArrayLiteral("SELECT 1;\n"));
        writeFile(dir.filePath(QStringLiteral("deploy/f.sql")), QByteArrayLiteral("SELECT 2;\n"));
        const auto set = MigrationSource::load(dir.path());
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
        QCOMPARE(versions(*set), (QStringList{QStringLiteral("f@v1"), QStringLiteral("f")}));
        QCOMPARE(set->migrations.at(1).upSql, QByteArrayLiteral("SELECT 2;\n"));
    }

    void alembicGraphIsReadAsTextAndOrderedTopologically()
    {
        const MigrationSet set = loadOk(QStringLiteral("alembic"));
        QCOMPARE(set.migrations.size(), 4);
        QCOMPARE(set.migrations.first().version, QStringLiteral("ae1027a6acf"));
        QCOMPARE(set.migrations.last().version, QStringLiteral("3d0c9b1f5e2a"));
        QCOMPARE(set.migrations.last().parents,
                 (QStringList{QStringLiteral("1975ea83b712"), QStringLiteral("27c6a30d7c24")}));
        const Migration *typed = set.find(QStringLiteral("1975ea83b712"));
        QVERIFY(typed); // `revision: str = "…"` (newer Alembic templates)
        QCOMPARE(typed->parents, QStringList{QStringLiteral("ae1027a6acf")});
        QCOMPARE(typed->name, QStringLiteral("add email"));
        QVERIFY(!typed->executable);
        QVERIFY(set.warnings.isEmpty()); // one head after the merge; __init__.py is no revision
    }

    void alembicCycleIsAnError()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("versions/a.py")),
                  QByteArrayLiteral("revision = 'a'\ndown_revision = 'b'\n"));
        writeFile(dir.filePath(QStringLiteral("versions/b.py")),
                  QByteArrayLiteral("revision = 'b'\ndown_revision = 'a'\n"));
        const auto set = MigrationSource::load(dir.path());
        QVERIFY(!set.ok());
        QVERIFY(set.error().message.contains(QStringLiteral("cycle")));
    }

    void prismaFoldersAreMigrationsInFolderOrder()
    {
        const MigrationSet set = loadOk(QStringLiteral("prisma"));
        QCOMPARE(versions(set), (QStringList{QStringLiteral("20240101000000_init"),
                                             QStringLiteral("20240102000000_add_email"),
                                             QStringLiteral("20240103000000_add_phone")}));
        const Migration &init = set.migrations.at(0);
        QCOMPARE(init.name, QStringLiteral("init"));
        QCOMPARE(init.relativePath, QStringLiteral("20240101000000_init/migration.sql"));
        // The file has CRLF line ends: the raw-bytes hash differs from the normalised one.
        QVERIFY(init.toolChecksum != init.checksum);
        QCOMPARE(set.migrations.at(1).toolChecksum, set.migrations.at(1).checksum);
    }

    void checksumIgnoresCrlfAndIsSha256Hex()
    {
        QCOMPARE(MigrationSource::checksum(QByteArrayLiteral("SELECT 1;\r\nSELECT 2;\r\n")),
                 MigrationSource::checksum(QByteArrayLiteral("SELECT 1;\nSELECT 2;\n")));
        QCOMPARE(
            MigrationSource::checksum(QByteArray()),
            QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QVERIFY(MigrationSource::checksum(QByteArrayLiteral("a\n")) !=
                MigrationSource::checksum(QByteArrayLiteral("a \n")));
    }

    void duplicateVersionsNameBothFiles()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("0002_a.sql")), QByteArrayLiteral("SELECT 1;\n"));
        writeFile(dir.filePath(QStringLiteral("0002_b.sql")), QByteArrayLiteral("SELECT 2;\n"));
        const auto set = MigrationSource::load(dir.path(), MigrationFormat::ParityDeck);
        QVERIFY(!set.ok());
        QVERIFY(set.error().message.contains(QStringLiteral("0002_a.sql")));
        QVERIFY(set.error().message.contains(QStringLiteral("0002_b.sql")));
    }

    void versionsThatDifferOnlyInLeadingZerosAreADuplicate_data()
    {
        QTest::addColumn<MigrationFormat>("format");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<QString>("version");
        QTest::newRow("paritydeck") << MigrationFormat::ParityDeck << QStringLiteral("001_x.sql")
                                    << QStringLiteral("0001_y.sql") << QStringLiteral("1");
        QTest::newRow("paritydeck zero") << MigrationFormat::ParityDeck << QStringLiteral("0_a.sql")
                                         << QStringLiteral("000_b.sql") << QStringLiteral("0");
        QTest::newRow("dbmate") << MigrationFormat::Dbmate << QStringLiteral("0042_a.sql")
                                << QStringLiteral("42_b.sql") << QStringLiteral("42");
    }

    void versionsThatDifferOnlyInLeadingZerosAreADuplicate()
    {
        QFETCH(MigrationFormat, format);
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(QString, version);
        QTemporaryDir dir;
        writeFile(dir.filePath(first), QByteArrayLiteral("-- migrate:up\nSELECT 1;\n"));
        writeFile(dir.filePath(second), QByteArrayLiteral("-- migrate:up\nSELECT 2;\n"));
        writeFile(dir.filePath(QStringLiteral("0002_z.sql")),
                  QByteArrayLiteral("-- migrate:up\nSELECT 3;\n"));
        const auto set = MigrationSource::load(dir.path(), format);
        QVERIFY2(!set.ok(), set.ok() ? qPrintable(versions(*set).join(u' ')) : "");
        QCOMPARE(set.error().code, ErrorCode::Config);
        const QString &message = set.error().message;
        QVERIFY2(message.contains(first) && message.contains(second), qPrintable(message));
        QVERIFY2(
            message.contains(QStringLiteral("both have version %1 (leading zeros").arg(version)),
            qPrintable(message));
    }

    void versionsThatDifferInValueStayDistinctAndOrdered()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("010_c.sql")), QByteArrayLiteral("SELECT 3;\n"));
        writeFile(dir.filePath(QStringLiteral("0001_a.sql")), QByteArrayLiteral("SELECT 1;\n"));
        writeFile(dir.filePath(QStringLiteral("2_b.sql")), QByteArrayLiteral("SELECT 2;\n"));
        const auto set = MigrationSource::load(dir.path(), MigrationFormat::ParityDeck);
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
        QCOMPARE(versions(*set),
                 (QStringList{QStringLiteral("0001"), QStringLiteral("2"), QStringLiteral("010")}));
    }

    void plainFolderPairsDownFilesAndNeverAppliesThem()
    {
        QTemporaryDir dir;
        // By file name "a.down.sql" < "a.sql" < "a_b.sql" and "b.down.sql" < "b.up.sql".
        writeFile(dir.filePath(QStringLiteral("a.sql")), QByteArrayLiteral("CREATE TABLE a ();\n"));
        writeFile(dir.filePath(QStringLiteral("a.down.sql")), QByteArrayLiteral("DROP TABLE a;\n"));
        writeFile(dir.filePath(QStringLiteral("a_b.sql")),
                  QByteArrayLiteral("CREATE TABLE ab ();\n"));
        writeFile(dir.filePath(QStringLiteral("b.up.sql")),
                  QByteArrayLiteral("CREATE TABLE b ();\n"));
        writeFile(dir.filePath(QStringLiteral("b.down.sql")), QByteArrayLiteral("DROP TABLE b;\n"));
        writeFile(dir.filePath(QStringLiteral("c.down.sql")), QByteArrayLiteral("DROP TABLE c;\n"));
        const auto set = MigrationSource::load(dir.path(), MigrationFormat::Plain);
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
        QCOMPARE(versions(*set),
                 (QStringList{QStringLiteral("a"), QStringLiteral("a_b"), QStringLiteral("b")}));
        for (const Migration &m : set->migrations) {
            QVERIFY2(!m.filePath.contains(QStringLiteral(".down.")), qPrintable(m.filePath));
            QVERIFY(!m.upSql.startsWith("DROP"));
        }
        QVERIFY(set->migrations.at(0).downPath.endsWith(QStringLiteral("/a.down.sql")));
        QVERIFY(set->migrations.at(1).downPath.isEmpty());
        QCOMPARE(set->migrations.at(2).relativePath, QStringLiteral("b.up.sql"));
        QVERIFY(set->migrations.at(2).downPath.endsWith(QStringLiteral("/b.down.sql")));
        QCOMPARE(set->warnings.size(), 1); // c.down.sql undoes nothing
        QVERIFY2(set->warnings.at(0).contains(QStringLiteral("c.down.sql")),
                 qPrintable(set->warnings.at(0)));
        for (qsizetype i = 1; i < set->migrations.size(); ++i) {
            QVERIFY(MigrationSource::compareVersions(MigrationFormat::Plain,
                                                     set->migrations.at(i - 1).version,
                                                     set->migrations.at(i).version) < 0);
        }
    }

    void plainFolderWithUpAndBareFileOfOneNameIsADuplicate()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("a.sql")), QByteArrayLiteral("SELECT 1;\n"));
        writeFile(dir.filePath(QStringLiteral("a.up.sql")), QByteArrayLiteral("SELECT 2;\n"));
        const auto set = MigrationSource::load(dir.path(), MigrationFormat::Plain);
        QVERIFY(!set.ok());
        QCOMPARE(set.error().code, ErrorCode::Config);
        QVERIFY2(set.error().message.contains(QStringLiteral("a.sql")) &&
                     set.error().message.contains(QStringLiteral("a.up.sql")),
                 qPrintable(set.error().message));
    }

    void forcedFormatOverridesDetection()
    {
        // The golang-migrate folder read as plain SQL files in name order: NAME.up.sql is
        // the migration NAME and NAME.down.sql its down script, never a migration.
        const MigrationSet set = loadOk(QStringLiteral("golang-migrate"), MigrationFormat::Plain);
        QCOMPARE(set.format, MigrationFormat::Plain);
        QCOMPARE(versions(set),
                 (QStringList{QStringLiteral("10_create_ten"), QStringLiteral("1_create_users"),
                              QStringLiteral("2_add_email")}));
        QVERIFY(set.migrations.at(0).downPath.isEmpty());
        QVERIFY(set.migrations.at(1).downPath.endsWith(QStringLiteral("1_create_users.down.sql")));
    }

    void workspaceSettingsChooseFolderAndFormat()
    {
        Workspace workspace;
        workspace.filePath = QStringLiteral(PD_TEST_DATA_DIR "/paritydeck.yaml");
        workspace.rootDir = QStringLiteral(PD_TEST_DATA_DIR);
        workspace.migrations.dir = QStringLiteral("migrations/golang-migrate");
        workspace.migrations.format = QStringLiteral("golang-migrate");
        const auto set = MigrationSource::load(workspace);
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
        QCOMPARE(set->format, MigrationFormat::GolangMigrate);
        QCOMPARE(set->migrations.size(), 3);
        workspace.migrations.format = QStringLiteral("liquibase");
        const auto bad = MigrationSource::load(workspace);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(QStringLiteral("migrations.format")));
    }

    void aNewMigrationIsReadBackAsTheLastUnderItsVersion_data()
    {
        // Files that make a folder of each format; the new migration must come after them.
        QTest::addColumn<QString>("format");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("expectedVersion");
        QTest::newRow("paritydeck")
            << QStringLiteral("paritydeck")
            << QStringList{QStringLiteral("0001_a.sql"), QStringLiteral("0002_b.sql")}
            << QStringLiteral("0003");
        QTest::newRow("golang-migrate")
            << QStringLiteral("golang-migrate")
            << QStringList{QStringLiteral("1_a.up.sql"), QStringLiteral("1_a.down.sql"),
                           QStringLiteral("2_b.up.sql")}
            << QStringLiteral("3");
        QTest::newRow("flyway") << QStringLiteral("flyway")
                                << QStringList{QStringLiteral("V1__a.sql"),
                                               QStringLiteral("V2__b.sql")}
                                << QStringLiteral("3");
        QTest::newRow("dbmate") << QStringLiteral("dbmate")
                                << QStringList{QStringLiteral("20240101120000_a.sql")}
                                << QStringLiteral("20250102030405");
        QTest::newRow("prisma") << QStringLiteral("prisma")
                                << QStringList{QStringLiteral("20240101000000_init/migration.sql")}
                                << QStringLiteral("20250102030405_change_it");
        // Plain folders key a migration by its whole name.
        QTest::newRow("plain") << QStringLiteral("plain")
                               << QStringList{QStringLiteral("001_a.sql"),
                                              QStringLiteral("002_b.sql")}
                               << QStringLiteral("003_change_it");
    }

    void aNewMigrationIsReadBackAsTheLastUnderItsVersion()
    {
        QFETCH(QString, format);
        QFETCH(QStringList, files);
        QFETCH(QString, expectedVersion);
        QTemporaryDir root;
        const Workspace workspace = workspaceWithMigrations(root, format, files);
        const QDateTime now(QDate(2025, 1, 2), QTime(3, 4, 5), Qt::UTC);
        const auto written = writeNewMigration(workspace, QStringLiteral("Change it"),
                                               QStringLiteral("SELECT 2;"), now);
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().message));
        QCOMPARE(written->version, expectedVersion);

        const auto set = MigrationSource::load(workspace);
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
        QVERIFY(!set->migrations.isEmpty());
        const Migration &last = set->migrations.last();
        QCOMPARE(last.version, written->version);
        QCOMPARE(QFileInfo(last.filePath).canonicalFilePath(),
                 QFileInfo(written->path).canonicalFilePath());
    }

    void aNewPlainMigrationThatWouldNotBeLastIsRefused_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("last");
        QTest::newRow("unpadded numbers") // "10_…" sorts before "9_b"
            << QStringList{QStringLiteral("8_a.sql"), QStringLiteral("9_b.sql")}
            << QStringLiteral("9_b");
        QTest::newRow("names without numbers") // a timestamp sorts before "create_users"
            << QStringList{QStringLiteral("create_users.sql")} << QStringLiteral("create_users");
    }

    void aNewPlainMigrationThatWouldNotBeLastIsRefused()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, last);
        QTemporaryDir root;
        const Workspace workspace = workspaceWithMigrations(root, QStringLiteral("plain"), files);
        const auto written =
            writeNewMigration(workspace, QStringLiteral("Change it"), QStringLiteral("SELECT 2;"));
        QVERIFY(!written.ok());
        QCOMPARE(written.error().code, ErrorCode::Refused);
        QVERIFY2(written.error().message.contains(last), qPrintable(written.error().message));
        QCOMPARE(QDir(root.filePath(QStringLiteral("migrations"))).entryList(QDir::Files).size(),
                 files.size()); // nothing written
    }

    void emptyFolderIsAnEmptyParityDeckSet()
    {
        QTemporaryDir dir;
        const auto set = MigrationSource::load(dir.path());
        QVERIFY(set.ok());
        QCOMPARE(set->format, MigrationFormat::ParityDeck);
        QVERIFY(set->migrations.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMigrationSource)
#include "tst_migrationsource.moc"
