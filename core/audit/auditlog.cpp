#include "auditlog.h"

#include "common/paths.h"
#include "common/printable.h"
#include "db/connectionparams.h"
#include "secrets/secretmask.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QMutex>
#include <QSet>
#include <QUuid>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pd {

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Closes the descriptor (which also drops its flock) on every return path.
class Descriptor final
{
public:
    explicit Descriptor(int fd)
        : m_fd(fd)
    {
    }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const noexcept { return m_fd; }

private:
    int m_fd;
};

} // namespace

QString auditOutcomeName(AuditOutcome outcome)
{
    switch (outcome) {
    case AuditOutcome::Ok:
        return QStringLiteral("ok");
    case AuditOutcome::Failed:
        return QStringLiteral("failed");
    case AuditOutcome::Refused:
        return QStringLiteral("refused");
    case AuditOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case AuditOutcome::Started:
        return QStringLiteral("started");
    }
    return QStringLiteral("failed");
}

std::optional<AuditOutcome> auditOutcomeFromName(const QString &name)
{
    for (AuditOutcome o : {AuditOutcome::Ok, AuditOutcome::Failed, AuditOutcome::Refused,
                           AuditOutcome::Cancelled, AuditOutcome::Started}) {
        if (auditOutcomeName(o) == name)
            return o;
    }
    return std::nullopt;
}

AuditEntry auditEntryFor(const QString &environment, const QString &action, const QString &target,
                         const Error *error, qint64 durationMs, const QString &detail)
{
    AuditEntry entry;
    entry.environment = environment;
    entry.action = action;
    entry.target = target;
    entry.outcome = error ? auditOutcomeFor(*error) : AuditOutcome::Ok;
    entry.durationMs = durationMs;
    entry.detail = error ? error->message : detail;
    return entry;
}

AuditOutcome auditOutcomeFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::Protected:
        return AuditOutcome::Refused;
    case ErrorCode::Cancelled:
        return AuditOutcome::Cancelled;
    default:
        return AuditOutcome::Failed;
    }
}

QJsonObject AuditEntry::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("user"), user);
    o.insert(QStringLiteral("environment"), environment);
    o.insert(QStringLiteral("action"), action);
    o.insert(QStringLiteral("target"), target);
    if (!database.isEmpty())
        o.insert(QStringLiteral("database"), database);
    o.insert(QStringLiteral("outcome"), auditOutcomeName(outcome));
    o.insert(QStringLiteral("duration_ms"),
             durationMs < 0 ? QJsonValue() : QJsonValue(double(durationMs)));
    o.insert(QStringLiteral("detail"), detail);
    if (!workspace.isEmpty())
        o.insert(QStringLiteral("workspace"), workspace);
    if (!operation.isEmpty())
        o.insert(QStringLiteral("operation"), operation);
    return o;
}

std::optional<AuditEntry> AuditEntry::fromJson(const QJsonObject &o)
{
    AuditEntry e;
    e.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    const auto outcome = auditOutcomeFromName(o.value(QStringLiteral("outcome")).toString());
    e.action = o.value(QStringLiteral("action")).toString();
    if (!e.time.isValid() || !outcome || e.action.isEmpty())
        return std::nullopt;
    e.time = e.time.toUTC();
    e.outcome = *outcome;
    e.user = o.value(QStringLiteral("user")).toString();
    e.environment = o.value(QStringLiteral("environment")).toString();
    e.target = o.value(QStringLiteral("target")).toString();
    const QJsonValue duration = o.value(QStringLiteral("duration_ms"));
    e.durationMs = duration.isDouble() ? qint64(duration.toDouble()) : -1;
    e.detail = o.value(QStringLiteral("detail")).toString();
    e.workspace = o.value(QStringLiteral("workspace")).toString();
    e.database = o.value(QStringLiteral("database")).toString();
    e.operation = o.value(QStringLiteral("operation")).toString();
    return e;
}

QString AuditEntry::toText() const
{
    // One line whatever the names hold: a target or detail with a line break must not
    // print what reads as another entry.
    QStringList parts{time.toUTC().toString(Qt::ISODate),
                      user.isEmpty() ? QStringLiteral("-") : oneLine(user),
                      environment.isEmpty() ? QStringLiteral("-") : oneLine(environment),
                      oneLine(action),
                      target.isEmpty() ? QStringLiteral("-") : oneLine(target),
                      auditOutcomeName(outcome)};
    if (durationMs >= 0)
        parts.append(QString::number(durationMs) + QStringLiteral(" ms"));
    if (unfinished)
        parts.append(QStringLiteral("(no end recorded: killed, or still running)"));
    if (!detail.isEmpty())
        parts.append(oneLine(detail));
    return parts.join(u' ');
}

AuditLog::AuditLog(QString path)
    : m_path(path.isEmpty() ? defaultPath() : std::move(path))
{
}

QString AuditLog::defaultPath()
{
    return paths::stateDir() + QStringLiteral("/audit.jsonl");
}

QString AuditLog::currentUser()
{
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    const QString fromEnv = qEnvironmentVariable("USER");
    return fromEnv.isEmpty() ? QString::number(::geteuid()) : fromEnv;
}

namespace {

QMutex s_workspaceMutex;
QString s_workspace;
QHash<QString, QString> s_databases;
std::function<QString(const QString &)> s_databaseNamer;

} // namespace

void AuditLog::setWorkspace(const QString &workspaceFile)
{
    const QString absolute =
        workspaceFile.isEmpty() ? QString() : QFileInfo(workspaceFile).absoluteFilePath();
    const QMutexLocker locker(&s_workspaceMutex);
    s_workspace = absolute;
}

void AuditLog::setDatabases(const QHash<QString, QString> &byEnvironment)
{
    const QMutexLocker locker(&s_workspaceMutex);
    s_databases = byEnvironment;
}

void AuditLog::setWorkspace(const Workspace &workspace)
{
    QHash<QString, QString> databases;
    for (const EnvironmentConfig &env : workspace.environments) {
        if (const auto params = ConnectionParams::fromUrl(env.database.url))
            databases.insert(env.name, params->displayTarget());
    }
    setWorkspace(workspace.filePath);
    setDatabases(databases);
}

void AuditLog::setDatabaseNamer(std::function<QString(const QString &environment)> namer)
{
    const QMutexLocker locker(&s_workspaceMutex);
    s_databaseNamer = std::move(namer);
}

QString AuditLog::workspace()
{
    const QMutexLocker locker(&s_workspaceMutex);
    return s_workspace;
}

QString AuditLog::begin(const QString &environment, const QString &action, const QString &target,
                        const QString &detail) const
{
    AuditEntry entry;
    entry.environment = environment;
    entry.action = action;
    entry.target = target;
    entry.outcome = AuditOutcome::Started;
    entry.detail = detail;
    entry.operation = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (auto written = append(entry); !written)
        qWarning("could not write the audit log: %s", qPrintable(written.error().message));
    return entry.operation;
}

Result<void> AuditLog::append(AuditEntry entry, const QList<SecretValue> &knownSecrets) const
{
    if (!entry.time.isValid())
        entry.time = QDateTime::currentDateTimeUtc();
    if (entry.user.isEmpty())
        entry.user = currentUser();
    if (entry.workspace.isEmpty())
        entry.workspace = workspace();
    if (entry.database.isEmpty() && !entry.environment.isEmpty()) {
        std::function<QString(const QString &)> namer;
        {
            const QMutexLocker locker(&s_workspaceMutex);
            namer = s_databaseNamer;
            entry.database = s_databases.value(entry.environment);
        }
        // Outside the lock: naming may read a file (the branch selection).
        if (namer) {
            if (const QString named = namer(entry.environment); !named.isEmpty())
                entry.database = named;
        }
    }
    for (QString *field : {&entry.user, &entry.environment, &entry.action, &entry.target,
                           &entry.database, &entry.detail})
        *field = maskSecrets(*field, knownSecrets);

    const QString folder = QFileInfo(m_path).absolutePath();
    if (!paths::makePrivateFolder(folder))
        return Error(ErrorCode::Runtime, ErrorKind::AuditFolderNotCreated,
                     {ErrorArg::text(QStringLiteral("folder"), folder)});

    QByteArray line = QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact);
    line.append('\n');

    const Descriptor fd(::open(QFile::encodeName(m_path).constData(),
                               O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot open the audit log %1: %2").arg(m_path, systemError(errno)));
    // O_APPEND makes each write land at the end atomically for regular files; the lock
    // additionally keeps readers from seeing half a line and protects filesystems (NFS)
    // where O_APPEND is not atomic.
    while (::flock(fd.get(), LOCK_EX) != 0) {
        if (errno != EINTR)
            return Error(
                ErrorCode::Runtime,
                QStringLiteral("cannot lock the audit log %1: %2").arg(m_path, systemError(errno)));
    }
    qsizetype written = 0;
    while (written < line.size()) {
        const ssize_t n =
            ::write(fd.get(), line.constData() + written, size_t(line.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const QString why = systemError(errno);
            return Error(ErrorCode::Runtime, ErrorKind::AuditNotWritten,
                         {ErrorArg::text(QStringLiteral("file"), m_path),
                          ErrorArg::text(QStringLiteral("detail"), why)});
        }
        written += n;
    }
    return {};
}

Result<QList<AuditEntry>> AuditLog::read(const AuditFilter &filter) const
{
    QList<AuditEntry> entries;
    QFile file(m_path);
    if (!file.exists())
        return entries;
    if (!file.open(QIODevice::ReadOnly))
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot read the audit log %1: %2").arg(m_path, file.errorString()));
    // A shared lock: a writer's line is either wholly there or not at all.
    ::flock(file.handle(), LOCK_SH);
    const QByteArray all = file.readAll();
    ::flock(file.handle(), LOCK_UN);

    for (const QByteArray &line : all.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            continue;
        std::optional<AuditEntry> entry = AuditEntry::fromJson(doc.object());
        if (!entry)
            continue;
        if (!filter.environment.isEmpty() && entry->environment != filter.environment)
            continue;
        if (!filter.action.isEmpty() && entry->action != filter.action)
            continue;
        if (!filter.workspace.isEmpty() &&
            entry->workspace != QFileInfo(filter.workspace).absoluteFilePath())
            continue;
        entries.append(std::move(*entry));
    }
    // A "started" entry that no later entry of the same operation ends.
    QSet<QString> ended;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->operation.isEmpty())
            continue;
        if (it->outcome != AuditOutcome::Started)
            ended.insert(it->operation);
        else
            it->unfinished = !ended.contains(it->operation);
    }
    if (filter.limit > 0 && entries.size() > filter.limit)
        entries.remove(0, entries.size() - filter.limit);
    return entries;
}

} // namespace pd
