#include "pgerror.h"

#include "common/printable.h"

#include <libpq-fe.h>

#include <QRegularExpression>
#include <QStringList>

namespace pd::pgerror {

namespace {

bool containsAny(const QString &haystack, std::initializer_list<QLatin1String> needles)
{
    for (const QLatin1String &needle : needles) {
        if (haystack.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// The server names the role it checked ("for user \"app\""); that is more accurate than
// params.user when the URL left the user to libpq's default (the OS user name).
QString userFrom(const ConnectionParams &params, const QString &message)
{
    static const QRegularExpression re(QStringLiteral("for user \"([^\"]*)\""));
    const QRegularExpressionMatch m = re.match(message);
    if (m.hasMatch())
        return m.captured(1);
    return params.user.isEmpty() ? QStringLiteral("(default user)") : params.user;
}

QString quotedName(const QString &message, QLatin1String what)
{
    const QRegularExpression re(what % QStringLiteral(" \"([^\"]*)\" does not exist"));
    const QRegularExpressionMatch m = re.match(message);
    return m.hasMatch() ? m.captured(1) : QString();
}

QString fromField(const pg_result *result, int field)
{
    const char *text = PQresultErrorField(result, field);
    return text ? QString::fromUtf8(text).trimmed() : QString();
}

} // namespace

QString redact(QString text, const SecretValue &password)
{
    if (!password.isEmpty())
        text.replace(password.revealString(), SecretValue::masked());
    return text;
}

QString detailLine(const QString &libpqMessage, const SecretValue &password)
{
    // "connection to server at \"h\" (1.2.3.4), port 5432 failed: " and the socket form.
    static const QRegularExpression prefix(
        QStringLiteral("^connection to server (?:at|on socket) \"[^\"]*\"(?: \\([^)]*\\))?"
                       "(?:, port \\d+)? failed: "));
    static const QRegularExpression severity(QStringLiteral("^(?:FATAL|ERROR|PANIC):\\s+"));
    const QStringList lines = libpqMessage.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &raw : lines) {
        // Tab-indented lines are libpq's hints ("Is the server running…?").
        if (raw.startsWith(QLatin1Char('\t')))
            continue;
        QString line = raw.trimmed();
        line.remove(prefix);
        line.remove(severity);
        if (!line.isEmpty())
            return redact(line, password);
    }
    return redact(libpqMessage.trimmed(), password);
}

Error redactedError(const ConnectionParams &params, ErrorCode code, ErrorKind kind,
                    QList<ErrorArg> args)
{
    for (ErrorArg &arg : args)
        arg.value = redact(arg.value, params.password);
    Error error(code, kind, std::move(args));
    // A password that happens to be a word of the sentence itself: masked there too, and
    // the error becomes free text (isStructured() is then false).
    error.message = redact(error.message, params.password);
    return error;
}

namespace {

Error redacted(const ConnectionParams &params, ErrorCode code, ErrorKind kind, QList<ErrorArg> args)
{
    return redactedError(params, code, kind, std::move(args));
}

ErrorArg at(const QString &address)
{
    return ErrorArg::text(QStringLiteral("address"), address);
}

ErrorArg detailArg(const QString &detail)
{
    return ErrorArg::text(QStringLiteral("detail"), detail);
}

} // namespace

Error connectTimeout(const ConnectionParams &params, const QString &address, int seconds)
{
    return redacted(params, ErrorCode::Timeout, ErrorKind::ConnectTimedOut,
                    {ErrorArg::number(QStringLiteral("seconds"), seconds), at(address)});
}

Error connectError(const ConnectionParams &params, const QString &address,
                   const QString &libpqMessage)
{
    const QString detail = detailLine(libpqMessage, params.password);
    const auto make = [&params](ErrorCode code, ErrorKind kind, QList<ErrorArg> args) {
        return redacted(params, code, kind, std::move(args));
    };
    const auto user = [&] {
        return ErrorArg::text(QStringLiteral("user"), userFrom(params, libpqMessage));
    };

    if (libpqMessage.contains(QLatin1String("password authentication failed")))
        return make(ErrorCode::Auth, ErrorKind::PasswordRejected, {user(), at(address)});
    if (libpqMessage.contains(QLatin1String("no password supplied")))
        return make(ErrorCode::Auth, ErrorKind::PasswordMissing, {at(address), user()});
    if (const QString role = quotedName(libpqMessage, QLatin1String("role")); !role.isNull())
        return make(ErrorCode::Auth, ErrorKind::RoleMissing,
                    {ErrorArg::text(QStringLiteral("role"), role), at(address)});
    if (const QString db = quotedName(libpqMessage, QLatin1String("database")); !db.isNull())
        return make(ErrorCode::NotFound, ErrorKind::DatabaseMissing,
                    {ErrorArg::text(QStringLiteral("database"), db), at(address)});
    if (containsAny(libpqMessage,
                    {QLatin1String("no pg_hba.conf entry"), QLatin1String("authentication failed"),
                     QLatin1String("SCRAM"), QLatin1String("GSSAPI"), QLatin1String("Kerberos")})) {
        return make(ErrorCode::Auth, ErrorKind::AuthenticationFailed,
                    {user(), at(address), detailArg(detail)});
    }
    if (libpqMessage.contains(QLatin1String("Connection refused"), Qt::CaseInsensitive))
        return make(ErrorCode::Refused, ErrorKind::ConnectionRefused, {at(address)});
    if (libpqMessage.contains(QLatin1String("on socket")) &&
        libpqMessage.contains(QLatin1String("No such file or directory")))
        return make(ErrorCode::Refused, ErrorKind::NoServerSocket, {at(address)});
    if (libpqMessage.contains(QLatin1String("timeout expired")))
        return connectTimeout(params, address, params.connectTimeoutSeconds);
    if (libpqMessage.contains(QLatin1String("could not translate host name"))) {
        return make(ErrorCode::NotFound, ErrorKind::HostUnresolved,
                    {ErrorArg::text(QStringLiteral("host"), params.host), detailArg(detail)});
    }
    if (containsAny(libpqMessage,
                    {QLatin1String("the database system is"), QLatin1String("too many clients"),
                     QLatin1String("too many connections")})) {
        return make(ErrorCode::Refused, ErrorKind::ServerRefused, {at(address), detailArg(detail)});
    }
    if (containsAny(libpqMessage,
                    {QLatin1String("Network is unreachable"), QLatin1String("No route to host")})) {
        return make(ErrorCode::Refused, ErrorKind::HostUnreachable,
                    {at(address), detailArg(detail)});
    }
    return make(ErrorCode::Runtime, ErrorKind::ConnectFailed, {at(address), detailArg(detail)});
}

TextPosition positionInText(const QString &sql, int position)
{
    TextPosition at{1, 1};
    if (position < 1)
        return {};
    // Walk code points, so a character outside the BMP counts once, as on the server.
    int index = 1;
    for (const char32_t c : sql.toUcs4()) {
        if (index == position)
            return at;
        if (c == U'\n') {
            ++at.line;
            at.column = 1;
        } else {
            ++at.column;
        }
        ++index;
    }
    return at;
}

Error queryError(const ConnectionParams &params, const pg_result *result, const QString &sql)
{
    const QString sqlstate = fromField(result, PG_DIAG_SQLSTATE);
    // A primary message is one line by PostgreSQL's own style rules, but a RAISE in a
    // migration can put anything in it: a line break there would start a line of ParityDeck's
    // output that the server wrote ("fake: done"). Escaped, as are other control characters.
    QString primary = oneLine(fromField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (primary.isEmpty())
        primary = detailLine(QString::fromUtf8(PQresultErrorMessage(result)), params.password);

    // The server's own words stay as they are; what ParityDeck adds around them (where,
    // "hint:") is phrases, translated with the sentence.
    QList<ErrorArg> args{
        primary.isEmpty()
            ? ErrorArg::phraseOf(QStringLiteral("primary"),
                                 QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                   "the server reported an error without a "
                                                   "message"))
            : ErrorArg::text(QStringLiteral("primary"), primary),
        ErrorArg::text(QStringLiteral("sqlstate"), sqlstate)};
    bool ok = false;
    const int position = fromField(result, PG_DIAG_STATEMENT_POSITION).toInt(&ok);
    const bool located = ok && position > 0;
    if (located) {
        const TextPosition at = positionInText(sql, position);
        args << ErrorArg::number(QStringLiteral("line"), at.line)
             << ErrorArg::number(QStringLiteral("column"), at.column);
    }
    const QString context = QStringLiteral("context");
    if (!sqlstate.isEmpty() && located)
        args << ErrorArg::phraseOf(context, QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                              " (SQLSTATE {sqlstate}, line {line}, "
                                                              "column {column})"));
    else if (!sqlstate.isEmpty())
        args << ErrorArg::phraseOf(context,
                                   QT_TRANSLATE_NOOP("pd::ErrorMessage", " (SQLSTATE {sqlstate})"));
    else if (located)
        args << ErrorArg::phraseOf(
            context, QT_TRANSLATE_NOOP("pd::ErrorMessage", " (line {line}, column {column})"));
    else
        args << ErrorArg::text(context, QString());
    if (const QString hint = oneLine(fromField(result, PG_DIAG_MESSAGE_HINT)); !hint.isEmpty())
        args << ErrorArg::phraseOf(QStringLiteral("hint"),
                                   QT_TRANSLATE_NOOP("pd::ErrorMessage", "; hint: {hintText}"))
             << ErrorArg::text(QStringLiteral("hintText"), hint);
    else
        args << ErrorArg::text(QStringLiteral("hint"), QString());

    ErrorCode code = ErrorCode::Runtime;
    if (sqlstate == QLatin1String("57014")) {
        // One SQLSTATE for both a statement_timeout and a cancel request from elsewhere.
        code = primary.contains(QLatin1String("statement timeout")) ? ErrorCode::Timeout
                                                                    : ErrorCode::Cancelled;
    }
    if (sqlstate.startsWith(QLatin1String("28")))
        code = ErrorCode::Auth; // invalid authorization specification / password
    else if (sqlstate == QLatin1String("3D000"))
        code = ErrorCode::NotFound; // invalid_catalog_name: the database does not exist
    return redactedError(params, code, ErrorKind::QueryFailed, std::move(args));
}

} // namespace pd::pgerror
