#include "migrations/shadowdatabase.h"

#include "db/connection.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

namespace pd {

namespace {

Q_LOGGING_CATEGORY(lcShadow, "paritydeck.migrations.shadow")

QString randomSuffix()
{
    return QString::number(QRandomGenerator::global()->generate64(), 16)
        .rightJustified(16, QLatin1Char('0'));
}

} // namespace

ShadowDatabase::ShadowDatabase(ConnectionParams server, ConnectionParams shadow, QString name)
    : m_server(std::move(server))
    , m_shadow(std::move(shadow))
    , m_name(std::move(name))
{
}

ShadowDatabase::ShadowDatabase(ShadowDatabase &&other) noexcept
    : m_server(std::move(other.m_server))
    , m_shadow(std::move(other.m_shadow))
    , m_name(std::exchange(other.m_name, QString()))
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
    auto connection = Connection::open(server);
    if (!connection)
        return connection.error();
    // Only [a-z0-9_]: the name needs no quoting anywhere it appears.
    const QString name = QStringLiteral("paritydeck_shadow_") + randomSuffix();
    // template0: template1 may carry objects someone added, which are not migrations.
    auto created =
        connection->exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0").arg(name));
    if (!created) {
        return Error(created.error().code,
                     QStringLiteral("cannot create a shadow database on %1 to apply the "
                                    "migrations to: %2 (the user needs the CREATEDB privilege)")
                         .arg(server.displayAddress(), created.error().message));
    }
    ConnectionParams shadow = server;
    shadow.dbname = name;
    return ShadowDatabase(server, shadow, name);
}

Result<ApplyReport> ShadowDatabase::apply(const MigrationSet &set, const ApplyOptions &options)
{
    if (m_name.isEmpty())
        return Error(ErrorCode::Runtime, ErrorKind::ShadowDatabaseDropped, {});
    ApplyOptions own = options;
    own.protection = Protection::None;
    own.dryRun = false;
    if (own.environment.isEmpty())
        own.environment = QStringLiteral("shadow database %1").arg(m_name);
    return MigrationRunner::apply(m_shadow, set, own);
}

Result<void> ShadowDatabase::drop()
{
    if (m_name.isEmpty())
        return {};
    auto connection = Connection::open(m_server);
    if (!connection) {
        return Error(connection.error().code,
                     QStringLiteral("cannot drop the shadow database %1: %2")
                         .arg(m_name, connection.error().message));
    }
    auto dropped =
        connection->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
    if (!dropped) {
        return Error(dropped.error().code, QStringLiteral("cannot drop the shadow database %1: %2")
                                               .arg(m_name, dropped.error().message));
    }
    m_name.clear();
    return {};
}

} // namespace pd
