// `paritydeck promote` end to end, the real binary against a real server: --dry-run prints
// the gates and the plan and changes nothing; a promotion applies exactly the upstream's
// migrations and is audited; each exit code (0 promoted or nothing to do, 1 a gate failed,
// 2 usage/config/refused for want of --confirm, 3 runtime) and the --json document.
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <signal.h>

using namespace pd;
using pd::test::PgCluster;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

} // namespace

class TestPromoteCli final : public QObject
{
    Q_OBJECT

    PgCluster m_server;
    QTemporaryDir m_state;
    QTemporaryDir m_cache;
    int m_workspaces = 0;

    Run run(const QString &workspace, const QStringList &args) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_state.path());
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache.path());
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(PD_BINARY_PATH),
                      QStringList{QStringLiteral("--workspace"), workspace} + args);
        if (!process.waitForStarted(10000) || !process.waitForFinished(180000)) {
            process.kill();
            process.waitForFinished();
            return {};
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    // A workspace with three migrations and dev → staging → prod (prod: confirm), each a
    // database of its own. Returns the folder ("" on failure).
    QString makeWorkspace(QTemporaryDir &dir)
    {
        ++m_workspaces;
        const QString root = dir.path();
        bool ok = writeFile(root + QStringLiteral("/migrations/0001_users.sql"),
                            "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n") &&
                  writeFile(root + QStringLiteral("/migrations/0002_index.sql"),
                            "CREATE INDEX users_email_idx ON users (email);\n") &&
                  writeFile(root + QStringLiteral("/migrations/0003_admin.sql"),
                            "INSERT INTO users VALUES (1, 'admin@example.org');\n");
        QString yaml = QStringLiteral("version: 1\nproject: promote-cli\nmigrations: { dir: "
                                      "migrations, format: paritydeck }\n"
                                      "environments:\n");
        for (const QString &name :
             {QStringLiteral("dev"), QStringLiteral("staging"), QStringLiteral("prod")}) {
            const QString db = QStringLiteral("%1_%2").arg(name).arg(m_workspaces);
            ok = ok && m_server.createDatabase(db).ok();
            yaml += QStringLiteral("  %1:\n").arg(name);
            if (name == QLatin1String("staging"))
                yaml += QStringLiteral("    promotes_from: dev\n");
            if (name == QLatin1String("prod"))
                yaml += QStringLiteral("    protection: confirm\n    promotes_from: staging\n");
            yaml += QStringLiteral("    database: { url: \"%1\" }\n").arg(m_server.url(db));
        }
        ok = ok && writeFile(root + QStringLiteral("/paritydeck.yaml"), yaml.toUtf8());
        return ok ? root : QString();
    }

    bool applyUpTo(const QString &root, const QString &env, const QString &version)
    {
        Workspace ws;
        ws.rootDir = root;
        ws.migrations.format = QStringLiteral("paritydeck");
        auto set = MigrationSource::load(ws);
        auto params = ConnectionParams::fromUrl(
            m_server.url(QStringLiteral("%1_%2").arg(env).arg(m_workspaces)));
        if (!set || !params)
            return false;
        ApplyOptions options;
        options.environment = env;
        options.targetVersion = version;
        return MigrationRunner::apply(*params, *set, options).ok();
    }

    QString headOf(const QString &env)
    {
        const auto rows = m_server.exec(
            QStringLiteral(
                "SELECT coalesce(max(version), 'none') FROM paritydeck.schema_migrations "
                "WHERE success"),
            QStringLiteral("%1_%2").arg(env).arg(m_workspaces));
        return rows ? rows->value(0, 0) : QStringLiteral("none");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_state.isValid() && m_cache.isValid());
        const auto started = m_server.start();
        QVERIFY2(started.ok(), started ? "" : qPrintable(started.error().message));
    }

    void dryRunPrintsTheGatesAndThePlanAndChangesNothing()
    {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir);
        QVERIFY(!ws.isEmpty());
        QVERIFY(applyUpTo(ws, QStringLiteral("dev"), QStringLiteral("0002")));
        QVERIFY(applyUpTo(ws, QStringLiteral("staging"), QStringLiteral("0001")));

        const Run text = run(ws, {QStringLiteral("promote"), QStringLiteral("staging"),
                                  QStringLiteral("--dry-run")});
        QVERIFY2(text.exitCode == 0, qPrintable(text.out + text.err));
        QVERIFY2(text.out.contains(
                     QStringLiteral("promote staging ← dev (staging at 0001, dev at 0002)")),
                 qPrintable(text.out));
        for (const QString &gate :
             {QStringLiteral("upstream-at-head"), QStringLiteral("upstream-drift"),
              QStringLiteral("target-drift"), QStringLiteral("target-history"),
              QStringLiteral("parity")})
            QVERIFY2(text.out.contains(QStringLiteral("  pass ") + gate + QLatin1Char(':')),
                     qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("plan: 1 migration from dev\n  0002 index\n")),
                 qPrintable(text.out));
        QCOMPARE(headOf(QStringLiteral("staging")), QStringLiteral("0001"));

        const Run json = run(ws, {QStringLiteral("promote"), QStringLiteral("staging"),
                                  QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject o = json.json();
        QCOMPARE(o.value(QStringLiteral("environment")).toString(), QStringLiteral("staging"));
        QCOMPARE(o.value(QStringLiteral("upstream")).toString(), QStringLiteral("dev"));
        QCOMPARE(o.value(QStringLiteral("upstream_head")).toString(), QStringLiteral("0002"));
        QCOMPARE(o.value(QStringLiteral("target_head")).toString(), QStringLiteral("0001"));
        QCOMPARE(o.value(QStringLiteral("gates_passed")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("dry_run")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("refused")).toBool(), false);
        QCOMPARE(o.value(QStringLiteral("gates")).toArray().size(), 5);
        const QJsonArray migrations = o.value(QStringLiteral("migrations")).toArray();
        QCOMPARE(migrations.size(), 1);
        QCOMPARE(migrations.first().toObject().value(QStringLiteral("version")).toString(),
                 QStringLiteral("0002"));
        QVERIFY(o.value(QStringLiteral("applied")).toArray().isEmpty());
        QCOMPARE(headOf(QStringLiteral("staging")), QStringLiteral("0001"));
    }

    void promotesAndAuditsThenHasNothingToDo()
    {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir);
        QVERIFY(!ws.isEmpty());
        QVERIFY(applyUpTo(ws, QStringLiteral("dev"), QStringLiteral("0002")));

        const Run promoted = run(
            ws, {QStringLiteral("promote"), QStringLiteral("staging"), QStringLiteral("--json")});
        QVERIFY2(promoted.exitCode == 0, qPrintable(promoted.out + promoted.err));
        const QJsonArray applied = promoted.json().value(QStringLiteral("applied")).toArray();
        QCOMPARE(applied.size(), 2);
        QCOMPARE(applied.at(1).toObject().value(QStringLiteral("version")).toString(),
                 QStringLiteral("0002"));
        QCOMPARE(headOf(QStringLiteral("staging")), QStringLiteral("0002"));

        const Run again = run(ws, {QStringLiteral("promote"), QStringLiteral("staging")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.out + again.err));
        QVERIFY2(again.out.contains(QStringLiteral("plan: nothing to promote")),
                 qPrintable(again.out));

        const Run audit =
            run(ws, {QStringLiteral("audit"), QStringLiteral("--action"), QStringLiteral("promote"),
                     QStringLiteral("--env"), QStringLiteral("staging"), QStringLiteral("--json")});
        QCOMPARE(audit.exitCode, 0);
        const QJsonArray entries = QJsonDocument::fromJson(audit.out.toUtf8()).array();
        QStringList outcomes;
        for (const QJsonValue &entry : entries)
            outcomes.append(entry.toObject().value(QStringLiteral("outcome")).toString());
        QVERIFY2(outcomes.size() >= 3 &&
                     outcomes.mid(outcomes.size() - 3) ==
                         (QStringList{QStringLiteral("started"), QStringLiteral("ok"),
                                      QStringLiteral("ok")}),
                 qPrintable(outcomes.join(u',')));
    }

    void aFailingGateExitsOneAndRunsNothing()
    {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir);
        QVERIFY(!ws.isEmpty());
        QVERIFY(applyUpTo(ws, QStringLiteral("dev"), QStringLiteral("0002")));
        QVERIFY(applyUpTo(ws, QStringLiteral("staging"), QStringLiteral("0001")));
        QVERIFY(m_server
                    .exec(QStringLiteral("ALTER TABLE users ADD COLUMN hotfix text"),
                          QStringLiteral("staging_%1").arg(m_workspaces))
                    .ok());

        const Run text = run(ws, {QStringLiteral("promote"), QStringLiteral("staging")});
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(text.out.contains(QStringLiteral("  FAIL target-drift: staging has drifted")),
                 qPrintable(text.out));
        QVERIFY2(text.err.contains(
                     QStringLiteral("staging was not promoted, nothing ran: target-drift: ")),
                 qPrintable(text.err));
        QCOMPARE(headOf(QStringLiteral("staging")), QStringLiteral("0001"));

        const Run json = run(
            ws, {QStringLiteral("promote"), QStringLiteral("staging"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 1);
        QCOMPARE(json.json().value(QStringLiteral("refused")).toBool(), true);
        QCOMPARE(json.json().value(QStringLiteral("gates_passed")).toBool(), false);
        // The dry run of a refused promotion says so too.
        QCOMPARE(run(ws, {QStringLiteral("promote"), QStringLiteral("staging"),
                          QStringLiteral("--dry-run")})
                     .exitCode,
                 1);
    }

    void aProtectedTargetNeedsConfirm()
    {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir);
        QVERIFY(!ws.isEmpty());
        QVERIFY(applyUpTo(ws, QStringLiteral("dev"), QStringLiteral("0001")));
        QVERIFY(applyUpTo(ws, QStringLiteral("staging"), QStringLiteral("0001")));

        const Run refused = run(ws, {QStringLiteral("promote"), QStringLiteral("prod")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QStringLiteral("--confirm prod")), qPrintable(refused.err));
        QCOMPARE(headOf(QStringLiteral("prod")), QStringLiteral("none"));

        const Run confirmed = run(ws, {QStringLiteral("promote"), QStringLiteral("prod"),
                                       QStringLiteral("--confirm"), QStringLiteral("prod")});
        QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.out + confirmed.err));
        QCOMPARE(headOf(QStringLiteral("prod")), QStringLiteral("0001"));
    }

    void aFailingMigrationExitsThree()
    {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir);
        QVERIFY(!ws.isEmpty());
        QVERIFY(applyUpTo(ws, QStringLiteral("dev"), QStringLiteral("0003")));
        QVERIFY(applyUpTo(ws, QStringLiteral("staging"), QStringLiteral("0002")));
        // Data, not schema: no gate sees it, and 0003's INSERT fails on it.
        QVERIFY(m_server
                    .exec(QStringLiteral("INSERT INTO users VALUES (1, 'someone@example.org')"),
                          QStringLiteral("staging_%1").arg(m_workspaces))
                    .ok());
        const Run failed = run(ws, {QStringLiteral("promote"), QStringLiteral("staging")});
        QVERIFY2(failed.exitCode == 3,
                 qPrintable(QString::number(failed.exitCode) + failed.out + failed.err));
        QCOMPARE(headOf(QStringLiteral("staging")), QStringLiteral("0002"));
    }

    void ctrlCCancelsTheRunningMigrationAndExitsThree()
    {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir);
        QVERIFY(!ws.isEmpty());
        QVERIFY(
            writeFile(ws + QStringLiteral("/migrations/0004_slow.sql"), "SELECT pg_sleep(4);\n"));
        QVERIFY(writeFile(ws + QStringLiteral("/migrations/0005_after.sql"),
                          "CREATE TABLE after_sleep (id int);\n"));
        QVERIFY(applyUpTo(ws, QStringLiteral("dev"), QStringLiteral("0005")));
        QVERIFY(applyUpTo(ws, QStringLiteral("staging"), QStringLiteral("0003")));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_state.path());
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache.path());
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(PD_BINARY_PATH),
                      {QStringLiteral("--workspace"), ws, QStringLiteral("promote"),
                       QStringLiteral("staging")});
        QVERIFY(process.waitForStarted(10000));
        // Ctrl-C while 0004 runs on staging.
        const QString staging = QStringLiteral("staging_%1").arg(m_workspaces);
        const auto sleeping = [&] {
            const auto rows = m_server.exec(
                QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' "
                               "AND query LIKE 'SELECT pg_sleep(4)%%'")
                    .arg(staging));
            return rows && rows->value(0, 0) == QLatin1String("1");
        };
        QTRY_VERIFY_WITH_TIMEOUT(sleeping(), 60000);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 3, qPrintable(out + err));
        // The running migration is cancelled in its statement and rolled back (it used to
        // finish first); what applied before it stays, the rest stays pending.
        QVERIFY2(err.contains(QStringLiteral("migration 0004 was cancelled at")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("the remaining migrations stay pending")),
                 qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("ParityDeck received SIGINT")), qPrintable(err));
        QCOMPARE(headOf(QStringLiteral("staging")), QStringLiteral("0003"));
    }

    void configAndUsageErrorsExitTwo()
    {
        QTemporaryDir dir;
        const QString ws = makeWorkspace(dir);
        QVERIFY(!ws.isEmpty());
        const Run noUpstream = run(ws, {QStringLiteral("promote"), QStringLiteral("dev")});
        QCOMPARE(noUpstream.exitCode, 2);
        QVERIFY2(noUpstream.err.contains(QStringLiteral("environments.dev.promotes_from")),
                 qPrintable(noUpstream.err));
        QCOMPARE(run(ws, {QStringLiteral("promote"), QStringLiteral("qa")}).exitCode, 2);
        QCOMPARE(run(ws, {QStringLiteral("promote")}).exitCode, 2);
        QCOMPARE(run(ws, {QStringLiteral("promote"), QStringLiteral("staging"),
                          QStringLiteral("--bogus")})
                     .exitCode,
                 2);

        QTemporaryDir broken;
        QVERIFY(writeFile(broken.filePath(QStringLiteral("paritydeck.yaml")),
                          "version: 1\nproject: p\nenvironments:\n  dev:\n    promotes_from: dev\n"
                          "    database: { url: postgresql://a@127.0.0.1/d }\n"));
        const Run config = run(broken.path(), {QStringLiteral("promote"), QStringLiteral("dev")});
        QCOMPARE(config.exitCode, 2);
        QVERIFY2(config.err.contains(QStringLiteral(
                     "paritydeck.yaml:5:20: environment 'dev' is promoted from itself")),
                 qPrintable(config.err));
    }
};

QTEST_GUILESS_MAIN(TestPromoteCli)
#include "tst_promotecli.moc"
