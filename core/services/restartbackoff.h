// The `restart: true` policy: when a supervised process exits on its own, the status
// monitor starts it again — at once the first time, then after 1, 2, 4 … seconds up to a
// ceiling, so a service that crashes on start does not fork in a tight loop. Once it has
// stayed up for `stableMs`, the next crash counts as the first again. Restarts happen only
// while a monitor runs (there is no daemon).
#pragma once

#include <QtGlobal>

namespace pd {

class RestartBackoff final
{
public:
    explicit RestartBackoff(qint64 firstDelayMs = 1000, qint64 maxDelayMs = 60000,
                            qint64 stableMs = 30000)
        : m_firstDelayMs(firstDelayMs)
        , m_maxDelayMs(maxDelayMs)
        , m_stableMs(stableMs)
    {
    }

    // `nowMs`: a monotonic clock (QElapsedTimer / QDeadlineTimer::current()).
    bool mayRestart(qint64 nowMs) const { return nowMs >= m_notBeforeMs; }
    // Records an attempt made at `nowMs`; returns its number (1-based).
    int recordAttempt(qint64 nowMs)
    {
        ++m_attempts;
        m_notBeforeMs = nowMs + delayAfter(m_attempts);
        m_upSinceMs = -1;
        return m_attempts;
    }
    // Call on every check that found the service up.
    void recordUp(qint64 nowMs)
    {
        if (m_upSinceMs < 0)
            m_upSinceMs = nowMs;
        else if (nowMs - m_upSinceMs >= m_stableMs) {
            m_attempts = 0;
            m_notBeforeMs = 0;
        }
    }
    int attempts() const noexcept { return m_attempts; }
    qint64 delayAfter(int attempt) const
    {
        qint64 delay = m_firstDelayMs;
        for (int i = 1; i < attempt && delay < m_maxDelayMs; ++i)
            delay *= 2;
        return qMin(delay, m_maxDelayMs);
    }

private:
    qint64 m_firstDelayMs;
    qint64 m_maxDelayMs;
    qint64 m_stableMs;
    int m_attempts = 0;
    qint64 m_notBeforeMs = 0;
    qint64 m_upSinceMs = -1;
};

} // namespace pd
