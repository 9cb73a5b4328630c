#include "pgcluster.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>

namespace pd::test {

// Guards against the one exit nothing in-process can handle: SIGKILL (a ctest timeout,
// kill -9). A detached shell (own session, so a process-group kill misses it) blocks on a
// pipe whose only writer is this process. When the pipe reaches EOF — this process is gone,
// however it ended — it stops the server found in the directory's postmaster.pid and
// removes the directory. After a normal cleanup there is nothing left for it to do.
class DirectoryWatchdog final
{
public:
    explicit DirectoryWatchdog(const QString &dir)
    {
        static const char script[] = "cat >/dev/null\n"
                                     "pid=$(head -n 1 \"$1/data/postmaster.pid\" 2>/dev/null)\n"
                                     "if [ -n \"$pid\" ]; then\n"
                                     "  kill -QUIT \"$pid\" 2>/dev/null\n"
                                     "  i=0\n"
                                     "  while kill -0 \"$pid\" 2>/dev/null && [ \"$i\" -lt 50 ]; "
                                     "do sleep 0.2; i=$((i+1)); done\n"
                                     "  kill -KILL \"$pid\" 2>/dev/null\n"
                                     "fi\n"
                                     "rm -rf \"$1\"\n";
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            return;
        const QByteArray path = QFile::encodeName(dir);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        // Nothing else of ours (listening sockets, connections) may live on in it.
        posix_spawn_file_actions_addclosefrom_np(&actions, 3);
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
        char *const argv[] = {const_cast<char *>("sh"),
                              const_cast<char *>("-c"),
                              const_cast<char *>(script),
                              const_cast<char *>("sh"),
                              const_cast<char *>(path.constData()),
                              nullptr};
        pid_t pid = 0;
        if (posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ) == 0) {
            m_pid = pid;
            m_writeFd = fds[1];
        } else {
            ::close(fds[1]);
        }
        ::close(fds[0]);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }

    // Call after the directory is gone: the watchdog then finds nothing and exits at once.
    ~DirectoryWatchdog()
    {
        if (m_writeFd >= 0)
            ::close(m_writeFd);
        if (m_pid <= 0)
            return;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (::waitpid(m_pid, nullptr, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, nullptr, 0);
                break;
            }
            QThread::msleep(5);
        }
    }
    DirectoryWatchdog(const DirectoryWatchdog &) = delete;
    DirectoryWatchdog &operator=(const DirectoryWatchdog &) = delete;

private:
    pid_t m_pid = 0;
    int m_writeFd = -1;
};

namespace {

using Clock = std::chrono::steady_clock;

// ---- Take servers down when the test process dies -------------------------------------
// RAII covers failing tests; this covers crashes and signals. A signal handler may only
// do async-signal-safe work: it sends SIGQUIT (PostgreSQL's immediate shutdown) to every
// registered postmaster, then lets the previous handler (QtTest's, or the default) run.

constexpr int kFatalSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
constexpr size_t kSignalCount = std::size(kFatalSignals);
struct sigaction g_previousHandlers[kSignalCount];
std::atomic<pid_t> g_postmasters[128];

void quitAllPostmasters()
{
    for (auto &slot : g_postmasters) {
        const pid_t pid = slot.load();
        if (pid > 0)
            ::kill(pid, SIGQUIT);
    }
}

extern "C" void stopPostmastersOnSignal(int signal)
{
    quitAllPostmasters();
    for (size_t i = 0; i < kSignalCount; ++i) {
        if (kFatalSignals[i] == signal)
            sigaction(signal, &g_previousHandlers[i], nullptr);
    }
    // Blocked while this handler runs; delivered to the restored handler on return.
    raise(signal);
}

void installCrashCleanup()
{
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action = {};
        action.sa_handler = &stopPostmastersOnSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_ONSTACK;
        for (size_t i = 0; i < kSignalCount; ++i)
            sigaction(kFatalSignals[i], &action, &g_previousHandlers[i]);
        std::atexit(&quitAllPostmasters);
    });
}

void registerPostmaster(pid_t pid)
{
    installCrashCleanup();
    for (auto &slot : g_postmasters) {
        pid_t empty = 0;
        if (slot.compare_exchange_strong(empty, pid))
            return;
    }
}

void unregisterPostmaster(pid_t pid)
{
    for (auto &slot : g_postmasters) {
        pid_t expected = pid;
        if (slot.compare_exchange_strong(expected, 0))
            return;
    }
}

// ---- Processes ----------------------------------------------------------------------

// A zombie has exited: the postmaster is re-parented to init when pg_ctl exits, and not
// every container init reaps promptly.
bool processAlive(pid_t pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid, 0) != 0 && errno == ESRCH)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 || close + 2 >= line.size() || line.at(close + 2) != 'Z';
}

// Waits for the process to exit: an event (pidfd) where the kernel offers it, else a short
// poll of /proc.
bool waitUntilGone(pid_t pid, int timeoutMs)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    // syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C", so its wrapper cannot link.
    const int pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                    .count();
            pollfd p{pidfd, POLLIN, 0};
            const int n = ::poll(&p, 1, int(std::max<long long>(0, left)));
            if (n < 0 && errno == EINTR)
                continue;
            ::close(pidfd);
            return n > 0 || !processAlive(pid);
        }
    }
    while (processAlive(pid)) {
        if (Clock::now() >= deadline)
            return false;
        QThread::msleep(20);
    }
    return true;
}

QList<pid_t> childrenOf(pid_t parent)
{
    QList<pid_t> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const int pid = entry.toInt(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // "pid (comm) state ppid …" — comm may contain spaces, so split after ')'.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toInt() == parent)
            children << pid;
    }
    return children;
}

struct PostgresAccount
{
    uid_t uid = 0;
    gid_t gid = 0;
};

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

std::optional<PostgresAccount> postgresAccount()
{
    passwd entry{};
    passwd *found = nullptr;
    char buffer[4096];
    if (getpwnam_r("postgres", &entry, buffer, sizeof buffer, &found) != 0 || !found)
        return std::nullopt;
    return PostgresAccount{found->pw_uid, found->pw_gid};
}

struct CommandOutcome
{
    bool ok = false;
    QString output;
};

// Runs a server binary as the postgres user when we are root (PostgreSQL refuses root),
// with a clean environment: the developer's PGDATA/PGPORT/… must not steer a test server,
// and LC_ALL=C keeps messages parseable.
CommandOutcome runServerCommand(const QString &program, const QStringList &arguments,
                                const QString &workingDir, int timeoutSeconds)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("PG")))
            env.remove(key);
    }
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C"));
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(workingDir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    if (runningAsRoot()) {
        QString runuser = QStandardPaths::findExecutable(QStringLiteral("runuser"));
        if (runuser.isEmpty())
            runuser = QStandardPaths::findExecutable(
                QStringLiteral("runuser"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        if (runuser.isEmpty())
            return {false, QStringLiteral("runuser not found (needed to run PostgreSQL as the "
                                          "postgres user when testing as root)")};
        process.start(runuser, QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                           QStringLiteral("--"), program} +
                                   arguments);
    } else {
        process.start(program, arguments);
    }
    if (!process.waitForStarted(10'000))
        return {false, QStringLiteral("could not run %1: %2").arg(program, process.errorString())};
    if (!process.waitForFinished(timeoutSeconds * 1000)) {
        process.kill();
        process.waitForFinished(5'000);
        return {false, QStringLiteral("%1 did not finish within %2 s")
                           .arg(QFileInfo(program).fileName())
                           .arg(timeoutSeconds)};
    }
    const QString output = QString::fromLocal8Bit(process.readAll()).trimmed();
    const bool ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    return {ok, output};
}

// Bind port 0 and release it: the kernel picks a port nobody holds right now. Plain
// sockets rather than QTcpServer, so this works on any thread without an event loop.
int pickFreePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

QString quoteIdentifier(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') % quoted % QLatin1Char('"');
}

QString quoteLiteral(const QString &value)
{
    QString quoted = value;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') % quoted % QLatin1Char('\'');
}

QString lastLines(const QString &text, int count)
{
    QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(QLatin1Char('\n'));
}

Error runtimeError(const QString &message)
{
    return Error(ErrorCode::Runtime, message);
}

// As root, every ancestor must let "postgres" through, or initdb fails with a confusing
// "permission denied" deep inside.
Result<void> checkTraversable(const QString &dir, uid_t postgresUid)
{
    QString path = QFileInfo(dir).absoluteFilePath();
    while (!path.isEmpty() && path != QLatin1String("/")) {
        struct stat info = {};
        if (::stat(QFile::encodeName(path).constData(), &info) == 0 && info.st_uid != postgresUid &&
            !(info.st_mode & S_IXOTH)) {
            return runtimeError(
                QStringLiteral("the postgres user cannot enter %1 (mode %2); point TMPDIR (or "
                               "PD_PGCLUSTER_DIR) at a directory every user can traverse")
                    .arg(path, QString::number(info.st_mode & 07777, 8)));
        }
        path = QFileInfo(path).path();
    }
    return {};
}

Result<void> handToPostgres(const QString &path, const PostgresAccount &account)
{
    if (::chown(QFile::encodeName(path).constData(), account.uid, account.gid) != 0)
        return runtimeError(QStringLiteral("could not hand %1 to the postgres user: %2")
                                .arg(path, QString::fromLocal8Bit(strerror(errno))));
    return {};
}

QTemporaryDir *makeTraversableTempDir(const QString &prefix)
{
    auto *dir = new QTemporaryDir(PgCluster::baseDir() + QLatin1Char('/') + prefix +
                                  QStringLiteral("-XXXXXX"));
    // QTemporaryDir creates 0700; the server user must traverse it.
    if (dir->isValid()) {
        QFile::setPermissions(dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                               QFile::ReadGroup | QFile::ExeGroup |
                                               QFile::ReadOther | QFile::ExeOther);
    }
    return dir;
}

// initdb takes most of a cluster's start time (0.5-1 s of CPU), and its output is the
// same for every cluster: the first cluster of a test process pays for it, the others
// copy the result (about 0.1 s). Lives until the process exits; the options that vary
// per cluster (pg_hba, settings) are applied to each copy.
class PristineDataDir final
{
public:
    // One per server build (a test may run two majors side by side).
    static PristineDataDir &instance(const QString &binDir)
    {
        static std::mutex mutex;
        static std::map<QString, std::unique_ptr<PristineDataDir>> pristine;
        const std::lock_guard lock(mutex);
        std::unique_ptr<PristineDataDir> &entry = pristine[binDir];
        if (!entry)
            entry.reset(new PristineDataDir(binDir));
        return *entry;
    }

    ~PristineDataDir()
    {
        m_dir.reset(); // first the directory, so the watchdog has nothing left to do
        m_watchdog.reset();
    }

    Result<QString> path(int timeoutSeconds)
    {
        const std::lock_guard lock(m_mutex); // concurrent first starts wait for one initdb
        if (!m_dir) {
            m_dir.reset(makeTraversableTempDir(QStringLiteral("paritydeck-pg-template")));
            if (!m_dir->isValid())
                return fail(QStringLiteral("could not create a temporary directory: %1")
                                .arg(m_dir->errorString()));
            m_watchdog = std::make_unique<DirectoryWatchdog>(m_dir->path());
            const QString data = m_dir->filePath(QStringLiteral("data"));
            if (!QDir().mkdir(data))
                return fail(QStringLiteral("could not create %1").arg(data));
            ::chmod(QFile::encodeName(data).constData(), 0700);
            if (runningAsRoot()) {
                const std::optional<PostgresAccount> account = postgresAccount();
                if (!account)
                    return fail(QStringLiteral("no \"postgres\" user"));
                if (Result<void> handed = handToPostgres(data, *account); !handed)
                    return fail(handed.error().message);
            }
            const CommandOutcome initdb = runServerCommand(
                m_binDir + QStringLiteral("/initdb"),
                {QStringLiteral("-D"), data, QStringLiteral("-A"), QStringLiteral("trust"),
                 QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("--no-sync"),
                 QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C"),
                 // 1 MB WAL segments instead of 16: a cluster is 29 MB rather than 39, and on
                 // a disk mounted with online discard, writing (copying) less is what counts.
                 QStringLiteral("--wal-segsize=1")},
                m_dir->path(), timeoutSeconds);
            if (!initdb.ok)
                return fail(QStringLiteral("initdb failed: %1").arg(lastLines(initdb.output, 15)));
            m_data = data;
        }
        if (m_data.isEmpty())
            return runtimeError(m_error);
        return m_data;
    }

private:
    explicit PristineDataDir(QString binDir)
        : m_binDir(std::move(binDir))
    {
    }

    // A failed initdb is not retried: the next cluster would fail the same way, slowly.
    Result<QString> fail(const QString &message)
    {
        m_error = message;
        return runtimeError(message);
    }

    QString m_binDir;
    std::mutex m_mutex;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DirectoryWatchdog> m_watchdog;
    QString m_data;
    QString m_error;
};

} // namespace

PgCluster::PgCluster()
    : PgCluster(Options())
{
}

PgCluster::PgCluster(Options options)
    : m_options(std::move(options))
{
}

PgCluster::~PgCluster()
{
    shutDownNow();
    m_root.reset(); // removes the tree; as root that includes the postgres user's files
    m_watchdog.reset();
}

QString PgCluster::binDir()
{
    const QString fromEnv = qEnvironmentVariable("PD_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStringLiteral("/usr/lib/postgresql/15/bin");
}

int PgCluster::serverMajor() const
{
    const Result<QueryResult> version = exec(QStringLiteral("SHOW server_version_num"));
    return version ? version->value(0, 0).toInt() / 10000 : 0;
}

QString PgCluster::serverBinDir() const
{
    return m_options.binDir.isEmpty() ? binDir() : m_options.binDir;
}

QString PgCluster::baseDir()
{
    const QString fromEnv = qEnvironmentVariable("PD_PGCLUSTER_DIR");
    return fromEnv.isEmpty() ? QDir::tempPath() : fromEnv;
}

QString PgCluster::rootDir() const
{
    return m_root ? m_root->path() : QString();
}

QString PgCluster::dataDir() const
{
    return m_root ? m_root->filePath(QStringLiteral("data")) : QString();
}

QString PgCluster::socketDir() const
{
    return m_root ? m_root->filePath(QStringLiteral("socket")) : QString();
}

QString PgCluster::logFile() const
{
    return m_root ? m_root->filePath(QStringLiteral("server.log")) : QString();
}

QString PgCluster::serverLog() const
{
    QFile file(logFile());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(file.readAll());
}

bool PgCluster::isRunning() const
{
    return m_pid > 0 && processAlive(pid_t(m_pid));
}

Result<void> PgCluster::prepare()
{
    std::optional<PostgresAccount> account;
    if (runningAsRoot()) {
        account = postgresAccount();
        if (!account)
            return runtimeError(QStringLiteral("running as root needs a \"postgres\" user to "
                                               "run the test server as"));
    }

    m_root.reset(makeTraversableTempDir(QStringLiteral("paritydeck-pg")));
    if (!m_root->isValid())
        return runtimeError(QStringLiteral("could not create a temporary directory: %1")
                                .arg(m_root->errorString()));
    m_watchdog = std::make_unique<DirectoryWatchdog>(m_root->path());
    if (account) {
        if (Result<void> ok = checkTraversable(m_root->path(), account->uid); !ok)
            return ok;
    }

    // The socket path must fit sockaddr_un.sun_path, including ".s.PGSQL.65535".
    const QByteArray socketPath =
        QFile::encodeName(socketDir() + QStringLiteral("/.s.PGSQL.65535"));
    if (size_t(socketPath.size()) >= sizeof(sockaddr_un::sun_path))
        return runtimeError(QStringLiteral("the socket path %1 is too long for a Unix socket; "
                                           "use a shorter TMPDIR (or PD_PGCLUSTER_DIR)")
                                .arg(QString::fromLocal8Bit(socketPath)));

    const QDir root(m_root->path());
    if (!root.mkdir(QStringLiteral("socket")))
        return runtimeError(QStringLiteral("could not create directories in %1").arg(root.path()));
    QFile log(logFile());
    if (!log.open(QIODevice::WriteOnly))
        return runtimeError(QStringLiteral("could not create %1").arg(logFile()));
    log.close();
    if (account) {
        for (const QString &path : {socketDir(), logFile()}) {
            if (Result<void> handed = handToPostgres(path, *account); !handed)
                return handed;
        }
    }

    // initdb once per test process; every further cluster copies the pristine result.
    const Result<QString> pristine =
        PristineDataDir::instance(serverBinDir()).path(m_options.commandTimeoutSeconds);
    if (!pristine)
        return pristine.error();
    QProcess copy;
    copy.setProcessChannelMode(QProcess::MergedChannels);
    // -a keeps owner (postgres) and the 0700 mode PostgreSQL insists on.
    copy.start(QStringLiteral("cp"), {QStringLiteral("-a"), pristine.value(), dataDir()});
    if (!copy.waitForFinished(m_options.commandTimeoutSeconds * 1000) || copy.exitCode() != 0) {
        copy.kill();
        return runtimeError(QStringLiteral("could not copy the initdb template: %1")
                                .arg(QString::fromLocal8Bit(copy.readAll()).trimmed()));
    }

    // Settings live in postgresql.conf rather than on the command line, so restart() and a
    // manual `pg_ctl start` get the same server. Speed over durability: the data is
    // thrown away anyway.
    QFile conf(dataDir() + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append | QIODevice::Text))
        return runtimeError(QStringLiteral("could not extend %1").arg(conf.fileName()));
    QStringList lines = {
        QStringLiteral("# ParityDeck test cluster"),
        QStringLiteral("listen_addresses = '127.0.0.1'"),
        QStringLiteral("unix_socket_directories = %1").arg(quoteLiteral(socketDir())),
        QStringLiteral("fsync = off"),
        QStringLiteral("full_page_writes = off"),
        QStringLiteral("synchronous_commit = off"),
        QStringLiteral("shared_buffers = 32MB"),
        QStringLiteral("max_wal_size = 256MB"),
        // Dynamic shared memory as files in the data directory, not in /dev/shm: a killed
        // server's segments then go away with the directory instead of piling up.
        QStringLiteral("dynamic_shared_memory_type = mmap"),
    };
    lines += m_options.settings;
    conf.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
    conf.close();

    if (m_options.passwordAuthOverTcp) {
        QFile hba(dataDir() + QStringLiteral("/pg_hba.conf"));
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
            return runtimeError(QStringLiteral("could not rewrite %1").arg(hba.fileName()));
        hba.write("# ParityDeck test cluster: password over TCP, trust on the socket\n"
                  "local all all trust\n"
                  "host all all 127.0.0.1/32 scram-sha-256\n"
                  "host all all ::1/128 scram-sha-256\n");
    }
    m_initialised = true;
    return {};
}

Result<void> PgCluster::start()
{
    if (isRunning())
        return {};
    if (!m_initialised) {
        if (Result<void> prepared = prepare(); !prepared)
            return prepared;
    }
    return launch(false);
}

Result<void> PgCluster::launch(bool keepPort)
{
    const int attempts = std::max(1, m_options.startAttempts);
    QString lastFailure;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        if (!(keepPort && attempt == 0 && m_port > 0))
            m_port = pickFreePort();
        if (m_port <= 0)
            return runtimeError(QStringLiteral("could not find a free TCP port on 127.0.0.1"));
        const qint64 logOffset = QFileInfo(logFile()).size();
        const CommandOutcome started =
            runServerCommand(serverBinDir() + QStringLiteral("/pg_ctl"),
                             {QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-t"),
                              QString::number(m_options.commandTimeoutSeconds),
                              QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), logFile(),
                              QStringLiteral("-o"), QStringLiteral("-p %1").arg(m_port)},
                             m_root->path(), m_options.commandTimeoutSeconds + 10);

        QFile pidFile(dataDir() + QStringLiteral("/postmaster.pid"));
        if (started.ok && pidFile.open(QIODevice::ReadOnly)) {
            m_pid = pidFile.readLine().trimmed().toLongLong();
            if (m_pid > 0) {
                registerPostmaster(pid_t(m_pid));
                return {};
            }
        }

        // pg_ctl may give up waiting while the server still comes up: make sure it is gone
        // before trying again or reporting.
        shutDownNow();
        QFile log(logFile());
        QString newLog;
        if (log.open(QIODevice::ReadOnly) && log.seek(logOffset))
            newLog = QString::fromLocal8Bit(log.readAll());
        lastFailure = lastLines(started.output + QLatin1Char('\n') + newLog, 15);
        // Someone took the port between picking and binding: pick another.
        if (newLog.contains(QLatin1String("could not bind")) ||
            newLog.contains(QLatin1String("Address already in use"))) {
            continue;
        }
        return runtimeError(QStringLiteral("the test server did not start: %1").arg(lastFailure));
    }
    return runtimeError(QStringLiteral("the test server did not start after %1 attempts (ports "
                                       "kept being taken): %2")
                            .arg(attempts)
                            .arg(lastFailure));
}

Result<void> PgCluster::stop()
{
    if (!isRunning()) {
        unregisterPostmaster(pid_t(m_pid));
        m_pid = 0;
        return {};
    }
    const CommandOutcome stopped = runServerCommand(
        serverBinDir() + QStringLiteral("/pg_ctl"),
        {QStringLiteral("stop"), QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
         QStringLiteral("-t"), QString::number(m_options.commandTimeoutSeconds),
         QStringLiteral("-D"), dataDir()},
        m_root->path(), m_options.commandTimeoutSeconds + 10);
    if (!stopped.ok || !waitUntilGone(pid_t(m_pid), 10'000)) {
        const QString output = stopped.output;
        shutDownNow();
        return runtimeError(QStringLiteral("pg_ctl stop failed, the server was killed: %1")
                                .arg(lastLines(output, 5)));
    }
    unregisterPostmaster(pid_t(m_pid));
    m_pid = 0;
    return {};
}

Result<void> PgCluster::kill()
{
    if (!isRunning())
        return runtimeError(QStringLiteral("the test server is not running"));
    const pid_t pid = pid_t(m_pid);
    // Backends notice their postmaster's death and exit on their own; remember them, so a
    // restart() does not meet their shared memory still attached.
    const QList<pid_t> children = childrenOf(pid);
    ::kill(pid, SIGKILL);
    bool gone = waitUntilGone(pid, 10'000);
    for (const pid_t child : children)
        gone = waitUntilGone(child, 10'000) && gone;
    unregisterPostmaster(pid);
    m_pid = 0;
    if (!gone)
        return runtimeError(QStringLiteral("server processes survived SIGKILL for 10 s"));
    // A killed postmaster leaves its lock files. PostgreSQL would take them over itself,
    // but only once the dead process is reaped, and a container's init may take its time:
    // until then kill(pid, 0) succeeds and the next start refuses with "lock file already
    // exists". The process is gone, so the files are stale.
    QFile::remove(dataDir() + QStringLiteral("/postmaster.pid"));
    QFile::remove(socketDir() + QStringLiteral("/.s.PGSQL.%1.lock").arg(m_port));
    return {};
}

Result<void> PgCluster::restart()
{
    if (!m_initialised)
        return start();
    if (isRunning()) {
        if (Result<void> stopped = stop(); !stopped)
            return stopped;
    }
    return launch(true);
}

// Immediate shutdown for cleanup paths: no checkpoint, the data is discarded anyway.
void PgCluster::shutDownNow()
{
    if (!m_root || !m_initialised)
        return;
    pid_t pid = pid_t(m_pid);
    if (pid <= 0) {
        QFile pidFile(dataDir() + QStringLiteral("/postmaster.pid"));
        if (pidFile.open(QIODevice::ReadOnly))
            pid = pid_t(pidFile.readLine().trimmed().toLongLong());
    }
    if (pid > 0 && processAlive(pid)) {
        const QList<pid_t> children = childrenOf(pid);
        runServerCommand(serverBinDir() + QStringLiteral("/pg_ctl"),
                         {QStringLiteral("stop"), QStringLiteral("-m"), QStringLiteral("immediate"),
                          QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("10"),
                          QStringLiteral("-D"), dataDir()},
                         m_root->path(), 20);
        if (!waitUntilGone(pid, 5'000)) {
            ::kill(pid, SIGKILL);
            waitUntilGone(pid, 10'000);
        }
        for (const pid_t child : children) {
            if (!waitUntilGone(child, 5'000))
                ::kill(child, SIGKILL);
        }
    }
    if (pid > 0)
        unregisterPostmaster(pid);
    m_pid = 0;
}

QString PgCluster::url(const QString &db, const QString &user) const
{
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(user)), host())
        .arg(m_port)
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(db)));
}

ConnectionParams PgCluster::connectionParams(const QString &db, const QString &user) const
{
    ConnectionParams params;
    params.host = host();
    params.port = m_port;
    params.dbname = db;
    params.user = user;
    params.applicationName = QStringLiteral("paritydeck-test");
    return params;
}

ConnectionParams PgCluster::socketParams(const QString &db, const QString &user) const
{
    ConnectionParams params = connectionParams(db, user);
    params.host = socketDir();
    return params;
}

Result<Connection> PgCluster::connect(const QString &db) const
{
    return Connection::open(socketParams(db));
}

Result<QueryResult> PgCluster::exec(const QString &sql, const QString &db) const
{
    Result<Connection> connection = connect(db);
    if (!connection)
        return connection.error();
    return connection.value().exec(sql);
}

Result<void> PgCluster::createDatabase(const QString &name, const QString &templateDb) const
{
    QString sql = QStringLiteral("CREATE DATABASE ") + quoteIdentifier(name);
    if (!templateDb.isEmpty())
        sql += QStringLiteral(" TEMPLATE ") + quoteIdentifier(templateDb);
    const Result<QueryResult> done = exec(sql);
    if (!done)
        return done.error();
    return {};
}

Result<void> PgCluster::createRole(const QString &name, const QString &password) const
{
    // SCRAM on every major (13 still hashes with md5 by default, which pg_hba's
    // scram-sha-256 lines refuse).
    const Result<QueryResult> done =
        exec(QStringLiteral("SET password_encryption = 'scram-sha-256'; "
                            "CREATE ROLE %1 LOGIN PASSWORD %2")
                 .arg(quoteIdentifier(name), quoteLiteral(password)));
    if (!done)
        return done.error();
    return {};
}

} // namespace pd::test
