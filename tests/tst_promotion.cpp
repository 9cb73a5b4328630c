// Promotion against real servers: the plan is exactly what the upstream has applied and
// the target has not; each gate fails on its own with its reason and then nothing runs;
// protected targets need the typed name (read-only ones refuse); the audit log has the
// promotion's entries; a dry run changes nothing.
#include "audit/auditlog.h"
#include "audit/sharedhistory.h"
#include "db/connection.h"
#include "environment/promotion.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "parity/paritycollector.h"
#include "pgcluster.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace pd;
using pd::test::PgCluster;

namespace {

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

// One test's world: a workspace folder with three migrations and dev → staging → prod,
// each a database of its own on the shared server.
struct World
{
    QTemporaryDir dir;
    Workspace workspace;
    MigrationSet set;

    const EnvironmentConfig &env(const QString &name) const { return *workspace.environment(name); }
};

} // namespace

class TestPromotion final : public QObject
{
    Q_OBJECT

    PgCluster m_server;
    QTemporaryDir m_home;
    int m_worlds = 0;

    std::unique_ptr<World> makeWorld(Protection prodProtection = Protection::Confirm)
    {
        auto world = std::make_unique<World>();
        const QString root = world->dir.path();
        if (!QDir(root).mkpath(QStringLiteral("migrations")))
            return nullptr;
        const QString migrations = root + QStringLiteral("/migrations/");
        if (!writeFile(migrations + QStringLiteral("0001_users.sql"),
                       "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n") ||
            !writeFile(migrations + QStringLiteral("0002_index.sql"),
                       "CREATE INDEX users_email_idx ON users (email);\n") ||
            // Data only: the schema it leaves is the one 0002 left.
            !writeFile(migrations + QStringLiteral("0003_admin.sql"),
                       "INSERT INTO users VALUES (1, 'admin@example.org');\n"))
            return nullptr;
        ++m_worlds;
        Workspace &ws = world->workspace;
        ws.project = QStringLiteral("promotion-test");
        ws.rootDir = root;
        ws.filePath = root + QStringLiteral("/paritydeck.yaml");
        ws.migrations.format = QStringLiteral("paritydeck");
        const QStringList names{QStringLiteral("dev"), QStringLiteral("staging"),
                                QStringLiteral("prod")};
        for (const QString &name : names) {
            const QString db = QStringLiteral("%1_%2").arg(name).arg(m_worlds);
            if (!m_server.createDatabase(db))
                return nullptr;
            EnvironmentConfig env;
            env.name = name;
            env.database.url = m_server.url(db);
            env.database.connectTimeoutSeconds = 5;
            env.database.statementTimeoutSeconds = 30;
            if (name == QLatin1String("staging"))
                env.promotesFrom = QStringLiteral("dev");
            if (name == QLatin1String("prod")) {
                env.promotesFrom = QStringLiteral("staging");
                env.protection = prodProtection;
            }
            ws.environments.append(env);
        }
        auto set = MigrationSource::load(ws);
        if (!set)
            return nullptr;
        world->set = *set;
        return world;
    }

    static QString dbOf(const EnvironmentConfig &env) { return env.database.url.section(u'/', -1); }

    bool applyUpTo(World &world, const QString &env, const QString &version)
    {
        auto params = ConnectionParams::fromUrl(world.env(env).database.url);
        if (!params)
            return false;
        ApplyOptions options;
        options.environment = env;
        options.targetVersion = version;
        const auto applied = MigrationRunner::apply(*params, world.set, options);
        if (!applied)
            qWarning("%s", qPrintable(applied.error().message));
        return applied.ok();
    }

    QString headOf(World &world, const QString &env)
    {
        auto params = ConnectionParams::fromUrl(world.env(env).database.url);
        auto plan = MigrationRunner::status(*params, world.set);
        return plan ? plan->headVersion : QStringLiteral("<unreadable>");
    }

    bool exec(World &world, const QString &env, const QString &sql)
    {
        const auto done = m_server.exec(sql, dbOf(world.env(env)));
        if (!done)
            qWarning("%s", qPrintable(done.error().message));
        return done.ok();
    }

    static ConnectionLookup lookup()
    {
        return [](const EnvironmentConfig &env) -> Result<ConnectionParams> {
            auto params = ConnectionParams::fromUrl(env.database.url);
            if (!params)
                return params.error();
            params->connectTimeoutSeconds = env.database.connectTimeoutSeconds;
            params->statementTimeoutSeconds = env.database.statementTimeoutSeconds;
            return *params;
        };
    }
    static ParityRowsSource noGatedRows()
    {
        return [] { return Result<QList<ParityRow>>(QList<ParityRow>()); };
    }

    PromotionPlan planFor(World &world, const QString &target,
                          const ParityRowsSource &rows = noGatedRows())
    {
        const EnvironmentConfig &down = world.env(target);
        const EnvironmentConfig &up = world.env(down.promotesFrom);
        return planPromotion(
            up, down, world.set,
            gatherPromotionFacts(world.workspace, up, down, world.set, lookup(), rows()));
    }

    static QString failing(const PromotionPlan &plan)
    {
        QStringList names;
        for (const PromotionGate &g : plan.failingGates())
            names.append(promotionGateName(g.kind));
        return names.join(u',');
    }

    static const PromotionGate *gateOf(const PromotionPlan &plan, PromotionGateKind kind)
    {
        for (const PromotionGate &g : plan.gates) {
            if (g.kind == kind)
                return &g;
        }
        return nullptr;
    }

    QList<AuditEntry> promoteEntries()
    {
        AuditFilter filter;
        filter.action = QStringLiteral("promote");
        auto entries = AuditLog().read(filter);
        return entries ? *entries : QList<AuditEntry>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("XDG_STATE_HOME", m_home.filePath(QStringLiteral("state")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        const auto started = m_server.start();
        QVERIFY2(started.ok(), started ? "" : qPrintable(started.error().message));
    }

    void init() { QFile::remove(AuditLog::defaultPath()); }

    void plansExactlyWhatTheUpstreamHasAppliedAndAppliesIt()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0002")));
        QVERIFY(applyUpTo(*world, QStringLiteral("staging"), QStringLiteral("0001")));

        const PromotionPlan plan = planFor(*world, QStringLiteral("staging"));
        QVERIFY2(plan.gatesPass(), qPrintable(plan.failingGatesText()));
        // 0003 is pending on staging too, but dev has not applied it: it is not promoted.
        QCOMPARE(plan.versions(), QStringList{QStringLiteral("0002")});
        QCOMPARE(plan.upstreamHead, QStringLiteral("0002"));
        QCOMPARE(plan.targetHead, QStringLiteral("0001"));
        QCOMPARE(gateOf(plan, PromotionGateKind::Parity)->reason,
                 QStringLiteral("no parity row is marked gate: true"));

        auto report = promote(world->workspace, world->env(QStringLiteral("staging")), world->set,
                              lookup(), noGatedRows(), {});
        QVERIFY2(report.ok(), report ? "" : qPrintable(report.error().message));
        QVERIFY(!report->refused);
        QCOMPARE(report->steps.size(), 1);
        QCOMPARE(report->steps.first().version, QStringLiteral("0002"));
        QCOMPARE(headOf(*world, QStringLiteral("staging")), QStringLiteral("0002"));

        const QList<AuditEntry> entries = promoteEntries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).outcome, AuditOutcome::Started);
        QCOMPARE(entries.at(1).outcome, AuditOutcome::Ok);
        QCOMPARE(entries.at(1).environment, QStringLiteral("staging"));
        QCOMPARE(entries.at(1).target, QStringLiteral("0002"));
        QCOMPARE(entries.at(1).detail, QStringLiteral("from dev: 0002"));
        QCOMPARE(entries.at(1).operation, entries.at(0).operation);

        // Promoted again: nothing to do, and nothing runs.
        auto again = promote(world->workspace, world->env(QStringLiteral("staging")), world->set,
                             lookup(), noGatedRows(), {});
        QVERIFY(again.ok());
        QVERIFY(again->plan.migrations.isEmpty());
        QVERIFY(again->steps.isEmpty());
        QVERIFY(!again->refused);
    }

    void aPromotionIsInTheTeamsSharedHistory()
    {
        // history: database on the target: the team sees the migrations and the promotion.
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0002")));
        QVERIFY(applyUpTo(*world, QStringLiteral("staging"), QStringLiteral("0001")));
        for (EnvironmentConfig &env : world->workspace.environments) {
            if (env.name == QStringLiteral("staging"))
                env.history = HistoryStore::Database;
        }
        auto report = promote(world->workspace, world->env(QStringLiteral("staging")), world->set,
                              lookup(), noGatedRows(), {});
        QVERIFY2(report.ok(), report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->steps.size(), 1);

        auto params = ConnectionParams::fromUrl(world->env(QStringLiteral("staging")).database.url);
        QVERIFY(params);
        auto connection = Connection::open(*params);
        QVERIFY(connection);
        const auto history = sharedhistory::read(*connection);
        QVERIFY2(history.ok(), history ? "" : qPrintable(history.error().message));
        QStringList seen;
        for (const SharedHistoryEntry &e : *history)
            seen.append(e.kind + u':' + e.what + u':' + e.result);
        QVERIFY2(seen.contains(QStringLiteral("promotion:dev → staging: 0002:promoted")),
                 qPrintable(seen.join(u'|')));
        QVERIFY2(std::any_of(seen.cbegin(), seen.cend(),
                             [](const QString &line) {
                                 return line.startsWith(QStringLiteral("migration:0002:"));
                             }),
                 qPrintable(seen.join(u'|')));
    }

    void aDryRunChangesNothing()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0003")));
        PromotionOptions options;
        options.dryRun = true;
        auto report = promote(world->workspace, world->env(QStringLiteral("staging")), world->set,
                              lookup(), noGatedRows(), options);
        QVERIFY2(report.ok(), report ? "" : qPrintable(report.error().message));
        QCOMPARE(
            report->plan.versions(),
            (QStringList{QStringLiteral("0001"), QStringLiteral("0002"), QStringLiteral("0003")}));
        QCOMPARE(report->steps.size(), 3);
        QCOMPARE(headOf(*world, QStringLiteral("staging")), QString());
        QVERIFY(promoteEntries().isEmpty());
    }

    void upstreamNotAtItsHeadFailsAlone()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0002")));
        // 0002 edited after dev applied it (a comment: the schema it builds is the same).
        QVERIFY(writeFile(world->dir.filePath(QStringLiteral("migrations/0002_index.sql")),
                          "-- reviewed\nCREATE INDEX users_email_idx ON users (email);\n"));
        world->set = *MigrationSource::load(world->workspace);
        const PromotionPlan plan = planFor(*world, QStringLiteral("staging"));
        QCOMPARE(failing(plan), QStringLiteral("upstream-at-head"));
        QCOMPARE(gateOf(plan, PromotionGateKind::UpstreamAtHead)->reason,
                 QStringLiteral("dev: 0002 changed since it was applied"));
    }

    void upstreamDriftFailsAlone()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0002")));
        QVERIFY(exec(*world, QStringLiteral("dev"),
                     QStringLiteral("CREATE TABLE scratch_notes (id int)")));
        const PromotionPlan plan = planFor(*world, QStringLiteral("staging"));
        QCOMPARE(failing(plan), QStringLiteral("upstream-drift"));
        const QString reason = gateOf(plan, PromotionGateKind::UpstreamDrift)->reason;
        QVERIFY2(reason.startsWith(QStringLiteral(
                     "dev has drifted from what its migrations (head 0002) build: ")),
                 qPrintable(reason));
    }

    void targetDriftFailsAloneAndNothingRuns()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0002")));
        QVERIFY(applyUpTo(*world, QStringLiteral("staging"), QStringLiteral("0001")));
        QVERIFY(exec(*world, QStringLiteral("staging"),
                     QStringLiteral("ALTER TABLE users ADD COLUMN hotfix text")));
        auto report = promote(world->workspace, world->env(QStringLiteral("staging")), world->set,
                              lookup(), noGatedRows(), {});
        QVERIFY(report.ok());
        QVERIFY(report->refused);
        QCOMPARE(failing(report->plan), QStringLiteral("target-drift"));
        QVERIFY(report->steps.isEmpty());
        QCOMPARE(headOf(*world, QStringLiteral("staging")), QStringLiteral("0001"));
        const QList<AuditEntry> entries = promoteEntries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().outcome, AuditOutcome::Refused);
        QVERIFY2(
            entries.first().detail.contains(QStringLiteral("target-drift: staging has drifted")),
            qPrintable(entries.first().detail));
    }

    void targetHistoryFailsAlone()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0003")));
        QVERIFY(applyUpTo(*world, QStringLiteral("staging"), QStringLiteral("0002")));
        // A failed run of the data-only 0003 on staging.
        QVERIFY(
            exec(*world, QStringLiteral("staging"),
                 QStringLiteral(
                     "INSERT INTO paritydeck.schema_migrations (version, name, checksum, success) "
                     "VALUES ('0003', 'admin', 'x', false)")));
        const PromotionPlan plan = planFor(*world, QStringLiteral("staging"));
        QCOMPARE(failing(plan), QStringLiteral("target-history"));
        QVERIFY2(gateOf(plan, PromotionGateKind::TargetHistory)
                     ->reason.startsWith(QStringLiteral("staging: 0003 failed")),
                 qPrintable(gateOf(plan, PromotionGateKind::TargetHistory)->reason));
    }

    void targetAheadOfItsUpstreamFailsTheHistoryGate()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0001")));
        QVERIFY(applyUpTo(*world, QStringLiteral("staging"), QStringLiteral("0002")));
        const PromotionPlan plan = planFor(*world, QStringLiteral("staging"));
        QCOMPARE(failing(plan), QStringLiteral("target-history"));
        QCOMPARE(gateOf(plan, PromotionGateKind::TargetHistory)->reason,
                 QStringLiteral("staging: 0002 applied here but not on dev"));
        QVERIFY(plan.migrations.isEmpty());
    }

    void gatedParityRowsMustMatch()
    {
        auto world = makeWorld();
        QVERIFY(world);
        QVERIFY(applyUpTo(*world, QStringLiteral("dev"), QStringLiteral("0002")));
        QVERIFY(writeFile(world->dir.filePath(QStringLiteral(".env.dev")),
                          "PYTHON=3.11\nLOG_LEVEL=debug\n"));
        QVERIFY(writeFile(world->dir.filePath(QStringLiteral(".env.staging")),
                          "PYTHON=3.10\nLOG_LEVEL=debug\n"));
        world->workspace.environments[0].dotenv = QStringLiteral(".env.dev");
        world->workspace.environments[1].dotenv = QStringLiteral(".env.staging");
        // The real collection of the two environments' config rows.
        const auto rowsGating = [&](const QString &gatedKey) -> ParityRowsSource {
            return [&world, gatedKey] {
                QList<ParityEnvironmentInput> inputs;
                for (const QString &name : {QStringLiteral("dev"), QStringLiteral("staging")}) {
                    ParityEnvironmentInput input;
                    input.name = name;
                    ParityCollector::readDotenv(world->workspace, world->env(name), input);
                    inputs.append(input);
                }
                ParityOptions options;
                options.migrationsKnown = false;
                QList<ParityRow> rows = ParityMatrix::build(inputs, options).rows();
                for (ParityRow &row : rows)
                    row.gate = row.key == gatedKey;
                return Result<QList<ParityRow>>(rows);
            };
        };
        // PYTHON differs, but only LOG_LEVEL is a gate: passes.
        PromotionPlan plan =
            planFor(*world, QStringLiteral("staging"), rowsGating(QStringLiteral("LOG_LEVEL")));
        QVERIFY2(plan.gatesPass(), qPrintable(plan.failingGatesText()));
        QCOMPARE(gateOf(plan, PromotionGateKind::Parity)->reason,
                 QStringLiteral("all 1 gated parity rows match"));
        // PYTHON as a gate: fails alone, naming the row.
        plan = planFor(*world, QStringLiteral("staging"), rowsGating(QStringLiteral("PYTHON")));
        QCOMPARE(failing(plan), QStringLiteral("parity"));
        QVERIFY2(gateOf(plan, PromotionGateKind::Parity)
                     ->reason.startsWith(QStringLiteral(
                         "1 of 1 gated parity rows differ: config key PYTHON (dev: ")),
                 qPrintable(gateOf(plan, PromotionGateKind::Parity)->reason));
        // Rows that could not be collected fail the gate rather than pass it.
        plan = planFor(*world, QStringLiteral("staging"), [] {
            return Result<QList<ParityRow>>(
                Error(ErrorCode::Runtime, QStringLiteral("keyring locked")));
        });
        QCOMPARE(failing(plan), QStringLiteral("parity"));
    }

    void aProtectedTargetNeedsItsNameAndReadOnlyRefuses()
    {
        auto world = makeWorld(Protection::Confirm);
        QVERIFY(world);
        for (const QString &env : {QStringLiteral("dev"), QStringLiteral("staging")})
            QVERIFY(applyUpTo(*world, env, QStringLiteral("0002")));
        QVERIFY(applyUpTo(*world, QStringLiteral("prod"), QStringLiteral("0001")));
        const EnvironmentConfig &prod = world->env(QStringLiteral("prod"));
        bool asked = false;
        const ParityRowsSource watched = [&asked] {
            asked = true;
            return Result<QList<ParityRow>>(QList<ParityRow>());
        };

        auto refused = promote(world->workspace, prod, world->set, lookup(), watched, {});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Protected);
        QVERIFY2(refused.error().message.contains(QStringLiteral("--confirm prod")),
                 qPrintable(refused.error().message));
        QVERIFY(!asked); // refused before anything was read
        QCOMPARE(headOf(*world, QStringLiteral("prod")), QStringLiteral("0001"));
        QCOMPARE(promoteEntries().size(), 1);
        QCOMPARE(promoteEntries().first().outcome, AuditOutcome::Refused);

        PromotionOptions wrong;
        wrong.confirmation = QStringLiteral("staging");
        QVERIFY(!promote(world->workspace, prod, world->set, lookup(), watched, wrong).ok());

        PromotionOptions typed;
        typed.confirmation = QStringLiteral("prod");
        auto promoted = promote(world->workspace, prod, world->set, lookup(), watched, typed);
        QVERIFY2(promoted.ok(), promoted ? "" : qPrintable(promoted.error().message));
        QVERIFY(asked);
        QCOMPARE(promoted->plan.versions(), QStringList{QStringLiteral("0002")});
        QCOMPARE(headOf(*world, QStringLiteral("prod")), QStringLiteral("0002"));

        auto readOnly = makeWorld(Protection::ReadOnly);
        QVERIFY(readOnly);
        QVERIFY(applyUpTo(*readOnly, QStringLiteral("staging"), QStringLiteral("0001")));
        QVERIFY(applyUpTo(*readOnly, QStringLiteral("dev"), QStringLiteral("0001")));
        auto never = promote(readOnly->workspace, readOnly->env(QStringLiteral("prod")),
                             readOnly->set, lookup(), watched, typed);
        QVERIFY(!never.ok());
        QCOMPARE(never.error().code, ErrorCode::Protected);
        QVERIFY2(never.error().message.contains(QStringLiteral("read-only")),
                 qPrintable(never.error().message));
        QCOMPARE(headOf(*readOnly, QStringLiteral("prod")), QString());
    }

    void anEnvironmentWithoutUpstreamIsAConfigError()
    {
        auto world = makeWorld();
        QVERIFY(world);
        auto report = promote(world->workspace, world->env(QStringLiteral("dev")), world->set,
                              lookup(), noGatedRows(), {});
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Config);
        QVERIFY2(report.error().message.contains(QStringLiteral("environments.dev.promotes_from")),
                 qPrintable(report.error().message));
    }
};

QTEST_GUILESS_MAIN(TestPromotion)
#include "tst_promotion.moc"
