// The way back from worker threads to an object that may go away first, waking the object's
// thread once per result.
//
// Workers hold it by shared_ptr and post() a call that runs on the owner's thread (a queued
// QMetaObject::invokeMethod on the owner) — unless the owner has closed it, which its
// destructor does first. A call queued before close() but not yet run goes with the owner's
// other posted events when the owner is deleted, so it never reaches a deleted object.
//
// whenFinished() (whenfinished.h) does the same for a QFuture through a QFutureWatcher, which
// posts an event when the work starts as well as when it ends: two wake-ups per task. For
// work that runs all day on an idle panel (the status checks) the second one counts.
#pragma once

#include <QMetaObject>
#include <QMutex>
#include <QObject>

#include <utility>

namespace pd {

class ReturnAddress final
{
public:
    explicit ReturnAddress(QObject *owner)
        : m_owner(owner)
    {
    }
    ReturnAddress(const ReturnAddress &) = delete;
    ReturnAddress &operator=(const ReturnAddress &) = delete;

    // From any thread: queues `function` to run on the owner's thread. False once closed.
    template<typename Function> bool post(Function &&function)
    {
        const QMutexLocker lock(&m_mutex);
        if (!m_owner)
            return false;
        return QMetaObject::invokeMethod(m_owner, std::forward<Function>(function),
                                         Qt::QueuedConnection);
    }

    // The owner is going: nothing is posted from now on (waits for a post() under way).
    void close()
    {
        const QMutexLocker lock(&m_mutex);
        m_owner = nullptr;
    }

private:
    QMutex m_mutex;
    QObject *m_owner;
};

} // namespace pd
