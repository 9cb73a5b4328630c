#include "historyrecorder.h"

#include "audit/sharedhistory.h"
#include "db/connection.h"
#include "workspace/protection.h"

namespace pd {

namespace {

QString warningOf(const EnvironmentConfig &env, const Result<void> &written)
{
    if (written)
        return {};
    return QStringLiteral("%1: the shared history could not be written: %2")
        .arg(env.name, written.error().message);
}

QString firstLine(const QString &text)
{
    return text.section(u'\n', 0, 0);
}

} // namespace

QString recordMigrationHistory(const EnvironmentConfig &env, const ConnectionParams &params,
                               const Result<ApplyReport> &report, bool baseline,
                               const QString &targetVersion)
{
    if (env.history != HistoryStore::Database)
        return {};
    if (!report) {
        // A refusal changed nothing in the database: nothing to share.
        if (report.error().code == ErrorCode::Protected)
            return {};
        return warningOf(env,
                         recordSharedHistory(
                             env, params, QStringLiteral("migration"),
                             targetVersion.isEmpty() ? QStringLiteral("migrations") : targetVersion,
                             QStringLiteral("failed: ") + firstLine(report.error().message)));
    }
    if (report->dryRun)
        return {};
    const QString done = baseline ? QStringLiteral("marked as applied") : QStringLiteral("applied");
    QStringList warnings;
    for (const MigrationStep &step : report->steps) {
        const QString warning = warningOf(
            env, recordSharedHistory(env, params, QStringLiteral("migration"), step.version, done));
        if (!warning.isEmpty()) {
            warnings.append(warning);
            break; // the next would fail the same way
        }
    }
    if (report->cancelled && warnings.isEmpty())
        warnings.append(warningOf(
            env, recordSharedHistory(env, params, QStringLiteral("migration"),
                                     QStringLiteral("migrations"),
                                     QStringLiteral("cancelled; the rest stays pending"))));
    warnings.removeAll(QString());
    return warnings.join(QStringLiteral("; "));
}

QString recordDriftHistory(const EnvironmentConfig &env, const ConnectionParams &params,
                           const Result<DriftReport> &report)
{
    if (env.history != HistoryStore::Database || !report || report->noMigrations)
        return {};
    if (auto allowed = checkProtection(env, ProtectedChange::SharedHistory, {}); !allowed)
        return {}; // the loader refuses history: database there; nothing to say per check
    auto connection = Connection::open(params);
    if (!connection)
        return warningOf(env, connection.error());
    auto last = sharedhistory::latest(*connection, env.name, QStringLiteral("drift"));
    if (!last)
        return warningOf(env, last.error());
    const QString inLine = QStringLiteral("back in line with the migrations");
    QString what, result;
    if (report->inSync()) {
        if (!*last || (*last)->result == inLine)
            return {};
        what = QStringLiteral("schema");
        result = inLine;
    } else {
        what =
            QStringLiteral("%1 %2")
                .arg(report->changes)
                .arg(report->changes == 1 ? QStringLiteral("object") : QStringLiteral("objects"));
        result = QStringLiteral("differ from the migrations (%1)").arg(report->summary);
        if (*last && (*last)->what == what && (*last)->result == result)
            return {};
    }
    return warningOf(env, recordSharedHistory(env, *connection, QStringLiteral("drift"), what,
                                              result, {params.password}));
}

} // namespace pd
