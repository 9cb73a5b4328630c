// While a command changes an environment (migrate apply/baseline, promote), Ctrl-C, kill,
// `timeout` and a closed terminal (SIGINT, SIGTERM, SIGHUP) cancel it instead of ending
// ParityDeck on the spot, which would leave a migrations.command running against the
// database with nobody holding the lock: ParityDeck's runner stops between migrations, a
// migrations.command has its process group stopped (SIGTERM, then SIGKILL after a grace
// period). SIGTERM and SIGHUP then end ParityDeck as their sender asked
// (endAsSignalled()), once the outcome is audited.
#pragma once

#include <QString>

#include <atomic>
#include <csignal>
#include <iterator>

#include <signal.h>

namespace pd::cli {

class StopSignals final
{
public:
    StopSignals();
    ~StopSignals() { restore(); }
    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;

    // The flag the handlers set: hand it to the runner (ApplyOptions::cancel, …).
    static const std::atomic_bool *cancelFlag();
    // The signal received since construction; 0 when none.
    static int received();
    void endAsSignalled();

private:
    void restore();
    static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction m_previous[std::size(kSignals)] = {};
    bool m_restored = false;
};

// "SIGINT", "SIGTERM", "SIGHUP", "signal N".
QString signalName(int signal);

} // namespace pd::cli
