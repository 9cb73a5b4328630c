#include "stopsignals.h"

#include "migrations/shadowdatabase.h"
#include "shadowcleanup.h"

#include <cstdio>

namespace pd::cli {

namespace {

std::atomic_bool s_cancel{false};
volatile std::sig_atomic_t s_signal = 0;

extern "C" void onStopSignal(int signal)
{
    s_signal = signal;
    s_cancel.store(true);
}

} // namespace

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
    struct sigaction action = {};
    action.sa_handler = &onStopSignal;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        ::sigaction(kSignals[i], &action, &m_previous[i]);
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
    // A shadow database still being built must not outlive the process.
    ShadowDatabase::dropAllBeforeExit(ShadowCleanup::kBudgetMs);
    std::fflush(stdout);
    std::fflush(stderr);
    std::signal(signal, SIG_DFL);
    std::raise(signal);
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
