// The one protection policy (core/workspace/protection.h) and the action policy built on
// it (core/environment/actionpolicy.h) that the cards, rows and tray ask: every protection
// level against every kind of change, the typed-name check and its advice, and what the
// environment's state, work and migration plan allow.
#include "environment/actionpolicy.h"
#include "workspace/protection.h"

#include <QTest>

using namespace pd;

namespace {

EnvironmentConfig environment(const QString &name, Protection protection)
{
    EnvironmentConfig env;
    env.name = name;
    env.protection = protection;
    env.database.url = QStringLiteral("postgresql://127.0.0.1:1/app");
    ServiceConfig db;
    db.name = QStringLiteral("db");
    env.services.append(db);
    env.branches.git = true;
    return env;
}

EnvironmentStatus statusOf(const QString &name, StatusState state, StatusState service)
{
    EnvironmentStatus status;
    status.environment = name;
    status.state = state;
    status.reason = state == StatusState::Error ? QStringLiteral("keyring locked") : QString();
    status.checkedAt = QDateTime::currentDateTimeUtc();
    status.services.append({QStringLiteral("db"), service, QString(), {}});
    return status;
}

SchemaFacts pendingPlan(int pending)
{
    SchemaFacts plan;
    plan.known = true;
    plan.pending = pending;
    return plan;
}

} // namespace

class TestProtection final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyLevelAgainstEveryChange_data()
    {
        QTest::addColumn<int>("protection");
        QTest::addColumn<int>("change");
        QTest::addColumn<int>("verdict");
        const QList<ProtectedChange> changes{
            ProtectedChange::ApplyMigrations, ProtectedChange::Baseline,
            ProtectedChange::Services,        ProtectedChange::Branches,
            ProtectedChange::EndSessions,     ProtectedChange::Secrets,
            ProtectedChange::RevealSecret,    ProtectedChange::ScratchDatabase};
        for (const ProtectedChange change : changes) {
            const QByteArray tag = QByteArray::number(int(change));
            QTest::newRow(QByteArray("none/" + tag).constData())
                << int(Protection::None) << int(change) << int(ProtectionVerdict::Allowed);
            // Scratch databases are made without a question, so `confirm` keeps them off.
            QTest::newRow(QByteArray("confirm/" + tag).constData())
                << int(Protection::Confirm) << int(change)
                << int(change == ProtectedChange::ScratchDatabase
                           ? ProtectionVerdict::Refused
                           : ProtectionVerdict::NeedsTypedName);
            // Revealing is a read: read-only asks for the name rather than refusing.
            QTest::newRow(QByteArray("read-only/" + tag).constData())
                << int(Protection::ReadOnly) << int(change)
                << int(change == ProtectedChange::RevealSecret ? ProtectionVerdict::NeedsTypedName
                                                               : ProtectionVerdict::Refused);
        }
    }

    void everyLevelAgainstEveryChange()
    {
        QFETCH(int, protection);
        QFETCH(int, change);
        QFETCH(int, verdict);
        const ProtectionDecision decision = protectionDecision(
            QStringLiteral("prod"), Protection(protection), ProtectedChange(change));
        QCOMPARE(int(decision.verdict), verdict);
        if (decision.verdict == ProtectionVerdict::Allowed) {
            QVERIFY(decision.reason.isEmpty());
            return;
        }
        // Every refusal names the environment and the protection that decided it.
        QVERIFY2(decision.reason.startsWith(QStringLiteral("prod ")), qPrintable(decision.reason));
        QVERIFY2(decision.reason.contains(QStringLiteral("(protection: ") +
                                          protectionName(Protection(protection)) +
                                          QLatin1Char(')')),
                 qPrintable(decision.reason));
    }

    void typedNameIsCheckedAndTheAdviceFitsWhereItIsTyped()
    {
        const EnvironmentConfig prod = environment(QStringLiteral("prod"), Protection::Confirm);
        QVERIFY(checkProtection(prod, ProtectedChange::Services, QStringLiteral("prod")).ok());

        const Result<void> wrong =
            checkProtection(prod, ProtectedChange::Services, QStringLiteral("prd"));
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, ErrorCode::Protected);
        QVERIFY2(wrong.error().message.contains(QStringLiteral("\"prd\" was typed")),
                 qPrintable(wrong.error().message));

        // What was typed is echoed on one line: a name with a line break cannot forge output.
        const Result<void> forged = checkProtection(prod, ProtectedChange::Services,
                                                    QStringLiteral("x\nprod: confirmed\x1b[2K"));
        QVERIFY2(forged.error().message.contains(
                     QStringLiteral("\"x\\nprod: confirmed\\x1b[2K\" was typed")),
                 qPrintable(forged.error().message));
        QVERIFY(!forged.error().message.contains(QLatin1Char('\n')));

        const Result<void> cli = checkProtection(prod, ProtectedChange::Services, QString());
        QVERIFY2(cli.error().message.contains(QStringLiteral("--confirm prod")),
                 qPrintable(cli.error().message));
        const Result<void> dialog =
            checkProtection(prod, ProtectedChange::Services, QString(), ConfirmationSource::Dialog);
        QVERIFY2(dialog.error().message.contains(QStringLiteral("type prod to confirm")) &&
                     !dialog.error().message.contains(QStringLiteral("--confirm")),
                 qPrintable(dialog.error().message));

        // Read-only: the right name changes nothing.
        const EnvironmentConfig frozen =
            environment(QStringLiteral("frozen"), Protection::ReadOnly);
        const Result<void> refused =
            checkProtection(frozen, ProtectedChange::Branches, QStringLiteral("frozen"));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("read-only")),
                 qPrintable(refused.error().message));
        // Case and surrounding blanks are not the name.
        QVERIFY(
            !checkProtection(prod, ProtectedChange::ApplyMigrations, QStringLiteral("Prod")).ok());
        QVERIFY(
            !checkProtection(prod, ProtectedChange::ApplyMigrations, QStringLiteral(" prod")).ok());
    }

    void applyIsNotOfferedOnADownEnvironment()
    {
        // The tray's Apply stayed enabled on a down environment: the policy refuses it,
        // with the reason, even though migrations are pending.
        const EnvironmentConfig staging = environment(QStringLiteral("staging"), Protection::None);
        const EnvironmentStatus down =
            statusOf(QStringLiteral("staging"), StatusState::Down, StatusState::Down);
        const SchemaFacts plan = pendingPlan(1);
        ActionFacts facts{&down, QString(), &plan};
        const ActionDecision decision =
            decideAction(staging, EnvironmentAction::ApplyMigrations, facts);
        QCOMPARE(decision.verdict, ProtectionVerdict::Refused);
        QCOMPARE(decision.reason, QStringLiteral("staging is down: start it first."));

        const EnvironmentStatus error =
            statusOf(QStringLiteral("staging"), StatusState::Error, StatusState::Up);
        facts.status = &error;
        QCOMPARE(decideAction(staging, EnvironmentAction::ApplyMigrations, facts).reason,
                 QStringLiteral("staging has an error: keyring locked"));

        const EnvironmentStatus up =
            statusOf(QStringLiteral("staging"), StatusState::Up, StatusState::Up);
        facts.status = &up;
        QCOMPARE(decideAction(staging, EnvironmentAction::ApplyMigrations, facts).verdict,
                 ProtectionVerdict::Allowed);
        const SchemaFacts nothing = pendingPlan(0);
        facts.plan = &nothing;
        QVERIFY(decideAction(staging, EnvironmentAction::ApplyMigrations, facts)
                    .reason.startsWith(QStringLiteral("Nothing pending")));
        SchemaFacts unreadable;
        unreadable.error = QStringLiteral("relation \"schema_migrations\" is locked");
        facts.plan = &unreadable;
        QVERIFY(decideAction(staging, EnvironmentAction::ApplyMigrations, facts)
                    .reason.endsWith(unreadable.error));
    }

    void startWhileUpAndStopWhileDownAreNotOffered()
    {
        const EnvironmentConfig dev = environment(QStringLiteral("dev"), Protection::None);
        const EnvironmentStatus up =
            statusOf(QStringLiteral("dev"), StatusState::Up, StatusState::Up);
        const EnvironmentStatus down =
            statusOf(QStringLiteral("dev"), StatusState::Down, StatusState::Down);
        const EnvironmentStatus degraded =
            statusOf(QStringLiteral("dev"), StatusState::Degraded, StatusState::Down);
        const auto verdict = [&](EnvironmentAction action, const EnvironmentStatus *status) {
            return decideAction(dev, action, ActionFacts{status, QString(), nullptr}).verdict;
        };
        QCOMPARE(verdict(EnvironmentAction::Start, &up), ProtectionVerdict::Refused);
        QCOMPARE(verdict(EnvironmentAction::Stop, &up), ProtectionVerdict::Allowed);
        QCOMPARE(verdict(EnvironmentAction::Restart, &up), ProtectionVerdict::Allowed);
        QCOMPARE(verdict(EnvironmentAction::Start, &down), ProtectionVerdict::Allowed);
        QCOMPARE(verdict(EnvironmentAction::Stop, &down), ProtectionVerdict::Refused);
        QCOMPARE(verdict(EnvironmentAction::Start, &degraded), ProtectionVerdict::Allowed);
        QCOMPARE(verdict(EnvironmentAction::Stop, &degraded), ProtectionVerdict::Allowed);
        // Not probed yet: both are offered, the action says what it finds.
        QCOMPARE(verdict(EnvironmentAction::Start, nullptr), ProtectionVerdict::Allowed);
        QCOMPARE(verdict(EnvironmentAction::Stop, nullptr), ProtectionVerdict::Allowed);
        QCOMPARE(decideAction(dev, EnvironmentAction::Start, ActionFacts{&up, QString(), nullptr})
                     .reason,
                 QStringLiteral("dev is up: every service runs."));
    }

    void protectionComesBeforeStateAndWork()
    {
        const EnvironmentConfig frozen =
            environment(QStringLiteral("frozen"), Protection::ReadOnly);
        const EnvironmentStatus down =
            statusOf(QStringLiteral("frozen"), StatusState::Down, StatusState::Down);
        const ActionDecision start =
            decideAction(frozen, EnvironmentAction::Start,
                         ActionFacts{&down, QStringLiteral("Applying migrations"), nullptr});
        QCOMPARE(start.verdict, ProtectionVerdict::Refused);
        QVERIFY2(start.reason.contains(QStringLiteral("read-only")), qPrintable(start.reason));
        QCOMPARE(decideAction(frozen, EnvironmentAction::SwitchBranch, ActionFacts{}).verdict,
                 ProtectionVerdict::Refused);
        // Reading is never refused by protection.
        QCOMPARE(decideAction(frozen, EnvironmentAction::CheckDrift, ActionFacts{}).verdict,
                 ProtectionVerdict::Allowed);
        QCOMPARE(decideAction(frozen, EnvironmentAction::Diff, ActionFacts{}).verdict,
                 ProtectionVerdict::Allowed);

        const EnvironmentConfig prod = environment(QStringLiteral("prod"), Protection::Confirm);
        const EnvironmentStatus up =
            statusOf(QStringLiteral("prod"), StatusState::Up, StatusState::Up);
        const SchemaFacts plan = pendingPlan(2);
        const ActionDecision apply = decideAction(prod, EnvironmentAction::ApplyMigrations,
                                                  ActionFacts{&up, QString(), &plan});
        QCOMPARE(apply.verdict, ProtectionVerdict::NeedsTypedName);
        QVERIFY(apply.offered());
        // Busy: nothing else changes it meanwhile; a diff only reads and may run beside.
        const ActionDecision busy =
            decideAction(prod, EnvironmentAction::ApplyMigrations,
                         ActionFacts{&up, QStringLiteral("Stopping services"), &plan});
        QCOMPARE(busy.reason, QStringLiteral("Stopping services is still running."));
        QCOMPARE(decideAction(prod, EnvironmentAction::Diff,
                              ActionFacts{&up, QStringLiteral("Stopping services"), nullptr})
                     .verdict,
                 ProtectionVerdict::Allowed);
    }

    void promoteIsOfferedWithPromotesFromUnderTheOneRule()
    {
        const EnvironmentStatus up =
            statusOf(QStringLiteral("staging"), StatusState::Up, StatusState::Up);
        const EnvironmentStatus down =
            statusOf(QStringLiteral("staging"), StatusState::Down, StatusState::Down);
        EnvironmentConfig staging = environment(QStringLiteral("staging"), Protection::None);
        QCOMPARE(
            decideAction(staging, EnvironmentAction::Promote, ActionFacts{&up, QString(), nullptr})
                .reason,
            QStringLiteral(
                "staging is not promoted from another environment (\"promotes_from: ENV\" in "
                "paritydeck.yaml)."));
        staging.promotesFrom = QStringLiteral("dev");
        QCOMPARE(
            decideAction(staging, EnvironmentAction::Promote, ActionFacts{&up, QString(), nullptr})
                .verdict,
            ProtectionVerdict::Allowed);
        QCOMPARE(decideAction(staging, EnvironmentAction::Promote,
                              ActionFacts{&down, QString(), nullptr})
                     .reason,
                 QStringLiteral("staging is down: start it first."));
        QCOMPARE(decideAction(staging, EnvironmentAction::Promote,
                              ActionFacts{&up, QStringLiteral("Applying migrations"), nullptr})
                     .verdict,
                 ProtectionVerdict::Refused);
        QCOMPARE(protectedChangeOf(EnvironmentAction::Promote),
                 std::optional(ProtectedChange::ApplyMigrations));
        EnvironmentConfig prod = environment(QStringLiteral("prod"), Protection::Confirm);
        prod.promotesFrom = QStringLiteral("staging");
        QCOMPARE(
            decideAction(prod, EnvironmentAction::Promote, ActionFacts{&up, QString(), nullptr})
                .verdict,
            ProtectionVerdict::NeedsTypedName);
        prod.protection = Protection::ReadOnly;
        const ActionDecision frozen =
            decideAction(prod, EnvironmentAction::Promote, ActionFacts{&up, QString(), nullptr});
        QCOMPARE(frozen.verdict, ProtectionVerdict::Refused);
        QVERIFY2(frozen.reason.contains(QStringLiteral("read-only")), qPrintable(frozen.reason));
    }

    void whatIsNotConfiguredIsNotOffered()
    {
        EnvironmentConfig bare;
        bare.name = QStringLiteral("bare");
        for (const EnvironmentAction action :
             {EnvironmentAction::Start, EnvironmentAction::Stop, EnvironmentAction::Restart,
              EnvironmentAction::ApplyMigrations, EnvironmentAction::SwitchBranch,
              EnvironmentAction::Diff, EnvironmentAction::CheckDrift, EnvironmentAction::Promote}) {
            const ActionDecision decision = decideAction(bare, action, ActionFacts{});
            QCOMPARE(decision.verdict, ProtectionVerdict::Refused);
            QVERIFY2(decision.reason.contains(QStringLiteral("bare")), qPrintable(decision.reason));
        }
    }
};

QTEST_GUILESS_MAIN(TestProtection)
#include "tst_protection.moc"
