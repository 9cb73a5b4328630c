#include "stopsignals.h"

#include "migrations/shadowdatabase.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace pd::cli {

namespace {

// The handlers write the signal's number here, or'ed with kDropOnly inside a StopSignals
// scope; ShadowCleanup's thread reads it.
int s_pipe[2] = {-1, -1};
constexpr unsigned char kDropOnly = 0x80; // signal numbers stay below 64

std::atomic_bool s_cancel{false};
volatile std::sig_atomic_t s_signal = 0;

void wakeCleanup(int signal, unsigned char flags)
{
    if (s_pipe[1] < 0)
        return;
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(signal) | flags;
    (void)!::write(s_pipe[1], &byte, 1); // non-blocking: a full pipe already holds a wake-up
    errno = saved;
}

extern "C" void onSignal(int signal)
{
    wakeCleanup(signal, 0);
}

extern "C" void onStopSignal(int signal)
{
    s_signal = signal;
    s_cancel.store(true);
    wakeCleanup(signal, kDropOnly);
}

// ShadowDatabase::dropAllBeforeExit(), one caller at a time: a way out that comes while the
// thread is still dropping (the command, cancelled by that drop, ending) waits for it and
// then finds only what it could not drop. Returns how many shadows were still live.
int dropShadows()
{
    static auto *dropping = new std::mutex; // never destroyed: exit paths outlive statics
    const std::lock_guard lock(*dropping);
    return ShadowDatabase::dropAllBeforeExit(ShadowCleanup::kBudgetMs);
}

// The one way out (see the header): drops the shadows still live, then ends the process by
// `signal` when it is not 0. Else returns `code` when nothing was live, or leaves at once
// with it, output flushed, when something was.
int dropShadowsAndEnd(int signal, int code)
{
    const int live = dropShadows();
    if (signal == 0 && live == 0)
        return code;
    std::fflush(stdout);
    std::fflush(stderr);
    if (signal != 0) {
        struct sigaction action = {};
        action.sa_handler = SIG_DFL;
        sigemptyset(&action.sa_mask);
        ::sigaction(signal, &action, nullptr);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, signal);
        ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
        ::raise(signal); // delivered to this thread before raise() returns: the process ends
        code = 128 + signal;
    }
    std::_Exit(code);
}

// Installs `handler` for `signal` unless the signal was ignored when we were started (SIGHUP
// under nohup, SIGINT for a shell's background job): whoever started us asked for that.
// `previous` (optional) receives the disposition found.
void installUnlessIgnored(int signal, void (*handler)(int), int flags,
                          struct sigaction *previous = nullptr)
{
    struct sigaction found = {};
    if (::sigaction(signal, nullptr, &found) != 0)
        return;
    if (previous)
        *previous = found;
    if (found.sa_handler == SIG_IGN)
        return;
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = flags;
    ::sigaction(signal, &action, nullptr);
}

} // namespace

ShadowCleanup::ShadowCleanup()
{
    if (s_pipe[0] >= 0 || ::pipe2(s_pipe, O_CLOEXEC) != 0)
        return;
    ::fcntl(s_pipe[1], F_SETFL, O_NONBLOCK);
    std::thread([] {
        unsigned char byte = 0;
        for (;;) {
            const ssize_t n = ::read(s_pipe[0], &byte, 1);
            if (n == 1 && (byte & kDropOnly) != 0)
                dropShadows(); // the StopSignals scope's command ends the process
            else if (n == 1)
                dropShadowsAndEnd(byte, 0);
            else if (n == 0 || errno != EINTR)
                return;
        }
    }).detach();
    for (const int signal : StopSignals::kSignals)
        installUnlessIgnored(signal, &onSignal, SA_RESTART);
}

int ShadowCleanup::finish(int code) const
{
    return dropShadowsAndEnd(0, code);
}

QString signalName(int signal)
{
    switch (signal) {
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGHUP:
        return QStringLiteral("SIGHUP");
    }
    return QStringLiteral("signal %1").arg(signal);
}

StopSignals::StopSignals()
{
    s_cancel.store(false);
    s_signal = 0;
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        installUnlessIgnored(kSignals[i], &onStopSignal, 0, &m_previous[i]);
}

const std::atomic_bool *StopSignals::cancelFlag()
{
    return &s_cancel;
}

int StopSignals::received()
{
    return int(s_signal);
}

void StopSignals::endAsSignalled()
{
    const int signal = received();
    if (signal != SIGTERM && signal != SIGHUP)
        return;
    restore();
    dropShadowsAndEnd(signal, 0);
}

void StopSignals::restore()
{
    if (m_restored)
        return;
    m_restored = true;
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        ::sigaction(kSignals[i], &m_previous[i], nullptr);
}

} // namespace pd::cli
