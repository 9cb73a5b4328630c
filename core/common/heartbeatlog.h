// A GUI-thread stall meter for the benchmarks (opt-in through PARITYDECK_HEARTBEAT_LOG):
// a 10 ms timer on the thread that owns it; once a second it appends
// "MS_SINCE_CLOCK_START WORST_GAP_MS" to the log, the gap being how much later than due the
// timer fired in that second — the longest that thread could not react. The file is opened
// once, written once a second and never synced. Header-only, so the benchmark's peer (the
// minimal tray app, which links no ParityDeck library) measures itself the same way.
#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QTimer>

#include <algorithm>

namespace pd {

class HeartbeatLog final : public QObject
{
public:
    // `clock` (running) dates the lines: the app passes the time since launch.
    HeartbeatLog(const QString &path, const QElapsedTimer &clock, QObject *parent)
        : QObject(parent)
        , m_clock(clock)
        , m_log(path)
    {
        if (!m_log.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
            qWarning("heartbeat log %s: %s", qPrintable(path), qPrintable(m_log.errorString()));
            return;
        }
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(IntervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { beat(); });
        m_last = m_clock.nsecsElapsed();
        m_secondStart = m_last;
        m_timer.start();
    }

private:
    static constexpr int IntervalMs = 10;

    void beat()
    {
        const qint64 now = m_clock.nsecsElapsed();
        m_worstNs = std::max(m_worstNs, now - m_last - qint64(IntervalMs) * 1000000);
        m_last = now;
        if (now - m_secondStart < 1000000000)
            return;
        m_log.write(QByteArray::number(now / 1000000) + ' ' +
                    QByteArray::number(std::max<qint64>(0, m_worstNs) / 1e6, 'f', 1) + '\n');
        m_worstNs = 0;
        m_secondStart = now;
    }

    QElapsedTimer m_clock;
    QFile m_log;
    QTimer m_timer;
    qint64 m_last = 0;
    qint64 m_secondStart = 0;
    qint64 m_worstNs = 0;
};

} // namespace pd
