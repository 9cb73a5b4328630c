// What the panel, the tray and `paritydeck status` say about one environment.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace pd {

// Ordered by precedence for aggregation (higher wins): Error > Degraded > Starting > Down > Up.
// Unknown means "not checked yet" and is shown as such, never as up.
enum class StatusState { Unknown = 0, Up = 1, Down = 2, Starting = 3, Degraded = 4, Error = 5 };

QString statusStateName(StatusState state);  // "up", "down", … (stable: used in JSON)
QString statusStateLabel(StatusState state); // "Up", "Down", … (for people)
int statusPrecedence(StatusState state);
StatusState aggregateState(const QList<StatusState> &states);

struct ServiceStatus
{
    QString name;
    StatusState state = StatusState::Unknown;
    QString reason;
    friend bool operator==(const ServiceStatus &, const ServiceStatus &) = default;
};

struct EnvironmentStatus
{
    QString environment;
    StatusState state = StatusState::Unknown;
    QString reason;           // a sentence when not up ("connection refused at 127.0.0.1:5433")
    QString database;         // the database checked: the selected branch, or the URL's
    QString serverVersion;    // "15.18" when reachable
    qint64 databaseSizeBytes = -1;
    QDateTime checkedAt;      // UTC
    qint64 latencyMs = -1;
    QList<ServiceStatus> services;
};

} // namespace pd

Q_DECLARE_METATYPE(pd::EnvironmentStatus)
