// db/: everything ParityDeck says to a PostgreSQL server goes through Connection. It owns
// the libpq handle, bounds every wait with a client-side deadline, and turns libpq's
// failures into Error values (see pgerror.h) that never contain the password.
#include "connection.h"

#include "common/errors.h"
#include "db/connectionfactory.h"
#include "db/pgerror.h"

#include <libpq-fe.h>

#include <QLoggingCategory>
#include <QMutex>
#include <QSet>

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace pd {

namespace {

// Server notices are noise unless asked for (QT_LOGGING_RULES="paritydeck.db.debug=true").
Q_LOGGING_CATEGORY(lcDb, "paritydeck.db", QtInfoMsg)

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long a timed-out query may take to confirm its cancellation before the connection
// is given up. A healthy server answers a cancel request within milliseconds.
constexpr auto kCancelGrace = 2000ms;
// Used when the configured timeouts are zero or negative: every wait stays bounded.
constexpr int kDefaultConnectTimeoutSeconds = 5;
constexpr int kDefaultStatementTimeoutMs = 30'000;

struct ResultDeleter
{
    void operator()(PGresult *result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter
{
    void operator()(PGconn *conn) const { PQfinish(conn); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;

// When a connection was lost ("while sending the query"): a phrase of ConnectionLost.
ErrorArg lostWhen(const char *phrase)
{
    return ErrorArg::phraseOf(QStringLiteral("when"), phrase);
}

ErrorArg milliseconds(int ms)
{
    return ErrorArg::number(QStringLiteral("milliseconds"), ms);
}

// Waits until `fd` reports one of `events` or the deadline passes. Returns the poll
// revents, 0 on deadline, -1 on a poll() failure.
int waitForSocket(int fd, short events, Clock::time_point deadline)
{
    for (;;) {
        const auto now = Clock::now();
        if (now >= deadline)
            return 0;
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, int(std::min<long long>(left, 60'000)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n > 0)
            return p.revents != 0 ? p.revents : events;
    }
}

// How often a statement given a cancel flag looks at it.
constexpr auto kCancelPoll = 50ms;

// Sends the server a cancel request for what `conn` runs. PQcancel opens its own
// connection without any timeout, so it runs on a detached thread that owns everything it
// touches: a server that never answers cannot hold the caller longer than kCancelGrace.
// True when the server took the request.
bool requestCancel(PGconn *conn)
{
    PGcancel *cancel = PQgetCancel(conn);
    if (!cancel)
        return false;
    auto done = std::make_shared<std::promise<bool>>();
    std::future<bool> sent = done->get_future();
    std::thread([cancel, done] {
        char error[256] = {};
        const bool ok = PQcancel(cancel, error, sizeof error) == 1;
        PQfreeCancel(cancel);
        done->set_value(ok);
    }).detach();
    return sent.wait_for(kCancelGrace) == std::future_status::ready && sent.get();
}

// libpq prints NOTICEs to stderr by default, which is the CLI's output; route them to
// the debug log instead.
void logNotice(void *, const char *message)
{
    qCDebug(lcDb).noquote() << QString::fromUtf8(message).trimmed();
}

int connectTimeoutSeconds(const ConnectionParams &params)
{
    return params.connectTimeoutSeconds > 0 ? params.connectTimeoutSeconds
                                            : kDefaultConnectTimeoutSeconds;
}

int statementTimeoutMs(const ConnectionParams &params)
{
    return params.statementTimeoutSeconds > 0 ? params.statementTimeoutSeconds * 1000
                                              : kDefaultStatementTimeoutMs;
}

// Where libpq actually tried: for an empty host that is its compiled-in socket directory.
QString attemptedAddress(const ConnectionParams &params, PGconn *conn)
{
    if (!params.host.isEmpty() || !conn || !PQhost(conn))
        return params.displayAddress();
    ConnectionParams actual;
    actual.host = QString::fromUtf8(PQhost(conn));
    actual.port = params.port;
    return actual.displayAddress();
}

// Keyword/value arrays for PQconnectStartParams. The password is passed by pointer to the
// SecretValue's own bytes, so no further copy of it exists in this process.
class ConnectKeywords final
{
public:
    void add(QByteArray keyword, const QString &value) { add(std::move(keyword), value.toUtf8()); }
    void add(QByteArray keyword, QByteArray value)
    {
        m_keywords.push_back(keep(std::move(keyword)));
        m_values.push_back(keep(std::move(value)));
    }
    void addBorrowed(const char *keyword, const QByteArray &value)
    {
        m_keywords.push_back(keyword);
        m_values.push_back(value.constData());
    }
    // Null-terminated arrays; valid while this object lives and no more keywords are added.
    const char *const *keywords() { return terminated(m_keywords); }
    const char *const *values() { return terminated(m_values); }

private:
    const char *keep(QByteArray bytes)
    {
        m_storage.push_back(std::move(bytes));
        return m_storage.back().constData();
    }
    static const char *const *terminated(std::vector<const char *> &list)
    {
        if (list.empty() || list.back() != nullptr)
            list.push_back(nullptr);
        return list.data();
    }
    std::deque<QByteArray> m_storage; // deque: growing it never moves earlier elements
    std::vector<const char *> m_keywords;
    std::vector<const char *> m_values;
};

} // namespace

namespace {

// Servers (poolers) seen refusing the "options" startup parameter, by displayAddress().
QMutex s_optionsRefusedMutex;
QSet<QString> s_optionsRefused;

bool refusesStartupOptions(const ConnectionParams &params)
{
    const QMutexLocker locker(&s_optionsRefusedMutex);
    return s_optionsRefused.contains(params.displayAddress());
}

void rememberRefusesStartupOptions(const ConnectionParams &params)
{
    const QMutexLocker locker(&s_optionsRefusedMutex);
    s_optionsRefused.insert(params.displayAddress());
}

// PgBouncer: "unsupported startup parameter: options" (unless its
// ignore_startup_parameters lists it).
bool refusedStartupOptions(const QString &libpqMessage)
{
    return libpqMessage.contains(QLatin1String("unsupported startup parameter: options"));
}

struct Attempt
{
    ConnPtr conn;
    std::optional<Error> error;
    QString libpqMessage; // libpq's own text of a failure, to recognise a refused parameter
};

// One non-blocking connect. `serverTimeoutMs` > 0: sent as -c statement_timeout in the
// "options" startup parameter.
Attempt connectOnce(const ConnectionParams &params, int serverTimeoutMs)
{
    ConnectKeywords kw;
    // Extra keywords first, so the explicit fields below win over a duplicate.
    for (auto it = params.options.cbegin(); it != params.options.cend(); ++it) {
        // The password only ever comes from the SecretValue; "options" is merged below.
        if (it.key() == QLatin1String("password") || it.key() == QLatin1String("options"))
            continue;
        kw.add(it.key().toUtf8(), it.value());
    }
    if (!params.host.isEmpty())
        kw.add(QByteArrayLiteral("host"), params.host);
    kw.add(QByteArrayLiteral("port"), QString::number(params.port));
    if (!params.dbname.isEmpty())
        kw.add(QByteArrayLiteral("dbname"), params.dbname);
    if (!params.user.isEmpty())
        kw.add(QByteArrayLiteral("user"), params.user);
    if (!params.password.isEmpty())
        kw.addBorrowed("password", params.password.reveal());
    const int connectSeconds = connectTimeoutSeconds(params);
    // Not used by the non-blocking connect below, but visible in PQconninfo for anyone
    // reconnecting from this handle (PQreset).
    kw.add(QByteArrayLiteral("connect_timeout"), QString::number(std::max(2, connectSeconds)));
    kw.add(QByteArrayLiteral("application_name"), params.applicationName);
    // Rows are decoded as UTF-8, whatever the server or database encoding.
    kw.add(QByteArrayLiteral("client_encoding"), QStringLiteral("UTF8"));
    // statement_timeout goes in the "options" startup parameter only when asked for
    // (statementTimeoutAtStartup): connection poolers such as PgBouncer reject that
    // parameter outright, so otherwise it is set with SET after connecting.
    QString options = params.options.value(QStringLiteral("options"));
    if (serverTimeoutMs > 0) {
        if (!options.isEmpty())
            options += QLatin1Char(' ');
        options += QStringLiteral("-c statement_timeout=%1").arg(serverTimeoutMs);
    }
    if (!options.isEmpty())
        kw.add(QByteArrayLiteral("options"), options);

    // The non-blocking connect (rather than PQconnectdbParams) gives a millisecond deadline
    // over the whole attempt: libpq's connect_timeout counts whole seconds, treats 1 as 2,
    // and restarts for every address a host name resolves to. The deadline also covers a
    // server that accepts TCP but never answers the startup packet.
    // expand_dbname = 0: a database name is never parsed as a conninfo string or URL.
    Attempt attempt;
    attempt.conn.reset(PQconnectStartParams(kw.keywords(), kw.values(), 0));
    PGconn *conn = attempt.conn.get();
    if (!conn) {
        attempt.error = Error(
            ErrorCode::Runtime,
            QStringLiteral("out of memory while connecting to %1").arg(params.displayAddress()));
        return attempt;
    }
    const auto deadline = Clock::now() + std::chrono::seconds(connectSeconds);
    PostgresPollingStatusType status =
        PQstatus(conn) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
        const int fd = PQsocket(conn);
        if (status == PGRES_POLLING_FAILED || fd < 0) {
            attempt.libpqMessage = QString::fromUtf8(PQerrorMessage(conn));
            attempt.error =
                pgerror::connectError(params, attemptedAddress(params, conn), attempt.libpqMessage);
            return attempt;
        }
        const short events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT;
        const int ready = waitForSocket(fd, events, deadline);
        if (ready == 0) {
            attempt.error =
                pgerror::connectTimeout(params, attemptedAddress(params, conn), connectSeconds);
            return attempt;
        }
        if (ready < 0) {
            const QString reason = QString::fromLocal8Bit(strerror(errno));
            attempt.error =
                Error(ErrorCode::Runtime, ErrorKind::ConnectWaitFailed,
                      {ErrorArg::text(QStringLiteral("address"), attemptedAddress(params, conn)),
                       ErrorArg::text(QStringLiteral("detail"), reason)});
            return attempt;
        }
        status = PQconnectPoll(conn);
    }
    return attempt;
}

gssattempt::Outcome gssOutcomeOf(const Error &error)
{
    return error.code == ErrorCode::Refused || error.code == ErrorCode::Timeout
               ? gssattempt::Outcome::Unreachable
               : gssattempt::Outcome::Failed;
}

} // namespace

Result<Connection> Connection::open(const ConnectionParams &requested)
{
    ConnectionParams params = requested;
    const int serverTimeoutMs = params.statementTimeoutSeconds > 0 ? statementTimeoutMs(params) : 0;
    const bool atStartup =
        serverTimeoutMs > 0 && params.statementTimeoutAtStartup && !refusesStartupOptions(params);
    Attempt attempt = connectOnce(params, atStartup ? serverTimeoutMs : 0);
    bool timeoutSet = atStartup;
    if (attempt.error && atStartup && refusedStartupOptions(attempt.libpqMessage)) {
        rememberRefusesStartupOptions(params);
        attempt = connectOnce(params, 0);
        timeoutSet = false;
    }
    if (attempt.error && params.sslRequestSkipped) {
        // The server said no to TLS a while ago (sslattempt); one that answers but refuses
        // the plain connection may demand TLS now: ask the way libpq does by default. (Any
        // failure forgets the answer below; a success records the new one.)
        if (gssOutcomeOf(*attempt.error) != gssattempt::Outcome::Unreachable) {
            params.options.remove(QStringLiteral("sslmode"));
            params.sslRequestSkipped = false;
            attempt = connectOnce(params, timeoutSet ? serverTimeoutMs : 0);
        }
    }
    if (attempt.error) {
        gssattempt::record(params, gssOutcomeOf(*attempt.error));
        sslattempt::forget(params);
        return *attempt.error;
    }
    ConnPtr conn = std::move(attempt.conn);
    gssattempt::record(params, PQgssEncInUse(conn.get()) == 1
                                   ? gssattempt::Outcome::ConnectedWithGss
                                   : gssattempt::Outcome::ConnectedWithoutGss);
    sslattempt::record(params, PQsslInUse(conn.get()) == 1);

    PQsetNoticeProcessor(conn.get(), &logNotice, nullptr);
    // Non-blocking sends: a large statement cannot block in send() past exec()'s deadline.
    if (PQsetnonblocking(conn.get(), 1) != 0)
        return Error(ErrorCode::Runtime, ErrorKind::NonBlockingFailed,
                     {ErrorArg::text(QStringLiteral("address"), params.displayAddress())});
    Connection connection(conn.release(), params);
    if (serverTimeoutMs > 0 && !timeoutSet) {
        auto set =
            connection.exec(QStringLiteral("SET statement_timeout = %1").arg(serverTimeoutMs), {},
                            std::max(2000, connectTimeoutSeconds(params) * 1000));
        if (!set)
            return set.error();
    }
    connection.m_serverTimeoutMs = serverTimeoutMs;
    return connection;
}

Connection::Connection(pg_conn *conn, ConnectionParams params)
    : m_conn(conn)
    , m_params(std::move(params))
{
}

Connection::Connection(Connection &&other) noexcept
    : m_conn(std::exchange(other.m_conn, nullptr))
    , m_params(std::move(other.m_params))
    , m_serverTimeoutMs(other.m_serverTimeoutMs)
    , m_cancel(std::exchange(other.m_cancel, nullptr))
{
}

Connection &Connection::operator=(Connection &&other) noexcept
{
    if (this != &other) {
        if (m_conn)
            PQfinish(m_conn);
        m_conn = std::exchange(other.m_conn, nullptr);
        m_params = std::move(other.m_params);
        m_serverTimeoutMs = other.m_serverTimeoutMs;
        m_cancel = std::exchange(other.m_cancel, nullptr);
    }
    return *this;
}

Connection::~Connection()
{
    if (m_conn)
        PQfinish(m_conn);
}

bool Connection::isOpen() const noexcept
{
    return m_conn != nullptr && PQstatus(m_conn) == CONNECTION_OK;
}

QString QueryResult::value(int row, int column) const
{
    Q_ASSERT(row >= 0 && row < m_rowCount && column >= 0 && column < m_columns.size());
    if (PQgetisnull(m_result.get(), row, column))
        return {};
    return QString::fromUtf8(PQgetvalue(m_result.get(), row, column),
                             PQgetlength(m_result.get(), row, column));
}

QByteArrayView QueryResult::rawValue(int row, int column) const
{
    Q_ASSERT(row >= 0 && row < m_rowCount && column >= 0 && column < m_columns.size());
    return QByteArrayView(PQgetvalue(m_result.get(), row, column),
                          PQgetlength(m_result.get(), row, column));
}

bool QueryResult::isNull(int row, int column) const
{
    Q_ASSERT(row >= 0 && row < m_rowCount && column >= 0 && column < m_columns.size());
    return PQgetisnull(m_result.get(), row, column) != 0;
}

Result<QueryResult> Connection::exec(const QString &sql, const QStringList &params, int timeoutMs,
                                     const std::atomic_bool *cancel)
{
    if (!m_conn) {
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("the connection to %1 is closed").arg(m_params.displayTarget()));
    }
    if (PQstatus(m_conn) != CONNECTION_OK)
        return lostError(
            lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "before the query was sent")));
    if (!cancel)
        cancel = m_cancel;
    const int effectiveMs = timeoutMs > 0 ? timeoutMs : statementTimeoutMs(m_params);
    raiseServerTimeout(effectiveMs);
    if (!m_conn)
        return lostError(
            lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "while raising statement_timeout")));
    if (cancel && cancel->load())
        return errors::cancelled();
    return run(sql, params, effectiveMs, cancel);
}

Result<void> Connection::resetSession(int timeoutMs)
{
    if (!m_conn)
        return lostError(
            lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "before the query was sent")));
    // exec() may raise statement_timeout first; the SET below must restore that value.
    const int effectiveMs = timeoutMs > 0 ? timeoutMs : statementTimeoutMs(m_params);
    raiseServerTimeout(effectiveMs);
    QString sql = QStringLiteral("SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; "
                                 "UNLISTEN *; DISCARD TEMP; DISCARD SEQUENCES");
    // RESET ALL took statement_timeout back to the server's value (or the startup
    // packet's); what this connection believes it to be must be true again.
    if (m_serverTimeoutMs > 0)
        sql += QStringLiteral("; SET statement_timeout = %1").arg(m_serverTimeoutMs);
    auto reset = exec(sql, {}, effectiveMs);
    if (!reset)
        return reset.error();
    return {};
}

// The server's statement_timeout is a safety net for a client that disappears; for a
// query given a longer client deadline (a migration), it must not fire first.
void Connection::raiseServerTimeout(int timeoutMs)
{
    if (m_serverTimeoutMs <= 0 || timeoutMs <= m_serverTimeoutMs)
        return;
    // Inside a transaction a SET could be rolled back later, leaving us wrong about it.
    if (PQtransactionStatus(m_conn) != PQTRANS_IDLE)
        return;
    const auto set =
        run(QStringLiteral("SET statement_timeout = %1").arg(timeoutMs), {}, m_serverTimeoutMs);
    if (set)
        m_serverTimeoutMs = timeoutMs;
}

Result<QueryResult> Connection::run(const QString &sql, const QStringList &params, int timeoutMs,
                                    const std::atomic_bool *cancel)
{
    const QByteArray query = sql.toUtf8();
    int sent = 0;
    if (params.isEmpty()) {
        // The simple protocol, so one call may run several statements (migration files).
        sent = PQsendQuery(m_conn, query.constData());
    } else {
        std::vector<QByteArray> storage(size_t(params.size()));
        std::vector<const char *> values(size_t(params.size()), nullptr);
        for (qsizetype i = 0; i < params.size(); ++i) {
            if (params.at(i).isNull())
                continue;
            storage[size_t(i)] = params.at(i).toUtf8();
            values[size_t(i)] = storage[size_t(i)].constData();
        }
        sent = PQsendQueryParams(m_conn, query.constData(), int(params.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    }
    if (!sent)
        return lostError(
            lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "while sending the query")));

    const auto sentAt = Clock::now();
    const auto deadline = sentAt + std::chrono::milliseconds(timeoutMs);
    // A cancel flag is looked at every kCancelPoll while waiting; once it is set the
    // server is asked to cancel (from this thread: a signal handler only sets the flag),
    // and its answer is awaited for kCancelGrace at most.
    bool cancelRequested = false;
    Clock::time_point cancelDeadline;
    // The poll revents; 0 when the deadline (or the cancel's grace) has passed.
    const auto wait = [&](short events) -> int {
        for (;;) {
            if (cancel && !cancelRequested && cancel->load()) {
                cancelRequested = true;
                (void)requestCancel(m_conn);
                cancelDeadline = Clock::now() + kCancelGrace;
            }
            const auto now = Clock::now();
            if (now >= deadline || (cancelRequested && now >= cancelDeadline))
                return 0;
            auto until = deadline;
            if (cancelRequested)
                until = std::min(until, cancelDeadline);
            else if (cancel)
                until = std::min(until, now + kCancelPoll);
            const int ready = waitForSocket(PQsocket(m_conn), events, until);
            if (ready != 0)
                return ready;
        }
    };
    // The deadline passed: a cancel that was asked for and not confirmed, or a timeout.
    const auto expired = [&]() -> Error {
        return cancelRequested ? closeAfterUnconfirmedCancel() : cancelAfterTimeout(timeoutMs);
    };
    for (;;) {
        const int flushed = PQflush(m_conn);
        if (flushed == 0)
            break;
        if (flushed < 0)
            return lostError(
                lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "while sending the query")));
        const int ready = wait(POLLIN | POLLOUT);
        if (ready == 0)
            return expired();
        if (ready < 0)
            return lostError(
                ErrorArg::text(QStringLiteral("when"), QString::fromLocal8Bit(strerror(errno))));
        // libpq asks for input to be consumed while waiting to write, so the server can
        // never block us both on full buffers.
        if ((ready & POLLIN) && !PQconsumeInput(m_conn))
            return lostError(
                lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "while sending the query")));
    }

    QueryResult best;
    bool haveRows = false;
    std::optional<Error> failure;
    const auto fill = [&best](ResultPtr result) {
        QueryResult r;
        const int columns = PQnfields(result.get());
        r.m_columns.reserve(columns);
        for (int c = 0; c < columns; ++c)
            r.m_columns << QString::fromUtf8(PQfname(result.get(), c));
        r.m_rowCount = PQntuples(result.get());
        bool ok = false;
        const qint64 affected = QByteArray(PQcmdTuples(result.get())).toLongLong(&ok);
        r.m_affected = ok ? affected : 0;
        r.m_result = std::shared_ptr<PGresult>(result.release(), ResultDeleter{});
        best = std::move(r);
    };

    for (;;) {
        while (PQisBusy(m_conn)) {
            const int ready = wait(POLLIN);
            if (ready == 0)
                return expired();
            if (ready < 0 || !PQconsumeInput(m_conn))
                return lostError(lostWhen(
                    QT_TRANSLATE_NOOP("pd::ErrorMessage", "while waiting for the result")));
        }
        ResultPtr result(PQgetResult(m_conn));
        if (!result)
            break;
        switch (PQresultStatus(result.get())) {
        case PGRES_TUPLES_OK:
        case PGRES_SINGLE_TUPLE:
            if (!failure) {
                fill(std::move(result));
                haveRows = true;
            }
            break;
        case PGRES_COMMAND_OK:
            if (!failure && !haveRows)
                fill(std::move(result));
            break;
        case PGRES_COPY_IN:
            // Nothing here feeds COPY FROM STDIN; end it so the server reports an error
            // and the connection returns to idle.
            PQputCopyEnd(m_conn, "ParityDeck does not send COPY data");
            PQflush(m_conn);
            if (!failure)
                failure = Error(ErrorCode::Runtime, ErrorKind::CopyFromStdinUnsupported, {});
            break;
        case PGRES_COPY_OUT: {
            for (;;) {
                char *buffer = nullptr;
                const int n = PQgetCopyData(m_conn, &buffer, 1);
                if (buffer)
                    PQfreemem(buffer);
                if (n > 0)
                    continue;
                if (n < 0)
                    break;
                const int ready = wait(POLLIN);
                if (ready == 0)
                    return expired();
                if (ready < 0 || !PQconsumeInput(m_conn))
                    return lostError(
                        lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "while reading COPY data")));
            }
            if (!failure)
                failure = Error(ErrorCode::Runtime, ErrorKind::CopyToStdoutUnsupported, {});
            break;
        }
        case PGRES_COPY_BOTH:
            PQfinish(m_conn);
            m_conn = nullptr;
            return Error(ErrorCode::Runtime, ErrorKind::ReplicationCopyUnsupported, {});
        case PGRES_FATAL_ERROR:
        case PGRES_BAD_RESPONSE:
            if (!failure) {
                failure = pgerror::queryError(m_params, result.get(), sql);
                if (failure->code == ErrorCode::Timeout) {
                    // The limit this connection set is the one in force only if the server
                    // waited that long: a statement may have SET its own (or the server,
                    // role or database has one where the connection set none). Otherwise
                    // say how long it ran, which is known, not a limit that is not.
                    const auto ran =
                        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sentAt)
                            .count();
                    const bool ours = m_serverTimeoutMs > 0 && ran >= m_serverTimeoutMs;
                    failure = Error(ErrorCode::Timeout, ErrorKind::QueryTimedOutOnServer,
                                    {milliseconds(ours ? m_serverTimeoutMs
                                                       : int(std::min<qint64>(ran, timeoutMs)))});
                }
            }
            break;
        default:
            break;
        }
    }
    // 57014 after our own request: the cancellation the caller asked for.
    if (failure && cancelRequested && failure->code == ErrorCode::Cancelled)
        return Error(ErrorCode::Cancelled, ErrorKind::QueryCancelled, {});
    if (failure)
        return *failure;
    if (PQstatus(m_conn) != CONNECTION_OK)
        return lostError(
            lostWhen(QT_TRANSLATE_NOOP("pd::ErrorMessage", "while waiting for the result")));
    return best;
}

Error Connection::cancelAfterTimeout(int timeoutMs)
{
    const bool cancelSent = requestCancel(m_conn);

    // Drain the cancelled statement's results, so the connection is idle and usable again.
    bool drained = false;
    if (cancelSent) {
        const auto grace = Clock::now() + kCancelGrace;
        for (;;) {
            bool alive = true;
            while (alive && PQisBusy(m_conn)) {
                const int ready = waitForSocket(PQsocket(m_conn), POLLIN, grace);
                alive = ready > 0 && PQconsumeInput(m_conn);
            }
            if (!alive)
                break;
            ResultPtr result(PQgetResult(m_conn));
            if (!result) {
                drained = PQstatus(m_conn) == CONNECTION_OK;
                break;
            }
            const ExecStatusType status = PQresultStatus(result.get());
            if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH)
                break;
        }
    }
    if (drained)
        return Error(ErrorCode::Timeout, ErrorKind::QueryTimedOut, {milliseconds(timeoutMs)});
    PQfinish(m_conn);
    m_conn = nullptr;
    return pgerror::redactedError(
        m_params, ErrorCode::Timeout, ErrorKind::QueryTimedOutAndClosed,
        {milliseconds(timeoutMs),
         ErrorArg::text(QStringLiteral("address"), m_params.displayAddress())});
}

Error Connection::closeAfterUnconfirmedCancel()
{
    // Whatever the statement does now, nothing more is sent on this session: an open
    // transaction on it can never commit.
    PQfinish(m_conn);
    m_conn = nullptr;
    return pgerror::redactedError(
        m_params, ErrorCode::Cancelled, ErrorKind::QueryCancelledAndClosed,
        {ErrorArg::text(QStringLiteral("address"), m_params.displayAddress())});
}

Error Connection::lostError(const ErrorArg &when)
{
    QString detail;
    if (m_conn)
        detail = pgerror::detailLine(QString::fromUtf8(PQerrorMessage(m_conn)), m_params.password);
    QList<ErrorArg> args{ErrorArg::text(QStringLiteral("address"), m_params.displayAddress()),
                         when};
    if (detail.isEmpty())
        args << ErrorArg::text(QStringLiteral("detail"), QString());
    else
        args << ErrorArg::phraseOf(QStringLiteral("detail"),
                                   QT_TRANSLATE_NOOP("pd::ErrorMessage", ": {libpqDetail}"))
             << ErrorArg::text(QStringLiteral("libpqDetail"), detail);
    return pgerror::redactedError(m_params, ErrorCode::Runtime, ErrorKind::ConnectionLost,
                                  std::move(args));
}

Result<QString> Connection::scalar(const QString &sql, const QStringList &params)
{
    Result<QueryResult> result = exec(sql, params);
    if (!result)
        return result.error();
    if (result->rowCount() == 0 || result->columnCount() == 0)
        return Error(ErrorCode::NotFound, ErrorKind::QueryReturnedNoRows, {});
    return result->value(0, 0);
}

bool Connection::isIdle() const noexcept
{
    return isOpen() && PQtransactionStatus(m_conn) == PQTRANS_IDLE;
}

bool Connection::gssEncrypted() const
{
    return m_conn && PQgssEncInUse(m_conn) == 1;
}

bool Connection::sslEncrypted() const
{
    return m_conn && PQsslInUse(m_conn) == 1;
}

QString Connection::serverVersion() const
{
    if (!m_conn)
        return {};
    const char *version = PQparameterStatus(m_conn, "server_version");
    // Distributions append their own suffix: "15.18 (Debian 15.18-0+deb12u1)".
    return version ? QString::fromUtf8(version).section(QLatin1Char(' '), 0, 0) : QString();
}

int Connection::serverVersionNumber() const
{
    return m_conn ? PQserverVersion(m_conn) : 0;
}

int Connection::backendPid() const
{
    return m_conn ? PQbackendPID(m_conn) : 0;
}

} // namespace pd
