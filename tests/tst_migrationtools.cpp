// Migration tools that really run: migrations.command (ExternalMigrationCommand) with real
// processes against a throwaway server that demands a password over TCP — a real Alembic
// project upgraded through it; the history tables those tools create for real (alembic
// upgrade/stamp, sqitch deploy, dbmate up from npm) read back by ParityDeck's readers.
#include "db/connection.h"
#include "migrationlock.h"
#include "migrations/externalcommand.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace pd;
using namespace pd::test;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(PD_TEST_DATA_DIR "/migrations/") + relative;
}

void copyFolder(const QString &from, const QString &to)
{
    const QDir source(from);
    QDirIterator it(source.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = QDir(to).filePath(source.relativeFilePath(file));
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(file, target))
            qFatal("cannot copy %s", qPrintable(file));
        QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
    }
}

void writeFile(const QString &path, const QByteArray &contents)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(contents) != contents.size())
        qFatal("cannot write %s", qPrintable(path));
}

// A minimal Alembic project around the test revisions (a branch and its merge): the
// connection comes from DATABASE_URL, as in most real env.py files.
QString makeAlembicProject(const QTemporaryDir &tmp)
{
    const QString root = tmp.path();
    copyFolder(dataPath(QStringLiteral("alembic/versions")),
               root + QStringLiteral("/migrations/versions"));
    writeFile(root + QStringLiteral("/alembic.ini"),
              "[alembic]\nscript_location = migrations\n\n"
              "[loggers]\nkeys = root,alembic\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys "
              "= generic\n\n"
              "[logger_root]\nlevel = WARN\nhandlers = console\n\n"
              "[logger_alembic]\nlevel = INFO\nhandlers =\nqualname = alembic\n\n"
              "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = "
              "NOTSET\nformatter = generic\n\n"
              "[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\n");
    writeFile(root + QStringLiteral("/migrations/env.py"),
              "import os\n"
              "from logging.config import fileConfig\n"
              "from alembic import context\n"
              "from sqlalchemy import create_engine\n"
              "\n"
              "fileConfig(context.config.config_file_name)\n"
              "engine = create_engine(os.environ['DATABASE_URL'])\n"
              "with engine.connect() as connection:\n"
              "    context.configure(connection=connection, target_metadata=None)\n"
              "    with context.begin_transaction():\n"
              "        context.run_migrations()\n");
    return root;
}

MigrationSet load(const QString &dir)
{
    auto set = MigrationSource::load(dir);
    if (!set)
        qFatal("cannot load %s: %s", qPrintable(dir), qPrintable(set.error().message));
    return set.value();
}

QString describe(const Error &e)
{
    return errorCodeName(e.code) + QStringLiteral(": ") + e.message;
}

struct Ran
{
    int exitCode = -1;
    QString output;
};

// Runs a program directly (argv without any secret; the connection in `env`).
Ran runTool(const QString &program, const QStringList &args, const QString &dir,
            const QProcessEnvironment &env, int timeoutMs = 120000)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(args);
    process.setWorkingDirectory(dir);
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start();
    if (!process.waitForStarted(10000))
        return {-1, process.errorString()};
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return {-1, QStringLiteral("timed out: ") + QString::fromUtf8(process.readAll())};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

QString stateOf(const MigrationPlan &plan, const QString &version)
{
    for (const PlannedMigration &p : plan.migrations) {
        if (p.version == version)
            return migrationStateName(p.state);
    }
    return QStringLiteral("(not in plan)");
}

QString problems(const MigrationPlan &plan)
{
    QStringList list;
    for (const MigrationProblem &p : plan.problems)
        list << p.message;
    return list.join(QStringLiteral("; "));
}

} // namespace

class TestMigrationTools final : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster{[] {
        PgClusterOptions options;
        options.passwordAuthOverTcp = true;
        return options;
    }()};
    // Characters that need percent-encoding in DATABASE_URL, so the test proves it is.
    const QString m_password =
        QStringLiteral("Only-In-Env/%1:@x").arg(QUuid::createUuid().toString(QUuid::Id128));
    int m_databases = 0;

    // A fresh database owned by the password-only role, and parameters to reach it over TCP.
    ConnectionParams freshDatabase()
    {
        const QString name = QStringLiteral("tools_%1").arg(++m_databases);
        if (auto r = m_cluster.exec(QStringLiteral("CREATE DATABASE %1 OWNER app").arg(name)); !r)
            qFatal("createdb: %s", qPrintable(r.error().message));
        ConnectionParams params = m_cluster.connectionParams(name, QStringLiteral("app"));
        params.password = SecretValue::fromString(m_password);
        params.options.insert(QStringLiteral("sslmode"), QStringLiteral("disable"));
        return params;
    }

    ExternalApplyOptions optionsFor(const QString &command, const QString &dir)
    {
        ExternalApplyOptions options;
        options.environment = QStringLiteral("dev");
        options.command = command;
        options.workingDirectory = dir;
        options.timeoutMs = 120000;
        return options;
    }

    static MigrationPlan statusOf(const ConnectionParams &params, const MigrationSet &set)
    {
        auto plan = MigrationRunner::status(params, set);
        if (!plan)
            qFatal("status: %s", qPrintable(plan.error().message));
        return plan.value();
    }

    // The environment a tool run by hand gets: the same variables ParityDeck passes.
    QProcessEnvironment toolEnvironment(const ConnectionParams &params, const QString &home) const
    {
        QProcessEnvironment env = ExternalMigrationCommand::environmentFor(
            params, QStringLiteral("dev"), QProcessEnvironment::systemEnvironment());
        env.insert(QStringLiteral("HOME"), home);
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto started = m_cluster.start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
        QVERIFY(m_cluster.createRole(QStringLiteral("app"), m_password).ok());
    }

    void connectionReachesTheCommandOnlyThroughItsEnvironment()
    {
        const ConnectionParams params = freshDatabase();
        QTemporaryDir dir;
        const MigrationSet set = load(dataPath(QStringLiteral("paritydeck")));
        // psql connects with nothing but the variables; the second one with DATABASE_URL only.
        const QString command = QStringLiteral(
            "printf 'vars %s %s %s %s\\n' \"$PGHOST\" \"$PGPORT\" \"$PGDATABASE\" \"$PGUSER\"; "
            "echo \"password $PGPASSWORD\"; echo \"url $DATABASE_URL\"; "
            "psql -X -Atc 'select current_user' | sed 's/^/psql-env /'; "
            "env -u PGPASSWORD -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE psql -X -Atc 'select "
            "current_database()' \"$DATABASE_URL\" | sed 's/^/psql-url /'; "
            "echo \"argv $(tr '\\0' ' ' < /proc/$$/cmdline)\"; echo \"env "
            "$PARITYDECK_ENVIRONMENT\"");
        QStringList lines;
        auto options = optionsFor(command, dir.path());
        options.outputLine = [&lines](const QString &line) { lines << line; };
        auto report = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        const QString out = report->output;
        // The live lines are the kept output, line by line, masked the same way.
        QCOMPARE(lines.join(QLatin1Char('\n')), out.trimmed());
        QVERIFY2(lines.contains(QStringLiteral("psql-env app")),
                 qPrintable(lines.join(QStringLiteral(" ## "))));
        QVERIFY2(lines.contains(QStringLiteral("password ") + SecretValue::masked()),
                 qPrintable(lines.join(QStringLiteral(" ## "))));
        QVERIFY2(
            out.contains(
                QStringLiteral("vars 127.0.0.1 %1 %2 app").arg(params.port).arg(params.dbname)),
            qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("psql-env app")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("psql-url ") + params.dbname), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("env dev")), qPrintable(out));
        // What the tool echoed is masked, in both the plain and the URL-encoded form.
        QVERIFY2(!out.contains(m_password), qPrintable(out));
        QVERIFY2(!out.contains(QString::fromLatin1(QUrl::toPercentEncoding(m_password))),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("password ") + SecretValue::masked()),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("url postgresql://app:") + SecretValue::masked() +
                              QLatin1Char('@')),
                 qPrintable(out));
        // The shell's own command line is the configured command, nothing added.
        const QString argvLine =
            out.section(QStringLiteral("argv "), 1).section(QLatin1Char('\n'), 0, 0);
        QVERIFY2(argvLine.startsWith(QStringLiteral("/bin/sh -c printf")), qPrintable(argvLine));
        QCOMPARE(report->exitCode, 0);
        QCOMPARE(report->variables, ExternalMigrationCommand::variableNames());
    }

    void databaseUrlEncodesEveryPart()
    {
        ConnectionParams p;
        p.host = QStringLiteral("/run/postgresql");
        p.port = 5433;
        p.dbname = QStringLiteral("my db");
        p.user = QStringLiteral("u@x");
        p.password = SecretValue::fromString(QStringLiteral("p:w/d"));
        QCOMPARE(ExternalMigrationCommand::databaseUrl(p, true),
                 QStringLiteral(
                     "postgresql://u%40x:p%3Aw%2Fd@/my%20db?host=%2Frun%2Fpostgresql&port=5433"));
        QCOMPARE(ExternalMigrationCommand::databaseUrl(p, false),
                 QStringLiteral("postgresql://u%40x@/my%20db?host=%2Frun%2Fpostgresql&port=5433"));
        p.host = QStringLiteral("::1");
        p.options.insert(QStringLiteral("sslmode"), QStringLiteral("require"));
        QCOMPARE(ExternalMigrationCommand::databaseUrl(p, false),
                 QStringLiteral("postgresql://u%40x@[::1]:5433/my%20db?sslmode=require"));
        QProcessEnvironment base;
        base.insert(QStringLiteral("PGSERVICE"), QStringLiteral("elsewhere"));
        base.insert(QStringLiteral("PGHOSTADDR"), QStringLiteral("10.0.0.1"));
        const QProcessEnvironment env =
            ExternalMigrationCommand::environmentFor(p, QStringLiteral("dev"), base);
        QVERIFY(!env.contains(QStringLiteral("PGSERVICE")));
        QVERIFY(!env.contains(QStringLiteral("PGHOSTADDR")));
        QCOMPARE(env.value(QStringLiteral("PGSSLMODE")), QStringLiteral("require"));
        QCOMPARE(env.value(QStringLiteral("PGPASSWORD")), QStringLiteral("p:w/d"));
    }

    void alembicUpgradeHeadRunsThroughTheCommandAndStatusShowsHead()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("alembic")).isEmpty())
            QFAIL("alembic is not installed: run scripts/setup (Debian package alembic)");
        const ConnectionParams params = freshDatabase();
        QTemporaryDir tmp;
        const QString root = makeAlembicProject(tmp);
        const MigrationSet set = load(root + QStringLiteral("/migrations"));
        QCOMPARE(set.format, MigrationFormat::Alembic);
        QCOMPARE(set.migrations.size(), 4);

        const MigrationPlan before = statusOf(params, set);
        QCOMPARE(before.pendingCount(), 4);
        QVERIFY(!before.historyExists);

        auto dry = optionsFor(QStringLiteral("alembic upgrade head"), root);
        dry.dryRun = true;
        auto preview = ExternalMigrationCommand::apply(params, set, dry);
        QVERIFY2(preview.ok(), preview.ok() ? "" : qPrintable(describe(preview.error())));
        QVERIFY(preview->dryRun);
        QVERIFY(preview->output.isEmpty());
        QCOMPARE(statusOf(params, set).pendingCount(), 4);

        QList<MigrationProgress::Phase> phases;
        auto options = optionsFor(QStringLiteral("alembic upgrade head"), root);
        options.progress = [&phases](const MigrationProgress &p) { phases << p.phase; };
        auto report = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(phases, (QList<MigrationProgress::Phase>{MigrationProgress::Phase::Started,
                                                          MigrationProgress::Phase::Finished}));
        // Alembic logs each revision it runs.
        QVERIFY2(report->output.contains(QStringLiteral("Running upgrade  -> ae1027a6acf")),
                 qPrintable(report->output));
        QCOMPARE(report->before.pendingCount(), 4);
        QCOMPARE(report->after.historyKind, HistoryKind::Alembic);
        QVERIFY(report->after.historyExists);
        QCOMPARE(report->after.headVersion, QStringLiteral("3d0c9b1f5e2a"));
        QVERIFY2(report->after.isUpToDate(), qPrintable(problems(report->after)));
        for (const Migration &m : set.migrations)
            QCOMPARE(stateOf(report->after, m.version), QStringLiteral("applied"));
        // The revisions really ran: both branches' columns exist.
        auto c = Connection::open(params);
        QVERIFY(c.ok());
        auto columns =
            c->scalar(QStringLiteral("SELECT string_agg(column_name, ',' ORDER BY column_name) "
                                     "FROM information_schema.columns WHERE table_name = 'users'"));
        QVERIFY(columns.ok());
        QCOMPARE(*columns, QStringLiteral("email,id,phone"));
        // Status read separately agrees.
        QVERIFY(statusOf(params, set).isUpToDate());
    }

    void alembicStampMarksPartOfTheGraph()
    {
        const ConnectionParams params = freshDatabase();
        QTemporaryDir tmp;
        const QString root = makeAlembicProject(tmp);
        const MigrationSet set = load(root + QStringLiteral("/migrations"));
        // `alembic stamp` on one branch: its ancestors count as applied, the other branch and
        // the merge are pending.
        const Ran stamped = runTool(QStringLiteral("alembic"),
                                    {QStringLiteral("stamp"), QStringLiteral("1975ea83b712")}, root,
                                    toolEnvironment(params, tmp.path()));
        QVERIFY2(stamped.exitCode == 0, qPrintable(stamped.output));
        const MigrationPlan plan = statusOf(params, set);
        QCOMPARE(plan.historyKind, HistoryKind::Alembic);
        QCOMPARE(stateOf(plan, QStringLiteral("ae1027a6acf")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("1975ea83b712")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("27c6a30d7c24")), QStringLiteral("pending"));
        QCOMPARE(stateOf(plan, QStringLiteral("3d0c9b1f5e2a")), QStringLiteral("pending"));
        QCOMPARE(plan.pendingCount(), 2);
        // ParityDeck never writes Alembic's table: its own apply refuses and names the tool.
        auto refused = MigrationRunner::apply(params, set, ApplyOptions{});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("Alembic")),
                 qPrintable(refused.error().message));
    }

    void protectionRefusesBeforeTheCommandRuns()
    {
        const ConnectionParams params = freshDatabase();
        QTemporaryDir dir;
        const MigrationSet set = load(dataPath(QStringLiteral("paritydeck")));
        const QString marker = dir.filePath(QStringLiteral("ran"));
        auto options = optionsFor(QStringLiteral("touch ran"), dir.path());

        options.protection = Protection::ReadOnly;
        auto readOnly = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY(!readOnly.ok());
        QCOMPARE(readOnly.error().code, ErrorCode::Protected);
        QVERIFY(!QFile::exists(marker));

        options.protection = Protection::Confirm;
        auto unconfirmed = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY(!unconfirmed.ok());
        QCOMPARE(unconfirmed.error().code, ErrorCode::Protected);
        options.confirmation = QStringLiteral("Dev");
        auto wrong = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().message.contains(QStringLiteral("\"Dev\"")),
                 qPrintable(wrong.error().message));
        QVERIFY(!QFile::exists(marker));

        options.confirmation = QStringLiteral("dev");
        auto confirmed = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY2(confirmed.ok(), confirmed.ok() ? "" : qPrintable(describe(confirmed.error())));
        QVERIFY(QFile::exists(marker));
    }

    void failingCommandReportsItsMaskedOutputAndTheHistory()
    {
        const ConnectionParams params = freshDatabase();
        QTemporaryDir dir;
        const MigrationSet set = load(dataPath(QStringLiteral("paritydeck")));
        auto result = ExternalMigrationCommand::apply(
            params, set,
            optionsFor(QStringLiteral(
                           "echo starting; echo \"cannot connect with $PGPASSWORD\" >&2; exit 3"),
                       dir.path()));
        QVERIFY(!result.ok());
        const QString message = result.error().message;
        QVERIFY2(message.contains(QStringLiteral("exited with code 3")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("cannot connect with ") + SecretValue::masked()),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("after: head none, 3 pending")),
                 qPrintable(message));
        QVERIFY2(!message.contains(m_password), qPrintable(message));
        QVERIFY2(message.startsWith(QStringLiteral("dev: ")), qPrintable(message));
    }

    void timeoutStopsTheWholeProcessGroup()
    {
        const ConnectionParams params = freshDatabase();
        QTemporaryDir dir;
        const MigrationSet set = load(dataPath(QStringLiteral("paritydeck")));
        auto options =
            optionsFor(QStringLiteral("sleep 60 & echo $! > child.pid; wait"), dir.path());
        options.timeoutMs = 1000;
        QElapsedTimer clock;
        clock.start();
        auto result = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Timeout);
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(result.error().message.contains(QStringLiteral("did not finish within 1 s")),
                 qPrintable(result.error().message));
        QFile pidFile(dir.filePath(QStringLiteral("child.pid")));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const QString pid = QString::fromLatin1(pidFile.readAll()).trimmed();
        QVERIFY(!pid.isEmpty());
        // The background sleep was in the command's process group: it is gone too.
        const auto alive = [&pid] {
            QFile stat(QStringLiteral("/proc/") + pid + QStringLiteral("/stat"));
            if (!stat.open(QIODevice::ReadOnly))
                return false;
            // "PID (comm) STATE …": a zombie waits only for its reaper.
            const QByteArray fields = stat.readAll();
            return fields.mid(fields.lastIndexOf(')') + 2, 1) != "Z";
        };
        QTRY_VERIFY_WITH_TIMEOUT(!alive(), 5000);
    }

    void cancelStopsTheCommand()
    {
        const ConnectionParams params = freshDatabase();
        QTemporaryDir dir;
        const MigrationSet set = load(dataPath(QStringLiteral("paritydeck")));
        std::atomic_bool cancel{false};
        auto options = optionsFor(QStringLiteral("echo begun; sleep 60"), dir.path());
        options.cancel = &cancel;
        options.progress = [&cancel](const MigrationProgress &p) {
            if (p.phase == MigrationProgress::Phase::Started)
                cancel.store(true);
        };
        QElapsedTimer clock;
        clock.start();
        auto result = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QVERIFY(clock.elapsed() < 10000);
    }

    void secondApplierWaitsForTheLockAndCanBeCancelled()
    {
        const ConnectionParams params = freshDatabase();
        QTemporaryDir dir;
        const MigrationSet set = load(dataPath(QStringLiteral("paritydeck")));
        auto holder = Connection::open(params);
        QVERIFY(holder.ok() && pd::test::holdMigrationLock(*holder));
        auto options = optionsFor(QStringLiteral("touch ran"), dir.path());
        options.lockTimeoutMs = 700;
        bool toldWaiting = false;
        options.progress = [&toldWaiting](const MigrationProgress &p) {
            toldWaiting = toldWaiting || p.phase == MigrationProgress::Phase::WaitingForLock;
        };
        auto result = ExternalMigrationCommand::apply(params, set, options);
        QVERIFY(!result.ok());
        QVERIFY(toldWaiting);
        QVERIFY2(result.error().message.contains(QStringLiteral("the command was not run")),
                 qPrintable(result.error().message));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("ran"))));

        // Cancel while waiting: at the next poll, not after the lock timeout; never run.
        options.lockTimeoutMs = 120 * 1000;
        const auto cancelled = pd::test::applyThenCancelWhileWaiting(
            options, [&] { return ExternalMigrationCommand::apply(params, set, options); });
        QVERIFY(cancelled);
        QVERIFY(!cancelled->ok());
        QCOMPARE(cancelled->error().code, ErrorCode::Cancelled);
        QVERIFY2(cancelled->error().message.contains(QStringLiteral("the command was not run")),
                 qPrintable(cancelled->error().message));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("ran"))));
    }

    void sqitchDeployCreatesChangesThatStatusReads()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("sqitch")).isEmpty())
            QFAIL("sqitch is not installed: run scripts/setup (Debian packages sqitch, "
                  "libdbd-pg-perl)");
        const ConnectionParams params = freshDatabase();
        QTemporaryDir tmp;
        const QString project = tmp.filePath(QStringLiteral("sqitch"));
        copyFolder(dataPath(QStringLiteral("sqitch")), project);
        const MigrationSet set = load(project);
        QCOMPARE(set.format, MigrationFormat::Sqitch);
        QProcessEnvironment env = toolEnvironment(params, tmp.path());
        env.insert(QStringLiteral("SQITCH_FULLNAME"), QStringLiteral("Test Runner"));
        env.insert(QStringLiteral("SQITCH_EMAIL"), QStringLiteral("test@example.com"));
        // The target names no password: sqitch's psql finds it in PGPASSWORD.
        const QString target =
            QStringLiteral("db:pg://app@127.0.0.1:%1/%2").arg(params.port).arg(params.dbname);

        Ran first = runTool(
            QStringLiteral("sqitch"),
            {QStringLiteral("deploy"), QStringLiteral("--to"), QStringLiteral("users"), target},
            project, env);
        QVERIFY2(first.exitCode == 0, qPrintable(first.output));
        MigrationPlan plan = statusOf(params, set);
        QCOMPARE(plan.historyKind, HistoryKind::Sqitch);
        QCOMPARE(plan.historyTable, QStringLiteral("sqitch.changes"));
        QCOMPARE(stateOf(plan, QStringLiteral("appschema")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("users")), QStringLiteral("applied"));
        QCOMPARE(stateOf(plan, QStringLiteral("flips")), QStringLiteral("pending"));
        QCOMPARE(plan.headVersion, QStringLiteral("users"));
        QVERIFY2(!plan.hasBlockingProblems(), qPrintable(problems(plan)));

        Ran rest =
            runTool(QStringLiteral("sqitch"), {QStringLiteral("deploy"), target}, project, env);
        QVERIFY2(rest.exitCode == 0, qPrintable(rest.output));
        plan = statusOf(params, set);
        QVERIFY2(plan.isUpToDate(), qPrintable(problems(plan)));
        QCOMPARE(plan.headVersion, QStringLiteral("flips"));
        // sqitch's own script hashes match ParityDeck's reading of the deploy scripts …
        for (const PlannedMigration &p : plan.migrations) {
            QVERIFY(p.applied);
            QVERIFY(p.migration);
            QCOMPARE(p.applied->checksum, p.migration->toolChecksum);
        }
        // … so editing a deployed script is seen.
        QFile script(project + QStringLiteral("/deploy/users.sql"));
        QVERIFY(script.open(QIODevice::Append));
        script.write("-- edited after deploy\n");
        script.close();
        plan = statusOf(params, load(project));
        QCOMPARE(stateOf(plan, QStringLiteral("users")), QStringLiteral("checksum-changed"));
    }

    void dbmateUpCreatesSchemaMigrationsThatStatusReads()
    {
        // dbmate ships as an npm package with a prebuilt binary; installed next to this test
        // binary on first use.
        const QString prefix =
            QCoreApplication::applicationDirPath() + QStringLiteral("/npm-tools");
        const QString dbmate = prefix + QStringLiteral("/node_modules/.bin/dbmate");
        if (!QFile::exists(dbmate)) {
            if (QStandardPaths::findExecutable(QStringLiteral("npm")).isEmpty())
                QSKIP("npm is not installed, so dbmate (npm package) cannot be installed");
            const Ran installed = runTool(QStringLiteral("npm"),
                                          {QStringLiteral("install"), QStringLiteral("--prefix"),
                                           prefix, QStringLiteral("--no-audit"),
                                           QStringLiteral("--no-fund"), QStringLiteral("dbmate@2")},
                                          QCoreApplication::applicationDirPath(),
                                          QProcessEnvironment::systemEnvironment(), 240000);
            if (installed.exitCode != 0) {
                const bool offline = installed.output.contains(QStringLiteral("ENOTFOUND")) ||
                                     installed.output.contains(QStringLiteral("EAI_AGAIN")) ||
                                     installed.output.contains(QStringLiteral("ECONNREFUSED")) ||
                                     installed.output.contains(QStringLiteral("ETIMEDOUT"));
                if (offline)
                    QSKIP(qPrintable(
                        QStringLiteral(
                            "the npm registry is unreachable, dbmate cannot be installed: ") +
                        installed.output.right(300)));
                QFAIL(qPrintable(QStringLiteral("npm install dbmate failed: ") + installed.output));
            }
        }
        QVERIFY2(QFile::exists(dbmate), qPrintable(dbmate));
        const ConnectionParams params = freshDatabase();
        QTemporaryDir tmp;
        copyFolder(dataPath(QStringLiteral("dbmate")),
                   tmp.filePath(QStringLiteral("db/migrations")));
        const MigrationSet set = load(tmp.filePath(QStringLiteral("db/migrations")));
        QCOMPARE(set.format, MigrationFormat::Dbmate);
        // dbmate reads DATABASE_URL: run through migrations.command, as a workspace would.
        auto report = ExternalMigrationCommand::apply(
            params, set,
            optionsFor(QStringLiteral("'%1' --no-dump-schema up").arg(dbmate), tmp.path()));
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QVERIFY2(
            report->output.contains(QStringLiteral("Applying: 20240101120000_create_users.sql")),
            qPrintable(report->output));
        QCOMPARE(report->before.pendingCount(), 2);
        QCOMPARE(report->after.historyKind, HistoryKind::Dbmate);
        QVERIFY2(report->after.historyTable.endsWith(QStringLiteral("schema_migrations")),
                 qPrintable(report->after.historyTable));
        QVERIFY2(report->after.isUpToDate(), qPrintable(problems(report->after)));
        QCOMPARE(report->after.headVersion, QStringLiteral("20240102090000"));
        auto c = Connection::open(params);
        QVERIFY(c.ok());
        QCOMPARE(*c->scalar(QStringLiteral(
                     "SELECT count(*) FROM pg_indexes WHERE indexname = 'users_id_idx'")),
                 QStringLiteral("1"));
    }
};

QTEST_GUILESS_MAIN(TestMigrationTools)
#include "tst_migrationtools.moc"
