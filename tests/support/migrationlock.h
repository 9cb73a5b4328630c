// ParityDeck's migration lock as "another applier" holds it, for the tests of both
// appliers (MigrationRunner and ExternalMigrationCommand).
#pragma once

#include "db/connection.h"
#include "migrations/migrationrunner.h"

#include <QElapsedTimer>
#include <QThread>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <type_traits>

namespace pd::test {

// Takes the migration lock on `connection` (a session of the test's own).
inline bool holdMigrationLock(Connection &connection)
{
    return connection
        .exec(QStringLiteral("SELECT pg_advisory_lock($1::bigint)"),
              {QString::number(MigrationRunner::advisoryLockKey())})
        .ok();
}

// Runs `apply` on a thread with `options`' cancel flag and progress wired to it, waits until
// it says it waits for the lock, then cancels. The result, or nothing when the applier never
// said it waited or did not end within 10 s of the cancel. `options` is left without them.
template<typename Options, typename Apply>
std::optional<std::invoke_result_t<Apply &>> applyThenCancelWhileWaiting(Options &options,
                                                                         Apply apply)
{
    std::atomic_bool cancel{false};
    std::atomic_bool waiting{false};
    options.cancel = &cancel;
    options.progress = [&waiting](const MigrationProgress &p) {
        if (p.phase == MigrationProgress::Phase::WaitingForLock)
            waiting = true;
    };
    auto running = std::async(std::launch::async, apply);
    QElapsedTimer clock;
    clock.start();
    while (!waiting && clock.elapsed() < 10000 &&
           running.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
    }
    const bool sawWaiting = waiting;
    cancel = true;
    const bool ended = running.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    running.wait(); // the flag it reads lives here
    options.cancel = nullptr;
    options.progress = {};
    if (!sawWaiting || !ended)
        return std::nullopt;
    return running.get();
}

} // namespace pd::test
