#include "common/result.h"
#include "db/pgerror.h"
#include "environment/environmentstatus.h"
#include "secrets/secretvalue.h"
#include "workspace/protection.h"
#include "workspace/workspaceloader.h"

#include <QTest>

using namespace pd;

class TestResult final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valueAndErrorAreDistinct()
    {
        Result<int> good(42);
        QVERIFY(good.ok());
        QCOMPARE(good.value(), 42);
        Result<int> bad(Error(ErrorCode::Config, QStringLiteral("broken")));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().message, QStringLiteral("broken"));
        QCOMPARE(exitCodeFor(bad.error().code), 2);
        QCOMPARE(exitCodeFor(ErrorCode::Refused), 3);
    }
    void defaultResultIsAnError()
    {
        Result<QString> r;
        QVERIFY(!r.ok());
    }
    void aggregatePrecedenceErrorWins()
    {
        QCOMPARE(aggregateState({StatusState::Up, StatusState::Down}), StatusState::Down);
        QCOMPARE(aggregateState({StatusState::Down, StatusState::Error, StatusState::Up}),
                 StatusState::Error);
        QCOMPARE(aggregateState({StatusState::Up, StatusState::Up}), StatusState::Up);
        QCOMPARE(aggregateState({StatusState::Up, StatusState::Unknown}), StatusState::Unknown);
        QCOMPARE(aggregateState({StatusState::Down, StatusState::Unknown}), StatusState::Down);
        QCOMPARE(aggregateState({}), StatusState::Unknown);
    }
    void secretValueNeverPrints()
    {
        SecretValue v = SecretValue::fromString(QStringLiteral("hunter2-top"));
        QString printed;
        QDebug(&printed) << v;
        QVERIFY(!printed.contains(QStringLiteral("hunter2")));
        QVERIFY(printed.contains(SecretValue::masked()));
        QCOMPARE(v.toString(), SecretValue::masked());
        QCOMPARE(v.revealString(), QStringLiteral("hunter2-top"));
        SecretValue copy = v;
        v.clear();
        QCOMPARE(copy.revealString(), QStringLiteral("hunter2-top"));
    }

    // Structured errors (common/errormessage.h): the sentence is data, composed once.
    void templatesFillNamedParametersOncePerPass()
    {
        const QList<ErrorArg> args{
            ErrorArg::text(QStringLiteral("address"), QStringLiteral("{user}")),
            ErrorArg::text(QStringLiteral("user"), QStringLiteral("app"))};
        const auto english = [](const char *text) { return QString::fromUtf8(text); };
        // A value holding "{…}" (a server's words) is copied, not expanded; an unknown
        // name stays visible.
        QCOMPARE(composeErrorText(QStringLiteral("{user} at {address}, {nope}"), args, english),
                 QStringLiteral("app at {user}, {nope}"));
    }

    void connectionFailuresKeepTheirSentenceAndCarryTheirParameters()
    {
        ConnectionParams params;
        params.user = QStringLiteral("app");
        const Error refused = pgerror::connectError(
            params, QStringLiteral("127.0.0.1:5433"),
            QStringLiteral("connection to server at \"127.0.0.1\", port 5433 failed: Connection "
                           "refused\n\tIs the server running on that host?"));
        QCOMPARE(refused.code, ErrorCode::Refused);
        QCOMPARE(refused.message, QStringLiteral("connection refused at 127.0.0.1:5433"));
        QCOMPARE(refused.kind, ErrorKind::ConnectionRefused);
        QVERIFY(refused.isStructured());
        QCOMPARE(refused.args.size(), 1);
        QCOMPARE(refused.args.first().value, QStringLiteral("127.0.0.1:5433"));

        const Error timeout = pgerror::connectTimeout(params, QStringLiteral("db:5432"), 7);
        QCOMPARE(timeout.message, QStringLiteral("timed out after 7s connecting to db:5432"));
        QCOMPARE(timeout.kind, ErrorKind::ConnectTimedOut);

        // A message rewritten after the fact is free text again: nobody composes a stale one.
        Error rewritten = refused;
        rewritten.message.prepend(QStringLiteral("dev: "));
        QVERIFY(!rewritten.isStructured());
    }

    void configErrorsKeepFileLineAndColumnApart()
    {
        const Error at =
            ConfigError{QStringLiteral("a.yaml"), 3, 7, QStringLiteral("bad")}.toError();
        QCOMPARE(at.code, ErrorCode::Config);
        QCOMPARE(at.kind, ErrorKind::ConfigAtPosition);
        QCOMPARE(at.message, QStringLiteral("a.yaml:3:7: bad"));
        QCOMPARE(
            (ConfigError{QStringLiteral("a.yaml"), 0, 0, QStringLiteral("bad")}.toError().kind),
            ErrorKind::ConfigInFile);
        const Error parsed =
            WorkspaceLoader::parse("version: 1\nproject: [\n", QStringLiteral("w.yaml")).error();
        QVERIFY(parsed.isStructured());
        QVERIFY(parsed.message.startsWith(QStringLiteral("w.yaml:")));
    }

    void protectionRefusalsTranslateTheirPhrasesToo()
    {
        const Result<void> refused = checkProtection(QStringLiteral("prod"), Protection::Confirm,
                                                     ProtectedChange::ApplyMigrations, QString(),
                                                     ConfirmationSource::Dialog);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::ProtectedNeedsName);
        QCOMPARE(
            refused.error().message,
            QStringLiteral("prod is protected (protection: confirm): migrations cannot be "
                           "applied without its name typed to confirm (type prod to confirm)"));
        // What the panel does with its translator: every template and phrase goes through it.
        const auto bracket = [](const char *text) -> QString {
            return QLatin1Char('[') + QString::fromUtf8(text) + QLatin1Char(']');
        };
        const Error &e = refused.error();
        QCOMPARE(composeErrorText(bracket(errorTemplate(e.kind)), e.args, bracket),
                 QStringLiteral("[prod is protected (protection: confirm): [migrations cannot be "
                                "applied] without its name typed to confirm[ (type prod to "
                                "confirm)]]"));
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
