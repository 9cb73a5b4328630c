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

#include <QDeadlineTimer>
#include <QMetaObject>
#include <QMutex>
#include <QObject>
#include <QWaitCondition>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

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

// Results of workers started together (the status checks of one timer tick), gathered into
// one call on the owner's thread when they finish close together: one wake-up of that thread
// instead of one per worker. Gathering goes in rounds: the first worker to deliver in a round
// waits up to `waitMs` for the others that are still running, then posts what has come; the
// next delivery opens the next round. So a worker that hangs delays the others' results by
// `waitMs` at most, and workers that hang alike (servers that never answer, timing out
// together) come back together too. Calls run in the order they were delivered.
//
// The starter holds the gathering open while it starts workers: expectOne() before each
// start, startedAll() once done.
class GatheredReturn final
{
public:
    GatheredReturn(std::shared_ptr<ReturnAddress> address, int waitMs)
        : m_address(std::move(address))
        , m_waitMs(waitMs)
    {
    }
    GatheredReturn(const GatheredReturn &) = delete;
    GatheredReturn &operator=(const GatheredReturn &) = delete;

    void expectOne()
    {
        const QMutexLocker lock(&m_mutex);
        ++m_expected;
    }
    void startedAll() { arrive({}); }
    // From a worker, once: queues `call` for the owner's thread, with the others' of its
    // round. Returns the round, for waitUntilPosted().
    quint64 deliver(std::function<void()> call) { return arrive(std::move(call)); }
    // From a worker that delivered and has more to post on its own: returns once the round
    // it delivered in is posted (waitMs after that round's first delivery at most), so that
    // what it posts next comes after it.
    void waitUntilPosted(quint64 round)
    {
        QMutexLocker lock(&m_mutex);
        while (m_round <= round)
            m_allIn.wait(&m_mutex);
    }

    // How many posts reached the address (tests).
    int posts() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_posts;
    }

private:
    quint64 arrive(std::function<void()> call)
    {
        QMutexLocker lock(&m_mutex);
        const quint64 round = m_round;
        const bool fromWorker = bool(call);
        if (fromWorker)
            m_held.push_back(std::move(call));
        if (--m_expected == 0) {
            flushLocked();
            return round;
        }
        // The starter never waits, and one waiting worker per round is enough.
        if (!fromWorker || m_waiting)
            return round;
        m_waiting = true;
        const QDeadlineTimer deadline(m_waitMs);
        while (m_round == round && !deadline.hasExpired())
            m_allIn.wait(&m_mutex, deadline);
        m_waiting = false;
        if (m_round == round)
            flushLocked();
        return round;
    }

    // Ends the round: posts what it holds, if anything.
    void flushLocked()
    {
        ++m_round;
        m_allIn.wakeAll();
        if (m_held.empty())
            return;
        ++m_posts;
        m_address->post([calls = std::move(m_held)] {
            for (const std::function<void()> &call : calls)
                call();
        });
        m_held.clear();
    }

    const std::shared_ptr<ReturnAddress> m_address;
    const int m_waitMs;
    mutable QMutex m_mutex;
    QWaitCondition m_allIn;
    std::vector<std::function<void()>> m_held;
    int m_expected = 1; // the starter's hold, until startedAll()
    int m_posts = 0;
    quint64 m_round = 0;    // rounds posted so far; the open one's number
    bool m_waiting = false; // the open round has a worker waiting for the others
};

} // namespace pd
