// Connections kept open between the panel's routine looks at an environment: the status
// check every few seconds and the drift watch's look at the catalog counters every minute.
//
// Why: a new connection is a TCP handshake, a backend forked on the server and, with
// password authentication (scram-sha-256, PostgreSQL's default since 14), about 5 ms of the
// client's CPU hashing the password — on a quiet panel with password-protected servers
// that hashing alone was eight times its idle budget (bench/launch). A kept connection
// costs nothing while idle and answers the next look with one query.
//
// What keeps it truthful:
//  - a look on a kept connection that fails in any way (the server restarted and ended the
//    session, idle_session_timeout, a firewall that dropped the idle connection and leaves
//    the query unanswered) closes it, and the look is taken again on a new connection, so
//    a failure is only ever reported from a fresh connection, exactly as before;
//  - a connection is kept at most maxAgeMs() (5 minutes): a new one then proves again that
//    the server accepts connections with the password the panel holds (a password changed
//    on the server, pg_hba.conf, max_connections);
//  - it is matched on the whole target — host, port, database, user, password and libpq
//    options — so a changed secret or a branch switch never reuses the old session;
//  - only an idle session (no transaction open) is kept;
//  - the panel closes an environment's connection before its own Start, Stop, Restart or
//    branch action (close()), so that a server stopped in PostgreSQL's "smart" mode does
//    not wait for the panel's session to end.
//
// Thread-safe: take() and giveBack() run on the pools' worker threads. A connection
// taken is used by one thread only until it is given back.
#pragma once

#include "db/connection.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QString>

#include <optional>
#include <vector>

namespace pd {

class KeptConnections final
{
public:
    static constexpr qint64 kDefaultMaxAgeMs = 5 * 60 * 1000;

    explicit KeptConnections(qint64 maxAgeMs = kDefaultMaxAgeMs);
    ~KeptConnections();
    KeptConnections(const KeptConnections &) = delete;
    KeptConnections &operator=(const KeptConnections &) = delete;

    struct Kept
    {
        Connection connection;
        qint64 openedAtMs = 0; // on this object's clock (nowMs())
    };

    // A kept connection of `environment` to exactly `params`' target, younger than
    // maxAgeMs(); nullopt when there is none (open a new one). Connections grown too old are
    // closed here, on the caller's thread.
    std::optional<Kept> take(const QString &environment, const ConnectionParams &params);
    // Keeps `connection` for the next take() when it is idle and young enough (else closes
    // it); one per environment and target: it replaces one kept before. A fresh connection
    // passes openedAtMs = nowMs().
    void giveBack(const QString &environment, Connection connection, qint64 openedAtMs);
    // Closes the kept connections of `environment` (all with an empty name) and, with
    // `forGood`, keeps nothing given back afterwards. Blocking (libpq's PQfinish sends the
    // server a last message): worker threads only.
    void close(const QString &environment = {}, bool forGood = false);

    qint64 nowMs() const;
    qint64 maxAgeMs() const noexcept { return m_maxAgeMs; }
    int count() const; // for tests and logs

private:
    struct Entry
    {
        QString environment;
        Kept kept;
    };
    std::vector<Entry> takeExpiredLocked(qint64 now);

    const qint64 m_maxAgeMs;
    QElapsedTimer m_clock;
    mutable QMutex m_mutex;
    std::vector<Entry> m_entries;
    bool m_closedForGood = false;
};

// The same server, database, role, password and libpq options (gssencmode aside: the
// connection factory sets it per purpose): a connection to one serves a look at the other.
bool sameTarget(const ConnectionParams &a, const ConnectionParams &b);

} // namespace pd
