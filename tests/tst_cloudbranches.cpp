// Cloud branches end to end: `paritydeck branch …` (the real binary) against a shell script
// that stands in for neonctl — same subcommand shapes (branches create/delete/list,
// connection-string), JSON output with passwords in the URLs, a login taken from the
// environment — in a real git repository. Checks what the vendor saw (its argv log and
// branch files), what ParityDeck recorded (selection, audit) and that no password or API
// key ends up in either.
#include "audit/auditlog.h"
#include "branches/branchselection.h"
#include "branches/cloudbranches.h"
#include "gitrepo.h"
#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;
using pd::test::git;
using pd::test::writeFile;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestCloudBranches final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_repo;
    QString m_vendorState;
    QString m_xdgState;

    Run run(const QStringList &args) const
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_xdgState);
        env.insert(QStringLiteral("FAKE_NEON_STATE"), m_vendorState);
        env.insert(QStringLiteral("PD_TEST_NEON_KEY"), QStringLiteral("key-4711"));
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(m_repo);
        process.start(QStringLiteral(PD_BINARY_PATH),
                      QStringList{QStringLiteral("--workspace"), m_repo} + args);
        if (!process.waitForStarted(10000))
            return {};
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    QString vendorBranches() const
    {
        QStringList names =
            QDir(m_vendorState + QStringLiteral("/branches")).entryList(QDir::Files);
        names.sort();
        return names.join(u',');
    }

    QString readAll(const QString &path) const
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    QString selectionFile() const
    {
        return m_xdgState + QStringLiteral("/paritydeck/branches.json");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_repo = m_dir.filePath(QStringLiteral("repo"));
        m_vendorState = m_dir.filePath(QStringLiteral("vendor"));
        m_xdgState = m_dir.filePath(QStringLiteral("xdg-state"));
        QVERIFY(QDir().mkpath(m_repo));
        QVERIFY(QDir().mkpath(m_vendorState + QStringLiteral("/branches")));
        writeFile(m_vendorState + QStringLiteral("/branches/main"), "\n");
        const QString script = m_dir.filePath(QStringLiteral("neonctl"));
        QVERIFY(QFile::copy(QStringLiteral(PD_TEST_DATA_DIR "/cloud/fake-neonctl"), script));
        QVERIFY(QFile::setPermissions(script, QFile::permissions(script) | QFile::ExeUser));

        // preview: `connection` template; review: url_field from the JSON output.
        const QString yaml =
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
                "        secret_env: { NEON_API_KEY: 'env:PD_TEST_NEON_KEY' }\n"
                "  review:\n"
                "    database: { url: 'postgresql://app@127.0.0.1:6543/main' }\n"
                "    branches:\n"
                "      naming: 'review_{branch}'\n"
                "      cloud:\n"
                "        create: %1 branches create --name {name} --parent {parent} --output json\n"
                "        delete: %1 branches delete {name}\n"
                "        list: %1 branches list --output json\n"
                "        url_field: connection_uris.0.connection_uri\n"
                "        env: { NEON_API_KEY: key-4711 }\n")
                .arg(script);
        writeFile(m_repo + QStringLiteral("/paritydeck.yaml"), yaml.toUtf8());
        writeFile(m_repo + QStringLiteral("/app.txt"), "v1\n");
        git(m_repo, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                     QStringLiteral("main")});
        git(m_repo, {QStringLiteral("add"), QStringLiteral(".")});
        git(m_repo, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                     QStringLiteral("init")});
    }

    void listCreateSwitchResetDeleteThroughTheVendorCli()
    {
        Run listed = run({QStringLiteral("branch"), QStringLiteral("list")});
        QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
        QVERIFY2(
            listed.out.contains(QStringLiteral("preview: cloud branches, parent main, using main")),
            qPrintable(listed.out));

        Run created =
            run({QStringLiteral("branch"), QStringLiteral("create"), QStringLiteral("pr-7")});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QVERIFY2(created.out.startsWith(QStringLiteral("created cloud branch pr-7 from main in ")),
                 qPrintable(created.out));
        QCOMPARE(vendorBranches(), QStringLiteral("main,pr-7"));

        // The vendor's own refusal comes through as its last stderr line.
        Run again =
            run({QStringLiteral("branch"), QStringLiteral("create"), QStringLiteral("pr-7")});
        QCOMPARE(again.exitCode, 3);
        QVERIFY2(again.err.contains(QStringLiteral("ERROR: branch pr-7 already exists")),
                 qPrintable(again.err));

        Run json =
            run({QStringLiteral("branch"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonObject root = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(root.value(QStringLiteral("cloud")).toBool(), true);
        QCOMPARE(root.value(QStringLiteral("parent_branch")).toString(), QStringLiteral("main"));
        const QJsonArray items = root.value(QStringLiteral("branches")).toArray();
        QCOMPARE(items.size(), 2);
        QCOMPARE(items.at(0).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("main"));
        QCOMPARE(items.at(0).toObject().value(QStringLiteral("selected")).toBool(), true);
        QCOMPARE(items.at(1).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("pr-7"));
        QCOMPARE(items.at(1).toObject().value(QStringLiteral("parent")).toString(),
                 QStringLiteral("main"));
        QCOMPARE(items.at(1).toObject().value(QStringLiteral("created")).toString(),
                 QStringLiteral("2026-12-01T10:00:00Z"));
        QCOMPARE(items.at(1).toObject().value(QStringLiteral("selected")).toBool(), false);

        // switch: git branch created and checked out, cloud branch created, URL recorded.
        Run switched = run({QStringLiteral("branch"), QStringLiteral("switch"),
                            QStringLiteral("feature/login"), QStringLiteral("--create")});
        QVERIFY2(switched.exitCode == 0, qPrintable(switched.err));
        QVERIFY2(
            switched.out.contains(QStringLiteral(
                "preview: on git branch feature/login, cloud branch feature_login (created in ")),
            qPrintable(switched.out));
        QCOMPARE(git(m_repo, {QStringLiteral("branch"), QStringLiteral("--show-current")}),
                 QStringLiteral("feature/login"));
        QCOMPARE(vendorBranches(), QStringLiteral("feature_login,main,pr-7"));

        // The environment now points at the branch's own host, port and database —
        // without the password the vendor printed (in the user info and in the query).
        const QString selection = readAll(selectionFile());
        QVERIFY2(selection.contains(QStringLiteral(
                     "postgresql://app@127.0.0.1:6544/feature_login?sslmode=disable")),
                 qPrintable(selection));
        QVERIFY2(!selection.contains(QStringLiteral("npg_s3cret")), qPrintable(selection));
        qputenv("XDG_STATE_HOME", m_xdgState.toLocal8Bit());
        auto workspace = WorkspaceLoader::load(m_repo);
        QVERIFY2(workspace.ok(), workspace ? "" : qPrintable(workspace.error().message));
        auto params = effectiveConnectionParams(*workspace, QStringLiteral("preview"));
        QVERIFY2(params.ok(), params ? "" : qPrintable(params.error().message));
        QCOMPARE(params->port, 6544);
        QCOMPARE(params->dbname, QStringLiteral("feature_login"));
        QCOMPARE(params->options.value(QStringLiteral("sslmode")), QStringLiteral("disable"));
        QVERIFY(params->password.isEmpty());
        QCOMPARE(effectiveDatabase(*workspace, QStringLiteral("preview")),
                 QStringLiteral("feature_login"));

        listed = run({QStringLiteral("branch"), QStringLiteral("list")});
        QVERIFY2(listed.out.contains(QStringLiteral("using feature_login")),
                 qPrintable(listed.out));
        QVERIFY2(listed.out.contains(QStringLiteral("*  feature_login")),
                 qPrintable(listed.out)); // the table's marker column

        // Switching back to an existing branch creates nothing and looks the URL up again.
        QVERIFY(run({QStringLiteral("branch"), QStringLiteral("switch"), QStringLiteral("main")})
                    .exitCode == 0);
        QCOMPARE(effectiveConnectionParams(*workspace, QStringLiteral("preview"))->dbname,
                 QStringLiteral("main"));
        Run back = run(
            {QStringLiteral("branch"), QStringLiteral("switch"), QStringLiteral("feature/login")});
        QVERIFY2(back.exitCode == 0, qPrintable(back.err));
        QVERIFY2(back.out.contains(QStringLiteral("cloud branch feature_login")) &&
                     !back.out.contains(QStringLiteral("created")),
                 qPrintable(back.out));
        QCOMPARE(effectiveConnectionParams(*workspace, QStringLiteral("preview"))->dbname,
                 QStringLiteral("feature_login"));

        // A dirty tree refuses before the vendor is asked for anything.
        writeFile(m_repo + QStringLiteral("/app.txt"), "v2\n");
        Run dirty = run({QStringLiteral("branch"), QStringLiteral("switch"),
                         QStringLiteral("feature/other"), QStringLiteral("--create")});
        QVERIFY(dirty.exitCode != 0);
        QVERIFY2(dirty.err.contains(QStringLiteral("uncommitted changes")) &&
                     dirty.err.contains(QStringLiteral("app.txt")),
                 qPrintable(dirty.err));
        QCOMPARE(vendorBranches(), QStringLiteral("feature_login,main,pr-7"));
        git(m_repo, {QStringLiteral("checkout"), QStringLiteral("--"), QStringLiteral("app.txt")});

        // reset by git branch name: no reset template, so delete + create from the parent.
        QFile::remove(m_vendorState + QStringLiteral("/argv.log"));
        Run reset = run(
            {QStringLiteral("branch"), QStringLiteral("reset"), QStringLiteral("feature/login")});
        QVERIFY2(reset.exitCode == 0, qPrintable(reset.err));
        QVERIFY2(
            reset.out.startsWith(QStringLiteral("reset cloud branch feature_login from main in ")),
            qPrintable(reset.out));
        const QStringList calls =
            readAll(m_vendorState + QStringLiteral("/argv.log")).split(u'\n', Qt::SkipEmptyParts);
        QVERIFY2(calls.size() >= 4, qPrintable(calls.join(u'|')));
        QCOMPARE(calls.at(calls.size() - 3), QStringLiteral("branches delete feature_login"));
        QCOMPARE(
            calls.at(calls.size() - 2),
            QStringLiteral("branches create --name feature_login --parent main --output json"));
        // The environment points at it: its URL is looked up again (a new endpoint).
        QCOMPARE(calls.last(), QStringLiteral("connection-string feature_login"));

        // The parent is the environment's own database.
        Run parent =
            run({QStringLiteral("branch"), QStringLiteral("delete"), QStringLiteral("main")});
        QCOMPARE(parent.exitCode, 2);
        QVERIFY2(parent.err.contains(QStringLiteral("main is the parent branch")),
                 qPrintable(parent.err));
        Run parentReset =
            run({QStringLiteral("branch"), QStringLiteral("reset"), QStringLiteral("main")});
        QCOMPARE(parentReset.exitCode, 2);
        QVERIFY(vendorBranches().contains(QStringLiteral("main")));

        // Deleting the selected branch points the environment back at the parent.
        Run deleted = run(
            {QStringLiteral("branch"), QStringLiteral("delete"), QStringLiteral("feature_login")});
        QVERIFY2(deleted.exitCode == 0, qPrintable(deleted.err));
        QCOMPARE(vendorBranches(), QStringLiteral("main,pr-7"));
        QCOMPARE(effectiveConnectionParams(*workspace, QStringLiteral("preview"))->port, 6543);
        QCOMPARE(effectiveDatabase(*workspace, QStringLiteral("preview")), QStringLiteral("main"));

        Run missing =
            run({QStringLiteral("branch"), QStringLiteral("delete"), QStringLiteral("nope")});
        QCOMPARE(missing.exitCode, 3); // NotFound from resolve → runtime exit code
        QVERIFY2(missing.err.contains(QStringLiteral(
                     "no cloud branch named or made for \"nope\" (branches: main, pr-7)")),
                 qPrintable(missing.err));

        Run cleanup = run({QStringLiteral("branch"), QStringLiteral("cleanup")});
        QCOMPARE(cleanup.exitCode, 2);
        QVERIFY2(cleanup.err.contains(QStringLiteral("not available for cloud branches")),
                 qPrintable(cleanup.err));

        // Every change is in the audit log; the API key and the vendor's password nowhere.
        const QString audit = readAll(m_xdgState + QStringLiteral("/paritydeck/audit.jsonl"));
        for (const char *action :
             {"branch-create", "branch-switch", "branch-reset", "branch-delete"})
            QVERIFY2(audit.contains(QString::fromLatin1(action)), action);
        QVERIFY2(audit.contains(QStringLiteral("refused")), qPrintable(audit)); // delete main
        const QString argv = readAll(m_vendorState + QStringLiteral("/argv.log"));
        for (const QString &text : {audit, argv, selection}) {
            QVERIFY(!text.contains(QStringLiteral("key-4711")));
            QVERIFY(!text.contains(QStringLiteral("npg_s3cret")));
        }
    }

    void urlFieldFromTheCreateOutputOrTheListEntry()
    {
        Run switched = run({QStringLiteral("branch"), QStringLiteral("switch"),
                            QStringLiteral("feature/search"), QStringLiteral("--env"),
                            QStringLiteral("review")});
        QVERIFY2(switched.exitCode == 0, qPrintable(switched.err));
        // No git for this environment: only the cloud branch.
        QVERIFY2(switched.out.startsWith(
                     QStringLiteral("review: cloud branch review_feature_search (created in ")),
                 qPrintable(switched.out));
        auto workspace = WorkspaceLoader::load(m_repo);
        QVERIFY(workspace.ok());
        auto params = effectiveConnectionParams(*workspace, QStringLiteral("review"));
        QVERIFY2(params.ok(), params ? "" : qPrintable(params.error().message));
        QCOMPARE(params->port, 6543);
        QCOMPARE(params->dbname, QStringLiteral("review_feature_search"));
        QVERIFY(!readAll(selectionFile()).contains(QStringLiteral("npg_s3cret")));

        QVERIFY(run({QStringLiteral("branch"), QStringLiteral("switch"), QStringLiteral("main"),
                     QStringLiteral("--env"), QStringLiteral("review")})
                    .exitCode == 0);
        Run existing =
            run({QStringLiteral("branch"), QStringLiteral("switch"), QStringLiteral("pr-7"),
                 QStringLiteral("--env"), QStringLiteral("review")});
        // "pr-7" maps to review_pr_7, which does not exist yet: created, then used.
        QVERIFY2(existing.exitCode == 0, qPrintable(existing.err));
        QCOMPARE(effectiveDatabase(*workspace, QStringLiteral("review")),
                 QStringLiteral("review_pr_7"));
        // An existing branch: the URL comes from its list entry.
        Run listed = run({QStringLiteral("branch"), QStringLiteral("switch"),
                          QStringLiteral("feature/search"), QStringLiteral("--env"),
                          QStringLiteral("review")});
        QVERIFY2(listed.exitCode == 0 && !listed.out.contains(QStringLiteral("created")),
                 qPrintable(listed.out + listed.err));
        QCOMPARE(effectiveDatabase(*workspace, QStringLiteral("review")),
                 QStringLiteral("review_feature_search"));
    }

    void passwordsAreStrippedFromVendorUrls()
    {
        QCOMPARE(CloudBranches::withoutPassword(
                     QStringLiteral("postgresql://app:pw@h.example:5432/db?sslmode=require")),
                 QStringLiteral("postgresql://app@h.example:5432/db?sslmode=require"));
        QCOMPARE(CloudBranches::withoutPassword(
                     QStringLiteral("postgres://a:b:c@h/db?password=x&sslmode=require&password=y")),
                 QStringLiteral("postgres://a@h/db?sslmode=require"));
        QCOMPARE(CloudBranches::withoutPassword(QStringLiteral("postgresql://h/db?password=x")),
                 QStringLiteral("postgresql://h/db"));
        QCOMPARE(CloudBranches::withoutPassword(QStringLiteral("postgresql://app@h/db")),
                 QStringLiteral("postgresql://app@h/db"));
        const QJsonValue doc = QJsonDocument::fromJson(R"({"a":[{"b":"x"},{"b":"y"}]})").object();
        QCOMPARE(CloudBranches::valueAt(doc, QStringLiteral("a.1.b")).toString(),
                 QStringLiteral("y"));
        QVERIFY(!CloudBranches::valueAt(doc, QStringLiteral("a.2.b")).isString());
    }
};

QTEST_GUILESS_MAIN(TestCloudBranches)
#include "tst_cloudbranches.moc"
