// A throwaway PostgreSQL server for one test: its own temporary directory (data, Unix
// socket, log), a free TCP port on 127.0.0.1, settings tuned for speed over durability.
// The destructor always stops the server and removes the directory, so a failing test
// leaves nothing behind. A fatal signal (crash, Ctrl-C, SIGTERM) takes the servers down at
// once from a signal handler; and a detached watchdog process stops the server and
// removes the directory once the test process is gone, even after SIGKILL (a ctest
// timeout).
//
// When the test runs as root, every server command runs as the "postgres" user
// (PostgreSQL refuses root), so the directory lives under baseDir(), which must be
// traversable by that user.
//
// Start time is dominated by writing ~30 MB of files: about 1 s on a disk (2 s for the
// first cluster of a process, which runs initdb), 0.15 s on tmpfs. PD_PGCLUSTER_DIR=/dev/shm
// gives the latter where /dev/shm is large enough (Docker's default 64 MB is not).
//
// Several clusters may run at once, and start() may be called from any thread.
#pragma once

#include "common/result.h"
#include "db/connection.h"
#include "db/connectionparams.h"

#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace pd::test {

class DirectoryWatchdog;

struct PgClusterOptions
{
    // TCP connections must authenticate with scram-sha-256 (roles from createRole()); the
    // Unix socket stays "trust", so the superuser helpers keep working.
    bool passwordAuthOverTcp = false;
    // Extra postgresql.conf lines, e.g. "log_statement = 'all'".
    QStringList settings;
    // A port can be taken between choosing and binding it; then start() tries another.
    int startAttempts = 5;
    // Bound for each server command (initdb, pg_ctl start/stop).
    int commandTimeoutSeconds = 60;
    // The server build to run (a folder with initdb, pg_ctl, postgres); empty: binDir().
    QString binDir;
};

class PgCluster final
{
public:
    using Options = PgClusterOptions;

    PgCluster();
    explicit PgCluster(Options options);
    ~PgCluster();
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;

    // Creates the data directory (initdb once per process, copied for every further
    // cluster) and starts the server; waits until it accepts connections.
    Result<void> start();
    // Fast shutdown; waits until the server has exited. The data stays for restart().
    Result<void> stop();
    // SIGKILL to the postmaster, as in a crash; returns once it and its children are gone.
    // With synchronous_commit off, commits of the last moment may be lost: run CHECKPOINT
    // first if the test needs them after restart().
    Result<void> kill();
    // Stops (if running) and starts again on the same port when it is still free.
    Result<void> restart();
    bool isRunning() const;

    static QString host() { return QStringLiteral("127.0.0.1"); }
    int port() const noexcept { return m_port; }
    QString rootDir() const;
    QString dataDir() const;
    QString socketDir() const;
    QString logFile() const;
    qint64 postmasterPid() const noexcept { return m_pid; }
    // The server log so far, for failure messages.
    QString serverLog() const;

    // "postgresql://user@127.0.0.1:port/db" (no password: tests give it separately).
    QString url(const QString &db = QStringLiteral("postgres"),
                const QString &user = QStringLiteral("postgres")) const;
    // TCP to 127.0.0.1:port.
    ConnectionParams connectionParams(const QString &db = QStringLiteral("postgres"),
                                      const QString &user = QStringLiteral("postgres")) const;
    // Through the cluster's Unix socket directory (always trusted).
    ConnectionParams socketParams(const QString &db = QStringLiteral("postgres"),
                                  const QString &user = QStringLiteral("postgres")) const;

    // Superuser connection over the Unix socket.
    Result<Connection> connect(const QString &db = QStringLiteral("postgres")) const;
    // One-off superuser statement(s) on a fresh connection.
    Result<QueryResult> exec(const QString &sql,
                             const QString &db = QStringLiteral("postgres")) const;
    Result<void> createDatabase(const QString &name, const QString &templateDb = {}) const;
    // A login role with a password, stored as SCRAM whatever the major's default.
    Result<void> createRole(const QString &name, const QString &password) const;

    // Parent of every cluster directory: PD_PGCLUSTER_DIR, else QDir::tempPath().
    static QString baseDir();
    // Where initdb, pg_ctl and postgres live (PD_PG_BINDIR overrides: scripts/test runs the
    // version-sensitive tests again on other majors, from scripts/postgres-majors).
    static QString binDir();
    // The build this cluster runs: Options::binDir, else binDir().
    QString serverBinDir() const;
    // Debian's client programs (pg_dump, psql): the majors from scripts/postgres-majors come
    // without them. pg_dump refuses servers newer than itself (clientMajor()).
    static QString clientBinDir() { return QStringLiteral("/usr/lib/postgresql/15/bin"); }
    static int clientMajor() { return 15; }
    // The major version of the server this cluster runs ("SHOW server_version_num" / 10000).
    int serverMajor() const;

private:
    Result<void> prepare();
    Result<void> launch(bool keepPort);
    void shutDownNow();

    Options m_options;
    std::unique_ptr<QTemporaryDir> m_root;
    std::unique_ptr<DirectoryWatchdog> m_watchdog;
    int m_port = 0;
    qint64 m_pid = 0;
    bool m_initialised = false;
};

} // namespace pd::test
