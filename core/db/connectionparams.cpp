// Database URLs come from a checked-in workspace file, so parsing is strict: anything
// libpq would silently reinterpret (several hosts, unknown keywords, a password) is a
// config error here, where the user can still see which line caused it.
#include "connectionparams.h"

#include "common/printable.h"

#include <libpq-fe.h>

#include <QSet>

#include <algorithm>
#include <optional>

namespace pd {

namespace {

Error configError(const QString &message)
{
    return Error(ErrorCode::Config, message);
}

// Only %XX escapes are decoded, as libpq does ('+' stays '+'). A NUL byte would
// truncate the value when it reaches libpq, so it is rejected rather than passed on.
std::optional<QString> percentDecode(QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8.at(i);
        if (c != '%') {
            out.append(c);
            continue;
        }
        if (i + 2 >= utf8.size())
            return std::nullopt;
        bool ok = false;
        const int byte = utf8.mid(i + 1, 2).toInt(&ok, 16);
        if (!ok || byte == 0)
            return std::nullopt;
        out.append(char(byte));
        i += 2;
    }
    return QString::fromUtf8(out);
}

// libpq's own list of keywords, so a typo in the URL query ("sslmod=") is reported
// instead of failing later with libpq's less helpful "invalid connection option".
const QSet<QString> &libpqKeywords()
{
    static const QSet<QString> keywords = [] {
        QSet<QString> set;
        if (PQconninfoOption *options = PQconndefaults()) {
            for (PQconninfoOption *o = options; o->keyword; ++o)
                set.insert(QString::fromLatin1(o->keyword));
            PQconninfoFree(options);
        }
        return set;
    }();
    return keywords;
}

std::optional<int> parsePort(const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535 || text.startsWith(QLatin1Char('+')))
        return std::nullopt;
    return port;
}

bool isSocketHost(const QString &host)
{
    return host.startsWith(QLatin1Char('/')) || host.startsWith(QLatin1Char('@'));
}

// The error for a password in the URL names where it was found, never what it was.
Error passwordInUrlError(const QString &where)
{
    return configError(
        QStringLiteral("the database URL contains a password (%1); remove it and "
                       "give the password as a secret reference instead "
                       "(password: keychain:…, env:…, command:… or dotenv:…), or, for a "
                       "URL on the command line, in PGPASSWORD or ~/.pgpass")
            .arg(where));
}

Result<void> applyQueryParameter(ConnectionParams &params, const QString &key, const QString &value)
{
    if (key == QLatin1String("password"))
        return passwordInUrlError(QStringLiteral("the \"password\" parameter"));
    if (key == QLatin1String("host")) {
        if (value.contains(QLatin1Char(',')))
            return configError(QStringLiteral("the database URL names several hosts; ParityDeck "
                                              "connects to exactly one"));
        params.host = value;
        return {};
    }
    if (key == QLatin1String("port")) {
        const auto port = parsePort(value);
        if (!port)
            return configError(QStringLiteral("the database URL has an invalid port \"%1\"; "
                                              "expected a number from 1 to 65535")
                                   .arg(value));
        params.port = *port;
        return {};
    }
    if (key == QLatin1String("dbname")) {
        params.dbname = value;
        return {};
    }
    if (key == QLatin1String("user")) {
        params.user = value;
        return {};
    }
    if (key == QLatin1String("connect_timeout")) {
        bool ok = false;
        const int seconds = value.toInt(&ok);
        if (!ok || seconds < 1)
            return configError(QStringLiteral("the database URL has an invalid connect_timeout "
                                              "\"%1\"; expected whole seconds, at least 1")
                                   .arg(value));
        params.connectTimeoutSeconds = seconds;
        return {};
    }
    if (key == QLatin1String("application_name")) {
        params.applicationName = value;
        return {};
    }
    // JDBC-style "ssl=true", which libpq itself also accepts in URLs.
    if (key == QLatin1String("ssl")) {
        if (value != QLatin1String("true"))
            return configError(QStringLiteral("the database URL has \"ssl=%1\"; only ssl=true "
                                              "is understood (or use sslmode=…)")
                                   .arg(value));
        params.options.insert(QStringLiteral("sslmode"), QStringLiteral("require"));
        return {};
    }
    if (!libpqKeywords().contains(key))
        return configError(
            QStringLiteral("the database URL has an unknown connection parameter \"%1\"").arg(key));
    params.options.insert(key, value);
    return {};
}

// An IPv6 literal as written between brackets: hex groups, ':' and an embedded IPv4
// tail, optionally a zone ("%25eth0" once percent-encoded). Anything else would reach
// getaddrinfo and fail only when connecting.
bool isIpv6Literal(const QString &text)
{
    const qsizetype zone = text.indexOf(QLatin1Char('%'));
    const QString address = zone < 0 ? text : text.left(zone);
    if (!address.contains(QLatin1Char(':')) || (zone >= 0 && zone + 3 >= text.size()))
        return false;
    for (const QChar c : address) {
        const bool hex =
            (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex && c != u':' && c != u'.')
            return false;
    }
    return true;
}

// Splits "host", "host:port", "[v6]", "[v6]:port" (still percent-encoded). On failure
// `*errorAt` is the offset within `hostPort` to point at.
Result<void> applyHostPort(ConnectionParams &params, const QString &hostPort, qsizetype *errorAt)
{
    QString host;
    QString port;
    qsizetype portStart = 0;
    *errorAt = 0;
    if (const qsizetype comma = hostPort.indexOf(QLatin1Char(',')); comma >= 0) {
        *errorAt = comma;
        return configError(QStringLiteral("the database URL names several hosts; ParityDeck "
                                          "connects to exactly one"));
    }
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return configError(QStringLiteral("the database URL has an IPv6 address without "
                                              "its closing ']'"));
        host = hostPort.mid(1, close - 1);
        const QString rest = hostPort.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':'))) {
                *errorAt = close + 1;
                return configError(QStringLiteral("the database URL has unexpected text after "
                                                  "the IPv6 address"));
            }
            port = rest.mid(1);
            portStart = close + 2;
        }
        if (host.isEmpty())
            return configError(QStringLiteral("the database URL has an empty IPv6 address"));
        if (!isIpv6Literal(host)) {
            *errorAt = 1;
            return configError(QStringLiteral("the database URL has a malformed IPv6 address "
                                              "between [ ]; expected hex groups separated by "
                                              "':', such as [::1]"));
        }
    } else {
        if (hostPort.contains(QLatin1Char('[')) || hostPort.contains(QLatin1Char(']'))) {
            *errorAt =
                std::max(hostPort.indexOf(QLatin1Char('[')), hostPort.indexOf(QLatin1Char(']')));
            return configError(QStringLiteral("the database URL has a stray bracket in its "
                                              "host; expected an IPv6 address as [ADDRESS]"));
        }
        const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
        host = colon < 0 ? hostPort : hostPort.left(colon);
        if (colon >= 0) {
            port = hostPort.mid(colon + 1);
            portStart = colon + 1;
        }
    }

    const auto decodedHost = percentDecode(host);
    if (!decodedHost)
        return configError(QStringLiteral("the database URL has a malformed %-escape in its "
                                          "host"));
    // An empty host means libpq's default (the local Unix socket), as in psql.
    params.host = *decodedHost;
    if (!port.isEmpty()) {
        const auto number = parsePort(port);
        if (!number) {
            *errorAt = portStart;
            return configError(QStringLiteral("the database URL has an invalid port \"%1\"; "
                                              "expected a number from 1 to 65535")
                                   .arg(port));
        }
        params.port = *number;
    }
    return {};
}

QString addressOf(const QString &host, int port)
{
    if (host.isEmpty())
        return QStringLiteral("the default local socket (port %1)").arg(port);
    if (isSocketHost(host)) {
        QString dir = host;
        while (dir.size() > 1 && dir.endsWith(QLatin1Char('/')))
            dir.chop(1);
        return dir % QStringLiteral("/.s.PGSQL.") % QString::number(port);
    }
    if (host.contains(QLatin1Char(':')))
        return QLatin1Char('[') % host % QStringLiteral("]:") % QString::number(port);
    return host % QLatin1Char(':') % QString::number(port);
}

} // namespace

Result<ConnectionParams> ConnectionParams::fromUrl(const QString &url, qsizetype *errorOffset)
{
    qsizetype leading = 0;
    while (leading < url.size() && url.at(leading).isSpace())
        ++leading;
    // Every failure below sets `errorAt` (an offset in `text`) before it returns.
    qsizetype errorAt = 0;
    struct Report
    {
        qsizetype *out;
        const qsizetype &at;
        qsizetype leading;
        ~Report()
        {
            if (out)
                *out = leading + at;
        }
    } report{errorOffset, errorAt, leading};
    const QString text = url.trimmed();
    const qsizetype schemeEnd = text.indexOf(QStringLiteral("://"));
    if (schemeEnd < 0)
        return configError(QStringLiteral("the database URL is not a postgresql:// URL"));
    const QString scheme = text.left(schemeEnd).toLower();
    if (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres")) {
        // The scheme alone is safe to echo; the rest may hold credentials.
        return configError(QStringLiteral("the database URL has the scheme \"%1\"; expected "
                                          "postgresql:// or postgres://")
                               .arg(scheme.left(40)));
    }
    QString rest = text.mid(schemeEnd + 3);
    const qsizetype authorityStart = schemeEnd + 3;
    errorAt = authorityStart;
    if (rest.contains(QLatin1Char('#'))) {
        errorAt = text.indexOf(QLatin1Char('#'));
        return configError(QStringLiteral("the database URL contains a '#' fragment, which "
                                          "libpq does not understand; percent-encode it as %23"));
    }

    const qsizetype authorityEnd = [&rest] {
        for (qsizetype i = 0; i < rest.size(); ++i) {
            if (rest.at(i) == QLatin1Char('/') || rest.at(i) == QLatin1Char('?'))
                return i;
        }
        return rest.size();
    }();
    const QString authority = rest.left(authorityEnd);
    rest = rest.mid(authorityEnd);

    ConnectionParams params;
    params.host.clear();

    // user[:password]@host:port — the last '@' ends the user info, as in libpq.
    QString hostPort = authority;
    const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        const QString userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        if (userInfo.contains(QLatin1Char(':')))
            return passwordInUrlError(QStringLiteral("after the user name"));
        const auto user = percentDecode(userInfo);
        if (!user)
            return configError(QStringLiteral("the database URL has a malformed %-escape in its "
                                              "user name"));
        params.user = *user;
    }
    const qsizetype hostStart = authorityStart + (at < 0 ? 0 : at + 1);
    qsizetype hostErrorAt = 0;
    if (Result<void> r = applyHostPort(params, hostPort, &hostErrorAt); !r) {
        errorAt = hostStart + hostErrorAt;
        return r.error();
    }

    QString path;
    QString query;
    const qsizetype question = rest.indexOf(QLatin1Char('?'));
    path = question < 0 ? rest : rest.left(question);
    if (question >= 0)
        query = rest.mid(question + 1);

    errorAt = authorityStart + authorityEnd;
    if (path.startsWith(QLatin1Char('/'))) {
        path.remove(0, 1);
        ++errorAt;
    }
    if (!path.isEmpty()) {
        const auto dbname = percentDecode(path);
        if (!dbname)
            return configError(QStringLiteral("the database URL has a malformed %-escape in its "
                                              "database name"));
        params.dbname = *dbname;
    }

    const QStringList pairs = query.split(QLatin1Char('&'));
    qsizetype pairStart = authorityStart + authorityEnd + question + 1;
    // A parameter given twice ("sslmode=verify-full&sslmode=disable", or ssl=true beside an
    // sslmode) would be settled silently by whichever comes last: what a reader of the URL
    // believes and what libpq does could differ, for TLS of all things.
    QStringList given;
    for (const QString &pair : pairs) {
        errorAt = pairStart;
        pairStart += pair.size() + 1;
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return configError(QStringLiteral("the database URL has a query parameter without "
                                              "a name=value form"));
        const auto key = percentDecode(QStringView(pair).left(eq));
        const auto value = percentDecode(QStringView(pair).mid(eq + 1));
        if (!key || !value)
            return configError(QStringLiteral("the database URL has a malformed %-escape in its "
                                              "parameters"));
        const QString setting = *key == QLatin1String("ssl") ? QStringLiteral("sslmode") : *key;
        if (given.contains(setting))
            return configError(
                QStringLiteral("the database URL gives \"%1\" more than once%2; "
                               "give it once")
                    .arg(oneLine(setting), setting == QLatin1String("sslmode")
                                               ? QStringLiteral(" (ssl=true is sslmode=require)")
                                               : QString()));
        given.append(setting);
        if (Result<void> r = applyQueryParameter(params, *key, *value); !r)
            return r.error();
    }
    return params;
}

bool ConnectionParams::overUnixSocket() const
{
    return isSocketHost(host);
}

QString ConnectionParams::displayAddress() const
{
    return addressOf(host, port);
}

QString ConnectionParams::displayTarget() const
{
    QString target;
    if (!user.isEmpty())
        target = user % QLatin1Char('@');
    target += displayAddress();
    if (!dbname.isEmpty())
        target += QLatin1Char('/') % dbname;
    return target;
}

} // namespace pd
