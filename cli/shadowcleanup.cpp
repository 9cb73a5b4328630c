#include "shadowcleanup.h"

#include "migrations/shadowdatabase.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace pd::cli {

namespace {

// The handler only writes the signal's number here; a thread of its own reads it and does
// the work a handler may not (connections, locks).
int s_pipe[2] = {-1, -1};

extern "C" void onSignal(int signal)
{
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(signal);
    (void)!::write(s_pipe[1], &byte, 1);
    errno = saved;
}

void endBySignal(int signal)
{
    ShadowDatabase::dropAllBeforeExit(ShadowCleanup::kBudgetMs);
    std::fflush(stdout);
    std::fflush(stderr);
    std::signal(signal, SIG_DFL);
    ::kill(::getpid(), signal);
}

} // namespace

ShadowCleanup::ShadowCleanup()
{
    if (s_pipe[0] >= 0 || ::pipe2(s_pipe, O_CLOEXEC) != 0)
        return;
    std::thread([] {
        unsigned char byte = 0;
        for (;;) {
            const ssize_t n = ::read(s_pipe[0], &byte, 1);
            if (n == 1)
                endBySignal(byte);
            else if (n == 0 || errno != EINTR)
                return;
        }
    }).detach();
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction previous = {};
        if (::sigaction(signal, nullptr, &previous) != 0 || previous.sa_handler == SIG_IGN)
            continue;
        struct sigaction action = {};
        action.sa_handler = &onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(signal, &action, nullptr);
    }
}

int ShadowCleanup::finish(int code) const
{
    if (ShadowDatabase::dropAllBeforeExit(kBudgetMs) == 0)
        return code;
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}

} // namespace pd::cli
