// Polls every environment of a workspace off the GUI thread and publishes one
// EnvironmentStatus per environment: its database probe combined with the status of each
// of its services (environment/servicecheck.h). Lives on the thread that creates it (the GUI
// thread in the app); all waiting happens on its private thread pool, and results come
// back through QFutureWatchers parented to the monitor. A hanging environment or service
// probe holds one pool thread until its timeout; it never delays the others, and a new
// check of an environment is not started while its previous one is still running.
//
// What is reported is smoothed in two ways:
//  - de-flapping: a component (the database, each service) must show a new state on
//    deflapChecks() consecutive checks before the change is reported; the very first
//    result is reported at once. A flapping service therefore changes the reported state
//    at most once per deflapChecks() checks.
//  - back-off: an environment reported down is polled less often by the timer (every 2nd,
//    4th, 8th, then every 10th tick, up to maxBackoffFactor()); refresh()/refreshAll() always
//    check, and wake() checks one whose last check is older than the interval.
//  - calm: an environment whose last calmChecks() checks brought nothing new (no news by
//    sameStateShown(): the database's size moving is not, as autovacuum moves it without
//    anything happening; no change waiting out the de-flap) is polled every 2nd tick, after
//    as many more every 4th, then every 6th, up to maxCalmFactor(). Each check is a connection and
//    a query on both ends; on a quiet panel they were most of its idle CPU. Anything new returns
//    the environment to every tick, and so does someone looking: wake() (the window brought to the
//    front, the tray menu opened) checks at once every stretched environment, calm or down, whose
//    last check is older than the interval.
//  A stretched environment is checked on the ticks that are multiples of its stretch
//  (every 6th: ticks 6, 12, 18, …), so stretched environments share their ticks, and the
//  timer is set only for ticks where something is due: a quiet panel wakes every 6th tick
//  (and every 10th for one that is down), not every tick.
//  Neither applies to a change the panel itself caused: after its own Start, Stop, Restart,
//  Apply or branch switch, recheckAfterAction() checks at once (a check already running
//  started before the action: its result is dropped and a new one starts) and reports the
//  result without waiting for a second one.
//
// Besides liveness, each published status carries what the panel learnt elsewhere — the
// migration status (setSchemaFacts(), from the EnvironmentController) and the drift
// (setDrift(), from the DriftWatch) — so that every summary (cards, rows, tray, status
// bar) reads one status and ranks it by shownState() (environmentstatus.h).
//
// Combination, by precedence error > degraded > starting > down > up: the database's state;
// a service error is an error; a starting service is starting; a service that is down
// while the database is up makes the environment degraded (with the database down it is
// simply down). The reason names the service: "pgbouncer: port 6432 refused".
//
// Supervised services with `restart: true` that exited on their own are started again by
// the monitor (services/restartbackoff.h), only while a monitor runs.
#pragma once

#include "common/returnaddress.h"
#include "environment/driftcheck.h"
#include "environment/environmentstatus.h"
#include "environment/servicecheck.h"
#include "secrets/secretvalue.h"
#include "services/restartbackoff.h"
#include "workspace/workspace.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <optional>

namespace pd {

class KeptConnections;
class SecretResolver;
class ServiceController;

class StatusMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusMonitor)

public:
    explicit StatusMonitor(Workspace workspace, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Also used by
    // controller(). Call it before start().
    void setSecretResolver(SecretResolver &resolver);
    ~StatusMonitor() override;

    const Workspace &workspace() const noexcept { return m_workspace; }

    void setIntervalMs(int ms);
    int intervalMs() const noexcept { return m_intervalMs; }
    // Consecutive checks a new state must hold before it is reported (default 2, min 1).
    void setDeflapChecks(int checks);
    int deflapChecks() const noexcept { return m_deflapChecks; }
    // Longest stretch, in timer ticks, between checks of an environment reported down
    // (default 10, 50 s at the default interval: a hanging host's connect attempts were
    // most of an idle panel's work; under a minute, so that a card's "checked under a
    // minute ago" holds between two checks; docs/decisions.md 20).
    void setMaxBackoffFactor(int factor);
    int maxBackoffFactor() const noexcept { return m_maxBackoffFactor; }
    // Longest stretch, in timer ticks, between checks of an environment where nothing
    // changes (default 6, 30 s at the default interval, which the drift watch's looks still
    // ride on; 1 turns the calm stretch off), and how many checks without news make an
    // environment calm (default 6).
    void setMaxCalmFactor(int factor);
    int maxCalmFactor() const noexcept { return m_maxCalmFactor; }
    void setCalmChecks(int checks);
    int calmChecks() const noexcept { return m_calmChecks; }
    // Ticks between two timer checks of `environment` as things stand (1: every tick).
    int checkEveryTicks(const QString &environment) const;
    // The tick (counted from the first start(), skipped ones included) at which the timer
    // checks `environment` next, and how often the timer has fired.
    qint64 nextCheckTick(const QString &environment) const;
    int timerWakeups() const noexcept { return m_timerWakeups; }
    // Apply `restart: true` (default on).
    void setAutoRestart(bool on) { m_autoRestart = on; }

    void start(); // first refresh at once, then every interval
    void stop();
    void refreshAll(); // checks every environment not already being checked
    void refresh(const QString &environment);
    // Someone is looking: every calm environment is back to every tick, and checked now
    // when its last check is older than the interval.
    void wake();

    // The panel itself changed `environment` (started, stopped, applied, switched branch):
    // check it now and report what that check finds without de-flapping.
    void recheckAfterAction(const QString &environment);
    // Facts learnt outside the probes; published with statusChanged() when they change.
    void setSchemaFacts(const QString &environment, const SchemaFacts &facts);
    void setDrift(const QString &environment, const DriftStatus &drift);
    // The environment's secrets (`secrets:`) that cannot be read, as unreadableSecretLabel()
    // names them; checkSecrets() finds them (at start() and refreshAll()).
    void setUnreadableSecrets(const QString &environment, const QStringList &labels);
    void checkSecrets();

    QList<EnvironmentStatus> statuses() const; // in workspace order
    EnvironmentStatus status(const QString &environment) const;
    StatusState aggregate() const;
    int checksInFlight() const { return m_inFlight.size(); }

    // Starts/stops services with the monitor's secret resolver; the GUI uses this one so
    // its actions and the restart policy share one pool and one audit trail.
    ServiceController *serviceController() const noexcept { return m_controller; }

    // The connections the checks keep open between looks (environment/keptconnections.h);
    // the drift watch's looks share them. Closed for good when the monitor goes.
    const std::shared_ptr<KeptConnections> &keptConnections() const noexcept { return m_kept; }
    // The drift watch's look at the live catalog (lookAtLiveCatalogOn() with `lastCounters`,
    // environment/driftcheck.h), taken by `environment`'s next check on its own connection,
    // once its query is answered: one connection for both instead of two, which on a
    // database not kept between looks is most of what the look costs either side. The
    // answer comes with catalogLooked() (after that check's statusChanged()); a check that
    // cannot connect answers with its reason. A new request replaces one not yet taken.
    // False, and nothing asked, when no check will come soon: the monitor is not running,
    // does not know the environment, or checks it less often than every kLookWaitLimitMs
    // (the caller looks on its own).
    bool requestCatalogLook(const QString &environment, const QByteArray &lastCounters);
    static constexpr qint64 kLookWaitLimitMs = 30000;
    // How long the first result of a tick's checks waits for the others (GatheredReturn).
    static constexpr int kGatherResultsMs = 100;
    int catalogLooksTaken() const noexcept { return m_catalogLooksTaken; } // for tests

    // Closes `environment`'s kept connections, off this thread: called before the panel's
    // own Start, Stop, Restart or branch action, so that a server stopped in "smart" mode
    // does not wait for the panel's idle session to end.
    void closeKeptConnections(const QString &environment);

Q_SIGNALS:
    void statusChanged(const pd::EnvironmentStatus &status); // after every finished check
    // Right after statusChanged(), only when the status says something new
    // (!sameFactsShown() with the previous one): summaries that do not show the time of the
    // check listen to this, so a routine check that found nothing new costs them nothing.
    void factsChanged(const pd::EnvironmentStatus &status);
    void aggregateChanged(pd::StatusState state);
    void busyChanged(bool busy); // true while at least one check runs
    // The answer to requestCatalogLook(); a Cancelled error when the monitor stopped first.
    void catalogLooked(const QString &environment, const pd::Result<pd::LiveCatalogLook> &look);
    // The restart policy started `service` again (attempt counts from 1); `error` empty on success.
    void serviceRestarted(const QString &environment, const QString &service, int attempt,
                          const QString &error);

private:
    // What the worker found, before de-flapping.
    struct RawCheck
    {
        EnvironmentStatus database; // state Unknown and no reason when there is no database URL
        bool hasDatabase = true;
        QList<ServiceCheck> services;
        std::optional<Result<LiveCatalogLook>> look; // requestCatalogLook()'s answer
    };
    // One part of an environment's status as reported, and the change waiting to be.
    struct Component
    {
        bool reported = false;
        StatusState state = StatusState::Unknown;
        QList<Error> reason;
        StatusState pending = StatusState::Unknown;
        int pendingCount = 0;
    };
    struct Tracking
    {
        QHash<QString, Component> components; // "" = database, else service name
        int downStreak = 0;
        int calmStreak = 0;         // checks in a row that brought nothing new
        qint64 dueTick = 0;         // the timer tick that checks it next
        int everyTicks = 1;         // the stretch it is on (1: every tick)
        qint64 finishedAtMs = -1;   // m_clock time of the last finished check
        bool causedByPanel = false; // report the next result at once (recheckAfterAction)
        bool dropRunning = false;   // the running check started before the panel's action
    };

    void onTick();
    void scheduleTick();
    void dueAfter(Tracking &tracking, int everyTicks) const;
    void startCheck(const EnvironmentConfig &env, const Result<SecretValue> *password);
    void beginCheck(const QString &environment);
    void finishCheck(const QString &environment, RawCheck raw);
    Component settle(Tracking &tracking, const QString &key, StatusState state,
                     const QList<Error> &reason);
    void applyRestartPolicy(const EnvironmentConfig &env, const QList<ServiceCheck> &checks);
    void publish(const EnvironmentStatus &status);
    // Sets `field` of `environment`'s status to `value` and publishes it, if that changes it.
    template<typename T>
    void setFact(const QString &environment, T EnvironmentStatus::*field, const T &value);

    Workspace m_workspace;
    SecretResolver *m_resolver = nullptr;
    ServiceController *m_controller = nullptr;
    std::shared_ptr<QThreadPool> m_pool; // detached, never waited for, on destruction
    std::shared_ptr<ReturnAddress> m_returnAddress = std::make_shared<ReturnAddress>(this);
    // While onTick() starts its checks: their results come back gathered (returnaddress.h).
    std::shared_ptr<GatheredReturn> m_tickReturn;
    // Single-shot, set for the next tick at which some environment is due: ticks where
    // every environment is stretched out are skipped, and a thread that wakes for nothing
    // is what an idle panel's CPU time was made of.
    QTimer m_timer;
    int m_intervalMs = 5000;
    bool m_running = false;
    qint64 m_tick = 0;           // ticks so far, counted as if none were skipped
    qint64 m_tickAtMs = 0;       // m_clock time of tick m_tick
    qint64 m_scheduledTick = -1; // the tick m_timer fires for, or -1
    int m_timerWakeups = 0;
    QElapsedTimer m_clock;
    QHash<QString, EnvironmentStatus> m_status;
    QHash<QString, SecretValue> m_passwords; // resolved once, dropped on auth failure
    QSet<QString> m_inFlight;
    QHash<QString, QByteArray> m_lookRequests; // requestCatalogLook(): environment → counters
    int m_catalogLooksTaken = 0;
    QHash<QString, Tracking> m_tracking;
    QHash<QString, QSet<QString>> m_seenHealthy; // "env/service" → starts seen healthy
    QHash<QString, RestartBackoff> m_backoff;    // "env/service"
    QSet<QString> m_restarting;                  // "env/service"
    StatusState m_lastAggregate = StatusState::Unknown;
    int m_deflapChecks = 2;
    std::shared_ptr<KeptConnections> m_kept;
    int m_maxBackoffFactor = 10;
    int m_maxCalmFactor = 6;
    int m_calmChecks = 6;
    bool m_autoRestart = true;
};

} // namespace pd
