// The connection factory (db/connectionfactory.h): each purpose's parameters, the status
// probe's statement timeout sent at startup (and the SET it falls back to through
// PgBouncer), the GSSAPI fallback and the skipped TLS request, against real servers.
#include "db/connection.h"
#include "db/connectionfactory.h"
#include "pgbouncer.h"
#include "pgcluster.h"
#include "refusingport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QTest>

#include <unistd.h>

using namespace pd;
using namespace pd::test;

Q_DECLARE_METATYPE(pd::ConnectionPurpose)

namespace {

template<typename T> QString describe(const Result<T> &result)
{
    return result.ok() ? QStringLiteral("ok") : result.error().message;
}

ConnectionParams parsed(const QString &url)
{
    auto params = ConnectionParams::fromUrl(url);
    if (!params)
        qFatal("bad test URL: %s", qPrintable(params.error().message));
    return std::move(params).value();
}

} // namespace

class TestConnectionFactory final : public QObject
{
    Q_OBJECT

    PgCluster m_cluster{[] {
        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        return options;
    }()};
    const QString m_password = QStringLiteral("Factory-Pw-4471-Horse");

    ConnectionParams appBase() const
    {
        return m_cluster.connectionParams(QStringLiteral("postgres"), QStringLiteral("app"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        const Result<void> started = m_cluster.start();
        QVERIFY2(started.ok(), qPrintable(describe(started)));
        QVERIFY(m_cluster.createRole(QStringLiteral("app"), m_password).ok());
    }

    void init()
    {
        gssattempt::forgetAll();
        sslattempt::forgetAll();
        sslattempt::setMemoryMs(5 * 60 * 1000);
    }

    void eachPurposeTakesTheEnvironmentsLimits_data()
    {
        QTest::addColumn<ConnectionPurpose>("purpose");
        QTest::addColumn<bool>("atStartup");
        QTest::newRow("status probe") << ConnectionPurpose::StatusProbe << true;
        QTest::newRow("introspection") << ConnectionPurpose::Introspection << false;
        QTest::newRow("migration") << ConnectionPurpose::Migration << false;
        QTest::newRow("branch admin") << ConnectionPurpose::BranchAdmin << false;
    }

    void eachPurposeTakesTheEnvironmentsLimits()
    {
        QFETCH(ConnectionPurpose, purpose);
        QFETCH(bool, atStartup);
        // The URL's own connect_timeout gives way to the environment's, as it always did;
        // its other keywords stay.
        const ConnectionParams base = parsed(QStringLiteral(
            "postgresql://app@db.example:6543/shop?sslmode=require&connect_timeout=9"));
        const SecretValue password = SecretValue::fromString(m_password);
        const ConnectionParams params =
            connectionParamsFor(base, ConnectionTimeouts{3, 17}, purpose, password);
        QCOMPARE(params.connectTimeoutSeconds, 3);
        QCOMPARE(params.statementTimeoutSeconds, 17);
        QCOMPARE(params.statementTimeoutAtStartup, atStartup);
        QCOMPARE(params.password.reveal(), m_password.toUtf8());
        QCOMPARE(params.displayTarget(), QStringLiteral("app@db.example:6543/shop"));
        QCOMPARE(params.options.value(QStringLiteral("sslmode")), QStringLiteral("require"));
        QCOMPARE(params.applicationName, QStringLiteral("paritydeck"));
        // Nothing known about this target yet: libpq's own default for gssencmode.
        QVERIFY(!params.options.contains(QStringLiteral("gssencmode")));

        // Without a password none is sent.
        QVERIFY(connectionParamsFor(base, {}, purpose).password.isEmpty());
    }

    // The probe's statement_timeout comes with the startup packet ("client" source), not
    // from a SET after connecting ("session" source) as for the other purposes.
    void statusProbeSetsTheTimeoutWithoutASet_data()
    {
        eachPurposeTakesTheEnvironmentsLimits_data();
    }

    void statusProbeSetsTheTimeoutWithoutASet()
    {
        QFETCH(ConnectionPurpose, purpose);
        QFETCH(bool, atStartup);
        const ConnectionParams params = connectionParamsFor(
            appBase(), ConnectionTimeouts{3, 2}, purpose, SecretValue::fromString(m_password));
        auto connection = Connection::open(params);
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        auto setting = connection->exec(QStringLiteral(
            "SELECT setting, source FROM pg_settings WHERE name = 'statement_timeout'"));
        QVERIFY2(setting.ok(), qPrintable(describe(setting)));
        QCOMPARE(setting->value(0, 0), QStringLiteral("2000"));
        QCOMPARE(setting->value(0, 1),
                 atStartup ? QStringLiteral("client") : QStringLiteral("session"));
    }

    // The server itself cuts a slow statement on a probe's connection: inside a transaction
    // the client does not raise the server's limit, so a 10 s sleep given a 20 s client
    // deadline ends at the server's 2 s.
    void statusProbeCutsASlowStatementOnTheServer()
    {
        const ConnectionParams params =
            connectionParamsFor(appBase(), ConnectionTimeouts{3, 2}, ConnectionPurpose::StatusProbe,
                                SecretValue::fromString(m_password));
        auto connection = Connection::open(params);
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        QVERIFY(connection->exec(QStringLiteral("BEGIN")).ok());
        QElapsedTimer clock;
        clock.start();
        auto slept = connection->exec(QStringLiteral("SELECT pg_sleep(10)"), {}, 20'000);
        QVERIFY(!slept.ok());
        QCOMPARE(slept.error().code, ErrorCode::Timeout);
        QVERIFY2(slept.error().message.contains(QStringLiteral("server statement_timeout")),
                 qPrintable(slept.error().message));
        QVERIFY2(clock.elapsed() < 8000, qPrintable(QString::number(clock.elapsed())));
    }

    // PgBouncer refuses the "options" startup parameter: the probe connects anyway, with
    // the SET, and the next probe of that pooler goes straight to the SET.
    void statusProbeThroughPgBouncerFallsBackToASet()
    {
        PgCluster cluster;
        QVERIFY(cluster.start().ok());
        PgBouncer bouncer(cluster);
        const auto started = bouncer.start();
        QVERIFY2(started.ok(), qPrintable(describe(started)));
        const ConnectionParams params = connectionParamsFor(
            parsed(bouncer.url()), ConnectionTimeouts{3, 7}, ConnectionPurpose::StatusProbe);
        for (int i = 0; i < 2; ++i) {
            auto connection = Connection::open(params);
            QVERIFY2(connection.ok(), qPrintable(describe(connection) + bouncer.log()));
            QCOMPARE(connection->scalar(QStringLiteral("SHOW statement_timeout")).value(),
                     QStringLiteral("7s"));
        }
        // One refused attempt (PgBouncer logs it as one "pooler error"), then two logins.
        QCOMPARE(bouncer.log().count(
                     QStringLiteral("pooler error: unsupported startup parameter: options")),
                 1);
        QCOMPARE(bouncer.log().count(QStringLiteral("login attempt")), 2);
    }

    // libpq's default gssencmode=prefer looks for Kerberos credentials on every connect.
    // After a target connected without GSSAPI encryption, every purpose skips the attempt;
    // a server with gssencmode prefer and no Kerberos connects either way.
    void gssAttemptIsSkippedOnceATargetConnectedWithoutIt_data()
    {
        eachPurposeTakesTheEnvironmentsLimits_data();
    }

    void gssAttemptIsSkippedOnceATargetConnectedWithoutIt()
    {
        QFETCH(ConnectionPurpose, purpose);
        const SecretValue password = SecretValue::fromString(m_password);
        const ConnectionParams first = connectionParamsFor(appBase(), {}, purpose, password);
        QVERIFY(!first.options.contains(QStringLiteral("gssencmode")));
        auto connection = Connection::open(first);
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        QVERIFY(!connection->gssEncrypted());

        const ConnectionParams next = connectionParamsFor(appBase(), {}, purpose, password);
        QCOMPARE(next.options.value(QStringLiteral("gssencmode")), QStringLiteral("disable"));
        auto again = Connection::open(next);
        QVERIFY2(again.ok(), qPrintable(describe(again)));

        // A failure other than an unreachable server forgets the target: the next attempt
        // is made in libpq's default way (credentials may have appeared since).
        QVERIFY(!Connection::open(connectionParamsFor(appBase(), {}, purpose)).ok());
        QVERIFY(!connectionParamsFor(appBase(), {}, purpose, password)
                     .options.contains(QStringLiteral("gssencmode")));
    }

    void anUnreachableTargetIsPolledWithoutTheAttempt()
    {
        RefusingPort refused;
        QVERIFY(refused.isValid());
        const ConnectionParams down = connectionParamsFor(
            parsed(QStringLiteral("postgresql://app@127.0.0.1:%1/app").arg(refused.port())),
            ConnectionTimeouts{2, 2}, ConnectionPurpose::StatusProbe);
        QVERIFY(!down.options.contains(QStringLiteral("gssencmode")));
        QCOMPARE(Connection::open(down).error().code, ErrorCode::Refused);
        QVERIFY(gssattempt::skippedFor(down));
        QCOMPARE(connectionParamsFor(down, ConnectionTimeouts{2, 2}, ConnectionPurpose::StatusProbe)
                     .options.value(QStringLiteral("gssencmode")),
                 QStringLiteral("disable"));
        // Unless the target was once seen using GSSAPI encryption.
        gssattempt::record(down, gssattempt::Outcome::ConnectedWithGss);
        QCOMPARE(Connection::open(down).error().code, ErrorCode::Refused);
        QVERIFY(!gssattempt::skippedFor(down));
    }

    // libpq's default sslmode=prefer asks for TLS on every TCP connection. Once a server
    // said no, the status checks skip the question (sslmode=disable) for a while; other
    // purposes, a chosen sslmode and a Unix socket are left as they are.
    void theTlsRequestIsSkippedOnceAServerSaidNo()
    {
        const SecretValue password = SecretValue::fromString(m_password);
        const auto probe = [&](const ConnectionParams &base) {
            return connectionParamsFor(base, {}, ConnectionPurpose::StatusProbe, password);
        };
        const ConnectionParams first = probe(appBase());
        QVERIFY(!first.options.contains(QStringLiteral("sslmode")));
        QVERIFY(!first.sslRequestSkipped);
        auto connection = Connection::open(first);
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        QVERIFY(!connection->sslEncrypted());

        const ConnectionParams next = probe(appBase());
        QCOMPARE(next.options.value(QStringLiteral("sslmode")), QStringLiteral("disable"));
        QVERIFY(next.sslRequestSkipped);
        auto again = Connection::open(next);
        QVERIFY2(again.ok(), qPrintable(describe(again)));
        QVERIFY(again->params().sslRequestSkipped);

        QVERIFY(!connectionParamsFor(appBase(), {}, ConnectionPurpose::Introspection, password)
                     .options.contains(QStringLiteral("sslmode")));
        const ConnectionParams chosen =
            probe(parsed(m_cluster.url(QStringLiteral("postgres"), QStringLiteral("app")) +
                         QStringLiteral("?sslmode=prefer")));
        QCOMPARE(chosen.options.value(QStringLiteral("sslmode")), QStringLiteral("prefer"));
        QVERIFY(!chosen.sslRequestSkipped);
        {
            qputenv("PGSSLMODE", "prefer");
            const auto unset = qScopeGuard([] { qunsetenv("PGSSLMODE"); });
            QVERIFY(!probe(appBase()).options.contains(QStringLiteral("sslmode")));
        }
        auto overSocket = Connection::open(probe(m_cluster.socketParams()));
        QVERIFY2(overSocket.ok(), qPrintable(describe(overSocket)));
        QVERIFY(!probe(m_cluster.socketParams()).sslRequestSkipped);

        // A failure forgets the server's answer: the next check asks again.
        ConnectionParams wrong = probe(appBase());
        QVERIFY(wrong.sslRequestSkipped);
        wrong.password = SecretValue::fromString(QStringLiteral("not-the-password"));
        QCOMPARE(Connection::open(wrong).error().code, ErrorCode::Auth);
        QVERIFY(!probe(appBase()).sslRequestSkipped);

        // So does time: the answer is trusted for setMemoryMs() from when it was given, and a
        // connection made with the question skipped does not renew it.
        sslattempt::setMemoryMs(400);
        QVERIFY(Connection::open(probe(appBase())).ok());
        QVERIFY(probe(appBase()).sslRequestSkipped);
        QTest::qWait(200);
        QVERIFY(Connection::open(probe(appBase())).ok());
        QTest::qWait(300);
        QVERIFY(!probe(appBase()).sslRequestSkipped);
    }

    // A server that said no to TLS and then demands it (ssl = on, hostssl only): the check
    // made with the request skipped is refused, and made again at once with it.
    void aServerThatNowDemandsTlsIsAskedAgainAtOnce()
    {
        PgCluster cluster{[] {
            PgCluster::Options options;
            options.passwordAuthOverTcp = true;
            return options;
        }()};
        QVERIFY2(cluster.start().ok(), qPrintable(cluster.serverLog()));
        QVERIFY(cluster.createRole(QStringLiteral("app"), m_password).ok());
        const SecretValue password = SecretValue::fromString(m_password);
        const ConnectionParams base =
            cluster.connectionParams(QStringLiteral("postgres"), QStringLiteral("app"));
        const auto probe = [&] {
            return connectionParamsFor(base, {}, ConnectionPurpose::StatusProbe, password);
        };
        QVERIFY(Connection::open(probe()).ok());
        QVERIFY(probe().sslRequestSkipped);

        // A throwaway certificate, owned like the data folder, and TLS demanded over TCP.
        const QString data = cluster.dataDir();
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-keyout"),
                       data + QStringLiteral("/server.key"), QStringLiteral("-out"),
                       data + QStringLiteral("/server.crt")});
        QVERIFY(openssl.waitForFinished(30000));
        QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
        const QFileInfo owner(data);
        for (const char *name : {"/server.key", "/server.crt"}) {
            const QByteArray path = QFile::encodeName(data + QLatin1String(name));
            QCOMPARE(::chown(path.constData(), owner.ownerId(), owner.groupId()), 0);
        }
        QVERIFY(QFile::setPermissions(data + QStringLiteral("/server.key"),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QFile hba(data + QStringLiteral("/pg_hba.conf"));
        QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hba.write("local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n");
        hba.close();
        QVERIFY(cluster.exec(QStringLiteral("ALTER SYSTEM SET ssl = on")).ok());
        QVERIFY(cluster.exec(QStringLiteral("SELECT pg_reload_conf()")).ok());
        // The reload is the postmaster's to do: a new session sees it once it is done.
        const auto sslSetting = [&cluster] {
            const Result<QueryResult> shown = cluster.exec(QStringLiteral("SHOW ssl"));
            return shown && shown->rowCount() == 1 ? shown->value(0, 0) : QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(sslSetting(), QStringLiteral("on"), 10000);

        const ConnectionParams skipped = probe();
        QVERIFY(skipped.sslRequestSkipped);
        auto connection = Connection::open(skipped);
        QVERIFY2(connection.ok(), qPrintable(describe(connection)));
        QVERIFY(connection->sslEncrypted());
        QVERIFY(!connection->params().sslRequestSkipped);
        QVERIFY(!connection->params().options.contains(QStringLiteral("sslmode")));
        QVERIFY(!probe().sslRequestSkipped);
    }

    // A gssencmode chosen by the URL or PGGSSENCMODE is never overridden; with "prefer" a
    // server without Kerberos still connects.
    void aChosenGssEncModeIsKept_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("environment");
        QTest::newRow("URL gssencmode=prefer")
            << QStringLiteral("?gssencmode=prefer") << QByteArray();
        QTest::newRow("PGGSSENCMODE=prefer") << QString() << QByteArrayLiteral("prefer");
    }

    void aChosenGssEncModeIsKept()
    {
        QFETCH(QString, query);
        QFETCH(QByteArray, environment);
        if (!environment.isEmpty())
            qputenv("PGGSSENCMODE", environment);
        const auto unset = qScopeGuard([] { qunsetenv("PGGSSENCMODE"); });
        const ConnectionParams base =
            parsed(m_cluster.url(QStringLiteral("postgres"), QStringLiteral("app")) + query);
        const SecretValue password = SecretValue::fromString(m_password);
        for (int i = 0; i < 2; ++i) {
            const ConnectionParams params =
                connectionParamsFor(base, {}, ConnectionPurpose::StatusProbe, password);
            QCOMPARE(params.options.value(QStringLiteral("gssencmode")),
                     query.isEmpty() ? QString() : QStringLiteral("prefer"));
            auto connection = Connection::open(params);
            QVERIFY2(connection.ok(), qPrintable(describe(connection)));
            QVERIFY(!connection->gssEncrypted());
        }
    }
};

QTEST_GUILESS_MAIN(TestConnectionFactory)
#include "tst_connectionfactory.moc"
