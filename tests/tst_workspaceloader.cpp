// Loading paritydeck.yaml: every field of a full workspace, discovery, and one fixture per
// kind of mistake, each checked for the exact file:line:column and sentence a user sees.
#include "workspace/closestname.h"
#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace pd;

namespace {

QString fixture(const QString &relative)
{
    return QStringLiteral(PD_TEST_DATA_DIR "/workspaces/") + relative;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

const QByteArray minimalWorkspace = "version: 1\n"
                                    "project: tmp\n"
                                    "environments:\n"
                                    "  dev:\n"
                                    "    database: { url: postgresql://localhost/tmp }\n";

SecretRef keychain(const QString &service, const QString &key)
{
    SecretRef ref;
    ref.kind = SecretRef::Kind::Keychain;
    ref.service = service;
    ref.key = key;
    return ref;
}

SecretRef env(const QString &name)
{
    SecretRef ref;
    ref.kind = SecretRef::Kind::Env;
    ref.name = name;
    return ref;
}

SecretRef dotenv(const QString &file, const QString &key)
{
    SecretRef ref;
    ref.kind = SecretRef::Kind::Dotenv;
    ref.file = file;
    ref.key = key;
    return ref;
}

SecretRef command(const QString &cmd)
{
    SecretRef ref;
    ref.kind = SecretRef::Kind::Command;
    ref.command = cmd;
    return ref;
}

} // namespace

class TestWorkspaceLoader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void schemaFiltersAreRead()
    {
        const QByteArray text =
            "version: 1\nproject: p\nschema:\n  include: [public, 'app_*']\n  exclude: [audit]\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        const Result<Workspace> loaded = WorkspaceLoader::parse(text, QStringLiteral("p.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->schemaInclude,
                 (QStringList{QStringLiteral("public"), QStringLiteral("app_*")}));
        QCOMPARE(loaded->schemaExclude, QStringList{QStringLiteral("audit")});
        QVERIFY(loaded->schemaPrivileges); // compared unless switched off
        const QByteArray noPrivileges =
            "version: 1\nproject: p\nschema: { privileges: false }\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        const Result<Workspace> without =
            WorkspaceLoader::parse(noPrivileges, QStringLiteral("p.yaml"));
        QVERIFY2(without.ok(), qPrintable(without.ok() ? QString() : without.error().message));
        QVERIFY(!without->schemaPrivileges);

        ConfigError detail;
        const QByteArray typo =
            "version: 1\nproject: p\nschema:\n  exlude: [audit]\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        QVERIFY(!WorkspaceLoader::parse(typo, QStringLiteral("p.yaml"), &detail).ok());
        QCOMPARE(detail.line, 4);
        QCOMPARE(detail.column, 3);
        QVERIFY2(detail.message.contains(QStringLiteral("exclude")), qPrintable(detail.message));
    }

    void parityPresenceOnlyKeysAreRead()
    {
        const QByteArray text =
            "version: 1\nproject: p\nparity:\n  presence_only: [APP_ENV, DATABASE_URL]\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        const Result<Workspace> loaded = WorkspaceLoader::parse(text, QStringLiteral("p.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->parityPresenceOnly,
                 (QStringList{QStringLiteral("APP_ENV"), QStringLiteral("DATABASE_URL")}));

        ConfigError detail;
        const QByteArray wrong =
            "version: 1\nproject: p\nparity:\n  presence_only: APP_ENV\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        QVERIFY(!WorkspaceLoader::parse(wrong, QStringLiteral("p.yaml"), &detail).ok());
        QCOMPARE(detail.line, 4);
        QCOMPARE(detail.column, 18);
        QVERIFY2(detail.message.contains(QStringLiteral("a list of config keys")),
                 qPrintable(detail.message));

        const QByteArray typo =
            "version: 1\nproject: p\nparity:\n  presense_only: [A]\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        QVERIFY(!WorkspaceLoader::parse(typo, QStringLiteral("p.yaml"), &detail).ok());
        QCOMPARE(detail.line, 4);
        QCOMPARE(detail.column, 3);
        QVERIFY2(detail.message.contains(QStringLiteral("presence_only")),
                 qPrintable(detail.message));
    }

    void parityShowValuesKeysAreRead()
    {
        const QByteArray text =
            "version: 1\nproject: p\nparity:\n  show_values: [LOG_LEVEL]\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        const Result<Workspace> loaded = WorkspaceLoader::parse(text, QStringLiteral("p.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->parityShowValues, QStringList{QStringLiteral("LOG_LEVEL")});
        QVERIFY(loaded->parityPresenceOnly.isEmpty());
        ConfigError detail;
        const QByteArray wrong =
            "version: 1\nproject: p\nparity:\n  show_values: 3\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        QVERIFY(!WorkspaceLoader::parse(wrong, QStringLiteral("p.yaml"), &detail).ok());
        QCOMPARE(detail.line, 4);
        QVERIFY2(detail.message.contains(QStringLiteral("not secret")), qPrintable(detail.message));
    }

    void parityProbesAndTargetAreRead()
    {
        const QByteArray text =
            "version: 1\nproject: p\nparity:\n  target: 95\n  probes:\n"
            "    - name: python\n      command: cd src && python3 --version\n      weight: 3\n"
            "      gate: true\n"
            "    - { name: api key, command: cat key, secret: true, timeout: 2 }\n"
            "    - settings: [TimeZone, max_connections]\n"
            "    - roles\n"
            "    - { privileges: true, weight: 0 }\n"
            "    - reference_data: [countries, billing.plans]\n"
            "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
        const Result<Workspace> loaded = WorkspaceLoader::parse(text, QStringLiteral("p.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->parityTarget, std::optional<int>(95));
        const QList<ParityProbeConfig> &probes = loaded->parityProbes;
        QCOMPARE(probes.size(), 6);
        using K = ParityProbeConfig::Kind;
        QCOMPARE(probes.at(0).kind, K::Command);
        QCOMPARE(probes.at(0).name, QStringLiteral("python"));
        QCOMPARE(probes.at(0).command, QStringLiteral("cd src && python3 --version"));
        QCOMPARE(probes.at(0).weight, 3);
        QVERIFY(probes.at(0).gate);
        QCOMPARE(probes.at(0).timeoutSeconds, 10); // the default
        QVERIFY(!probes.at(0).secret);
        QCOMPARE(probes.at(0).location.line, 6);
        QVERIFY(probes.at(1).secret);
        QCOMPARE(probes.at(1).timeoutSeconds, 2);
        QVERIFY(!probes.at(1).gate);
        QCOMPARE(probes.at(1).weight, 1);
        QCOMPARE(probes.at(2).kind, K::Settings);
        QCOMPARE(probes.at(2).names,
                 (QStringList{QStringLiteral("TimeZone"), QStringLiteral("max_connections")}));
        QCOMPARE(probes.at(3).kind, K::Roles);
        QCOMPARE(probes.at(4).kind, K::Privileges);
        QCOMPARE(probes.at(4).weight, 0);
        QCOMPARE(probes.at(5).kind, K::ReferenceData);
        QCOMPARE(probes.at(5).names,
                 (QStringList{QStringLiteral("countries"), QStringLiteral("billing.plans")}));

        const auto failsAt = [](const QByteArray &parity, int line, int column,
                                const QString &part) {
            ConfigError detail;
            const QByteArray file =
                "version: 1\nproject: p\nparity:\n" + parity +
                "environments:\n  dev:\n    database: { url: postgresql://a@127.0.0.1/x }\n";
            if (WorkspaceLoader::parse(file, QStringLiteral("p.yaml"), &detail).ok())
                return QStringLiteral("accepted");
            if (detail.line != line || detail.column != column || !detail.message.contains(part))
                return QStringLiteral("%1:%2: %3")
                    .arg(detail.line)
                    .arg(detail.column)
                    .arg(detail.message);
            return QString();
        };
        QCOMPARE(
            failsAt("  target: 120\n", 4, 11, QStringLiteral("a whole percentage from 0 to 100")),
            QString());
        QCOMPARE(failsAt("  probes:\n    - { name: x, comand: y }\n", 5, 18,
                         QStringLiteral("did you mean 'command'?")),
                 QString());
        QCOMPARE(
            failsAt("  probes:\n    - { name: x }\n", 5, 7, QStringLiteral("missing 'command'")),
            QString());
        QCOMPARE(
            failsAt("  probes:\n    - role\n", 5, 7, QStringLiteral("(did you mean 'roles'?)")),
            QString());
        QCOMPARE(failsAt("  probes:\n    - settings\n", 5, 7, QStringLiteral("without a list")),
                 QString());
        QCOMPARE(
            failsAt("  probes:\n    - { name: x, command: a }\n    - { name: x, command: b }\n", 6,
                    7, QStringLiteral("duplicate probe 'x'")),
            QString());
        QCOMPARE(failsAt("  probes:\n    - { name: x, command: a, timeout: 0 }\n", 5, 39,
                         QStringLiteral("at least 1")),
                 QString());
        QCOMPARE(failsAt("  probes:\n    - { name: x, command: a, weight: -1 }\n", 5, 38,
                         QStringLiteral("0 or more")),
                 QString());
        QCOMPARE(failsAt("  probes:\n    - reference_data: [\"a; DROP TABLE b\"]\n", 5, 24,
                         QStringLiteral("is not usable")),
                 QString());
        QCOMPARE(failsAt("  probes:\n    - settings: []\n", 5, 17, QStringLiteral("is empty")),
                 QString());
        QCOMPARE(failsAt("  probes: { name: x }\n", 4, 11, QStringLiteral("a list of probes")),
                 QString());
    }

    void cloudBranchKeysAreRead()
    {
        const QByteArray text =
            "version: 1\nproject: p\nenvironments:\n  preview:\n"
            "    database: { url: postgresql://app@ep-main.example.test/app }\n"
            "    branches:\n      git: true\n      cloud:\n"
            "        create: neonctl branches create --project-id ${NEON_PROJECT_ID} --name {name} "
            "--parent {parent} --output json\n"
            "        delete: neonctl branches delete {name}\n"
            "        list: neonctl branches list --output json\n"
            "        reset: neonctl branches reset {name} --parent\n"
            "        connection: neonctl connection-string {name}\n"
            "        url_field: connection_uris.0.connection_uri\n"
            "        name_field: branch.name\n"
            "        parent: production\n"
            "        timeout: 45\n"
            "        env: { NEON_PROJECT_ID: bold-sun-123 }\n"
            "        secret_env: { NEON_API_KEY: 'keychain:paritydeck/neon' }\n";
        const Result<Workspace> loaded = WorkspaceLoader::parse(text, QStringLiteral("p.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        const BranchConfig &branches = loaded->environments.at(0).branches;
        QVERIFY(branches.git);
        QVERIFY(branches.database.isEmpty());
        QVERIFY(branches.hasDatabaseBranches());
        QVERIFY(branches.cloud.has_value());
        QCOMPARE(branches.naming, QStringLiteral("{branch}")); // cloud default
        const CloudBranchesConfig &cloud = *branches.cloud;
        QCOMPARE(cloud.create,
                 QStringLiteral("neonctl branches create --project-id ${NEON_PROJECT_ID} "
                                "--name {name} --parent {parent} --output json"));
        QCOMPARE(cloud.remove, QStringLiteral("neonctl branches delete {name}"));
        QCOMPARE(cloud.list, QStringLiteral("neonctl branches list --output json"));
        QCOMPARE(cloud.reset, QStringLiteral("neonctl branches reset {name} --parent"));
        QCOMPARE(cloud.connection, QStringLiteral("neonctl connection-string {name}"));
        QCOMPARE(cloud.urlField, QStringLiteral("connection_uris.0.connection_uri"));
        QCOMPARE(cloud.nameField, QStringLiteral("branch.name"));
        QCOMPARE(cloud.listLines, false);
        QCOMPARE(cloud.parent, QStringLiteral("production"));
        QCOMPARE(cloud.timeoutSeconds, 45);
        QCOMPARE(cloud.environment.value(QStringLiteral("NEON_PROJECT_ID")),
                 QStringLiteral("bold-sun-123"));
        QCOMPARE(cloud.secretEnvironment.value(QStringLiteral("NEON_API_KEY")).kind,
                 SecretRef::Kind::Keychain);
        QCOMPARE(cloud.location.line, 8);
        QCOMPARE(cloud.location.column, 7);

        // Defaults, and an explicit naming pattern wins over the cloud default.
        const QByteArray minimal =
            "version: 1\nproject: p\nenvironments:\n  preview:\n"
            "    database: { url: postgresql://app@ep-main.example.test/app }\n"
            "    branches:\n      naming: 'pr_{branch}'\n      cloud:\n"
            "        create: v create {name}\n        delete: v delete {name}\n"
            "        list: v list\n        list_format: lines\n        url_field: uri\n";
        const Result<Workspace> small = WorkspaceLoader::parse(minimal, QStringLiteral("p.yaml"));
        QVERIFY2(small.ok(), qPrintable(small.ok() ? QString() : small.error().message));
        const BranchConfig &defaults = small->environments.at(0).branches;
        QCOMPARE(defaults.naming, QStringLiteral("pr_{branch}"));
        QCOMPARE(defaults.cloud->parent, QStringLiteral("main"));
        QCOMPARE(defaults.cloud->timeoutSeconds, 120);
        QCOMPARE(defaults.cloud->listLines, true);
        QVERIFY(defaults.cloud->connection.isEmpty());
        QVERIFY(defaults.cloud->reset.isEmpty());
        QVERIFY(!defaults.git);
    }

    void loadsEveryFieldOfAFullWorkspace()
    {
        const QString path = fixture(QStringLiteral("full/paritydeck.yaml"));
        const Result<Workspace> loaded = WorkspaceLoader::load(path);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        const Workspace &ws = *loaded;

        QCOMPARE(ws.filePath, QFileInfo(path).absoluteFilePath());
        QCOMPARE(ws.rootDir, QFileInfo(path).absolutePath());
        QCOMPARE(ws.version, 1);
        QCOMPARE(ws.project, QStringLiteral("podcast"));
        QCOMPARE(ws.refreshIntervalSeconds, 10);
        QCOMPARE(ws.migrations.dir, QStringLiteral("db/migrations"));
        QCOMPARE(ws.migrations.format, QStringLiteral("golang-migrate"));
        QCOMPARE(ws.migrations.command, QStringLiteral("migrate -path db/migrations up"));
        QCOMPARE(ws.environmentNames(),
                 (QStringList{QStringLiteral("dev"), QStringLiteral("staging"),
                              QStringLiteral("prod"), QStringLiteral("analytics")}));

        const EnvironmentConfig &dev = ws.environments[0];
        QCOMPARE(dev.name, QStringLiteral("dev"));
        QCOMPARE(dev.location, (SourceLocation{10, 3}));
        QCOMPARE(dev.protection, Protection::None);
        QCOMPARE(dev.database.url, QStringLiteral("postgresql://app@127.0.0.1:6432/app_dev"));
        QCOMPARE(dev.database.password,
                 keychain(QStringLiteral("paritydeck"), QStringLiteral("dev")));
        QCOMPARE(dev.database.connectTimeoutSeconds, 3);
        QCOMPARE(dev.database.statementTimeoutSeconds, 0);
        QCOMPARE(dev.database.keepConnection, std::optional<bool>()); // unset: protection decides
        QCOMPARE(dev.database.location, (SourceLocation{11, 5}));
        QCOMPARE(dev.dotenv, QStringLiteral(".env.local"));
        QCOMPARE(dev.secrets.size(), 2);
        QCOMPARE(dev.secrets.value(QStringLiteral("STRIPE_KEY")),
                 env(QStringLiteral("STRIPE_TEST_KEY")));
        QCOMPARE(dev.secrets.value(QStringLiteral("SENTRY_DSN")),
                 dotenv(QStringLiteral(".env.local"), QStringLiteral("SENTRY_DSN")));
        QCOMPARE(dev.branches.git, true);
        QCOMPARE(dev.branches.database, QStringLiteral("template"));
        QCOMPARE(dev.branches.naming, QStringLiteral("{db}__{branch}"));

        QCOMPARE(dev.services.size(), 4);
        const ServiceConfig &postgres = dev.services[0];
        QCOMPARE(postgres.name, QStringLiteral("postgres"));
        QCOMPARE(postgres.location, (SourceLocation{17, 9}));
        QCOMPARE(postgres.start, QStringLiteral("pg_ctlcluster 15 main start"));
        QCOMPARE(postgres.stop, QStringLiteral("pg_ctlcluster 15 main stop"));
        QCOMPARE(postgres.status, QStringLiteral("pg_ctlcluster 15 main status"));
        QVERIFY(postgres.run.isEmpty());
        QVERIFY(!postgres.isSupervised());
        QCOMPARE(postgres.health.kind, HealthProbeConfig::Kind::Postgres);
        QVERIFY(postgres.health.target.isEmpty());
        QCOMPARE(postgres.health.timeoutSeconds, 3);
        QCOMPARE(postgres.startTimeoutSeconds, 30);
        QCOMPARE(postgres.restart, false);
        QVERIFY(postgres.after.isEmpty());
        QVERIFY(postgres.environment.isEmpty());
        QVERIFY(postgres.secretEnvironment.isEmpty());
        QVERIFY(postgres.workingDirectory.isEmpty());

        const ServiceConfig &pgbouncer = dev.services[1];
        QCOMPARE(pgbouncer.name, QStringLiteral("pgbouncer"));
        QCOMPARE(pgbouncer.location, (SourceLocation{22, 9}));
        QCOMPARE(pgbouncer.run, QStringLiteral("pgbouncer deploy/pgbouncer.ini"));
        QVERIFY(pgbouncer.isSupervised());
        QVERIFY(pgbouncer.start.isEmpty());
        QVERIFY(pgbouncer.stop.isEmpty());
        QCOMPARE(pgbouncer.workingDirectory, QStringLiteral("deploy"));
        const QMap<QString, QString> variables{
            {QStringLiteral("PGBOUNCER_LOG"), QStringLiteral("verbose")},
            {QStringLiteral("PORT"), QStringLiteral("6432")},
            {QStringLiteral("EMPTY"), QString()}};
        QCOMPARE(pgbouncer.environment, variables);
        QCOMPARE(pgbouncer.secretEnvironment.size(), 1);
        QCOMPARE(pgbouncer.secretEnvironment.value(QStringLiteral("PGBOUNCER_AUTH")),
                 dotenv(QStringLiteral(".env.local"), QStringLiteral("PGBOUNCER_AUTH")));
        QCOMPARE(pgbouncer.after, QStringList{QStringLiteral("postgres")});
        QCOMPARE(pgbouncer.health.kind, HealthProbeConfig::Kind::Tcp);
        QCOMPARE(pgbouncer.health.target, QStringLiteral("127.0.0.1:6432"));
        QCOMPARE(pgbouncer.health.timeoutSeconds, 2);
        QCOMPARE(pgbouncer.startTimeoutSeconds, 15);
        QCOMPARE(pgbouncer.restart, true);

        const ServiceConfig &web = dev.services[2];
        QCOMPARE(web.name, QStringLiteral("web"));
        QCOMPARE(web.run, QStringLiteral("./bin/web --port 8080"));
        QCOMPARE(web.after, (QStringList{QStringLiteral("pgbouncer"), QStringLiteral("postgres")}));
        QCOMPARE(web.health.kind, HealthProbeConfig::Kind::Http);
        QCOMPARE(web.health.target, QStringLiteral("http://127.0.0.1:8080/health"));

        const ServiceConfig &worker = dev.services[3];
        QCOMPARE(worker.name, QStringLiteral("worker"));
        QCOMPARE(worker.start, QStringLiteral("systemctl --user start worker"));
        QCOMPARE(worker.stop, QStringLiteral("systemctl --user stop worker"));
        QCOMPARE(worker.health.kind, HealthProbeConfig::Kind::Command);
        QCOMPARE(worker.health.target, QStringLiteral("systemctl --user is-active worker"));

        const EnvironmentConfig &staging = ws.environments[1];
        QCOMPARE(staging.name, QStringLiteral("staging"));
        QCOMPARE(staging.location, (SourceLocation{51, 3}));
        QCOMPARE(staging.protection, Protection::None);
        QCOMPARE(staging.database.url, QStringLiteral("postgresql://app@staging.internal/app"));
        QCOMPARE(staging.database.password,
                 keychain(QStringLiteral("paritydeck"), QStringLiteral("staging")));
        QCOMPARE(staging.database.connectTimeoutSeconds, 5);
        QCOMPARE(staging.database.statementTimeoutSeconds, 30);
        QCOMPARE(staging.database.keepConnection, std::optional<bool>(true));
        QCOMPARE(staging.database.location, (SourceLocation{52, 5}));
        QVERIFY(staging.services.isEmpty());
        QCOMPARE(staging.dotenv, QStringLiteral(".env.staging"));
        QVERIFY(staging.secrets.isEmpty());
        QCOMPARE(staging.branches.git, false);
        QVERIFY(staging.branches.database.isEmpty());
        QCOMPARE(staging.branches.naming, QStringLiteral("{branch}_{db}"));

        const EnvironmentConfig &prod = ws.environments[2];
        QCOMPARE(prod.name, QStringLiteral("prod"));
        QCOMPARE(prod.protection, Protection::Confirm);
        QCOMPARE(prod.database.url, QStringLiteral("postgresql://app@127.0.0.1:5433/app"));
        QCOMPARE(prod.database.password,
                 command(QStringLiteral("gcloud secrets versions access latest --secret=db")));
        QCOMPARE(prod.services.size(), 1);
        QCOMPARE(prod.services[0].name, QStringLiteral("cloud-sql-proxy"));
        QCOMPARE(prod.services[0].location, (SourceLocation{59, 9}));
        QCOMPARE(prod.services[0].run,
                 QStringLiteral("cloud-sql-proxy --port 5433 project:region:instance"));
        QCOMPARE(prod.services[0].health.kind, HealthProbeConfig::Kind::Tcp);
        QCOMPARE(prod.services[0].health.target, QStringLiteral("127.0.0.1:5433"));
        QVERIFY(prod.dotenv.isEmpty());
        QCOMPARE(prod.branches.git, false);

        const EnvironmentConfig &analytics = ws.environments[3];
        QCOMPARE(analytics.protection, Protection::ReadOnly);
        QCOMPARE(analytics.database.url,
                 QStringLiteral("postgres://reader@db1.internal:5432/warehouse?sslmode=require"));
        QCOMPARE(analytics.database.password, env(QStringLiteral("ANALYTICS_DB_PASSWORD")));
    }

    void loadsTheDesignSketch()
    {
        // DESIGN.md §3 verbatim: the documented example must stay loadable.
        const Result<Workspace> loaded =
            WorkspaceLoader::load(fixture(QStringLiteral("design-sketch")));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->environmentNames(),
                 (QStringList{QStringLiteral("dev"), QStringLiteral("staging"),
                              QStringLiteral("prod")}));
        QCOMPARE(loaded->migrations.format, QStringLiteral("auto"));
        const EnvironmentConfig *dev = loaded->environment(QStringLiteral("dev"));
        QVERIFY(dev);
        QCOMPARE(dev->services.size(), 2);
        QCOMPARE(dev->services[1].health.target, QStringLiteral("127.0.0.1:6432"));
        QCOMPARE(dev->database.password,
                 keychain(QStringLiteral("paritydeck"), QStringLiteral("dev")));
        QCOMPARE(loaded->environment(QStringLiteral("prod"))->protection, Protection::Confirm);
    }

    void appliesDefaultsForOptionalSettings()
    {
        const Result<Workspace> loaded = WorkspaceLoader::load(fixture(QStringLiteral("minimal")));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->refreshIntervalSeconds, 5);
        QCOMPARE(loaded->migrations.dir, QStringLiteral("migrations"));
        QCOMPARE(loaded->migrations.format, QStringLiteral("auto"));
        QVERIFY(loaded->migrations.command.isEmpty());
        const EnvironmentConfig &dev = loaded->environments.constFirst();
        QCOMPARE(dev.protection, Protection::None);
        QVERIFY(!dev.database.password.has_value());
        QCOMPARE(dev.database.connectTimeoutSeconds, 5);
        QCOMPARE(dev.database.statementTimeoutSeconds, 30);
        QVERIFY(dev.services.isEmpty());
        QVERIFY(dev.dotenv.isEmpty());
        QCOMPARE(dev.branches.git, false);
        QVERIFY(dev.branches.database.isEmpty());
        QCOMPARE(dev.branches.naming, QStringLiteral("{db}__{branch}"));
    }

    void acceptsByteOrderMarkAndWindowsLineEndings()
    {
        QByteArray text = "\xEF\xBB\xBF" + minimalWorkspace;
        text.replace("\n", "\r\n");
        const Result<Workspace> loaded = WorkspaceLoader::parse(text, QStringLiteral("bom.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->environments.constFirst().database.url,
                 QStringLiteral("postgresql://localhost/tmp"));
        QCOMPARE(loaded->environments.constFirst().location, (SourceLocation{4, 3}));

        // The byte order mark takes no column.
        ConfigError detail;
        QVERIFY(!WorkspaceLoader::parse("\xEF\xBB\xBFversion: 3\r\n", QStringLiteral("bom.yaml"),
                                        &detail)
                     .ok());
        QCOMPARE(detail.line, 1);
        QCOMPARE(detail.column, 10);
    }

    void resolvesRelativePathsAgainstTheFileFolder()
    {
        const QString folder = fixture(QStringLiteral("full"));
        const Result<Workspace> loaded = WorkspaceLoader::load(folder);
        QVERIFY(loaded.ok());
        const QString root = QFileInfo(folder).absoluteFilePath();
        QCOMPARE(loaded->rootDir, root);
        QCOMPARE(loaded->resolvePath(loaded->migrations.dir),
                 root + QStringLiteral("/db/migrations"));
        const EnvironmentConfig *dev = loaded->environment(QStringLiteral("dev"));
        QVERIFY(dev);
        QCOMPARE(loaded->resolvePath(dev->dotenv), root + QStringLiteral("/.env.local"));
        QCOMPARE(loaded->resolvePath(dev->services[1].workingDirectory),
                 root + QStringLiteral("/deploy"));
        QCOMPARE(loaded->resolvePath(QStringLiteral("../shared/./x.sql")),
                 QFileInfo(folder).absolutePath() + QStringLiteral("/shared/x.sql"));
        QCOMPARE(loaded->resolvePath(QStringLiteral("/etc/paritydeck/../ca.pem")),
                 QStringLiteral("/etc/ca.pem"));
        QCOMPARE(loaded->resolvePath(QStringLiteral("~/certs/ca.pem")),
                 QDir::homePath() + QStringLiteral("/certs/ca.pem"));
        QCOMPARE(loaded->resolvePath(QString()), root);

        // Relative to the file, not to the process's working directory.
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(QDir::tempPath()));
        QCOMPARE(loaded->resolvePath(QStringLiteral("migrations")),
                 root + QStringLiteral("/migrations"));
        QVERIFY(QDir::setCurrent(before));
    }

    void findsEnvironmentsByName()
    {
        const Result<Workspace> loaded = WorkspaceLoader::load(fixture(QStringLiteral("full")));
        QVERIFY(loaded.ok());
        const EnvironmentConfig *prod = loaded->environment(QStringLiteral("prod"));
        QVERIFY(prod);
        QCOMPARE(prod->name, QStringLiteral("prod"));
        QCOMPARE(loaded->environment(QStringLiteral("production")), nullptr);
        QCOMPARE(loaded->environment(QString()), nullptr);
    }

    void acceptsTheWorkspaceFolderOrTheFile()
    {
        const QString folder = fixture(QStringLiteral("minimal"));
        const Result<Workspace> fromFolder = WorkspaceLoader::load(folder);
        const Result<Workspace> fromFolderWithSlash = WorkspaceLoader::load(folder + u'/');
        const Result<Workspace> fromFile =
            WorkspaceLoader::load(folder + QStringLiteral("/paritydeck.yaml"));
        QVERIFY(fromFolder.ok());
        QVERIFY(fromFolderWithSlash.ok());
        QVERIFY(fromFile.ok());
        QCOMPARE(fromFolder->filePath, fromFile->filePath);
        QCOMPARE(fromFolderWithSlash->filePath, fromFile->filePath);
        QCOMPARE(fromFolder->rootDir, fromFile->rootDir);
        QCOMPARE(fromFolder->project, QStringLiteral("minimal"));

        // A file with another name is fine when named explicitly.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString other = dir.filePath(QStringLiteral("staging-only.yaml"));
        QVERIFY(writeFile(other, minimalWorkspace));
        const Result<Workspace> fromOtherName = WorkspaceLoader::load(other);
        QVERIFY(fromOtherName.ok());
        QCOMPARE(fromOtherName->rootDir, QFileInfo(dir.path()).absoluteFilePath());
    }

    void discoversFromANestedSubfolder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("paritydeck.yaml")), minimalWorkspace));
        const QString nested = dir.filePath(QStringLiteral("src/app/deep"));
        QVERIFY(QDir().mkpath(nested));

        const Result<QString> found = WorkspaceLoader::discover(nested);
        QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().message));
        QCOMPARE(*found,
                 QFileInfo(dir.filePath(QStringLiteral("paritydeck.yaml"))).absoluteFilePath());
        QVERIFY(WorkspaceLoader::load(*found).ok());

        // The start folder itself counts.
        const Result<QString> here = WorkspaceLoader::discover(dir.path());
        QVERIFY(here.ok());
        QCOMPARE(*here, *found);
    }

    void discoveryStopsAtTheNearestWorkspace()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("paritydeck.yaml")), minimalWorkspace));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("services/billing/sql"))));
        const QString inner = dir.filePath(QStringLiteral("services/billing/paritydeck.yaml"));
        QVERIFY(writeFile(inner, minimalWorkspace));
        // A folder named like the file is not a workspace.
        QVERIFY(
            QDir().mkpath(dir.filePath(QStringLiteral("services/billing/sql/paritydeck.yaml"))));

        const Result<QString> found =
            WorkspaceLoader::discover(dir.filePath(QStringLiteral("services/billing/sql")));
        QVERIFY(found.ok());
        QCOMPARE(*found, QFileInfo(inner).absoluteFilePath());
    }

    void discoveryFailsOutsideAnyWorkspace()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString start = QFileInfo(dir.path()).absoluteFilePath();
        if (WorkspaceLoader::discover(QFileInfo(start).absolutePath()).ok())
            QSKIP("a folder above the temporary directory holds a paritydeck.yaml");

        const Result<QString> found = WorkspaceLoader::discover(start);
        QVERIFY(!found.ok());
        QCOMPARE(found.error().code, ErrorCode::Config);
        QCOMPARE(found.error().message,
                 QStringLiteral("no paritydeck.yaml in %1 or any folder above it; expected a "
                                "workspace file there, or --workspace PATH")
                     .arg(start));

        const QString missing = dir.filePath(QStringLiteral("gone"));
        const Result<QString> fromMissing = WorkspaceLoader::discover(missing);
        QVERIFY(!fromMissing.ok());
        QCOMPARE(fromMissing.error().message,
                 missing + QStringLiteral(": no such folder; expected a folder inside a "
                                          "ParityDeck workspace"));
    }

    void driftIntervalHasADefaultAndPerEnvironmentOverrides()
    {
        const auto parsed =
            WorkspaceLoader::parse("version: 1\nproject: p\ndrift_interval: 300\nenvironments:\n"
                                   "  dev:\n    database: { url: postgresql://app@127.0.0.1/app }\n"
                                   "  prod:\n    drift_interval: 0\n    database: { url: "
                                   "postgresql://app@127.0.0.1/app }\n",
                                   QStringLiteral("/ws/paritydeck.yaml"));
        QVERIFY2(parsed.ok(), parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->driftIntervalSeconds, 300);
        QCOMPARE(parsed->driftIntervalFor(*parsed->environment(QStringLiteral("dev"))), 300);
        QCOMPARE(parsed->driftIntervalFor(*parsed->environment(QStringLiteral("prod"))), 0);
        const auto defaults =
            WorkspaceLoader::parse("version: 1\nproject: p\nenvironments:\n  dev:\n    database: { "
                                   "url: postgresql://app@127.0.0.1/app }\n",
                                   QStringLiteral("/ws/paritydeck.yaml"));
        QVERIFY(defaults.ok());
        QCOMPARE(defaults->driftIntervalSeconds, 600);
        const auto negative =
            WorkspaceLoader::parse("version: 1\nproject: p\ndrift_interval: -1\nenvironments:\n  "
                                   "dev:\n    database: { url: postgresql://app@127.0.0.1/app }\n",
                                   QStringLiteral("/ws/paritydeck.yaml"));
        QVERIFY(!negative.ok());
        QVERIFY2(negative.error().message.contains(QStringLiteral("drift")),
                 qPrintable(negative.error().message));
    }

    void promotesFromIsReadPerEnvironment()
    {
        const auto parsed =
            WorkspaceLoader::parse("version: 1\nproject: p\nenvironments:\n"
                                   "  dev:\n    database: { url: postgresql://app@127.0.0.1/dev }\n"
                                   "  staging:\n    promotes_from: dev\n    database: { url: "
                                   "postgresql://app@127.0.0.1/st }\n"
                                   "  prod:\n    promotes_from: staging\n    database: { url: "
                                   "postgresql://app@127.0.0.1/pr }\n",
                                   QStringLiteral("/ws/paritydeck.yaml"));
        QVERIFY2(parsed.ok(), parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->environment(QStringLiteral("dev"))->promotesFrom, QString());
        QCOMPARE(parsed->environment(QStringLiteral("staging"))->promotesFrom,
                 QStringLiteral("dev"));
        QCOMPARE(parsed->environment(QStringLiteral("prod"))->promotesFrom,
                 QStringLiteral("staging"));
        QCOMPARE(parsed->environment(QStringLiteral("prod"))->promotesFromLocation,
                 (SourceLocation{10, 20}));
    }

    void rejectsABrokenPromotionChain_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        const QByteArray head = "version: 1\nproject: p\nenvironments:\n";
        QTest::newRow("unknown")
            << QByteArray(head + "  dev:\n    database: { url: postgresql://a@h/d }\n"
                                 "  staging:\n    promotes_from: deev\n    database: { url: "
                                 "postgresql://a@h/s }\n")
            << QStringLiteral(
                   "/ws/paritydeck.yaml:7:20: environment 'staging' is promoted from 'deev', "
                   "which is not an environment of this workspace; expected one of: dev "
                   "(did you mean 'dev'?)");
        QTest::newRow("itself")
            << QByteArray(
                   head +
                   "  dev:\n    promotes_from: dev\n    database: { url: postgresql://a@h/d }\n")
            << QStringLiteral(
                   "/ws/paritydeck.yaml:5:20: environment 'dev' is promoted from itself; "
                   "expected another environment (e.g. staging: { promotes_from: dev })");
        QTest::newRow("cycle")
            << QByteArray(
                   head +
                   "  dev:\n    promotes_from: prod\n    database: { url: postgresql://a@h/d }\n"
                   "  staging:\n    promotes_from: dev\n    database: { url: postgresql://a@h/s }\n"
                   "  prod:\n    promotes_from: staging\n    database: { url: postgresql://a@h/p "
                   "}\n")
            << QStringLiteral(
                   "/ws/paritydeck.yaml:8:20: promotes_from goes round in a circle ('dev' ← "
                   "'prod' ← 'staging' ← 'dev', each promoted from the next); expected a chain "
                   "that starts at an environment without promotes_from, no longer than the 3 "
                   "environments");
        QTest::newRow("not-a-name")
            << QByteArray(head + "  dev:\n    database: { url: postgresql://a@h/d }\n"
                                 "  staging:\n    promotes_from: [dev]\n    database: { url: "
                                 "postgresql://a@h/s }\n")
            << QString();
    }
    void rejectsABrokenPromotionChain()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto parsed = WorkspaceLoader::parse(text, QStringLiteral("/ws/paritydeck.yaml"));
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, ErrorCode::Config);
        if (message.isEmpty()) // the wording of a type error is the loader's usual one
            QVERIFY2(
                parsed.error().message.startsWith(QStringLiteral("/ws/paritydeck.yaml:7:20: ")) &&
                    parsed.error().message.contains(QStringLiteral("promotes_from")),
                qPrintable(parsed.error().message));
        else
            QCOMPARE(parsed.error().message, message);
    }

    void rejectsInvalidWorkspace_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        // File as a whole, encoding and YAML syntax
        QTest::newRow("empty") << QStringLiteral("empty.yaml") << 1 << 1
                               << QStringLiteral("the file is empty; expected a mapping with "
                                                 "'version', 'project' and 'environments'");
        QTest::newRow("blank") << QStringLiteral("blank.yaml") << 1 << 1
                               << QStringLiteral("the file is empty; expected a mapping with "
                                                 "'version', 'project' and 'environments'");
        QTest::newRow("comments-only")
            << QStringLiteral("comments-only.yaml") << 1 << 1
            << QStringLiteral("the file holds no settings; expected a mapping with 'version', "
                              "'project' and 'environments'");
        QTest::newRow("not-utf8") << QStringLiteral("not-utf8.yaml") << 2 << 13
                                  << QStringLiteral("byte 0xE9 is not valid UTF-8; expected a "
                                                    "UTF-8 encoded file (re-save it as UTF-8)");
        QTest::newRow("truncated-utf8")
            << QStringLiteral("truncated-utf8.yaml") << 2 << 11
            << QStringLiteral("byte 0xC3 is not valid UTF-8; expected a UTF-8 encoded file "
                              "(re-save it as UTF-8)");
        QTest::newRow("nul-byte")
            << QStringLiteral("nul-byte.yaml") << 2 << 13
            << QStringLiteral("control character U+0000 in the file; expected printable text");
        QTest::newRow("invalid-yaml")
            << QStringLiteral("invalid-yaml.yaml") << 6 << 7
            << QStringLiteral("invalid YAML: end of map flow not found; expected valid YAML (check "
                              "indentation, quotes and brackets)");
        // yaml-cpp ends a quoted scalar at the end of the input without complaint; the
        // file used to be reported as missing 'environments' at 1:1.
        QTest::newRow("unterminated-quote")
            << QStringLiteral("unterminated-quote.yaml") << 2 << 10
            << QStringLiteral("invalid YAML: the quote '\"' opened here is never closed; "
                              "expected a closing '\"' after the quoted text");
        QTest::newRow("unterminated-single-quote")
            << QStringLiteral("unterminated-single-quote.yaml") << 6 << 12
            << QStringLiteral("invalid YAML: the quote ''' opened here is never closed; "
                              "expected a closing ''' after the quoted text");
        // A tab in indentation is reported where the tab is (a tab is one column), not at
        // the token after it where yaml-cpp trips.
        const QString tabIndents = QStringLiteral(
            "invalid YAML: a tab indents this line; expected spaces (YAML allows no tabs in "
            "indentation)");
        QTest::newRow("tab-indentation")
            << QStringLiteral("tab-indentation.yaml") << 6 << 1 << tabIndents;
        QTest::newRow("tab-before-key")
            << QStringLiteral("tab-before-key.yaml") << 4 << 1 << tabIndents;
        QTest::newRow("tab-after-spaces")
            << QStringLiteral("tab-after-spaces.yaml") << 4 << 3 << tabIndents;
        QTest::newRow("tab-after-dash")
            << QStringLiteral("tab-after-dash.yaml") << 7 << 8 << tabIndents;
        QTest::newRow("url-query-in-flow-mapping")
            << QStringLiteral("url-query-in-flow-mapping.yaml") << 5 << 48
            << QStringLiteral("invalid YAML: unknown token; expected valid YAML (inside { } put a "
                              "value holding '?' in quotes)");
        QTest::newRow("two-documents")
            << QStringLiteral("two-documents.yaml") << 6 << 1 // the '---' line
            << QStringLiteral("a second YAML document starts here; expected a single document "
                              "(remove the '---' separator)");
        QTest::newRow("stray-comma") // yaml-cpp 0.7's LoadAll never returned on this
            << QStringLiteral("stray-comma.yaml") << 2 << 1
            << QStringLiteral("invalid YAML: unexpected ','; expected valid YAML (check "
                              "indentation, quotes and brackets)");
        QTest::newRow("top-level-list")
            << QStringLiteral("top-level-list.yaml") << 1 << 1
            << QStringLiteral("the file holds a list; expected a mapping with 'version', 'project' "
                              "and 'environments'");
        QTest::newRow("top-level-text")
            << QStringLiteral("top-level-text.yaml") << 1 << 1
            << QStringLiteral("the file holds 'just some text'; expected a mapping with 'version', "
                              "'project' and 'environments'");
        // Version
        QTest::newRow("missing-version")
            << QStringLiteral("missing-version.yaml") << 1 << 1
            << QStringLiteral("missing 'version' at the top level; expected version: 1");
        QTest::newRow("version-2")
            << QStringLiteral("version-2.yaml") << 1 << 10
            << QStringLiteral("unsupported workspace version 2; expected version: 1 (the only "
                              "version this ParityDeck reads)");
        QTest::newRow("version-not-number") << QStringLiteral("version-not-number.yaml") << 1 << 10
                                            << QStringLiteral("'version' is 'one'; expected 1");
        // Unknown keys
        QTest::newRow("unknown-key-typo")
            << QStringLiteral("unknown-key-typo.yaml") << 3 << 1
            << QStringLiteral(
                   "unknown key 'enviroments' at the top level; did you mean 'environments'?");
        QTest::newRow("unknown-key-no-suggestion")
            << QStringLiteral("unknown-key-no-suggestion.yaml") << 5 << 5
            << QStringLiteral("unknown key 'colour' in 'environments.dev'; expected one of: "
                              "protection, database, services, config, secrets, branches, "
                              "drift_interval, promotes_from, history");
        QTest::newRow("unknown-service-key")
            << QStringLiteral("unknown-service-key.yaml") << 8 << 9
            << QStringLiteral(
                   "unknown key 'strat' in 'environments.dev.services[0]'; did you mean 'start'?");
        QTest::newRow("merge-key")
            << QStringLiteral("merge-key.yaml") << 7 << 5
            << QStringLiteral("merge key '<<' in 'environments.test' is not supported; expected "
                              "the settings written out in full");
        // Wrong types
        QTest::newRow("wrong-type-list-for-mapping")
            << QStringLiteral("wrong-type-list-for-mapping.yaml") << 4 << 3
            << QStringLiteral("'environments' is a list; expected a mapping of environment names "
                              "to their settings");
        QTest::newRow("wrong-type-text-for-number")
            << QStringLiteral("wrong-type-text-for-number.yaml") << 7 << 24
            << QStringLiteral("'environments.dev.database.connect_timeout' is 'soon'; expected a "
                              "whole number of seconds, at least 1");
        QTest::newRow("wrong-type-quoted-number")
            << QStringLiteral("wrong-type-quoted-number.yaml") << 3 << 19
            << QStringLiteral("'refresh_interval' is the quoted text '5'; expected a whole number "
                              "of seconds, at least 1, without quotes");
        QTest::newRow("wrong-type-mapping-for-text")
            << QStringLiteral("wrong-type-mapping-for-text.yaml") << 2 << 10
            << QStringLiteral("'project' is a mapping; expected the project's name");
        QTest::newRow("wrong-type-fraction")
            << QStringLiteral("wrong-type-fraction.yaml") << 7 << 26
            << QStringLiteral("'environments.dev.database.statement_timeout' is '2.5'; expected a "
                              "whole number of seconds, 0 for no limit");
        QTest::newRow("service-not-mapping")
            << QStringLiteral("service-not-mapping.yaml") << 7 << 9
            << QStringLiteral("'environments.dev.services[0]' is 'postgres'; expected a mapping "
                              "with 'name' and either 'run' or 'start'/'stop'");
        QTest::newRow("keep-connection-sometimes")
            << QStringLiteral("keep-connection-sometimes.yaml") << 7 << 24
            << QStringLiteral("'environments.prod.database.keep_connection' is 'sometimes'; "
                              "expected true or false");
        QTest::newRow("service-restart-yes")
            << QStringLiteral("service-restart-yes.yaml") << 9 << 18
            << QStringLiteral(
                   "'environments.dev.services[0].restart' is 'yes'; expected true or false");
        // Missing required settings (reported at the mapping that lacks them)
        QTest::newRow("missing-project")
            << QStringLiteral("missing-project.yaml") << 1 << 1
            << QStringLiteral("missing 'project' at the top level; expected the project's name");
        QTest::newRow("missing-environments")
            << QStringLiteral("missing-environments.yaml") << 1 << 1
            << QStringLiteral("missing 'environments' at the top level; expected a mapping of "
                              "environment names to their settings");
        QTest::newRow("missing-database")
            << QStringLiteral("missing-database.yaml") << 5 << 5
            << QStringLiteral("missing 'database' in 'environments.dev'; expected a 'database' "
                              "mapping with a 'url'");
        QTest::newRow("missing-url")
            << QStringLiteral("missing-url.yaml") << 5 << 15
            << QStringLiteral("missing 'url' in 'environments.dev.database'; expected url: "
                              "postgresql://USER@HOST[:PORT]/DBNAME");
        QTest::newRow("service-without-name")
            << QStringLiteral("service-without-name.yaml") << 7 << 9
            << QStringLiteral("missing 'name' in 'environments.dev.services[0]'; expected a name "
                              "unique within the environment");
        // Environments
        QTest::newRow("empty-environments")
            << QStringLiteral("empty-environments.yaml") << 3 << 15
            << QStringLiteral("'environments' is empty; expected at least one environment, e.g. "
                              "dev: { database: { url: postgresql://USER@HOST/DBNAME } }");
        QTest::newRow("empty-environment")
            << QStringLiteral("empty-environment.yaml") << 4 << 3
            << QStringLiteral(
                   "'environments.dev' is empty; expected a mapping with at least 'database'");
        QTest::newRow("duplicate-environment")
            << QStringLiteral("duplicate-environment.yaml") << 8 << 3
            << QStringLiteral("duplicate environment 'dev' (first defined at line 4); expected "
                              "unique environment names");
        QTest::newRow("duplicate-key")
            << QStringLiteral("duplicate-key.yaml") << 8 << 7
            << QStringLiteral("duplicate key 'url' in 'environments.dev.database' (first at line "
                              "6); expected each key once");
        QTest::newRow("bad-environment-name")
            << QStringLiteral("bad-environment-name.yaml") << 4 << 3
            << QStringLiteral("environment name 'my dev' is not usable; expected letters, digits, "
                              "'-' and '_', starting with a letter or digit");
        QTest::newRow("unknown-protection")
            << QStringLiteral("unknown-protection.yaml") << 5 << 17
            << QStringLiteral(
                   "unknown protection level 'strict'; expected one of: none, confirm, read-only");
        QTest::newRow("protection-typo")
            << QStringLiteral("protection-typo.yaml") << 5 << 17
            << QStringLiteral("unknown protection level 'readonly'; expected one of: none, "
                              "confirm, read-only (did you mean 'read-only'?)");
        // Database URL
        QTest::newRow("bad-url") << QStringLiteral("bad-url.yaml") << 6 << 12
                                 << QStringLiteral(
                                        "'environments.dev.database.url' is not a PostgreSQL URL; "
                                        "expected postgresql://USER@HOST[:PORT]/DBNAME");
        QTest::newRow("url-with-password")
            << QStringLiteral("url-with-password.yaml") << 6 << 29
            << QStringLiteral("'environments.dev.database.url' contains a password; expected no "
                              "password in the URL: set 'password' to a secret reference instead "
                              "(keychain:SERVICE/KEY, env:NAME, command:CMD or dotenv:FILE#KEY)");
        QTest::newRow("url-password-in-query")
            << QStringLiteral("url-password-in-query.yaml") << 6 << 60
            << QStringLiteral("'environments.dev.database.url' contains a password; expected no "
                              "password in the URL: set 'password' to a secret reference instead "
                              "(keychain:SERVICE/KEY, env:NAME, command:CMD or dotenv:FILE#KEY)");
        QTest::newRow("url-bad-port")
            << QStringLiteral("url-bad-port.yaml") << 6 << 39
            << QStringLiteral("'environments.dev.database.url' has port '54x2'; expected a number "
                              "from 1 to 65535");
        QTest::newRow("url-with-space")
            << QStringLiteral("url-with-space.yaml") << 6 << 42
            << QStringLiteral("'environments.dev.database.url' contains a space; expected a URL "
                              "without spaces (write a space as %20)");
        // What libpq would take differently or only fail on when connecting is a mistake
        // in the file, at its column (issue 16, item 7).
        QTest::newRow("url-several-hosts")
            << QStringLiteral("url-several-hosts.yaml") << 6 << 37
            << QStringLiteral("'environments.dev.database.url': the database URL names several "
                              "hosts; ParityDeck connects to exactly one");
        QTest::newRow("url-ipv6-unclosed")
            << QStringLiteral("url-ipv6-unclosed.yaml") << 6 << 29
            << QStringLiteral("'environments.dev.database.url': the database URL has an IPv6 "
                              "address without its closing ']'");
        QTest::newRow("url-ipv6-malformed")
            << QStringLiteral("url-ipv6-malformed.yaml") << 6 << 30
            << QStringLiteral("'environments.dev.database.url': the database URL has a malformed "
                              "IPv6 address between [ ]; expected hex groups separated by ':', "
                              "such as [::1]");
        QTest::newRow("url-unknown-parameter")
            << QStringLiteral("url-unknown-parameter.yaml") << 6 << 59
            << QStringLiteral("'environments.dev.database.url': the database URL has an unknown "
                              "connection parameter \"sslmod\"");
        // YAML escapes make characters the file itself cannot hold.
        QTest::newRow("command-nul")
            << QStringLiteral("command-nul.yaml") << 8 << 14
            << QStringLiteral("'environments.dev.services[0].run' contains the control character "
                              "U+0000; expected a shell command in printable characters");
        QTest::newRow("command-carriage-return")
            << QStringLiteral("command-carriage-return.yaml") << 4 << 12
            << QStringLiteral("'migrations.command' contains the control character U+000D; "
                              "expected a shell command in printable characters");
        QTest::newRow("name-line-break")
            << QStringLiteral("name-line-break.yaml") << 2 << 10
            << QStringLiteral("'project' contains the control character U+000A; expected the "
                              "project's name in printable characters");
        // Secret references
        QTest::newRow("secret-keychain-without-key")
            << QStringLiteral("secret-keychain-without-key.yaml") << 7 << 36
            << QStringLiteral("'environments.dev.database.password': keychain reference has no "
                              "'/KEY'; expected keychain:SERVICE/KEY");
        QTest::newRow("secret-env-bad-name")
            << QStringLiteral("secret-env-bad-name.yaml") << 7 << 23
            << QStringLiteral("'environments.dev.secrets.API_KEY': env reference names 'API-KEY', "
                              "which is not a valid variable name; expected letters, digits and "
                              "'_', not starting with a digit");
        QTest::newRow("secret-command-empty")
            << QStringLiteral("secret-command-empty.yaml") << 10 << 27
            << QStringLiteral("'environments.dev.services[0].secret_env.TOKEN': command reference "
                              "has no command; expected command:CMD");
        QTest::newRow("secret-dotenv-without-key")
            << QStringLiteral("secret-dotenv-without-key.yaml") << 7 << 34
            << QStringLiteral("'environments.dev.database.password': dotenv reference has no "
                              "'#KEY'; expected dotenv:FILE#KEY");
        QTest::newRow("secret-plain-password")
            << QStringLiteral("secret-plain-password.yaml") << 7 << 17
            << QStringLiteral("'environments.dev.database.password': not a secret reference; "
                              "expected keychain:SERVICE/KEY, env:NAME, command:CMD or "
                              "dotenv:FILE#KEY, never the secret itself");
        QTest::newRow("secret-unknown-kind")
            << QStringLiteral("secret-unknown-kind.yaml") << 7 << 17
            << QStringLiteral(
                   "'environments.dev.database.password': unknown secret kind 'vault'; expected "
                   "keychain:SERVICE/KEY, env:NAME, command:CMD or dotenv:FILE#KEY");
        QTest::newRow("secret-after-non-ascii")
            << QStringLiteral("secret-after-non-ascii.yaml") << 5 << 72
            << QStringLiteral("'environments.dev.database.password': env reference names "
                              "'CAFÉ_PASS', which is not a valid variable name; expected letters, "
                              "digits and '_', not starting with a digit");
        QTest::newRow("secret-name-invalid")
            << QStringLiteral("secret-name-invalid.yaml") << 7 << 7
            << QStringLiteral(
                   "'environments.dev.secrets' names '2FA_SEED', which is not a valid secret name; "
                   "expected letters, digits, '_', '.' and '-', not starting with a digit");
        // Migrations
        QTest::newRow("unknown-migrations-format")
            << QStringLiteral("unknown-migrations-format.yaml") << 4 << 11
            << QStringLiteral(
                   "unknown migrations format 'flyaway'; expected one of: auto, "
                   "paritydeck, flyway, golang-migrate, dbmate, sqitch, sqitch-plan, alembic, "
                   "prisma, plain (did you mean 'flyway'?)");
        // Services
        QTest::newRow("duplicate-service")
            << QStringLiteral("duplicate-service.yaml") << 11 << 15
            << QStringLiteral("duplicate service 'postgres' in environment 'dev' (first defined at "
                              "line 7); expected unique service names");
        QTest::newRow("service-run-and-start")
            << QStringLiteral("service-run-and-start.yaml") << 9 << 9
            << QStringLiteral(
                   "service 'postgres' has both 'run' and 'start'; expected either 'run: CMD' (a "
                   "process ParityDeck supervises) or a 'start'/'stop' pair");
        QTest::newRow("service-start-without-stop")
            << QStringLiteral("service-start-without-stop.yaml") << 7 << 9
            << QStringLiteral("service 'postgres' has 'start' but no 'stop'; expected a 'stop' "
                              "command beside 'start'");
        QTest::newRow("service-stop-without-start")
            << QStringLiteral("service-stop-without-start.yaml") << 7 << 9
            << QStringLiteral("service 'postgres' has 'stop' but no 'start'; expected a 'start' "
                              "command beside 'stop'");
        QTest::newRow("service-without-command")
            << QStringLiteral("service-without-command.yaml") << 7 << 9
            << QStringLiteral(
                   "service 'postgres' has neither 'run' nor 'start'; expected either 'run: CMD' "
                   "(a process ParityDeck supervises) or a 'start'/'stop' pair");
        QTest::newRow("service-restart-without-run")
            << QStringLiteral("service-restart-without-run.yaml") << 10 << 9
            << QStringLiteral("service 'postgres' has 'restart: true' but no 'run'; expected "
                              "'restart' only on services ParityDeck supervises with 'run'");
        QTest::newRow("service-env-bad-name")
            << QStringLiteral("service-env-bad-name.yaml") << 11 << 11
            << QStringLiteral(
                   "'environments.dev.services[0].env' names 'MY-VAR', which is not a valid "
                   "variable name; expected letters, digits and '_', not starting with a digit");
        QTest::newRow("after-unknown-service")
            << QStringLiteral("after-unknown-service.yaml") << 11 << 17
            << QStringLiteral(
                   "service 'pgbouncer' waits for 'postgress', which is not a service of "
                   "environment 'dev'; expected one of: postgres (did you mean 'postgres'?)");
        QTest::newRow("after-itself")
            << QStringLiteral("after-itself.yaml") << 9 << 17
            << QStringLiteral("service 'postgres' waits for itself in 'after'; expected other "
                              "services of environment 'dev'");
        QTest::newRow("after-cycle")
            << QStringLiteral("after-cycle.yaml") << 15 << 17
            << QStringLiteral("services 'api' → 'pgbouncer' → 'postgres' → 'api' wait for each "
                              "other in 'after'; expected an order in which they can start");
        // Health probes
        QTest::newRow("health-two-probes")
            << QStringLiteral("health-two-probes.yaml") << 9 << 40
            << QStringLiteral("'environments.dev.services[0].health' has both 'tcp' and "
                              "'postgres'; expected exactly one of: tcp, postgres, http, command");
        QTest::newRow("health-no-probe")
            << QStringLiteral("health-no-probe.yaml") << 9 << 17
            << QStringLiteral("'environments.dev.services[0].health' has no probe; expected "
                              "exactly one of: tcp, postgres, http, command");
        QTest::newRow("health-tcp-without-host")
            << QStringLiteral("health-tcp-without-host.yaml") << 9 << 24
            << QStringLiteral("'environments.dev.services[0].health.tcp' is '6432'; expected "
                              "HOST:PORT, e.g. 127.0.0.1:5432");
        QTest::newRow("health-tcp-bad-port")
            << QStringLiteral("health-tcp-bad-port.yaml") << 9 << 35
            << QStringLiteral("'environments.dev.services[0].health.tcp' has port '99999'; "
                              "expected a number from 1 to 65535");
        QTest::newRow("health-http-not-http")
            << QStringLiteral("health-http-not-http.yaml") << 10 << 17
            << QStringLiteral("'environments.dev.services[0].health.http' is not an http:// or "
                              "https:// URL; expected e.g. http://127.0.0.1:8080/health");
        QTest::newRow("health-postgres-false")
            << QStringLiteral("health-postgres-false.yaml") << 9 << 29
            << QStringLiteral("'environments.dev.services[0].health.postgres' is false; expected "
                              "true (remove 'health' to skip the check)");
        // Branches
        QTest::newRow("branches-naming-without-branch")
            << QStringLiteral("branches-naming-without-branch.yaml") << 6 << 56
            << QStringLiteral("'environments.dev.branches.naming' is '{db}_copy'; expected a "
                              "pattern containing {branch}, e.g. {db}__{branch}");
        QTest::newRow("branches-naming-unknown-placeholder")
            << QStringLiteral("branches-naming-unknown-placeholder.yaml") << 7 << 22
            << QStringLiteral("'environments.dev.branches.naming' uses unknown placeholder "
                              "'{brnch}'; expected only {db} and {branch}");
        QTest::newRow("branches-unknown-mode")
            << QStringLiteral("branches-unknown-mode.yaml") << 6 << 27
            << QStringLiteral("unknown branch database mode 'clone'; expected one of: template, "
                              "none (did you mean 'none'?)");
        // Cloud branches
        const QString cloud = QStringLiteral("'environments.preview.branches.cloud");
        QTest::newRow("cloud-unknown-key")
            << QStringLiteral("cloud-unknown-key.yaml") << 12 << 9
            << QStringLiteral("unknown key 'name_feild' in 'environments.preview.branches.cloud'; "
                              "did you mean 'name_field'?");
        QTest::newRow("cloud-missing-create")
            << QStringLiteral("cloud-missing-create.yaml") << 8 << 9
            << QStringLiteral("missing 'create' in 'environments.preview.branches.cloud'; expected "
                              "a command creating branch {name} from {parent}");
        QTest::newRow("cloud-create-without-name")
            << QStringLiteral("cloud-create-without-name.yaml") << 8 << 17
            << QString(cloud + QStringLiteral(".create' does not use {name}; expected a shell "
                                              "command using {name}"));
        QTest::newRow("cloud-unknown-placeholder")
            << QStringLiteral("cloud-unknown-placeholder.yaml") << 9 << 52
            << QString(cloud + QStringLiteral(".delete' uses unknown placeholder '{nmae}'; "
                                              "expected only {name} (did you mean '{name}'?)"));
        QTest::newRow("cloud-without-connection")
            << QStringLiteral("cloud-without-connection.yaml") << 8 << 9
            << QStringLiteral("missing 'connection' in 'environments.preview.branches.cloud'; "
                              "expected a command printing branch {name}'s postgresql:// URL, or "
                              "'url_field' naming the JSON field that holds it");
        QTest::newRow("cloud-list-format-typo")
            << QStringLiteral("cloud-list-format-typo.yaml") << 11 << 22
            << QStringLiteral("unknown list format 'line'; expected one of: json, lines (did you "
                              "mean 'lines'?)");
        QTest::newRow("cloud-name-field-with-lines")
            << QStringLiteral("cloud-name-field-with-lines.yaml") << 12 << 9
            << QString(cloud + QStringLiteral(".name_field' applies to JSON output only; expected "
                                              "list_format: json, or no name_field"));
        QTest::newRow("cloud-and-template")
            << QStringLiteral("cloud-and-template.yaml") << 8 << 7
            << QString(cloud + QStringLiteral("' and 'database: template' exclude each other; "
                                              "expected one kind of database branches (remove "
                                              "one of them)"));
        QTest::newRow("cloud-timeout-zero")
            << QStringLiteral("cloud-timeout-zero.yaml") << 12 << 18
            << QString(cloud + QStringLiteral(".timeout' is '0'; expected a whole number of "
                                              "seconds, at least 1"));
        QTest::newRow("cloud-secret-plain")
            << QStringLiteral("cloud-secret-plain.yaml") << 12 << 37
            << QString(cloud + QStringLiteral(".secret_env.NEON_API_KEY': not a secret reference; "
                                              "expected keychain:SERVICE/KEY, env:NAME, "
                                              "command:CMD or dotenv:FILE#KEY, never the secret "
                                              "itself"));
    }
    void rejectsInvalidWorkspace()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);

        const QString path = fixture(QStringLiteral("invalid/") + file);
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        ConfigError detail;
        const Result<Workspace> loaded = WorkspaceLoader::load(path, &detail);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::Config);
        QCOMPARE(detail.message, message);
        QCOMPARE(detail.line, line);
        QCOMPARE(detail.column, column);
        QCOMPARE(detail.file, path);
        QCOMPARE(loaded.error().message,
                 QStringLiteral("%1:%2:%3: %4").arg(path).arg(line).arg(column).arg(message));
        QCOMPARE(detail.toString(), loaded.error().message);
    }

    void neverRepeatsAPasswordInAMessage()
    {
        const QStringList files{QStringLiteral("url-with-password.yaml"),
                                QStringLiteral("url-password-in-query.yaml"),
                                QStringLiteral("secret-plain-password.yaml"),
                                QStringLiteral("cloud-secret-plain.yaml")};
        for (const QString &file : files) {
            const Result<Workspace> loaded =
                WorkspaceLoader::load(fixture(QStringLiteral("invalid/") + file));
            QVERIFY(!loaded.ok());
            QVERIFY2(!loaded.error().message.contains(QStringLiteral("hunter2")),
                     qPrintable(loaded.error().message));
        }
    }

    void reportsAFolderWithoutWorkspaceFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ConfigError detail;
        const Result<Workspace> loaded = WorkspaceLoader::load(dir.path(), &detail);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::Config);
        QCOMPARE(detail.file, dir.path());
        QCOMPARE(detail.line, 0);
        QCOMPARE(detail.column, 0);
        QCOMPARE(detail.message, QStringLiteral("no paritydeck.yaml in this folder; expected the "
                                                "workspace file or the folder holding it"));
        QCOMPARE(loaded.error().message, dir.path() + QStringLiteral(": ") + detail.message);
    }

    void reportsAWorkspaceFileThatIsAFolder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("paritydeck.yaml")));
        ConfigError detail;
        const Result<Workspace> loaded = WorkspaceLoader::load(dir.path(), &detail);
        QVERIFY(!loaded.ok());
        QCOMPARE(detail.file, dir.filePath(QStringLiteral("paritydeck.yaml")));
        QCOMPARE(detail.line, 0);
        QCOMPARE(detail.message, QStringLiteral("is a folder; expected a file"));
    }

    void reportsANonexistentPath()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("nope/paritydeck.yaml"));
        ConfigError detail;
        const Result<Workspace> loaded = WorkspaceLoader::load(path, &detail);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::Config);
        QCOMPARE(detail.file, path);
        QCOMPARE(detail.line, 0);
        QCOMPARE(detail.message, QStringLiteral("no such file or folder; expected paritydeck.yaml "
                                                "or the folder holding it"));
        QCOMPARE(loaded.error().message, path + QStringLiteral(": ") + detail.message);
    }

    void reportsAnEmptyPath()
    {
        ConfigError detail;
        const Result<Workspace> loaded = WorkspaceLoader::load(QString(), &detail);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::Config);
        QCOMPARE(loaded.error().message,
                 QStringLiteral("no workspace path given; expected "
                                "paritydeck.yaml or the folder holding it"));
    }

    void reportsAnUnreadableFile()
    {
        if (::geteuid() == 0)
            QSKIP("root reads files whatever their mode; run as a normal user to cover this");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QVERIFY(writeFile(path, minimalWorkspace));
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        ConfigError detail;
        const Result<Workspace> loaded = WorkspaceLoader::load(dir.path(), &detail);
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, ErrorCode::Config);
        QCOMPARE(detail.file, path);
        QCOMPARE(detail.line, 0);
        QCOMPARE(detail.message, QStringLiteral("cannot read the file (Permission denied); "
                                                "expected a file you can read"));
    }

    void reportsAnOversizedFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QVERIFY(writeFile(path, minimalWorkspace + QByteArray(4 * 1024 * 1024, '#')));
        ConfigError detail;
        const Result<Workspace> loaded = WorkspaceLoader::load(path, &detail);
        QVERIFY(!loaded.ok());
        QCOMPARE(detail.line, 0);
        QCOMPARE(detail.message, QStringLiteral("the file is larger than 4 MiB; expected a "
                                                "workspace file of a few kilobytes"));
    }

    void parseReportsTheGivenFileName()
    {
        ConfigError detail;
        const Result<Workspace> parsed = WorkspaceLoader::parse(
            "version: 1\nproject: x\n", QStringLiteral("config/pd.yaml"), &detail);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message,
                 QStringLiteral("config/pd.yaml:1:1: missing 'environments' at the top level; "
                                "expected a mapping of environment names to their settings"));
    }

    void configErrorFormatsWhatItKnows()
    {
        QCOMPARE((ConfigError{QStringLiteral("a.yaml"), 3, 7, QStringLiteral("bad")}).toString(),
                 QStringLiteral("a.yaml:3:7: bad"));
        QCOMPARE((ConfigError{QStringLiteral("a.yaml"), 3, 0, QStringLiteral("bad")}).toString(),
                 QStringLiteral("a.yaml:3: bad"));
        QCOMPARE((ConfigError{QStringLiteral("a.yaml"), 0, 0, QStringLiteral("bad")}).toString(),
                 QStringLiteral("a.yaml: bad"));
        QCOMPARE((ConfigError{QString(), 0, 0, QStringLiteral("bad")}).toString(),
                 QStringLiteral("bad"));
    }

    void survivesEveryTruncationOfAValidFile()
    {
        // Half-saved files are what an editor hands us mid-typing; none may crash, and
        // every failure must still be a located config error.
        QFile file(fixture(QStringLiteral("full/paritydeck.yaml")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray full = file.readAll();
        for (qsizetype size = 0; size <= full.size(); ++size) {
            ConfigError detail;
            const Result<Workspace> parsed =
                WorkspaceLoader::parse(full.first(size), QStringLiteral("cut.yaml"), &detail);
            if (parsed.ok())
                continue;
            QCOMPARE(parsed.error().code, ErrorCode::Config);
            QVERIFY2(detail.line >= 1 && detail.column >= 1, qPrintable(parsed.error().message));
            QVERIFY(parsed.error().message.startsWith(QStringLiteral("cut.yaml:")));
        }
    }

    void survivesCorruptedBytes()
    {
        QFile file(fixture(QStringLiteral("full/paritydeck.yaml")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray full = file.readAll();
        QRandomGenerator random(20240611); // fixed seed: a failure reproduces
        static const char bytes[] = " \t\n:-{}[],#&*!|>'\"%@`?\xC3\xA9\xFF\x00";
        const QByteArray alphabet(bytes, sizeof bytes - 1);
        for (int round = 0; round < 3000; ++round) {
            QByteArray text = full;
            const int edits = 1 + int(random.bounded(4));
            for (int e = 0; e < edits; ++e) {
                const qsizetype at = qsizetype(random.bounded(quint32(text.size())));
                const char c = alphabet[qsizetype(random.bounded(quint32(alphabet.size())))];
                switch (random.bounded(3)) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(at, c);
                    break;
                default:
                    text.remove(at, 1);
                    break;
                }
            }
            ConfigError detail;
            const Result<Workspace> parsed =
                WorkspaceLoader::parse(text, QStringLiteral("x.yaml"), &detail);
            if (!parsed.ok()) {
                QCOMPARE(parsed.error().code, ErrorCode::Config);
                QVERIFY2(detail.line >= 1, qPrintable(parsed.error().message));
            }
        }
    }

    void protectionNamesMatchTheFile()
    {
        QCOMPARE(protectionName(Protection::None), QStringLiteral("none"));
        QCOMPARE(protectionName(Protection::Confirm), QStringLiteral("confirm"));
        QCOMPARE(protectionName(Protection::ReadOnly), QStringLiteral("read-only"));
    }

    void suggestsOnlyCloseNames()
    {
        const QStringList keys{QStringLiteral("protection"), QStringLiteral("database"),
                               QStringLiteral("services")};
        QCOMPARE(editDistance(QStringLiteral("enviroments"), QStringLiteral("environments")), 1);
        QCOMPARE(editDistance(QStringLiteral("prtoection"), QStringLiteral("protection")), 1);
        QCOMPARE(editDistance(QStringLiteral("Database"), QStringLiteral("database")), 0);
        QCOMPARE(closestName(QStringLiteral("servces"), keys), QStringLiteral("services"));
        QCOMPARE(closestName(QStringLiteral("DATABASE"), keys), QStringLiteral("database"));
        QCOMPARE(closestName(QStringLiteral("colour"), keys), QString());
        QCOMPARE(closestName(QStringLiteral("url"), {QStringLiteral("run")}), QString());
        QCOMPARE(closestName(QStringLiteral("x"), {}), QString());
    }

    // Only a tab in indentation is blamed: after a key's ':' and inside { } a tab is a blank,
    // and a mistake later on a line that starts inside { } with a tab is reported where it is.
    void tabsOutsideIndentationAreBlanks()
    {
        const QByteArray fine = "version: 1\n"
                                "project:\tpodcast\n"
                                "environments:\n"
                                "  dev:\n"
                                "    database: {\n"
                                "\turl: postgresql://localhost/app }\n";
        const Result<Workspace> loaded = WorkspaceLoader::parse(fine, QStringLiteral("x.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded->project, QStringLiteral("podcast"));

        QByteArray broken = fine;
        broken.replace("/app }", "/app, ]\n    }");
        ConfigError detail;
        QVERIFY(!WorkspaceLoader::parse(broken, QStringLiteral("x.yaml"), &detail).ok());
        QCOMPARE(detail.line, 6);
        QCOMPARE(detail.column, 35); // the ']'
        QVERIFY2(!detail.message.contains(QStringLiteral("tab")), qPrintable(detail.message));
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceLoader)
#include "tst_workspaceloader.moc"
