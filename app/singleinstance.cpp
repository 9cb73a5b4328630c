#include "singleinstance.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QStandardPaths>

#include <cstdio>

#include <unistd.h>

namespace pd::app {

namespace {

const QByteArray kRaise = "raise\n";
const QByteArray kRaised = "raised\n";
// The secondary launch has no window yet; these bound how long it can sit there.
constexpr int kConnectMs = 1000;
constexpr int kReplyMs = 3000;

bool traced()
{
    return qEnvironmentVariableIntValue("PARITYDECK_INSTANCE_TRACE") == 1;
}

void trace(const QString &line)
{
    qInfo("%s", qPrintable(line));
    if (traced())
        std::fprintf(stderr, "paritydeck: %s\n", line.toLocal8Bit().constData());
}

} // namespace

SingleInstance::SingleInstance(QObject *parent)
    : QObject(parent)
{
}

SingleInstance::~SingleInstance()
{
    if (m_server)
        m_server->close(); // removes the socket file
}

QString SingleInstance::socketPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty()) // no usable runtime dir: still one socket per user
        dir = QDir::tempPath() + QStringLiteral("/paritydeck-") + QString::number(::getuid());
    return dir + QStringLiteral("/paritydeck-panel.sock");
}

SingleInstance::Role SingleInstance::claim()
{
    const QString path = socketPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    // Serialises check-and-listen with another launch in the same instant.
    QLockFile lock(path + QStringLiteral(".lock"));
    lock.setStaleLockTime(5000);
    if (!lock.tryLock(kConnectMs + kReplyMs))
        trace(QStringLiteral("%1.lock is held too long; opening a panel anyway").arg(path));

    QLocalSocket socket;
    socket.connectToServer(path);
    if (socket.waitForConnected(kConnectMs)) {
        socket.write(kRaise);
        socket.waitForBytesWritten(kConnectMs);
        // The answer only tells us the panel read the request; without it the request
        // was still delivered, and a busy panel handles it when it gets to it.
        QByteArray reply;
        while (!reply.contains('\n') && socket.waitForReadyRead(kReplyMs))
            reply += socket.readAll();
        std::fprintf(stderr, "paritydeck: the control panel is already open; %s\n",
                     reply == kRaised ? "raised its window"
                                      : "asked it to raise its window (no answer yet)");
        return Role::RaisedOther;
    }
    // No socket, or a stale one left by a panel that crashed: take its place. Anything
    // else (a panel too busy to accept) must not lose its socket to us.
    if (socket.error() != QLocalSocket::ConnectionRefusedError &&
        socket.error() != QLocalSocket::ServerNotFoundError) {
        trace(QStringLiteral("the panel at %1 does not answer (%2); opening another one")
                  .arg(path, socket.errorString()));
        return Role::Primary;
    }
    QLocalServer::removeServer(path);

    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(path)) {
        trace(QStringLiteral("cannot listen on %1 (%2); a later launch opens a second panel")
                  .arg(path, m_server->errorString()));
        delete m_server;
        m_server = nullptr;
        return Role::Primary;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    trace(QStringLiteral("panel listening on %1").arg(path));
    return Role::Primary;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *client = m_server->nextPendingConnection()) {
        connect(client, &QLocalSocket::disconnected, client, &QObject::deleteLater);
        // Read without waiting: the request arrives with or soon after the connection.
        const auto handle = [this, client] {
            if (!client->canReadLine()) {
                if (client->bytesAvailable() > 64)
                    client->abort(); // not one of ours
                return;
            }
            const QByteArray line = client->readLine();
            if (line == kRaise) {
                trace(QStringLiteral("raise requested by another launch"));
                Q_EMIT raiseRequested();
                client->write(kRaised);
            }
            client->disconnectFromServer();
        };
        connect(client, &QLocalSocket::readyRead, this, handle);
        if (client->bytesAvailable() > 0)
            handle();
    }
}

} // namespace pd::app
