// The comparison behind the diff review window, without a widget: two real databases on a
// cluster that wants passwords over TCP (read through env: references, resolved by the
// service's own resolver), unknown sides, cancel, and the drift remedy "revert ENV to its
// migrations" — applied, audited, refused without the typed name on a confirm-protected
// environment, refused on a read-only one, and refused when the schema changed since it
// was reviewed.
#include "audit/auditlog.h"
#include "environment/schemacomparison.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "secrets/secretref.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace pd;
using pd::test::PgCluster;

namespace {

constexpr int kTimeoutMs = 60000;

// Waits for `future` by spinning the test's event loop (the resolver needs it).
template<typename T> Result<T> await(QFuture<Result<T>> future)
{
    QFutureWatcher<Result<T>> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (!future.isFinished() && !finished.wait(kTimeoutMs))
        return Error(ErrorCode::Timeout, QStringLiteral("the future did not finish"));
    if (future.resultCount() == 0)
        return Error(ErrorCode::Cancelled, QStringLiteral("no result"));
    return future.result();
}

bool writeText(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text.toUtf8()) >= 0;
}

} // namespace

class TestSchemaComparison final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_state.isValid());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        qputenv("XDG_CACHE_HOME", (m_state.path() + QStringLiteral("/cache")).toUtf8());
        PgCluster::Options options;
        options.passwordAuthOverTcp = true;
        m_pg = std::make_unique<PgCluster>(options);
        QVERIFY2(m_pg->start().ok(), qPrintable(m_pg->serverLog()));
        m_password = QStringLiteral("Compare-") + QUuid::createUuid().toString(QUuid::Id128);
        QVERIFY(m_pg->createRole(QStringLiteral("app"), m_password).ok());
        QVERIFY(m_pg->exec(QStringLiteral("ALTER ROLE app CREATEDB")).ok());
        qputenv("PD_TEST_APP_PASSWORD", m_password.toUtf8());
        for (const char *db : {"left_db", "right_db", "mig_db", "ro_db"}) {
            QVERIFY(m_pg->createDatabase(QString::fromLatin1(db)).ok());
            QVERIFY(m_pg->exec(QStringLiteral("ALTER DATABASE %1 OWNER TO app; "
                                              "ALTER SCHEMA public OWNER TO app")
                                   .arg(QString::fromLatin1(db)),
                               QString::fromLatin1(db))
                        .ok());
        }
        QVERIFY(m_pg->exec(QStringLiteral(
                               "SET ROLE app; CREATE TABLE a (id int PRIMARY KEY, note text)"),
                           QStringLiteral("left_db"))
                    .ok());
        QVERIFY(m_pg->exec(QStringLiteral("SET ROLE app; CREATE TABLE a (id int PRIMARY KEY); "
                                          "CREATE TABLE b (id int)"),
                           QStringLiteral("right_db"))
                    .ok());

        QVERIFY(m_dir.isValid());
        m_workspace.project = QStringLiteral("compare");
        m_workspace.rootDir = m_dir.path();
        m_workspace.filePath = m_dir.filePath(QStringLiteral("paritydeck.yaml"));
        m_workspace.migrations.dir = QStringLiteral("migrations");
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("migrations")));
        QVERIFY(writeText(
            m_dir.filePath(QStringLiteral("migrations/0001_accounts.sql")),
            QStringLiteral("CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n")));
        const auto add = [this](const QString &name, const QString &db, Protection protection) {
            EnvironmentConfig env;
            env.name = name;
            env.database.url = m_pg->url(db, QStringLiteral("app"));
            env.database.password = *SecretRef::parse(QStringLiteral("env:PD_TEST_APP_PASSWORD"));
            env.database.connectTimeoutSeconds = 3;
            env.protection = protection;
            m_workspace.environments.append(env);
        };
        add(QStringLiteral("left"), QStringLiteral("left_db"), Protection::None);
        add(QStringLiteral("right"), QStringLiteral("right_db"), Protection::None);
        add(QStringLiteral("prod"), QStringLiteral("mig_db"), Protection::Confirm);
        add(QStringLiteral("locked"), QStringLiteral("ro_db"), Protection::ReadOnly);

        // prod and locked: the migration applied, then changed by hand (drift).
        auto set = MigrationSource::load(m_workspace);
        QVERIFY2(set.ok(), qPrintable(set ? QString() : set.error().message));
        for (const QString &db : {QStringLiteral("mig_db"), QStringLiteral("ro_db")}) {
            ApplyOptions apply;
            apply.environment = QStringLiteral("setup");
            auto applied =
                MigrationRunner::apply(m_pg->socketParams(db, QStringLiteral("app")), *set, apply);
            QVERIFY2(applied.ok(), qPrintable(applied ? QString() : applied.error().message));
            QVERIFY(m_pg->exec(QStringLiteral("SET ROLE app; CREATE TABLE hotfix (id int); "
                                              "ALTER TABLE accounts ADD COLUMN note text"),
                               db)
                        .ok());
        }
    }

    void comparesTwoEnvironmentsWithPasswordsFromTheirReferences()
    {
        SchemaComparison comparison(m_workspace);
        auto compared = await(comparison.compare(QStringLiteral("left"), QStringLiteral("right")));
        QVERIFY2(compared.ok(), qPrintable(compared ? QString() : compared.error().message));
        QCOMPARE(compared->fromLabel, QStringLiteral("left"));
        QCOMPARE(compared->toLabel, QStringLiteral("right"));
        QCOMPARE(compared->fromEnvironment(), QStringLiteral("left"));
        QVERIFY(compared->driftEnvironment().isEmpty());
        QStringList ids;
        for (const ObjectChange &change : compared->diff.changes)
            ids << QStringLiteral("%1 %2").arg(changeTypeName(change.type), change.displayName);
        QVERIFY2(ids.contains(QStringLiteral("added public.b")),
                 qPrintable(ids.join(QLatin1Char('|'))));
        QVERIFY2(ids.contains(QStringLiteral("removed public.a.note")),
                 qPrintable(ids.join(QLatin1Char('|'))));
        QCOMPARE(comparison.progress().stage, SchemaComparison::Stage::Done);
        QVERIFY(comparison.progress().fromRead && comparison.progress().toRead);

        // Swapped sides: the same objects, the other way round.
        auto swapped = await(comparison.compare(QStringLiteral("right"), QStringLiteral("left")));
        QVERIFY(swapped.ok());
        QStringList reversed;
        for (const ObjectChange &change : swapped->diff.changes)
            reversed << QStringLiteral("%1 %2").arg(changeTypeName(change.type),
                                                    change.displayName);
        QVERIFY(reversed.contains(QStringLiteral("removed public.b")));
        QVERIFY(reversed.contains(QStringLiteral("added public.a.note")));
        QCOMPARE(reversed.size(), ids.size());
    }

    void aWrongPasswordAndAnUnknownSideAreErrors()
    {
        SchemaComparison comparison(m_workspace);
        auto unknown = await(comparison.compare(QStringLiteral("left"), QStringLiteral("nowhere")));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, ErrorCode::Usage); // as the CLI treats an unknown side
        QVERIFY(unknown.error().message.contains(QStringLiteral("nowhere")));

        Workspace wrong = m_workspace;
        wrong.environments[0].database.password =
            *SecretRef::parse(QStringLiteral("env:PD_TEST_NO_SUCH_VARIABLE"));
        SchemaComparison failing(wrong);
        auto failed = await(failing.compare(QStringLiteral("left"), QStringLiteral("right")));
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().message.startsWith(QStringLiteral("left: ")),
                 qPrintable(failed.error().message));
    }

    void anExpectedSchemaWithNowhereToBuildItIsAnError()
    {
        // Only protected environments: no server may hold the shadow database.
        Workspace protectedOnly = m_workspace;
        protectedOnly.environments.removeIf(
            [](const EnvironmentConfig &env) { return env.protection == Protection::None; });
        QCOMPARE(protectedOnly.environments.size(), 2);
        SchemaComparison comparison(protectedOnly);
        auto failed =
            await(comparison.compare(QStringLiteral("migrations:prod"), QStringLiteral("prod")));
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().code != ErrorCode::Timeout, qPrintable(failed.error().message));
        QVERIFY2(failed.error().message.startsWith(QStringLiteral("migrations:prod: ")),
                 qPrintable(failed.error().message));
    }

    void aNewComparisonCancelsTheRunningOne()
    {
        SchemaComparison comparison(m_workspace);
        QFuture<Result<ComparedSchemas>> first =
            comparison.compare(QStringLiteral("left"), QStringLiteral("right"));
        QFuture<Result<ComparedSchemas>> second =
            comparison.compare(QStringLiteral("right"), QStringLiteral("left"));
        auto dropped = await(first);
        QVERIFY(!dropped.ok());
        QCOMPARE(dropped.error().code, ErrorCode::Cancelled);
        auto kept = await(second);
        QVERIFY2(kept.ok(), qPrintable(kept ? QString() : kept.error().message));
        QCOMPARE(kept->fromLabel, QStringLiteral("right"));
    }

    void revertOnAConfirmEnvironmentNeedsTheTypedNameAndIsAudited()
    {
        SchemaComparison comparison(m_workspace);
        auto drift =
            await(comparison.compare(QStringLiteral("migrations:prod"), QStringLiteral("prod")));
        QVERIFY2(drift.ok(), qPrintable(drift ? QString() : drift.error().message));
        QCOMPARE(drift->driftEnvironment(), QStringLiteral("prod"));
        QVERIFY(!drift->diff.isEmpty());
        RevertRequest request;
        request.environment = QStringLiteral("prod");
        request.sql = revertSql(drift->diff.to, drift->diff.from, true);
        request.reviewedFingerprint = fingerprint(drift->diff.to);
        request.objects = {QStringLiteral("table public.hotfix")};
        QVERIFY(request.sql.contains(QStringLiteral("DROP TABLE public.hotfix")));

        const AuditLog log;
        const auto revertLines = [&log] {
            AuditFilter filter;
            filter.environment = QStringLiteral("prod");
            filter.action = QStringLiteral("revert");
            return log.read(filter).value();
        };
        // A dry run needs no name, checks the schema is as reviewed, runs nothing and is
        // not audited; one against a schema that changed since says so.
        RevertRequest dry = request;
        dry.dryRun = true;
        auto checked = await(comparison.revert(dry));
        QVERIFY2(checked.ok(), qPrintable(checked ? QString() : checked.error().message));
        QVERIFY(checked->dryRun);
        QCOMPARE(checked->summaries.size(), checked->statements);
        QVERIFY(
            checked->summaries.join(u'\n').contains(QStringLiteral("DROP TABLE public.hotfix")));
        dry.reviewedFingerprint = fingerprint(drift->diff.from);
        auto staleDry = await(comparison.revert(dry));
        QVERIFY(!staleDry.ok());
        QVERIFY(staleDry.error().message.contains(QStringLiteral("changed since it was compared")));
        QVERIFY(revertLines().isEmpty());
        QVERIFY(m_pg->exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("mig_db")).ok());
        // Without the name: refused, audited, nothing changed.
        auto refused = await(comparison.revert(request));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Protected);
        QCOMPARE(revertLines().size(), 1);
        QCOMPARE(revertLines().constLast().outcome, AuditOutcome::Refused);
        QCOMPARE(revertLines().constLast().target,
                 QStringLiteral("schema ") +
                     QString::fromLatin1(request.reviewedFingerprint.left(12)));
        QVERIFY(revertLines().constLast().detail.contains(QStringLiteral("table public.hotfix")));
        QVERIFY(m_pg->exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("mig_db")).ok());

        // Changed since the review: refused, nothing run.
        RevertRequest stale = request;
        stale.confirmation = QStringLiteral("prod");
        stale.reviewedFingerprint = fingerprint(drift->diff.from);
        auto conflict = await(comparison.revert(stale));
        QVERIFY(!conflict.ok());
        QVERIFY2(conflict.error().message.contains(QStringLiteral("changed since it was compared")),
                 qPrintable(conflict.error().message));
        QVERIFY(m_pg->exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("mig_db")).ok());

        // With the name: applied; the environment matches its migrations again.
        request.confirmation = QStringLiteral("prod");
        auto reverted = await(comparison.revert(request));
        QVERIFY2(reverted.ok(), qPrintable(reverted ? QString() : reverted.error().message));
        QVERIFY(reverted->statements >= 2);
        QCOMPARE(revertLines().constLast().outcome, AuditOutcome::Ok);
        // Its start was written before it ran, paired with its end.
        const QList<AuditEntry> lines = revertLines();
        QVERIFY(lines.size() >= 2);
        QCOMPARE(lines.at(lines.size() - 2).outcome, AuditOutcome::Started);
        QVERIFY(!lines.constLast().operation.isEmpty());
        QCOMPARE(lines.at(lines.size() - 2).operation, lines.constLast().operation);
        auto again =
            await(comparison.compare(QStringLiteral("migrations:prod"), QStringLiteral("prod")));
        QVERIFY(again.ok());
        QVERIFY2(again->diff.isEmpty(), qPrintable(again->diff.summaryText()));
        // The password never reaches the audit log.
        QFile audit(log.path());
        QVERIFY(audit.open(QIODevice::ReadOnly));
        QVERIFY(!audit.readAll().contains(m_password.toUtf8()));
    }

    void revertOnAReadOnlyEnvironmentIsRefusedWhateverIsTyped()
    {
        SchemaComparison comparison(m_workspace);
        auto drift = await(
            comparison.compare(QStringLiteral("locked"), QStringLiteral("migrations:locked")));
        QVERIFY2(drift.ok(), qPrintable(drift ? QString() : drift.error().message));
        QCOMPARE(drift->driftEnvironment(), QStringLiteral("locked"));
        RevertRequest request;
        request.environment = QStringLiteral("locked");
        request.sql = revertSql(drift->diff.from, drift->diff.to, true);
        request.reviewedFingerprint = fingerprint(drift->diff.from);
        request.confirmation = QStringLiteral("locked");
        auto refused = await(comparison.revert(request));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Protected);
        QVERIFY(refused.error().message.contains(QStringLiteral("read-only")));
        QVERIFY(m_pg->exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("ro_db")).ok());
    }

private:
    QTemporaryDir m_state;
    QTemporaryDir m_dir;
    std::unique_ptr<PgCluster> m_pg;
    QString m_password;
    Workspace m_workspace;
};

QTEST_GUILESS_MAIN(TestSchemaComparison)
#include "tst_schemacomparison.moc"
