// Connection against a real server, a port nobody listens on, and a server that accepts
// TCP but never answers — plus the promise that a password never shows up in a message,
// a URL, or another process's command line.
#include "db/connection.h"
#include "db/pgerror.h"
#include "hangingserver.h"
#include "pgbouncer.h"
#include "pgcluster.h"
#include "refusingport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

using namespace pd;
using namespace pd::test;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(pd::ErrorCode)

namespace {

QString messageOf(const Error &error)
{
    return errorCodeName(error.code) + QStringLiteral(": ") + error.message;
}

template<typename T> QString describe(const Result<T> &result)
{
    return result.ok() ? QStringLiteral("ok") : messageOf(result.error());
}

QString unique(const QString &prefix)
{
    return prefix + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

class TestConnection final : public QObject
{
    Q_OBJECT

private:
    // TCP needs a password on this cluster (scram-sha-256); the socket trusts postgres.
    PgCluster m_cluster{[] {
        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        return options;
    }()};
    const QString m_appPassword = unique(QStringLiteral("Right-Pw-"));

    ConnectionParams appParams() const
    {
        ConnectionParams params =
            m_cluster.connectionParams(QStringLiteral("app"), QStringLiteral("app"));
        params.password = SecretValue::fromString(m_appPassword);
        return params;
    }

    Connection openApp()
    {
        Result<Connection> connection = Connection::open(appParams());
        if (!connection)
            qFatal("cannot connect as app: %s", qPrintable(connection.error().message));
        return std::move(connection).value();
    }

private Q_SLOTS:
    // Poolers reject startup parameters they do not know (such as "options"), so the
    // connection must carry its settings in ways PgBouncer accepts.
    void connectsThroughPgBouncer()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        PgBouncer bouncer(cluster);
        const auto started = bouncer.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        auto params = ConnectionParams::fromUrl(bouncer.url());
        QVERIFY(params.ok());
        params->statementTimeoutSeconds = 7;
        auto connection = Connection::open(*params);
        QVERIFY2(
            connection.ok(),
            qPrintable(connection.ok() ? QString() : connection.error().message + bouncer.log()));
        QCOMPARE(connection->scalar(QStringLiteral("SELECT 40 + 2")).value(), QStringLiteral("42"));
        QCOMPARE(connection->scalar(QStringLiteral("SHOW statement_timeout")).value(),
                 QStringLiteral("7s"));
        QCOMPARE(connection->scalar(QStringLiteral("SHOW port")).value(),
                 QString::number(cluster.port()));
    }

    void initTestCase()
    {
        const Result<void> started = m_cluster.start();
        QVERIFY2(started.ok(), qPrintable(describe(started)));
        QVERIFY(m_cluster.createRole(QStringLiteral("app"), m_appPassword).ok());
        QVERIFY(m_cluster.exec(QStringLiteral("CREATE DATABASE app OWNER app")).ok());
    }

    // ---- a working server --------------------------------------------------------------

    void connectsOverTcpAndReportsTheServer()
    {
        Connection connection = openApp();
        QVERIFY(connection.isOpen());
        QVERIFY2(connection.serverVersion().startsWith(QLatin1String("15.")),
                 qPrintable(connection.serverVersion()));
        QVERIFY(!connection.serverVersion().contains(QLatin1Char(' ')));
        QVERIFY(connection.serverVersionNumber() >= 150000);
        QVERIFY(connection.serverVersionNumber() < 160000);
        QCOMPARE(connection.scalar(QStringLiteral("SELECT pg_backend_pid()")).value(),
                 QString::number(connection.backendPid()));
        QCOMPARE(
            connection.scalar(QStringLiteral("SELECT current_setting('application_name')")).value(),
            QStringLiteral("paritydeck-test"));
        QCOMPARE(connection.scalar(QStringLiteral("SHOW statement_timeout")).value(),
                 QStringLiteral("30s"));
    }

    void connectsThroughTheUnixSocketDirectory()
    {
        Result<Connection> connection = Connection::open(m_cluster.socketParams());
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        QCOMPARE(connection->scalar(QStringLiteral("SELECT current_user")).value(),
                 QStringLiteral("postgres"));
    }

    void queryFillsColumnsRowsAndNulls()
    {
        Connection connection = openApp();
        const Result<QueryResult> result = connection.exec(
            QStringLiteral("SELECT * FROM (VALUES (1, 'one'), (2, NULL), (3, '')) AS t(n, name) "
                           "ORDER BY n"));
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result->columns(), (QStringList{QStringLiteral("n"), QStringLiteral("name")}));
        QCOMPARE(result->rowCount(), 3);
        QCOMPARE(result->value(0, QStringLiteral("name")), QStringLiteral("one"));
        QVERIFY(result->isNull(1, 1));
        QVERIFY(result->value(1, 1).isNull());
        QVERIFY(!result->isNull(2, 1));
        QCOMPARE(result->value(2, 1), QString());
        QCOMPARE(result->affectedRows(), 3);
    }

    void bindsTextParametersAndNull()
    {
        Connection connection = openApp();
        const QString unicode = QStringLiteral("zażółć gęślą 🐘");
        const Result<QueryResult> result = connection.exec(
            QStringLiteral("SELECT $1::int + 1, $2::text IS NULL, $3::text, "
                           "length($3::text), $4::text"),
            {QStringLiteral("41"), QString(), unicode, QStringLiteral("'; DROP TABLE x; --")});
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result->value(0, 0), QStringLiteral("42"));
        QCOMPARE(result->value(0, 1), QStringLiteral("t"));
        QCOMPARE(result->value(0, 2), unicode);
        QCOMPARE(result->value(0, 3), QStringLiteral("14")); // characters, not bytes
        QCOMPARE(result->value(0, 4), QStringLiteral("'; DROP TABLE x; --"));
    }

    void severalStatementsReturnTheLastRows()
    {
        Connection connection = openApp();
        const Result<QueryResult> result =
            connection.exec(QStringLiteral("CREATE TEMP TABLE t(a int);\n"
                                           "INSERT INTO t VALUES (1), (2), (3);\n"
                                           "SELECT a FROM t WHERE a > 1 ORDER BY a;\n"
                                           "UPDATE t SET a = a;"));
        QVERIFY2(result.ok(), qPrintable(describe(result)));
        QCOMPARE(result->columns(), QStringList{QStringLiteral("a")});
        QCOMPARE(result->rowCount(), 2);
        QCOMPARE(result->value(1, 0), QStringLiteral("3"));

        const Result<QueryResult> update =
            connection.exec(QStringLiteral("DELETE FROM t WHERE a < $1"), {QStringLiteral("3")});
        QVERIFY2(update.ok(), qPrintable(describe(update)));
        QCOMPARE(update->affectedRows(), 2);
        QCOMPARE(update->columnCount(), 0);
    }

    void sqlErrorCarriesSqlstateAndPosition()
    {
        Connection connection = openApp();
        const Result<QueryResult> result =
            connection.exec(QStringLiteral("SELECT 1;\nSELECT 'é🐘', *\n  FROM missing_table"));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Runtime);
        QVERIFY2(result.error().message.contains(
                     QLatin1String("relation \"missing_table\" does not exist")),
                 qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(QLatin1String("SQLSTATE 42P01")),
                 qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(QLatin1String("line 3, column 8")),
                 qPrintable(result.error().message));
        // The failed statement leaves the connection usable.
        QCOMPARE(connection.scalar(QStringLiteral("SELECT 2")).value(), QStringLiteral("2"));
    }

    // A RAISE can put a line break or ESC into the server's message: it must not start a
    // line of ParityDeck's output or drive the terminal.
    void aServersMessageStaysOneLine()
    {
        Connection connection = openApp();
        const Result<QueryResult> result = connection.exec(
            QStringLiteral("DO $$ BEGIN RAISE EXCEPTION E'boom \\x1b[31mred\\nfake: line'"
                           " USING HINT = E'first\\nsecond'; END $$"));
        QVERIFY(!result.ok());
        const QString message = result.error().message;
        QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
        QVERIFY2(!message.contains(QChar(0x1b)), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("boom \\x1b[31mred\\nfake: line")),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("first\\nsecond")), qPrintable(message));
    }

    void scalarOfNoRowsIsNotFound()
    {
        Connection connection = openApp();
        const Result<QString> none = connection.scalar(QStringLiteral("SELECT 1 WHERE false"));
        QVERIFY(!none.ok());
        QCOMPARE(none.error().code, ErrorCode::NotFound);
    }

    void aMovedConnectionKeepsWorking()
    {
        Connection first = openApp();
        const int pid = first.backendPid();
        Connection second(std::move(first));
        QVERIFY(!first.isOpen()); // NOLINT(bugprone-use-after-move): moved-from state is defined
        QCOMPARE(second.backendPid(), pid);
        Connection third = openApp();
        third = std::move(second);
        QCOMPARE(third.backendPid(), pid);
        QCOMPARE(third.scalar(QStringLiteral("SELECT 1")).value(), QStringLiteral("1"));
        const Result<QueryResult> onMoved = first.exec(QStringLiteral("SELECT 1"));
        QVERIFY(!onMoved.ok());
    }

    // ---- timeouts ------------------------------------------------------------------------

    void queryTimeoutCancelsAndLeavesTheConnectionUsable()
    {
        Connection connection = openApp();
        const int pid = connection.backendPid();
        QElapsedTimer timer;
        timer.start();
        const Result<QueryResult> slow =
            connection.exec(QStringLiteral("SELECT pg_sleep(10)"), {}, 500);
        QVERIFY(!slow.ok());
        QCOMPARE(slow.error().code, ErrorCode::Timeout);
        QCOMPARE(slow.error().message, QStringLiteral("query timed out after 500 ms"));
        QVERIFY2(timer.elapsed() < 5000, "far sooner than the statement's 10 s");

        QVERIFY(connection.isOpen());
        QCOMPARE(connection.scalar(QStringLiteral("SELECT 'still here'")).value(),
                 QStringLiteral("still here"));
        QCOMPARE(connection.backendPid(), pid);
        // The server-side statement was cancelled, not left running.
        const Result<QueryResult> sleeping = m_cluster.exec(
            QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid = %1 AND "
                           "query LIKE '%pg_sleep(10)%'")
                .arg(pid));
        QVERIFY2(sleeping.ok(), qPrintable(describe(sleeping)));
        QCOMPARE(sleeping->value(0, 0), QStringLiteral("0"));
    }

    // A cancel flag set while the statement runs (a stop signal, the panel's Cancel)
    // cancels it on the server at once; the connection stays usable, and a flag already
    // set sends nothing.
    void cancelFlagCancelsTheRunningStatement()
    {
        Connection connection = openApp();
        const int pid = connection.backendPid();
        std::atomic_bool cancel = false;
        auto setter = std::async(std::launch::async, [&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            cancel = true;
        });
        QElapsedTimer timer;
        timer.start();
        const Result<QueryResult> slow =
            connection.exec(QStringLiteral("SELECT pg_sleep(30)"), {}, 60'000, &cancel);
        setter.wait();
        QVERIFY(!slow.ok());
        QCOMPARE(slow.error().code, ErrorCode::Cancelled);
        QCOMPARE(slow.error().message, QStringLiteral("the statement was cancelled"));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(connection.isOpen());
        QCOMPARE(connection.backendPid(), pid);
        QCOMPARE(connection.scalar(QStringLiteral("SELECT 'still here'")).value(),
                 QStringLiteral("still here"));

        const Result<QueryResult> notSent =
            connection.exec(QStringLiteral("SELECT 'never ' || 'sent'"), {}, 60'000, &cancel);
        QVERIFY(!notSent.ok());
        QCOMPARE(notSent.error().code, ErrorCode::Cancelled);
    }

    // A connection's own cancel flag (setCancelFlag: for readers such as an introspection,
    // whose exec() calls pass none) cancels its running statement like a flag passed to
    // exec(), and a move carries it; a flag passed to exec() still wins over it.
    void aConnectionsOwnCancelFlagCancelsItsStatements()
    {
        std::atomic_bool stop = false;
        Connection first = openApp();
        first.setCancelFlag(&stop);
        Connection moved(std::move(first));
        Connection connection = openApp();
        connection = std::move(moved);
        const int pid = connection.backendPid();
        QCOMPARE(connection.scalar(QStringLiteral("SELECT 'runs while unset'")).value(),
                 QStringLiteral("runs while unset"));

        auto setter = std::async(std::launch::async, [&stop] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            stop = true;
        });
        QElapsedTimer timer;
        timer.start();
        const Result<QueryResult> slow =
            connection.exec(QStringLiteral("SELECT pg_sleep(30)"), {}, 60'000);
        setter.wait();
        QVERIFY(!slow.ok());
        QCOMPARE(slow.error().code, ErrorCode::Cancelled);
        QCOMPARE(slow.error().message, QStringLiteral("the statement was cancelled"));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(connection.backendPid(), pid);

        // Once set, every statement is refused, a ROLLBACK too: such a connection is
        // dropped, not reused.
        const Result<QueryResult> rollback = connection.exec(QStringLiteral("ROLLBACK"));
        QVERIFY(!rollback.ok());
        QCOMPARE(rollback.error().code, ErrorCode::Cancelled);

        // An explicit flag wins: unset, the statement runs although the own flag is set …
        std::atomic_bool explicitFlag = false;
        const Result<QueryResult> runs =
            connection.exec(QStringLiteral("SELECT 'explicit wins'"), {}, 60'000, &explicitFlag);
        QVERIFY2(runs.ok(), qPrintable(describe(runs)));
        QCOMPARE(runs->value(0, 0), QStringLiteral("explicit wins"));
        // … and set, it cancels a statement the own flag (now unset) would let run.
        stop = false;
        auto explicitSetter = std::async(std::launch::async, [&explicitFlag] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            explicitFlag = true;
        });
        timer.restart();
        const Result<QueryResult> cancelled =
            connection.exec(QStringLiteral("SELECT pg_sleep(30)"), {}, 60'000, &explicitFlag);
        explicitSetter.wait();
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(connection.scalar(QStringLiteral("SELECT 'still here'")).value(),
                 QStringLiteral("still here"));
    }

    void serverStatementTimeoutIsATimeoutToo()
    {
        ConnectionParams params = appParams();
        params.statementTimeoutSeconds = 1;
        Result<Connection> connection = Connection::open(params);
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        const Result<QueryResult> slow = connection->exec(QStringLiteral("SELECT pg_sleep(5)"));
        QVERIFY(!slow.ok());
        QCOMPARE(slow.error().code, ErrorCode::Timeout);
        QVERIFY2(slow.error().message.startsWith(QLatin1String("query timed out after 1000 ms")),
                 qPrintable(slow.error().message));
        QVERIFY(connection->isOpen());
    }

    void aLongerQueryTimeoutIsNotCutShortByTheServer()
    {
        ConnectionParams params = appParams();
        params.statementTimeoutSeconds = 1;
        Result<Connection> connection = Connection::open(params);
        QVERIFY(connection.ok());
        const Result<QueryResult> slow =
            connection->exec(QStringLiteral("SELECT pg_sleep(1.5)"), {}, 10'000);
        QVERIFY2(slow.ok(), qPrintable(describe(slow)));
        QCOMPARE(connection->scalar(QStringLiteral("SHOW statement_timeout")).value(),
                 QStringLiteral("10s"));
    }

    void aStuckBackendIsCancelledThenAbandoned()
    {
        Connection connection = openApp();
        const pid_t backend = pid_t(connection.backendPid());
        // A stopped backend cannot act on the cancel request either: the connection must
        // be given up within the grace period and reported closed.
        QCOMPARE(::kill(backend, SIGSTOP), 0);
        QElapsedTimer timer;
        timer.start();
        const Result<QueryResult> stuck = connection.exec(QStringLiteral("SELECT 1"), {}, 500);
        const qint64 elapsed = timer.elapsed();
        ::kill(backend, SIGCONT);
        QVERIFY(!stuck.ok());
        QCOMPARE(stuck.error().code, ErrorCode::Timeout);
        QVERIFY2(stuck.error().message.startsWith(QLatin1String("query timed out after 500 ms; ")),
                 qPrintable(stuck.error().message));
        QVERIFY2(stuck.error().message.contains(QLatin1String("was closed")),
                 qPrintable(stuck.error().message));
        QVERIFY2(elapsed < 3 * (500 + 2 * 2000), "bounded by the timeout and the cancel grace");
        QVERIFY(!connection.isOpen());
        const Result<QueryResult> after = connection.exec(QStringLiteral("SELECT 1"));
        QVERIFY(!after.ok());
        QVERIFY2(after.error().message.contains(QLatin1String("closed")),
                 qPrintable(after.error().message));
    }

    void aServerCrashIsReportedNotWaitedOut()
    {
        PgCluster crashing;
        QVERIFY(crashing.start().ok());
        Result<Connection> connection = Connection::open(crashing.socketParams());
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        QVERIFY(crashing.kill().ok());
        QElapsedTimer timer;
        timer.start();
        const Result<QueryResult> result = connection->exec(QStringLiteral("SELECT 1"));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Runtime);
        QVERIFY2(result.error().message.contains(QLatin1String("was lost")),
                 qPrintable(result.error().message));
        QVERIFY2(timer.elapsed() < 10'000, "not the 30 s statement timeout");
        QVERIFY(!connection->isOpen());
    }

    // ---- failures to connect -------------------------------------------------------------

    void refusedPortIsRefused()
    {
        RefusingPort refusing;
        QVERIFY2(refusing.isValid(), qPrintable(refusing.errorString()));
        ConnectionParams params = appParams();
        params.port = refusing.port();
        params.connectTimeoutSeconds = 2;
        QElapsedTimer timer;
        timer.start();
        const Result<Connection> connection = Connection::open(params);
        QVERIFY(!connection.ok());
        QCOMPARE(connection.error().code, ErrorCode::Refused);
        QCOMPARE(connection.error().message,
                 QStringLiteral("connection refused at 127.0.0.1:%1").arg(refusing.port()));
        QVERIFY(timer.elapsed() < 3 * 2000);
    }

    void missingSocketIsRefused()
    {
        QTemporaryDir empty;
        ConnectionParams params = m_cluster.socketParams();
        params.host = empty.path();
        const Result<Connection> connection = Connection::open(params);
        QVERIFY(!connection.ok());
        QCOMPARE(connection.error().code, ErrorCode::Refused);
        QVERIFY2(connection.error().message.startsWith(
                     QStringLiteral("connection refused at %1/.s.PGSQL.%2")
                         .arg(empty.path())
                         .arg(m_cluster.port())),
                 qPrintable(connection.error().message));
    }

    void silentServerTimesOutWithinTheConnectTimeout()
    {
        HangingServer hanging;
        QVERIFY2(hanging.isListening(), qPrintable(hanging.errorString()));
        ConnectionParams params = appParams();
        params.port = hanging.port();
        params.connectTimeoutSeconds = 1;
        QElapsedTimer timer;
        timer.start();
        const Result<Connection> connection = Connection::open(params);
        QVERIFY(!connection.ok());
        QCOMPARE(connection.error().code, ErrorCode::Timeout);
        QCOMPARE(
            connection.error().message,
            QStringLiteral("timed out after 1s connecting to 127.0.0.1:%1").arg(hanging.port()));
        QVERIFY2(timer.elapsed() < 3 * 1000, "returned within a generous bound of the timeout");
        // It did get through TCP: the timeout covers the unanswered startup packet.
        QCOMPARE(hanging.acceptedCount(), 1);
    }

    void wrongPasswordIsAuthAndEchoesNoPassword()
    {
        ConnectionParams params = appParams();
        const QString wrong = unique(QStringLiteral("Wrong-Pw-"));
        params.password = SecretValue::fromString(wrong);
        const Result<Connection> connection = Connection::open(params);
        QVERIFY(!connection.ok());
        QCOMPARE(connection.error().code, ErrorCode::Auth);
        const QString message = connection.error().message;
        QVERIFY2(message.startsWith(QLatin1String("password authentication failed for user app")),
                 qPrintable(message));
        QVERIFY(!message.contains(wrong));
        QVERIFY(!message.contains(m_appPassword));
        QVERIFY(!message.contains(QLatin1String("Wrong-Pw")));
        QVERIFY(!message.contains(QLatin1String("Right-Pw")));
    }

    void missingPasswordIsAuth()
    {
        ConnectionParams params = appParams();
        params.password = SecretValue();
        const Result<Connection> connection = Connection::open(params);
        QVERIFY(!connection.ok());
        QCOMPARE(connection.error().code, ErrorCode::Auth);
        QVERIFY2(
            connection.error().message.contains(QLatin1String("requires a password for user app")),
            qPrintable(connection.error().message));
    }

    void unknownDatabaseIsNotFound()
    {
        const Result<Connection> connection =
            Connection::open(m_cluster.socketParams(QStringLiteral("no_such_db")));
        QVERIFY(!connection.ok());
        QCOMPARE(connection.error().code, ErrorCode::NotFound);
        QVERIFY2(connection.error().message.startsWith(
                     QLatin1String("database \"no_such_db\" does not exist")),
                 qPrintable(connection.error().message));
    }

    void passwordIsOnNoCommandLineWhileConnecting()
    {
        HangingServer hanging;
        QVERIFY(hanging.isListening());
        const QString password = unique(QStringLiteral("S3cr3t-"));
        const QByteArray needle = password.toUtf8();
        ConnectionParams params = appParams();
        params.port = hanging.port();
        params.password = SecretValue::fromString(password);
        params.connectTimeoutSeconds = 2;

        std::future<Result<Connection>> attempt =
            std::async(std::launch::async, [params] { return Connection::open(params); });
        // The attempt is now past TCP and waiting for the server: the password is in flight.
        QVERIFY(hanging.waitForConnections(1, 10'000));

        int scanned = 0;
        bool sawSelf = false;
        QStringList leaks;
        const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
        for (const QString &entry : entries) {
            bool isPid = false;
            const int pid = entry.toInt(&isPid);
            if (!isPid)
                continue;
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (!cmdline.open(QIODevice::ReadOnly))
                continue; // exited meanwhile
            const QByteArray args = cmdline.readAll();
            ++scanned;
            if (pid == int(::getpid()))
                sawSelf = args.contains("tst_connection");
            if (args.contains(needle))
                leaks << entry;
            QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
            if (environ.open(QIODevice::ReadOnly) && environ.readAll().contains(needle))
                leaks << entry + QStringLiteral(" (environment)");
        }
        QVERIFY2(sawSelf, "the scan reads command lines (our own included)");
        QVERIFY(scanned > 1);
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QStringLiteral(", "))));
        QVERIFY2(attempt.wait_for(0s) == std::future_status::timeout,
                 "the scan happened while the attempt was in progress");

        const Result<Connection> result = attempt.get();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Timeout);
        QVERIFY(!result.error().message.contains(password));
    }

    // ---- URLs ----------------------------------------------------------------------------

    void urlParsing_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("dbname");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("options");
        QTest::addColumn<QString>("display");

        QTest::newRow("full") << "postgresql://app@127.0.0.1:6432/app_dev"
                              << "127.0.0.1" << 6432 << "app_dev"
                              << "app"
                              << ""
                              << "app@127.0.0.1:6432/app_dev";
        QTest::newRow("short scheme, defaults") << "postgres://db.example.com/prod"
                                                << "db.example.com" << 5432 << "prod"
                                                << ""
                                                << ""
                                                << "db.example.com:5432/prod";
        QTest::newRow("scheme case") << " POSTGRESQL://h "
                                     << "h" << 5432 << ""
                                     << ""
                                     << ""
                                     << "h:5432";
        QTest::newRow("ipv6 with port") << "postgresql://app@[::1]:5433/app"
                                        << "::1" << 5433 << "app"
                                        << "app"
                                        << ""
                                        << "app@[::1]:5433/app";
        QTest::newRow("ipv6 without port") << "postgresql://[2001:db8::1]/x"
                                           << "2001:db8::1" << 5432 << "x"
                                           << ""
                                           << ""
                                           << "[2001:db8::1]:5432/x";
        QTest::newRow("percent-encoding") << "postgresql://us%40er@host/my%20db%2Fx"
                                          << "host" << 5432 << "my db/x"
                                          << "us@er"
                                          << ""
                                          << "us@er@host:5432/my db/x";
        QTest::newRow("socket as query") << "postgresql:///app_dev?host=/var/run/postgresql"
                                         << "/var/run/postgresql" << 5432 << "app_dev"
                                         << ""
                                         << ""
                                         << "/var/run/postgresql/.s.PGSQL.5432/app_dev";
        QTest::newRow("socket percent-encoded") << "postgresql://%2Ftmp%2Fsock:5433/app"
                                                << "/tmp/sock" << 5433 << "app"
                                                << ""
                                                << ""
                                                << "/tmp/sock/.s.PGSQL.5433/app";
        QTest::newRow("query overrides") << "postgresql://h/db?port=7000&dbname=d2&user=u2"
                                         << "h" << 7000 << "d2"
                                         << "u2"
                                         << ""
                                         << "u2@h:7000/d2";
        QTest::newRow("options") << "postgresql://app@h/db?sslmode=require&target_session_attrs=any"
                                 << "h" << 5432 << "db"
                                 << "app"
                                 << "sslmode=require;target_session_attrs=any"
                                 << "app@h:5432/db";
        QTest::newRow("jdbc ssl") << "postgresql://h/db?ssl=true"
                                  << "h" << 5432 << "db"
                                  << ""
                                  << "sslmode=require"
                                  << "h:5432/db";
        QTest::newRow("empty host means libpq default")
            << "postgresql:///db"
            << "" << 5432 << "db"
            << ""
            << ""
            << "the default local socket (port 5432)/db";
    }

    void urlParsing()
    {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, dbname);
        QFETCH(QString, user);
        QFETCH(QString, options);
        QFETCH(QString, display);
        const Result<ConnectionParams> params = ConnectionParams::fromUrl(url);
        QVERIFY2(params.ok(), qPrintable(describe(params)));
        QCOMPARE(params->host, host);
        QCOMPARE(params->port, port);
        QCOMPARE(params->dbname, dbname);
        QCOMPARE(params->user, user);
        QStringList pairs;
        for (auto it = params->options.cbegin(); it != params->options.cend(); ++it)
            pairs << it.key() + QLatin1Char('=') + it.value();
        QCOMPARE(pairs.join(QLatin1Char(';')), options);
        QCOMPARE(params->displayTarget(), display);
        QVERIFY(params->password.isEmpty());
    }

    void urlTimeoutAndApplicationName()
    {
        const Result<ConnectionParams> params = ConnectionParams::fromUrl(
            QStringLiteral("postgresql://h/db?connect_timeout=3&application_name=my%20app"));
        QVERIFY2(params.ok(), qPrintable(describe(params)));
        QCOMPARE(params->connectTimeoutSeconds, 3);
        QCOMPARE(params->applicationName, QStringLiteral("my app"));
        QVERIFY(params->options.isEmpty());
    }

    void badUrlsAreConfigErrors_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("other scheme") << "mysql://root@h/db"
                                      << "mysql";
        QTest::newRow("garbage") << "just some text"
                                 << "postgresql://";
        QTest::newRow("empty") << ""
                               << "postgresql://";
        QTest::newRow("port too big") << "postgresql://h:99999/db"
                                      << "99999";
        QTest::newRow("port not a number") << "postgresql://h:abc/db"
                                           << "abc";
        QTest::newRow("unknown parameter") << "postgresql://h/db?sslmod=require"
                                           << "sslmod";
        QTest::newRow("parameter without value") << "postgresql://h/db?verbose"
                                                 << "name=value";
        QTest::newRow("several hosts") << "postgresql://h1,h2/db"
                                       << "several hosts";
        QTest::newRow("unclosed ipv6") << "postgresql://[::1/db"
                                       << "]";
        QTest::newRow("bad escape") << "postgresql://h/d%zz"
                                    << "%-escape";
        QTest::newRow("nul escape") << "postgresql://h/d%00"
                                    << "%-escape";
        QTest::newRow("fragment") << "postgresql://h/db#x"
                                  << "#";
        QTest::newRow("bad timeout") << "postgresql://h/db?connect_timeout=0"
                                     << "connect_timeout";
        // The last would win in silence: what the URL seems to say and what runs differ.
        QTest::newRow("sslmode twice")
            << "postgresql://h/db?sslmode=verify-full&application_name=x&sslmode=disable"
            << "\"sslmode\" more than once";
        QTest::newRow("ssl beside sslmode") << "postgresql://h/db?sslmode=disable&ssl=true"
                                            << "ssl=true is sslmode=require";
        QTest::newRow("user twice") << "postgresql://h/db?user=a&user=b"
                                    << "\"user\" more than once";
    }

    void badUrlsAreConfigErrors()
    {
        QFETCH(QString, url);
        QFETCH(QString, mentions);
        const Result<ConnectionParams> params = ConnectionParams::fromUrl(url);
        QVERIFY(!params.ok());
        QCOMPARE(params.error().code, ErrorCode::Config);
        QVERIFY2(params.error().message.contains(mentions), qPrintable(params.error().message));
    }

    void passwordInUrlIsRejectedWithoutEchoingIt_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("user info") << "postgresql://app:hunter2-xyz@h:5432/db";
        QTest::newRow("encoded") << "postgres://app:p%40ss-hunter2-xyz@h/db";
        QTest::newRow("with garbage port") << "postgresql://app:hunter2-xyz@h:nope/db";
        QTest::newRow("empty password") << "postgresql://app:@h/db";
        QTest::newRow("query parameter") << "postgresql://app@h/db?password=hunter2-xyz";
    }

    void passwordInUrlIsRejectedWithoutEchoingIt()
    {
        QFETCH(QString, url);
        const Result<ConnectionParams> params = ConnectionParams::fromUrl(url);
        QVERIFY(!params.ok());
        QCOMPARE(params.error().code, ErrorCode::Config);
        const QString message = params.error().message;
        QVERIFY2(message.contains(QLatin1String("secret reference")), qPrintable(message));
        QVERIFY2(!message.contains(QLatin1String("hunter2")), qPrintable(message));
        QVERIFY(!message.contains(QLatin1String("p%40ss")));
    }

    void displayNeverShowsThePassword()
    {
        ConnectionParams params;
        params.host = QStringLiteral("::1");
        params.port = 5433;
        params.user = QStringLiteral("app");
        params.dbname = QStringLiteral("app_dev");
        params.password = SecretValue::fromString(QStringLiteral("hunter2-xyz"));
        QCOMPARE(params.displayAddress(), QStringLiteral("[::1]:5433"));
        QCOMPARE(params.displayTarget(), QStringLiteral("app@[::1]:5433/app_dev"));
        params.host = QStringLiteral("/run/pg/");
        QCOMPARE(params.displayAddress(), QStringLiteral("/run/pg/.s.PGSQL.5433"));
    }

    // ---- libpq texts that a test machine cannot easily provoke ---------------------------

    void connectFailureTexts_data()
    {
        QTest::addColumn<QString>("libpq");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("expected");

        const QString at = QStringLiteral("connection to server at \"db.internal\" (10.0.0.5), "
                                          "port 5432 failed: ");
        QTest::newRow("pg_hba") << at + QStringLiteral("FATAL:  no pg_hba.conf entry for host "
                                                       "\"10.0.0.9\", user \"app\", database "
                                                       "\"app\", no encryption\n")
                                << ErrorCode::Auth
                                << "authentication failed for user app at db.internal:5432: no "
                                   "pg_hba.conf entry for host \"10.0.0.9\", user \"app\", "
                                   "database \"app\", no encryption";
        QTest::newRow("unknown role")
            << at + QStringLiteral("FATAL:  role \"ghost\" does not exist\n") << ErrorCode::Auth
            << "role \"ghost\" does not exist at db.internal:5432";
        QTest::newRow("starting up")
            << at + QStringLiteral("FATAL:  the database system is starting up\n")
            << ErrorCode::Refused
            << "the server at db.internal:5432 refused the connection: the database system is "
               "starting up";
        QTest::newRow("too many clients")
            << at + QStringLiteral("FATAL:  sorry, too many clients already\n")
            << ErrorCode::Refused
            << "the server at db.internal:5432 refused the connection: sorry, too many clients "
               "already";
        QTest::newRow("no route") << at + QStringLiteral("No route to host\n\tIs the server "
                                                         "running on that host and accepting "
                                                         "TCP/IP connections?\n")
                                  << ErrorCode::Refused
                                  << "cannot reach db.internal:5432: No route to host";
        QTest::newRow("dns") << QStringLiteral("could not translate host name \"db.internal\" to "
                                               "address: Name or service not known\n")
                             << ErrorCode::NotFound
                             << "host name \"db.internal\" could not be resolved: could not "
                                "translate host name \"db.internal\" to address: Name or service "
                                "not known";
        QTest::newRow("libpq timeout")
            << at + QStringLiteral("timeout expired\n") << ErrorCode::Timeout
            << "timed out after 5s connecting to db.internal:5432";
        QTest::newRow("translated, unknown")
            << QStringLiteral("Verbindung zum Server auf »db.internal«, Port 5432 "
                              "fehlgeschlagen: Verbindungsaufbau abgelehnt\n")
            << ErrorCode::Runtime
            << "could not connect to db.internal:5432: Verbindung zum Server auf »db.internal«, "
               "Port 5432 fehlgeschlagen: Verbindungsaufbau abgelehnt";
        QTest::newRow("echoed password is masked")
            << at + QStringLiteral("FATAL:  odd failure near hunter2-xyz\n") << ErrorCode::Runtime
            << "could not connect to db.internal:5432: odd failure near ••••";
    }

    void connectFailureTexts()
    {
        QFETCH(QString, libpq);
        QFETCH(ErrorCode, code);
        QFETCH(QString, expected);
        ConnectionParams params;
        params.host = QStringLiteral("db.internal");
        params.user = QStringLiteral("app");
        params.password = SecretValue::fromString(QStringLiteral("hunter2-xyz"));
        const Error error = pgerror::connectError(params, params.displayAddress(), libpq);
        QCOMPARE(error.message, expected);
        QCOMPARE(error.code, code);
    }

    void errorPositionsCountCharacters()
    {
        const QString sql = QStringLiteral("SELECT '🐘é',\n  x");
        // Position 16 is the 'x' (the elephant is one character, as on the server).
        const pgerror::TextPosition at = pgerror::positionInText(sql, 16);
        QCOMPARE(at.line, 2);
        QCOMPARE(at.column, 3);
        QCOMPARE(pgerror::positionInText(sql, 1).column, 1);
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
