// The in-memory form of paritydeck.yaml (DESIGN.md §3). Plain value types; the loader
// (workspaceloader.h) fills them and validates every field with file:line:column errors.
#pragma once

#include "secrets/secretref.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace pd {

// 1-based line and column of a node in the workspace file, for messages about it.
struct SourceLocation
{
    int line = 0;
    int column = 0;
    bool isValid() const noexcept { return line > 0; }
    bool operator==(const SourceLocation &) const = default;
};

enum class Protection { None, Confirm, ReadOnly };
QString protectionName(Protection p);

struct DatabaseConfig
{
    QString url; // postgresql://user@host:port/dbname[?param=value]; never holds a password
    std::optional<SecretRef> password;
    int connectTimeoutSeconds = 5;
    int statementTimeoutSeconds = 30;
    // keep_connection: whether the panel keeps one idle session open between its looks
    // (environment/keptconnections.h). Unset: keptBetweenLooks() in protection.h decides.
    std::optional<bool> keepConnection;
    SourceLocation location;
};

struct HealthProbeConfig
{
    enum class Kind { None, Tcp, Postgres, Http, Command };
    Kind kind = Kind::None;
    QString target; // tcp: host:port, http: URL, command: shell command
    int timeoutSeconds = 3;
};

struct ServiceConfig
{
    QString name;
    // Command pair …
    QString start;
    QString stop;
    QString status;
    // … or a supervised process.
    QString run;
    QString workingDirectory;                   // relative to the workspace dir
    QMap<QString, QString> environment;         // plain variables
    QMap<QString, SecretRef> secretEnvironment; // variables resolved from secret references
    QStringList after;                          // names of services that must be up first
    HealthProbeConfig health;
    int startTimeoutSeconds = 30;
    bool restart = false;
    SourceLocation location;

    bool isSupervised() const noexcept { return !run.isEmpty(); }
};

// branches.cloud: database branches of a hosted vendor (Neon, …) through its command line
// tool. Templates run with /bin/sh in the workspace folder; {name} and {parent} are
// replaced by shell-quoted values (docs/branches.md).
struct CloudBranchesConfig
{
    QString create;         // {name}, {parent}
    QString remove;         // "delete:" in the file; {name}
    QString list;           // no placeholders
    QString reset;          // optional, {name}, {parent}; without it reset = delete + create
    QString connection;     // optional, {name}: prints the branch's postgresql:// URL
    bool listLines = false; // list_format: lines (default json)
    QString nameField = QStringLiteral("name"); // json: dotted path of the branch name
    QString urlField; // json: dotted path (array indexes allowed) of the URL in the
                      // create output or the branch's list entry
    QString parent = QStringLiteral("main"); // the branch new branches start from
    int timeoutSeconds = 120;
    QMap<QString, QString> environment;         // env: plain variables for the commands
    QMap<QString, SecretRef> secretEnvironment; // secret_env: resolved, never in argv
    SourceLocation location;
};

struct BranchConfig
{
    bool git = false;
    QString database; // "template" (CREATE DATABASE … TEMPLATE) or "" when off
    QString naming = QStringLiteral("{db}__{branch}");
    std::optional<CloudBranchesConfig> cloud; // database branches from a vendor CLI

    // The environment has database branches of either kind.
    bool hasDatabaseBranches() const noexcept { return !database.isEmpty() || cloud.has_value(); }
};

// Where an environment's history of changes is kept: the local audit log only, or also
// the table paritydeck.history in its own database, which the whole team reads
// (`history: database`; audit/sharedhistory.h).
enum class HistoryStore { Local, Database };

struct EnvironmentConfig
{
    QString name;
    Protection protection = Protection::None;
    DatabaseConfig database;
    QList<ServiceConfig> services;
    QString dotenv;                   // config: { dotenv: FILE }, relative to workspace dir
    QMap<QString, SecretRef> secrets; // named secret references of this environment
    BranchConfig branches;
    // drift_interval: overrides the workspace's for this environment; nullopt: inherit.
    std::optional<int> driftIntervalSeconds;
    // promotes_from: the environment whose applied migrations `paritydeck promote` brings
    // here (staging ← dev, prod ← staging); "" when this environment is not promoted to.
    // The loader checks that it names another environment and that the chain has no cycle.
    QString promotesFrom;
    SourceLocation promotesFromLocation; // of the value, for messages about the chain
    HistoryStore history = HistoryStore::Local;
    SourceLocation location;
};

// One entry of parity.probes: a shell command run per environment, or a built-in
// database probe enabled by name (docs/parity.md "Probes").
struct ParityProbeConfig
{
    enum class Kind { Command, Settings, Roles, Privileges, ReferenceData };
    Kind kind = Kind::Command;
    QString name;      // command probes: the row's name
    QString command;   // command probes: run with /bin/sh in the workspace folder, {env} replaced
    QStringList names; // settings: setting names; reference_data: tables ([schema.]table)
    int timeoutSeconds = 10;
    bool secret = false; // compared by keyed hash, never shown
    int weight = 1;      // in the weighted score; 0 leaves the row out of it
    bool gate = false;   // must match for a promotion
    SourceLocation location;
};

struct MigrationsConfig
{
    QString dir = QStringLiteral("migrations"); // relative to the workspace dir
    // The file names the folder (migrations.dir): then it must exist. Without it, a missing
    // default folder means the workspace has no migrations (it only watches databases).
    bool dirGiven = false;
    QString format = QStringLiteral("auto");
    QString command; // external tool runner (e.g. alembic upgrade head)
};

struct Workspace
{
    QString filePath; // absolute path of paritydeck.yaml
    QString rootDir;  // absolute directory holding it; relative paths resolve against it
    int version = 1;
    QString project;
    MigrationsConfig migrations;
    QList<EnvironmentConfig> environments;
    int refreshIntervalSeconds = 5;
    // How often the panel re-checks each environment's drift even when its catalog digest
    // did not change (seconds; 0: the drift watch is off). Environments may override it.
    int driftIntervalSeconds = 600;
    // Config keys compared by presence only in the parity matrix: their values differ
    // between environments by design (DATABASE_URL, APP_ENV, …).
    QStringList parityPresenceOnly;
    // parity.show_values: dotenv keys that are not secret (LOG_LEVEL, FEATURE_X); the
    // parity matrix shows their values instead of a hash prefix.
    QStringList parityShowValues;
    // parity.probes: what else must agree (runtime versions, commits, pg settings, roles,
    // privileges, reference data), in the order written.
    QList<ParityProbeConfig> parityProbes;
    // parity.target: the weighted score (percent) `paritydeck parity` must reach.
    std::optional<int> parityTarget;
    // Schema comparison filters (diff, drift, parity fingerprints): when `schemaInclude` is
    // non-empty only those schemas are compared; `schemaExclude` adds to the built-in
    // exclusions (pg_catalog, information_schema, pg_toast*, pg_temp*, paritydeck).
    // Entries may use * and ? globs.
    QStringList schemaInclude;
    QStringList schemaExclude;
    // `schema.privileges`: whether grants and default privileges count in diff, drift and
    // the parity fingerprint (true unless switched off; the CLI's --no-privileges too).
    bool schemaPrivileges = true;
    // A server for throwaway databases (shadow databases for migrations:ENV and .sql sides)
    // named by the caller: the CLI's --scratch URL or PARITYDECK_SCRATCH_URL. Tried before
    // the unprotected environments; never read from paritydeck.yaml.
    QString scratchUrl;

    const EnvironmentConfig *environment(const QString &name) const;
    // The environment's drift_interval, or the workspace's when it sets none.
    int driftIntervalFor(const EnvironmentConfig &env) const
    {
        return env.driftIntervalSeconds.value_or(driftIntervalSeconds);
    }
    QStringList environmentNames() const;
    QString resolvePath(const QString &relative) const;
};

} // namespace pd
