#include "driftwatch.h"

#include "environment/historyrecorder.h"

#include "common/whenfinished.h"
#include "db/connectionparams.h"
#include "environment/resolvedconnection.h"
#include "environment/schemasides.h"
#include "environment/statusmonitor.h"
#include "secrets/secretresolver.h"
#include "workspace/protection.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace pd {

namespace {

// Process-wide, like panelWorkPool(): a check that outlives its watch still has a thread to
// end on, and no destructor waits for a slow server. Lowest priority: drift is background
// knowledge and must never compete with the GUI or the status checks.
QThreadPool *driftPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setObjectName(QStringLiteral("DriftWatch pool"));
        p->setThreadPriority(QThread::LowestPriority);
        // Kept: a look every minute would otherwise start a new thread each time (the
        // default expiry is 30 s), and only as many exist as servers were checked at once.
        p->setExpiryTimeout(-1);
        p->setMaxThreadCount(8);
        return p;
    }();
    return pool;
}

bool isReachable(StatusState state)
{
    return state == StatusState::Up || state == StatusState::Degraded;
}

} // namespace

DriftWatch::DriftWatch(StatusMonitor *monitor, QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
    , m_resolver(new SecretResolver(monitor->workspace().rootDir, this))
{
    Q_ASSERT(monitor);
    m_clock.start();
    const Workspace &workspace = monitor->workspace();
    for (const EnvironmentConfig &env : workspace.environments) {
        if (env.database.url.trimmed().isEmpty())
            continue;
        Entry entry;
        const auto params = ConnectionParams::fromUrl(env.database.url);
        entry.server =
            params ? params->host + QLatin1Char(':') + QString::number(params->port) : env.name;
        // The environment itself and every unprotected one that could hold the shadow.
        if (const auto side = parseSchemaSide(workspace, QStringLiteral("migrations:") + env.name))
            entry.passwordsFrom = environmentsNeededFor(workspace, *side);
        if (!entry.passwordsFrom.contains(env.name))
            entry.passwordsFrom.prepend(env.name);
        m_entries.insert(env.name, entry);
    }
    m_tick.setInterval(60 * 1000);
    connect(&m_tick, &QTimer::timeout, this, &DriftWatch::onTick);
    m_pumpLater.setSingleShot(true);
    connect(&m_pumpLater, &QTimer::timeout, this, &DriftWatch::pump);
    connect(monitor, &StatusMonitor::statusChanged, this, &DriftWatch::onStatusChanged);
    connect(monitor, &StatusMonitor::catalogLooked, this, &DriftWatch::onCatalogLooked);
}

void DriftWatch::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
}

DriftWatch::~DriftWatch()
{
    for (const Entry &entry : std::as_const(m_entries)) {
        if (entry.cancel)
            entry.cancel->store(true);
    }
}

void DriftWatch::setDigestIntervalMs(int ms)
{
    m_tick.setInterval(std::max(50, ms));
}

void DriftWatch::setRecordsDir(const QString &dir)
{
    m_recordsDir = dir;
}

void DriftWatch::start()
{
    if (m_started || m_intervalOverride.value_or(m_monitor->workspace().driftIntervalSeconds) <= 0)
        return;
    m_started = true;
    // The records are a file: read on a worker; shown at once, then verified by digest.
    const DriftRecords records(m_monitor->workspace(), m_recordsDir);
    whenFinished(this, QtConcurrent::run(driftPool(), [records] { return records.load(); }),
                 [this](const QFuture<QHash<QString, DriftRecord>> &future) {
                     const QHash<QString, DriftRecord> loaded =
                         future.resultCount() > 0 ? future.result() : QHash<QString, DriftRecord>();
                     if (!m_started)
                         return;
                     const QDateTime now = QDateTime::currentDateTimeUtc();
                     for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
                         Entry &entry = it.value();
                         const auto record = loaded.constFind(it.key());
                         if (!entry.haveRecord && record != loaded.cend()) {
                             entry.record = *record;
                             entry.haveRecord = true;
                             publish(it.key(), false);
                         }
                         if (intervalMs(it.key()) <= 0)
                             continue;
                         // A fresh record of a check that succeeded is confirmed by the
                         // digest alone; anything else is checked in full.
                         const bool fresh =
                             entry.haveRecord && !entry.record.digest.isEmpty() &&
                             entry.record.drift.checkedAt.msecsTo(now) < intervalMs(it.key());
                         if (fresh)
                             entry.digestWanted = true;
                         else
                             entry.fullWanted = true;
                     }
                     pump();
                 });
    m_tick.start();
}

void DriftWatch::stop()
{
    m_started = false;
    m_tick.stop();
    m_pumpLater.stop();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->cancel)
            it->cancel->store(true);
        endRide(*it);
        it->fullWanted = it->digestWanted = false;
    }
}

void DriftWatch::checkNow(const QString &environment)
{
    const auto it = m_entries.find(environment);
    if (it == m_entries.end())
        return;
    it->fullWanted = true;
    it->requested = true;
    // The user asked: not after a look waiting for the next status check.
    endRide(*it);
    pump();
}

void DriftWatch::endRide(Entry &entry)
{
    if (!entry.riding)
        return;
    entry.riding = false;
    entry.running = Running::Nothing;
    if (entry.cancel)
        entry.cancel->store(true);
}

void DriftWatch::invalidate(const QString &environment)
{
    const auto it = m_entries.find(environment);
    if (it == m_entries.end())
        return;
    // What was measured is stale; a check running now may have started before the change.
    it->haveRecord = false;
    it->record = DriftRecord();
    it->record.drift.reason = QStringLiteral("the schema changed since the last check");
    if (it->cancel)
        it->cancel->store(true);
    endRide(*it);
    publish(environment, false);
    if (m_started && intervalMs(environment) > 0) {
        it->fullWanted = true;
        pump();
    }
}

void DriftWatch::hold(const QString &environment, bool held)
{
    const auto it = m_entries.find(environment);
    if (it == m_entries.end() || it->held == held)
        return;
    it->held = held;
    if (held) {
        if (it->running != Running::Nothing && it->cancel)
            it->cancel->store(true); // finishes as cancelled: what was known stays
        endRide(*it);
        return;
    }
    if (m_started && intervalMs(environment) > 0) {
        it->digestWanted = true;
        pump();
    }
}

bool DriftWatch::isChecking(const QString &environment) const
{
    const auto it = m_entries.constFind(environment);
    return it != m_entries.cend() && it->running == Running::Full;
}

int DriftWatch::checksRunning() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const Entry &e) { return e.running != Running::Nothing; }));
}

qint64 DriftWatch::intervalMs(const QString &environment) const
{
    const Workspace &workspace = m_monitor->workspace();
    const int base = m_intervalOverride.value_or(workspace.driftIntervalSeconds);
    if (base <= 0)
        return 0; // the watch is off for the whole workspace
    const EnvironmentConfig *env = workspace.environment(environment);
    return env ? qint64(env->driftIntervalSeconds.value_or(base)) * 1000 : 0;
}

bool DriftWatch::reachable(const QString &environment) const
{
    return isReachable(m_monitor->status(environment).state);
}

bool DriftWatch::serverBusy(const QString &server) const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(), [&server](const Entry &e) {
        return e.server == server && e.running != Running::Nothing && !e.riding;
    });
}

void DriftWatch::onStatusChanged(const EnvironmentStatus &status)
{
    // A server that comes back may be the one a failed check needed (the shadow database
    // lives on the first unprotected server that answers): failed checks are tried again.
    const bool cameBack = isReachable(status.state) && !m_reachable.contains(status.environment);
    if (isReachable(status.state))
        m_reachable.insert(status.environment);
    else
        m_reachable.remove(status.environment);
    if (cameBack && m_started) {
        bool retry = false;
        for (auto other = m_entries.begin(); other != m_entries.end(); ++other) {
            if (other->haveRecord && other->record.drift.state == DriftStatus::State::Error &&
                other->running == Running::Nothing && intervalMs(other.key()) > 0) {
                other->fullWanted = true;
                retry = true;
            }
        }
        if (retry)
            pump();
    }
    const auto it = m_entries.find(status.environment);
    if (it == m_entries.end() || it->running != Running::Nothing)
        return;
    // The applied head moved (an apply elsewhere, another branch): the expected schema
    // is another one, whatever the live digest says.
    // (A failed check has no head: comparing with it started the check again at once, after
    // every failure, as fast as the stagger allowed.)
    if (m_started && it->haveRecord && it->record.drift.state != DriftStatus::State::Error &&
        status.schema.known && status.schema.head != it->record.head &&
        intervalMs(status.environment) > 0)
        it->fullWanted = true;
    if ((it->fullWanted || it->digestWanted) && isReachable(status.state))
        pump();
}

void DriftWatch::onTick()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        const qint64 interval = intervalMs(it.key());
        if (interval <= 0 || it->running != Running::Nothing)
            continue;
        // Not known, known to have failed, or older than drift_interval: in full; else the
        // digest says whether anything changed.
        const QDateTime checkedAt = it->record.drift.checkedAt;
        const bool due = !checkedAt.isValid() ||
                         checkedAt.msecsTo(QDateTime::currentDateTimeUtc()) >= interval ||
                         (it->lastFullMs >= 0 && now - it->lastFullMs >= interval);
        if (it->haveRecord && it->record.drift.state == DriftStatus::State::Error) {
            // A check that failed is tried again after 1, 2, 4, 8… ticks, never later than
            // drift_interval: a permission or a catalog lock that keeps failing must not
            // cost the server a shadow build a minute.
            const qint64 retryMs = std::min<qint64>(
                interval, qint64(m_tick.interval()) << std::clamp(it->failures - 1, 0, 10));
            if (it->lastFullMs < 0 || now - it->lastFullMs >= retryMs)
                it->fullWanted = true;
        } else if (!it->haveRecord || due) {
            it->fullWanted = true;
        } else {
            it->digestWanted = true;
        }
    }
    pump();
}

void DriftWatch::pump()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        Entry &entry = it.value();
        if (entry.running != Running::Nothing || entry.held ||
            !(entry.fullWanted || entry.digestWanted))
            continue;
        if (!m_started && !entry.requested)
            continue;
        // The user's request is tried whatever the last probe said: it fails with the
        // reason if the server does not answer.
        if ((!entry.requested && !reachable(it.key())) || serverBusy(entry.server))
            continue;
        // A look that rides on the next status check puts no load of its own on the server:
        // nothing to stagger (and no timer to wake for).
        if (!entry.fullWanted && rideDigest(it.key()))
            continue;
        // Staggered: background checks start staggerMs() apart; the user's at once.
        if (!entry.requested && m_lastStartMs >= 0 && now - m_lastStartMs < m_staggerMs) {
            if (!m_pumpLater.isActive())
                m_pumpLater.start(int(m_staggerMs - (now - m_lastStartMs)));
            continue;
        }
        m_lastStartMs = now;
        if (entry.fullWanted)
            startFull(it.key());
        else
            startDigest(it.key());
    }
}

void DriftWatch::withPasswords(const QStringList &environments,
                               std::function<void(QHash<QString, Result<SecretValue>>)> work)
{
    QHash<QString, Result<SecretValue>> known;
    QStringList missing;
    QList<SecretRef> references;
    for (const QString &name : environments) {
        const EnvironmentConfig *env = m_monitor->workspace().environment(name);
        if (!env || !env->database.password)
            continue;
        if (const auto cached = m_passwords.constFind(name); cached != m_passwords.cend())
            known.insert(name, *cached);
        else {
            missing.append(name);
            references.append(*env->database.password);
        }
    }
    if (missing.isEmpty()) {
        work(known);
        return;
    }
    whenFinished(this, resolveAll(*m_resolver, references),
                 [this, known, missing, work = std::move(work)](
                     const QFuture<QList<Result<SecretValue>>> &future) mutable {
                     const QList<Result<SecretValue>> resolved =
                         future.resultCount() > 0 ? future.result() : QList<Result<SecretValue>>();
                     for (qsizetype i = 0; i < missing.size(); ++i) {
                         const Result<SecretValue> value =
                             i < resolved.size()
                                 ? resolved.at(i)
                                 : Result<SecretValue>(
                                       Error(ErrorCode::Cancelled, QStringLiteral("not resolved")));
                         if (value)
                             m_passwords.insert(missing.at(i), value.value());
                         known.insert(missing.at(i), value);
                     }
                     work(known);
                 });
}

void DriftWatch::startFull(const QString &environment)
{
    Entry &entry = m_entries[environment];
    entry.running = Running::Full;
    entry.fullWanted = false;
    entry.digestWanted = false;
    entry.cancel = std::make_shared<std::atomic_bool>(false);
    ++m_fullChecks;
    const bool requested = entry.requested;
    publish(environment, true);
    Q_EMIT checkStarted(environment, requested);
    const auto cancel = entry.cancel;
    withPasswords(entry.passwordsFrom, [this, environment,
                                        cancel](QHash<QString, Result<SecretValue>> passwords) {
        const Workspace workspace = m_monitor->workspace();
        const EnvironmentConfig *env = workspace.environment(environment);
        if (!env)
            return;
        const DriftRecords records(workspace, m_recordsDir);
        auto run = [workspace, config = *env, passwords, cancel, records]() {
            const ConnectionLookup lookup = connectionLookupWith(workspace, passwords);
            Result<DriftReport> report = computeDrift(workspace, config, lookup, cancel.get());
            if (!cancel->load()) {
                records.store(config.name, DriftRecords::recordOf(report));
                // history: database — a new finding (or its end) for the whole team.
                if (config.history == HistoryStore::Database) {
                    if (const Result<ConnectionParams> params = lookup(config)) {
                        if (const QString warning = recordDriftHistory(config, *params, report);
                            !warning.isEmpty())
                            qWarning().noquote() << warning;
                    }
                }
            }
            return report;
        };
        whenFinished(this, QtConcurrent::run(driftPool(), run),
                     [this, environment, cancel](const QFuture<Result<DriftReport>> &future) {
                         const Result<DriftReport> report =
                             future.resultCount() > 0
                                 ? future.result()
                                 : Result<DriftReport>(
                                       Error(ErrorCode::Cancelled,
                                             QStringLiteral("the drift check was abandoned")));
                         if (m_entries.value(environment).cancel != cancel)
                             return; // superseded
                         finishFull(environment,
                                    cancel->load()
                                        ? Result<DriftReport>(Error(
                                              ErrorCode::Cancelled,
                                              QStringLiteral("the drift check was cancelled")))
                                        : report);
                     });
    });
}

void DriftWatch::finishFull(const QString &environment, const Result<DriftReport> &report)
{
    Entry &entry = m_entries[environment];
    entry.running = Running::Nothing;
    const bool requested = entry.requested;
    entry.requested = false;
    if (!report && report.error().code == ErrorCode::Cancelled) {
        publish(environment, false); // what was known before stays
    } else {
        entry.record = DriftRecords::recordOf(report);
        entry.haveRecord = true;
        entry.failures = report ? 0 : entry.failures + 1;
        // The counters read just before the digest describe the schema just checked.
        entry.counters = report ? report->liveCounters : QByteArray();
        entry.lastFullMs = m_clock.elapsed();
        // A password the server refused may have been changed: read it again next time.
        if (!report && report.error().code == ErrorCode::Auth) {
            for (const QString &name : std::as_const(entry.passwordsFrom))
                m_passwords.remove(name);
        }
        publish(environment, false);
    }
    Q_EMIT checkFinished(environment, report, requested);
    pump();
}

void DriftWatch::beginDigest(Entry &entry)
{
    entry.running = Running::Digest;
    entry.digestWanted = false;
    entry.cancel = std::make_shared<std::atomic_bool>(false);
    ++m_digests;
}

bool DriftWatch::rideDigest(const QString &environment)
{
    // On the connection of the environment's next status check when one will come soon: a
    // look on a connection of its own cost the panel (and the server) a connection a minute
    // for every database not kept between looks — as much again as the status checks of a
    // quiet panel. The look then comes up to one check interval later.
    Entry &entry = m_entries[environment];
    if (!m_monitor->requestCatalogLook(environment, entry.counters))
        return false;
    beginDigest(entry);
    entry.riding = true;
    return true;
}

void DriftWatch::startDigest(const QString &environment)
{
    Entry &entry = m_entries[environment];
    beginDigest(entry);
    const auto cancel = entry.cancel;
    withPasswords({environment}, [this, environment,
                                  cancel](QHash<QString, Result<SecretValue>> passwords) {
        const Workspace workspace = m_monitor->workspace();
        const EnvironmentConfig *env = workspace.environment(environment);
        if (!env)
            return;
        const QByteArray lastCounters = m_entries.value(environment).counters;
        // Where allowed, on the status checks' kept session (keptconnections.h).
        std::shared_ptr<KeptConnections> kept;
        if (keptBetweenLooks(*env))
            kept = m_monitor->keptConnections();
        auto run = [workspace, config = *env, passwords, lastCounters, kept] {
            return lookAtLiveCatalog(workspace, config, connectionLookupWith(workspace, passwords),
                                     lastCounters, kept.get());
        };
        whenFinished(this, QtConcurrent::run(driftPool(), run),
                     [this, environment, cancel](const QFuture<Result<LiveCatalogLook>> &future) {
                         finishDigest(environment, cancel,
                                      future.resultCount() > 0 ? future.result()
                                                               : Result<LiveCatalogLook>(Error(
                                                                     ErrorCode::Cancelled, {})));
                     });
    });
}

void DriftWatch::onCatalogLooked(const QString &environment, const Result<LiveCatalogLook> &look)
{
    const auto it = m_entries.find(environment);
    if (it == m_entries.end() || !it->riding)
        return; // not asked, or no longer waited for (endRide())
    it->riding = false;
    finishDigest(environment, it->cancel, look);
}

void DriftWatch::finishDigest(const QString &environment,
                              const std::shared_ptr<std::atomic_bool> &cancel,
                              const Result<LiveCatalogLook> &look)
{
    auto it = m_entries.find(environment);
    if (it == m_entries.end() || it->cancel != cancel)
        return;
    it->running = Running::Nothing;
    // Unreachable now: the monitor says so; the next tick tries again.
    // Any other failure (a permission on a catalog, a lock that outlasts
    // the statement timeout) is the drift check's to report: a full check
    // says "drift: error" with the reason, rather than the last result
    // standing as if it were current. Its failures back off (onTick()).
    if (!look && !cancel->load() && look.error().code != ErrorCode::Cancelled &&
        look.error().code != ErrorCode::Refused &&
        (!it->haveRecord || it->record.drift.state != DriftStatus::State::Error))
        it->fullWanted = true;
    if (look && !cancel->load() && !look->unchanged) {
        if (!it->haveRecord || look->digest != it->record.digest) {
            it->fullWanted = true;
            it->counters.clear();
        } else {
            // The same schema: these counters describe it until they move.
            it->counters = look->counters;
        }
    }
    pump();
}

void DriftWatch::publish(const QString &environment, bool checking)
{
    const Entry entry = m_entries.value(environment);
    DriftStatus drift = entry.haveRecord ? entry.record.drift : DriftStatus();
    if (!entry.haveRecord && !entry.record.drift.reason.isEmpty())
        drift.reason = entry.record.drift.reason;
    drift.checking = checking;
    m_monitor->setDrift(environment, drift);
}

} // namespace pd
