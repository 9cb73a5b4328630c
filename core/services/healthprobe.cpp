#include "healthprobe.h"

#include "common/errors.h"
#include "db/connection.h"
#include "db/connectionfactory.h"
#include "services/shellcommand.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpSocket>
#include <QUrl>

namespace pd {

namespace {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// Where a probe knocked, as the parameters "where" and "port" of a probe's error.
QList<ErrorArg> addressArgs(const QString &host, quint16 port)
{
    const QString where = QStringLiteral("where");
    const ErrorArg portArg = ErrorArg::number(QStringLiteral("port"), port);
    // On the user's own machine the port is what they recognise ("port 6432 refused").
    if (isLoopbackHost(host))
        return {ErrorArg::phraseOf(where, QT_TRANSLATE_NOOP("pd::ErrorMessage", "port {port}")),
                portArg};
    return {ErrorArg::text(where, QStringLiteral("%1:%2").arg(host).arg(port)), portArg};
}

ErrorArg seconds(int ms)
{
    return ErrorArg::number(QStringLiteral("seconds"), (ms + 999) / 1000);
}

ErrorArg pathArg(const QString &path)
{
    return ErrorArg::text(QStringLiteral("path"), path);
}

Error noAnswerWithin(const QString &host, quint16 port, int timeoutMs)
{
    return Error(ErrorCode::Timeout, ErrorKind::ProbeNoAnswerWithin,
                 addressArgs(host, port) << seconds(timeoutMs));
}

// Connects with a deadline. Blocking QTcpSocket calls need no event loop on this thread.
Result<void> connectSocket(QTcpSocket &socket, const QString &host, quint16 port,
                           const QDeadlineTimer &deadline)
{
    socket.connectToHost(host, port);
    if (socket.waitForConnected(int(std::max<qint64>(1, deadline.remainingTime()))))
        return {};
    const QList<ErrorArg> where = addressArgs(host, port);
    switch (socket.error()) {
    case QAbstractSocket::ConnectionRefusedError:
        return Error(ErrorCode::Refused, ErrorKind::ProbeRefused, where);
    case QAbstractSocket::HostNotFoundError:
        return Error(ErrorCode::NotFound, ErrorKind::ProbeHostNotFound,
                     {ErrorArg::text(QStringLiteral("host"), host)});
    case QAbstractSocket::SocketTimeoutError:
        return Error(ErrorCode::Timeout, ErrorKind::ProbeNoAnswer, where);
    default:
        if (deadline.hasExpired())
            return Error(ErrorCode::Timeout, ErrorKind::ProbeNoAnswer, where);
        return Error(ErrorCode::Refused, ErrorKind::ProbeFailed,
                     QList<ErrorArg>(where)
                         << ErrorArg::text(QStringLiteral("detail"), socket.errorString()));
    }
}

Result<void> checkTcp(const HealthProbeConfig &probe, int timeoutMs)
{
    QString host;
    quint16 port = 0;
    if (!splitHostPort(probe.target, &host, &port))
        return Error(ErrorCode::Config, ErrorKind::TcpTargetNotHostPort,
                     {ErrorArg::text(QStringLiteral("target"), probe.target)});
    QTcpSocket socket;
    auto connected = connectSocket(socket, host, port, QDeadlineTimer(timeoutMs));
    if (!connected && connected.error().code == ErrorCode::Timeout)
        return noAnswerWithin(host, port, timeoutMs);
    socket.abort();
    return connected;
}

Result<void> checkHttp(const HealthProbeConfig &probe, int timeoutMs)
{
    const QUrl url(probe.target);
    if (url.scheme() != u"http")
        return Error(
            ErrorCode::Config,
            QStringLiteral("http probe %1: only plain http:// is probed; use a tcp probe for "
                           "TLS endpoints")
                .arg(probe.target));
    const QString host = url.host();
    // A health URL is a local service's endpoint; probing remote hosts from a desktop panel
    // would be a scanner, and proxies or captive portals answer 200 for anything.
    if (!isLoopbackHost(host))
        return Error(
            ErrorCode::Config,
            QStringLiteral("http probe %1: only loopback hosts (127.0.0.1, ::1, localhost) "
                           "are probed")
                .arg(probe.target));
    const quint16 port = quint16(url.port(80));
    const QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    if (auto connected = connectSocket(socket, host, port, deadline); !connected) {
        if (connected.error().code == ErrorCode::Timeout)
            return noAnswerWithin(host, port, timeoutMs);
        return connected;
    }
    QString path = url.path(QUrl::FullyEncoded);
    if (path.isEmpty())
        path = QStringLiteral("/");
    if (url.hasQuery())
        path += u'?' + url.query(QUrl::FullyEncoded);
    const QByteArray request = "GET " + path.toLatin1() +
                               " HTTP/1.0\r\nHost: " + url.authority().toLatin1() +
                               "\r\nUser-Agent: ParityDeck\r\nConnection: close\r\n\r\n";
    socket.write(request);
    QByteArray response;
    while (!response.contains('\n')) {
        if (deadline.hasExpired() ||
            !socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())))) {
            if (socket.state() != QAbstractSocket::ConnectedState && response.isEmpty() &&
                !deadline.hasExpired())
                return Error(ErrorCode::Refused, ErrorKind::HttpClosedWithoutAnswer,
                             {pathArg(path)});
            if (socket.state() != QAbstractSocket::ConnectedState && !deadline.hasExpired())
                break;
            return Error(ErrorCode::Timeout, ErrorKind::HttpNoAnswerWithin,
                         {pathArg(path), seconds(timeoutMs)});
        }
        response += socket.readAll();
        if (response.size() > 8192)
            break;
    }
    socket.abort();
    // "HTTP/1.1 200 OK"
    const QList<QByteArray> statusLine = response.left(response.indexOf('\n')).trimmed().split(' ');
    bool numeric = false;
    const int code = statusLine.size() >= 2 ? statusLine.at(1).toInt(&numeric) : 0;
    if (!numeric || !statusLine.at(0).startsWith("HTTP/"))
        return Error(ErrorCode::Runtime, ErrorKind::HttpNotHttp, {pathArg(path)});
    if (code >= 200 && code < 400)
        return {};
    return Error(ErrorCode::Runtime, ErrorKind::HttpStatus,
                 {pathArg(path), ErrorArg::number(QStringLiteral("status"), code)});
}

Result<void> checkPostgres(const HealthContext &context, int timeoutMs)
{
    auto params = ConnectionParams::fromUrl(context.database.url);
    if (!params)
        return params.error();
    if (context.databasePassword && !context.databasePassword->ok())
        return Error(
            context.databasePassword->error().code, ErrorKind::PasswordUnreadable,
            {ErrorArg::text(QStringLiteral("detail"), context.databasePassword->error().message)});
    const int seconds = std::max(1, (timeoutMs + 999) / 1000);
    const ConnectionParams probe = connectionParamsFor(
        std::move(params).value(), ConnectionTimeouts{seconds, seconds},
        ConnectionPurpose::StatusProbe,
        context.databasePassword ? context.databasePassword->value() : SecretValue());
    auto connection = Connection::open(probe);
    if (!connection)
        return connection.error();
    auto one = connection->scalar(QStringLiteral("SELECT 1"));
    if (!one)
        return one.error();
    return {};
}

Result<void> checkCommand(const HealthProbeConfig &probe, const HealthContext &context,
                          int timeoutMs)
{
    ShellCommand command;
    command.command = probe.target;
    command.workingDirectory = context.workingDirectory;
    command.environment = context.environment;
    command.timeoutMs = timeoutMs;
    auto output = runShellCommand(command, QStringLiteral("health command"));
    if (!output)
        return output.error();
    if (output->crashed)
        return Error(ErrorCode::Runtime, ErrorKind::HealthCommandKilled, {});
    if (output->exitCode != 0) {
        const QString line = output->lastLine();
        return Error(ErrorCode::Runtime, ErrorKind::HealthCommandExited,
                     QList<ErrorArg>{ErrorArg::number(QStringLiteral("exitCode"), output->exitCode)}
                         << errors::outputTail(QStringLiteral("output"), line));
    }
    return {};
}

} // namespace

bool splitHostPort(const QString &target, QString *host, quint16 *port)
{
    const qsizetype colon = target.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString h = target.left(colon);
    if (h.startsWith(u'[') && h.endsWith(u']'))
        h = h.mid(1, h.size() - 2);
    bool ok = false;
    const uint p = target.mid(colon + 1).toUInt(&ok);
    if (!ok || p == 0 || p > 65535 || h.isEmpty())
        return false;
    *host = h;
    *port = quint16(p);
    return true;
}

Result<void> checkHealth(const HealthProbeConfig &probe, const HealthContext &context)
{
    const int timeoutMs = std::max(1, probe.timeoutSeconds) * 1000;
    switch (probe.kind) {
    case HealthProbeConfig::Kind::None:
        return {};
    case HealthProbeConfig::Kind::Tcp:
        return checkTcp(probe, timeoutMs);
    case HealthProbeConfig::Kind::Http:
        return checkHttp(probe, timeoutMs);
    case HealthProbeConfig::Kind::Postgres:
        return checkPostgres(context, timeoutMs);
    case HealthProbeConfig::Kind::Command:
        return checkCommand(probe, context, timeoutMs);
    }
    return {};
}

} // namespace pd
