// RAII wrapper over a libpq connection. Blocking by design: call it only from worker
// threads (QtConcurrent / thread pool), never from the GUI thread. Every wait is bounded:
// connecting by connect_timeout, each query by a client-side deadline (the server-side
// statement_timeout does not help when the server itself hangs), after which the query
// is cancelled and the error says so.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <atomic>
#include <memory>

struct pg_conn;
struct pg_result;

namespace pd {

class QueryResult final
{
public:
    QueryResult() = default;
    int rowCount() const noexcept { return m_rowCount; }
    int columnCount() const noexcept { return int(m_columns.size()); }
    const QStringList &columns() const noexcept { return m_columns; }
    int columnIndex(const QString &name) const { return int(m_columns.indexOf(name)); }
    // Values are decoded from the server's result on each call (nothing is copied up
    // front), so large catalog reads cost one copy of the data, not two. A NULL reads as a
    // null QString.
    QString value(int row, int column) const;
    QString value(int row, const QString &column) const { return value(row, columnIndex(column)); }
    bool isNull(int row, int column) const;
    // The value exactly as the server sent it (text format, UTF-8), without a copy; valid
    // while this result (or a copy of it) lives. For numbers and flags read in bulk.
    QByteArrayView rawValue(int row, int column) const;
    qint64 affectedRows() const noexcept { return m_affected; }

private:
    friend class Connection;
    QStringList m_columns;
    std::shared_ptr<pg_result> m_result; // shared: copies of a QueryResult are cheap
    int m_rowCount = 0;
    qint64 m_affected = 0;
};

class Connection final
{
public:
    static Result<Connection> open(const ConnectionParams &params);

    Connection(Connection &&) noexcept;
    Connection &operator=(Connection &&) noexcept;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    ~Connection();

    // Runs one statement (or several without parameters), text parameters bound as $1…$n;
    // a null QString binds SQL NULL. `timeoutMs` <= 0 uses the connection's statement
    // timeout. With several statements the last result that has rows wins (else the last
    // command's). On timeout the query is cancelled; if the server does not confirm the
    // cancel in time the connection is closed and isOpen() turns false.
    // `cancel` (optional; without it, the connection's setCancelFlag() if any) is watched
    // while the statement runs (every 50 ms): once it is set,
    // this thread sends the server a cancel request (libpq's PQcancel; a signal handler only
    // sets the flag) and waits up to 2 s for the server to confirm, then returns
    // ErrorCode::Cancelled (ErrorKind::QueryCancelled). A statement that finished before the
    // request reached it returns its own outcome, so a caller that must not go on checks the
    // flag itself afterwards. Already set: nothing is sent (errors::cancelled()). No
    // confirmation: the connection is closed (QueryCancelledAndClosed) — a transaction open
    // on it can then never commit. Pass no flag to what must run after a cancellation
    // (ROLLBACK, unlocking, dropping a scratch database).
    Result<QueryResult> exec(const QString &sql, const QStringList &params = {}, int timeoutMs = -1,
                             const std::atomic_bool *cancel = nullptr);
    // Convenience: first column of the first row.
    Result<QString> scalar(const QString &sql, const QStringList &params = {});

    // Returns the session to the state open() left it in, so what one script did to the
    // session (SET search_path, SET ROLE, a temporary table, SET statement_timeout) cannot
    // change what the next one does: every setting back to its session default (RESET ALL:
    // the server's, database's and role's values and the startup packet's options), the
    // session authorization and role, temporary tables, WITH HOLD cursors, LISTENs and
    // sequence state (currval), then this connection's own statement_timeout again.
    // Not DISCARD ALL: that also releases advisory locks (an applier's lock) and drops
    // prepared statements, which behind PgBouncer in transaction mode are the pooler's.
    // So prepared statements and advisory locks taken by a script stay, and settings a
    // script stored with ALTER DATABASE/ROLE … SET apply only to new sessions, as always.
    // Outside a transaction only.
    Result<void> resetSession(int timeoutMs = -1);

    // The cancel flag exec() watches when its call passes none (nullptr: none). Meant for a
    // connection that only reads (an introspection) whose caller cannot pass a flag into
    // every exec(): once the flag is set, every statement is refused, a ROLLBACK included,
    // so such a connection is dropped afterwards, never reused. The flag must outlive the
    // connection's use; a move carries it.
    void setCancelFlag(const std::atomic_bool *flag) noexcept { m_cancel = flag; }

    QString serverVersion() const; // e.g. "15.18"
    int serverVersionNumber() const;
    int backendPid() const;
    // Whether libpq negotiated GSSAPI encryption (gssencmode) for this connection.
    bool gssEncrypted() const;
    // Whether the connection runs over TLS (sslmode).
    bool sslEncrypted() const;
    // False after a move, or after the connection was lost or closed by a timed-out query.
    bool isOpen() const noexcept;
    // Open, and neither inside a transaction nor busy with a statement: safe to keep for
    // later use (a transaction left open would hold its snapshot on the server).
    bool isIdle() const noexcept;
    const ConnectionParams &params() const noexcept { return m_params; }
    pg_conn *native() const noexcept { return m_conn; }

private:
    Connection(pg_conn *conn, ConnectionParams params);
    Result<QueryResult> run(const QString &sql, const QStringList &params, int timeoutMs,
                            const std::atomic_bool *cancel = nullptr);
    Error cancelAfterTimeout(int timeoutMs);
    Error closeAfterUnconfirmedCancel();
    // `when`: a phrase of ErrorKind::ConnectionLost ("while sending the query").
    Error lostError(const ErrorArg &when);
    void raiseServerTimeout(int timeoutMs);

    pg_conn *m_conn = nullptr;
    ConnectionParams m_params;
    int m_serverTimeoutMs = 0; // the session's statement_timeout; 0 = none
    // exec()'s flag when its call passes none (setCancelFlag).
    const std::atomic_bool *m_cancel = nullptr;
};

} // namespace pd
