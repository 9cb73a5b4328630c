// The promise side of an asynchronous secret operation, shared (std::shared_ptr) between
// the queued call and the job/process callbacks that complete it.
//
// It finishes exactly once. If every holder drops it unfinished — the queued call was
// discarded because its target object died, or a job was destroyed mid-flight — it
// finishes with ErrorCode::Cancelled instead of leaving a future that is finished
// without a result (QFuture::result() on such a future is undefined behaviour).
#pragma once

#include "common/result.h"

#include <QFuture>
#include <QPromise>

#include <atomic>

namespace pd {

template<typename T> class PendingResult final
{
public:
    explicit PendingResult(QString whatIfDropped)
        : m_whatIfDropped(std::move(whatIfDropped))
    {
        m_promise.start();
    }
    ~PendingResult() { finish(Error(ErrorCode::Cancelled, m_whatIfDropped)); }
    PendingResult(const PendingResult &) = delete;
    PendingResult &operator=(const PendingResult &) = delete;

    QFuture<Result<T>> future() { return m_promise.future(); }

    void finish(Result<T> result)
    {
        if (m_finished.exchange(true))
            return;
        m_promise.addResult(std::move(result));
        m_promise.finish();
    }

    // A future that is already finished, for operations that need no waiting.
    static QFuture<Result<T>> ready(Result<T> result)
    {
        QPromise<Result<T>> promise;
        promise.start();
        promise.addResult(std::move(result));
        promise.finish();
        return promise.future();
    }

private:
    QPromise<Result<T>> m_promise;
    QString m_whatIfDropped;
    std::atomic_bool m_finished = false;
};

} // namespace pd
