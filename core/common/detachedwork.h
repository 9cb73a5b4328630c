// Work an object started on its own thread pool and does not wait for when it goes away.
//
// Destructors run on the GUI thread, which never waits (docs/architecture.md, Threading),
// and a pool member's destructor waits for every running task — a status check stuck in a
// connect to a server that never answers, a service action polling a health probe. So an
// object keeps its pool in the shared_ptr ownedThreadPool() makes, and its destructor
// cancels what it can (its own cancel flags) and calls detachThreadPool(): queued tasks are
// dropped, running ones finish on their own — each is bounded by its connect/query deadline
// or command timeout — holding what they use by value or by shared ownership, never the
// object. The pool is deleted once idle, by a later detach or by finishDetachedWork().
//
// At the end of the process the app calls finishDetachedWork(ms): it waits at most `ms`
// in total for the running tasks of every detached pool and says whether all ended. When
// they did not, the app exits at once (std::_Exit, after flushing) instead of running static
// destructors beside threads still inside libpq: quitting never waits for a hung server.
// A process that does not call it (tests, tools) gets the same bounded wait, 15 s, when its
// QCoreApplication is destroyed.
#pragma once

#include <QString>
#include <QThreadPool>

#include <memory>

namespace pd {

// A pool for one object's work; `maxThreads` as QThreadPool::setMaxThreadCount.
std::shared_ptr<QThreadPool> ownedThreadPool(const QString &name, int maxThreads);

// Drops the pool's queued tasks and keeps it alive until its running tasks ended; never
// waits. Call from the owner's destructor (any thread but one of the pool's own).
void detachThreadPool(std::shared_ptr<QThreadPool> pool);

// Waits at most `timeoutMs` in total for every detached pool's running tasks and deletes
// the pools that are idle. True when none is left running.
bool finishDetachedWork(int timeoutMs);

// Detached pools with tasks still running (idle ones are deleted first). For tests.
int detachedPoolsRunning();

} // namespace pd
