#include "detachedprocess.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pd::process {

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool readAll(int fd, void *buffer, size_t size)
{
    auto *p = static_cast<char *>(buffer);
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::read(fd, p + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += size_t(n);
    }
    return true;
}

void writeAll(int fd, const void *buffer, size_t size)
{
    const auto *p = static_cast<const char *>(buffer);
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, p + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += size_t(n);
    }
}

// Live (non-zombie) members of a process group. kill(-group, 0) would also count zombies,
// and orphaned zombies can linger for good where pid 1 does not reap (some containers).
bool groupHasMembers(qint64 group)
{
    const QDir proc(QStringLiteral("/proc"));
    const QStringList entries = proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        const auto s = stat(pid);
        if (s && s->processGroup == group && s->state != 'Z' && s->state != 'X')
            return true;
    }
    return false;
}

// Waits until `identity` is gone or the deadline passes. The process is not our child,
// so there is nothing to wait(2) for: /proc is the only witness.
bool waitGone(const ProcessIdentity &identity, const QDeadlineTimer &deadline)
{
    while (isAlive(identity)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

} // namespace

Result<ProcessIdentity> startDetached(const DetachedSpec &spec)
{
    // Everything the children need is prepared before fork(): after fork in a threaded
    // process only async-signal-safe calls are allowed.
    const QByteArray shell = "/bin/sh";
    const QByteArray dashC = "-c";
    const QByteArray command = spec.shellCommand.toUtf8();
    const QByteArray cwd = QFile::encodeName(spec.workingDirectory);
    const QByteArray log = QFile::encodeName(spec.logFile);
    std::vector<char *> argv{const_cast<char *>(shell.constData()),
                             const_cast<char *>(dashC.constData()),
                             const_cast<char *>(command.constData()), nullptr};
    std::vector<char *> envp;
    envp.reserve(size_t(spec.environment.size()) + 1);
    for (const QByteArray &entry : spec.environment)
        envp.push_back(const_cast<char *>(entry.constData()));
    envp.push_back(nullptr);

    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot start %1: %2").arg(spec.shellCommand, systemError(errno)));

    const pid_t middle = ::fork();
    if (middle < 0) {
        const int error = errno;
        ::close(report[0]);
        ::close(report[1]);
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot start %1: %2").arg(spec.shellCommand, systemError(error)));
    }
    if (middle == 0) {
        // Middle child: fork the real one and exit, so the service is re-parented away
        // from ParityDeck and never becomes our zombie.
        ::close(report[0]);
        const pid_t service = ::fork();
        if (service < 0)
            ::_exit(127);
        if (service > 0) {
            const qint64 pid = service;
            writeAll(report[1], &pid, sizeof pid);
            ::_exit(0);
        }
        // The service: its own session and process group (pgid == pid), so stop can
        // signal everything it spawned with kill(-pid).
        ::setsid();
        // Signal dispositions and the mask are inherited across exec; Qt or the test
        // harness may have changed them.
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT})
            ::signal(sig, SIG_DFL);
        int stage = 1;
        const int devNull = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log.constData(), O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (devNull >= 0 && out >= 0 && ::dup2(devNull, 0) == 0 && ::dup2(out, 1) == 1 &&
            ::dup2(out, 2) == 2) {
            stage = 2;
            // Nothing else of ParityDeck (sockets, the audit log, pipes) leaks into the service.
            if (report[1] > 3)
                ::close_range(3, unsigned(report[1] - 1), 0);
            ::close_range(unsigned(report[1] + 1), ~0U, 0);
            if (cwd.isEmpty() || ::chdir(cwd.constData()) == 0) {
                stage = 3;
                ::execve(argv[0], argv.data(), envp.data());
            }
        }
        const int failure[2] = {stage, errno};
        writeAll(report[1], failure, sizeof failure);
        ::_exit(127);
    }

    ::close(report[1]);
    int status = 0;
    while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) {
    }
    qint64 pid = 0;
    const bool gotPid = readAll(report[0], &pid, sizeof pid);
    int failure[2] = {0, 0};
    // EOF here means exec succeeded (the descriptor closed on exec); data means it failed.
    const bool failed = gotPid && readAll(report[0], failure, sizeof failure);
    ::close(report[0]);
    if (!gotPid)
        return Error(ErrorCode::Runtime, ErrorKind::ProcessForkFailed,
                     {ErrorArg::text(QStringLiteral("command"), spec.shellCommand)});
    if (failed) {
        const char *what =
            failure[0] == 1
                ? QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot open the log file {file}")
            : failure[0] == 2
                ? QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot enter the folder {folder}")
                : QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot run /bin/sh");
        return Error(ErrorCode::Runtime, ErrorKind::ChildSetupFailed,
                     {ErrorArg::phraseOf(QStringLiteral("what"), what),
                      ErrorArg::text(QStringLiteral("file"), spec.logFile),
                      ErrorArg::text(QStringLiteral("folder"), spec.workingDirectory),
                      ErrorArg::text(QStringLiteral("detail"), systemError(failure[1]))});
    }
    ProcessIdentity identity;
    identity.pid = pid;
    identity.startedAt = QDateTime::currentDateTimeUtc();
    const auto ticks = startTicks(pid);
    if (!ticks) {
        // exec succeeded but the process is already gone (e.g. `run: false`).
        identity.startTicks = 0;
        return identity;
    }
    identity.startTicks = *ticks;
    return identity;
}

Result<StopOutcome> terminateGroup(const ProcessIdentity &identity, int graceMs)
{
    StopOutcome outcome;
    if (!isAlive(identity))
        return outcome;
    outcome.wasRunning = true;
    const pid_t group = pid_t(identity.pid);
    // The service leads its group (setsid at start); signalling the group also stops what
    // a `sh -c` wrapper spawned.
    if (::kill(-group, SIGTERM) != 0 && ::kill(group, SIGTERM) != 0 && errno != ESRCH) {
        const QString why = systemError(errno);
        return Error(ErrorCode::Runtime, ErrorKind::ProcessCannotSignal,
                     {ErrorArg::number(QStringLiteral("pid"), identity.pid),
                      ErrorArg::text(QStringLiteral("detail"), why)});
    }

    const QDeadlineTimer grace(std::max(0, graceMs));
    const bool leaderGone = waitGone(identity, grace);
    // Members that ignore SIGTERM outlive a cooperative leader; give them the rest of the
    // grace period too.
    while (leaderGone && groupHasMembers(group) && !grace.hasExpired())
        QThread::msleep(20);
    if (!leaderGone || groupHasMembers(group)) {
        outcome.killed = true;
        ::kill(-group, SIGKILL);
        if (isAlive(identity))
            ::kill(group, SIGKILL);
        if (!waitGone(identity, QDeadlineTimer(5000)))
            return Error(
                ErrorCode::Timeout,
                QStringLiteral("process %1 did not exit even after SIGKILL").arg(identity.pid));
    }
    return outcome;
}

} // namespace pd::process
