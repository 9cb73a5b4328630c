#include "statusmonitor.h"

#include "environment/environmentprobe.h"
#include "secrets/secretresolver.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace pd {

StatusMonitor::StatusMonitor(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
{
    // One thread per environment (plus one) so that environments that hang until their
    // connect timeout never queue the healthy ones behind them.
    m_pool.setMaxThreadCount(std::max(4, int(m_workspace.environments.size()) + 1));
    m_pool.setObjectName(QStringLiteral("StatusMonitor pool"));
    m_timer.setInterval(std::max(1, m_workspace.refreshIntervalSeconds) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &StatusMonitor::refreshAll);
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments)) {
        EnvironmentStatus initial;
        initial.environment = env.name;
        m_status.insert(env.name, initial);
    }
}

StatusMonitor::~StatusMonitor()
{
    m_timer.stop();
    // Checks already running finish within their connect timeout; queued ones are dropped.
    m_pool.clear();
}

void StatusMonitor::setIntervalMs(int ms)
{
    m_timer.setInterval(std::max(50, ms));
}

void StatusMonitor::start()
{
    refreshAll();
    m_timer.start();
}

void StatusMonitor::stop()
{
    m_timer.stop();
}

void StatusMonitor::refreshAll()
{
    for (const EnvironmentConfig &env : std::as_const(m_workspace.environments))
        refresh(env.name);
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
    auto *watcher = new QFutureWatcher<Result<SecretValue>>(this);
    const EnvironmentConfig envCopy = *env;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, envCopy] {
        const Result<SecretValue> password = watcher->future().result();
        watcher->deleteLater();
        if (password)
            m_passwords.insert(envCopy.name, password.value());
        startCheck(envCopy, &password);
    });
    watcher->setFuture(m_resolver->resolve(*env->database.password));
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
    auto *watcher = new QFutureWatcher<EnvironmentStatus>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        EnvironmentStatus status = watcher->future().result();
        watcher->deleteLater();
        finishCheck(std::move(status));
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [env, passwordCopy] {
        return probeEnvironment(env, passwordCopy ? &*passwordCopy : nullptr);
    }));
}

void StatusMonitor::finishCheck(EnvironmentStatus status)
{
    m_inFlight.remove(status.environment);
    // A rejected password may have been changed in the keyring since: read it again next time.
    if (status.state == StatusState::Error)
        m_passwords.remove(status.environment);
    m_status.insert(status.environment, status);
    Q_EMIT statusChanged(status);

    const StatusState now = aggregate();
    if (now != m_lastAggregate) {
        m_lastAggregate = now;
        Q_EMIT aggregateChanged(now);
    }
    if (m_inFlight.isEmpty())
        Q_EMIT busyChanged(false);
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
        states.append(s.state);
    return aggregateState(states);
}

} // namespace pd
