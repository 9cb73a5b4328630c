// Everything needed to open a libpq connection. Built from a workspace URL plus a
// resolved password. The password is handed to libpq as the "password" keyword of
// PQconnectdbParams: it never appears in a conninfo string, a URL, argv or a message.
#pragma once

#include "common/result.h"
#include "secrets/secretvalue.h"

#include <QMap>
#include <QString>

namespace pd {

struct ConnectionParams
{
    QString host =
        QStringLiteral("127.0.0.1"); // host name, IP, or a Unix socket directory (starts with '/')
    int port = 5432;
    QString dbname;
    QString user;
    SecretValue password;
    QMap<QString, QString> options; // extra libpq keywords from the URL query (sslmode, …)
    int connectTimeoutSeconds = 5;
    int statementTimeoutSeconds = 30;
    QString applicationName = QStringLiteral("paritydeck");
    // Send the statement timeout in the startup packet ("options=-c statement_timeout=…")
    // rather than with a SET after connecting, saving a round trip. Connection::open()
    // falls back to the SET for a server (a pooler such as PgBouncer) that refuses the
    // "options" parameter, and remembers that server.
    bool statementTimeoutAtStartup = false;
    // options["sslmode"] = "disable" was set by connectionParamsFor() because the server
    // said no to TLS moments ago (sslattempt in connectionfactory.h), not by the user:
    // Connection::open() connects again in libpq's default way if the server refuses it.
    bool sslRequestSkipped = false;

    // Parses postgresql:// or postgres:// URLs. A password inside the URL is rejected:
    // it belongs in a secret reference. On failure `*errorOffset`, when given, is the
    // offset in `url` of what is wrong (the workspace loader turns it into a column).
    static Result<ConnectionParams> fromUrl(const QString &url, qsizetype *errorOffset = nullptr);
    // "user@host:port/dbname" — safe for logs and messages.
    QString displayTarget() const;
    // "host:port" or the socket path, as used in error sentences.
    QString displayAddress() const;
    // The host is a Unix socket directory ("/…") or an abstract socket ("@…"), not TCP.
    bool overUnixSocket() const;
};

} // namespace pd
