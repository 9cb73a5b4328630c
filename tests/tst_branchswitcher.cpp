// The branch switcher against a real server and a real git repository: the listing (git
// branches with their database branches, what exists, what is in use), Switch creating
// the database on first use and checking the branch out, a dirty tree refused with git's
// own reason shown inline, Create from a parent, Reset and Delete after a question, and
// every action audited. Runs offscreen.
#include "audit/auditlog.h"
#include "branches/branchselection.h"
#include "branches/gitrepository.h"
#include "branchswitcher.h"
#include "confirmnamedialog.h"
#include "environment/branchoperations.h"
#include "gitrepo.h"
#include "pgcluster.h"
#include "workspace/workspaceloader.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;
using pd::test::git;
using pd::test::PgCluster;
using pd::test::writeFile;
using pd::ui::BranchSwitcherDialog;

namespace {

constexpr int kTimeoutMs = 30000;

int rowOfGit(const BranchListing &listing, const QString &gitBranch)
{
    for (int r = 0; r < listing.rows.size(); ++r) {
        if (listing.rows.at(r).gitBranch == gitBranch)
            return r;
    }
    return -1;
}

int rowOfDatabase(const BranchListing &listing, const QString &database)
{
    for (int r = 0; r < listing.rows.size(); ++r) {
        if (listing.rows.at(r).database == database)
            return r;
    }
    return -1;
}

} // namespace

class TestBranchSwitcher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_state.isValid());
        QVERIFY(m_repo.isValid());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        QVERIFY2(m_pg.start().ok(), qPrintable(m_pg.serverLog()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("app")).ok());
        QVERIFY(
            m_pg.exec(QStringLiteral("CREATE TABLE items (id int)"), QStringLiteral("app")).ok());
        const QString repo = m_repo.path();
        git(repo, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                   QStringLiteral("main")});
        writeFile(repo + QStringLiteral("/schema.sql"), "create table items (id int);\n");
        git(repo, {QStringLiteral("add"), QStringLiteral(".")});
        git(repo, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                   QStringLiteral("first")});
        git(repo, {QStringLiteral("branch"), QStringLiteral("feature/login")});
    }

    void switchCreateResetDeleteFromTheDialog()
    {
        BranchOperations operations(workspace());
        QCOMPARE(operations.branchEnvironments(), QStringList{QStringLiteral("dev")});
        BranchSwitcherDialog dialog(&operations, QStringLiteral("dev"));
        dialog.show();
        QSignalSpy loaded(&dialog, &BranchSwitcherDialog::listingLoaded);
        QSignalSpy finished(&dialog, &BranchSwitcherDialog::actionFinished);
        QSignalSpy selection(&dialog, &BranchSwitcherDialog::selectionChanged);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, kTimeoutMs);

        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("branchTable"));
        auto *switchButton = dialog.findChild<QPushButton *>(QStringLiteral("branchSwitch"));
        auto *reset = dialog.findChild<QPushButton *>(QStringLiteral("branchReset"));
        auto *remove = dialog.findChild<QPushButton *>(QStringLiteral("branchDelete"));
        auto *message = dialog.findChild<QLabel *>(QStringLiteral("branchMessage"));
        QVERIFY(table && switchButton && reset && remove && message);

        // main → the main database (in use); feature/login → a database not made yet.
        BranchListing listing = dialog.listing();
        QCOMPARE(listing.currentGitBranch, QStringLiteral("main"));
        QCOMPARE(listing.mainDatabase, QStringLiteral("app"));
        const int main = rowOfGit(listing, QStringLiteral("main"));
        const int login = rowOfGit(listing, QStringLiteral("feature/login"));
        QVERIFY(main >= 0 && login >= 0);
        QVERIFY(listing.rows.at(main).mainDatabase);
        QVERIFY(listing.rows.at(main).selected);
        QVERIFY(listing.rows.at(main).gitCurrent);
        QCOMPARE(listing.rows.at(login).database, QStringLiteral("app__feature_login"));
        QVERIFY(!listing.rows.at(login).databaseExists);
        QCOMPARE(table->item(login, BranchSwitcherDialog::ExistsColumn)->text(),
                 QStringLiteral("✗ not yet"));
        QVERIFY(table->item(main, BranchSwitcherDialog::GitColumn)
                    ->text()
                    .contains(QStringLiteral("checked out")));

        // On main already: Switch says so; Reset/Delete do not apply to the main database.
        dialog.selectRow(main);
        QVERIFY(!switchButton->isEnabled());
        QVERIFY(switchButton->toolTip().contains(QStringLiteral("already")));
        QVERIFY(!reset->isEnabled());
        QVERIFY(reset->toolTip().contains(QStringLiteral("main database")));

        // Switch to feature/login: database created, branch checked out, selection saved.
        dialog.selectRow(login);
        QVERIFY(switchButton->isEnabled());
        QVERIFY(!remove->isEnabled());
        QVERIFY(remove->toolTip().contains(QStringLiteral("does not exist yet")));
        QTest::mouseClick(switchButton, Qt::LeftButton);
        QVERIFY(dialog.isWorking());
        QVERIFY(!switchButton->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(selection.size(), 1);
        QCOMPARE(GitRepository(m_repo.path()).currentBranch().value(),
                 QStringLiteral("feature/login"));
        QCOMPARE(effectiveDatabase(workspace(), QStringLiteral("dev")),
                 QStringLiteral("app__feature_login"));
        QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 2 && !dialog.isWorking(), kTimeoutMs);
        listing = dialog.listing();
        const int loginNow = rowOfGit(listing, QStringLiteral("feature/login"));
        QVERIFY(listing.rows.at(loginNow).databaseExists);
        QVERIFY(listing.rows.at(loginNow).selected);
        QVERIFY(listing.rows.at(loginNow).sizeBytes > 0);
        QVERIFY(table->item(loginNow, BranchSwitcherDialog::DatabaseColumn)
                    ->text()
                    .contains(QStringLiteral("in use")));

        // A dirty tree: switching back is refused, with git's reason, inline.
        writeFile(m_repo.path() + QStringLiteral("/schema.sql"),
                  "create table items (id bigint);\n");
        dialog.selectRow(rowOfGit(listing, QStringLiteral("main")));
        QVERIFY(switchButton->isEnabled());
        QTest::mouseClick(switchButton, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kTimeoutMs);
        QVERIFY(!finished.last().at(0).toBool());
        QVERIFY(message->isVisibleTo(&dialog));
        QVERIFY2(message->text().contains(QStringLiteral("uncommitted changes")),
                 qPrintable(message->text()));
        QVERIFY(message->text().contains(QStringLiteral("schema.sql")));
        QCOMPARE(GitRepository(m_repo.path()).currentBranch().value(),
                 QStringLiteral("feature/login"));
        git(m_repo.path(),
            {QStringLiteral("checkout"), QStringLiteral("--"), QStringLiteral("schema.sql")});

        // Create a database branch from the main database.
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isWorking(), kTimeoutMs);
        auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("branchNewName"));
        auto *create = dialog.findChild<QPushButton *>(QStringLiteral("branchCreate"));
        QVERIFY(name && create);
        QVERIFY(!create->isEnabled());
        QCOMPARE(create->toolTip(), QStringLiteral("Type a name first."));
        QTest::keyClicks(name, QStringLiteral("app__scratch"));
        QVERIFY(create->isEnabled());
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, kTimeoutMs);
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
        QVERIFY(finished.last().at(1).toString().startsWith(
            QStringLiteral("created app__scratch from app")));
        QTRY_VERIFY_WITH_TIMEOUT(
            !dialog.isWorking() &&
                rowOfDatabase(dialog.listing(), QStringLiteral("app__scratch")) >= 0,
            kTimeoutMs);

        // Reset the checked-out branch: asked first; its hand-made table is gone afterwards.
        QVERIFY(m_pg.exec(QStringLiteral("CREATE TABLE scratch_work (x int)"),
                          QStringLiteral("app__feature_login"))
                    .ok());
        dialog.selectRow(rowOfDatabase(dialog.listing(), QStringLiteral("app__feature_login")));
        QVERIFY(reset->isEnabled());
        QTest::mouseClick(reset, Qt::LeftButton);
        auto *question = qobject_cast<QMessageBox *>(dialog.pendingQuestion());
        QVERIFY(question);
        QVERIFY(question->isVisible());
        QVERIFY(question->text().contains(QStringLiteral("app__feature_login")));
        QCOMPARE(finished.size(), 3); // nothing happens before the answer
        auto *yes = question->findChild<QPushButton *>(QStringLiteral("branchQuestionYes"));
        QVERIFY(yes);
        QTest::mouseClick(yes, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, kTimeoutMs);
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
        QCOMPARE(m_pg.exec(QStringLiteral(
                               "SELECT count(*) FROM pg_class WHERE relname = 'scratch_work'"),
                           QStringLiteral("app__feature_login"))
                     ->value(0, 0),
                 QStringLiteral("0"));

        // Delete the branch in use: the environment goes home to the main database.
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isWorking(), kTimeoutMs);
        dialog.selectRow(rowOfDatabase(dialog.listing(), QStringLiteral("app__feature_login")));
        QTest::mouseClick(remove, Qt::LeftButton);
        QVERIFY(dialog.pendingQuestion());
        QTest::mouseClick(
            dialog.pendingQuestion()->findChild<QPushButton *>(QStringLiteral("branchQuestionYes")),
            Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 5, kTimeoutMs);
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
        QCOMPARE(effectiveDatabase(workspace(), QStringLiteral("dev")), QStringLiteral("app"));

        // Every action, the refusal included, is in the audit log.
        AuditFilter filter;
        filter.environment = QStringLiteral("dev");
        const QList<AuditEntry> entries = AuditLog().read(filter).value();
        QStringList actions;
        QSet<QString> starts;
        for (const AuditEntry &e : entries) {
            // Each change's "started" entry comes first and its end answers it.
            if (e.outcome == AuditOutcome::Started) {
                starts.insert(e.operation);
                continue;
            }
            QVERIFY2(e.operation.isEmpty() || starts.contains(e.operation), qPrintable(e.toText()));
            actions.append(e.action + QLatin1Char(' ') + auditOutcomeName(e.outcome));
        }
        QCOMPARE(
            actions,
            (QStringList{QStringLiteral("branch-switch ok"), QStringLiteral("branch-switch failed"),
                         QStringLiteral("branch-create ok"), QStringLiteral("branch-reset ok"),
                         QStringLiteral("branch-delete ok")}));
        QVERIFY(m_pg.exec(QStringLiteral("DROP DATABASE app__scratch")).ok());
        git(m_repo.path(),
            {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
    }

    // branches.cloud through the dialog: the vendor CLI (tests/data/cloud/fake-neonctl, logged
    // in through secret_env) lists the branches, Switch creates one there and points the
    // environment at it, Delete removes one; create and reset go to the vendor as well.
    void cloudBranchesListSwitchAndDeleteFromTheDialog()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString repo = dir.filePath(QStringLiteral("repo"));
        const QString vendor = dir.filePath(QStringLiteral("vendor"));
        QVERIFY(QDir().mkpath(repo));
        QVERIFY(QDir().mkpath(vendor + QStringLiteral("/branches")));
        writeFile(vendor + QStringLiteral("/branches/main"), "\n");
        writeFile(vendor + QStringLiteral("/branches/pr-7"), "main\n"); // made elsewhere
        const QString script = dir.filePath(QStringLiteral("neonctl"));
        QVERIFY(QFile::copy(QStringLiteral(PD_TEST_DATA_DIR "/cloud/fake-neonctl"), script));
        QVERIFY(QFile::setPermissions(script, QFile::permissions(script) | QFile::ExeUser));
        qputenv("FAKE_NEON_STATE", vendor.toLocal8Bit());
        qputenv("PD_TEST_NEON_KEY", "key-4711");
        writeFile(
            repo + QStringLiteral("/paritydeck.yaml"),
            QStringLiteral(
                "version: 1\n"
                "project: podcast\n"
                "environments:\n"
                "  preview:\n"
                "    database: { url: 'postgresql://app@127.0.0.1:6543/main?sslmode=disable' }\n"
                "    branches:\n"
                "      git: true\n"
                "      cloud:\n"
                "        create: %1 branches create --name {name} --parent {parent} --output json\n"
                "        delete: %1 branches delete {name}\n"
                "        list: %1 branches list --output json\n"
                "        connection: %1 connection-string {name}\n"
                "        secret_env: { NEON_API_KEY: 'env:PD_TEST_NEON_KEY' }\n")
                .arg(script)
                .toUtf8());
        git(repo, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                   QStringLiteral("main")});
        git(repo, {QStringLiteral("add"), QStringLiteral(".")});
        git(repo, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                   QStringLiteral("first")});
        git(repo, {QStringLiteral("branch"), QStringLiteral("feature/login")});
        auto loaded = WorkspaceLoader::load(repo);
        QVERIFY2(loaded.ok(), loaded ? "" : qPrintable(loaded.error().message));
        const Workspace ws = *loaded;
        auto vendorBranches = [&] {
            QStringList names = QDir(vendor + QStringLiteral("/branches")).entryList(QDir::Files);
            names.sort();
            return names.join(u',');
        };

        BranchOperations operations(ws);
        QCOMPARE(operations.branchEnvironments(), QStringList{QStringLiteral("preview")});
        BranchSwitcherDialog dialog(&operations, QStringLiteral("preview"));
        dialog.show();
        QSignalSpy listed(&dialog, &BranchSwitcherDialog::listingLoaded);
        QSignalSpy finished(&dialog, &BranchSwitcherDialog::actionFinished);
        QTRY_VERIFY_WITH_TIMEOUT(listed.size() >= 1 && !dialog.isWorking(), kTimeoutMs);
        auto *switchButton = dialog.findChild<QPushButton *>(QStringLiteral("branchSwitch"));
        auto *remove = dialog.findChild<QPushButton *>(QStringLiteral("branchDelete"));
        auto *message = dialog.findChild<QLabel *>(QStringLiteral("branchMessage"));
        QVERIFY(switchButton && remove && message);

        // The vendor's branches, the parent being the environment's own database.
        BranchListing listing = dialog.listing();
        QVERIFY2(listing.databaseEnabled, qPrintable(message->text()));
        QCOMPARE(listing.mainDatabase, QStringLiteral("main"));
        QCOMPARE(listing.selectedDatabase, QStringLiteral("main"));
        const int main = rowOfGit(listing, QStringLiteral("main"));
        const int login = rowOfGit(listing, QStringLiteral("feature/login"));
        const int pr7 = rowOfDatabase(listing, QStringLiteral("pr-7"));
        QVERIFY(main >= 0 && login >= 0 && pr7 >= 0);
        QVERIFY(listing.rows.at(main).mainDatabase && listing.rows.at(main).selected);
        QCOMPARE(listing.rows.at(login).database, QStringLiteral("feature_login"));
        QVERIFY(!listing.rows.at(login).databaseExists);
        QVERIFY(listing.rows.at(pr7).databaseExists);
        QCOMPARE(listing.rows.at(pr7).parent, QStringLiteral("main"));
        QCOMPARE(listing.rows.at(pr7).created,
                 QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC));

        // Switch: the git branch checked out, the cloud branch made at the vendor and used.
        dialog.selectRow(login);
        QVERIFY(switchButton->isEnabled());
        QTest::mouseClick(switchButton, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY2(finished.first().at(1).toString().contains(
                     QStringLiteral("cloud branch feature_login")),
                 qPrintable(finished.first().at(1).toString()));
        QCOMPARE(GitRepository(repo).currentBranch().value(), QStringLiteral("feature/login"));
        QCOMPARE(vendorBranches(), QStringLiteral("feature_login,main,pr-7"));
        QCOMPARE(effectiveDatabase(ws, QStringLiteral("preview")), QStringLiteral("feature_login"));
        QCOMPARE(effectiveConnectionParams(ws, QStringLiteral("preview"))->port, 6544);
        QTRY_VERIFY_WITH_TIMEOUT(listed.size() >= 2 && !dialog.isWorking(), kTimeoutMs);
        listing = dialog.listing();
        QCOMPARE(listing.selectedDatabase, QStringLiteral("feature_login"));
        const int loginNow = rowOfGit(listing, QStringLiteral("feature/login"));
        QVERIFY(listing.rows.at(loginNow).databaseExists && listing.rows.at(loginNow).selected);

        // Delete pr-7 after the question: gone at the vendor.
        dialog.selectRow(rowOfDatabase(listing, QStringLiteral("pr-7")));
        QVERIFY2(remove->isEnabled(), qPrintable(remove->toolTip()));
        QTest::mouseClick(remove, Qt::LeftButton);
        QVERIFY(dialog.pendingQuestion());
        QTest::mouseClick(
            dialog.pendingQuestion()->findChild<QPushButton *>(QStringLiteral("branchQuestionYes")),
            Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kTimeoutMs);
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
        QCOMPARE(finished.last().at(1).toString(), QStringLiteral("deleted cloud branch pr-7"));
        QCOMPARE(vendorBranches(), QStringLiteral("feature_login,main"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isWorking(), kTimeoutMs);

        // Create and reset go to the vendor too; the parent is refused as the CLI refuses it.
        auto created =
            operations.create(QStringLiteral("preview"), QStringLiteral("scratch"), {}, false);
        QTRY_VERIFY_WITH_TIMEOUT(created.isFinished(), kTimeoutMs);
        QVERIFY2(created.result().ok(),
                 created.result() ? "" : qPrintable(created.result().error().message));
        QVERIFY(created.result()->startsWith(
            QStringLiteral("created cloud branch scratch from main in ")));
        auto reset =
            operations.reset(QStringLiteral("preview"), QStringLiteral("feature/login"), false);
        QTRY_VERIFY_WITH_TIMEOUT(reset.isFinished(), kTimeoutMs);
        QVERIFY2(reset.result().ok(),
                 reset.result() ? "" : qPrintable(reset.result().error().message));
        QVERIFY(reset.result()->startsWith(
            QStringLiteral("reset cloud branch feature_login from main in ")));
        auto parent = operations.remove(QStringLiteral("preview"), QStringLiteral("main"));
        QTRY_VERIFY_WITH_TIMEOUT(parent.isFinished(), kTimeoutMs);
        QVERIFY(!parent.result().ok());
        QVERIFY2(
            parent.result().error().message.contains(QStringLiteral("main is the parent branch")),
            qPrintable(parent.result().error().message));
        QCOMPARE(vendorBranches(), QStringLiteral("feature_login,main,scratch"));

        AuditFilter filter;
        filter.environment = QStringLiteral("preview");
        QStringList actions;
        const QList<AuditEntry> entries = AuditLog().read(filter).value();
        for (const AuditEntry &e : entries) {
            QVERIFY(!e.detail.contains(QStringLiteral("key-4711")) &&
                    !e.detail.contains(QStringLiteral("npg_s3cret")));
            if (e.outcome != AuditOutcome::Started)
                actions.append(e.action + QLatin1Char(' ') + auditOutcomeName(e.outcome));
        }
        QCOMPARE(
            actions,
            (QStringList{QStringLiteral("branch-switch ok"), QStringLiteral("branch-delete ok"),
                         QStringLiteral("branch-create ok"), QStringLiteral("branch-reset ok"),
                         QStringLiteral("branch-delete refused")}));
    }

    void protectedEnvironmentsAskForTheTypedNameAndReadOnlyOnesRefuse()
    {
        const auto exists = [this](const QString &database) {
            auto rows =
                m_pg.exec(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'")
                              .arg(database));
            return rows.ok() && rows->value(0, 0) == QLatin1String("1");
        };
        BranchOperations operations(workspace(Protection::Confirm));
        BranchSwitcherDialog dialog(&operations, QStringLiteral("dev"));
        dialog.show();
        QSignalSpy loaded(&dialog, &BranchSwitcherDialog::listingLoaded);
        QSignalSpy finished(&dialog, &BranchSwitcherDialog::actionFinished);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 1, kTimeoutMs);
        auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("branchNewName"));
        auto *create = dialog.findChild<QPushButton *>(QStringLiteral("branchCreate"));
        QVERIFY(name && create);
        QTest::keyClicks(name, QStringLiteral("app__guarded"));
        QVERIFY(create->isEnabled());

        // Create asks for the name first; nothing runs before the exact name is typed.
        QTest::mouseClick(create, Qt::LeftButton);
        auto *ask = qobject_cast<ui::ConfirmNameDialog *>(dialog.pendingQuestion());
        QVERIFY(ask && ask->isVisible());
        QVERIFY(!ask->confirmButton()->isEnabled());
        QTest::keyClicks(ask->nameField(), QStringLiteral("de"));
        QVERIFY(!ask->confirmButton()->isEnabled());
        QTest::keyClick(ask->nameField(), Qt::Key_Return);
        QVERIFY(!dialog.isWorking());
        QCOMPARE(finished.size(), 0);
        QTest::keyClicks(ask->nameField(), QStringLiteral("v"));
        QVERIFY(ask->confirmButton()->isEnabled());
        QTest::mouseClick(ask->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(exists(QStringLiteral("app__guarded")));

        // Core checks it again: without the name (a caller skipping the question) it is
        // refused in the panel's words, audited, and the database stays.
        const QFuture<Result<QString>> refused =
            operations.remove(QStringLiteral("dev"), QStringLiteral("app__guarded"));
        QTRY_VERIFY_WITH_TIMEOUT(refused.isFinished(), kTimeoutMs);
        QVERIFY(!refused.result().ok());
        QCOMPARE(refused.result().error().code, ErrorCode::Protected);
        QVERIFY2(refused.result().error().message.contains(QStringLiteral("(type dev to confirm)")),
                 qPrintable(refused.result().error().message));
        QVERIFY(exists(QStringLiteral("app__guarded")));
        const QFuture<Result<QString>> removed = operations.remove(
            QStringLiteral("dev"), QStringLiteral("app__guarded"), QStringLiteral("dev"));
        QTRY_VERIFY_WITH_TIMEOUT(removed.isFinished(), kTimeoutMs);
        QVERIFY2(removed.result().ok(),
                 removed.result() ? "" : qPrintable(removed.result().error().message));
        QVERIFY(!exists(QStringLiteral("app__guarded")));
        AuditFilter filter;
        filter.environment = QStringLiteral("dev");
        filter.action = QStringLiteral("branch-delete");
        const QList<AuditEntry> deletes = AuditLog().read(filter).value();
        QVERIFY(deletes.size() >= 3);
        QCOMPARE(deletes.at(deletes.size() - 3).outcome, AuditOutcome::Refused);
        QCOMPARE(deletes.at(deletes.size() - 2).outcome, AuditOutcome::Started);
        QCOMPARE(deletes.last().outcome, AuditOutcome::Ok);

        // Read-only: every button that changes something is off and says why.
        BranchOperations frozen(workspace(Protection::ReadOnly));
        BranchSwitcherDialog frozenDialog(&frozen, QStringLiteral("dev"));
        QSignalSpy frozenLoaded(&frozenDialog, &BranchSwitcherDialog::listingLoaded);
        QTRY_VERIFY_WITH_TIMEOUT(frozenLoaded.size() >= 1, kTimeoutMs);
        QTest::keyClicks(frozenDialog.findChild<QLineEdit *>(QStringLiteral("branchNewName")),
                         QStringLiteral("x"));
        for (const char *button :
             {"branchSwitch", "branchReset", "branchDelete", "branchCreate", "branchSwitchNew"}) {
            auto *b = frozenDialog.findChild<QPushButton *>(QLatin1String(button));
            QVERIFY(b && !b->isEnabled());
            QVERIFY2(b->toolTip().contains(QStringLiteral("read-only (protection: read-only)")),
                     qPrintable(b->toolTip()));
        }
        const QFuture<Result<QString>> frozenCreate =
            frozen.create(QStringLiteral("dev"), QStringLiteral("app__frozen"),
                          QStringLiteral("app"), false, QStringLiteral("dev"));
        QTRY_VERIFY_WITH_TIMEOUT(frozenCreate.isFinished(), kTimeoutMs);
        QCOMPARE(frozenCreate.result().error().code, ErrorCode::Protected);
        QVERIFY(!exists(QStringLiteral("app__frozen")));
    }

private:
    Workspace workspace(Protection devProtection = Protection::None) const
    {
        Workspace ws;
        ws.project = QStringLiteral("branches");
        ws.rootDir = m_repo.path();
        ws.filePath = m_repo.path() + QStringLiteral("/paritydeck.yaml");
        EnvironmentConfig dev;
        dev.name = QStringLiteral("dev");
        dev.database.url = m_pg.url(QStringLiteral("app"));
        dev.database.connectTimeoutSeconds = 2;
        dev.branches.git = true;
        dev.branches.database = QStringLiteral("template");
        dev.protection = devProtection;
        EnvironmentConfig staging;
        staging.name = QStringLiteral("staging");
        staging.database.url = m_pg.url(QStringLiteral("postgres"));
        ws.environments = {dev, staging};
        return ws;
    }

    QTemporaryDir m_state;
    QTemporaryDir m_repo;
    PgCluster m_pg;
};

QTEST_MAIN(TestBranchSwitcher)
#include "tst_branchswitcher.moc"
