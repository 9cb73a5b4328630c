#include "common/result.h"
#include "environment/environmentstatus.h"
#include "secrets/secretvalue.h"

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
        QCOMPARE(aggregateState({StatusState::Down, StatusState::Error, StatusState::Up}), StatusState::Error);
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
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
