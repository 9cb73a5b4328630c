// GitRepository against real git repositories in temporary folders.
#include "branches/gitrepository.h"

#include "gitrepo.h"
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <QTest>

using namespace pd;

using pd::test::git;
using pd::test::writeFile;

namespace {

// A repository on branch main with one commit holding README.md and "my notes.txt".
void makeRepository(const QString &dir)
{
    git(dir, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
              QStringLiteral("main")});
    writeFile(dir + QStringLiteral("/README.md"), "hello\n");
    writeFile(dir + QStringLiteral("/my notes.txt"), "notes\n");
    git(dir, {QStringLiteral("add"), QStringLiteral(".")});
    git(dir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
              QStringLiteral("first")});
}

} // namespace

class TestGit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsBranchesAndTheCurrentOne()
    {
        QTemporaryDir dir;
        makeRepository(dir.path());
        const GitRepository repo(dir.path());
        QVERIFY(repo.createBranch(QStringLiteral("feature/login")).ok());
        QVERIFY(repo.createBranch(QStringLiteral("Fix-Typo")).ok());

        auto current = repo.currentBranch();
        QVERIFY2(current.ok(), current ? "" : qPrintable(current.error().message));
        QCOMPARE(*current, QStringLiteral("main"));
        auto branches = repo.branches();
        QVERIFY(branches.ok());
        QCOMPARE(*branches, (QStringList{QStringLiteral("Fix-Typo"),
                                         QStringLiteral("feature/login"), QStringLiteral("main")}));
        QCOMPARE(*repo.branchExists(QStringLiteral("feature/login")), true);
        QCOMPARE(*repo.branchExists(QStringLiteral("feature/logout")), false);
        auto top = repo.topLevel();
        QVERIFY(top.ok());
        QCOMPARE(QDir(*top).canonicalPath(), QDir(dir.path()).canonicalPath());

        // From a subfolder too.
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sub/dir")));
        QCOMPARE(*GitRepository(dir.path() + QStringLiteral("/sub/dir")).currentBranch(),
                 QStringLiteral("main"));
    }

    void switchesToAnExistingBranch()
    {
        QTemporaryDir dir;
        makeRepository(dir.path());
        const GitRepository repo(dir.path());
        QVERIFY(repo.createBranch(QStringLiteral("feature/login")).ok());
        auto switched = repo.switchTo(QStringLiteral("feature/login"));
        QVERIFY2(switched.ok(), switched ? "" : qPrintable(switched.error().message));
        QCOMPARE(*repo.currentBranch(), QStringLiteral("feature/login"));
        QCOMPARE(git(dir.path(), {QStringLiteral("rev-parse"), QStringLiteral("--abbrev-ref"),
                                  QStringLiteral("HEAD")}),
                 QStringLiteral("feature/login"));
    }

    void switchRefusesOnADirtyTreeListingTheChangedFiles()
    {
        QTemporaryDir dir;
        makeRepository(dir.path());
        const GitRepository repo(dir.path());
        QVERIFY(repo.createBranch(QStringLiteral("feature/login")).ok());
        writeFile(dir.path() + QStringLiteral("/README.md"), "edited\n");
        writeFile(dir.path() + QStringLiteral("/my notes.txt"), "staged edit\n");
        git(dir.path(), {QStringLiteral("add"), QStringLiteral("my notes.txt")});

        auto changed = repo.changedFiles();
        QVERIFY(changed.ok());
        QCOMPARE(*changed,
                 (QStringList{QStringLiteral("README.md"), QStringLiteral("my notes.txt")}));

        auto switched = repo.switchTo(QStringLiteral("feature/login"));
        QVERIFY(!switched.ok());
        const QString message = switched.error().message;
        QVERIFY2(message.contains(QStringLiteral("README.md")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("my notes.txt")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("commit or stash")), qPrintable(message));
        QCOMPARE(*repo.currentBranch(), QStringLiteral("main"));
    }

    void untrackedFilesDoNotBlockASwitch()
    {
        QTemporaryDir dir;
        makeRepository(dir.path());
        const GitRepository repo(dir.path());
        QVERIFY(repo.createBranch(QStringLiteral("feature/login")).ok());
        writeFile(dir.path() + QStringLiteral("/scratch.sql"), "select 1;\n");
        QVERIFY(repo.changedFiles()->isEmpty());
        QVERIFY(repo.switchTo(QStringLiteral("feature/login")).ok());
        QVERIFY(QFile::exists(dir.path() + QStringLiteral("/scratch.sql")));
    }

    void renamedFilesAreListedOnce()
    {
        QTemporaryDir dir;
        makeRepository(dir.path());
        git(dir.path(),
            {QStringLiteral("mv"), QStringLiteral("README.md"), QStringLiteral("READ ME.md")});
        auto changed = GitRepository(dir.path()).changedFiles();
        QVERIFY(changed.ok());
        QCOMPARE(*changed, QStringList{QStringLiteral("READ ME.md")});
    }

    void switchToAMissingBranchNamesTheExistingOnes()
    {
        QTemporaryDir dir;
        makeRepository(dir.path());
        auto switched = GitRepository(dir.path()).switchTo(QStringLiteral("feature/nope"));
        QVERIFY(!switched.ok());
        QCOMPARE(switched.error().code, ErrorCode::NotFound);
        QVERIFY2(switched.error().message.contains(QStringLiteral("local branches: main")),
                 qPrintable(switched.error().message));
    }

    void detachedHeadIsExplained()
    {
        QTemporaryDir dir;
        makeRepository(dir.path());
        git(dir.path(),
            {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("--detach")});
        auto current = GitRepository(dir.path()).currentBranch();
        QVERIFY(!current.ok());
        QVERIFY2(current.error().message.contains(QStringLiteral("detached")),
                 qPrintable(current.error().message));
    }

    void aFolderOutsideAnyRepositoryIsNotFound()
    {
        QTemporaryDir dir;
        auto current = GitRepository(dir.path()).currentBranch();
        QVERIFY(!current.ok());
        QCOMPARE(current.error().code, ErrorCode::NotFound);
        QVERIFY2(current.error().message.contains(QStringLiteral("not a git repository")),
                 qPrintable(current.error().message));

        auto missing = GitRepository(dir.path() + QStringLiteral("/gone")).branches();
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void badBranchNamesAreRefusedBeforeGitRuns_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("option") << QStringLiteral("--force");
        QTest::newRow("space") << QStringLiteral("my branch");
        QTest::newRow("dots") << QStringLiteral("a..b");
        QTest::newRow("lock") << QStringLiteral("x.lock");
        QTest::newRow("empty") << QString();
        QTest::newRow("colon") << QStringLiteral("a:b");
    }

    void badBranchNamesAreRefusedBeforeGitRuns()
    {
        QFETCH(QString, name);
        auto valid = GitRepository::validateBranchName(name);
        QVERIFY(!valid.ok());
        QCOMPARE(valid.error().code, ErrorCode::Usage);
        QVERIFY(GitRepository::validateBranchName(QStringLiteral("feature/login-2")).ok());
    }
};

QTEST_GUILESS_MAIN(TestGit)
#include "tst_git.moc"
