// The paritydeck binary as scripts and CI use it: exit codes, JSON, secrets through the
// real keyring, and no password in any output, log file or process command line.
#include "hangingserver.h"
#include "pgcluster.h"
#include "refusingport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using pd::test::PgCluster;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

class TestCli final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_state; // XDG_STATE_HOME of the child: its log file lands here
    QTemporaryDir m_cache; // XDG_CACHE_HOME of the child: expected-schema cache of `drift`
    QString m_service =
        QStringLiteral("paritydeck-test-") + QUuid::createUuid().toString(QUuid::Id128).left(12);

    QProcessEnvironment childEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_state.path());
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache.path());
        return env;
    }

    Run run(const QStringList &args, const QByteArray &stdinData = {},
            const QString &workingDir = {}) const
    {
        QProcess process;
        process.setProcessEnvironment(childEnvironment());
        if (!workingDir.isEmpty())
            process.setWorkingDirectory(workingDir);
        process.start(QStringLiteral(PD_BINARY_PATH), args);
        if (!process.waitForStarted(10000))
            return {};
        process.write(stdinData);
        process.closeWriteChannel();
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    static QString writeWorkspace(const QTemporaryDir &dir, const QString &yaml)
    {
        const QString path = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(yaml.toUtf8());
        return path;
    }

    // A workspace in `dir` whose one migration creates `users`, with `environments` (YAML
    // under environments:). Empty when it cannot be written.
    static QString writeWorkspaceWithOneMigration(const QTemporaryDir &dir,
                                                  const QString &environments)
    {
        if (!QDir(dir.path()).mkpath(QStringLiteral("migrations")))
            return {};
        QFile migration(dir.filePath(QStringLiteral("migrations/0001_create_users.sql")));
        if (!migration.open(QIODevice::WriteOnly))
            return {};
        migration.write("CREATE TABLE users (id bigint PRIMARY KEY);\n");
        migration.close();
        return writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nmigrations: { dir: migrations, format: "
                                "paritydeck }\nenvironments:\n") +
                     environments);
    }

    QString logContents() const
    {
        QFile log(m_state.filePath(QStringLiteral("paritydeck/paritydeck.log")));
        return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
    }

    static bool haveKeyring() { return !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"); }

    // What a terminal would act on instead of showing: ESC, BEL, CR and the right-to-left
    // override. Text output must hold none of them (docs/user-guide.md, "Output").
    static QString firstTerminalControl(const Run &r)
    {
        for (const QString &text : {r.out, r.err}) {
            for (const QChar c : text) {
                if (c == QChar(0x1b) || c == QChar(0x07) || c == QChar(0x0d) || c == QChar(0x202e))
                    return QStringLiteral("U+%1 in:\n")
                               .arg(uint(c.unicode()), 4, 16, QLatin1Char('0')) +
                           r.out + r.err;
            }
        }
        return {};
    }

private Q_SLOTS:
    void helpAndVersion()
    {
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("Usage: paritydeck")));
        QVERIFY(help.out.contains(QStringLiteral("status")));
        const Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QStringLiteral("paritydeck ")));
        const Run statusHelp = run({QStringLiteral("status"), QStringLiteral("--help")});
        QCOMPARE(statusHelp.exitCode, 0);
        QVERIFY(statusHelp.out.contains(QStringLiteral("--json")));
    }

    void unknownCommandIsAUsageError()
    {
        const Run r = run({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("unknown command 'frobnicate'")));
        const Run bad = run({QStringLiteral("status"), QStringLiteral("--bogus")});
        QCOMPARE(bad.exitCode, 2);
        // An option before the command is not silently dropped.
        const Run early = run({QStringLiteral("--json"), QStringLiteral("status")});
        QCOMPARE(early.exitCode, 2);
        QVERIFY2(early.err.contains(QStringLiteral("unknown option '--json'")),
                 qPrintable(early.err));
        // Qt's own GUI options and their values are not commands.
        const Run qtOption = run({QStringLiteral("-platform"), QStringLiteral("offscreen"),
                                  QStringLiteral("--version")});
        QCOMPARE(qtOption.exitCode, 0);
    }

    void configErrorExitsTwoWithFileLineColumn()
    {
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: x\nenvironments:\n  dev:\n    databse:\n     "
                                " url: postgresql://a@127.0.0.1/x\n"));
        const Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("status")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path + QStringLiteral(":5:5: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("databse")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("database")), qPrintable(r.err)); // the suggestion
    }

    // Issue 16, item 7: what libpq would reject or reinterpret later is a config error
    // at load time, with its column, not a runtime failure when connecting.
    void badDatabaseUrlExitsTwoWithItsColumn()
    {
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: x\nenvironments:\n  dev:\n    database:\n"
                                "      url: postgresql://a@db1:5432,db2:5433/x\n"));
        const Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("migrate"),
                           QStringLiteral("status"), QStringLiteral("dev")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path + QStringLiteral(":6:35: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("several hosts")), qPrintable(r.err));
    }

    // A branch name with a line break would reach the audit log, the terminal and a
    // vendor's command line as two lines.
    void branchNamesWithControlCharactersAreRefused()
    {
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: x\nenvironments:\n  dev:\n    database:\n"
                                "      url: postgresql://a@127.0.0.1:1/x\n"
                                "    branches: { database: template }\n"));
        for (const QString &name : {QStringLiteral("feat\nx"), QStringLiteral("feat\rx"),
                                    QStringLiteral("feat\x1b[2Jx")}) {
            const Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("branch"),
                               QStringLiteral("create"), name});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("control character")), qPrintable(r.err));
            QVERIFY2(!r.err.contains(name), qPrintable(r.err));
        }
        const Run from = run({QStringLiteral("--workspace"), path, QStringLiteral("branch"),
                              QStringLiteral("create"), QStringLiteral("ok"),
                              QStringLiteral("--from"), QStringLiteral("a\tb")});
        QCOMPARE(from.exitCode, 2);
        QVERIFY2(from.err.contains(
                     QStringLiteral("parent branch name contains the control character U+0009")),
                 qPrintable(from.err));
    }

    // A database name and a server's message about it reach `status` as table cells:
    // shown escaped, so they cannot retitle the window, clear the screen or overwrite a line.
    void statusShowsHostileDatabaseNamesEscaped()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        const QString hostile = QStringLiteral("esc\x1b]0;pwned\x07\x1b[2J\rdb");
        QVERIFY(cluster.createDatabase(hostile).ok());
        const QString missing = QStringLiteral("gone\x1b[31m\rx");
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nenvironments:\n"
                                "  dev:\n    database:\n      url: %1\n      connect_timeout: 5\n"
                                "  down:\n    database:\n      url: %2\n      connect_timeout: 5\n")
                     .arg(cluster.url(hostile), cluster.url(missing)));
        const Run status = run({QStringLiteral("--workspace"), path, QStringLiteral("status")});
        QVERIFY2(status.exitCode == 1, qPrintable(status.out + status.err));
        const QString control = firstTerminalControl(status);
        QVERIFY2(control.isEmpty(), qPrintable(control));
        QVERIFY2(status.out.contains(QStringLiteral("esc\\x1b]0;pwned\\x07\\x1b[2J\\rdb")),
                 qPrintable(status.out));
        QVERIFY2(status.out.contains(QStringLiteral("gone\\x1b[31m\\rx")), qPrintable(status.out));
        // One header and one line per environment: no name adds a row.
        QCOMPARE(status.out.count(QLatin1Char('\n')) -
                     (status.out.contains(QStringLiteral("\nNot in order: ")) ? 1 : 0),
                 3);

        // The JSON report keeps the exact name: its encoder escapes it.
        const Run json = run({QStringLiteral("--workspace"), path, QStringLiteral("status"),
                              QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8())
                     .object()
                     .value(QStringLiteral("environments"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("database"))
                     .toString(),
                 hostile);
    }

    // A config error quotes what the file holds, and YAML escapes let it hold anything.
    void configErrorShowsControlCharactersEscaped()
    {
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: x\nenvironments:\n  \"ev\\e]0;pwned\\ail\":\n"
                                "    database:\n      url: postgresql://a@127.0.0.1/x\n"));
        const Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("status")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path + QStringLiteral(":4:3: ")), qPrintable(r.err));
        const QString control = firstTerminalControl(r);
        QVERIFY2(control.isEmpty(), qPrintable(control));
        QVERIFY2(r.err.contains(QStringLiteral("ev\\x1b]0;pwned\\x07il")), qPrintable(r.err));
    }

    // The text of `diff` is for reading: names with ESC or U+202E are shown escaped there,
    // the SQL section included, with a line saying where the exact statements are. The SQL
    // of `--format sql` is for psql: the same bytes, quoted, and they make the same name.
    void diffTextEscapesNamesWhileSqlKeepsTheirBytes()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("a")).ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("b")).ok());
        const QString table =
            QStringLiteral("esc\x1b[31mRED") + QChar(0x202e) + QStringLiteral("\x1b]0;pwned\x07");
        const QString quotedTable = QLatin1Char('"') + table + QLatin1Char('"');
        QVERIFY(cluster
                    .exec(QStringLiteral("CREATE TABLE public.%1 (col int); COMMENT ON COLUMN "
                                         "public.%1.col IS E'col\\rcomment\\x1b[2J'")
                              .arg(quotedTable),
                          QStringLiteral("b"))
                    .ok());
        // A line break in a name must not give the name a line of its own in the SQL shown.
        const QString forged = QStringLiteral("forged\nDROP TABLE important; --");
        QVERIFY(cluster
                    .exec(QStringLiteral("CREATE TABLE public.\"%1\" (id int)").arg(forged),
                          QStringLiteral("b"))
                    .ok());
        const QString a = cluster.url(QStringLiteral("a"));
        const QString b = cluster.url(QStringLiteral("b"));

        const Run text = run({QStringLiteral("diff"), a, b});
        QVERIFY2(text.exitCode == 1, qPrintable(text.out + text.err));
        const QString control = firstTerminalControl(text);
        QVERIFY2(control.isEmpty(), qPrintable(control));
        QVERIFY2(text.out.contains(QStringLiteral("esc\\x1b[31mRED\\u202e\\x1b]0;pwned\\x07")),
                 qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("col\\rcomment\\x1b[2J")), qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("--format sql prints the exact statements")),
                 qPrintable(text.out));
        QVERIFY2(!text.out.contains(QStringLiteral("\nDROP TABLE important")),
                 qPrintable(text.out));
        QVERIFY2(text.out.contains(QStringLiteral("forged\\nDROP TABLE important")),
                 qPrintable(text.out));

        const Run sql =
            run({QStringLiteral("diff"), a, b, QStringLiteral("--format"), QStringLiteral("sql")});
        QVERIFY2(sql.exitCode == 1, qPrintable(sql.out + sql.err));
        QVERIFY2(sql.out.contains(quotedTable), qPrintable(sql.out));
        QVERIFY2(sql.out.contains(QLatin1Char('"') + forged + QLatin1Char('"')),
                 qPrintable(sql.out));
        QVERIFY2(sql.out.contains(QStringLiteral("col\rcomment\x1b[2J")), qPrintable(sql.out));

        // Applied with psql, the script makes the exact name (and comment) in a.
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("a-to-b.sql"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(sql.out.toUtf8());
        file.close();
        QProcess psql;
        psql.start(PgCluster::clientBinDir() + QStringLiteral("/psql"),
                   {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
                    QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), a,
                    QStringLiteral("-f"), script});
        QVERIFY(psql.waitForFinished(30000));
        QVERIFY2(psql.exitCode() == 0, psql.readAllStandardError().constData());
        const auto made =
            cluster.exec(QStringLiteral("SELECT c.relname, col_description(c.oid, 1) FROM "
                                        "pg_class c WHERE c.relname LIKE 'esc%' "
                                        "AND c.relkind = 'r'"),
                         QStringLiteral("a"));
        QVERIFY(made.ok());
        QCOMPARE(made->rowCount(), 1);
        QCOMPARE(made->value(0, 0), table);
        QCOMPARE(made->value(0, 1), QStringLiteral("col\rcomment\x1b[2J"));
        QCOMPARE(cluster
                     .exec(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = '%1'")
                               .arg(forged),
                           QStringLiteral("a"))
                     ->value(0, 0),
                 QStringLiteral("1"));
        const Run again = run({QStringLiteral("diff"), a, b});
        QVERIFY2(again.exitCode == 0, qPrintable(again.out + again.err));
    }

    void noWorkspaceFoundIsAConfigError()
    {
        QTemporaryDir empty;
        const Run r = run({QStringLiteral("status")}, {}, empty.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("paritydeck.yaml")), qPrintable(r.err));
    }

    void statusExitCodesAndJsonFollowTheServers()
    {
        PgCluster dev, prod;
        QVERIFY(dev.start().ok());
        QVERIFY(prod.start().ok());
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nenvironments:\n"
                                "  dev:\n    database:\n      url: %1\n      connect_timeout: 2\n"
                                "  prod:\n    protection: confirm\n    database:\n      url: %2\n  "
                                "    connect_timeout: 2\n")
                     .arg(dev.url(), prod.url()));
        // Found by walking up from a nested folder, without --workspace.
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("src/deep")));
        const Run allUp =
            run({QStringLiteral("status")}, {}, dir.filePath(QStringLiteral("src/deep")));
        QCOMPARE(allUp.exitCode, 0);
        QVERIFY2(QRegularExpression(QStringLiteral("^dev\\s+none\\s+up\\s+postgres\\s+-\\s+15\\."),
                                    QRegularExpression::MultilineOption)
                     .match(allUp.out)
                     .hasMatch(),
                 qPrintable(allUp.out));
        QVERIFY2(QRegularExpression(QStringLiteral("^prod\\s+confirm\\s+up"),
                                    QRegularExpression::MultilineOption)
                     .match(allUp.out)
                     .hasMatch(),
                 qPrintable(allUp.out));

        QVERIFY(prod.stop().ok());
        const Run oneDown = run({QStringLiteral("--workspace"), dir.path(),
                                 QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(oneDown.exitCode, 1);
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(oneDown.out.toUtf8(), &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(oneDown.out));
        const QJsonObject root = doc.object();
        QCOMPARE(root.value(QStringLiteral("project")).toString(), QStringLiteral("cli"));
        QCOMPARE(root.value(QStringLiteral("state")).toString(), QStringLiteral("down"));
        const QJsonArray envs = root.value(QStringLiteral("environments")).toArray();
        QCOMPARE(envs.size(), 2);
        QCOMPARE(envs.at(0).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("dev"));
        QCOMPARE(envs.at(0).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("up"));
        QVERIFY(envs.at(0).toObject().value(QStringLiteral("database_size_bytes")).toDouble() > 0);
        const QJsonObject prodJson = envs.at(1).toObject();
        QCOMPARE(prodJson.value(QStringLiteral("state")).toString(), QStringLiteral("down"));
        QCOMPARE(prodJson.value(QStringLiteral("protection")).toString(),
                 QStringLiteral("confirm"));
        QVERIFY(prodJson.value(QStringLiteral("reason"))
                    .toString()
                    .contains(QStringLiteral("connection refused")));
        QVERIFY(prodJson.value(QStringLiteral("server_version")).isNull());
    }

    // `status` says per environment: state, schema head, pending count and drift with its
    // age; the exit code is 0 only when all are up and nothing needs attention.
    void statusReportsSchemaHeadPendingAndDrift()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        auto writeMigration = [&dir](const QString &name, const QByteArray &sql) {
            QFile f(dir.filePath(QStringLiteral("migrations/") + name));
            return f.open(QIODevice::WriteOnly) && f.write(sql) == sql.size();
        };
        QVERIFY(writeMigration(QStringLiteral("0001_create_users.sql"),
                               "CREATE TABLE users (id bigint PRIMARY KEY);\n"));
        QVERIFY(writeMigration(QStringLiteral("0002_add_name.sql"),
                               "ALTER TABLE users ADD COLUMN name text;\n"));
        const QString path =
            writeWorkspace(dir, QStringLiteral("version: 1\nproject: cli\nmigrations: { dir: "
                                               "migrations, format: paritydeck }\nenvironments:\n"
                                               "  dev:\n    database:\n      url: %1\n")
                                    .arg(cluster.url(QStringLiteral("app"))));
        const QStringList ws{QStringLiteral("--workspace"), path};
        QCOMPARE(run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                      QStringLiteral("dev"), QStringLiteral("--to"),
                                      QStringLiteral("0001")})
                     .exitCode,
                 0);
        // Someone adds an index by hand.
        QVERIFY(cluster
                    .exec(QStringLiteral("CREATE INDEX users_hotfix_idx ON users (id)"),
                          QStringLiteral("app"))
                    .ok());

        auto statusJson = [&](const QStringList &extra, int *exitCode) {
            const Run r =
                run(ws + QStringList{QStringLiteral("status"), QStringLiteral("--json")} + extra);
            *exitCode = r.exitCode;
            return QJsonDocument::fromJson(r.out.toUtf8()).object();
        };
        int exitCode = -1;
        QJsonObject root = statusJson({}, &exitCode);
        QCOMPARE(exitCode, 1);
        QCOMPARE(root.value(QStringLiteral("state")).toString(), QStringLiteral("attention"));
        QJsonObject dev = root.value(QStringLiteral("environments")).toArray().at(0).toObject();
        QCOMPARE(dev.value(QStringLiteral("state")).toString(), QStringLiteral("up"));
        QCOMPARE(dev.value(QStringLiteral("needs_attention")).toBool(), true);
        QJsonObject schema = dev.value(QStringLiteral("schema")).toObject();
        QCOMPARE(schema.value(QStringLiteral("head")).toString(), QStringLiteral("0001"));
        QCOMPARE(schema.value(QStringLiteral("pending")).toInt(), 1);
        QJsonObject drift = dev.value(QStringLiteral("drift")).toObject();
        QCOMPARE(drift.value(QStringLiteral("state")).toString(), QStringLiteral("drifted"));
        QCOMPARE(drift.value(QStringLiteral("objects")).toInt(), 1);
        QCOMPARE(drift.value(QStringLiteral("source")).toString(), QStringLiteral("computed"));
        QVERIFY(!drift.value(QStringLiteral("checked_at")).toString().isEmpty());
        // Most urgent first: the drift before the pending migration.
        const QJsonArray attention = dev.value(QStringLiteral("attention")).toArray();
        QCOMPARE(attention.size(), 2);
        QCOMPARE(attention.at(0).toObject().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("drift"));
        QCOMPARE(attention.at(1).toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("1 pending migration"));

        // A second look within drift_interval, nothing changed: the recorded check is used.
        root = statusJson({}, &exitCode);
        dev = root.value(QStringLiteral("environments")).toArray().at(0).toObject();
        QCOMPARE(dev.value(QStringLiteral("drift"))
                     .toObject()
                     .value(QStringLiteral("source"))
                     .toString(),
                 QStringLiteral("record"));
        QCOMPARE(
            dev.value(QStringLiteral("drift")).toObject().value(QStringLiteral("objects")).toInt(),
            1);

        // The hand-made index goes and the pending migration is applied: the record no longer
        // describes the database (head and digest changed), so drift is computed again.
        QVERIFY(cluster.exec(QStringLiteral("DROP INDEX users_hotfix_idx"), QStringLiteral("app"))
                    .ok());
        QCOMPARE(run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                      QStringLiteral("dev")})
                     .exitCode,
                 0);
        const Run text = run(ws + QStringList{QStringLiteral("status")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(
            QRegularExpression(
                QStringLiteral("^dev\\s+none\\s+up\\s+.*\\s0002\\s+0\\s+none \\(\\d+ s ago\\)"),
                QRegularExpression::MultilineOption)
                .match(text.out)
                .hasMatch(),
            qPrintable(text.out));

        // --no-drift: not looked at, reported as unknown.
        root = statusJson({QStringLiteral("--no-drift")}, &exitCode);
        QCOMPARE(exitCode, 0);
        dev = root.value(QStringLiteral("environments")).toArray().at(0).toObject();
        QCOMPARE(
            dev.value(QStringLiteral("drift")).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("unknown"));
        QVERIFY(
            dev.value(QStringLiteral("drift")).toObject().value(QStringLiteral("source")).isNull());
    }

    // A migration status that cannot be read (no rights on the history table, a migrations
    // folder the file names but that is missing) needs attention: exit 1 and the reason in
    // the text, not "up" with HEAD "-". A workspace without migrations stays in order.
    void statusNeedsAttentionWhenTheMigrationStatusCannotBeRead()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QTemporaryDir dir;
        const QString path = writeWorkspaceWithOneMigration(
            dir, QStringLiteral("  dev:\n    database:\n      url: %1\n")
                     .arg(cluster.url(QStringLiteral("app"))));
        QCOMPARE(run({QStringLiteral("--workspace"), path, QStringLiteral("migrate"),
                      QStringLiteral("apply"), QStringLiteral("dev")})
                     .exitCode,
                 0);
        QVERIFY(
            cluster.exec(QStringLiteral("CREATE ROLE reader LOGIN"), QStringLiteral("app")).ok());
        QVERIFY(writeWorkspace(
                    dir, QStringLiteral("version: 1\nproject: cli\nmigrations: { dir: "
                                        "migrations, format: paritydeck }\n"
                                        "environments:\n  dev:\n    database:\n"
                                        "      url: %1\n")
                             .arg(cluster.url(QStringLiteral("app"), QStringLiteral("reader"))))
                    .size() > 0);
        const QStringList ws{QStringLiteral("--workspace"), path};
        const Run text =
            run(ws + QStringList{QStringLiteral("status"), QStringLiteral("--no-drift")});
        QVERIFY2(text.exitCode == 1, qPrintable(text.out + text.err));
        QVERIFY2(text.out.contains(QStringLiteral("migration status unknown: ")) &&
                     text.out.contains(QStringLiteral("permission denied")),
                 qPrintable(text.out));
        // The STATUS column says it too, as the panel's card does.
        QVERIFY2(text.out.contains(QRegularExpression(QStringLiteral("\\ndev +none +attention "))),
                 qPrintable(text.out));
        const Run json =
            run(ws + QStringList{QStringLiteral("status"), QStringLiteral("--no-drift"),
                                 QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 1);
        const QJsonObject dev = QJsonDocument::fromJson(json.out.toUtf8())
                                    .object()
                                    .value(QStringLiteral("environments"))
                                    .toArray()
                                    .at(0)
                                    .toObject();
        QCOMPARE(dev.value(QStringLiteral("needs_attention")).toBool(), true);
        QCOMPARE(dev.value(QStringLiteral("attention"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("kind"))
                     .toString(),
                 QStringLiteral("unknown-migration-status"));

        // A misspelt folder: the same, naming the folder.
        QTemporaryDir typo;
        const QString typoPath = writeWorkspace(
            typo, QStringLiteral("version: 1\nproject: cli\nmigrations: { dir: db/migratoins }\n"
                                 "environments:\n  dev:\n    database:\n      url: %1\n")
                      .arg(cluster.url(QStringLiteral("app"))));
        const Run missing = run({QStringLiteral("--workspace"), typoPath, QStringLiteral("status"),
                                 QStringLiteral("--no-drift")});
        QVERIFY2(missing.exitCode == 1, qPrintable(missing.out + missing.err));
        QVERIFY2(missing.out.contains(QStringLiteral("migration status unknown: ")) &&
                     missing.out.contains(QStringLiteral("db/migratoins")),
                 qPrintable(missing.out));

        // No migrations.dir and no folder: a workspace that only watches, in order.
        QTemporaryDir plain;
        const QString plainPath = writeWorkspace(
            plain, QStringLiteral("version: 1\nproject: cli\nenvironments:\n  dev:\n    database:\n"
                                  "      url: %1\n")
                       .arg(cluster.url(QStringLiteral("app"))));
        const Run watching =
            run({QStringLiteral("--workspace"), plainPath, QStringLiteral("status")});
        QVERIFY2(watching.exitCode == 0, qPrintable(watching.out + watching.err));
    }

    // A secret under `secrets:` that cannot be read needs attention like an unreadable
    // database password: named with its reference, its value never shown.
    void statusNeedsAttentionWhenASecretCannotBeRead()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nenvironments:\n  dev:\n    database:\n"
                                "      url: %1\n    secrets:\n      api: env:PD_TEST_API_TOKEN\n")
                     .arg(cluster.url(QStringLiteral("postgres"))));
        const QStringList ws{QStringLiteral("--workspace"), path};
        qunsetenv("PD_TEST_API_TOKEN");
        const Run unset = run(ws + QStringList{QStringLiteral("status")});
        QVERIFY2(unset.exitCode == 1, qPrintable(unset.out + unset.err));
        QVERIFY2(
            unset.out.contains(QStringLiteral("secret unreadable: api (env:PD_TEST_API_TOKEN)")),
            qPrintable(unset.out));
        const Run json = run(ws + QStringList{QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 1);
        QVERIFY2(json.out.contains(QStringLiteral("\"unreadable-secret\"")), qPrintable(json.out));

        const QByteArray value = "Api-Canary-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        qputenv("PD_TEST_API_TOKEN", value);
        const Run set = run(ws + QStringList{QStringLiteral("status")});
        const Run setJson =
            run(ws + QStringList{QStringLiteral("status"), QStringLiteral("--json")});
        qunsetenv("PD_TEST_API_TOKEN");
        QVERIFY2(set.exitCode == 0, qPrintable(set.out + set.err));
        QCOMPARE(setJson.exitCode, 0);
        for (const Run &r : {unset, json, set, setJson}) {
            QVERIFY(!r.out.contains(QString::fromUtf8(value)));
            QVERIFY(!r.err.contains(QString::fromUtf8(value)));
        }
    }

    // An argument echoed in an error never shows a password it holds: a libpq connection
    // string given where an environment name was expected.
    void echoedArgumentsHaveTheirPasswordMasked()
    {
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nenvironments:\n  staging:\n"
                                "    database:\n      url: postgresql://a@127.0.0.1:1/x\n"));
        for (const QString &side :
             {QStringLiteral("host=127.0.0.1 port=1 user=app password=s3cr3t-Canary"),
              QStringLiteral("host=127.0.0.1 password='s3cr3t-Canary with space' user=app"),
              QStringLiteral("host=127.0.0.1 sslpassword=s3cr3t-Canary")}) {
            const Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("diff"), side,
                               QStringLiteral("staging")});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("no environment")), qPrintable(r.err));
            QVERIFY2(r.err.contains(QStringLiteral("host=127.0.0.1")), qPrintable(r.err));
            QVERIFY2(!r.err.contains(QStringLiteral("s3cr3t")) &&
                         !r.err.contains(QStringLiteral("Canary")),
                     qPrintable(r.err));
            QVERIFY(!r.out.contains(QStringLiteral("s3cr3t")));
        }
    }

    // parity.probes and parity.target through the binary: the exit code follows the
    // weighted score against the target; JSON carries the probe rows with their values,
    // secret ones only as whether the hashes match.
    void parityProbesDecideTheExitCodeByTheTarget()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QTemporaryDir dir;
        const auto workspace = [&](int target, int differingWeight) {
            return writeWorkspace(
                dir,
                QStringLiteral(
                    "version: 1\nproject: cli\nparity:\n  target: %1\n  probes:\n"
                    "    - { name: runtime, command: echo Python 3.11.4, weight: 18, gate: true }\n"
                    "    - { name: commit, command: 'echo c-{env}', weight: %2 }\n"
                    "    - { name: api token, command: 'echo cl1-t0ken-{env}', secret: true, "
                    "weight: 0 }\n"
                    "    - settings: [max_connections]\n"
                    "environments:\n"
                    "  dev:\n    database: { url: %3 }\n"
                    "  prod:\n    database: { url: %3 }\n")
                    .arg(target)
                    .arg(differingWeight)
                    .arg(cluster.url(QStringLiteral("app"))));
        };
        // runtime 18, commit 1, the settings row and server rows 1 each: one differing row
        // of weight 1 keeps the score above 90 %.
        QString path = workspace(90, 1);
        Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("parity"),
                     QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains(QStringLiteral("cl1-t0ken")), qPrintable(r.out));
        const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(root.value(QStringLiteral("target")).toInt(), 90);
        QCOMPARE(root.value(QStringLiteral("meets_target")).toBool(), true);
        const QJsonObject score = root.value(QStringLiteral("score")).toObject();
        QVERIFY(score.value(QStringLiteral("ratio")).toDouble() >= 0.9);
        QVERIFY(score.value(QStringLiteral("weight_total")).toInt() >
                score.value(QStringLiteral("total")).toInt());
        QMap<QString, QJsonObject> rows;
        for (const QJsonValue &row : root.value(QStringLiteral("rows")).toArray())
            rows.insert(row.toObject().value(QStringLiteral("label")).toString(), row.toObject());
        const QJsonObject runtime = rows.value(QStringLiteral("probe runtime"));
        QCOMPARE(runtime.value(QStringLiteral("kind")).toString(), QStringLiteral("probe"));
        QCOMPARE(runtime.value(QStringLiteral("weight")).toInt(), 18);
        QCOMPARE(runtime.value(QStringLiteral("gate")).toBool(), true);
        QCOMPARE(runtime.value(QStringLiteral("cells"))
                     .toObject()
                     .value(QStringLiteral("prod"))
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString(),
                 QStringLiteral("Python 3.11.4"));
        QCOMPARE(rows.value(QStringLiteral("probe commit"))
                     .value(QStringLiteral("cells"))
                     .toObject()
                     .value(QStringLiteral("dev"))
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString(),
                 QStringLiteral("c-dev"));
        const QJsonObject token = rows.value(QStringLiteral("probe api token"));
        QCOMPARE(token.value(QStringLiteral("secret")).toBool(), true);
        QCOMPARE(token.value(QStringLiteral("cells"))
                     .toObject()
                     .value(QStringLiteral("dev"))
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString(),
                 QStringLiteral("hash differs"));
        QVERIFY(rows.contains(QStringLiteral("setting max_connections")));

        // The differing row weighs more now: below the target, exit 1, and the text says so.
        path = workspace(90, 10);
        r = run({QStringLiteral("--workspace"), path, QStringLiteral("parity")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral(", target 90 %)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("probe runtime ×18 [gate]")), qPrintable(r.out));
        QVERIFY(!r.out.contains(QStringLiteral("cl1-t0ken")));
        // A bad probe is a config error naming file, line and column.
        writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nparity:\n  probes:\n    - { name: x }\n"
                                "environments:\n  dev:\n    database: { url: %1 }\n")
                     .arg(cluster.url(QStringLiteral("app"))));
        r = run({QStringLiteral("--workspace"), path, QStringLiteral("parity")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("paritydeck.yaml:5:7: missing 'command'")),
                 qPrintable(r.err));
    }

    // history: database through the binary: a migration applied by the CLI lands in
    // paritydeck.history of the environment's database.
    void migrateApplyWritesTheSharedHistory()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QTemporaryDir dir;
        const QString path = writeWorkspaceWithOneMigration(
            dir, QStringLiteral("  dev:\n    history: database\n    database:\n      url: %1\n")
                     .arg(cluster.url(QStringLiteral("app"))));
        QVERIFY(!path.isEmpty());
        const Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("migrate"),
                           QStringLiteral("apply"), QStringLiteral("dev")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.err.contains(QStringLiteral("warning")), qPrintable(r.err));
        const auto rows = cluster.exec(
            QStringLiteral("SELECT environment, kind, what, result, who FROM paritydeck.history"),
            QStringLiteral("app"));
        QVERIFY2(rows.ok(), rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows->rowCount(), 1);
        QCOMPARE(rows->value(0, 0), QStringLiteral("dev"));
        QCOMPARE(rows->value(0, 1), QStringLiteral("migration"));
        QCOMPARE(rows->value(0, 2), QStringLiteral("0001"));
        QCOMPARE(rows->value(0, 3), QStringLiteral("applied"));
        QVERIFY(rows->value(0, 4).contains(u'@'));
    }

    // A drift check that cannot be made is "error" with the reason, never "none": here no
    // unprotected server may hold the shadow database.
    void statusSaysDriftErrorWhenTheCheckFails()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QTemporaryDir dir;
        const QString path = writeWorkspaceWithOneMigration(
            dir, QStringLiteral("  prod:\n    protection: confirm\n    database:\n      url: %1\n")
                     .arg(cluster.url(QStringLiteral("app"))));
        QVERIFY(!path.isEmpty());
        const Run r = run({QStringLiteral("--workspace"), path, QStringLiteral("status"),
                           QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject prod = QJsonDocument::fromJson(r.out.toUtf8())
                                     .object()
                                     .value(QStringLiteral("environments"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
        const QJsonObject drift = prod.value(QStringLiteral("drift")).toObject();
        QCOMPARE(drift.value(QStringLiteral("state")).toString(), QStringLiteral("error"));
        QVERIFY2(!drift.value(QStringLiteral("reason")).toString().isEmpty(), qPrintable(r.out));
        QVERIFY(drift.value(QStringLiteral("objects")).isNull());
        QCOMPARE(prod.value(QStringLiteral("schema"))
                     .toObject()
                     .value(QStringLiteral("pending"))
                     .toInt(),
                 1);
    }

    void secretsGoThroughTheKeyringAndNeverLeak()
    {
        if (!haveKeyring())
            QSKIP("no D-Bus session: scripts/test provides one with an unlocked gnome-keyring");
        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        PgCluster cluster(options);
        QVERIFY(cluster.start().ok());
        const QString password =
            QStringLiteral("Keyring-Only-") + QUuid::createUuid().toString(QUuid::Id128);
        QVERIFY(cluster.createRole(QStringLiteral("app"), password).ok());

        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir,
            QStringLiteral("version: 1\nproject: cli\nenvironments:\n"
                           "  staging:\n    database:\n      url: %1\n      password: "
                           "keychain:%2/staging\n      connect_timeout: 2\n")
                .arg(cluster.url(QStringLiteral("postgres"), QStringLiteral("app")), m_service));
        const QStringList ws{QStringLiteral("--workspace"), path};

        // Before it is stored: status is an error naming the reference, get says missing.
        const Run missing = run(ws + QStringList{QStringLiteral("status")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.out.contains(QStringLiteral("keychain:%1/staging").arg(m_service)),
                 qPrintable(missing.out));
        const Run getMissing =
            run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("get"),
                                 QStringLiteral("staging"), QStringLiteral("password")});
        QCOMPARE(getMissing.exitCode, 1);

        const Run set = run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("set"),
                                             QStringLiteral("staging"), QStringLiteral("password")},
                            password.toUtf8() + "\n");
        QCOMPARE(set.exitCode, 0);
        const Run up = run(ws + QStringList{QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(up.exitCode, 0);
        const Run get =
            run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("get"),
                                 QStringLiteral("staging"), QStringLiteral("password")});
        QCOMPARE(get.exitCode, 0);
        QVERIFY(get.out.contains(QStringLiteral("present")));
        const Run getJson =
            run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("get"),
                                 QStringLiteral("staging"), QStringLiteral("password"),
                                 QStringLiteral("--json")});
        QCOMPARE(getJson.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(getJson.out.toUtf8())
                     .object()
                     .value(QStringLiteral("present"))
                     .toBool(),
                 true);
        const Run revealJson =
            run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("get"),
                                 QStringLiteral("staging"), QStringLiteral("password"),
                                 QStringLiteral("--json"), QStringLiteral("--reveal")});
        QCOMPARE(revealJson.exitCode, 2);
        const Run reveal =
            run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("get"),
                                 QStringLiteral("staging"), QStringLiteral("password"),
                                 QStringLiteral("--reveal")});
        QCOMPARE(reveal.exitCode, 0);
        QCOMPARE(reveal.out.trimmed(),
                 password); // the one place it may appear: asked for explicitly

        // A rotated server password: status turns into an auth error that does not show it.
        QVERIFY(
            cluster.exec(QStringLiteral("ALTER ROLE app PASSWORD 'rotated-elsewhere-123'")).ok());
        const Run denied = run(ws + QStringList{QStringLiteral("status")});
        QCOMPARE(denied.exitCode, 1);
        QVERIFY2(denied.out.contains(QStringLiteral("password authentication failed")),
                 qPrintable(denied.out));

        for (const Run &r : {missing, getMissing, set, up, get, getJson, revealJson, denied}) {
            QVERIFY(!r.out.contains(password));
            QVERIFY(!r.err.contains(password));
        }
        QVERIFY(!logContents().contains(password));

        const Run del =
            run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("delete"),
                                 QStringLiteral("staging"), QStringLiteral("password")});
        QCOMPARE(del.exitCode, 0);
        const Run gone =
            run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("get"),
                                 QStringLiteral("staging"), QStringLiteral("password")});
        QCOMPARE(gone.exitCode, 1);
    }

    void protectedSecretsNeedTheTypedNameBeforeTheKeyringIsAsked()
    {
        // Refusals come before the keyring is touched, so this runs without one.
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nenvironments:\n"
                                "  prod:\n    protection: confirm\n    database:\n      url: "
                                "postgresql://127.0.0.1:1/app\n"
                                "      password: keychain:%1/prod\n"
                                "  frozen:\n    protection: read-only\n    database:\n      url: "
                                "postgresql://127.0.0.1:1/app\n"
                                "      password: keychain:%1/frozen\n")
                     .arg(m_service));
        const QStringList ws{QStringLiteral("--workspace"), path};
        const auto secret = [&](const QStringList &args) {
            return run(ws + QStringList{QStringLiteral("secret")} + args,
                       QByteArray("never-stored\n"));
        };
        const Run set =
            secret({QStringLiteral("set"), QStringLiteral("prod"), QStringLiteral("password")});
        QCOMPARE(set.exitCode, 2);
        QVERIFY2(set.err.contains(QStringLiteral("prod is protected (protection: confirm)")) &&
                     set.err.contains(QStringLiteral("--confirm prod")),
                 qPrintable(set.err));
        const Run wrong =
            secret({QStringLiteral("delete"), QStringLiteral("prod"), QStringLiteral("password"),
                    QStringLiteral("--confirm"), QStringLiteral("frozen")});
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(wrong.err.contains(QStringLiteral("(\"frozen\" was typed)")),
                 qPrintable(wrong.err));
        const Run reveal = secret({QStringLiteral("get"), QStringLiteral("prod"),
                                   QStringLiteral("password"), QStringLiteral("--reveal")});
        QCOMPARE(reveal.exitCode, 2);
        QVERIFY2(reveal.err.contains(QStringLiteral("its secrets cannot be revealed")),
                 qPrintable(reveal.err));
        // Read-only: never changed, even with its name; revealing needs the name.
        const Run frozenSet =
            secret({QStringLiteral("set"), QStringLiteral("frozen"), QStringLiteral("password"),
                    QStringLiteral("--confirm"), QStringLiteral("frozen")});
        QCOMPARE(frozenSet.exitCode, 2);
        QVERIFY2(
            frozenSet.err.contains(QStringLiteral("frozen is read-only (protection: read-only)")),
            qPrintable(frozenSet.err));
        const Run frozenReveal = secret({QStringLiteral("get"), QStringLiteral("frozen"),
                                         QStringLiteral("password"), QStringLiteral("--reveal")});
        QCOMPARE(frozenReveal.exitCode, 2);
        const Run noValue = secret({QStringLiteral("get"), QStringLiteral("prod"),
                                    QStringLiteral("password"), QStringLiteral("--confirm")});
        QCOMPARE(noValue.exitCode, 2);
        QVERIFY2(noValue.err.contains(QStringLiteral("--confirm needs the environment's name")),
                 qPrintable(noValue.err));

        // Every refusal is audited with its workspace, never with a value.
        const Run audit = run({QStringLiteral("audit"), QStringLiteral("--json")});
        QCOMPARE(audit.exitCode, 0);
        int refusals = 0;
        for (const QJsonValue &v : QJsonDocument::fromJson(audit.out.toUtf8()).array()) {
            const QJsonObject o = v.toObject();
            if (!o.value(QStringLiteral("action"))
                     .toString()
                     .startsWith(QStringLiteral("secret-")) ||
                o.value(QStringLiteral("workspace")).toString() !=
                    QFileInfo(path).absoluteFilePath())
                continue;
            QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("refused"));
            ++refusals;
        }
        QCOMPARE(refusals, 5);
        QVERIFY(!logContents().contains(QStringLiteral("never-stored")));
    }

    void setRefusesNonKeychainReferencesAndEmptyInput()
    {
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir,
            QStringLiteral("version: 1\nproject: cli\nenvironments:\n"
                           "  dev:\n    database:\n      url: postgresql://app@127.0.0.1:1/app\n   "
                           "   password: env:DEV_DB_PASSWORD\n"));
        const Run r =
            run({QStringLiteral("--workspace"), path, QStringLiteral("secret"),
                 QStringLiteral("set"), QStringLiteral("dev"), QStringLiteral("password")},
                "value\n");
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("env:DEV_DB_PASSWORD")), qPrintable(r.err));
        const Run unknown =
            run({QStringLiteral("--workspace"), path, QStringLiteral("secret"),
                 QStringLiteral("get"), QStringLiteral("dev"), QStringLiteral("nope")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains(QStringLiteral("has no secret 'nope'")),
                 qPrintable(unknown.err));
    }

    void migrateStatusApplyAndProtection()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        auto writeMigration = [&dir](const QString &name, const QByteArray &sql) {
            QFile f(dir.filePath(QStringLiteral("migrations/") + name));
            return f.open(QIODevice::WriteOnly) && f.write(sql) == sql.size();
        };
        QVERIFY(
            writeMigration(QStringLiteral("0001_create_users.sql"),
                           "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"));
        QVERIFY(writeMigration(QStringLiteral("0002_add_name.sql"),
                               "ALTER TABLE users ADD COLUMN name text;\n"));
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: cli\nmigrations: { dir: migrations, format: "
                                "paritydeck }\nenvironments:\n"
                                "  prod:\n    protection: confirm\n    database:\n      url: %1\n")
                     .arg(cluster.url(QStringLiteral("app"))));
        const QStringList ws{QStringLiteral("--workspace"), path};

        const Run pending =
            run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("status"),
                                 QStringLiteral("prod"), QStringLiteral("--json")});
        QCOMPARE(pending.exitCode, 1);
        QVERIFY2(pending.out.contains(QStringLiteral("\"pending\"")), qPrintable(pending.out));

        // Protected without the typed name: refused before any statement, exit 2.
        const Run refused = run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                                 QStringLiteral("prod")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QStringLiteral("--confirm")), qPrintable(refused.err));
        QCOMPARE(cluster
                     .exec(QStringLiteral("SELECT to_regclass('public.users') IS NULL"),
                           QStringLiteral("app"))
                     .value()
                     .value(0, 0),
                 QStringLiteral("t"));
        const Run wrongName =
            run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                 QStringLiteral("prod"), QStringLiteral("--confirm"),
                                 QStringLiteral("staging")});
        QCOMPARE(wrongName.exitCode, 2);
        const Run audit =
            run({QStringLiteral("audit"), QStringLiteral("--env"), QStringLiteral("prod"),
                 QStringLiteral("--action"), QStringLiteral("migrate-apply")});
        QVERIFY2(audit.out.contains(QStringLiteral("refused")), qPrintable(audit.out));

        const Run dry = run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                             QStringLiteral("prod"), QStringLiteral("--dry-run")});
        QCOMPARE(dry.exitCode, 0);
        QVERIFY2(dry.out.contains(QStringLiteral("would apply migrations/0001_create_users.sql")),
                 qPrintable(dry.out));
        QCOMPARE(cluster
                     .exec(QStringLiteral("SELECT to_regclass('public.users') IS NULL"),
                           QStringLiteral("app"))
                     .value()
                     .value(0, 0),
                 QStringLiteral("t"));

        const Run applied =
            run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                 QStringLiteral("prod"), QStringLiteral("--confirm"),
                                 QStringLiteral("prod"), QStringLiteral("--to"),
                                 QStringLiteral("0001")});
        QCOMPARE(applied.exitCode, 0);
        QVERIFY2(applied.out.contains(QStringLiteral("applied migrations/0001_create_users.sql")),
                 qPrintable(applied.out));
        const Run onePending =
            run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("status"),
                                 QStringLiteral("prod")});
        QCOMPARE(onePending.exitCode, 1);
        QVERIFY2(onePending.out.contains(QStringLiteral("1 applied, 1 pending, head 0001")),
                 qPrintable(onePending.out));
        const Run rest = run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                              QStringLiteral("prod"), QStringLiteral("--confirm"),
                                              QStringLiteral("prod"), QStringLiteral("--json")});
        QCOMPARE(rest.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(rest.out.toUtf8())
                     .object()
                     .value(QStringLiteral("steps"))
                     .toArray()
                     .size(),
                 1);
        const Run upToDate =
            run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("status"),
                                 QStringLiteral("prod")});
        QCOMPARE(upToDate.exitCode, 0);
    }

    void startStopLogsAndAuditOfASupervisedService()
    {
        QTemporaryDir dir;
        const int port = [] {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            return int(probe.serverPort());
        }();
        const pd::test::RefusingPort noDatabase;
        const QString path = writeWorkspace(
            dir,
            QStringLiteral("version: 1\nproject: cli\nenvironments:\n"
                           "  dev:\n    database:\n      url: postgresql://app@127.0.0.1:%1/app\n  "
                           "    connect_timeout: 2\n"
                           "    services:\n      - name: web\n        run: python3 -u -m "
                           "http.server %2 --bind 127.0.0.1\n"
                           "        health: { tcp: 127.0.0.1:%2 }\n        start_timeout: 20\n")
                .arg(noDatabase.port())
                .arg(port));
        const QStringList ws{QStringLiteral("--workspace"), path};

        const Run started = run(ws + QStringList{QStringLiteral("start"), QStringLiteral("dev"),
                                                 QStringLiteral("web")});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        QVERIFY(started.out.contains(QStringLiteral("started dev/web")));
        // The service outlives the CLI process that started it.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY(socket.waitForConnected(5000));
        socket.disconnectFromHost();

        const Run status =
            run(ws + QStringList{QStringLiteral("status"), QStringLiteral("--json")});
        const QJsonObject dev = QJsonDocument::fromJson(status.out.toUtf8())
                                    .object()
                                    .value(QStringLiteral("environments"))
                                    .toArray()
                                    .at(0)
                                    .toObject();
        const QJsonArray services = dev.value(QStringLiteral("services")).toArray();
        QCOMPARE(services.size(), 1);
        QCOMPARE(services.at(0).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("up"));
        QCOMPARE(dev.value(QStringLiteral("state")).toString(),
                 QStringLiteral("down")); // its database is not there

        const Run logs = run(
            ws + QStringList{QStringLiteral("logs"), QStringLiteral("dev"), QStringLiteral("web")});
        QCOMPARE(logs.exitCode, 0);
        QVERIFY2(logs.out.contains(QStringLiteral("Serving HTTP")), qPrintable(logs.out));

        const Run stopped = run(
            ws + QStringList{QStringLiteral("stop"), QStringLiteral("dev"), QStringLiteral("web")});
        QCOMPARE(stopped.exitCode, 0);
        QTcpSocket after;
        after.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY(!after.waitForConnected(1000));

        const Run unknown = run(ws + QStringList{QStringLiteral("start"), QStringLiteral("dev"),
                                                 QStringLiteral("nope")});
        QCOMPARE(unknown.exitCode, 3);
        QVERIFY2(unknown.err.contains(QStringLiteral("web")),
                 qPrintable(unknown.err)); // names the known ones

        const Run audit = run({QStringLiteral("audit"), QStringLiteral("--env"),
                               QStringLiteral("dev"), QStringLiteral("--json")});
        QCOMPARE(audit.exitCode, 0);
        QStringList actions;
        for (const QJsonValue &v : QJsonDocument::fromJson(audit.out.toUtf8()).array())
            actions.append(v.toObject().value(QStringLiteral("action")).toString() +
                           QLatin1Char(':') +
                           v.toObject().value(QStringLiteral("outcome")).toString());
        QVERIFY2(actions.contains(QStringLiteral("start:ok")),
                 qPrintable(actions.join(QLatin1Char(' '))));
        QVERIFY2(actions.contains(QStringLiteral("stop:ok")),
                 qPrintable(actions.join(QLatin1Char(' '))));
    }

    void driftAndDiffShowAHandMadeChange()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        auto writeFile = [&dir](const QString &name, const QByteArray &text) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
        };
        QVERIFY(writeFile(QStringLiteral("migrations/0001_users.sql"),
                          "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"));
        QVERIFY(writeFile(QStringLiteral("migrations/0002_index.sql"),
                          "CREATE INDEX users_email_idx ON users (email);\n"));
        QVERIFY(writeFile(QStringLiteral("expected.sql"),
                          "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT "
                          "NULL);\nCREATE INDEX users_email_idx ON users (email);\n"));
        const QString path =
            writeWorkspace(dir, QStringLiteral("version: 1\nproject: cli\nmigrations: { dir: "
                                               "migrations, format: paritydeck }\nenvironments:\n"
                                               "  dev:\n    database:\n      url: %1\n")
                                    .arg(cluster.url(QStringLiteral("app"))));
        const QStringList ws{QStringLiteral("--workspace"), path};
        QCOMPARE(run(ws + QStringList{QStringLiteral("migrate"), QStringLiteral("apply"),
                                      QStringLiteral("dev")})
                     .exitCode,
                 0);

        const Run inSync = run(ws + QStringList{QStringLiteral("drift"), QStringLiteral("dev")});
        QCOMPARE(inSync.exitCode, 0);
        QVERIFY2(inSync.out.contains(QStringLiteral("in sync")),
                 qPrintable(inSync.out + inSync.err));

        QVERIFY(cluster
                    .exec(QStringLiteral("ALTER TABLE users ADD COLUMN hotfix_note text"),
                          QStringLiteral("app"))
                    .ok());
        const Run drift = run(ws + QStringList{QStringLiteral("drift"), QStringLiteral("dev")});
        QCOMPARE(drift.exitCode, 1);
        QVERIFY2(drift.out.contains(QStringLiteral("hotfix_note")), qPrintable(drift.out));
        // Reconciling live means dropping the column: destructive, so commented out by default.
        const Run dropSql =
            run(ws + QStringList{QStringLiteral("drift"), QStringLiteral("dev"),
                                 QStringLiteral("--format"), QStringLiteral("sql")});
        QCOMPARE(dropSql.exitCode, 1);
        QVERIFY2(QRegularExpression(QStringLiteral("^-- .*DROP COLUMN.*hotfix_note"),
                                    QRegularExpression::MultilineOption)
                     .match(dropSql.out)
                     .hasMatch(),
                 qPrintable(dropSql.out));
        const Run addSql =
            run(ws + QStringList{QStringLiteral("drift"), QStringLiteral("dev"),
                                 QStringLiteral("--format"), QStringLiteral("sql"),
                                 QStringLiteral("--reconcile"), QStringLiteral("migrations")});
        QVERIFY2(QRegularExpression(QStringLiteral("^ALTER TABLE .*ADD COLUMN .*hotfix_note"),
                                    QRegularExpression::MultilineOption)
                     .match(addSql.out)
                     .hasMatch(),
                 qPrintable(addSql.out));

        const Run same = run(
            ws + QStringList{QStringLiteral("diff"), QStringLiteral("dev"), QStringLiteral("dev")});
        QCOMPARE(same.exitCode, 0);
        const Run fromFile = run(ws + QStringList{QStringLiteral("diff"),
                                                  dir.filePath(QStringLiteral("expected.sql")),
                                                  QStringLiteral("dev"), QStringLiteral("--format"),
                                                  QStringLiteral("json")});
        QCOMPARE(fromFile.exitCode, 1);
        const QJsonObject json = QJsonDocument::fromJson(fromFile.out.toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("identical")).toBool(), false);
        QVERIFY2(
            json.value(QStringLiteral("sql")).toString().contains(QStringLiteral("hotfix_note")),
            qPrintable(fromFile.out));
        const Run vsMigrations =
            run(ws + QStringList{QStringLiteral("diff"), QStringLiteral("migrations:dev"),
                                 QStringLiteral("dev"), QStringLiteral("--format"),
                                 QStringLiteral("sql"), QStringLiteral("--unsafe")});
        QCOMPARE(vsMigrations.exitCode, 1);

        // Applying the reconciling SQL (unsafe: it drops the hand-made column) brings dev back in
        // sync.
        const Run unsafeSql =
            run(ws + QStringList{QStringLiteral("drift"), QStringLiteral("dev"),
                                 QStringLiteral("--format"), QStringLiteral("sql"),
                                 QStringLiteral("--unsafe")});
        QVERIFY(cluster.exec(unsafeSql.out, QStringLiteral("app")).ok());
        QCOMPARE(run(ws + QStringList{QStringLiteral("drift"), QStringLiteral("dev")}).exitCode, 0);
        // No shadow database is left behind.
        QCOMPARE(
            cluster
                .exec(QStringLiteral(
                    "SELECT count(*) FROM pg_database WHERE datname LIKE 'paritydeck_shadow%'"))
                .value()
                .value(0, 0),
            QStringLiteral("0"));
    }

    void diffHonoursTheWorkspaceSchemaFilter()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("a")).ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("b")).ok());
        QVERIFY(
            cluster.exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY)"), QStringLiteral("a"))
                .ok());
        QVERIFY(
            cluster
                .exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY); CREATE SCHEMA scratch; "
                                     "CREATE TABLE scratch.x (id int)"),
                      QStringLiteral("b"))
                .ok());
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir,
            QStringLiteral("version: 1\nproject: cli\nschema:\n  exclude: ['scr*']\nenvironments:\n"
                           "  a:\n    database: { url: '%1' }\n  b:\n    database: { url: '%2' }\n")
                .arg(cluster.url(QStringLiteral("a")), cluster.url(QStringLiteral("b"))));
        const QStringList ws{QStringLiteral("--workspace"), path};
        const Run filtered =
            run(ws + QStringList{QStringLiteral("diff"), QStringLiteral("a"), QStringLiteral("b")});
        QVERIFY2(filtered.exitCode == 0, qPrintable(filtered.out + filtered.err));
        // --schema names what to compare and overrides the workspace's include list.
        const Run publicOnly =
            run(ws + QStringList{QStringLiteral("diff"), QStringLiteral("a"), QStringLiteral("b"),
                                 QStringLiteral("--schema"), QStringLiteral("public")});
        QCOMPARE(publicOnly.exitCode, 0);
        QVERIFY(
            cluster.exec(QStringLiteral("ALTER TABLE t ADD COLUMN note text"), QStringLiteral("b"))
                .ok());
        const Run changed =
            run(ws + QStringList{QStringLiteral("diff"), QStringLiteral("a"), QStringLiteral("b")});
        QCOMPARE(changed.exitCode, 1);
        QVERIFY2(changed.out.contains(QStringLiteral("note")), qPrintable(changed.out));
        QVERIFY2(!changed.out.contains(QStringLiteral("scratch")), qPrintable(changed.out));
    }

    void diffWorksOutsideAnyWorkspace()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("a")).ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("b")).ok());
        QVERIFY(
            cluster.exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY)"), QStringLiteral("a"))
                .ok());
        QVERIFY(cluster
                    .exec(QStringLiteral("CREATE TABLE t (id int PRIMARY KEY, note text)"),
                          QStringLiteral("b"))
                    .ok());
        const QString a = cluster.url(QStringLiteral("a"));
        const QString b = cluster.url(QStringLiteral("b"));
        QTemporaryDir nowhere; // no paritydeck.yaml here or above (/tmp)
        QVERIFY(!QFile::exists(nowhere.filePath(QStringLiteral("paritydeck.yaml"))));

        const Run urls = run({QStringLiteral("diff"), a, b}, {}, nowhere.path());
        QVERIFY2(urls.exitCode == 1, qPrintable(urls.out + urls.err));
        QVERIFY2(urls.out.contains(QStringLiteral("note")), qPrintable(urls.out));
        const Run same =
            run({QStringLiteral("diff"), a, a, QStringLiteral("--format"), QStringLiteral("json")},
                {}, nowhere.path());
        QVERIFY2(same.exitCode == 0, qPrintable(same.out + same.err));
        QCOMPARE(QJsonDocument::fromJson(same.out.toUtf8())
                     .object()
                     .value(QStringLiteral("identical"))
                     .toBool(),
                 true);
        // --json says the same, as it does for every other command.
        const Run sameJson =
            run({QStringLiteral("diff"), a, b, QStringLiteral("--json")}, {}, nowhere.path());
        QVERIFY2(sameJson.exitCode == 1, qPrintable(sameJson.out + sameJson.err));
        QCOMPARE(QJsonDocument::fromJson(sameJson.out.toUtf8())
                     .object()
                     .value(QStringLiteral("identical"))
                     .toBool(true),
                 false);

        // An environment name needs a workspace: a usage error that says so.
        const Run named =
            run({QStringLiteral("diff"), QStringLiteral("staging"), b}, {}, nowhere.path());
        QCOMPARE(named.exitCode, 2);
        QVERIFY2(named.err.contains(QStringLiteral("'staging'")) &&
                     named.err.contains(QStringLiteral("paritydeck.yaml")),
                 qPrintable(named.err));

        // A .sql side needs a scratch server: without one, the error names both ways to give it.
        QFile schema(nowhere.filePath(QStringLiteral("schema.sql")));
        QVERIFY(schema.open(QIODevice::WriteOnly));
        schema.write("CREATE TABLE t (id int PRIMARY KEY, note text);\n");
        schema.close();
        const Run noScratch =
            run({QStringLiteral("diff"), QStringLiteral("schema.sql"), b}, {}, nowhere.path());
        QCOMPARE(noScratch.exitCode, 2);
        QVERIFY2(noScratch.err.contains(QStringLiteral("--scratch URL")) &&
                     noScratch.err.contains(QStringLiteral("PARITYDECK_SCRATCH_URL")),
                 qPrintable(noScratch.err));
        const Run scratch =
            run({QStringLiteral("diff"), QStringLiteral("schema.sql"), b,
                 QStringLiteral("--scratch"), cluster.url(QStringLiteral("postgres"))},
                {}, nowhere.path());
        QVERIFY2(scratch.exitCode == 0, qPrintable(scratch.out + scratch.err));
        qputenv("PARITYDECK_SCRATCH_URL", cluster.url(QStringLiteral("postgres")).toUtf8());
        const Run fromEnvironment =
            run({QStringLiteral("diff"), QStringLiteral("schema.sql"), a}, {}, nowhere.path());
        qunsetenv("PARITYDECK_SCRATCH_URL");
        QVERIFY2(fromEnvironment.exitCode == 1,
                 qPrintable(fromEnvironment.out + fromEnvironment.err));
        QVERIFY2(fromEnvironment.out.contains(QStringLiteral("note")),
                 qPrintable(fromEnvironment.out));
        // A .sql side that would change the server outside the scratch database is refused
        // at its position, and nothing of it stays (tst_schemasides has the details).
        QFile evil(nowhere.filePath(QStringLiteral("evil.sql")));
        QVERIFY(evil.open(QIODevice::WriteOnly));
        evil.write("CREATE TABLE a (id int);\n"
                   "ALTER ROLE postgres SET application_name = 'pwned_by_sql_file';\n");
        evil.close();
        const Run refused =
            run({QStringLiteral("diff"), QStringLiteral("evil.sql"), b, QStringLiteral("--scratch"),
                 cluster.url(QStringLiteral("postgres"))},
                {}, nowhere.path());
        QVERIFY2(refused.exitCode != 0 && refused.exitCode != 1,
                 qPrintable(refused.out + refused.err));
        QVERIFY2(refused.err.contains(QStringLiteral("evil.sql:2:1: ALTER ROLE postgres SET")),
                 qPrintable(refused.err));
        QCOMPARE(cluster.exec(QStringLiteral("SELECT count(*) FROM pg_db_role_setting"))
                     .value()
                     .value(0, 0),
                 QStringLiteral("0"));
        // The scratch databases are gone again.
        QCOMPARE(
            cluster
                .exec(QStringLiteral(
                    "SELECT count(*) FROM pg_database WHERE datname LIKE 'paritydeck_shadow%'"))
                .value()
                .value(0, 0),
            QStringLiteral("0"));
    }

    void branchChangesObeyProtection()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("ro_main")).ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("conf_main")).ok());
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral("version: 1\nproject: branches\nenvironments:\n"
                                "  ro:\n    protection: read-only\n    database: { url: '%1' }\n   "
                                " branches: { database: template }\n"
                                "  conf:\n    protection: confirm\n    database: { url: '%2' }\n   "
                                " branches: { database: template }\n")
                     .arg(cluster.url(QStringLiteral("ro_main")),
                          cluster.url(QStringLiteral("conf_main"))));
        const QStringList ws{QStringLiteral("--workspace"), path};
        const auto exists = [&cluster](const QString &db) {
            return cluster
                       .exec(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'")
                                 .arg(db))
                       .value()
                       .value(0, 0) == u"1";
        };
        // Another client on the read-only environment's main database: --force-disconnect
        // must not end its session.
        pd::Result<pd::Connection> client = cluster.connect(QStringLiteral("ro_main"));
        QVERIFY(client.ok());

        for (const QStringList &args :
             {QStringList{QStringLiteral("create"), QStringLiteral("ro_x"),
                          QStringLiteral("--force-disconnect")},
              QStringList{QStringLiteral("create"), QStringLiteral("ro_x"),
                          QStringLiteral("--confirm"), QStringLiteral("ro")},
              QStringList{QStringLiteral("switch"), QStringLiteral("feature"),
                          QStringLiteral("--force-disconnect")},
              QStringList{QStringLiteral("reset"), QStringLiteral("ro_x")},
              QStringList{QStringLiteral("delete"), QStringLiteral("ro_x")},
              QStringList{QStringLiteral("cleanup")}}) {
            const Run r = run(ws + QStringList{QStringLiteral("branch")} + args +
                              QStringList{QStringLiteral("--env"), QStringLiteral("ro")});
            QVERIFY2(r.exitCode == 2,
                     qPrintable(args.join(u' ') + QStringLiteral(": ") + r.out + r.err));
            QVERIFY2(r.err.contains(QStringLiteral("read-only")), qPrintable(r.err));
        }
        QVERIFY(!exists(QStringLiteral("ro_x")));
        QVERIFY2(client->exec(QStringLiteral("SELECT 1")).ok(),
                 "the other client's session was ended");
        QVERIFY(run(ws + QStringList{QStringLiteral("branch"), QStringLiteral("cleanup"),
                                     QStringLiteral("--dry-run"), QStringLiteral("--env"),
                                     QStringLiteral("ro")})
                    .exitCode == 0);

        // confirm: refused without the typed name, done with it; every refusal audited.
        const Run unconfirmed =
            run(ws + QStringList{QStringLiteral("branch"), QStringLiteral("create"),
                                 QStringLiteral("conf_x"), QStringLiteral("--env"),
                                 QStringLiteral("conf")});
        QCOMPARE(unconfirmed.exitCode, 2);
        QVERIFY2(unconfirmed.err.contains(QStringLiteral("--confirm conf")),
                 qPrintable(unconfirmed.err));
        const Run wrongName =
            run(ws + QStringList{QStringLiteral("branch"), QStringLiteral("create"),
                                 QStringLiteral("conf_x"), QStringLiteral("--env"),
                                 QStringLiteral("conf"), QStringLiteral("--confirm"),
                                 QStringLiteral("ro")});
        QCOMPARE(wrongName.exitCode, 2);
        QVERIFY(!exists(QStringLiteral("conf_x")));
        const Run confirmed =
            run(ws + QStringList{QStringLiteral("branch"), QStringLiteral("create"),
                                 QStringLiteral("conf_x"), QStringLiteral("--env"),
                                 QStringLiteral("conf"), QStringLiteral("--confirm"),
                                 QStringLiteral("conf")});
        QVERIFY2(confirmed.exitCode == 0, qPrintable(confirmed.out + confirmed.err));
        QVERIFY(exists(QStringLiteral("conf_x")));
        const Run audit = run(ws + QStringList{QStringLiteral("audit"), QStringLiteral("--json")});
        QVERIFY2(audit.out.count(QStringLiteral("branch-create")) >= 4, qPrintable(audit.out));
    }

    void workspaceOptionAlsoFollowsTheCommand()
    {
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir,
            QStringLiteral("version: 1\nproject: x\nenvironments:\n  dev:\n    databse: {}\n"));
        QTemporaryDir elsewhere;
        // The same config error, found through --workspace after the command as before it.
        for (const QStringList &args :
             {QStringList{QStringLiteral("--workspace"), path, QStringLiteral("status")},
              QStringList{QStringLiteral("status"), QStringLiteral("--workspace"), path},
              QStringList{QStringLiteral("status"), QStringLiteral("--workspace=") + path},
              QStringList{QStringLiteral("status"), QStringLiteral("-w"), path}}) {
            const Run r = run(args, {}, elsewhere.path());
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(path + QStringLiteral(":5:5: ")),
                     qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char('\n') + r.err));
        }
        const Run missing =
            run({QStringLiteral("status"), QStringLiteral("--workspace")}, {}, elsewhere.path());
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(QStringLiteral("--workspace needs a path")),
                 qPrintable(missing.err));
    }

    void passwordNeverInAnyProcessCommandLine()
    {
        if (!haveKeyring())
            QSKIP("no D-Bus session: scripts/test provides one with an unlocked gnome-keyring");
        pd::test::HangingServer hang;
        QVERIFY(hang.isListening());
        const QString password =
            QStringLiteral("Argv-Canary-") + QUuid::createUuid().toString(QUuid::Id128);
        QTemporaryDir dir;
        const QString path = writeWorkspace(
            dir, QStringLiteral(
                     "version: 1\nproject: cli\nenvironments:\n"
                     "  remote:\n    database:\n      url: postgresql://app@127.0.0.1:%1/app\n     "
                     " password: keychain:%2/remote\n      connect_timeout: 4\n"
                     "  viacommand:\n    database:\n      url: postgresql://app@127.0.0.1:%1/app\n "
                     "     password: command:cat secret.txt\n      connect_timeout: 4\n")
                     .arg(hang.port())
                     .arg(m_service));
        QFile secretFile(dir.filePath(QStringLiteral("secret.txt")));
        QVERIFY(secretFile.open(QIODevice::WriteOnly));
        secretFile.write(password.toUtf8());
        secretFile.close();
        const QStringList ws{QStringLiteral("--workspace"), path};
        QCOMPARE(run(ws + QStringList{QStringLiteral("secret"), QStringLiteral("set"),
                                      QStringLiteral("remote"), QStringLiteral("password")},
                     password.toUtf8())
                     .exitCode,
                 0);

        QProcess status;
        status.setProcessEnvironment(childEnvironment());
        status.start(QStringLiteral(PD_BINARY_PATH), ws + QStringList{QStringLiteral("status")});
        QVERIFY(status.waitForStarted());
        // Both environments now sit in a connection attempt holding the password.
        QVERIFY(hang.waitForConnections(2, 10000));
        int scanned = 0;
        QDirIterator proc(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
        while (proc.hasNext()) {
            QFile cmdline(proc.next() + QStringLiteral("/cmdline"));
            if (!cmdline.open(QIODevice::ReadOnly))
                continue;
            ++scanned;
            QVERIFY2(!cmdline.readAll().contains(password.toUtf8()),
                     qPrintable(cmdline.fileName()));
        }
        QVERIFY(scanned > 5);
        QVERIFY(status.waitForFinished(20000));
        QCOMPARE(status.exitCode(), 1);
        QVERIFY(!status.readAllStandardOutput().contains(password.toUtf8()));
        QVERIFY(!logContents().contains(password));
    }

    // A workspace that cannot be found or read is reported like every other error: one
    // line starting with the program's name, exit 2 (config), whatever the command.
    void workspaceErrorsStartWithTheProgramName()
    {
        QTemporaryDir empty;
        const QString folder = QFileInfo(empty.path()).canonicalFilePath();
        const QList<QStringList> commands{
            {QStringLiteral("status")},
            {QStringLiteral("status"), QStringLiteral("--json")},
            {QStringLiteral("migrate"), QStringLiteral("status"), QStringLiteral("dev")},
            {QStringLiteral("parity")}};
        for (const QStringList &command : commands) {
            const Run r = run(command, {}, empty.path());
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.startsWith(QStringLiteral("paritydeck: no paritydeck.yaml in %1 or any "
                                                     "folder above it; ")
                                          .arg(folder)),
                     qPrintable(r.err));
            QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
            QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        }

        const QString nowhere = empty.filePath(QStringLiteral("nowhere"));
        const Run missing = run({QStringLiteral("--workspace"), nowhere, QStringLiteral("status")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(
            missing.err.startsWith(QStringLiteral("paritydeck: ") + nowhere + QLatin1Char(':')),
            qPrintable(missing.err));

        // A file:line:column error too, at the tab that indents line 4.
        const QString path = writeWorkspace(
            empty, QStringLiteral("version: 1\nproject: x\nenvironments:\n\tdev:\n"
                                  "    database: { url: postgresql://a@127.0.0.1/x }\n"));
        const Run tab = run({QStringLiteral("--workspace"), path, QStringLiteral("status")});
        QCOMPARE(tab.exitCode, 2);
        QVERIFY2(tab.err.startsWith(QStringLiteral("paritydeck: ") + path +
                                    QStringLiteral(":4:1: invalid YAML: a tab indents this line")),
                 qPrintable(tab.err));
    }
};

} // namespace

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
