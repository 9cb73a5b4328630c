// Shadow databases (core/migrations/shadowdatabase.h) outlive no `paritydeck` command: when
// the command ends (also when it gave up on a build, as `status --timeout` does) and when
// SIGINT, SIGTERM or SIGHUP ends the process, the shadows still being built are dropped
// first, within a bounded time, and the signal then ends the process as its sender asked.
// A command that handles these signals itself (StopSignals) replaces this for its duration.
#pragma once

namespace pd::cli {

class ShadowCleanup final
{
public:
    // Installs the handlers, for the signals not ignored (a background job's SIGINT stays
    // ignored). One per process: run() holds it.
    ShadowCleanup();
    ~ShadowCleanup() = default;

    // For run()'s last line: drops what is still live (ShadowDatabase::dropAllBeforeExit())
    // and returns `code`; when something was, the work given up on may still be running, so
    // the process leaves at once with `code` (std::_Exit, output flushed) instead of running
    // static destructors beside it.
    int finish(int code) const;
    ShadowCleanup(const ShadowCleanup &) = delete;
    ShadowCleanup &operator=(const ShadowCleanup &) = delete;

    static constexpr int kBudgetMs = 2000;
};

} // namespace pd::cli
