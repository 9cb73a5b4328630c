// Applying migrations to real throwaway servers, including the failures that matter:
// the runner's backend killed in the middle of a migration, two appliers at once, a
// syntax error in a later file, an edited migration, a protected environment, a dirty
// golang-migrate history. The server runs with log_statement = all and the application
// name in every log line, so "nothing was executed" is checked in the server's own log.
#include "db/connection.h"
#include "migrationlock.h"
#include "migrations/migrationhistory.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "migrations/shadowdatabase.h"
#include "pgcluster.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

using namespace pd;
using namespace pd::test;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(PD_TEST_DATA_DIR "/migrations/") + relative;
}

QString describe(const Error &e)
{
    return errorCodeName(e.code) + QStringLiteral(": ") + e.message;
}

// Copies a data folder (with sub-folders) to `<tmp>/migrations`, so tests may edit files
// and messages show "migrations/…".
QString copyFolder(const QTemporaryDir &tmp, const QString &folder)
{
    const QString target = tmp.filePath(QStringLiteral("migrations"));
    const QDir source(dataPath(folder));
    QDirIterator it(source.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString from = it.next();
        const QString to = QDir(target).filePath(source.relativeFilePath(from));
        QDir().mkpath(QFileInfo(to).absolutePath());
        if (!QFile::copy(from, to))
            qFatal("cannot copy %s", qPrintable(from));
        QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
    }
    return target;
}

void writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(contents) != contents.size())
        qFatal("cannot write %s", qPrintable(path));
}

MigrationSet load(const QString &dir)
{
    auto set = MigrationSource::load(dir);
    if (!set)
        qFatal("cannot load %s: %s", qPrintable(dir), qPrintable(set.error().message));
    return set.value();
}

} // namespace

class TestMigrationRunner final : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster{[] {
        PgCluster::Options options;
        options.settings << QStringLiteral("log_statement = 'all'")
                         << QStringLiteral("log_line_prefix = '%m [%p] app=%a '");
        return options;
    }()};
    int m_databases = 0;
    QString m_db;

    // Each test gets its own database and a unique application name for the runner.
    ConnectionParams runnerParams(const QString &app = QStringLiteral("pd-runner"))
    {
        ConnectionParams params = m_cluster.socketParams(m_db);
        params.applicationName = app;
        return params;
    }

    QStringList column(const QString &sql)
    {
        const auto rows = m_cluster.exec(sql, m_db);
        if (!rows)
            qFatal("%s: %s", qPrintable(sql), qPrintable(rows.error().message));
        QStringList values;
        for (int r = 0; r < rows->rowCount(); ++r)
            values << rows->value(r, 0);
        return values;
    }

    QStringList recordedVersions()
    {
        if (column(
                QStringLiteral("SELECT to_regclass('paritydeck.schema_migrations') IS NOT NULL")) !=
            QStringList{QStringLiteral("t")})
            return {};
        return column(
            QStringLiteral("SELECT version FROM paritydeck.schema_migrations ORDER BY version"));
    }

    QStringList tables(const QString &pattern)
    {
        return column(
            QStringLiteral("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE '%1' "
                           "ORDER BY relname")
                .arg(pattern));
    }

    int serverLogLinesOf(const QString &app) const
    {
        const QString log = m_cluster.serverLog();
        return int(log.count(QStringLiteral("app=") + app + QLatin1Char(' ')));
    }

    // Applies `set` as the panel's Cancel or a CLI stop signal would stop it: the cancel
    // flag is set 800 ms after the migration at `index` started. Also says how long the
    // apply took.
    struct CancelledApply
    {
        Result<ApplyReport> report;
        qint64 tookMs = 0;
    };
    CancelledApply applyCancelledAfterStartOf(const MigrationSet &set, int index)
    {
        std::atomic_bool cancel = false;
        std::thread canceller;
        ApplyOptions options;
        options.cancel = &cancel;
        options.progress = [&](const MigrationProgress &p) {
            if (p.phase == MigrationProgress::Phase::Started && p.index == index)
                canceller = std::thread([&cancel] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(800));
                    cancel = true;
                });
        };
        QElapsedTimer timer;
        timer.start();
        auto report = MigrationRunner::apply(runnerParams(), set, options);
        const qint64 took = timer.elapsed();
        if (canceller.joinable())
            canceller.join();
        return {std::move(report), took};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("paritydeck.migrations.debug=false"));
        const auto started = m_cluster.start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(describe(started.error())));
    }

    void init()
    {
        m_db = QStringLiteral("run_%1").arg(++m_databases);
        const auto created = m_cluster.createDatabase(m_db);
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(describe(created.error())));
    }

    void appliesEverythingRecordsItAndThenHasNothingToDo()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/basic")));
        QList<MigrationProgress> progress;
        ApplyOptions options;
        options.environment = QStringLiteral("dev");
        options.progress = [&progress](const MigrationProgress &p) { progress << p; };
        const auto report = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(report->steps.size(), 5);
        QVERIFY(!report->plan.historyExists);
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002"),
                                                  QStringLiteral("0003"), QStringLiteral("0004"),
                                                  QStringLiteral("0005")}));
        QCOMPARE(tables(QStringLiteral("basic_%")).size(), 5);
        QCOMPARE(progress.size(), 10); // Started + Finished per migration
        QCOMPARE(progress.at(0).file, QStringLiteral("migrations/0001_create_basic_1.sql"));
        QCOMPARE(progress.at(9).phase, MigrationProgress::Phase::Finished);
        QCOMPARE(progress.at(9).total, 5);

        // The recorded checksum is the file's, and the duration includes the pg_sleep(0.2).
        const QStringList row =
            column(QStringLiteral("SELECT checksum || ' ' || name || ' ' || (duration_ms >= 150) "
                                  "|| ' ' || success || ' ' || applied_by "
                                  "FROM paritydeck.schema_migrations WHERE version = '0001'"));
        QCOMPARE(row, QStringList{set.migrations.at(0).checksum +
                                  QStringLiteral(" create_basic_1 true true postgres")});

        const auto again = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY(again.ok());
        QVERIFY(again->steps.isEmpty());
        const auto status = MigrationRunner::status(runnerParams(), set);
        QVERIFY(status.ok());
        QVERIFY(status->isUpToDate());
        QCOMPARE(status->headVersion, QStringLiteral("0005"));
    }

    void dryRunReportsWhatWouldRunAndExecutesNothing()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/five"));
        writeFile(dir + QStringLiteral("/0006_drop_a.sql"),
                  QByteArrayLiteral("-- gone\nDROP TABLE five_a;\n"));
        const MigrationSet set = load(dir);
        ApplyOptions options;
        options.dryRun = true;
        options.environment = QStringLiteral("prod");
        options.protection = Protection::ReadOnly; // a dry run writes nothing, so it is allowed
        const auto report = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QVERIFY(report->dryRun);
        QCOMPARE(report->steps.size(), 6);
        QCOMPARE(report->steps.at(2).statements.size(), 3);
        QCOMPARE(report->steps.at(2).statements.at(2).sql, QStringLiteral("SELECT pg_sleep(5)"));
        QCOMPARE(report->steps.at(2).statements.at(0).position(), QStringLiteral("2:1"));
        QVERIFY(recordedVersions().isEmpty());
        QVERIFY(tables(QStringLiteral("five_%")).isEmpty());
        QVERIFY(column(QStringLiteral(
                    "SELECT count(*) FROM pg_namespace WHERE nspname = 'paritydeck'")) ==
                QStringList{QStringLiteral("0")});
    }

    void targetVersionStopsThere()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/five")));
        ApplyOptions options;
        options.targetVersion = QStringLiteral("0002");
        const auto report = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002")}));

        options.targetVersion = QStringLiteral("0042");
        const auto unknown = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    }

    void cancellationStopsBetweenMigrations()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/basic")));
        std::atomic_bool cancel = false;
        ApplyOptions options;
        options.cancel = &cancel;
        options.progress = [&cancel](const MigrationProgress &p) {
            if (p.phase == MigrationProgress::Phase::Finished && p.index == 1)
                cancel = true;
        };
        const auto report = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY(report.ok());
        QVERIFY(report->cancelled);
        QCOMPARE(report->steps.size(), 2);
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002")}));
    }

    void backendKilledDuringMigrationThreeKeepsOneAndTwoAndNothingOfThree()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/five")));
        const QString app =
            QStringLiteral("pd-kill-") + QUuid::createUuid().toString(QUuid::Id128).left(8);
        ApplyOptions options;
        options.environment = QStringLiteral("staging");
        auto running = std::async(std::launch::async, [&] {
            return MigrationRunner::apply(runnerParams(app), set, options);
        });

        // Wait until the runner's backend sits in migration 3's pg_sleep, then kill it.
        QString pid;
        QElapsedTimer waited;
        waited.start();
        while (pid.isEmpty() && waited.elapsed() < 10'000) {
            const auto rows = m_cluster.exec(
                QStringLiteral("SELECT pid FROM pg_stat_activity WHERE application_name = '%1' "
                               "AND query LIKE 'SELECT pg_sleep%'")
                    .arg(app));
            if (rows && rows->rowCount() > 0)
                pid = rows->value(0, 0);
            else
                QThread::msleep(20);
        }
        QVERIFY2(!pid.isEmpty(), "the runner never reached migration 3's pg_sleep");
        const auto killed =
            m_cluster.exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid));
        QVERIFY(killed.ok());

        const auto report = running.get();
        QVERIFY(!report.ok());
        const QString message = report.error().message;
        qInfo().noquote() << message;
        QVERIFY2(message.contains(QStringLiteral("migrations/0003_create_c_slowly.sql:4:1")),
                 qPrintable(message));
        QVERIFY2(
            message.contains(QStringLiteral("terminating connection due to administrator command")),
            qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("nothing of 0003 was kept")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("0001, 0002 applied before it")),
                 qPrintable(message));
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002")}));
        QCOMPARE(tables(QStringLiteral("five_%")),
                 (QStringList{QStringLiteral("five_a"), QStringLiteral("five_b")}));

        // The next apply finishes the job.
        const auto second = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(describe(second.error())));
        QCOMPARE(second->steps.size(), 3);
        QCOMPARE(recordedVersions().size(), 5);
        QCOMPARE(column(QStringLiteral("SELECT count(*) FROM five_c")),
                 QStringList{QStringLiteral("1")});
    }

    void twoAppliersAtOnceApplyEachMigrationExactlyOnce()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/basic")));
        // Hold the lock ourselves until both appliers wait for it, so they really race.
        auto holder = m_cluster.connect(m_db);
        QVERIFY(holder.ok());
        const QString key = QString::number(MigrationRunner::advisoryLockKey());
        QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_lock($1::bigint)"), {key}).ok());

        std::atomic_int waits = 0;
        QString waitMessage;
        std::mutex messageMutex;
        const auto applyOnce = [&](const QString &app) {
            ApplyOptions options;
            options.progress = [&](const MigrationProgress &p) {
                if (p.phase != MigrationProgress::Phase::WaitingForLock)
                    return;
                std::lock_guard lock(messageMutex);
                waitMessage = p.message;
                ++waits;
            };
            return MigrationRunner::apply(runnerParams(app), set, options);
        };
        auto first = std::async(std::launch::async, applyOnce, QStringLiteral("pd-one"));
        auto second = std::async(std::launch::async, applyOnce, QStringLiteral("pd-two"));
        QTRY_COMPARE_WITH_TIMEOUT(waits.load(), 2, 20'000);
        {
            std::lock_guard lock(messageMutex);
            QVERIFY2(
                waitMessage.contains(QStringLiteral("backend pid %1").arg(holder->backendPid())),
                qPrintable(waitMessage));
        }
        QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_unlock($1::bigint)"), {key}).ok());

        const auto a = first.get();
        const auto b = second.get();
        QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(describe(a.error())));
        QVERIFY2(b.ok(), b.ok() ? "" : qPrintable(describe(b.error())));
        // CREATE TABLE would fail on a second run, so success of both proves "once";
        // the counts prove that together they applied all five, and one of them all.
        QCOMPARE(a->steps.size() + b->steps.size(), 5);
        QVERIFY(a->steps.isEmpty() || b->steps.isEmpty());
        QCOMPARE(recordedVersions().size(), 5);
        QCOMPARE(tables(QStringLiteral("basic_%")).size(), 5);
    }

    void lockHeldTooLongIsATimeoutNamingTheHolder()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/basic")));
        auto holder = m_cluster.connect(m_db);
        QVERIFY(holder.ok());
        const QString key = QString::number(MigrationRunner::advisoryLockKey());
        QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_lock($1::bigint)"), {key}).ok());
        ApplyOptions options;
        options.environment = QStringLiteral("staging");
        options.lockTimeoutMs = 1000;
        const auto report = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Timeout);
        QVERIFY2(report.error().message.contains(
                     QStringLiteral("backend pid %1").arg(holder->backendPid())),
                 qPrintable(report.error().message));
        QVERIFY(recordedVersions().isEmpty());
    }

    void cancelWhileWaitingForTheLockAppliesNothing()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/basic")));
        auto holder = m_cluster.connect(m_db);
        QVERIFY(holder.ok() && pd::test::holdMigrationLock(*holder));
        ApplyOptions options;
        options.environment = QStringLiteral("staging");
        options.lockTimeoutMs = 120 * 1000;
        // Seen at the next poll, not after the two-minute lock timeout.
        const auto cancelled = pd::test::applyThenCancelWhileWaiting(
            options, [&] { return MigrationRunner::apply(runnerParams(), set, options); });
        QVERIFY(cancelled);
        const auto &report = *cancelled;
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Cancelled);
        QVERIFY2(report.error().message.contains(QStringLiteral("nothing was applied")) &&
                     report.error().message.contains(
                         QStringLiteral("backend pid %1").arg(holder->backendPid())),
                 qPrintable(report.error().message));
        QVERIFY(recordedVersions().isEmpty());

        // Once the other applier is done, the same apply goes through.
        QVERIFY(holder
                    ->exec(QStringLiteral("SELECT pg_advisory_unlock($1::bigint)"),
                           {QString::number(MigrationRunner::advisoryLockKey())})
                    .ok());
        const auto applied = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.error().message));
        QVERIFY(!recordedVersions().isEmpty());
    }

    void syntaxErrorInMigrationThreeIsReportedBeforeAnythingRuns()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/syntax")));
        const auto report = MigrationRunner::apply(runnerParams(), set, ApplyOptions{});
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Config);
        QVERIFY2(report.error().message.startsWith(QStringLiteral(
                     "migrations/0003_add_name.sql:4:35: syntax error at or near \"DEFALT\"")),
                 qPrintable(report.error().message));
        QVERIFY(report.error().message.contains(QStringLiteral("nothing was applied")));
        QVERIFY(recordedVersions().isEmpty());
        QVERIFY(tables(QStringLiteral("syn_%")).isEmpty());
    }

    void changedChecksumIsFlaggedAndRefusedUnlessAllowed()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        ApplyOptions options;
        options.targetVersion = QStringLiteral("0003");
        QVERIFY(MigrationRunner::apply(runnerParams(), load(dir), options).ok());

        writeFile(dir + QStringLiteral("/0002_create_basic_2.sql"),
                  QByteArrayLiteral("CREATE TABLE basic_2 (id int, edited_later text);\n"));
        const MigrationSet edited = load(dir);
        const auto status = MigrationRunner::status(runnerParams(), edited);
        QVERIFY(status.ok());
        QCOMPARE(status->count(MigrationState::ChecksumChanged), 1);
        QCOMPARE(status->pendingCount(), 2);

        options.targetVersion.clear();
        const auto refused = MigrationRunner::apply(runnerParams(), edited, options);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(
                     QStringLiteral("0002_create_basic_2.sql was changed after it was "
                                    "applied")),
                 qPrintable(refused.error().message));
        QVERIFY(refused.error().message.contains(QStringLiteral("--allow-changed")));
        QCOMPARE(recordedVersions().size(), 3);

        options.allowChanged = true;
        const auto allowed = MigrationRunner::apply(runnerParams(), edited, options);
        QVERIFY2(allowed.ok(), allowed.ok() ? "" : qPrintable(describe(allowed.error())));
        QCOMPARE(allowed->steps.size(), 2);
        QCOMPARE(recordedVersions().size(), 5);
    }

    void protectedEnvironmentsRefuseWithoutExecutingAnyStatement()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/basic")));
        const QString app =
            QStringLiteral("pd-protected-") + QUuid::createUuid().toString(QUuid::Id128).left(8);

        ApplyOptions readOnly;
        readOnly.environment = QStringLiteral("prod");
        readOnly.protection = Protection::ReadOnly;
        readOnly.confirmation = QStringLiteral("prod"); // even typed, read-only stays read-only
        auto refused = MigrationRunner::apply(runnerParams(app), set, readOnly);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Protected);
        QVERIFY(refused.error().message.contains(QStringLiteral("read-only")));

        ApplyOptions confirm;
        confirm.environment = QStringLiteral("prod");
        confirm.protection = Protection::Confirm;
        refused = MigrationRunner::apply(runnerParams(app), set, confirm);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Protected);
        QVERIFY(refused.error().message.contains(QStringLiteral("--confirm prod")));
        confirm.confirmation = QStringLiteral("staging");
        refused = MigrationRunner::apply(runnerParams(app), set, confirm);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Protected);

        // Zero statements from the runner in the server's log, nothing in the database.
        QCOMPARE(serverLogLinesOf(app), 0);
        QVERIFY(recordedVersions().isEmpty());

        // The positive control: with the right name the same runner does show up.
        confirm.confirmation = QStringLiteral("prod");
        const auto applied = MigrationRunner::apply(runnerParams(app), set, confirm);
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(describe(applied.error())));
        QVERIFY(serverLogLinesOf(app) > 0);
        QCOMPARE(recordedVersions().size(), 5);
    }

    void dirtyGolangMigrateHistoryIsShownAndApplyRefusesWithTheRemedy()
    {
        QVERIFY(
            m_cluster
                .exec(
                    QStringLiteral(
                        "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, "
                        "dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, true)"),
                    m_db)
                .ok());
        const MigrationSet set = load(dataPath(QStringLiteral("golang-migrate")));
        const auto status = MigrationRunner::status(runnerParams(), set);
        QVERIFY(status.ok());
        QVERIFY(status->dirty);
        QCOMPARE(status->count(MigrationState::Failed), 1);

        const auto refused = MigrationRunner::apply(runnerParams(), set, ApplyOptions{});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("dirty at version 2")),
                 qPrintable(refused.error().message));
        QVERIFY(refused.error().message.contains(QStringLiteral("force 2")));
        QVERIFY(tables(QStringLiteral("golang_ten")).isEmpty());
        QVERIFY(
            column(QStringLiteral("SELECT to_regclass('paritydeck.schema_migrations') IS NULL")) ==
            QStringList{QStringLiteral("t")});
    }

    void anotherToolsHistoryIsReadOnly()
    {
        QVERIFY(
            m_cluster
                .exec(
                    QStringLiteral(
                        "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, "
                        "dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, false)"),
                    m_db)
                .ok());
        const auto refused = MigrationRunner::apply(
            runnerParams(), load(dataPath(QStringLiteral("golang-migrate"))), ApplyOptions{});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("tracked by golang-migrate")),
                 qPrintable(refused.error().message));
        QVERIFY(tables(QStringLiteral("golang_ten")).isEmpty());
    }

    void nonTransactionalMigrationsRunStatementByStatement()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/notx"));
        const auto report = MigrationRunner::apply(runnerParams(), load(dir), ApplyOptions{});
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(report->steps.size(), 3);
        QVERIFY(report->steps.at(0).transactional);
        QVERIFY(!report->steps.at(1).transactional); // CREATE INDEX CONCURRENTLY
        QVERIFY(!report->steps.at(2).transactional); // marker line (and VACUUM)
        QCOMPARE(
            column(QStringLiteral(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'notx_t_v_idx'::regclass")),
            QStringList{QStringLiteral("t")});
        QCOMPARE(recordedVersions().size(), 3);
    }

    void failedNonTransactionalMigrationIsRecordedAsFailedAndBlocksTheNextApply()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/notx"));
        writeFile(
            dir + QStringLiteral("/0004_half_done.sql"),
            QByteArrayLiteral("-- paritydeck:no-transaction\nCREATE TABLE notx_half (id int);\n"
                              "INSERT INTO notx_missing VALUES (1);\n"));
        const auto report = MigrationRunner::apply(runnerParams(), load(dir), ApplyOptions{});
        QVERIFY(!report.ok());
        QVERIFY2(
            report.error().message.contains(QStringLiteral("migrations/0004_half_done.sql:3:1")),
            qPrintable(report.error().message));
        QVERIFY(report.error().message.contains(QStringLiteral("notx_missing")));
        QCOMPARE(tables(QStringLiteral("notx_half")).size(), 1); // no transaction: it stays
        QCOMPARE(column(QStringLiteral(
                     "SELECT success FROM paritydeck.schema_migrations WHERE version = '0004'")),
                 QStringList{QStringLiteral("f")});

        const auto again = MigrationRunner::apply(runnerParams(), load(dir), ApplyOptions{});
        QVERIFY(!again.ok());
        QVERIFY2(again.error().message.contains(QStringLiteral("failed part-way")),
                 qPrintable(again.error().message));
    }

    void statementTimeoutCancelsRollsBackAndReleasesTheLock()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/five")));
        ApplyOptions options;
        options.statementTimeoutMs = 1000; // migration 0003 sleeps for 5 s
        QElapsedTimer timer;
        timer.start();
        const auto report = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY(!report.ok());
        QVERIFY2(timer.elapsed() < 15'000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(report.error().code, ErrorCode::Timeout);
        QVERIFY2(report.error().message.contains(QStringLiteral("0003_create_c_slowly.sql:4:1")),
                 qPrintable(report.error().message));
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002")}));
        QVERIFY(tables(QStringLiteral("five_c")).isEmpty());
        // Nobody holds the lock any more: a second apply does not wait.
        QCOMPARE(column(QStringLiteral(
                     "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                     "(SELECT oid FROM pg_database WHERE datname = current_database())")),
                 QStringList{QStringLiteral("0")});
    }

    // The panel's Cancel and the CLI's stop signals set options.cancel: a migration that is
    // running is stopped in its statement (libpq's cancel request), not only between
    // migrations, and its transaction rolls back.
    void cancellationStopsTheRunningStatementAndRollsBackItsMigration()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/five")));
        // 0003 (index 2) sleeps 5 s after creating its table.
        const auto [report, took] = applyCancelledAfterStartOf(set, 2);
        QVERIFY(!report.ok());
        QVERIFY2(took < 4000, qPrintable(QString::number(took)));
        QCOMPARE(report.error().code, ErrorCode::Cancelled);
        QVERIFY2(report.error().message.contains(QStringLiteral(
                     "migration 0003 was cancelled at migrations/0003_create_c_slowly.sql:4:1 "
                     "(SELECT")),
                 qPrintable(describe(report.error())));
        QVERIFY2(report.error().message.contains(QStringLiteral("0001, 0002 applied before it "
                                                                "stay applied")),
                 qPrintable(describe(report.error())));
        QVERIFY(report.error().isStructured());
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002")}));
        QVERIFY(tables(QStringLiteral("five_c")).isEmpty());
        QCOMPARE(column(QStringLiteral(
                     "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                     "(SELECT oid FROM pg_database WHERE datname = current_database())")),
                 QStringList{QStringLiteral("0")});
    }

    // Outside a transaction the statements before the cancelled one stay: the error lists
    // them and the migration is recorded as failed, as after a failing statement.
    void cancellationOutsideATransactionSaysWhatStaysApplied()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("migrations"));
        QDir().mkpath(dir);
        writeFile(dir + QStringLiteral("/0001_notx.sql"),
                  QByteArrayLiteral("-- paritydeck:no-transaction\n"
                                    "CREATE TABLE cancelnotx_a (id int);\n"
                                    "SELECT pg_sleep(30);\n"
                                    "CREATE TABLE cancelnotx_b (id int);\n"));
        const auto [report, took] = applyCancelledAfterStartOf(load(dir), 0);
        QVERIFY(!report.ok());
        QVERIFY2(took < 10000, qPrintable(QString::number(took)));
        QCOMPARE(report.error().code, ErrorCode::Cancelled);
        const QString message = report.error().message;
        QVERIFY2(message.contains(QStringLiteral("migration 0001 was cancelled at "
                                                 "migrations/0001_notx.sql:3:1 (SELECT")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("the statements before that one stay applied "
                                                 "(migrations/0001_notx.sql:2:1 (CREATE TABLE")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("recorded as failed")), qPrintable(message));
        QCOMPARE(tables(QStringLiteral("cancelnotx_%")),
                 QStringList{QStringLiteral("cancelnotx_a")});
        QCOMPARE(column(QStringLiteral("SELECT version || ' ' || success FROM "
                                       "paritydeck.schema_migrations")),
                 QStringList{QStringLiteral("0001 false")});
    }

    void tableLockTimeoutFailsFastBehindABusyTable()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        ApplyOptions options;
        options.targetVersion = QStringLiteral("0001");
        QVERIFY(MigrationRunner::apply(runnerParams(), load(dir), options).ok());
        writeFile(
            dir + QStringLiteral("/0002_create_basic_2.sql"),
            QByteArrayLiteral(
                "CREATE TABLE basic_2 (id int);\nALTER TABLE basic_1 ADD COLUMN note text;\n"));
        // A long transaction elsewhere holds a lock on basic_1.
        auto busy = m_cluster.connect(m_db);
        QVERIFY(busy.ok());
        QVERIFY(busy->exec(QStringLiteral("BEGIN; LOCK TABLE basic_1 IN ACCESS SHARE MODE")).ok());

        options.targetVersion.clear();
        options.tableLockTimeoutMs = 300;
        QElapsedTimer timer;
        timer.start();
        const auto report = MigrationRunner::apply(runnerParams(), load(dir), options);
        QVERIFY(!report.ok());
        QVERIFY2(timer.elapsed() < 15'000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(report.error().message.contains(QStringLiteral("0002_create_basic_2.sql:2:1")),
                 qPrintable(report.error().message));
        QVERIFY2(report.error().message.contains(QStringLiteral("lock timeout")),
                 qPrintable(report.error().message));
        QVERIFY(tables(QStringLiteral("basic_2")).isEmpty()); // rolled back with it
        QCOMPARE(recordedVersions(), QStringList{QStringLiteral("0001")});
        QVERIFY(busy->exec(QStringLiteral("ROLLBACK")).ok());
    }

    void serverErrorNamesFileLineColumnAndRollsBackTheMigration()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        writeFile(
            dir + QStringLiteral("/0003_create_basic_3.sql"),
            QByteArrayLiteral(
                "CREATE TABLE basic_3 (id int);\n\nINSERT INTO basic_3 (nope) VALUES (1);\n"));
        const auto report = MigrationRunner::apply(runnerParams(), load(dir), ApplyOptions{});
        QVERIFY(!report.ok());
        const QString message = report.error().message;
        // The server's error position, translated from the statement into the file.
        QVERIFY2(message.contains(QStringLiteral(
                     "migration 0003 failed at migrations/0003_create_basic_3.sql:3:22 "
                     "(INSERT INTO basic_3 (nope) VALUES (1))")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("(SQLSTATE 42703)")), qPrintable(message));
        QVERIFY(message.contains(
            QStringLiteral("column \"nope\" of relation \"basic_3\" does not exist")));
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002")}));
        QVERIFY(tables(QStringLiteral("basic_3")).isEmpty());
    }

    void baselineRecordsWithoutRunningAndApplyContinuesAfterIt()
    {
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, QStringLiteral("runner/basic")));
        // The schema of 0001 and 0002 exists already (made by hand, or by another tool).
        QVERIFY(m_cluster
                    .exec(QStringLiteral(
                              "CREATE TABLE basic_1 (id int); CREATE TABLE basic_2 (id int)"),
                          m_db)
                    .ok());
        ApplyOptions options;
        options.environment = QStringLiteral("prod");
        options.protection = Protection::Confirm;
        options.targetVersion = QStringLiteral("0002");
        const auto unconfirmed = MigrationRunner::baseline(runnerParams(), set, options);
        QVERIFY(!unconfirmed.ok());
        QCOMPARE(unconfirmed.error().code, ErrorCode::Protected);

        options.confirmation = QStringLiteral("prod");
        const auto baseline = MigrationRunner::baseline(runnerParams(), set, options);
        QVERIFY2(baseline.ok(), baseline.ok() ? "" : qPrintable(describe(baseline.error())));
        QCOMPARE(baseline->steps.size(), 2);
        QCOMPARE(recordedVersions(), (QStringList{QStringLiteral("0001"), QStringLiteral("0002")}));

        options.targetVersion.clear();
        const auto applied = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(describe(applied.error())));
        QCOMPARE(applied->steps.size(), 3);
        QCOMPARE(recordedVersions().size(), 5);
    }

    void demoMigrationsApplyOnTheDemosOwnHistoryTable()
    {
        // The history table exactly as scripts/demo creates it, then the demo's migrations.
        QFile ddl(dataPath(QStringLiteral("history/paritydeck-demo.sql")));
        QVERIFY(ddl.open(QIODevice::ReadOnly));
        QVERIFY(m_cluster.exec(QString::fromUtf8(ddl.readAll()), m_db).ok());
        const MigrationSet set =
            load(QStringLiteral(PD_TEST_DATA_DIR "/../../scripts/demo-workspace/repo/migrations"));
        QCOMPARE(set.format, MigrationFormat::ParityDeck);
        QVERIFY(set.migrations.size() >= 4);
        ApplyOptions options;
        options.targetVersion = QStringLiteral("0003");
        const auto applied = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(describe(applied.error())));
        QCOMPARE(applied->steps.size(), 3);
        QVERIFY(applied->plan.historyExists);
        const auto status = MigrationRunner::status(runnerParams(), set);
        QVERIFY(status.ok());
        QCOMPARE(status->headVersion, QStringLiteral("0003"));
        QCOMPARE(status->pendingCount(), int(set.migrations.size()) - 3);
        QVERIFY(!status->hasBlockingProblems());
    }

    void outOfOrderIsRefusedUnlessAllowedAndMissingFilesOnlyWarn()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("runner/basic"));
        QVERIFY(MigrationRunner::apply(runnerParams(), load(dir), ApplyOptions{}).ok());
        // 0003 "arrives from another branch" after 0004 and 0005 ran; 0009 ran elsewhere.
        QVERIFY(m_cluster
                    .exec(QStringLiteral(
                              "DROP TABLE basic_3; "
                              "DELETE FROM paritydeck.schema_migrations WHERE version = '0003'; "
                              "INSERT INTO paritydeck.schema_migrations (version, name, checksum) "
                              "VALUES ('0009', 'elsewhere', 'x')"),
                          m_db)
                    .ok());
        const MigrationSet set = load(dir);
        const auto status = MigrationRunner::status(runnerParams(), set);
        QVERIFY(status.ok());
        QCOMPARE(status->count(MigrationState::Missing), 1);
        QCOMPARE(status->pendingCount(), 1);
        QVERIFY(status->pending().at(0).outOfOrder);

        ApplyOptions options;
        const auto refused = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("--allow-out-of-order")),
                 qPrintable(refused.error().message));
        QVERIFY(tables(QStringLiteral("basic_3")).isEmpty());

        options.allowOutOfOrder = true;
        const auto applied = MigrationRunner::apply(runnerParams(), set, options);
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(describe(applied.error())));
        QCOMPARE(applied->steps.size(), 1);
        QCOMPARE(tables(QStringLiteral("basic_3")).size(), 1);
    }

    void appliesEachToolsSqlFormatToAFreshDatabase_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("steps");
        QTest::addColumn<QString>("probe"); // a query that must answer "t" afterwards
        QTest::newRow("flyway (sub-folder, repeatable)")
            << QStringLiteral("flyway") << 6
            << QStringLiteral(
                   "SELECT to_regclass('user_emails') IS NOT NULL AND EXISTS (SELECT FROM "
                   "information_schema.columns WHERE table_name = 'users' AND column_name = "
                   "'city')");
        QTest::newRow("golang-migrate")
            << QStringLiteral("golang-migrate") << 3
            << QStringLiteral("SELECT to_regclass('golang_ten') IS NOT NULL");
        QTest::newRow("dbmate (transaction:false section)")
            << QStringLiteral("dbmate") << 2
            << QStringLiteral(
                   "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_id_idx'::regclass");
        QTest::newRow("prisma (CRLF file)")
            << QStringLiteral("prisma") << 3
            << QStringLiteral(
                   "SELECT count(*) = 3 FROM information_schema.columns WHERE table_name = 'User'");
        QTest::newRow("sqitch (BEGIN/COMMIT wrapped)")
            << QStringLiteral("sqitch") << 3
            << QStringLiteral("SELECT to_regclass('flipr.flips') IS NOT NULL");
    }
    void appliesEachToolsSqlFormatToAFreshDatabase()
    {
        QFETCH(QString, folder);
        QFETCH(int, steps);
        QFETCH(QString, probe);
        QTemporaryDir tmp;
        const MigrationSet set = load(copyFolder(tmp, folder));
        const auto report = MigrationRunner::apply(runnerParams(), set, ApplyOptions{});
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(report->steps.size(), steps);
        QCOMPARE(column(probe), QStringList{QStringLiteral("t")});
        const auto status = MigrationRunner::status(runnerParams(), set);
        QVERIFY(status.ok());
        QCOMPARE(status->pendingCount(), 0);
        QCOMPARE(status->count(MigrationState::Applied), steps);
    }

    void changedRepeatableMigrationRunsAgain()
    {
        QTemporaryDir tmp;
        const QString dir = copyFolder(tmp, QStringLiteral("flyway"));
        QVERIFY(MigrationRunner::apply(runnerParams(), load(dir), ApplyOptions{}).ok());
        writeFile(
            dir + QStringLiteral("/R__user_emails.sql"),
            QByteArrayLiteral(
                "CREATE OR REPLACE VIEW user_emails AS SELECT id, email, phone FROM users;\n"));
        const MigrationSet set = load(dir);
        const auto status = MigrationRunner::status(runnerParams(), set);
        QVERIFY(status.ok());
        QCOMPARE(status->pendingCount(), 1);
        QVERIFY(!status->hasBlockingProblems());
        const auto report = MigrationRunner::apply(runnerParams(), set, ApplyOptions{});
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(report->steps.size(), 1);
        QCOMPARE(column(QStringLiteral("SELECT count(*) FROM information_schema.columns "
                                       "WHERE table_name = 'user_emails'")),
                 QStringList{QStringLiteral("3")});
        QCOMPARE(column(QStringLiteral("SELECT checksum FROM paritydeck.schema_migrations WHERE "
                                       "version = 'R__user_emails'")),
                 QStringList{set.find(QStringLiteral("R__user_emails"))->checksum});
    }

    void shadowDatabaseAppliesFromScratchAndIsDroppedAfterwards()
    {
        const MigrationSet set = load(dataPath(QStringLiteral("runner/basic")));
        QString name;
        {
            auto shadow = ShadowDatabase::create(runnerParams());
            QVERIFY2(shadow.ok(), shadow.ok() ? "" : qPrintable(describe(shadow.error())));
            name = shadow->name();
            QVERIFY(name.startsWith(QStringLiteral("paritydeck_shadow_")));
            const auto report = shadow.value().apply(set);
            QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
            QCOMPARE(report->steps.size(), 5);
            const auto tablesInShadow = m_cluster.exec(
                QStringLiteral(
                    "SELECT count(*) FROM pg_class WHERE relname LIKE 'basic_%' AND relkind = 'r'"),
                name);
            QVERIFY(tablesInShadow.ok());
            QCOMPARE(tablesInShadow->value(0, 0), QStringLiteral("5"));
            // Someone's forgotten session does not keep the shadow alive.
            auto lingering = m_cluster.connect(name);
            QVERIFY(lingering.ok());
            QVERIFY(tables(QStringLiteral("basic_%"))
                        .isEmpty()); // the test's own database is untouched
        }
        QCOMPARE(
            column(
                QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = '%1'").arg(name)),
            QStringList{QStringLiteral("0")});
    }

    // A migration may choose its transaction's isolation level: with SET TRANSACTION, or
    // with the modes of a BEGIN around the whole file (the runner's transaction replaces
    // the BEGIN, not what it asked for). Both must come before the transaction's first
    // query, which in a shadow build is the check of the server's shared state.
    void aMigrationsOwnIsolationLevelHoldsInAppliesAndShadowBuilds()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("migrations"));
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + QStringLiteral("/0001_wrapped.sql"),
                  "BEGIN ISOLATION LEVEL REPEATABLE READ;\n"
                  "CREATE TABLE level_1 AS SELECT current_setting('transaction_isolation') v;\n"
                  "COMMIT;\n");
        writeFile(dir + QStringLiteral("/0002_set.sql"),
                  "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\n"
                  "CREATE TABLE level_2 AS SELECT current_setting('transaction_isolation') v;\n");
        writeFile(dir + QStringLiteral("/0003_plain.sql"),
                  "CREATE TABLE level_3 AS SELECT current_setting('transaction_isolation') v;\n");
        // READ ONLY is not kept: the history row is written in the migration's transaction.
        writeFile(dir + QStringLiteral("/0004_check.sql"),
                  "BEGIN READ ONLY;\nSELECT count(*) FROM level_3;\nCOMMIT;\n");
        const MigrationSet set = load(dir);
        const QString levels = QStringLiteral(
            "SELECT (SELECT v FROM level_1) || ',' || (SELECT v FROM level_2) || ',' ||"
            " (SELECT v FROM level_3)");

        const auto report = MigrationRunner::apply(runnerParams(), set, ApplyOptions{});
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(report->steps.size(), 4);
        QCOMPARE(column(levels),
                 QStringList{QStringLiteral("repeatable read,serializable,read committed")});

        // The shadow build reads the server's shared state under one snapshot: READ
        // COMMITTED is raised to REPEATABLE READ, a level the migration chose stays.
        auto shadow = ShadowDatabase::create(runnerParams());
        QVERIFY2(shadow.ok(), shadow.ok() ? "" : qPrintable(describe(shadow.error())));
        const auto built = shadow->apply(set);
        QVERIFY2(built.ok(), built.ok() ? "" : qPrintable(describe(built.error())));
        const auto inShadow = m_cluster.exec(levels, shadow->name());
        QVERIFY2(inShadow.ok(), inShadow.ok() ? "" : qPrintable(inShadow.error().message));
        QCOMPARE(inShadow->value(0, 0),
                 QStringLiteral("repeatable read,serializable,repeatable read"));
    }

    // A migration's SET search_path, SET ROLE, temporary table or statement_timeout ends
    // with it: each migration starts as if it were the first of the run, so one run gives
    // the schema that applying a step at a time gives (and the shadow database, built in
    // one run, the schema environments migrated stepwise have).
    void everyMigrationStartsFromTheSessionTheFirstOneHad()
    {
        QVERIFY(m_cluster
                    .exec(QStringLiteral(
                        "DO $$BEGIN CREATE ROLE pd_session_role; EXCEPTION WHEN duplicate_object "
                        "THEN NULL; END$$"))
                    .ok());
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("migrations"));
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + QStringLiteral("/0001_schemas.sql"),
                  "CREATE SCHEMA other;\n"
                  "CREATE TABLE items (id int);\n"
                  "GRANT USAGE ON SCHEMA paritydeck TO pd_session_role;\n"
                  "GRANT INSERT ON paritydeck.schema_migrations TO pd_session_role;\n");
        writeFile(dir + QStringLiteral("/0002_session.sql"), "SET search_path TO other;\n"
                                                             "CREATE TEMP TABLE items (id int);\n"
                                                             "SET ROLE pd_session_role;\n");
        writeFile(dir + QStringLiteral("/0003_where_am_i.sql"),
                  "CREATE TABLE where_am_i (id int);\n"
                  "ALTER TABLE items ADD COLUMN note text;\n");
        writeFile(dir + QStringLiteral("/0004_short_timeout.sql"),
                  "SET statement_timeout = 1000;\n");
        writeFile(dir + QStringLiteral("/0005_slow.sql"), "SELECT pg_sleep(1.5);\n"
                                                          "CREATE TABLE after_sleep (id int);\n");
        const MigrationSet set = load(dir);
        const QString login = column(QStringLiteral("SELECT current_user")).value(0);

        const auto report = MigrationRunner::apply(runnerParams(), set, ApplyOptions{});
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(describe(report.error())));
        QCOMPARE(report->steps.size(), 5);
        const QString placed = QStringLiteral(
            "SELECT schemaname || '.' || tablename || ' ' || tableowner FROM pg_tables "
            "WHERE tablename IN ('where_am_i', 'after_sleep') ORDER BY tablename");
        const QStringList expected{QStringLiteral("public.after_sleep ") + login,
                                   QStringLiteral("public.where_am_i ") + login};
        QCOMPARE(column(placed), expected);
        const QString noteColumn =
            QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                           "'public' AND table_name = 'items' AND column_name = 'note'");
        QCOMPARE(column(noteColumn), QStringList{QStringLiteral("1")});

        // The expected schema is built the same way.
        auto shadow = ShadowDatabase::create(runnerParams());
        QVERIFY2(shadow.ok(), shadow.ok() ? "" : qPrintable(describe(shadow.error())));
        const auto built = shadow.value().apply(set);
        QVERIFY2(built.ok(), built.ok() ? "" : qPrintable(describe(built.error())));
        const auto inShadow = m_cluster.exec(placed, shadow->name());
        QVERIFY(inShadow.ok());
        QCOMPARE(inShadow->rowCount(), 2);
        QCOMPARE(inShadow->value(0, 0), expected.at(0));
        QCOMPARE(inShadow->value(1, 0), expected.at(1));
        const auto noteInShadow = m_cluster.exec(noteColumn, shadow->name());
        QVERIFY(noteInShadow.ok());
        QCOMPARE(noteInShadow->value(0, 0), QStringLiteral("1"));
    }

    // A statement_timeout a migration sets itself is not ParityDeck's: the error says how
    // long the statement ran, never the 30 minutes ParityDeck would have allowed.
    void timeoutSetByAMigrationIsNotReportedAsParityDecksLimit()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("migrations"));
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + QStringLiteral("/0001_impatient.sql"), "SET statement_timeout = 300;\n"
                                                               "SELECT pg_sleep(3);\n");
        ApplyOptions options;
        QCOMPARE(options.statementTimeoutMs, 1'800'000);
        const auto report = MigrationRunner::apply(runnerParams(), load(dir), options);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Timeout);
        static const QRegularExpression after(QStringLiteral("timed out after (\\d+) ms"));
        const auto m = after.match(report.error().message);
        QVERIFY2(m.hasMatch(), qPrintable(report.error().message));
        const int ms = m.captured(1).toInt();
        QVERIFY2(ms >= 300 && ms < 3000, qPrintable(report.error().message));
    }

    void advisoryLockKeyIsStable()
    {
        // First 8 bytes of SHA-256("paritydeck"), big-endian: changing it would let old and
        // new versions apply at the same time.
        // Reference: python3 -c "import hashlib,struct;
        //   print(struct.unpack('>q', hashlib.sha256(b'paritydeck').digest()[:8])[0])"
        QCOMPARE(MigrationRunner::advisoryLockKey(), Q_INT64_C(8189700439648322513));
    }
};

QTEST_GUILESS_MAIN(TestMigrationRunner)
#include "tst_migrationrunner.moc"
