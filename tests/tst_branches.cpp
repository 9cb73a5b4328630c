// Database branches on a real throwaway PostgreSQL server: create from a ~50 MB parent,
// list, reset, delete, refusals (other sessions, protection, dirty git tree), cleanup,
// and the git ↔ database switch with its per-user selection. Cloud branch providers
// against a shell script that stands in for a vendor CLI.
#include "branches/branchnaming.h"
#include "branches/branchselection.h"
#include "branches/branchswitcher.h"
#include "branches/cloudbranchprovider.h"
#include "branches/databasebranches.h"
#include "branches/gitrepository.h"
#include "pgbouncer.h"
#include "pgcluster.h"

#include "gitrepo.h"
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <QTest>

#include <memory>

using namespace pd;
using pd::test::PgCluster;

using pd::test::git;
using pd::test::writeFile;

namespace {

QStringList names(const QList<DatabaseBranchInfo> &branches)
{
    QStringList out;
    for (const DatabaseBranchInfo &b : branches)
        out.append(b.name);
    return out;
}

// ~51 MB with the primary key.
constexpr int kParentRows = 165000;

} // namespace

class TestBranches final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PgCluster> m_cluster;
    QTemporaryDir m_state;

    DatabaseBranches branchesOf(const QString &mainDb,
                                Protection protection = Protection::None) const
    {
        return DatabaseBranches(m_cluster->connectionParams(mainDb), protection);
    }

    QString scalar(const QString &sql, const QString &db) const
    {
        auto rows = m_cluster->exec(sql, db);
        if (!rows || rows->rowCount() == 0)
            return QStringLiteral("<error: %1>")
                .arg(rows ? QStringLiteral("no rows") : rows.error().message);
        return rows->value(0, 0);
    }

    bool databaseExists(const QString &name) const
    {
        return scalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'")
                          .arg(name),
                      QStringLiteral("postgres")) == QStringLiteral("1");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_state.isValid());
        // The branch selection goes to $XDG_STATE_HOME/paritydeck/branches.json.
        qputenv("XDG_STATE_HOME", m_state.path().toLocal8Bit());
        m_cluster = std::make_unique<PgCluster>();
        QVERIFY2(m_cluster->start().ok(), qPrintable(m_cluster->serverLog()));
        QVERIFY(m_cluster->createDatabase(QStringLiteral("app")).ok());
        // ~50 MB of rows, so the copy does real work.
        auto filled = m_cluster->exec(
            QStringLiteral("CREATE TABLE items AS SELECT g AS id, repeat('x', 200) AS "
                           "payload FROM generate_series(1, %1) g; "
                           "ALTER TABLE items ADD PRIMARY KEY (id); CHECKPOINT")
                .arg(kParentRows),
            QStringLiteral("app"));
        QVERIFY2(filled.ok(), filled ? "" : qPrintable(filled.error().message));
        const qint64 size =
            scalar(QStringLiteral("SELECT pg_database_size('app')"), QStringLiteral("app"))
                .toLongLong();
        QVERIFY2(size > 45 * 1024 * 1024, qPrintable(QString::number(size)));
    }

    void cleanupTestCase() { m_cluster.reset(); }

    void namingFollowsThePatternAndStaysWithin63Bytes()
    {
        QCOMPARE(branchnaming::slug(QStringLiteral("Feature/LOGIN-page")),
                 QStringLiteral("feature_login_page"));
        QCOMPARE(branchnaming::slug(QStringLiteral("--fix//typo..")), QStringLiteral("fix_typo"));
        QCOMPARE(branchnaming::databaseName(QStringLiteral("{db}__{branch}"),
                                            QStringLiteral("app_dev"), QStringLiteral("feature/x")),
                 QStringLiteral("app_dev__feature_x"));
        QCOMPARE(branchnaming::databaseName(QStringLiteral("br_{branch}_of_{db}"),
                                            QStringLiteral("app"), QStringLiteral("Fix-1")),
                 QStringLiteral("br_fix_1_of_app"));

        const QString stem = QStringLiteral("feature/a-very-long-branch-name-that-goes-on-and-on-");
        const QString a =
            branchnaming::databaseName(QStringLiteral("{db}__{branch}"), QStringLiteral("app_dev"),
                                       QString(stem + QStringLiteral("alpha")));
        const QString b =
            branchnaming::databaseName(QStringLiteral("{db}__{branch}"), QStringLiteral("app_dev"),
                                       QString(stem + QStringLiteral("beta")));
        QVERIFY(a.toUtf8().size() <= 63);
        QVERIFY(b.toUtf8().size() <= 63);
        QVERIFY(a != b);
        QVERIFY(a.startsWith(QStringLiteral("app_dev__feature_a_very_long")));
        QVERIFY(a.endsWith(branchnaming::shortHash(QString(stem + QStringLiteral("alpha")))));
        // A main database name too long for any slug still yields a valid, distinct name.
        const QString longDb(60, u'd');
        const QString c = branchnaming::databaseName(QStringLiteral("{db}__{branch}"), longDb,
                                                     QStringLiteral("x"));
        const QString d = branchnaming::databaseName(QStringLiteral("{db}__{branch}"), longDb,
                                                     QStringLiteral("y"));
        QVERIFY(c.toUtf8().size() <= 63);
        QVERIFY(c != d);
    }

    // Issue 16, item 7: no database is ever named with a line break or escape sequence.
    void namesWithControlCharactersAreRefused()
    {
        const DatabaseBranches branches = branchesOf(QStringLiteral("app"));
        for (const QString &name :
             {QStringLiteral("app__feat\nDROP"), QStringLiteral("app__feat\rx"),
              QStringLiteral("app__\x1b[31mred")}) {
            auto created = branches.create(name);
            QVERIFY(!created.ok());
            QCOMPARE(created.error().code, ErrorCode::Usage);
            QVERIFY2(created.error().message.contains(QStringLiteral("control character")),
                     qPrintable(created.error().message));
            QVERIFY(!databaseExists(name));
            QCOMPARE(branches.reset(name).error().code, ErrorCode::Usage);
        }
        QVERIFY(
            branchnaming::checkName(QStringLiteral("feature/ünïcode-ok"), QStringLiteral("branch"))
                .ok());
    }

    void createListResetDelete()
    {
        const DatabaseBranches branches = branchesOf(QStringLiteral("app"));
        auto created = branches.create(QStringLiteral("app__Feature X"));
        QVERIFY2(created.ok(), created ? "" : qPrintable(created.error().message));
        qInfo("branch creation from a %s-byte parent took %lld ms",
              qPrintable(
                  scalar(QStringLiteral("SELECT pg_database_size('app')"), QStringLiteral("app"))),
              created->elapsedMs);
        QCOMPARE(created->branch.parent, QStringLiteral("app"));
        QVERIFY(created->terminated.isEmpty());
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM items"), QStringLiteral("app__Feature X")),
            QString::number(kParentRows));

        auto listed = branches.list();
        QVERIFY2(listed.ok(), listed ? "" : qPrintable(listed.error().message));
        QCOMPARE(names(*listed), QStringList{QStringLiteral("app__Feature X")});
        const DatabaseBranchInfo info = listed->first();
        QCOMPARE(info.parent, QStringLiteral("app"));
        QVERIFY2(info.sizeBytes > 45 * 1024 * 1024, qPrintable(QString::number(info.sizeBytes)));
        QVERIFY(info.created.isValid());
        QVERIFY(info.ageSeconds() >= 0);
        QVERIFY(info.ageSeconds(info.created.addSecs(3600)) == 3600);
        // The record is readable by anyone from the comment alone.
        const QString comment =
            scalar(QStringLiteral("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                  "WHERE datname = 'app__Feature X'"),
                   QStringLiteral("postgres"));
        QVERIFY2(comment.startsWith(QStringLiteral("{\"paritydeck_branch\":{")),
                 qPrintable(comment));
        QVERIFY2(comment.contains(QStringLiteral("\"parent\":\"app\"")), qPrintable(comment));

        // Work in the branch …
        QVERIFY(m_cluster
                    ->exec(QStringLiteral(
                               "DELETE FROM items WHERE id <= 1000; CREATE TABLE scratch (x int)"),
                           QStringLiteral("app__Feature X"))
                    .ok());
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM items"), QStringLiteral("app__Feature X")),
            QString::number(kParentRows - 1000));
        // … is gone after a reset, even with a session still open on the branch.
        auto onBranch = m_cluster->connect(QStringLiteral("app__Feature X"));
        QVERIFY(onBranch.ok());
        auto reset = branches.reset(QStringLiteral("app__Feature X"));
        QVERIFY2(reset.ok(), reset ? "" : qPrintable(reset.error().message));
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM items"), QStringLiteral("app__Feature X")),
            QString::number(kParentRows));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'scratch'"),
                        QStringLiteral("app__Feature X")),
                 QStringLiteral("0"));
        QCOMPARE(branches.branch(QStringLiteral("app__Feature X"))->parent, QStringLiteral("app"));

        QVERIFY(branches.remove(QStringLiteral("app__Feature X")).ok());
        QVERIFY(!databaseExists(QStringLiteral("app__Feature X")));
        QVERIFY(branches.list()->isEmpty());
        auto again = branches.remove(QStringLiteral("app__Feature X"));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::NotFound);
    }

    void createRefusesWhileOthersAreConnectedToTheParent()
    {
        ConnectionParams other = m_cluster->socketParams(QStringLiteral("app"));
        other.applicationName = QStringLiteral("someone-elses-psql");
        auto session = Connection::open(other);
        QVERIFY(session.ok());
        const int pid = session->backendPid();

        const DatabaseBranches branches = branchesOf(QStringLiteral("app"));
        auto refused = branches.create(QStringLiteral("app__busy"));
        QVERIFY(!refused.ok());
        const QString message = refused.error().message;
        QVERIFY2(message.contains(QStringLiteral("pid %1").arg(pid)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("someone-elses-psql")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("postgres")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("local")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("--force-disconnect")), qPrintable(message));
        QVERIFY(!databaseExists(QStringLiteral("app__busy")));

        auto sessions = branches.sessionsOn(QStringLiteral("app"));
        QVERIFY(sessions.ok());
        QCOMPARE(sessions->size(), 1);
        QCOMPARE(sessions->first().pid, pid);

        BranchCreateOptions force;
        force.forceDisconnect = true;
        auto created = branches.create(QStringLiteral("app__busy"), {}, force);
        QVERIFY2(created.ok(), created ? "" : qPrintable(created.error().message));
        QCOMPARE(created->terminated.size(), 1);
        QCOMPARE(created->terminated.first().pid, pid);
        QVERIFY(!session->exec(QStringLiteral("SELECT 1")).ok());

        // Reset refuses the same way, and leaves the branch untouched.
        auto second = Connection::open(other);
        QVERIFY(second.ok());
        QVERIFY(m_cluster
                    ->exec(QStringLiteral("CREATE TABLE kept (x int)"), QStringLiteral("app__busy"))
                    .ok());
        auto resetRefused = branches.reset(QStringLiteral("app__busy"));
        QVERIFY(!resetRefused.ok());
        QVERIFY2(resetRefused.error().message.contains(
                     QStringLiteral("pid %1").arg(second->backendPid())),
                 qPrintable(resetRefused.error().message));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'kept'"),
                        QStringLiteral("app__busy")),
                 QStringLiteral("1"));
        QVERIFY(branches.reset(QStringLiteral("app__busy"), force).ok());
        QVERIFY(branches.remove(QStringLiteral("app__busy")).ok());
    }

    void protectedParentsAndForeignDatabasesAreNeverResetOrDeleted()
    {
        DatabaseBranches protectedEnv = branchesOf(QStringLiteral("app"), Protection::Confirm);
        // Nothing changes on a protected environment without its name typed to confirm
        // (workspace/protection.h), and nothing at all on a read-only one.
        auto unconfirmed = protectedEnv.create(QStringLiteral("app__mine"));
        QVERIFY(!unconfirmed.ok());
        QCOMPARE(unconfirmed.error().code, ErrorCode::Protected);
        QVERIFY2(unconfirmed.error().message.contains(QStringLiteral("protection: confirm")),
                 qPrintable(unconfirmed.error().message));
        QVERIFY(!databaseExists(QStringLiteral("app__mine")));
        DatabaseBranches readOnly = branchesOf(QStringLiteral("app"), Protection::ReadOnly);
        readOnly.setConfirmation(QStringLiteral("app"));
        auto refused = readOnly.create(QStringLiteral("app__mine"));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("read-only")),
                 qPrintable(refused.error().message));
        QVERIFY(!databaseExists(QStringLiteral("app__mine")));
        QCOMPARE(readOnly.cleanup({}, false).error().code, ErrorCode::Protected);
        QVERIFY(readOnly.cleanup({}, true).ok()); // a dry run changes nothing
        protectedEnv.setConfirmation(QStringLiteral("app"));

        auto reset = protectedEnv.reset(QStringLiteral("app"));
        QVERIFY(!reset.ok());
        QCOMPARE(reset.error().code, ErrorCode::Protected);
        QVERIFY2(reset.error().message.contains(QStringLiteral("protected")),
                 qPrintable(reset.error().message));
        auto removed = protectedEnv.remove(QStringLiteral("app"));
        QVERIFY(!removed.ok());
        QCOMPARE(removed.error().code, ErrorCode::Protected);
        QVERIFY(databaseExists(QStringLiteral("app")));

        // Unprotected: still not a branch.
        auto plain = branchesOf(QStringLiteral("app")).remove(QStringLiteral("app"));
        QVERIFY(!plain.ok());
        QCOMPARE(plain.error().code, ErrorCode::Usage);
        // A branch can never take the main database's name.
        auto named = branchesOf(QStringLiteral("app"))
                         .create(QStringLiteral("app"), QStringLiteral("postgres"));
        QVERIFY(!named.ok());

        // A database ParityDeck did not create as a branch stays.
        QVERIFY(m_cluster->createDatabase(QStringLiteral("Hand Made")).ok());
        auto foreign = protectedEnv.remove(QStringLiteral("Hand Made"));
        QVERIFY(!foreign.ok());
        QVERIFY2(foreign.error().message.contains(QStringLiteral("not a ParityDeck branch")),
                 qPrintable(foreign.error().message));
        QVERIFY(databaseExists(QStringLiteral("Hand Made")));
        QVERIFY(!branchesOf(QStringLiteral("app")).reset(QStringLiteral("Hand Made")).ok());
        QVERIFY(databaseExists(QStringLiteral("Hand Made")));

        // With the name typed, a protected environment's branches can be made and go.
        auto created = protectedEnv.create(QStringLiteral("app__mine"));
        QVERIFY2(created.ok(), created ? "" : qPrintable(created.error().message));
        QVERIFY(protectedEnv.remove(QStringLiteral("app__mine")).ok());
    }

    void cleanupRemovesOnlyBranchesWhoseGitBranchIsGoneOrThatAreTooOld()
    {
        const DatabaseBranches branches = branchesOf(QStringLiteral("app"));
        BranchCreateOptions gone, alive;
        gone.gitBranch = QStringLiteral("feature/merged");
        alive.gitBranch = QStringLiteral("feature/active");
        QVERIFY(branches.create(QStringLiteral("app__merged"), {}, gone).ok());
        QVERIFY(branches.create(QStringLiteral("app__active"), {}, alive).ok());
        QVERIFY(branches.create(QStringLiteral("app__old")).ok());
        QVERIFY(branches.create(QStringLiteral("app__fresh")).ok());
        // A branch of a branch is the environment's too; another application's is not.
        QVERIFY(branches.create(QStringLiteral("app__fresh__child"), QStringLiteral("app__fresh"))
                    .ok());
        QVERIFY(m_cluster->createDatabase(QStringLiteral("shop")).ok());
        const DatabaseBranches shop = branchesOf(QStringLiteral("shop"));
        QVERIFY(shop.create(QStringLiteral("shop__merged"), {}, gone).ok());
        QCOMPARE(names(*branches.list()),
                 (QStringList{QStringLiteral("app__active"), QStringLiteral("app__fresh"),
                              QStringLiteral("app__fresh__child"), QStringLiteral("app__merged"),
                              QStringLiteral("app__old")}));
        QVERIFY(
            names(*branches.list(BranchScope::Server)).contains(QStringLiteral("shop__merged")));
        QCOMPARE(names(*shop.list()), QStringList{QStringLiteral("shop__merged")});
        // A parent cannot go before its children.
        auto parentFirst = branches.remove(QStringLiteral("app__fresh"));
        QVERIFY(!parentFirst.ok());
        QVERIFY2(parentFirst.error().message.contains(QStringLiteral("app__fresh__child")),
                 qPrintable(parentFirst.error().message));

        // Age is what the record says: make app__old 40 days old.
        DatabaseBranchInfo old = *branches.branch(QStringLiteral("app__old"));
        old.created = QDateTime::currentDateTimeUtc().addDays(-40);
        QVERIFY(m_cluster
                    ->exec(QStringLiteral("COMMENT ON DATABASE app__old IS '%1'")
                               .arg(DatabaseBranches::recordComment(old)))
                    .ok());
        const DatabaseBranchInfo reread = *branches.branch(QStringLiteral("app__old"));
        QVERIFY(reread.ageSeconds() >= 40 * 86400 - 5);

        BranchCleanupCriteria criteria;
        criteria.existingGitBranches =
            QStringList{QStringLiteral("main"), QStringLiteral("feature/active")};
        criteria.olderThanDays = 30;
        auto dry = branches.cleanup(criteria, true);
        QVERIFY2(dry.ok(), dry ? "" : qPrintable(dry.error().message));
        QStringList candidates;
        for (const BranchCleanupItem &item : dry->candidates)
            candidates.append(item.branch.name);
        QCOMPARE(candidates,
                 (QStringList{QStringLiteral("app__merged"), QStringLiteral("app__old")}));
        QVERIFY(dry->candidates.at(0).reason.contains(
            QStringLiteral("feature/merged no longer exists")));
        QVERIFY2(dry->candidates.at(1).reason.contains(QStringLiteral("40 days")),
                 qPrintable(dry->candidates.at(1).reason));
        QVERIFY(dry->removed.isEmpty());
        QCOMPARE(branches.list()->size(), 5);

        auto done = branches.cleanup(criteria, false);
        QVERIFY(done.ok());
        QCOMPARE(done->removed,
                 (QStringList{QStringLiteral("app__merged"), QStringLiteral("app__old")}));
        QVERIFY(done->failures.isEmpty());
        QCOMPARE(names(*branches.list()),
                 (QStringList{QStringLiteral("app__active"), QStringLiteral("app__fresh"),
                              QStringLiteral("app__fresh__child")}));
        QVERIFY(databaseExists(QStringLiteral("shop__merged")));

        QVERIFY(branches.remove(QStringLiteral("app__active")).ok());
        QVERIFY(branches.remove(QStringLiteral("app__fresh__child")).ok());
        QVERIFY(branches.remove(QStringLiteral("app__fresh")).ok());
        QVERIFY(shop.remove(QStringLiteral("shop__merged")).ok());
    }

    void switchCreatesTheBranchOnFirstUseAndRemembersIt()
    {
        QTemporaryDir repoDir;
        const QString repo = repoDir.path();
        git(repo, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                   QStringLiteral("main")});
        writeFile(repo + QStringLiteral("/schema.sql"), "create table items (id int);\n");
        git(repo, {QStringLiteral("add"), QStringLiteral(".")});
        git(repo, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                   QStringLiteral("first")});
        git(repo, {QStringLiteral("branch"), QStringLiteral("feature/login")});

        Workspace ws;
        ws.rootDir = repo;
        ws.filePath = repo + QStringLiteral("/paritydeck.yaml");
        EnvironmentConfig dev;
        dev.name = QStringLiteral("dev");
        dev.database.url = m_cluster->url(QStringLiteral("app"));
        dev.branches.git = true;
        dev.branches.database = QStringLiteral("template");
        ws.environments = {dev};
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("dev")), QStringLiteral("app"));

        const BranchSwitcher switcher(ws, QStringLiteral("dev"), SecretValue());
        auto first = switcher.switchTo(QStringLiteral("feature/login"));
        QVERIFY2(first.ok(), first ? "" : qPrintable(first.error().message));
        QCOMPARE(first->database, QStringLiteral("app__feature_login"));
        QVERIFY(first->databaseCreated);
        QVERIFY(first->gitSwitched);
        QVERIFY(first->creationMs >= 0);
        qInfo("%s", qPrintable(first->summary(QStringLiteral("dev"))));
        QCOMPARE(GitRepository(repo).currentBranch().value(), QStringLiteral("feature/login"));
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("dev")),
                 QStringLiteral("app__feature_login"));
        QCOMPARE(effectiveConnectionParams(ws, QStringLiteral("dev"))->dbname,
                 QStringLiteral("app__feature_login"));
        QCOMPARE(branchesOf(QStringLiteral("app"))
                     .branch(QStringLiteral("app__feature_login"))
                     ->gitBranch,
                 QStringLiteral("feature/login"));
        // Persisted per user, outside the workspace file.
        QVERIFY(QFile::exists(m_state.path() + QStringLiteral("/paritydeck/branches.json")));
        QVERIFY(!QFile::exists(ws.filePath));

        // Mark the branch's data, go back to main (the main database) and return: reused.
        QVERIFY(m_cluster
                    ->exec(QStringLiteral("CREATE TABLE login_work (x int)"),
                           QStringLiteral("app__feature_login"))
                    .ok());
        auto home = switcher.switchTo(QStringLiteral("main"));
        QVERIFY2(home.ok(), home ? "" : qPrintable(home.error().message));
        QVERIFY(home->mainDatabase);
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("dev")), QStringLiteral("app"));
        auto second = switcher.switchTo(QStringLiteral("feature/login"));
        QVERIFY2(second.ok(), second ? "" : qPrintable(second.error().message));
        QVERIFY(!second->databaseCreated);
        QCOMPARE(second->database, QStringLiteral("app__feature_login"));
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'login_work'"),
                   QStringLiteral("app__feature_login")),
            QStringLiteral("1"));

        // The CLI accepts either name for reset/delete.
        QCOMPARE(switcher.resolveBranch(QStringLiteral("feature/login")).value(),
                 QStringLiteral("app__feature_login"));
        QCOMPARE(switcher.resolveBranch(QStringLiteral("app__feature_login")).value(),
                 QStringLiteral("app__feature_login"));
        auto unknown = switcher.resolveBranch(QStringLiteral("feature/nope"));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QVERIFY2(unknown.error().message.contains(QStringLiteral("branches: app__feature_login")),
                 qPrintable(unknown.error().message));

        // Two git branches whose names meet in one database name: refused, naming both.
        git(repo, {QStringLiteral("branch"), QStringLiteral("Feature-Login")});
        auto collision = switcher.switchTo(QStringLiteral("Feature-Login"));
        QVERIFY(!collision.ok());
        QVERIFY2(collision.error().message.contains(
                     QStringLiteral("belongs to git branch feature/login")),
                 qPrintable(collision.error().message));
        QCOMPARE(GitRepository(repo).currentBranch().value(), QStringLiteral("feature/login"));

        // A dirty tree refuses the switch, names the file, and changes nothing.
        writeFile(repo + QStringLiteral("/schema.sql"), "create table items (id bigint);\n");
        auto refused = switcher.switchTo(QStringLiteral("main"));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("schema.sql")),
                 qPrintable(refused.error().message));
        QCOMPARE(GitRepository(repo).currentBranch().value(), QStringLiteral("feature/login"));
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("dev")),
                 QStringLiteral("app__feature_login"));
        git(repo, {QStringLiteral("checkout"), QStringLiteral("--"), QStringLiteral("schema.sql")});

        // A new git branch on request; the selection also follows --create.
        BranchSwitchOptions create;
        create.createGitBranch = true;
        auto fresh = switcher.switchTo(QStringLiteral("Bugfix/Crash-42"), create);
        QVERIFY2(fresh.ok(), fresh ? "" : qPrintable(fresh.error().message));
        QVERIFY(fresh->gitCreated);
        QCOMPARE(fresh->database, QStringLiteral("app__bugfix_crash_42"));

        // Once a git branch is deleted, cleanup removes its database and the selection.
        QVERIFY(switcher.switchTo(QStringLiteral("main")).ok());
        git(repo,
            {QStringLiteral("branch"), QStringLiteral("-D"), QStringLiteral("feature/login")});
        auto cleaned = switcher.cleanup(0, false);
        QVERIFY2(cleaned.ok(), cleaned ? "" : qPrintable(cleaned.error().message));
        QCOMPARE(cleaned->removed, QStringList{QStringLiteral("app__feature_login")});
        QVERIFY(databaseExists(QStringLiteral("app__bugfix_crash_42")));
        QVERIFY(switcher.remove(QStringLiteral("app__bugfix_crash_42")).ok());
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("dev")), QStringLiteral("app"));
    }

    void switchThroughPgBouncerListsItsIdleServerConnections()
    {
        pd::test::PgBouncer bouncer(*m_cluster);
        auto started = bouncer.start();
        if (!started && started.error().code == ErrorCode::NotFound)
            QSKIP("pgbouncer is not installed");
        QVERIFY2(started.ok(), qPrintable(started ? QString() : started.error().message));
        {
            // An application that came and went: PgBouncer keeps its server connection.
            auto app = Connection::open(
                ConnectionParams::fromUrl(bouncer.url(QStringLiteral("app"))).value());
            QVERIFY(app.ok());
            QVERIFY(app->exec(QStringLiteral("SELECT 1")).ok());
        }

        QTemporaryDir dir;
        Workspace ws;
        ws.rootDir = dir.path();
        ws.filePath = dir.path() + QStringLiteral("/paritydeck.yaml");
        EnvironmentConfig dev;
        dev.name = QStringLiteral("dev");
        dev.database.url = bouncer.url(QStringLiteral("app"));
        dev.branches.database = QStringLiteral("template"); // database branches without git
        ws.environments = {dev};
        const BranchSwitcher switcher(ws, QStringLiteral("dev"), SecretValue());

        auto refused = switcher.switchTo(QStringLiteral("feature/pooled"));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("other session")),
                 qPrintable(refused.error().message));
        QVERIFY2(refused.error().message.contains(QStringLiteral("--force-disconnect")),
                 qPrintable(refused.error().message));
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("dev")), QStringLiteral("app"));

        BranchSwitchOptions force;
        force.forceDisconnect = true;
        auto switched = switcher.switchTo(QStringLiteral("feature/pooled"), force);
        QVERIFY2(switched.ok(), switched ? "" : qPrintable(switched.error().message));
        QVERIFY(switched->databaseCreated);
        QVERIFY(!switched->terminated.isEmpty());
        QVERIFY(!switched->gitSwitched);
        QVERIFY(!switched->gitTied);
        QCOMPARE(switched->summary(QStringLiteral("dev")).left(29),
                 QStringLiteral("dev: database app__feature_po"));

        // The application reaches the branch through the same PgBouncer (its "*" entry).
        auto params = effectiveConnectionParams(ws, QStringLiteral("dev"));
        QVERIFY(params.ok());
        QCOMPARE(params->port, bouncer.port());
        QCOMPARE(params->dbname, QStringLiteral("app__feature_pooled"));
        {
            auto onBranch = Connection::open(*params);
            QVERIFY2(onBranch.ok(), onBranch ? "" : qPrintable(onBranch.error().message));
            QCOMPARE(onBranch->scalar(QStringLiteral("SELECT count(*) FROM items")).value(),
                     QString::number(kParentRows));
        }
        QVERIFY(switcher.remove(QStringLiteral("app__feature_pooled")).ok());
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("dev")), QStringLiteral("app"));
    }

    void selectionsAreKeptPerWorkspaceAndEnvironment()
    {
        QTemporaryDir dir;
        const BranchSelectionStore store(dir.path() + QStringLiteral("/sub/branches.json"));
        QVERIFY(store
                    .select(QStringLiteral("/a/paritydeck.yaml"), QStringLiteral("dev"),
                            {QStringLiteral("app__x"), QStringLiteral("x"), {}, {}})
                    .ok());
        QVERIFY(store
                    .select(QStringLiteral("/b/paritydeck.yaml"), QStringLiteral("dev"),
                            {QStringLiteral("other__y"), QStringLiteral("y"), {}, {}})
                    .ok());
        QCOMPARE(
            store.selection(QStringLiteral("/a/paritydeck.yaml"), QStringLiteral("dev"))->database,
            QStringLiteral("app__x"));
        QCOMPARE(
            store.selection(QStringLiteral("/b/paritydeck.yaml"), QStringLiteral("dev"))->gitBranch,
            QStringLiteral("y"));
        QVERIFY(!store.selection(QStringLiteral("/a/paritydeck.yaml"), QStringLiteral("staging")));
        QVERIFY(store.clear(QStringLiteral("/a/paritydeck.yaml"), QStringLiteral("dev")).ok());
        QVERIFY(!store.selection(QStringLiteral("/a/paritydeck.yaml"), QStringLiteral("dev")));
        QVERIFY(store.selection(QStringLiteral("/b/paritydeck.yaml"), QStringLiteral("dev")));

        // A corrupt file is reported on write, not silently replaced.
        writeFile(store.filePath(), "{ not json");
        QVERIFY(!store.selection(QStringLiteral("/b/paritydeck.yaml"), QStringLiteral("dev")));
        auto write = store.select(QStringLiteral("/b/paritydeck.yaml"), QStringLiteral("dev"),
                                  {QStringLiteral("z"), {}, {}, {}});
        QVERIFY(!write.ok());
        QVERIFY2(write.error().message.contains(QStringLiteral("not valid JSON")),
                 qPrintable(write.error().message));
    }

    void cloudProviderRunsTheVendorCommandsAndParsesTheirOutput()
    {
        QTemporaryDir dir;
        const QString state = dir.path() + QStringLiteral("/state");
        QVERIFY(QDir().mkpath(state));
        const QString script = dir.path() + QStringLiteral("/fake-vendor");
        // Stands in for neonctl & co: branches are files in $FAKE_STATE.
        const QStringList lines{
            QStringLiteral("#!/bin/sh"),
            QStringLiteral("cmd=\"$1\"; shift"),
            QStringLiteral("case \"$cmd\" in"),
            QStringLiteral("create)"),
            QStringLiteral("  if [ -e \"$FAKE_STATE/$1\" ]; then echo \"branch $1 already exists\" "
                           ">&2; exit 1; fi"),
            QStringLiteral("  printf '%s' \"$2\" > \"$FAKE_STATE/$1\""),
            QStringLiteral(
                "  printf '{\"branch\":{\"name\":\"%s\",\"parent\":\"%s\"}}\\n' \"$1\" \"$2\" ;;"),
            QStringLiteral("delete)"),
            QStringLiteral("  if [ ! -e \"$FAKE_STATE/$1\" ]; then echo \"progress...\" >&2; echo "
                           "\"branch $1 not found\" >&2; exit 2; fi"),
            QStringLiteral("  rm \"$FAKE_STATE/$1\" ;;"),
            QStringLiteral("list-json)"),
            QStringLiteral("  printf '['; sep=''"),
            QStringLiteral(
                "  for f in \"$FAKE_STATE\"/*; do [ -e \"$f\" ] || continue; n=$(basename \"$f\")"),
            QStringLiteral(
                "    printf '%s{\"id\":\"br-%s\",\"branch\":{\"name\":\"%s\"},\"parent\":\"%s\"}' "
                "\"$sep\" \"$n\" \"$n\" \"$(cat \"$f\")\"; sep=','"),
            QStringLiteral("  done; printf ']\\n' ;;"),
            QStringLiteral("list-wrapped)"),
            QStringLiteral(
                "  printf '{\"branches\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"count\":2}\\n' ;;"),
            QStringLiteral("list-lines)"),
            QStringLiteral("  echo '# name'"),
            QStringLiteral(
                "  for f in \"$FAKE_STATE\"/*; do [ -e \"$f\" ] && basename \"$f\"; done ;;"),
            QStringLiteral("hang) sleep 30 ;;"),
            QStringLiteral("esac"),
        };
        writeFile(script, QString(lines.join(u'\n') + u'\n').toUtf8());

        CloudBranchProviderConfig config;
        const QString run = QStringLiteral("sh %1").arg(CloudBranchProvider::shellQuote(script));
        config.create = QStringLiteral("%1 create {name} {parent}").arg(run);
        config.remove = QStringLiteral("%1 delete {name}").arg(run);
        config.list = QStringLiteral("%1 list-json").arg(run);
        config.jsonNameField = QStringLiteral("branch.name");
        config.workingDirectory = dir.path();
        config.environment.insert(QStringLiteral("FAKE_STATE"), state);
        const CloudBranchProvider provider(config);

        auto made = provider.create(QStringLiteral("pr-1"), QStringLiteral("main"));
        QVERIFY2(made.ok(), made ? "" : qPrintable(made.error().message));
        QVERIFY(made->contains(QStringLiteral("\"name\":\"pr-1\"")));
        auto duplicate = provider.create(QStringLiteral("pr-1"), QStringLiteral("main"));
        QVERIFY(!duplicate.ok());
        QVERIFY2(duplicate.error().message.contains(QStringLiteral("branch pr-1 already exists")),
                 qPrintable(duplicate.error().message));
        // Names are quoted for the shell: this one creates a branch, not a file called pwned.
        auto tricky = provider.create(QStringLiteral("it's; touch pwned"), QStringLiteral("pr-1"));
        QVERIFY2(tricky.ok(), tricky ? "" : qPrintable(tricky.error().message));
        QVERIFY(!QFile::exists(dir.path() + QStringLiteral("/pwned")));

        auto listed = provider.list();
        QVERIFY2(listed.ok(), listed ? "" : qPrintable(listed.error().message));
        QCOMPARE(listed->size(), 2);
        QCOMPARE(listed->at(0).name, QStringLiteral("it's; touch pwned"));
        QCOMPARE(listed->at(1).name, QStringLiteral("pr-1"));
        QCOMPARE(listed->at(1).details.value(QStringLiteral("parent")).toString(),
                 QStringLiteral("main"));
        QCOMPARE(listed->at(0).details.value(QStringLiteral("parent")).toString(),
                 QStringLiteral("pr-1"));

        CloudBranchProviderConfig linesConfig = config;
        linesConfig.list = QStringLiteral("%1 list-lines").arg(run);
        linesConfig.listFormat = CloudBranchProviderConfig::ListFormat::Lines;
        auto lined = CloudBranchProvider(linesConfig).list();
        QVERIFY(lined.ok());
        QCOMPARE(lined->size(), 2);
        QCOMPARE(lined->at(1).name, QStringLiteral("pr-1"));

        CloudBranchProviderConfig wrapped = config;
        wrapped.list = QStringLiteral("%1 list-wrapped").arg(run);
        wrapped.jsonNameField = QStringLiteral("name");
        auto unwrapped = CloudBranchProvider(wrapped).list();
        QVERIFY2(unwrapped.ok(), unwrapped ? "" : qPrintable(unwrapped.error().message));
        QCOMPARE(unwrapped->size(), 2);
        QCOMPARE(unwrapped->at(0).name, QStringLiteral("a"));

        QVERIFY(provider.remove(QStringLiteral("pr-1")).ok());
        QVERIFY(provider.remove(QStringLiteral("it's; touch pwned")).ok());
        QVERIFY(provider.list()->isEmpty());
        auto missing = provider.remove(QStringLiteral("pr-1"));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QStringLiteral("branch pr-1 not found")),
                 qPrintable(missing.error().message));

        // Wrong field name, bad JSON, a hanging CLI: errors that say what to fix.
        QVERIFY(!CloudBranchProvider::parseJsonList("[{\"id\":1}]", QStringLiteral("name")).ok());
        QVERIFY(!CloudBranchProvider::parseJsonList("not json", QStringLiteral("name")).ok());
        CloudBranchProviderConfig hanging = config;
        hanging.list = QStringLiteral("%1 hang").arg(run);
        hanging.timeoutSeconds = 1;
        auto timedOut = CloudBranchProvider(hanging).list();
        QVERIFY(!timedOut.ok());
        QCOMPARE(timedOut.error().code, ErrorCode::Timeout);
        CloudBranchProviderConfig unset;
        QCOMPARE(CloudBranchProvider(unset).list().error().code, ErrorCode::Config);
    }
};

QTEST_GUILESS_MAIN(TestBranches)
#include "tst_branches.moc"
