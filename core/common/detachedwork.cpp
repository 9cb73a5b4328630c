#include "common/detachedwork.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QList>
#include <QMutex>

#include <algorithm>
#include <mutex>

namespace pd {

namespace {

struct DetachedPools
{
    QMutex mutex;
    QList<std::shared_ptr<QThreadPool>> pools;
};

// Never destroyed: at exit, a pool still running must not be waited for by a static
// destructor (finishDetachedWork() decides how long the process waits).
DetachedPools &detached()
{
    static auto *pools = new DetachedPools;
    return *pools;
}

// Takes the idle pools out of the list; the caller drops them outside the lock (deleting
// an idle pool only joins threads that have nothing left to run).
QList<std::shared_ptr<QThreadPool>> takeIdle(QList<std::shared_ptr<QThreadPool>> &pools)
{
    QList<std::shared_ptr<QThreadPool>> idle;
    for (auto it = pools.begin(); it != pools.end();) {
        if ((*it)->activeThreadCount() == 0) {
            idle.append(std::move(*it));
            it = pools.erase(it);
        } else {
            ++it;
        }
    }
    return idle;
}

// A process that ends without finishDetachedWork() of its own (a test, a tool) still never
// runs static destructors beside a detached task: when the application object goes, the
// tasks get this long, in total, to end.
constexpr int kApplicationEndGraceMs = 15000;

} // namespace

std::shared_ptr<QThreadPool> ownedThreadPool(const QString &name, int maxThreads)
{
    static std::once_flag registered;
    std::call_once(registered,
                   [] { qAddPostRoutine([] { finishDetachedWork(kApplicationEndGraceMs); }); });
    auto pool = std::make_shared<QThreadPool>();
    pool->setObjectName(name);
    pool->setMaxThreadCount(maxThreads);
    return pool;
}

void detachThreadPool(std::shared_ptr<QThreadPool> pool)
{
    if (!pool)
        return;
    pool->clear();
    QList<std::shared_ptr<QThreadPool>> idle;
    {
        DetachedPools &d = detached();
        const QMutexLocker lock(&d.mutex);
        d.pools.append(std::move(pool));
        idle = takeIdle(d.pools);
    }
}

bool finishDetachedWork(int timeoutMs)
{
    const QDeadlineTimer deadline(std::max(0, timeoutMs));
    DetachedPools &d = detached();
    QList<std::shared_ptr<QThreadPool>> pools;
    {
        const QMutexLocker lock(&d.mutex);
        pools = d.pools;
    }
    bool allDone = true;
    for (const std::shared_ptr<QThreadPool> &pool : std::as_const(pools)) {
        if (!pool->waitForDone(int(std::max<qint64>(0, deadline.remainingTime()))))
            allDone = false;
    }
    QList<std::shared_ptr<QThreadPool>> idle;
    {
        const QMutexLocker lock(&d.mutex);
        idle = takeIdle(d.pools);
    }
    pools.clear();
    return allDone;
}

int detachedPoolsRunning()
{
    DetachedPools &d = detached();
    QList<std::shared_ptr<QThreadPool>> idle;
    const QMutexLocker lock(&d.mutex);
    idle = takeIdle(d.pools);
    return int(d.pools.size());
}

} // namespace pd
