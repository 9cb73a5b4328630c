// Polls every environment of a workspace off the GUI thread and publishes one
// EnvironmentStatus per environment. Lives on the thread that creates it (the GUI
// thread in the app); all waiting happens on its private thread pool, and results come
// back through QFutureWatchers parented to the monitor. A hanging environment holds one
// pool thread until its connect timeout; it never delays the others, and a new check of
// an environment is not started while its previous one is still running.
#pragma once

#include "environment/environmentstatus.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <optional>

namespace pd {

class SecretResolver;

class StatusMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusMonitor)

public:
    explicit StatusMonitor(Workspace workspace, QObject *parent = nullptr);
    ~StatusMonitor() override;

    const Workspace &workspace() const noexcept { return m_workspace; }

    void setIntervalMs(int ms);
    int intervalMs() const { return m_timer.interval(); }

    void start();          // first refresh at once, then every interval
    void stop();
    void refreshAll();     // checks every environment not already being checked
    void refresh(const QString &environment);

    QList<EnvironmentStatus> statuses() const; // in workspace order
    EnvironmentStatus status(const QString &environment) const;
    StatusState aggregate() const;
    int checksInFlight() const { return m_inFlight.size(); }

Q_SIGNALS:
    void statusChanged(const pd::EnvironmentStatus &status); // after every finished check
    void aggregateChanged(pd::StatusState state);
    void busyChanged(bool busy); // true while at least one check runs

private:
    void startCheck(const EnvironmentConfig &env, const Result<SecretValue> *password);
    void beginCheck(const QString &environment);
    void finishCheck(EnvironmentStatus status);

    Workspace m_workspace;
    SecretResolver *m_resolver = nullptr;
    QThreadPool m_pool;
    QTimer m_timer;
    QHash<QString, EnvironmentStatus> m_status;
    QHash<QString, SecretValue> m_passwords; // resolved once, dropped on auth failure
    QSet<QString> m_inFlight;
    StatusState m_lastAggregate = StatusState::Unknown;
};

} // namespace pd
