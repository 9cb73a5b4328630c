// The secret resolver and the audit log are handed in: a test substitutes them without
// environment variables (no env: secret set, no XDG_STATE_HOME for the audit file).
#include "audit/auditlog.h"
#include "environment/branchoperations.h"
#include "environment/environmentcontroller.h"
#include "environment/schemacomparison.h"
#include "environment/secretinventory.h"
#include "environment/statusmonitor.h"
#include "pgcluster.h"
#include "secrets/secretresolver.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;
using pd::test::PgCluster;

namespace {

// Answers every reference with one known value, counting the questions.
class FixedResolver final : public SecretResolver
{
public:
    explicit FixedResolver(const QString &value)
        : SecretResolver(QString())
        , m_value(SecretValue::fromString(value))
    {
    }
    QFuture<Result<SecretValue>> resolve(const SecretRef &) override
    {
        ++asked;
        return QtFuture::makeReadyFuture(Result<SecretValue>(m_value));
    }
    int asked = 0;

private:
    SecretValue m_value;
};

// A reference to a variable nobody sets: only the substitute can answer it.
SecretRef unsetVariable()
{
    return SecretRef{
        SecretRef::Kind::Env, {}, {}, QStringLiteral("PD_COLLABORATORS_NEVER_SET"), {}, {}};
}

Workspace workspaceOf(const QList<EnvironmentConfig> &environments)
{
    Workspace ws;
    ws.project = QStringLiteral("collaborators");
    ws.rootDir = QDir::tempPath();
    ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
    ws.environments = environments;
    return ws;
}

EnvironmentConfig readOnly()
{
    EnvironmentConfig env;
    env.name = QStringLiteral("prod");
    env.protection = Protection::ReadOnly;
    env.database.url = QStringLiteral("postgresql://app@127.0.0.1:1/app");
    // A keyring entry (the panel writes only those), never touched: the change is refused.
    env.database.password = SecretRef{SecretRef::Kind::Keychain,
                                      QStringLiteral("paritydeck-collaborators"),
                                      QStringLiteral("prod"),
                                      {},
                                      {},
                                      {}};
    env.branches.database = QStringLiteral("template");
    return env;
}

} // namespace

class TestCollaborators final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(qEnvironmentVariableIsEmpty("PD_COLLABORATORS_NEVER_SET"));
        // The default audit log, somewhere this test can look: nothing may land there.
        QVERIFY(m_state.isValid());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        QVERIFY(AuditLog::defaultPath().startsWith(m_state.path()));
    }

    void statusMonitorConnectsWithTheSubstitutedPassword()
    {
        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        PgCluster cluster(options);
        const auto started = cluster.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
        const QString password = QStringLiteral("Substitute-Pw-5150");
        QVERIFY(cluster.createRole(QStringLiteral("app"), password).ok());

        EnvironmentConfig env;
        env.name = QStringLiteral("staging");
        env.database.url = cluster.url(QStringLiteral("postgres"), QStringLiteral("app"));
        env.database.password = unsetVariable();
        FixedResolver resolver(password);
        StatusMonitor monitor(workspaceOf({env}));
        monitor.setSecretResolver(resolver);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(monitor.status(QStringLiteral("staging")).state, StatusState::Up,
                                  10000);
        QVERIFY(resolver.asked >= 1);
    }

    void secretInventoryReadsThroughTheSubstitute()
    {
        FixedResolver resolver(QStringLiteral("known-value"));
        SecretInventory inventory(workspaceOf({readOnly()}));
        inventory.setSecretResolver(resolver);
        const SecretEntry *entry =
            inventory.entry(QStringLiteral("prod"), QStringLiteral("password"));
        QVERIFY(entry);
        QFuture<Result<SecretValue>> value = inventory.resolve(*entry);
        QTRY_VERIFY(value.isFinished());
        QVERIFY(value.result().ok());
        QCOMPARE(value.result().value().revealString(), QStringLiteral("known-value"));
    }

    // Refusals are audited; the entries land in the log given, a temporary file.
    void refusalsAreAuditedToTheGivenLog()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));

        SecretInventory inventory(workspaceOf({readOnly()}));
        inventory.setAuditLog(log);
        const SecretEntry *entry =
            inventory.entry(QStringLiteral("prod"), QStringLiteral("password"));
        QVERIFY(entry);
        QFuture<Result<void>> set =
            inventory.set(*entry, SecretValue::fromString(QStringLiteral("x")));
        QTRY_VERIFY(set.isFinished());
        QVERIFY(!set.result().ok());

        BranchOperations branches(workspaceOf({readOnly()}));
        branches.setAuditLog(log);
        QFuture<Result<QString>> removed =
            branches.remove(QStringLiteral("prod"), QStringLiteral("app__x"));
        QTRY_VERIFY(removed.isFinished());
        QVERIFY(!removed.result().ok());

        QList<AuditEntry> entries;
        QTRY_COMPARE_WITH_TIMEOUT((entries = log.read().value()).size(), 2, 5000);
        QStringList actions;
        for (const AuditEntry &e : entries) {
            QCOMPARE(e.environment, QStringLiteral("prod"));
            QCOMPARE(e.outcome, AuditOutcome::Refused);
            actions << e.action;
        }
        actions.sort();
        QCOMPARE(actions,
                 (QStringList{QStringLiteral("branch-delete"), QStringLiteral("secret-set")}));
    }

    // The panel's environment changes — an apply, a migrations.command run, a promotion and
    // a revert through the controller, a revert through a schema comparison — write their
    // entries to the log given, none to the default one. Refused (read-only), so no server.
    void environmentChangesAreAuditedToTheGivenLog()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        QFile migration(dir.filePath(QStringLiteral("migrations/0001_init.sql")));
        QVERIFY(migration.open(QIODevice::WriteOnly));
        QVERIFY(migration.write("CREATE TABLE t (id int);\n") > 0);
        migration.close();
        EnvironmentConfig dev;
        dev.name = QStringLiteral("dev");
        dev.database.url = QStringLiteral("postgresql://app@127.0.0.1:1/app_dev");
        EnvironmentConfig prod = readOnly();
        prod.promotesFrom = dev.name;
        Workspace ws = workspaceOf({dev, prod});
        ws.rootDir = dir.path();
        ws.filePath = dir.filePath(QStringLiteral("paritydeck.yaml"));
        const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        const AuditLog defaultLog;
        QCOMPARE(defaultLog.path(), AuditLog::defaultPath());
        const qsizetype defaultBefore = defaultLog.read().value().size();

        const auto settled = [](auto future) {
            if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 10000))
                return false;
            return future.resultCount() > 0 && !future.result().ok() &&
                   future.result().error().code == ErrorCode::Protected;
        };
        MigrationRequest typed;
        typed.confirmation = prod.name;
        RevertRequest revert;
        revert.environment = prod.name;
        revert.sql = QStringLiteral("DROP TABLE t;");
        revert.reviewedFingerprint = "0123456789abcdef";
        revert.confirmation = prod.name;
        {
            StatusMonitor monitor(ws);
            EnvironmentController controller(&monitor);
            controller.setAuditLog(log);
            QVERIFY(settled(controller.applyMigrations(prod.name, typed)));
            QVERIFY(settled(controller.promote(prod.name, prod.name)));
            QVERIFY(settled(controller.revertToMigrations(revert)));
        }
        {
            Workspace withCommand = ws;
            withCommand.migrations.command = QStringLiteral("true");
            StatusMonitor monitor(withCommand);
            EnvironmentController controller(&monitor);
            controller.setAuditLog(log);
            QVERIFY(settled(controller.applyWithCommand(prod.name, typed)));
        }
        {
            SchemaComparison comparison(ws);
            comparison.setAuditLog(log);
            QVERIFY(settled(comparison.revert(revert)));
        }

        QList<AuditEntry> entries;
        QTRY_COMPARE_WITH_TIMEOUT((entries = log.read().value()).size(), 5, 5000);
        QStringList actions;
        for (const AuditEntry &e : entries) {
            QCOMPARE(e.environment, prod.name);
            QCOMPARE(e.outcome, AuditOutcome::Refused);
            actions << e.action;
        }
        actions.sort();
        QCOMPARE(actions, (QStringList{QStringLiteral("migrate-apply"),
                                       QStringLiteral("migrate-apply"), QStringLiteral("promote"),
                                       QStringLiteral("revert"), QStringLiteral("revert")}));
        QCOMPARE(defaultLog.read().value().size(), defaultBefore);
    }

private:
    QTemporaryDir m_state;
};

QTEST_GUILESS_MAIN(TestCollaborators)
#include "tst_collaborators.moc"
