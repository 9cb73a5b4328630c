#include "statusmonitor.h"

#include "branches/branchselection.h"
#include "common/detachedwork.h"
#include "common/whenfinished.h"

#include "environment/environmentprobe.h"
#include "environment/keptconnections.h"
#include "environment/resolvedconnection.h"
#include "secrets/secretresolver.h"
#include "services/servicecontroller.h"
#include "workspace/protection.h"

#include <algorithm>
#include <limits>

namespace pd {

namespace {

QString serviceKey(const QString &environment, const QString &service)
{
    return environment + u'/' + service;
}

} // namespace

StatusMonitor::StatusMonitor(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
    , m_controller(new ServiceController(m_workspace, m_resolver, this))
    // One thread per environment (plus room) so that environments that hang until their
    // timeouts never queue the healthy ones behind them.
    , m_pool(ownedThreadPool(QStringLiteral("StatusMonitor pool"),
                             std::max(4, int(m_workspace.environments.size()) + 2)))
    , m_kept(std::make_shared<KeptConnections>())
{
    m_intervalMs = std::max(1, m_workspace.refreshIntervalSeconds) * 1000;
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &StatusMonitor::onTick);
    m_clock.start();
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments)) {
        EnvironmentStatus initial;
        initial.environment = env.name;
        for (const ServiceConfig &service : env.services)
            initial.services.append(ServiceStatus{service.name, StatusState::Unknown, {}, {}});
        m_status.insert(env.name, initial);
    }
}

void StatusMonitor::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
    m_controller->setSecretResolver(resolver);
}

StatusMonitor::~StatusMonitor()
{
    m_returnAddress->close(); // no check result is delivered from now on
    m_timer.stop();
    // Running restarts may wait for a secret from the resolver, which goes with this
    // object: they give up, and never ask it again.
    m_controller->beginShutdown();
    // The kept sessions end on a worker thread (closing one writes to its socket) of the
    // global pool, as this one drops what it has queued; a look still running gives its
    // connection back to a store that then closes it.
    QThreadPool::globalInstance()->start([kept = m_kept] { kept->close({}, true); });
    // Never waits: queued checks are dropped; running ones hold only copies (workspace,
    // environment, password, service inputs) and end within their timeouts on their own.
    // Their results land nowhere: the watchers die with this object.
    detachThreadPool(std::move(m_pool));
}

void StatusMonitor::closeKeptConnections(const QString &environment)
{
    if (environment.isEmpty())
        return;
    m_pool->start([kept = m_kept, environment] { kept->close(environment); });
}

void StatusMonitor::setIntervalMs(int ms)
{
    m_intervalMs = std::max(50, ms);
    m_scheduledTick = -1; // the next tick is due at the new interval's distance
    scheduleTick();
}

void StatusMonitor::setDeflapChecks(int checks)
{
    m_deflapChecks = std::max(1, checks);
}

void StatusMonitor::setMaxBackoffFactor(int factor)
{
    m_maxBackoffFactor = std::max(1, factor);
}

void StatusMonitor::setMaxCalmFactor(int factor)
{
    m_maxCalmFactor = std::max(1, factor);
}

void StatusMonitor::setCalmChecks(int checks)
{
    m_calmChecks = std::max(1, checks);
}

int StatusMonitor::checkEveryTicks(const QString &environment) const
{
    return m_tracking.value(environment).everyTicks;
}

qint64 StatusMonitor::nextCheckTick(const QString &environment) const
{
    return m_tracking.value(environment).dueTick;
}

void StatusMonitor::wake()
{
    const qint64 now = m_clock.elapsed();
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments)) {
        Tracking &tracking = m_tracking[env.name];
        if (tracking.everyTicks <= 1)
            continue; // checked on every tick anyway
        // Calm: back to every tick. Down: its back-off goes on from where it was, should
        // this check find it still down.
        if (tracking.downStreak == 0) {
            tracking.calmStreak = 0;
            dueAfter(tracking, 1);
        }
        if (tracking.finishedAtMs < 0 || now - tracking.finishedAtMs >= m_intervalMs)
            refresh(env.name);
    }
    scheduleTick();
}

void StatusMonitor::start()
{
    m_running = true;
    // Ticks go on counting across stop() and start(): the environments' due ticks stay valid.
    m_tickAtMs = m_clock.elapsed();
    m_scheduledTick = -1;
    refreshAll();
    scheduleTick();
}

void StatusMonitor::stop()
{
    m_running = false;
    m_scheduledTick = -1;
    m_timer.stop();
    // Looks waiting for a check that will not come: their callers look on their own.
    const QStringList waiting = m_lookRequests.keys();
    m_lookRequests.clear();
    for (const QString &environment : waiting)
        Q_EMIT catalogLooked(
            environment, Error(ErrorCode::Cancelled, QStringLiteral("the status checks stopped")));
}

bool StatusMonitor::requestCatalogLook(const QString &environment, const QByteArray &lastCounters)
{
    const EnvironmentConfig *env = m_workspace.environment(environment);
    if (!m_running || !env || env->database.url.trimmed().isEmpty())
        return false;
    // The next check comes within one stretch of ticks; with long intervals (the user's
    // own, Settings ▸ Checks) the drift watch's minute look would become a look every few
    // minutes.
    const int everyTicks = std::max(1, m_tracking.value(environment).everyTicks);
    if (qint64(everyTicks) * m_intervalMs > kLookWaitLimitMs)
        return false;
    m_lookRequests.insert(environment, lastCounters);
    return true;
}

void StatusMonitor::dueAfter(Tracking &tracking, int everyTicks) const
{
    tracking.everyTicks = std::max(1, everyTicks);
    // The next multiple of the stretch: environments on the same stretch share a tick.
    tracking.dueTick = (m_tick / tracking.everyTicks + 1) * tracking.everyTicks;
}

void StatusMonitor::scheduleTick()
{
    if (!m_running)
        return;
    // The soonest tick at which an environment not being checked is due (one never checked
    // yet: the next); one being checked is scheduled again when its check finishes.
    qint64 next = -1;
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments)) {
        if (m_inFlight.contains(env.name))
            continue;
        const qint64 due = std::max(m_tracking.value(env.name).dueTick, m_tick + 1);
        if (next < 0 || due < next)
            next = due;
    }
    if (next == m_scheduledTick && m_timer.isActive())
        return;
    m_scheduledTick = next;
    if (next < 0) {
        m_timer.stop();
        return;
    }
    const qint64 at = m_tickAtMs + (next - m_tick) * qint64(m_intervalMs);
    m_timer.start(
        int(std::clamp<qint64>(at - m_clock.elapsed(), 0, std::numeric_limits<int>::max())));
}

void StatusMonitor::onTick()
{
    // Ticks count as if none were skipped; a late timer (a suspended machine) counts from
    // when it fired.
    ++m_timerWakeups;
    m_tick = std::max(m_scheduledTick, m_tick + 1);
    m_tickAtMs = m_clock.elapsed();
    m_scheduledTick = -1;
    // The checks due on this tick (calm environments share their ticks) come back in one
    // wake-up of this thread when they finish within a moment of each other; a hanging one
    // holds the others' results back by that moment at most.
    m_tickReturn = std::make_shared<GatheredReturn>(m_returnAddress, kGatherResultsMs);
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments)) {
        if (m_tracking.value(env.name).dueTick > m_tick)
            continue;
        refresh(env.name);
    }
    std::exchange(m_tickReturn, nullptr)->startedAll();
    scheduleTick();
}

void StatusMonitor::refreshAll()
{
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments))
        refresh(env.name);
    checkSecrets();
}

void StatusMonitor::checkSecrets()
{
    // Every secret of every environment through the resolver (a keyring round trip, an env
    // variable, a command): asynchronous; only names and references come back into the
    // status, never a value.
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments)) {
        if (env.secrets.isEmpty())
            continue;
        QStringList names;
        QList<SecretRef> references;
        for (auto secret = env.secrets.cbegin(); secret != env.secrets.cend(); ++secret) {
            names.append(unreadableSecretLabel(secret.key(), secret.value()));
            references.append(secret.value());
        }
        whenFinished(this, resolveAll(*m_resolver, references),
                     [this, name = env.name, names](const QFuture<QList<Result<SecretValue>>> &f) {
                         const QList<Result<SecretValue>> values =
                             f.resultCount() > 0 ? f.result() : QList<Result<SecretValue>>();
                         QStringList unreadable;
                         for (qsizetype i = 0; i < names.size(); ++i) {
                             if (i >= values.size() || !values.at(i))
                                 unreadable.append(names.at(i));
                         }
                         setUnreadableSecrets(name, unreadable);
                     });
    }
}

void StatusMonitor::refresh(const QString &environment)
{
    const EnvironmentConfig *env = m_workspace.environment(environment);
    if (!env || m_inFlight.contains(environment))
        return;
    beginCheck(environment);

    if (!env->database.password) {
        startCheck(*env, nullptr);
        return;
    }
    if (const auto cached = m_passwords.constFind(environment); cached != m_passwords.cend()) {
        const Result<SecretValue> password(*cached);
        startCheck(*env, &password);
        return;
    }
    // Resolving may mean a keyring round trip or running a command: asynchronous, and the
    // watcher dies with the monitor so a late answer never reaches a deleted object.
    whenFinished(this, m_resolver->resolve(*env->database.password),
                 [this, envCopy = *env](const QFuture<Result<SecretValue>> &future) {
                     const Result<SecretValue> password = future.result();
                     if (password)
                         m_passwords.insert(envCopy.name, password.value());
                     startCheck(envCopy, &password);
                 });
}

void StatusMonitor::beginCheck(const QString &environment)
{
    const bool wasIdle = m_inFlight.isEmpty();
    m_inFlight.insert(environment);
    if (wasIdle)
        Q_EMIT busyChanged(true);
}

void StatusMonitor::startCheck(const EnvironmentConfig &env, const Result<SecretValue> *password)
{
    std::optional<Result<SecretValue>> passwordCopy;
    if (password)
        passwordCopy = *password;

    // Everything the worker needs is copied now: it must not touch the monitor.
    std::optional<QByteArray> lookCounters;
    if (const auto request = m_lookRequests.constFind(env.name); request != m_lookRequests.cend()) {
        lookCounters = *request;
        m_lookRequests.erase(request);
        ++m_catalogLooksTaken;
    }
    QList<ServiceCheckInput> inputs;
    for (const ServiceConfig &service : env.services) {
        ServiceCheckInput input = serviceCheckInput(m_workspace, env, service, passwordCopy);
        input.startsSeenHealthy = m_seenHealthy.value(serviceKey(env.name, service.name));
        input.logCapBytes = m_controller->logCapBytes();
        inputs.append(std::move(input));
    }

    // The result comes back through the return address, not a QFutureWatcher: one wake-up
    // of this thread per check instead of two (returnaddress.h) — or less, gathered with
    // the other checks of its tick.
    std::shared_ptr<GatheredReturn> gathered = m_tickReturn;
    if (gathered)
        gathered->expectOne();
    m_pool->start([this, address = m_returnAddress, gathered, kept = m_kept,
                   workspace = m_workspace, env, passwordCopy, inputs, lookCounters] {
        RawCheck raw;
        raw.hasDatabase = !env.database.url.trimmed().isEmpty();
        // `this` is only used on the monitor's thread, by calls that never outlive it.
        quint64 round = 0; // the gathering's round the result went with
        const auto post = [this, &address, &gathered, &env, &round](RawCheck found) {
            std::function<void()> finish = [this, name = env.name,
                                            found = std::move(found)]() mutable {
                finishCheck(name, std::move(found));
            };
            if (gathered)
                round = gathered->deliver(std::move(finish));
            else
                address->post(std::move(finish));
        };
        // The drift watch's look, once the check's query is answered. Its first step, the
        // write counters, is one small query: when they are as they were (nearly every
        // look), or cannot be read, its answer goes with the status, in the same call. The
        // digest that counters which moved call for goes after the status, so that a look
        // that takes long (the digest of a large schema, a catalog locked by VACUUM FULL)
        // never holds the status (and the services) back.
        bool posted = false;
        std::function<void(Connection &, const EnvironmentStatus &)> look;
        if (lookCounters) {
            look = [&](Connection &connection, const EnvironmentStatus &found) {
                RawCheck first = raw;
                first.database = found;
                first.services = checkServices(inputs);
                Result<LiveCatalogLook> counted =
                    lookAtCatalogCountersOn(connection, *lookCounters);
                if (!counted || counted->unchanged) {
                    first.look = std::move(counted);
                    post(std::move(first));
                    posted = true;
                    return;
                }
                post(std::move(first));
                posted = true;
                auto answer =
                    finishCatalogLookOn(connection, workspace, std::move(counted).value());
                // The look's answer comes after the status, never before it.
                if (gathered)
                    gathered->waitUntilPosted(round);
                address->post([this, name = env.name, answer = std::move(answer)] {
                    Q_EMIT catalogLooked(name, answer);
                });
            };
        }
        if (raw.hasDatabase) {
            // The selection lives in a per-user state file: read it here, off the GUI thread.
            // A selected cloud branch lives on another host: its whole connection is used.
            // The probe's connection skips libpq's GSSAPI attempt where that is known to
            // change nothing (the connection factory's GSSAPI fallback, gssattempt).
            // Where allowed, on a session kept from the last look (keptconnections.h).
            raw.database = probeEnvironmentAt(env, passwordCopy ? &*passwordCopy : nullptr,
                                              effectiveConnectionParams(workspace, env.name),
                                              keptBetweenLooks(env) ? kept.get() : nullptr, look);
            if (posted)
                return;
            // The look was not taken: the check's own reason (the server refused, timed out,
            // rejected the password) is the look's.
            if (lookCounters) {
                const QList<Error> &reasons = raw.database.reasonErrors.parts;
                raw.look = reasons.isEmpty() ? Error(ErrorCode::Runtime, raw.database.reason)
                                             : reasons.constFirst();
            }
        } else {
            raw.database.environment = env.name;
            raw.database.checkedAt = QDateTime::currentDateTimeUtc();
        }
        raw.services = checkServices(inputs);
        post(std::move(raw));
    });
}

StatusMonitor::Component StatusMonitor::settle(Tracking &tracking, const QString &key,
                                               StatusState state, const QList<Error> &reason)
{
    Component &c = tracking.components[key];
    if (!c.reported || state == c.state || tracking.causedByPanel) {
        // First result, or no change of state: report as is (the reason may be fresher).
        c.reported = true;
        c.state = state;
        c.reason = reason;
        c.pendingCount = 0;
        return c;
    }
    if (c.pending == state && c.pendingCount > 0)
        ++c.pendingCount;
    else {
        c.pending = state;
        c.pendingCount = 1;
    }
    if (c.pendingCount >= m_deflapChecks) {
        c.state = state;
        c.reason = reason;
        c.pendingCount = 0;
    }
    return c;
}

void StatusMonitor::finishCheck(const QString &environment, RawCheck raw)
{
    m_inFlight.remove(environment);
    Tracking &tracking = m_tracking[environment];
    if (tracking.dropRunning) {
        // Started before the panel's own action: what it saw is already history.
        if (raw.look)
            Q_EMIT catalogLooked(environment, *raw.look);
        tracking.dropRunning = false;
        refresh(environment);
        return;
    }
    const EnvironmentConfig *env = m_workspace.environment(environment);
    // A rejected password may have been changed in the keyring since: read it again next time.
    if (raw.hasDatabase && raw.database.state == StatusState::Error)
        m_passwords.remove(environment);

    EnvironmentStatus status = raw.database;
    status.environment = environment;
    status.services.clear();

    StatusState database = StatusState::Up;
    QList<Error> databaseReason;
    if (raw.hasDatabase) {
        const Component c =
            settle(tracking, QString(), raw.database.state, raw.database.reasonErrors.parts);
        database = c.state;
        databaseReason = c.reason;
    }
    for (const ServiceCheck &check : std::as_const(raw.services)) {
        const Component c = settle(tracking, check.status.name, check.status.state,
                                   check.status.reason.isEmpty() ? QList<Error>()
                                                                 : check.status.reasonErrors.parts);
        ServiceStatus service{check.status.name, c.state, {}, {}};
        if (!c.reason.isEmpty())
            setReason(service, c.reason.constFirst());
        status.services.append(std::move(service));
        const QString key = serviceKey(environment, check.status.name);
        if (check.healthy && !check.startId.isEmpty())
            m_seenHealthy[key] = QSet<QString>{check.startId};
    }

    // Combine the reported (de-flapped) parts.
    status.state = database;
    setReason(status, std::move(databaseReason));
    status = combineEnvironmentStatus(std::move(status), raw.hasDatabase);
    const StatusState combined = status.state;
    tracking.causedByPanel = false;

    // What was learnt elsewhere stays; what the database showed when it last answered is
    // kept for "last seen" while it does not.
    const EnvironmentStatus previous = m_status.value(environment);
    status.schema = previous.schema;
    status.drift = previous.drift;
    status.unreadableSecrets = previous.unreadableSecrets;
    if (!status.serverVersion.isEmpty()) {
        status.lastSeenVersion = status.serverVersion;
        status.lastSeenSizeBytes = status.databaseSizeBytes;
        status.lastSeenAt = status.checkedAt;
    } else {
        status.lastSeenVersion = previous.lastSeenVersion;
        status.lastSeenSizeBytes = previous.lastSeenSizeBytes;
        status.lastSeenAt = previous.lastSeenAt;
    }
    // A card never mixes states: while the database is reported as not answering (the
    // de-flap may still report it down after it came back), its facts are "last seen".
    if (raw.hasDatabase && database != StatusState::Up && database != StatusState::Degraded) {
        status.serverVersion.clear();
        status.databaseSizeBytes = -1;
        status.latencyMs = -1;
    } else if (raw.hasDatabase && status.serverVersion.isEmpty() &&
               !previous.serverVersion.isEmpty()) {
        // And the other way round: this check found it not answering, but the de-flap still
        // reports it up until the next check agrees — with what it said when it answered,
        // not greyed "last seen" beside "Up".
        status.serverVersion = previous.serverVersion;
        status.databaseSizeBytes = previous.databaseSizeBytes;
        status.latencyMs = previous.latencyMs;
        status.database = previous.database;
    }

    // Back-off: poll an environment that is down less often, up to maxBackoffFactor().
    // Calm: one where checks bring nothing new, up to maxCalmFactor(); news ends the
    // stretch in publish(), which tells news from a routine check anyway.
    const bool changeWaiting = std::any_of(tracking.components.cbegin(), tracking.components.cend(),
                                           [](const Component &c) { return c.pendingCount > 0; });
    int factor = 1;
    if (combined == StatusState::Down) {
        ++tracking.downStreak;
        tracking.calmStreak = 0;
        factor = std::min(m_maxBackoffFactor, 1 << std::min(tracking.downStreak - 1, 16));
    } else {
        tracking.downStreak = 0;
        tracking.calmStreak = changeWaiting ? 0 : tracking.calmStreak + 1;
        factor = std::min(m_maxCalmFactor, 1 << std::min(tracking.calmStreak / m_calmChecks, 16));
    }
    dueAfter(tracking, factor);
    tracking.finishedAtMs = m_clock.elapsed();
    scheduleTick();

    publish(status);
    // A look answered with the check comes after its status, as one answered on its own
    // does: the drift watch reads from the status whether the server answers.
    if (raw.look)
        Q_EMIT catalogLooked(environment, *raw.look);

    if (env)
        applyRestartPolicy(*env, raw.services);

    if (m_inFlight.isEmpty())
        Q_EMIT busyChanged(false);
}

void StatusMonitor::publish(const EnvironmentStatus &status)
{
    const auto previous = m_status.constFind(status.environment);
    const bool news = previous == m_status.cend() || !sameFactsShown(*previous, status);
    const bool newState = news && !sameStateShown(*previous, status);
    m_status.insert(status.environment, status);
    if (newState) {
        // Anything new (drift, migrations, liveness) ends a calm stretch; the database
        // growing by some pages (every write, autovacuum) does not.
        Tracking &tracking = m_tracking[status.environment];
        if (tracking.downStreak == 0) {
            tracking.calmStreak = 0;
            dueAfter(tracking, 1);
            scheduleTick();
        }
    }
    Q_EMIT statusChanged(status);
    if (news)
        Q_EMIT factsChanged(status);
    const StatusState now = aggregate();
    if (now != m_lastAggregate) {
        m_lastAggregate = now;
        Q_EMIT aggregateChanged(now);
    }
}

void StatusMonitor::recheckAfterAction(const QString &environment)
{
    if (!m_workspace.environment(environment))
        return;
    Tracking &tracking = m_tracking[environment];
    tracking.causedByPanel = true;
    dueAfter(tracking, 1);
    tracking.downStreak = 0;
    tracking.calmStreak = 0;
    if (m_inFlight.contains(environment))
        tracking.dropRunning = true; // finishCheck() starts the new check
    else
        refresh(environment);
}

template<typename T>
void StatusMonitor::setFact(const QString &environment, T EnvironmentStatus::*field, const T &value)
{
    const auto it = m_status.constFind(environment);
    if (it == m_status.cend() || (*it).*field == value)
        return;
    EnvironmentStatus status = *it;
    status.*field = value;
    publish(status);
}

void StatusMonitor::setSchemaFacts(const QString &environment, const SchemaFacts &facts)
{
    setFact(environment, &EnvironmentStatus::schema, facts);
}

void StatusMonitor::setUnreadableSecrets(const QString &environment, const QStringList &labels)
{
    setFact(environment, &EnvironmentStatus::unreadableSecrets, labels);
}

void StatusMonitor::setDrift(const QString &environment, const DriftStatus &drift)
{
    setFact(environment, &EnvironmentStatus::drift, drift);
}

void StatusMonitor::applyRestartPolicy(const EnvironmentConfig &env,
                                       const QList<ServiceCheck> &checks)
{
    const qint64 now = m_clock.elapsed();
    for (const ServiceCheck &check : checks) {
        const auto config =
            std::find_if(env.services.cbegin(), env.services.cend(),
                         [&](const ServiceConfig &s) { return s.name == check.status.name; });
        if (config == env.services.cend() || !config->restart)
            continue;
        const QString key = serviceKey(env.name, config->name);
        RestartBackoff &backoff = m_backoff[key];
        if (check.status.state == StatusState::Up)
            backoff.recordUp(now);
        if (!m_autoRestart || !check.crashed || m_restarting.contains(key) ||
            !backoff.mayRestart(now))
            continue;
        const int attempt = backoff.recordAttempt(now);
        m_restarting.insert(key);
        const QString environment = env.name;
        const QString service = config->name;
        // On the service controller's pool, holding its shared state, never the controller.
        QFuture<Result<void>> restart =
            m_controller->restartAfterExitAsync(environment, service, attempt);
        whenFinished(
            this, restart,
            [this, key, environment, service, attempt](const QFuture<Result<void>> &future) {
                const Result<void> done = future.result();
                m_restarting.remove(key);
                Q_EMIT serviceRestarted(environment, service, attempt,
                                        done ? QString() : done.error().message);
                refresh(environment);
            });
    }
}

QList<EnvironmentStatus> StatusMonitor::statuses() const
{
    QList<EnvironmentStatus> result;
    result.reserve(m_workspace.environments.size());
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments))
        result.append(m_status.value(env.name));
    return result;
}

EnvironmentStatus StatusMonitor::status(const QString &environment) const
{
    return m_status.value(environment);
}

StatusState StatusMonitor::aggregate() const
{
    QList<StatusState> states;
    for (const EnvironmentStatus &s : m_status)
        states.append(shownState(s));
    return aggregateState(states);
}

} // namespace pd
