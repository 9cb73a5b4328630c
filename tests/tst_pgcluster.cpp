// The throwaway-server fixture every database test stands on: it must start fast, give
// each cluster its own port, socket and directory, and leave nothing behind.
#include "pgcluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QTest>

#include <array>
#include <cstdio>
#include <future>
#include <memory>

using namespace pd;
using namespace pd::test;

namespace {

// Gone, or a zombie waiting for init to reap it: either way no longer a server.
bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    return line.mid(line.lastIndexOf(')') + 2, 1) == "Z";
}

QString scalarOf(const PgCluster &cluster, const QString &sql,
                 const QString &db = QStringLiteral("postgres"))
{
    const Result<QueryResult> result = cluster.exec(sql, db);
    if (!result)
        return QStringLiteral("error: ") + result.error().message;
    return result->value(0, 0);
}

} // namespace

class TestPgCluster final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAServerThatAnswersOnItsOwnPortAndSocket()
    {
        PgCluster cluster;
        QElapsedTimer timer;
        timer.start();
        const Result<void> started = cluster.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        qInfo("cluster started in %lld ms", timer.elapsed());

        QVERIFY(cluster.isRunning());
        QVERIFY(cluster.port() > 0);
        QVERIFY(cluster.postmasterPid() > 0);
        QVERIFY(QFileInfo::exists(cluster.socketDir() + QStringLiteral("/.s.PGSQL.") +
                                  QString::number(cluster.port())));
        QCOMPARE(scalarOf(cluster, QStringLiteral("SHOW port")), QString::number(cluster.port()));
        QCOMPARE(scalarOf(cluster, QStringLiteral("SHOW fsync")), QStringLiteral("off"));
        QCOMPARE(scalarOf(cluster, QStringLiteral("SHOW server_encoding")), QStringLiteral("UTF8"));

        // Over TCP too, as product code connects.
        Result<Connection> tcp = Connection::open(cluster.connectionParams());
        QVERIFY2(tcp.ok(), qPrintable(tcp.ok() ? QString() : tcp.error().message));
        QCOMPARE(tcp->scalar(QStringLiteral("SELECT inet_server_addr()::text")).value(),
                 QStringLiteral("127.0.0.1/32"));
        QCOMPARE(cluster.url(QStringLiteral("app")),
                 QStringLiteral("postgresql://postgres@127.0.0.1:%1/app").arg(cluster.port()));
    }

    void stopEndsTheServerProcess()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        const qint64 pid = cluster.postmasterPid();
        QVERIFY(!processGone(pid));
        const Result<void> stopped = cluster.stop();
        QVERIFY2(stopped.ok(), qPrintable(stopped.ok() ? QString() : stopped.error().message));
        QVERIFY(processGone(pid));
        QVERIFY(!cluster.isRunning());
        QVERIFY(!cluster.connect().ok());
    }

    void destructionRemovesTheDirectoryAndTheProcess()
    {
        QString root;
        qint64 pid = 0;
        {
            PgCluster cluster;
            QVERIFY(cluster.start().ok());
            root = cluster.rootDir();
            pid = cluster.postmasterPid();
            // An open client must not keep anything alive.
            Result<Connection> open = cluster.connect();
            QVERIFY(open.ok());
            QVERIFY(QDir(root).exists());
        }
        QVERIFY(!root.isEmpty());
        QVERIFY(!QDir(root).exists());
        QVERIFY(processGone(pid));
    }

    void threeClustersRunAtOnceEachOnItsOwnPort()
    {
        std::array<std::unique_ptr<PgCluster>, 3> clusters;
        std::array<std::future<Result<void>>, 3> starts;
        // Started concurrently, so port picking races for real.
        for (size_t i = 0; i < clusters.size(); ++i) {
            clusters[i] = std::make_unique<PgCluster>();
            starts[i] =
                std::async(std::launch::async, [c = clusters[i].get()] { return c->start(); });
        }
        for (auto &start : starts) {
            const Result<void> started = start.get();
            QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        }
        QSet<int> ports;
        for (const auto &cluster : clusters) {
            ports.insert(cluster->port());
            QCOMPARE(scalarOf(*cluster, QStringLiteral("SHOW port")),
                     QString::number(cluster->port()));
        }
        QCOMPARE(ports.size(), 3);

        // Separate servers: a database made in one exists in no other.
        QVERIFY(clusters[1]->createDatabase(QStringLiteral("only_here")).ok());
        const QString count =
            QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = 'only_here'");
        QCOMPARE(scalarOf(*clusters[0], count), QStringLiteral("0"));
        QCOMPARE(scalarOf(*clusters[1], count), QStringLiteral("1"));
        QCOMPARE(scalarOf(*clusters[2], count), QStringLiteral("0"));
    }

    void createsDatabasesAndPasswordRoles()
    {
        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        PgCluster cluster(options);
        QVERIFY(cluster.start().ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app_dev")).ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app_dev__copy"), QStringLiteral("app_dev"))
                    .ok());
        QVERIFY(cluster.createRole(QStringLiteral("app"), QStringLiteral("it's-right")).ok());

        ConnectionParams params =
            cluster.connectionParams(QStringLiteral("app_dev__copy"), QStringLiteral("app"));
        params.password = SecretValue::fromString(QStringLiteral("it's-right"));
        Result<Connection> app = Connection::open(params);
        QVERIFY2(app.ok(), qPrintable(app.ok() ? QString() : app.error().message));
        QCOMPARE(app->scalar(QStringLiteral("SELECT current_user")).value(), QStringLiteral("app"));

        // TCP without a password is refused in this mode; the socket stays open to postgres.
        Result<Connection> noPassword = Connection::open(cluster.connectionParams());
        QVERIFY(!noPassword.ok());
        QCOMPARE(noPassword.error().code, ErrorCode::Auth);
        QVERIFY(cluster.connect().ok());
    }

    void restartsAfterACrashWithItsData()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        QVERIFY(
            cluster.exec(QStringLiteral("CREATE TABLE kept(v int); INSERT INTO kept VALUES (7)"))
                .ok());
        // synchronous_commit is off: only a checkpoint after the commit makes it crash-proof.
        QVERIFY(cluster.exec(QStringLiteral("CHECKPOINT")).ok());
        const int port = cluster.port();
        const qint64 pid = cluster.postmasterPid();
        QVERIFY(cluster.kill().ok());
        QVERIFY(processGone(pid));
        QVERIFY(!cluster.isRunning());

        const Result<void> restarted = cluster.restart();
        QVERIFY2(restarted.ok(),
                 qPrintable(restarted.ok() ? QString() : restarted.error().message));
        QCOMPARE(cluster.port(), port);
        QCOMPARE(scalarOf(cluster, QStringLiteral("SELECT v FROM kept")), QStringLiteral("7"));
    }

    void aKilledTestProcessLeavesNoServerBehind()
    {
        // This binary in child mode (see main) starts a cluster and reports it; SIGKILL
        // then leaves no destructor or signal handler to clean up: only the watchdog.
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PD_PGCLUSTER_CHILD"), QStringLiteral("1"));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        while (!child.canReadLine() && child.waitForReadyRead(60'000)) {
        }
        const QStringList reported =
            QString::fromLocal8Bit(child.readLine()).trimmed().split(QLatin1Char(' '));
        QCOMPARE(reported.size(), 2);
        const QString root = reported.at(0);
        const qint64 pid = reported.at(1).toLongLong();
        QVERIFY(QDir(root).exists());
        QVERIFY(!processGone(pid));

        child.kill();
        QVERIFY(child.waitForFinished(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(root).exists(), 20'000);
    }

    void aBadSettingFailsWithTheServerLogAndLeavesNoProcess()
    {
        PgCluster::Options options;
        options.settings << QStringLiteral("shared_buffers = 'not-a-size'");
        QString root;
        {
            PgCluster cluster(options);
            const Result<void> started = cluster.start();
            QVERIFY(!started.ok());
            QVERIFY2(started.error().message.contains(QLatin1String("shared_buffers")),
                     qPrintable(started.error().message));
            QVERIFY(!cluster.isRunning());
            root = cluster.rootDir();
        }
        QVERIFY(!QDir(root).exists());
    }
};

// Child mode for aKilledTestProcessLeavesNoServerBehind: start a cluster, print
// "<root> <postmaster pid>", then block until killed (or until the parent's pipe closes).
static int runChild()
{
    PgCluster cluster;
    const Result<void> started = cluster.start();
    if (!started) {
        std::fprintf(stderr, "%s\n", qPrintable(started.error().message));
        return 1;
    }
    std::printf("%s %lld\n", qPrintable(cluster.rootDir()), cluster.postmasterPid());
    std::fflush(stdout);
    while (std::getchar() != EOF) {
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("PD_PGCLUSTER_CHILD"))
        return runChild();
    QCoreApplication app(argc, argv);
    TestPgCluster test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_pgcluster.moc"
