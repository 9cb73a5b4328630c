// How `paritydeck` reacts to SIGINT, SIGTERM and SIGHUP (Ctrl-C, kill, `timeout`, a closed
// terminal). One mechanism with two scopes:
//
// - ShadowCleanup, held by run() for the whole process, owns a self-pipe and a thread. Its
//   handlers only write the signal's number to the pipe; the thread does what a handler may
//   not (connections, locks). Outside a StopSignals scope the thread drops the shadow
//   databases still being built (core/migrations/shadowdatabase.h) and ends the process by
//   the signal, as its sender asked. A signal ignored at start (nohup, a background job's
//   SIGINT) stays ignored.
// - StopSignals, held by a command that must not end on the spot (migrate apply/baseline,
//   promote: a migrations.command would keep running against the database with nobody
//   holding the lock; diff, drift: half an answer), replaces those handlers for its scope.
//   Its handlers set the cancel flag (cancelFlag(), received()) and also wake the thread,
//   which then drops the shadow databases at once (DROP … WITH (FORCE) ends the statement
//   building them) WITHOUT ending the process. The command cancels its running statement
//   or stops a migrations.command's process group (SIGTERM, then SIGKILL after a grace
//   period), rolls back, audits, and calls endAsSignalled(): SIGTERM and SIGHUP end the
//   process by that signal, SIGINT lets the command exit with its code (3).
//
// Every way out — run()'s last line (finish()), a signal outside a StopSignals scope,
// endAsSignalled() — is one function: drop the shadows still live within kBudgetMs, flush
// the output, then end by the signal (or leave at once with std::_Exit when shadows were
// still live, as work given up on may still be running). Handlers call only
// async-signal-safe functions: write() to the pipe and atomic stores.
#pragma once

#include <QString>

#include <atomic>
#include <csignal>
#include <iterator>

#include <signal.h>

namespace pd::cli {

class ShadowCleanup final
{
public:
    // Installs the handlers and starts the thread. One per process: run() holds it.
    ShadowCleanup();
    ~ShadowCleanup() = default;
    ShadowCleanup(const ShadowCleanup &) = delete;
    ShadowCleanup &operator=(const ShadowCleanup &) = delete;

    // For run()'s last line: drops what is still live (ShadowDatabase::dropAllBeforeExit())
    // and returns `code`; when something was, the work given up on may still be running, so
    // the process leaves at once with `code` (std::_Exit, output flushed) instead of running
    // static destructors beside it.
    int finish(int code) const;

    static constexpr int kBudgetMs = 2000;
};

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
    // After SIGTERM or SIGHUP: ends the process by that signal (see above). Otherwise
    // returns.
    void endAsSignalled();

    // The stop signals, which ShadowCleanup reacts to as well.
    static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

private:
    void restore();
    struct sigaction m_previous[std::size(kSignals)] = {};
    bool m_restored = false;
};

// "SIGINT", "SIGTERM", "SIGHUP", "signal N".
QString signalName(int signal);

} // namespace pd::cli
