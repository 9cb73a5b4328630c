// Keeps every reachable environment's drift known without a click. Lives on the GUI thread
// beside the StatusMonitor and publishes what it learns with StatusMonitor::setDrift(), so
// cards, rows, tray and status bar all read it from the status.
//
// When it checks (start() turns the automatic part on; checkNow() always works):
//  - shortly after start, each reachable environment once, staggered (staggerMs() apart);
//    the last check recorded on disk (driftrecords.h) is shown at once meanwhile, and a
//    record still fresh and still describing the database (same target, same digest)
//    needs no new full check;
//  - whenever the live schema may have changed: every digestIntervalMs() (default 60 s)
//    one look per reachable environment at the catalogs' write counters, then — only when
//    they moved — the catalog digest (schema/catalogdigest.h), taken by the environment's
//    next status check on its own connection (StatusMonitor::requestCatalogLook(): one
//    connection for both; on a connection of its own, staggered, when the monitor takes
//    none: stopped, or checking less often than every half minute), and a full check only
//    when the digest differs from the one taken at the last check;
//    also when the environment's applied migration head changed (invalidate() after the
//    panel's own apply);
//  - at the environment's drift_interval (workspace setting, per-environment override;
//    0 turns the automatic checks of that environment off) even if nothing changed.
//
// How: on its own thread pool at the lowest thread priority, at most one check (digest or
// full) per database server at a time, so a hung server holds only its own checks (each
// step is bounded by the connection's timeouts) and never the GUI thread. Full checks are
// computeDrift(): the live database is only read — protected environments included — and
// the expected schema comes from the snapshot cache or a shadow database on an unprotected
// server. stop() cancels what runs (between steps) and starts nothing new. A failed check
// is "drift: error" with the reason, never "none". Passwords are resolved asynchronously
// once and kept (dropped after a check fails to authenticate).
#pragma once

#include "common/result.h"
#include "environment/driftcheck.h"
#include "environment/driftrecords.h"
#include "environment/environmentstatus.h"
#include "secrets/secretvalue.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace pd {

class SecretResolver;
class StatusMonitor;

class DriftWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftWatch)

public:
    // The monitor must outlive the watch.
    explicit DriftWatch(StatusMonitor *monitor, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Call it before
    // the first request.
    void setSecretResolver(SecretResolver &resolver);
    // Cancels running checks; they end on their process-wide pool (each step is bounded by
    // its timeouts) and their results go nowhere: destroying the watch never waits.
    ~DriftWatch() override;

    void setStaggerMs(int ms) { m_staggerMs = std::max(0, ms); }
    int staggerMs() const noexcept { return m_staggerMs; }
    void setDigestIntervalMs(int ms);
    int digestIntervalMs() const { return m_tick.interval(); }
    // The user's own drift interval (seconds), replacing the workspace's top-level
    // drift_interval; environments with their own drift_interval keep it. nullopt: the
    // workspace's. Takes effect at the next check; 0 makes start() do nothing.
    void setIntervalOverrideSeconds(std::optional<int> seconds) { m_intervalOverride = seconds; }
    std::optional<int> intervalOverrideSeconds() const noexcept { return m_intervalOverride; }
    // The environment's drift interval in milliseconds (0: not watched). 64-bit: the
    // loader allows drift_interval up to INT_MAX seconds.
    qint64 intervalMs(const QString &environment) const;
    // Where the records live (tests); empty: the default under $XDG_STATE_HOME.
    void setRecordsDir(const QString &dir);

    void start();
    void stop();
    bool isStarted() const noexcept { return m_started; }

    // A full check of `environment` as soon as its server is free (the user asked).
    void checkNow(const QString &environment);
    // The schema changed on purpose (an apply): forget the drift, check again when started.
    void invalidate(const QString &environment);
    // The panel is acting on `environment` (Start, Stop, Restart, Apply, a branch switch):
    // no check of it starts, and one running is dropped — a server going down for a
    // restart is no drift error — until the hold ends; then its digest is looked at again.
    void hold(const QString &environment, bool held);
    bool isChecking(const QString &environment) const;

    // Counters for tests and benchmarks.
    int fullChecksStarted() const noexcept { return m_fullChecks; }
    int digestsStarted() const noexcept { return m_digests; }
    int checksRunning() const;

Q_SIGNALS:
    // `requested`: checkNow() asked for it (the window says so; background checks are quiet).
    void checkStarted(const QString &environment, bool requested);
    void checkFinished(const QString &environment, const pd::Result<pd::DriftReport> &report,
                       bool requested);

private:
    enum class Running { Nothing, Digest, Full };
    struct Entry
    {
        QString server;            // host:port: one check per server at a time
        QStringList passwordsFrom; // environments whose passwords the check needs
        DriftRecord record;        // the last check (or the record read at start)
        bool haveRecord = false;
        qint64 lastFullMs = -1; // m_clock time of the last full check this session
        int failures = 0;       // full checks in a row that failed (for the retry back-off)
        QByteArray counters;    // catalog write counters when the digest last matched
        bool fullWanted = false;
        bool digestWanted = false;
        bool requested = false;
        bool held = false; // hold()
        Running running = Running::Nothing;
        // The running digest rides on the status monitor's next check of this environment
        // (StatusMonitor::requestCatalogLook()): it holds nothing on the server meanwhile.
        bool riding = false;
        std::shared_ptr<std::atomic_bool> cancel;
    };

    void onStatusChanged(const EnvironmentStatus &status);
    void onTick();
    void pump();
    bool reachable(const QString &environment) const;
    bool serverBusy(const QString &server) const;
    void withPasswords(const QStringList &environments,
                       std::function<void(QHash<QString, Result<SecretValue>>)> work);
    void startFull(const QString &environment);
    void beginDigest(Entry &entry);
    // The digest on the next status check's connection; false when the monitor takes none.
    bool rideDigest(const QString &environment);
    // The digest on a connection of its own, on the watch's pool.
    void startDigest(const QString &environment);
    void onCatalogLooked(const QString &environment, const Result<LiveCatalogLook> &look);
    void finishDigest(const QString &environment, const std::shared_ptr<std::atomic_bool> &cancel,
                      const Result<LiveCatalogLook> &look);
    // Gives up waiting for a ride (its answer is then ignored): something more urgent.
    void endRide(Entry &entry);
    void finishFull(const QString &environment, const Result<DriftReport> &report);
    void publish(const QString &environment, bool checking);

    StatusMonitor *m_monitor;
    SecretResolver *m_resolver;
    QTimer m_tick;
    QTimer m_pumpLater;
    QElapsedTimer m_clock;
    QHash<QString, Entry> m_entries; // environments with a database
    QHash<QString, SecretValue> m_passwords;
    QSet<QString> m_reachable; // environments whose last status was up or degraded
    QString m_recordsDir;
    qint64 m_lastStartMs = -1;
    int m_staggerMs = 1500;
    std::optional<int> m_intervalOverride;
    bool m_started = false;
    int m_fullChecks = 0;
    int m_digests = 0;
};

} // namespace pd
