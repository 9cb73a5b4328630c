// The one way to turn a database's parsed URL into the parameters a connection opens with:
// the environment's limits, its resolved password, what the connection is for, and when
// to skip libpq's GSSAPI attempt. db/ knows no workspace, so the environment's part comes
// as plain data (ConnectionTimeouts); environment/resolvedconnection.h adapts a workspace
// environment to it.
#pragma once

#include "db/connectionparams.h"
#include "secrets/secretvalue.h"

namespace pd {

// What a connection is for. Today every purpose takes the environment's connect and
// statement timeouts; they differ in how the statement timeout reaches the server.
enum class ConnectionPurpose {
    StatusProbe,   // the status monitor's and `status`'s check: connect, one small query
    Introspection, // catalog reads: schema snapshots, drift, parity facts
    Migration,     // migration status, apply, baseline
    BranchAdmin,   // CREATE/DROP DATABASE and session lists for database branches
};

// An environment's database.connect_timeout and database.statement_timeout.
struct ConnectionTimeouts
{
    int connectSeconds = 5;
    int statementSeconds = 30;
};

// `base`: the parsed URL (or the selected branch's); `password` empty when the
// environment has none. The password travels only inside the returned parameters (the
// libpq "password" keyword).
ConnectionParams connectionParamsFor(ConnectionParams base, const ConnectionTimeouts &timeouts,
                                     ConnectionPurpose purpose, const SecretValue &password = {});

// Whether something other than ParityDeck decides gssencmode for these parameters: the
// URL's gssencmode, a service file (service=, PGSERVICE) or PGGSSENCMODE.
bool gssEncModeChosenFor(const ConnectionParams &params);
// gssencmode=disable unless gssEncModeChosenFor(params). For callers that always skip the
// attempt (the drift watch's minute look); connectionParamsFor() does it only where it is
// known to change nothing (see gssattempt below).
void skipGssAttemptUnlessChosen(ConnectionParams &params);

// The GSSAPI fallback. With libpq's default gssencmode=prefer every connection first looks
// for Kerberos credentials, reading the Kerberos configuration each time — over two thirds
// of a local connection's client cost — and falls back to a plain connection when there
// are none. Connection::open() records per target (displayTarget()) what happened;
// connectionParamsFor() then sets gssencmode=disable for a target that last connected
// without GSSAPI encryption, or was last unreachable and has never been seen using it.
// Any other failure forgets the target, so the next attempt is made in libpq's default
// way (credentials may have appeared). Never over a choice made elsewhere
// (gssEncModeChosenFor). Process-wide and thread-safe.
namespace gssattempt {

enum class Outcome { ConnectedWithGss, ConnectedWithoutGss, Unreachable, Failed };

void record(const ConnectionParams &params, Outcome outcome);
// Whether connectionParamsFor() skips the attempt for this target.
bool skippedFor(const ConnectionParams &params);
// Forgets every target (tests).
void forgetAll();

} // namespace gssattempt

// The TLS request. With libpq's default sslmode=prefer every TCP connection first asks
// the server for TLS, a round trip of its own, and goes on in plain text when the server
// says no (a local or container server with ssl off: most development servers). The
// status checks connect every few seconds, so for them (ConnectionPurpose::StatusProbe)
// connectionParamsFor() sets sslmode=disable for a target that said no within the last
// 5 minutes (setMemoryMs()) — "prefer" then sends the same bytes in plain text, one round trip
// sooner. The memory dates from the last connection that asked and was told no, so a server that
// turns TLS on is asked again within that time; any failure forgets the target, and a
// connection refused with the request skipped is made again at once in libpq's default
// way (a server that now demands TLS). Never for a Unix socket (no TLS there) or over a
// choice made elsewhere (sslModeChosenFor). Process-wide and thread-safe.
namespace sslattempt {

// Whether the URL (any ssl… or requiressl keyword), a service file or PGSSLMODE,
// PGREQUIRESSL or PGSSLROOTCERT decides the TLS mode for these parameters.
bool sslModeChosenFor(const ConnectionParams &params);
// After a connection made in libpq's default way: whether TLS is in use.
void record(const ConnectionParams &params, bool sslInUse);
void forget(const ConnectionParams &params);
bool skippedFor(const ConnectionParams &params);
// How long a server's "no" is trusted (default 5 minutes); tests shorten it.
void setMemoryMs(qint64 ms);
// Forgets every target (tests).
void forgetAll();

} // namespace sslattempt

} // namespace pd
