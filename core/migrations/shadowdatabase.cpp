#include "migrations/shadowdatabase.h"

#include "common/errors.h"
#include "db/connection.h"
#include "migrations/serverwidestate.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QLoggingCategory>
#include <QMutex>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSysInfo>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace pd {

namespace {

Q_LOGGING_CATEGORY(lcShadow, "paritydeck.migrations.shadow")

QString randomSuffix()
{
    return QString::number(QRandomGenerator::global()->generate64(), 16)
        .rightJustified(16, QLatin1Char('0'));
}

// The keeper's application_name: at most 63 bytes reach the server (NAMEDATALEN - 1);
// this is 52.
QString keeperName(const QString &shadow)
{
    return QStringLiteral("paritydeck shadow ") + shadow;
}

const QLatin1String CommentPrefix("paritydeck shadow database");

// Only characters that need no quoting in a string literal.
QString plainText(QString text)
{
    static const QRegularExpression other(QStringLiteral("[^A-Za-z0-9._:-]"));
    return text.replace(other, QStringLiteral("_")).left(64);
}

// The shadows this process created and has not dropped: name → server. Process-wide, so
// an exit path can drop what a worker thread it gave up on is still building.
struct Registry
{
    QMutex mutex;
    QHash<QString, ConnectionParams> live;
    bool closed = false; // dropAllBeforeExit() ran: no new shadows
};

Registry &registry()
{
    static Registry *r = new Registry; // never destroyed: exit paths and workers outlive statics
    return *r;
}

void forget(const QString &name)
{
    Registry &r = registry();
    const QMutexLocker lock(&r.mutex);
    r.live.remove(name);
}

QString dropFailed(const QString &name, const QString &reason)
{
    return QStringLiteral("cannot drop the shadow database %1: %2").arg(name, reason);
}

} // namespace

ShadowDatabase::ShadowDatabase(ConnectionParams server, ConnectionParams shadow, QString name,
                               Connection keeper)
    : m_server(std::move(server))
    , m_shadow(std::move(shadow))
    , m_name(std::move(name))
    , m_keeper(std::make_unique<Connection>(std::move(keeper)))
{
}

ShadowDatabase::ShadowDatabase(ShadowDatabase &&other) noexcept
    : m_server(std::move(other.m_server))
    , m_shadow(std::move(other.m_shadow))
    , m_name(std::exchange(other.m_name, QString()))
    , m_keeper(std::move(other.m_keeper))
{
}

ShadowDatabase &ShadowDatabase::operator=(ShadowDatabase &&other) noexcept
{
    if (this != &other) {
        if (!m_name.isEmpty())
            (void)drop();
        m_server = std::move(other.m_server);
        m_shadow = std::move(other.m_shadow);
        m_name = std::exchange(other.m_name, QString());
        m_keeper = std::move(other.m_keeper);
    }
    return *this;
}

ShadowDatabase::~ShadowDatabase()
{
    if (m_name.isEmpty())
        return;
    if (auto dropped = drop(); !dropped)
        qCWarning(lcShadow).noquote() << dropped.error().message;
}

Result<ShadowDatabase> ShadowDatabase::create(const ConnectionParams &server)
{
    // Only [a-z0-9_]: the name needs no quoting anywhere it appears.
    const QString name = QStringLiteral("paritydeck_shadow_") + randomSuffix();
    // The keeper names the shadow from before it exists until after it is dropped, so no
    // other run ever sees the database without it.
    ConnectionParams keeperParams = server;
    keeperParams.applicationName = keeperName(name);
    auto connection = Connection::open(keeperParams);
    if (!connection)
        return connection.error();
    dropLeftovers(*connection);
    {
        Registry &r = registry();
        const QMutexLocker lock(&r.mutex);
        if (r.closed)
            return errors::cancelled();
        // Known before CREATE DATABASE runs: an exit path drops it IF EXISTS.
        r.live.insert(name, server);
    }
    // template0: template1 may carry objects someone added, which are not migrations.
    auto created =
        connection->exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0").arg(name));
    if (!created) {
        forget(name);
        return Error(created.error().code,
                     QStringLiteral("cannot create a shadow database on %1 to apply the "
                                    "migrations to: %2 (the user needs the CREATEDB privilege)")
                         .arg(server.displayAddress(), created.error().message));
    }
    ConnectionParams shadow = server;
    shadow.dbname = name;
    ShadowDatabase database(server, shadow, name, std::move(connection).value());
    // Who made it, for whoever finds it; the time (server clock) is what dropLeftovers() reads.
    auto now = database.m_keeper->scalar(QStringLiteral(
        "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"));
    if (now) {
        const QString program = QCoreApplication::applicationName().isEmpty()
                                    ? QStringLiteral("paritydeck")
                                    : QCoreApplication::applicationName();
        const QString comment = QStringLiteral("%1, created %2 by %3 pid %4 on %5")
                                    .arg(CommentPrefix, plainText(*now), plainText(program),
                                         QString::number(QCoreApplication::applicationPid()),
                                         plainText(QSysInfo::machineHostName()));
        if (auto commented = database.m_keeper->exec(
                QStringLiteral("COMMENT ON DATABASE %1 IS '%2'").arg(name, comment));
            !commented)
            qCWarning(lcShadow).noquote() << commented.error().message;
    }
    return database;
}

QStringList ShadowDatabase::dropLeftovers(Connection &server)
{
    // Connected sessions and keepers are looked at in the same statement as the databases.
    // pg_stat_activity shows every session's database and application_name to every user.
    auto leftovers = server.exec(QStringLiteral(
        "SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment, "
        "       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS now "
        "FROM pg_database d "
        "WHERE d.datname LIKE 'paritydeck\\_shadow\\_%' "
        "  AND (pg_has_role(d.datdba, 'MEMBER') "
        "       OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) "
        "  AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid) "
        "  AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a "
        "                  WHERE a.application_name = 'paritydeck shadow ' || d.datname) "
        "ORDER BY d.datname"));
    if (!leftovers) {
        qCWarning(lcShadow).noquote()
            << QStringLiteral("cannot look for left-over shadow databases: %1")
                   .arg(leftovers.error().message);
        return {};
    }
    static const QRegularExpression created(
        QStringLiteral("created (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)"));
    static const QRegularExpression plainName(QStringLiteral("^paritydeck_shadow_[a-z0-9_]+$"));
    QStringList dropped;
    for (int row = 0; row < leftovers->rowCount(); ++row) {
        const QString name = leftovers->value(row, 0);
        const QString comment = leftovers->value(row, 1);
        if (!plainName.match(name).hasMatch())
            continue; // not a name ParityDeck makes
        if (comment.startsWith(CommentPrefix)) {
            const auto match = created.match(comment);
            const QDateTime at = match.hasMatch()
                                     ? QDateTime::fromString(match.captured(1), Qt::ISODate)
                                     : QDateTime();
            const QDateTime now = QDateTime::fromString(leftovers->value(row, 2), Qt::ISODate);
            if (!at.isValid() || !now.isValid() || at.secsTo(now) < kLeftoverAgeSeconds)
                continue;
        } else if (!comment.isNull()) {
            continue; // someone else's comment: not ours to judge
        }
        auto drop = server.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
        if (!drop) {
            qCWarning(lcShadow).noquote() << QStringLiteral("left-over shadow database %1 kept: %2")
                                                 .arg(name, drop.error().message);
            continue;
        }
        qCInfo(lcShadow).noquote() << QStringLiteral("dropped left-over shadow database %1 on %2")
                                          .arg(name, server.params().displayAddress());
        dropped.append(name);
    }
    return dropped;
}

int ShadowDatabase::dropAllBeforeExit(int budgetMs)
{
    QHash<QString, ConnectionParams> live;
    {
        Registry &r = registry();
        const QMutexLocker lock(&r.mutex);
        r.closed = true;
        live = r.live;
    }
    if (live.isEmpty())
        return 0;
    // Shared with the threads, which may outlive this call (and this process's statics).
    struct Pending
    {
        std::mutex mutex;
        std::condition_variable done;
        qsizetype left = 0;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = live.size();
    // Connecting gets half the budget (at least 1 s), so a drop normally ends within it.
    const int seconds = std::max(1, budgetMs / 2000);
    for (auto it = live.cbegin(); it != live.cend(); ++it) {
        std::thread([name = it.key(), server = it.value(), pending, seconds, budgetMs] {
            ConnectionParams params = server;
            params.connectTimeoutSeconds = std::min(params.connectTimeoutSeconds, seconds);
            params.applicationName = keeperName(name);
            if (auto connection = Connection::open(params)) {
                auto dropped = connection->exec(
                    QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name), {},
                    budgetMs);
                if (dropped)
                    forget(name);
                else
                    qCWarning(lcShadow).noquote() << dropFailed(name, dropped.error().message);
            } else {
                qCWarning(lcShadow).noquote() << dropFailed(name, connection.error().message);
            }
            const std::lock_guard lock(pending->mutex);
            --pending->left;
            pending->done.notify_all();
        }).detach();
    }
    std::unique_lock lock(pending->mutex);
    pending->done.wait_for(lock, std::chrono::milliseconds(budgetMs),
                           [&] { return pending->left == 0; });
    return int(live.size());
}

int ShadowDatabase::liveCount()
{
    Registry &r = registry();
    const QMutexLocker lock(&r.mutex);
    return int(r.live.size());
}

Result<void> ShadowDatabase::checkContained(const MigrationSet &set, const QString &upTo)
{
    for (const Migration &m : set.migrations) {
        if (m.executable) {
            auto script =
                SqlScript::parse(m.upSql, MigrationRunner::displayPath(set, m), m.upFirstLine);
            if (!script)
                return script.error();
            if (auto contained = script->checkStaysInDatabase(QStringLiteral("each migration"));
                !contained)
                return contained;
        }
        if (!upTo.isEmpty() && m.version == upTo)
            break;
    }
    return {};
}

Result<ApplyReport> ShadowDatabase::apply(const MigrationSet &set, const ApplyOptions &options)
{
    if (m_name.isEmpty())
        return Error(ErrorCode::Runtime, ErrorKind::ShadowDatabaseDropped, {});
    if (auto contained = checkContained(set, options.targetVersion); !contained)
        return contained.error();
    ApplyOptions own = options;
    own.protection = Protection::None;
    own.dryRun = false;
    if (own.environment.isEmpty())
        own.environment = QStringLiteral("shadow database %1").arg(m_name);
    // What checkContained() cannot see — a DO block or a function that changes a role with
    // EXECUTE — shows in the server's shared state: read before each migration and again
    // before its COMMIT, under REPEATABLE READ (or the migration's own SERIALIZABLE) so
    // another session's work meanwhile does not count. A migration that changed it is rolled
    // back and fails the build. One outside a transaction cannot be rolled back; it still
    // fails the build, saying what changed.
    auto before = std::make_shared<std::optional<ServerWideState>>();
    own.opening = [before](Connection &connection, bool inTransaction) -> Result<void> {
        if (inTransaction) {
            // A level the migration chose itself (SERIALIZABLE, REPEATABLE READ) already
            // reads from one snapshot and stays; READ COMMITTED is raised, which changes
            // nothing else in a scratch database no other session writes to. SHOW takes no
            // snapshot: SET TRANSACTION may still follow it.
            auto level = connection.scalar(QStringLiteral("SHOW transaction_isolation"));
            if (!level)
                return level.error();
            if (*level == QLatin1String("read committed")) {
                if (auto isolated = connection.exec(
                        QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
                    !isolated)
                    return isolated.error();
            }
        }
        auto state = ServerWideState::read(connection);
        if (!state)
            return state.error();
        *before = std::move(*state);
        return {};
    };
    own.closing = [before](Connection &connection, bool inTransaction) -> Result<void> {
        auto after = ServerWideState::read(connection);
        if (!after)
            return after.error();
        const QStringList changed = before->has_value() ? after->changedSince(**before)
                                                        : QStringList{QStringLiteral("unknown")};
        if (changed.isEmpty())
            return {};
        return Error(ErrorCode::Config,
                     QStringLiteral("it changed the server outside the shadow database (%1)%2; "
                                    "a DO block or a function it calls does this with dynamic "
                                    "SQL, and a build for a comparison may change nothing "
                                    "outside its own database")
                         .arg(changed.join(QStringLiteral(", ")),
                              inTransaction ? QString()
                                            : QStringLiteral(", outside a transaction: undo "
                                                             "that by hand")));
    };
    return MigrationRunner::apply(m_shadow, set, own);
}

Result<void> ShadowDatabase::drop()
{
    if (m_name.isEmpty())
        return {};
    // The keeper, when it is still open: no new connection, and it works on a server that
    // has stopped accepting them.
    std::unique_ptr<Connection> keeper = std::move(m_keeper);
    if (!keeper || !keeper->isOpen()) {
        ConnectionParams params = m_server;
        params.applicationName = keeperName(m_name);
        auto connection = Connection::open(params);
        if (!connection)
            return Error(connection.error().code, dropFailed(m_name, connection.error().message));
        keeper = std::make_unique<Connection>(std::move(connection).value());
    }
    auto dropped =
        keeper->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
    if (!dropped) {
        m_keeper = std::move(keeper);
        return Error(dropped.error().code, dropFailed(m_name, dropped.error().message));
    }
    forget(m_name);
    m_name.clear();
    return {};
}

} // namespace pd
