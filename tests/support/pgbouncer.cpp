#include "pgbouncer.h"

#include "pgcluster.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <pwd.h>
#include <unistd.h>

namespace pd::test {

namespace {

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(contents) == contents.size();
}

} // namespace

PgBouncer::PgBouncer(const PgCluster &backend)
    : m_backendPort(backend.port())
{
}

PgBouncer::~PgBouncer()
{
    stop();
}

Result<void> PgBouncer::start()
{
    const QString binary = QStandardPaths::findExecutable(
        QStringLiteral("pgbouncer"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    if (binary.isEmpty())
        return Error(ErrorCode::NotFound,
                     QStringLiteral("pgbouncer is not installed (scripts/setup installs it)"));
    m_dir = std::make_unique<QTemporaryDir>(PgCluster::baseDir() +
                                            QStringLiteral("/paritydeck-pgbouncer-XXXXXX"));
    if (!m_dir->isValid())
        return Error(ErrorCode::Runtime, QStringLiteral("cannot create a folder for pgbouncer: ") +
                                             m_dir->errorString());
    QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                             QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                             QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                             QFileDevice::ExeOther);
    m_port = freePort();
    const QString dir = m_dir->path();
    const QByteArray ini = QStringLiteral("[databases]\n"
                                          "* = host=127.0.0.1 port=%1\n"
                                          "[pgbouncer]\n"
                                          "listen_addr = 127.0.0.1\n"
                                          "listen_port = %2\n"
                                          "unix_socket_dir =\n"
                                          "auth_type = trust\n"
                                          "auth_file = %3/userlist.txt\n"
                                          "pool_mode = session\n"
                                          "logfile = %3/pgbouncer.log\n"
                                          "ignore_startup_parameters = extra_float_digits\n")
                               .arg(m_backendPort)
                               .arg(m_port)
                               .arg(dir)
                               .toUtf8();
    if (!writeFile(dir + QStringLiteral("/pgbouncer.ini"), ini) ||
        !writeFile(dir + QStringLiteral("/userlist.txt"), "\"postgres\" \"\"\n"))
        return Error(ErrorCode::Runtime,
                     QStringLiteral("cannot write pgbouncer's configuration in ") + dir);

    QStringList command{binary, dir + QStringLiteral("/pgbouncer.ini")};
    if (geteuid() == 0) {
        // PgBouncer refuses to run as root; the files must then belong to postgres.
        if (const passwd *pw = getpwnam("postgres")) {
            for (const QString &f : QStringList{dir, dir + QStringLiteral("/pgbouncer.ini"),
                                                dir + QStringLiteral("/userlist.txt")})
                ::chown(QFile::encodeName(f).constData(), pw->pw_uid, pw->pw_gid);
        }
        command = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"),
                              QStringLiteral("postgres"), QStringLiteral("--")} +
                  command;
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(command.takeFirst(), command);
    if (!m_process.waitForStarted(10000))
        return Error(ErrorCode::Runtime,
                     QStringLiteral("pgbouncer did not start: ") + m_process.errorString());

    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running)
            return Error(ErrorCode::Runtime, QStringLiteral("pgbouncer exited: ") + log());
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(m_port));
        if (probe.waitForConnected(200))
            return {};
        QThread::msleep(50);
    }
    return Error(ErrorCode::Timeout,
                 QStringLiteral("pgbouncer did not listen on port %1 within 15 s: %2")
                     .arg(m_port)
                     .arg(log()));
}

void PgBouncer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString PgBouncer::url(const QString &db, const QString &user) const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(user).arg(m_port).arg(db);
}

QString PgBouncer::log() const
{
    if (!m_dir)
        return {};
    QFile file(m_dir->path() + QStringLiteral("/pgbouncer.log"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace pd::test
