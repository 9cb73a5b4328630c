#include "databasebranches.h"

#include "branches/branchnaming.h"
#include "db/connection.h"
#include "db/connectionfactory.h"
#include "workspace/protection.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QThread>

#include <algorithm>

namespace pd {

namespace {

// The branch server, as the parameter "address" of a branch error.
ErrorArg addressOf(const ConnectionParams &server)
{
    return ErrorArg::text(QStringLiteral("address"), server.displayAddress());
}

const QString kRecordKey = QStringLiteral("paritydeck_branch");

QString sessionList(const QList<DatabaseSession> &sessions)
{
    QStringList parts;
    for (const DatabaseSession &s : sessions)
        parts.append(s.describe());
    return parts.join(QStringLiteral(", "));
}

QString plural(qsizetype n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

Result<void> validateName(const QString &name, const QString &what)
{
    if (name.trimmed().isEmpty())
        return Error(ErrorCode::Usage, ErrorKind::NameEmpty,
                     {ErrorArg::text(QStringLiteral("what"), what)});
    if (name.toUtf8().size() > 63)
        return Error(ErrorCode::Usage, ErrorKind::NameTooLong,
                     {ErrorArg::text(QStringLiteral("what"), what),
                      ErrorArg::text(QStringLiteral("name"), name)});
    return branchnaming::checkName(name, what);
}

} // namespace

QString quotedIdentifier(const QString &name)
{
    QString quoted = name;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return QString(QLatin1Char('"') + quoted + QLatin1Char('"'));
}

qint64 DatabaseBranchInfo::ageSeconds(const QDateTime &now) const
{
    if (!created.isValid())
        return -1;
    return std::max<qint64>(0, created.secsTo(now));
}

QString DatabaseSession::describe() const
{
    QStringList who;
    who.append(user.isEmpty() ? QStringLiteral("unknown user") : user);
    if (!applicationName.isEmpty())
        who.append(applicationName);
    if (!clientAddress.isEmpty())
        who.append(clientAddress);
    return QStringLiteral("pid %1 (%2)").arg(pid).arg(who.join(QStringLiteral(", ")));
}

DatabaseBranches::DatabaseBranches(ConnectionParams server, Protection protection)
    : m_server(std::move(server))
    , m_protection(protection)
{
}

Result<DatabaseBranches> DatabaseBranches::forEnvironment(const EnvironmentConfig &environment,
                                                          const SecretValue &password,
                                                          const QString &serverUrl)
{
    auto params = ConnectionParams::fromUrl(environment.database.url);
    if (!params)
        return Error(params.error().code,
                     QStringLiteral("%1: %2").arg(environment.name, params.error().message));
    if (!serverUrl.isEmpty()) {
        // Same main database and credentials, reached directly instead of through a pooler.
        auto direct = ConnectionParams::fromUrl(serverUrl);
        if (!direct)
            return Error(direct.error().code, QStringLiteral("%1: branch server URL: %2")
                                                  .arg(environment.name, direct.error().message));
        direct->dbname = params->dbname;
        if (direct->user.isEmpty())
            direct->user = params->user;
        params = direct;
    }
    if (params->dbname.isEmpty())
        return Error(ErrorCode::Config, ErrorKind::UrlNamesNoDatabase,
                     {ErrorArg::text(QStringLiteral("environment"), environment.name)});
    const ConnectionTimeouts timeouts{environment.database.connectTimeoutSeconds,
                                      environment.database.statementTimeoutSeconds};
    DatabaseBranches branches(connectionParamsFor(std::move(params).value(), timeouts,
                                                  ConnectionPurpose::BranchAdmin, password),
                              environment.protection);
    branches.m_environment = environment.name;
    return branches;
}

QString DatabaseBranches::recordComment(const DatabaseBranchInfo &branch)
{
    QJsonObject record;
    record.insert(QStringLiteral("parent"), branch.parent);
    record.insert(QStringLiteral("created"), branch.created.toUTC().toString(Qt::ISODate));
    if (!branch.gitBranch.isEmpty())
        record.insert(QStringLiteral("git"), branch.gitBranch);
    QJsonObject root;
    root.insert(kRecordKey, record);
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact));
}

std::optional<DatabaseBranchInfo> DatabaseBranches::parseRecord(const QString &name,
                                                                const QString &comment)
{
    const QJsonDocument doc = QJsonDocument::fromJson(comment.toUtf8());
    if (!doc.isObject() || !doc.object().value(kRecordKey).isObject())
        return std::nullopt;
    const QJsonObject record = doc.object().value(kRecordKey).toObject();
    DatabaseBranchInfo info;
    info.name = name;
    info.parent = record.value(QStringLiteral("parent")).toString();
    info.gitBranch = record.value(QStringLiteral("git")).toString();
    info.created =
        QDateTime::fromString(record.value(QStringLiteral("created")).toString(), Qt::ISODate);
    if (info.created.isValid())
        info.created = info.created.toUTC();
    return info;
}

Result<Connection> DatabaseBranches::connectMaintenance() const
{
    // CREATE/DROP DATABASE run from another database of the same server: a session on the
    // parent would itself block the copy. "postgres" exists on nearly every server;
    // template1 on all of them.
    Error last;
    for (const QString &db : {QStringLiteral("postgres"), QStringLiteral("template1")}) {
        ConnectionParams params = m_server;
        params.dbname = db;
        auto conn = Connection::open(params);
        if (conn)
            return conn;
        last = conn.error();
        if (last.code != ErrorCode::NotFound)
            break;
    }
    // Poolers (PgBouncer) only know the databases in their own configuration and do not
    // pass CREATE DATABASE through; say so rather than leave the user guessing.
    return Error(
        last.code,
        QStringLiteral("%1 (database branches need a direct connection to the server that "
                       "can open its \"postgres\" or \"template1\" database; if %2 is a "
                       "pooler such as PgBouncer, point the branches at the server itself)")
            .arg(last.message, m_server.displayAddress()));
}

Result<QList<DatabaseSession>> DatabaseBranches::sessionsOn(const QString &database) const
{
    auto conn = connectMaintenance();
    if (!conn)
        return conn.error();
    return sessions(conn.value(), database);
}

Result<QList<DatabaseSession>> DatabaseBranches::sessions(Connection &conn, const QString &database)
{
    auto rows = conn.exec(
        QStringLiteral("SELECT pid, coalesce(usename, ''), coalesce(application_name, ''), "
                       "CASE WHEN client_addr IS NOT NULL THEN host(client_addr) "
                       "WHEN client_port = -1 THEN 'local' ELSE '' END, datname "
                       "FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() "
                       "ORDER BY pid"),
        {database});
    if (!rows)
        return rows.error();
    QList<DatabaseSession> found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        DatabaseSession s;
        s.pid = rows->value(r, 0).toInt();
        s.user = rows->value(r, 1);
        s.applicationName = rows->value(r, 2);
        s.clientAddress = rows->value(r, 3);
        s.database = rows->value(r, 4);
        found.append(s);
    }
    return found;
}

Result<QList<DatabaseBranchInfo>> DatabaseBranches::list(BranchScope scope) const
{
    auto conn = connectMaintenance();
    if (!conn)
        return conn.error();
    return list(conn.value(), scope);
}

Result<QList<DatabaseBranchInfo>> DatabaseBranches::list(Connection &conn, BranchScope scope) const
{
    // pg_database_size needs CONNECT on the database; without it the size stays unknown
    // rather than failing the whole listing.
    auto rows = conn.exec(QStringLiteral(
        "SELECT d.datname, shobj_description(d.oid, 'pg_database'), "
        "CASE WHEN has_database_privilege(d.oid, 'CONNECT') THEN pg_database_size(d.oid) END "
        "FROM pg_database d WHERE NOT d.datistemplate "
        "AND shobj_description(d.oid, 'pg_database') LIKE '%paritydeck_branch%'"));
    if (!rows)
        return rows.error();
    QList<DatabaseBranchInfo> branches;
    for (int r = 0; r < rows->rowCount(); ++r) {
        auto info = parseRecord(rows->value(r, 0), rows->value(r, 1));
        if (!info)
            continue;
        info->sizeBytes = rows->isNull(r, 2) ? -1 : rows->value(r, 2).toLongLong();
        branches.append(*info);
    }
    std::sort(
        branches.begin(), branches.end(),
        [](const DatabaseBranchInfo &a, const DatabaseBranchInfo &b) { return a.name < b.name; });
    if (scope == BranchScope::Server)
        return branches;
    // Branches of the main database, and branches of those, however deep: a shared
    // server may hold other applications' branches, which are not this environment's.
    QSet<QString> family{m_server.dbname};
    for (bool grew = true; grew;) {
        grew = false;
        for (const DatabaseBranchInfo &b : branches) {
            if (family.contains(b.parent) && !family.contains(b.name)) {
                family.insert(b.name);
                grew = true;
            }
        }
    }
    QList<DatabaseBranchInfo> ours;
    for (const DatabaseBranchInfo &b : branches) {
        if (b.name != m_server.dbname && family.contains(b.name))
            ours.append(b);
    }
    return ours;
}

Result<DatabaseBranchInfo> DatabaseBranches::branch(const QString &name) const
{
    auto conn = connectMaintenance();
    if (!conn)
        return conn.error();
    DatabaseBranchInfo info;
    if (auto ok = refuseUnlessBranch(conn.value(), name, QStringLiteral("use"), &info); !ok)
        return ok.error();
    return info;
}

Result<void> DatabaseBranches::refuseUnlessBranch(Connection &conn, const QString &name,
                                                  const QString &action,
                                                  DatabaseBranchInfo *info) const
{
    if (auto valid = validateName(name, QStringLiteral("branch")); !valid)
        return valid;
    if (name == m_server.dbname) {
        if (protectionDecision(m_environment, m_protection, ProtectedChange::Branches).verdict !=
            ProtectionVerdict::Allowed)
            return Error(
                ErrorCode::Protected, ErrorKind::ProtectedMainDatabaseNotBranch,
                {ErrorArg::text(QStringLiteral("action"), action),
                 ErrorArg::text(QStringLiteral("branch"), name),
                 ErrorArg::text(QStringLiteral("protection"), protectionName(m_protection))});
        return Error(ErrorCode::Usage, ErrorKind::MainDatabaseNotBranch,
                     {ErrorArg::text(QStringLiteral("action"), action),
                      ErrorArg::text(QStringLiteral("branch"), name)});
    }
    auto rows = conn.exec(QStringLiteral("SELECT shobj_description(oid, 'pg_database') FROM "
                                         "pg_database WHERE datname = $1"),
                          {name});
    if (!rows)
        return rows.error();
    if (rows->rowCount() == 0)
        return Error(ErrorCode::NotFound, ErrorKind::BranchMissing,
                     {ErrorArg::text(QStringLiteral("branch"), name), addressOf(m_server)});
    auto record = parseRecord(name, rows->value(0, 0));
    if (!record)
        return Error(
            ErrorCode::Usage,
            QStringLiteral("cannot %1 \"%2\": it is not a ParityDeck branch (its comment "
                           "holds no branch record), and ParityDeck only changes databases "
                           "it created as branches")
                .arg(action, name));
    if (info)
        *info = *record;
    return {};
}

Result<void> DatabaseBranches::writeRecord(Connection &conn, const DatabaseBranchInfo &info) const
{
    // COMMENT takes no bind parameters; format() quotes the name and the JSON on the server.
    auto statement = conn.scalar(QStringLiteral("SELECT format('COMMENT ON DATABASE %I IS %L', "
                                                "$1::text, $2::text)"),
                                 {info.name, recordComment(info)});
    if (!statement)
        return statement.error();
    auto done = conn.exec(*statement);
    if (!done)
        return done.error();
    return {};
}

Result<void> DatabaseBranches::drop(Connection &conn, const QString &name) const
{
    // FORCE ends the sessions on the branch itself; only ever used on a branch.
    auto done = conn.exec(
        QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quotedIdentifier(name)));
    if (!done)
        return Error(done.error().code, QStringLiteral("could not drop database branch \"%1\": %2")
                                            .arg(name, done.error().message));
    return {};
}

Result<BranchCreated> DatabaseBranches::copy(Connection &conn, const QString &name,
                                             const QString &parent,
                                             const BranchCreateOptions &options,
                                             const QDateTime &created) const
{
    BranchCreated outcome;
    // A session can connect to the parent between our check and the copy, so the copy is
    // retried a few times; each round looks at who is connected right now.
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        auto others = sessions(conn, parent);
        if (!others)
            return others.error();
        if (!others->isEmpty()) {
            if (!options.forceDisconnect)
                return Error(
                    ErrorCode::Runtime,
                    QStringLiteral("cannot branch \"%1\" from \"%2\": PostgreSQL copies a "
                                   "database only while nobody else is connected to it, and "
                                   "%3 connected: %4; close them, or allow ParityDeck to "
                                   "disconnect them (--force-disconnect)")
                        .arg(name, parent,
                             plural(others->size(), QStringLiteral("other session is"),
                                    QStringLiteral("other sessions are")),
                             sessionList(*others)));
            for (const DatabaseSession &s : *others) {
                // The timeout argument makes the call wait until the backend has exited.
                auto ended =
                    conn.scalar(QStringLiteral("SELECT pg_terminate_backend($1::int, 5000)"),
                                {QString::number(s.pid)});
                if (!ended)
                    return Error(ended.error().code,
                                 QStringLiteral("could not disconnect %1 from \"%2\": %3")
                                     .arg(s.describe(), parent, ended.error().message));
                outcome.terminated.append(s);
            }
        }
        QElapsedTimer timer;
        timer.start();
        auto done = conn.exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE %2")
                                  .arg(quotedIdentifier(name), quotedIdentifier(parent)),
                              {}, options.copyTimeoutSeconds * 1000);
        outcome.elapsedMs = timer.elapsed();
        if (done)
            break;
        const bool busy =
            done.error().message.contains(QStringLiteral("being accessed by other users"));
        if (!busy || attempt >= kAttempts)
            return Error(done.error().code,
                         QStringLiteral("could not create database branch \"%1\" "
                                        "from \"%2\": %3")
                             .arg(name, parent, done.error().message));
        QThread::msleep(200);
    }

    DatabaseBranchInfo info;
    info.name = name;
    info.parent = parent;
    info.gitBranch = options.gitBranch;
    info.created = created.toUTC();
    if (auto recorded = writeRecord(conn, info); !recorded) {
        // A branch without its record could never be reset or deleted by ParityDeck.
        (void)drop(conn, name);
        return Error(recorded.error().code,
                     QStringLiteral("created database branch \"%1\" but could not record it in its "
                                    "comment, so it was dropped again: %2")
                         .arg(name, recorded.error().message));
    }
    auto size = conn.scalar(QStringLiteral("SELECT pg_database_size($1::text)"), {name});
    info.sizeBytes = size ? size->toLongLong() : -1;
    outcome.branch = info;
    return outcome;
}

Result<void> DatabaseBranches::checkChangeAllowed() const
{
    const QString environment = m_environment.isEmpty() ? m_server.dbname : m_environment;
    return checkProtection(environment, m_protection, ProtectedChange::Branches, m_confirmation);
}

Result<BranchCreated> DatabaseBranches::create(const QString &name, const QString &parent,
                                               const BranchCreateOptions &options) const
{
    if (auto allowed = checkChangeAllowed(); !allowed)
        return allowed.error();
    const QString from = parent.isEmpty() ? m_server.dbname : parent;
    if (auto valid = validateName(name, QStringLiteral("branch")); !valid)
        return valid.error();
    if (auto valid = validateName(from, QStringLiteral("parent database")); !valid)
        return valid.error();
    if (name == m_server.dbname)
        return Error(ErrorCode::Usage, ErrorKind::BranchIsMainDatabase,
                     {ErrorArg::text(QStringLiteral("branch"), name)});
    if (name == from)
        return Error(ErrorCode::Usage, ErrorKind::BranchOwnParent,
                     {ErrorArg::text(QStringLiteral("branch"), name)});
    auto conn = connectMaintenance();
    if (!conn)
        return conn.error();
    auto rows = conn->exec(
        QStringLiteral("SELECT datname FROM pg_database WHERE datname IN ($1, $2)"), {name, from});
    if (!rows)
        return rows.error();
    QStringList existing;
    for (int r = 0; r < rows->rowCount(); ++r)
        existing.append(rows->value(r, 0));
    if (!existing.contains(from))
        return Error(ErrorCode::NotFound, ErrorKind::BranchParentMissing,
                     {ErrorArg::text(QStringLiteral("parent"), from), addressOf(m_server)});
    if (existing.contains(name))
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("a database named \"%1\" already exists on %2; switch to it, reset "
                           "it, or delete it first")
                .arg(name, m_server.displayAddress()));
    return copy(conn.value(), name, from, options, QDateTime::currentDateTimeUtc());
}

Result<BranchCreated> DatabaseBranches::reset(const QString &name,
                                              const BranchCreateOptions &options) const
{
    if (auto allowed = checkChangeAllowed(); !allowed)
        return allowed.error();
    auto conn = connectMaintenance();
    if (!conn)
        return conn.error();
    DatabaseBranchInfo info;
    if (auto ok = refuseUnlessBranch(conn.value(), name, QStringLiteral("reset"), &info); !ok)
        return ok.error();
    auto parentExists =
        conn->exec(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = $1"), {info.parent});
    if (!parentExists)
        return parentExists.error();
    if (parentExists->rowCount() == 0)
        return Error(ErrorCode::NotFound, ErrorKind::BranchResetParentGone,
                     {ErrorArg::text(QStringLiteral("branch"), name),
                      ErrorArg::text(QStringLiteral("parent"), info.parent), addressOf(m_server)});
    // Refuse before dropping anything: a refusal must leave the branch as it was.
    if (!options.forceDisconnect) {
        auto others = sessions(conn.value(), info.parent);
        if (!others)
            return others.error();
        if (!others->isEmpty())
            return Error(ErrorCode::Runtime, ErrorKind::ResetParentInUse,
                         {ErrorArg::text(QStringLiteral("branch"), name),
                          ErrorArg::text(QStringLiteral("parent"), info.parent),
                          others->size() == 1
                              ? ErrorArg::phraseOf(QStringLiteral("others"),
                                                   QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                                     "{count} other session is"))
                              : ErrorArg::phraseOf(QStringLiteral("others"),
                                                   QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                                     "{count} other sessions are")),
                          ErrorArg::number(QStringLiteral("count"), others->size()),
                          ErrorArg::text(QStringLiteral("sessions"), sessionList(*others))});
    }
    if (auto dropped = drop(conn.value(), name); !dropped)
        return dropped.error();
    BranchCreateOptions again = options;
    if (again.gitBranch.isEmpty())
        again.gitBranch = info.gitBranch;
    auto created = copy(conn.value(), name, info.parent, again, QDateTime::currentDateTimeUtc());
    if (!created)
        return Error(created.error().code,
                     QStringLiteral("branch \"%1\" was dropped for the reset, but copying \"%2\" "
                                    "again failed; run the reset again: %3")
                         .arg(name, info.parent, created.error().message));
    return created;
}

Result<void> DatabaseBranches::remove(const QString &name) const
{
    if (auto allowed = checkChangeAllowed(); !allowed)
        return allowed.error();
    auto conn = connectMaintenance();
    if (!conn)
        return conn.error();
    if (auto ok = refuseUnlessBranch(conn.value(), name, QStringLiteral("delete"), nullptr); !ok)
        return ok;
    // A branch others were copied from stays: their reset would have nothing to copy.
    auto all = list(conn.value(), BranchScope::Server);
    if (!all)
        return all.error();
    QStringList children;
    for (const DatabaseBranchInfo &b : *all) {
        if (b.parent == name)
            children.append(b.name);
    }
    if (!children.isEmpty())
        return Error(
            ErrorCode::Usage,
            QStringLiteral("cannot delete \"%1\": it is the parent of %2 (%3); delete "
                           "those first")
                .arg(name,
                     plural(children.size(), QStringLiteral("branch"), QStringLiteral("branches")),
                     children.join(QStringLiteral(", "))));
    return drop(conn.value(), name);
}

Result<BranchCleanupReport> DatabaseBranches::cleanup(const BranchCleanupCriteria &criteria,
                                                      bool dryRun) const
{
    if (!dryRun) {
        if (auto allowed = checkChangeAllowed(); !allowed)
            return allowed.error();
    }
    auto all = list();
    if (!all)
        return all.error();
    BranchCleanupReport report;
    for (const DatabaseBranchInfo &b : *all) {
        QStringList reasons;
        if (criteria.existingGitBranches && !b.gitBranch.isEmpty() &&
            !criteria.existingGitBranches->contains(b.gitBranch))
            reasons.append(QStringLiteral("git branch %1 no longer exists").arg(b.gitBranch));
        if (criteria.olderThanDays > 0 && b.created.isValid()) {
            const qint64 age = b.ageSeconds(criteria.now);
            if (age > qint64(criteria.olderThanDays) * 86400)
                reasons.append(
                    QStringLiteral("created %1 ago (limit: %2)")
                        .arg(plural(age / 86400, QStringLiteral("day"), QStringLiteral("days")),
                             plural(criteria.olderThanDays, QStringLiteral("day"),
                                    QStringLiteral("days"))));
        }
        if (!reasons.isEmpty())
            report.candidates.append({b, reasons.join(QStringLiteral("; "))});
    }
    if (dryRun)
        return report;
    // Children first, so a parent whose children are all cleaned up can go too.
    QList<BranchCleanupItem> pending = report.candidates;
    for (bool progress = true; progress && !pending.isEmpty();) {
        progress = false;
        for (qsizetype i = 0; i < pending.size(); ++i) {
            const QString name = pending.at(i).branch.name;
            const bool parentOfPending = std::any_of(
                pending.cbegin(), pending.cend(),
                [&name](const BranchCleanupItem &other) { return other.branch.parent == name; });
            if (parentOfPending)
                continue;
            if (auto removed = remove(name); removed)
                report.removed.append(name);
            else
                report.failures.append(removed.error().message);
            pending.removeAt(i);
            progress = true;
            break;
        }
    }
    for (const BranchCleanupItem &item : pending) {
        if (auto removed = remove(item.branch.name); removed)
            report.removed.append(item.branch.name);
        else
            report.failures.append(removed.error().message);
    }
    return report;
}

} // namespace pd
