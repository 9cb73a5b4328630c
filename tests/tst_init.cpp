// paritydeck init, run as a user would in real folders: what it detects, that the file it
// writes loads with the real workspace loader, that it never overwrites and never copies a
// password out of a dotenv file.
#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using pd::WorkspaceLoader;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runIn(const QString &dir, const QStringList &args)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.start(QStringLiteral(PD_BINARY_PATH), args);
    if (!process.waitForStarted(10000) || !process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

bool writeFile(const QString &path, const QByteArray &contents)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList names(const pd::Workspace &workspace)
{
    return workspace.environmentNames();
}

class TestInit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyFolderGetsALoadableCommentedStarter()
    {
        QTemporaryDir dir;
        const Run r = runIn(dir.path(), {QStringLiteral("init")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString path = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QVERIFY(r.out.contains(path));
        const QByteArray text = readFile(path);
        QVERIFY(text.contains("# "));
        const auto workspace = WorkspaceLoader::load(path);
        QVERIFY2(workspace.ok(), qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE(names(*workspace), QStringList{QStringLiteral("dev")});
        QCOMPARE(workspace->project, QDir(dir.path()).dirName());
        QCOMPARE(workspace->migrations.dir, QStringLiteral("migrations"));
        QCOMPARE(workspace->migrations.format, QStringLiteral("auto"));
        QVERIFY(workspace->environments.first().database.url.startsWith(
            QStringLiteral("postgresql://")));
        QVERIFY(!workspace->environments.first().database.password.has_value());
    }

    void detectsFlywayFolderAndDotenvFilesWithoutCopyingPasswords()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("db/migration/V1__init.sql")),
                          "create table a (id int);\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("db/migration/V2__more.sql")),
                          "create table b (id int);\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral(".env.local")),
                          "APP_ENV=dev\nDATABASE_URL=postgresql://app:s3cr3t-Url-pw@127.0.0.1:6432/"
                          "app_dev?sslmode=disable\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral(".env.staging")),
                          "PGHOST=staging.internal\nPGPORT=5433\nPGUSER=app\nPGDATABASE="
                          "app\nPGPASSWORD=st4ging-Pw-value\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral(".env.production")),
                          "DATABASE_URL=postgres://app@10.0.0.5/app?password=pr0d-Pw-value\n"));
        const Run r = runIn(dir.path(), {QStringLiteral("init"), QStringLiteral("--project"),
                                         QStringLiteral("podcast")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        const QString path = dir.filePath(QStringLiteral("paritydeck.yaml"));
        const QByteArray text = readFile(path);
        for (const char *secret : {"s3cr3t-Url-pw", "st4ging-Pw-value", "pr0d-Pw-value"}) {
            QVERIFY2(!text.contains(secret), secret);
            QVERIFY2(!r.out.contains(QLatin1String(secret)), secret);
        }
        const auto workspace = WorkspaceLoader::load(path);
        QVERIFY2(workspace.ok(), qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE(workspace->project, QStringLiteral("podcast"));
        QCOMPARE(workspace->migrations.dir, QStringLiteral("db/migration"));
        QCOMPARE(workspace->migrations.format, QStringLiteral("flyway"));
        QCOMPARE(names(*workspace), (QStringList{QStringLiteral("dev"), QStringLiteral("staging"),
                                                 QStringLiteral("prod")}));

        const pd::EnvironmentConfig *dev = workspace->environment(QStringLiteral("dev"));
        QCOMPARE(dev->dotenv, QStringLiteral(".env.local"));
        QCOMPARE(dev->database.url,
                 QStringLiteral("postgresql://app@127.0.0.1:6432/app_dev?sslmode=disable"));
        QVERIFY(dev->database.password.has_value());
        QCOMPARE(dev->database.password->kind, pd::SecretRef::Kind::Keychain);
        QCOMPARE(dev->protection, pd::Protection::None);

        const pd::EnvironmentConfig *staging = workspace->environment(QStringLiteral("staging"));
        QCOMPARE(staging->database.url,
                 QStringLiteral("postgresql://app@staging.internal:5433/app"));
        QVERIFY(staging->database.password.has_value());
        QCOMPARE(staging->database.password->toString(),
                 QStringLiteral("dotenv:.env.staging#PGPASSWORD"));

        const pd::EnvironmentConfig *prod = workspace->environment(QStringLiteral("prod"));
        QCOMPARE(prod->protection, pd::Protection::Confirm);
        QCOMPARE(prod->dotenv, QStringLiteral(".env.production"));
        QCOMPARE(prod->database.url, QStringLiteral("postgres://app@10.0.0.5/app"));

        // The environments are there for the rest of the CLI too.
        const Run envs = runIn(dir.path(), {QStringLiteral("__complete"), QStringLiteral("envs")});
        QCOMPARE(envs.exitCode, 0);
        QCOMPARE(envs.out, QStringLiteral("dev\nstaging\nprod\n"));
    }

    void detectsOtherMigrationLayouts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("dir");
        QTest::addColumn<QString>("format");
        QTest::newRow("golang-migrate")
            << QStringLiteral("migrations/001_init.up.sql") << QByteArray("select 1;")
            << QStringLiteral("migrations") << QStringLiteral("golang-migrate");
        QTest::newRow("dbmate")
            << QStringLiteral("db/migrations/20240101120000_init.sql")
            << QByteArray(
                   "-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n")
            << QStringLiteral("db/migrations") << QStringLiteral("dbmate");
        QTest::newRow("paritydeck")
            << QStringLiteral("migrations/0001_init.sql") << QByteArray("select 1;")
            << QStringLiteral("migrations") << QStringLiteral("paritydeck");
        QTest::newRow("prisma") << QStringLiteral(
                                       "prisma/migrations/20240101120000_init/migration.sql")
                                << QByteArray("select 1;") << QStringLiteral("prisma/migrations")
                                << QStringLiteral("prisma");
    }

    void detectsOtherMigrationLayouts()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, contents);
        QFETCH(QString, dir);
        QFETCH(QString, format);
        QTemporaryDir root;
        QVERIFY(writeFile(root.filePath(file), contents));
        const Run r = runIn(root.path(), {QStringLiteral("init")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto workspace = WorkspaceLoader::load(root.path());
        QVERIFY2(workspace.ok(), qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE(workspace->migrations.dir, dir);
        QCOMPARE(workspace->migrations.format, format);
    }

    void gitRepositoryTurnsOnDatabaseBranchesForDev()
    {
        QTemporaryDir dir;
        QProcess git;
        git.setWorkingDirectory(dir.path());
        git.start(QStringLiteral("git"), {QStringLiteral("init"), QStringLiteral("-q")});
        QVERIFY(git.waitForFinished(10000));
        QCOMPARE(git.exitCode(), 0);
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("service/api"))));
        // Run from a subfolder: the repository is found above it, the file lands here.
        const QString sub = dir.filePath(QStringLiteral("service/api"));
        const Run r = runIn(sub, {QStringLiteral("init")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto workspace = WorkspaceLoader::load(sub);
        QVERIFY2(workspace.ok(), qPrintable(workspace ? QString() : workspace.error().message));
        const pd::EnvironmentConfig *dev = workspace->environment(QStringLiteral("dev"));
        QVERIFY(dev->branches.git);
        QCOMPARE(dev->branches.database, QStringLiteral("template"));
    }

    void refusesToOverwriteAnExistingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QVERIFY(writeFile(path, "# mine, hand written\n"));
        const Run r = runIn(dir.path(), {QStringLiteral("init")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("already exists")), qPrintable(r.err));
        QCOMPARE(readFile(path), QByteArray("# mine, hand written\n"));
    }

    void printWritesNothing()
    {
        QTemporaryDir dir;
        const Run r = runIn(dir.path(), {QStringLiteral("init"), QStringLiteral("--print")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("paritydeck.yaml"))));
        const auto workspace =
            WorkspaceLoader::parse(r.out.toUtf8(), dir.filePath(QStringLiteral("paritydeck.yaml")));
        QVERIFY2(workspace.ok(), qPrintable(workspace ? QString() : workspace.error().message));
    }

    void workspaceOptionNamesTheTargetFolder()
    {
        QTemporaryDir dir;
        QTemporaryDir elsewhere;
        const Run r = runIn(elsewhere.path(),
                            {QStringLiteral("--workspace"), dir.path(), QStringLiteral("init")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("paritydeck.yaml"))));
        QVERIFY(!QFileInfo::exists(elsewhere.filePath(QStringLiteral("paritydeck.yaml"))));
    }

    void badArgumentsAreUsageErrors()
    {
        QTemporaryDir dir;
        QCOMPARE(runIn(dir.path(), {QStringLiteral("init"), QStringLiteral("--bogus")}).exitCode,
                 2);
        QCOMPARE(runIn(dir.path(), {QStringLiteral("init"), QStringLiteral("--project")}).exitCode,
                 2);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("paritydeck.yaml"))));
    }
};

} // namespace

QTEST_GUILESS_MAIN(TestInit)
#include "tst_init.moc"
