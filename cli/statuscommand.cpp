// paritydeck status [--json] [--no-drift] [--timeout SECONDS] [--scratch URL]: one check of every
// environment, in parallel: liveness (each bounded by its connect timeout), migration head
// and pending count, and drift — the last check recorded (driftrecords.h) when it is
// fresher than drift_interval and still describes the database (same target, head and
// catalog digest), otherwise computed now within --timeout.
#include "command.h"
#include "common/printable.h"
#include "environment/driftcheck.h"
#include "environment/driftrecords.h"
#include "environment/environmentprobe.h"
#include "environment/historyrecorder.h"
#include "environment/schemasides.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "output.h"
#include "secrets/secretresolver.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
#include <future>
#include <thread>

namespace pd::cli {

namespace {

const QString StatusUsage = QStringLiteral(
    "Usage: paritydeck status [--json] [--no-drift] [--timeout SECONDS] [--scratch URL]\n"
    "Checks every environment: its database and services, its migration head and pending\n"
    "migrations, and its schema drift (live schema vs. what its applied migrations produce).\n"
    "Drift comes from the last check when it is fresher than drift_interval and the\n"
    "database did not change since; otherwise it is computed now.\n"
    "  --json             one JSON document (docs/json-output.md)\n"
    "  --no-drift         do not look at drift (reported as unknown)\n"
    "  --timeout SECONDS  longest time to spend computing drift (default 60); an\n"
    "                     environment not done by then says drift unknown\n"
    "  --scratch URL      the server to build shadow databases on for drift (else\n"
    "                     PARITYDECK_SCRATCH_URL, else the first unprotected environment)\n"
    "Exit code 0 when every environment is up and nothing needs attention (pending, failed,\n"
    "changed or missing migrations, a migration status that cannot be read, drift, a drift\n"
    "check that failed, an unreadable secret), 1 otherwise, 2 on a config error, 3 on a\n"
    "runtime error. Drift that is unknown (--no-drift, --timeout, not reachable) does not\n"
    "count by itself.\n");

struct EnvironmentReport
{
    EnvironmentStatus status;
    QStringList migrationProblems; // the plan's problems, as sentences
    QString driftSource;           // "record", "computed" or "" (not looked at)
};

bool reachable(StatusState state)
{
    return state == StatusState::Up || state == StatusState::Degraded;
}

QString ageText(const QDateTime &checkedAt)
{
    if (!checkedAt.isValid())
        return QString();
    const qint64 s = std::max<qint64>(0, checkedAt.secsTo(QDateTime::currentDateTimeUtc()));
    if (s < 60)
        return QStringLiteral("%1 s ago").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min ago").arg(s / 60);
    if (s < 86400)
        return QStringLiteral("%1 h ago").arg(s / 3600);
    return QStringLiteral("%1 d ago").arg(s / 86400);
}

QString driftColumn(const DriftStatus &drift)
{
    QString text;
    switch (drift.state) {
    case DriftStatus::State::None:
        text = QStringLiteral("none");
        break;
    case DriftStatus::State::Drifted:
        text = drift.objects == 1 ? QStringLiteral("drifted: 1 object")
                                  : QStringLiteral("drifted: %1 objects").arg(drift.objects);
        break;
    case DriftStatus::State::Error:
        text = QStringLiteral("error");
        break;
    case DriftStatus::State::Unknown:
        return QStringLiteral("unknown");
    }
    const QString age = ageText(drift.checkedAt);
    return age.isEmpty() ? text : text + QStringLiteral(" (") + age + QLatin1Char(')');
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject toJson(const EnvironmentConfig &env, const EnvironmentReport &report)
{
    const EnvironmentStatus &status = report.status;
    QJsonObject o;
    o.insert(QStringLiteral("name"), env.name);
    o.insert(QStringLiteral("protection"), protectionName(env.protection));
    o.insert(QStringLiteral("state"), statusStateName(status.state));
    o.insert(QStringLiteral("reason"), orNull(status.reason));
    o.insert(QStringLiteral("server_version"), orNull(status.serverVersion));
    o.insert(QStringLiteral("database_size_bytes"),
             status.databaseSizeBytes < 0 ? QJsonValue()
                                          : QJsonValue(double(status.databaseSizeBytes)));
    o.insert(QStringLiteral("latency_ms"),
             status.latencyMs < 0 ? QJsonValue() : QJsonValue(double(status.latencyMs)));
    o.insert(QStringLiteral("checked_at"), status.checkedAt.toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("database"), orNull(status.database));
    QJsonArray services;
    for (const ServiceStatus &service : status.services) {
        QJsonObject so;
        so.insert(QStringLiteral("name"), service.name);
        so.insert(QStringLiteral("state"), statusStateName(service.state));
        so.insert(QStringLiteral("reason"), orNull(service.reason));
        services.append(so);
    }
    o.insert(QStringLiteral("services"), services);

    const QList<AttentionItem> items = attentionItems(status);
    o.insert(QStringLiteral("needs_attention"), shownState(status) == StatusState::Attention);
    QJsonArray attention;
    for (const AttentionItem &item : items) {
        attention.append(QJsonObject{{QStringLiteral("kind"), attentionKindName(item.kind)},
                                     {QStringLiteral("count"), item.count},
                                     {QStringLiteral("text"), item.text}});
    }
    o.insert(QStringLiteral("attention"), attention);

    QJsonObject schema;
    schema.insert(QStringLiteral("head"),
                  status.schema.known ? orNull(status.schema.head) : QJsonValue());
    schema.insert(QStringLiteral("pending"),
                  status.schema.known ? QJsonValue(status.schema.pending) : QJsonValue());
    QJsonArray problems;
    for (const QString &problem : report.migrationProblems)
        problems.append(problem);
    schema.insert(QStringLiteral("problems"), problems);
    schema.insert(QStringLiteral("error"), orNull(status.schema.error));
    o.insert(QStringLiteral("schema"), schema);

    QJsonObject drift;
    drift.insert(QStringLiteral("state"), driftStateName(status.drift.state));
    drift.insert(QStringLiteral("objects"), status.drift.state == DriftStatus::State::Drifted ||
                                                    status.drift.state == DriftStatus::State::None
                                                ? QJsonValue(status.drift.objects)
                                                : QJsonValue());
    drift.insert(QStringLiteral("checked_at"),
                 status.drift.checkedAt.isValid()
                     ? QJsonValue(status.drift.checkedAt.toString(Qt::ISODateWithMs))
                     : QJsonValue());
    drift.insert(QStringLiteral("reason"), orNull(status.drift.reason));
    drift.insert(QStringLiteral("source"), orNull(report.driftSource));
    o.insert(QStringLiteral("drift"), drift);
    return o;
}

// Worker thread: the environment's migration plan, or why it could not be read.
Result<MigrationPlan> readPlan(const Workspace &workspace, const EnvironmentConfig &env,
                               const Result<MigrationSet> &set)
{
    if (!set)
        return set.error();
    auto params = connectionFor(workspace, env, ConnectionPurpose::Migration);
    if (!params)
        return params.error();
    return MigrationRunner::status(*params, *set);
}

// Worker thread: drift from the record when it still holds, else computed (bounded).
void addDrift(const Workspace &workspace, const EnvironmentConfig &env, EnvironmentReport &report,
              const QHash<QString, DriftRecord> &records, int timeoutSeconds)
{
    EnvironmentStatus &status = report.status;
    const ConnectionLookup lookup = [workspace](const EnvironmentConfig &e) {
        return connectionFor(workspace, e, ConnectionPurpose::Introspection);
    };
    // 64-bit: drift_interval may be up to INT_MAX seconds.
    const qint64 intervalMs = qint64(workspace.driftIntervalFor(env)) * 1000;
    const auto record = records.constFind(env.name);
    if (record != records.cend() && intervalMs > 0 && status.schema.known &&
        record->head == status.schema.head && !record->digest.isEmpty() &&
        record->drift.checkedAt.msecsTo(QDateTime::currentDateTimeUtc()) < intervalMs) {
        const auto params = lookup(env);
        if (params && params->displayTarget() == record->target) {
            const Result<QByteArray> digest = liveCatalogDigest(workspace, env, lookup);
            if (digest && *digest == record->digest) {
                status.drift = record->drift;
                report.driftSource = QStringLiteral("record");
                return;
            }
        }
    }

    // Computed on a thread of its own so the command can give up on it: a server that
    // stops answering mid-check must not hold `status` beyond --timeout. A check still
    // running then is abandoned: the process exits, dropping the shadow database it was
    // building first, which ends the build's backend too (cli/stopsignals.h).
    auto cancel = std::make_shared<std::atomic_bool>(false);
    auto promise = std::make_shared<std::promise<Result<DriftReport>>>();
    std::future<Result<DriftReport>> done = promise->get_future();
    std::thread([workspace, env, lookup, cancel, promise] {
        promise->set_value(computeDrift(workspace, env, lookup, cancel.get()));
    }).detach();
    if (done.wait_for(std::chrono::seconds(timeoutSeconds)) != std::future_status::ready) {
        cancel->store(true);
        status.drift = DriftStatus();
        status.drift.reason =
            QStringLiteral("not computed within %1 s (--timeout)").arg(timeoutSeconds);
        return;
    }
    const Result<DriftReport> computed = done.get();
    status.drift = driftStatusOf(computed);
    report.driftSource = QStringLiteral("computed");
    if (!(computed && computed->noMigrations))
        DriftRecords(workspace).store(env.name, DriftRecords::recordOf(computed));
    if (env.history == HistoryStore::Database) {
        if (const Result<ConnectionParams> params = lookup(env)) {
            if (const QString warning = recordDriftHistory(env, *params, computed);
                !warning.isEmpty())
                errLine(QStringLiteral("warning: ") + oneLine(warning));
        }
    }
}

} // namespace

int statusCommand(const CommandContext &context)
{
    bool json = false;
    bool withDrift = true;
    int timeoutSeconds = 60;
    QString scratchUrl;
    for (qsizetype i = 0; i < context.args.size(); ++i) {
        const QString &arg = context.args.at(i);
        if (arg == QLatin1String("--json"))
            json = true;
        else if (arg == QLatin1String("--no-drift"))
            withDrift = false;
        else if (arg == QLatin1String("--timeout")) {
            bool ok = false;
            timeoutSeconds = i + 1 < context.args.size() ? context.args.at(i + 1).toInt(&ok) : 0;
            if (!ok || timeoutSeconds < 1)
                return usageError(
                    QStringLiteral("status: --timeout needs a whole number of seconds, at least 1"),
                    StatusUsage);
            ++i;
        } else if (arg == QLatin1String("--scratch")) {
            if (i + 1 >= context.args.size() || context.args.at(i + 1).isEmpty())
                return usageError(QStringLiteral("status: --scratch needs a server URL"),
                                  StatusUsage);
            scratchUrl = context.args.at(++i);
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(StatusUsage);
            return 0;
        } else
            return usageError(QStringLiteral("status: unexpected argument '%1'").arg(arg),
                              StatusUsage);
    }

    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    // As `drift` and `diff` do: a server for the shadow databases drift is computed on.
    workspace->scratchUrl =
        scratchUrl.isEmpty() ? qEnvironmentVariable("PARITYDECK_SCRATCH_URL") : scratchUrl;

    // Read once for every environment: the migration files and the drift records. A folder
    // the file names but that is missing makes every migration status unknown (needs
    // attention); without migrations.dir, no folder means no migrations.
    const bool haveMigrations = !workspaceHasNoMigrations(*workspace);
    const bool folderExists =
        haveMigrations && QFileInfo(workspace->resolvePath(workspace->migrations.dir)).isDir();
    const Result<MigrationSet> set =
        haveMigrations ? MigrationSource::load(*workspace)
                       : Result<MigrationSet>(
                             Error(ErrorCode::NotFound, QStringLiteral("no migrations folder")));
    if (folderExists && !set)
        return fail(set.error()); // unreadable migration files: nothing about schemas is true
    const QHash<QString, DriftRecord> records =
        withDrift ? DriftRecords(*workspace).load() : QHash<QString, DriftRecord>();

    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, int(workspace->environments.size())));
    QList<QFuture<EnvironmentReport>> checks;
    for (const EnvironmentConfig &env : std::as_const(workspace->environments)) {
        checks.append(QtConcurrent::run(
            &pool, [ws = *workspace, env, set, haveMigrations, withDrift, records, timeoutSeconds] {
                EnvironmentReport report;
                if (!env.database.password)
                    report.status = probeEnvironmentAndServices(ws, env, nullptr);
                else {
                    const Result<SecretValue> password = resolveSecret(ws, *env.database.password);
                    report.status = probeEnvironmentAndServices(ws, env, &password);
                }
                // Every other secret of the environment: one that cannot be read needs
                // attention (its name and reference are reported, never a value).
                for (auto secret = env.secrets.cbegin(); secret != env.secrets.cend(); ++secret) {
                    if (!resolveSecret(ws, secret.value()))
                        report.status.unreadableSecrets.append(
                            unreadableSecretLabel(secret.key(), secret.value()));
                }
                const bool hasDatabase = !env.database.url.trimmed().isEmpty();
                if (!hasDatabase || !reachable(report.status.state)) {
                    report.status.drift.reason = hasDatabase ? QStringLiteral("not reachable")
                                                             : QStringLiteral("no database");
                    return report;
                }
                if (haveMigrations) {
                    const Result<MigrationPlan> plan = readPlan(ws, env, set);
                    report.status.schema = schemaFactsOf(plan);
                    if (plan) {
                        for (const MigrationProblem &problem : plan->problems)
                            report.migrationProblems.append(problem.message);
                    }
                } else {
                    report.status.schema = noMigrationsFacts();
                }
                if (!withDrift)
                    report.status.drift.reason = QStringLiteral("not checked (--no-drift)");
                else
                    addDrift(ws, env, report, records, timeoutSeconds);
                return report;
            }));
    }

    QList<EnvironmentReport> reports;
    QList<StatusState> shown;
    bool allUp = true;
    for (QFuture<EnvironmentReport> &check : checks) {
        reports.append(check.result());
        shown.append(shownState(reports.last().status));
        allUp = allUp && shown.last() == StatusState::Up;
    }
    const StatusState overall = aggregateState(shown);

    if (json) {
        QJsonArray environments;
        for (qsizetype i = 0; i < reports.size(); ++i)
            environments.append(toJson(workspace->environments.at(i), reports.at(i)));
        QJsonObject root;
        root.insert(QStringLiteral("workspace"), workspace->filePath);
        root.insert(QStringLiteral("project"), workspace->project);
        root.insert(QStringLiteral("state"), statusStateName(overall));
        root.insert(QStringLiteral("environments"), environments);
        outJson(QJsonDocument(root));
    } else {
        QList<QStringList> rows;
        for (qsizetype i = 0; i < reports.size(); ++i) {
            const EnvironmentConfig &env = workspace->environments.at(i);
            const EnvironmentStatus &s = reports.at(i).status;
            QStringList serviceStates;
            for (const ServiceStatus &service : s.services)
                serviceStates.append(service.name + QLatin1Char(':') +
                                     statusStateName(service.state));
            QStringList reasons;
            if (!s.reason.isEmpty())
                reasons.append(s.reason);
            if (const QString attention = attentionText(attentionItems(s)); !attention.isEmpty())
                reasons.append(attention);
            // Why drift is unknown, unless it goes without saying (not reachable, no
            // database, --no-drift, no migrations): a check out of --timeout, say.
            if (withDrift && s.drift.state == DriftStatus::State::Unknown && reachable(s.state) &&
                !s.schema.noMigrations && !s.drift.reason.isEmpty())
                reasons.append(QStringLiteral("drift unknown: ") + s.drift.reason);
            const QString reason = reasons.join(QStringLiteral("; "));
            // The state every summary shows: "attention" for one that is up with problems
            // (JSON keeps the probe's state and says needs_attention beside it).
            rows.append({env.name, protectionName(env.protection), statusStateName(shownState(s)),
                         s.database.isEmpty() ? QStringLiteral("-") : s.database,
                         serviceStates.isEmpty() ? QStringLiteral("-")
                                                 : serviceStates.join(QLatin1Char(' ')),
                         s.serverVersion.isEmpty() ? QStringLiteral("-") : s.serverVersion,
                         formatBytes(s.databaseSizeBytes),
                         !s.schema.known
                             ? QStringLiteral("-")
                             : (s.schema.head.isEmpty() ? QStringLiteral("none") : s.schema.head),
                         !s.schema.known ? QStringLiteral("-") : QString::number(s.schema.pending),
                         driftColumn(s.drift),
                         s.checkedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")), reason});
        }
        out(formatTable(
            {QStringLiteral("ENVIRONMENT"), QStringLiteral("PROTECTION"), QStringLiteral("STATUS"),
             QStringLiteral("DATABASE"), QStringLiteral("SERVICES"), QStringLiteral("VERSION"),
             QStringLiteral("SIZE"), QStringLiteral("HEAD"), QStringLiteral("PENDING"),
             QStringLiteral("DRIFT"), QStringLiteral("CHECKED"), QStringLiteral("REASON")},
            rows));
        if (!allUp)
            outLine(QStringLiteral("Not in order: ") + [&] {
                QStringList lines;
                for (const EnvironmentReport &r : std::as_const(reports)) {
                    const QString line = oneLine(problemLine(r.status));
                    if (!line.isEmpty())
                        lines.append(line);
                }
                return lines.join(QStringLiteral(" · "));
            }());
    }
    return allUp ? 0 : 1;
}

} // namespace pd::cli
