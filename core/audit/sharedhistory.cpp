#include "sharedhistory.h"

#include "audit/auditlog.h"
#include "db/connection.h"
#include "secrets/secretmask.h"
#include "workspace/protection.h"

#include <algorithm>

#include <QHostInfo>

namespace pd {

namespace sharedhistory {

QString who()
{
    return AuditLog::currentUser() + u'@' + QHostInfo::localHostName();
}

QString age(const QDateTime &at, const QDateTime &now)
{
    const qint64 seconds = std::max<qint64>(0, at.secsTo(now));
    if (seconds < 60)
        return QStringLiteral("just now");
    if (seconds < 3600)
        return QStringLiteral("%1 min ago").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return QStringLiteral("%1 h ago").arg(seconds / 3600);
    return QStringLiteral("%1 d ago").arg(seconds / 86400);
}

QString describe(const SharedHistoryEntry &entry, const QDateTime &now)
{
    return QStringLiteral("%1: %2 %3 by %4 %5")
        .arg(entry.environment, entry.what, entry.result, entry.who, age(entry.at, now));
}

Result<void> write(Connection &connection, const SharedHistoryEntry &entry)
{
    // IF NOT EXISTS: teammates create it at the same moment without harm (one of two
    // racing CREATE TABLEs may fail on the catalog's unique index; the retry finds it).
    static const QString create = QStringLiteral("CREATE SCHEMA IF NOT EXISTS paritydeck;"
                                                 "CREATE TABLE IF NOT EXISTS paritydeck.history ("
                                                 " id bigserial PRIMARY KEY,"
                                                 " at timestamptz NOT NULL DEFAULT now(),"
                                                 " environment text NOT NULL,"
                                                 " who text NOT NULL,"
                                                 " kind text NOT NULL,"
                                                 " what text NOT NULL,"
                                                 " result text NOT NULL)");
    auto created = connection.exec(create);
    if (!created)
        created = connection.exec(create);
    if (!created)
        return created.error();
    auto inserted = connection.exec(
        QStringLiteral("INSERT INTO paritydeck.history (environment, who, kind, what, result) "
                       "VALUES ($1, $2, $3, $4, $5)"),
        {entry.environment, entry.who, entry.kind, entry.what, entry.result});
    if (!inserted)
        return inserted.error();
    return {};
}

Result<QList<SharedHistoryEntry>> read(Connection &connection, int limit)
{
    auto exists =
        connection.scalar(QStringLiteral("SELECT to_regclass('paritydeck.history') IS NOT NULL"));
    if (!exists)
        return exists.error();
    QList<SharedHistoryEntry> entries;
    if (*exists != u"t")
        return entries;
    auto rows = connection.exec(
        QStringLiteral("SELECT id, extract(epoch FROM at)::float8, environment, who, kind, what, "
                       "result FROM paritydeck.history ORDER BY at DESC, id DESC LIMIT $1"),
        {QString::number(limit)});
    if (!rows)
        return rows.error();
    for (int r = 0; r < rows->rowCount(); ++r) {
        SharedHistoryEntry e;
        e.id = rows->value(r, 0).toLongLong();
        e.at = QDateTime::fromMSecsSinceEpoch(qint64(rows->value(r, 1).toDouble() * 1000), Qt::UTC);
        e.environment = rows->value(r, 2);
        e.who = rows->value(r, 3);
        e.kind = rows->value(r, 4);
        e.what = rows->value(r, 5);
        e.result = rows->value(r, 6);
        entries.append(e);
    }
    return entries;
}

Result<std::optional<SharedHistoryEntry>> latest(Connection &connection, const QString &environment,
                                                 const QString &kind)
{
    auto exists =
        connection.scalar(QStringLiteral("SELECT to_regclass('paritydeck.history') IS NOT NULL"));
    if (!exists)
        return exists.error();
    if (*exists != u"t")
        return std::optional<SharedHistoryEntry>();
    auto rows = connection.exec(
        QStringLiteral("SELECT what, result, who FROM paritydeck.history WHERE environment = $1 "
                       "AND kind = $2 ORDER BY at DESC, id DESC LIMIT 1"),
        {environment, kind});
    if (!rows)
        return rows.error();
    if (rows->rowCount() == 0)
        return std::optional<SharedHistoryEntry>();
    SharedHistoryEntry e;
    e.environment = environment;
    e.kind = kind;
    e.what = rows->value(0, 0);
    e.result = rows->value(0, 1);
    e.who = rows->value(0, 2);
    return std::optional<SharedHistoryEntry>(e);
}

} // namespace sharedhistory

Result<void> recordSharedHistory(const EnvironmentConfig &env, Connection &connection,
                                 const QString &kind, const QString &what, const QString &result,
                                 const QList<SecretValue> &secrets)
{
    if (env.history != HistoryStore::Database)
        return {};
    if (auto allowed = checkProtection(env, ProtectedChange::SharedHistory, {}); !allowed)
        return allowed.error();
    SharedHistoryEntry entry;
    entry.environment = env.name;
    entry.who = maskSecrets(sharedhistory::who(), secrets);
    entry.kind = maskSecrets(kind, secrets);
    entry.what = maskSecrets(what, secrets);
    entry.result = maskSecrets(result, secrets);
    return sharedhistory::write(connection, entry);
}

Result<void> recordSharedHistory(const EnvironmentConfig &env, const ConnectionParams &params,
                                 const QString &kind, const QString &what, const QString &result)
{
    if (env.history != HistoryStore::Database)
        return {};
    // Refused before connecting: a read-only database is not even opened for it.
    if (auto allowed = checkProtection(env, ProtectedChange::SharedHistory, {}); !allowed)
        return allowed.error();
    auto connection = Connection::open(params);
    if (!connection)
        return connection.error();
    return recordSharedHistory(env, *connection, kind, what, result, {params.password});
}

} // namespace pd
