// The "expected schema" of DESIGN.md §4: a throwaway database on a server the user already
// has, where every migration is applied from scratch. Snapshotting it (core/schema) gives
// the schema the migrations describe; comparing that with a live database shows drift
// (hand-made changes, edited migrations). Blocking: use it on a worker thread.
//
// Lifetime. A shadow lives from create() to drop() (or the destructor). A process that
// gives up on one before that (a command's time bound, a signal) calls dropAllBeforeExit(),
// which drops every shadow it still has within a bounded time. What a process that died
// anyway left behind (SIGKILL, a crash, power loss) is dropped by a later create() on the
// same server, by the rule of dropLeftovers(). The rule rests on a keeper: the connection
// that runs CREATE DATABASE stays open, with application_name "paritydeck shadow <name>",
// until the shadow is dropped, so a live shadow always has a session that names it, on
// whatever machine its process runs.
#pragma once

#include "common/result.h"
#include "db/connection.h"
#include "db/connectionparams.h"
#include "migrations/migrationrunner.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace pd {

class ShadowDatabase final
{
public:
    // Creates an empty database "paritydeck_shadow_<random>" from template0 on the server
    // `server` connects to (its user needs CREATEDB), after dropping that server's
    // leftovers (dropLeftovers()). Its comment says who made it and when (server clock).
    // The shadow is dropped again by drop() or, at the latest, by the destructor.
    // Cancelled once dropAllBeforeExit() has run: the process is ending.
    static Result<ShadowDatabase> create(const ConnectionParams &server);

    // Drops the shadow databases on `server`'s server that no live ParityDeck process
    // uses, and returns their names. A "paritydeck_shadow_*" database is left behind when
    //  - no session is connected to it (pg_stat_activity),
    //  - no session carries its keeper's application_name ("paritydeck shadow <name>"),
    //  - its comment's creation time is at least kLeftoverAgeSeconds old (server clock), or
    //    it has no ParityDeck comment (made before comments were written), and
    //  - the user may drop it (owner or superuser; others are not looked at).
    // The DROP is a plain one, without FORCE: a session that connects in the meantime makes
    // it fail rather than be ended. Failures are logged, never returned: cleaning up never
    // stands in the way of the build that asked.
    static QStringList dropLeftovers(Connection &server);
    static constexpr int kLeftoverAgeSeconds = 120;

    // For a process giving up on its builds (a time bound, a signal, quitting): every
    // shadow this process created and has not dropped yet is dropped now with DROP …
    // WITH (FORCE), which also ends the sessions still building it (the running statement
    // with them), each on a connection of its own, in parallel. Returns when they are
    // done or after `budgetMs`, whatever the servers do (an unreachable one is left to
    // dropLeftovers() of a later run). From then on create() refuses. Thread-safe.
    // Returns how many shadows were still live: when not 0, work this process gave up on
    // may still be running (and the drops' own threads), so the caller should leave with
    // std::_Exit rather than run static destructors beside it.
    static int dropAllBeforeExit(int budgetMs = 2000);
    // How many shadows this process has created and not yet dropped (tests).
    static int liveCount();

    ShadowDatabase(ShadowDatabase &&other) noexcept;
    ShadowDatabase &operator=(ShadowDatabase &&other) noexcept;
    ShadowDatabase(const ShadowDatabase &) = delete;
    ShadowDatabase &operator=(const ShadowDatabase &) = delete;
    ~ShadowDatabase();

    const QString &name() const noexcept { return m_name; }
    // A connection to the shadow database (same server, user and password as `server`).
    const ConnectionParams &params() const noexcept { return m_shadow; }

    // Applies every migration of `set` with ParityDeck's runner. The shadow is ours, so
    // protection does not apply; the history lands in the shadow's paritydeck schema.
    // Refuses, before running any, when checkContained() does.
    Result<ApplyReport> apply(const MigrationSet &set, const ApplyOptions &options = {});

    // A shadow build must leave nothing behind outside the shadow: the migrations of `set`
    // up to `upTo` (empty: all) are parsed, and the first statement whose effect reaches
    // outside the database (a role, another database, ALTER SYSTEM, a tablespace, a
    // subscription, COPY with a server file or program; SqlStatement::leavesDatabase) is an
    // error at its FILE:LINE:COL. A syntax error is one too. No I/O beyond the set.
    static Result<void> checkContained(const MigrationSet &set, const QString &upTo = {});

    // DROP DATABASE … WITH (FORCE): connections someone left open do not keep it alive.
    Result<void> drop();

private:
    ShadowDatabase(ConnectionParams server, ConnectionParams shadow, QString name,
                   Connection keeper);

    ConnectionParams m_server;
    ConnectionParams m_shadow;
    QString m_name; // empty once dropped or moved from
    // The session that created the shadow, held open until it is dropped (see above).
    std::unique_ptr<Connection> m_keeper;
};

} // namespace pd
