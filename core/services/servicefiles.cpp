#include "servicefiles.h"

#include "common/paths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pd {

namespace process {

std::optional<StatFields> stat(qint64 pid)
{
    if (pid <= 0)
        return std::nullopt;
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = file.readAll();
    // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> f = text.mid(close + 1).simplified().split(' ');
    // f[0] is field 3 (state); field N is f[N - 3].
    if (f.size() < 20)
        return std::nullopt;
    StatFields s;
    s.state = f.at(0).isEmpty() ? '?' : f.at(0).at(0);
    s.parentPid = f.at(1).toLongLong();
    s.processGroup = f.at(2).toLongLong();
    s.session = f.at(3).toLongLong();
    s.startTicks = f.at(19).toULongLong();
    return s;
}

std::optional<quint64> startTicks(qint64 pid)
{
    const auto s = stat(pid);
    if (!s)
        return std::nullopt;
    return s->startTicks;
}

bool isAlive(const ProcessIdentity &identity)
{
    const auto s = stat(identity.pid);
    // A zombie has exited; it only waits for a parent (not us) to reap it.
    return s && s->startTicks == identity.startTicks && s->state != 'Z' && s->state != 'X';
}

} // namespace process

ServiceFiles::ServiceFiles(const Workspace &workspace, const QString &environment,
                           const QString &service)
    : m_folder(environmentDir(workspace, environment))
    , m_service(service)
{
}

QString ServiceFiles::projectHash(const Workspace &workspace)
{
    const QString key = workspace.filePath.isEmpty() ? workspace.rootDir : workspace.filePath;
    const QByteArray hash =
        QCryptographicHash::hash(QDir::cleanPath(key).toUtf8(), QCryptographicHash::Sha256).toHex();
    // The project name keeps the folder recognisable for a person looking at it.
    QString name = workspace.project;
    name.replace(u'/', u'_');
    return (name.isEmpty() ? QString() : name + u'-') + QString::fromLatin1(hash.left(12));
}

QString ServiceFiles::environmentDir(const Workspace &workspace, const QString &environment)
{
    return paths::stateDir() + QStringLiteral("/services/") + projectHash(workspace) + u'/' +
           environment;
}

QString ServiceFiles::pidFile() const
{
    return m_folder + u'/' + m_service + QStringLiteral(".pid");
}
QString ServiceFiles::stateFile() const
{
    return m_folder + u'/' + m_service + QStringLiteral(".json");
}
QString ServiceFiles::logFile() const
{
    return m_folder + u'/' + m_service + QStringLiteral(".log");
}
QString ServiceFiles::rotatedLogFile() const
{
    return logFile() + QStringLiteral(".1");
}

Result<void> ServiceFiles::ensureFolder() const
{
    // Logs may hold whatever a service prints; keep them, and the folders above them
    // (services/, the project's folder), to the user.
    if (!paths::makePrivateFolder(m_folder))
        return Error(ErrorCode::Runtime, ErrorKind::ServiceFolderNotCreated,
                     {ErrorArg::text(QStringLiteral("folder"), m_folder)});
    return {};
}

std::optional<ProcessIdentity> ServiceFiles::readPid() const
{
    QFile file(pidFile());
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QList<QByteArray> parts = file.readAll().simplified().split(' ');
    if (parts.size() < 2)
        return std::nullopt;
    ProcessIdentity id;
    bool pidOk = false, ticksOk = false;
    id.pid = parts.at(0).toLongLong(&pidOk);
    id.startTicks = parts.at(1).toULongLong(&ticksOk);
    if (!pidOk || !ticksOk || id.pid <= 0)
        return std::nullopt;
    if (parts.size() >= 3)
        id.startedAt = QDateTime::fromMSecsSinceEpoch(parts.at(2).toLongLong(), Qt::UTC);
    return id;
}

Result<void> ServiceFiles::writePid(const ProcessIdentity &identity) const
{
    if (auto made = ensureFolder(); !made)
        return made;
    QSaveFile file(pidFile());
    if (!file.open(QIODevice::WriteOnly))
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot write the pidfile %1: %2").arg(pidFile(), file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const qint64 startedMs = identity.startedAt.isValid() ? identity.startedAt.toMSecsSinceEpoch()
                                                          : QDateTime::currentMSecsSinceEpoch();
    file.write(QByteArray::number(identity.pid) + ' ' + QByteArray::number(identity.startTicks) +
               ' ' + QByteArray::number(startedMs) + '\n');
    if (!file.commit())
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot write the pidfile %1: %2").arg(pidFile(), file.errorString()));
    return {};
}

void ServiceFiles::removePid() const
{
    QFile::remove(pidFile());
}

ServiceFiles::Record ServiceFiles::readRecord() const
{
    Record record;
    QFile file(stateFile());
    if (!file.open(QIODevice::ReadOnly))
        return record;
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    record.startedAt =
        QDateTime::fromString(o.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    record.stoppedAt =
        QDateTime::fromString(o.value(QStringLiteral("stopped_at")).toString(), Qt::ISODateWithMs);
    record.lastError = o.value(QStringLiteral("last_error")).toString();
    return record;
}

void ServiceFiles::writeRecord(const Record &record) const
{
    if (!ensureFolder())
        return;
    QJsonObject o;
    if (record.startedAt.isValid())
        o.insert(QStringLiteral("started_at"),
                 record.startedAt.toUTC().toString(Qt::ISODateWithMs));
    if (record.stoppedAt.isValid())
        o.insert(QStringLiteral("stopped_at"),
                 record.stoppedAt.toUTC().toString(Qt::ISODateWithMs));
    if (!record.lastError.isEmpty())
        o.insert(QStringLiteral("last_error"), record.lastError);
    QSaveFile file(stateFile());
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
    file.commit();
}

QString ServiceFiles::seenHealthyStart() const
{
    QFile file(m_folder + u'/' + m_service + QStringLiteral(".healthy"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.read(64)).trimmed();
}

void ServiceFiles::markSeenHealthy(const QString &startId) const
{
    if (startId.isEmpty() || seenHealthyStart() == startId || !ensureFolder())
        return;
    QSaveFile file(m_folder + u'/' + m_service + QStringLiteral(".healthy"));
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(startId.toUtf8());
    file.commit();
}

void ServiceFiles::capLog(qint64 capBytes) const
{
    const QString path = logFile();
    if (QFileInfo(path).size() <= capBytes)
        return;
    // copy + truncate (logrotate's copytruncate): the child's descriptor stays valid, and
    // with O_APPEND its next write lands at the new end instead of leaving a sparse hole.
    QFile::remove(rotatedLogFile());
    QFile::copy(path, rotatedLogFile());
    ::chmod(QFile::encodeName(rotatedLogFile()).constData(), 0600);
    ::truncate(QFile::encodeName(path).constData(), 0);
}

void ServiceFiles::appendLog(const QByteArray &text) const
{
    if (!ensureFolder())
        return;
    const int fd = ::open(QFile::encodeName(logFile()).constData(),
                          O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    qsizetype written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.constData() + written, size_t(text.size() - written));
        if (n <= 0)
            break;
        written += n;
    }
    ::close(fd);
}

Result<QStringList> ServiceFiles::tailLog(int lines) const
{
    QByteArray text;
    bool any = false;
    for (const QString &path : {rotatedLogFile(), logFile()}) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        any = true;
        // The log is capped, so reading it whole is bounded (2 × the cap at most).
        text += file.readAll();
    }
    if (!any)
        return Error(ErrorCode::NotFound, ErrorKind::ServiceHasNoLog,
                     {ErrorArg::text(QStringLiteral("service"), m_service),
                      ErrorArg::text(QStringLiteral("file"), logFile())});
    QStringList all = QString::fromUtf8(text).split(u'\n');
    if (!all.isEmpty() && all.last().isEmpty())
        all.removeLast();
    if (lines > 0 && all.size() > lines)
        all = all.mid(all.size() - lines);
    return all;
}

QString ServiceFiles::lastLogLine() const
{
    auto tail = tailLog(20);
    if (!tail)
        return {};
    for (auto it = tail->crbegin(); it != tail->crend(); ++it) {
        const QString line = it->trimmed();
        if (!line.isEmpty())
            return line;
    }
    return {};
}

} // namespace pd
