#include "environmentlistmodel.h"

#include "environment/statusmonitor.h"
#include "humanformat.h"
#include "statusicons.h"

namespace pd::ui {

EnvironmentListModel::EnvironmentListModel(StatusMonitor *monitor, QObject *parent)
    : QAbstractListModel(parent)
{
    Q_ASSERT(monitor);
    const QList<EnvironmentConfig> &envs = monitor->workspace().environments;
    m_rows.reserve(envs.size());
    for (const EnvironmentConfig &env : envs) {
        Row row;
        row.name = env.name;
        row.protection = env.protection;
        row.status = monitor->status(env.name);
        // A monitor that has not checked yet may not know the name; keep ours.
        row.status.environment = env.name;
        m_rowByName.insert(env.name, int(m_rows.size()));
        m_rows.append(row);
    }
    connect(monitor, &StatusMonitor::statusChanged, this, &EnvironmentListModel::applyStatus);
}

int EnvironmentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant EnvironmentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const EnvironmentStatus &s = row.status;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case Qt::ToolTipRole:
        return s.reason.isEmpty() ? QVariant() : QVariant(plainToolTip(s.reason));
    case Qt::DecorationRole: {
        // Views ask on every paint; render each state's icon once per model.
        auto it = m_icons.constFind(int(s.state));
        if (it == m_icons.cend())
            it = m_icons.insert(int(s.state), statusIcon(s.state));
        return *it;
    }
    case Qt::AccessibleTextRole:
        return QString(row.name + QStringLiteral(": ") + statusStateLabel(s.state));
    case ProtectionRole:
        return QVariant::fromValue(row.protection);
    case ProtectionTextRole:
        return protectionBadgeText(row.protection);
    case StateRole:
        return QVariant::fromValue(s.state);
    case StateNameRole:
        return statusStateName(s.state);
    case StateLabelRole:
        return statusStateLabel(s.state);
    case ReasonRole:
        return s.reason;
    case ServerVersionRole:
        return s.serverVersion;
    case DatabaseSizeRole:
        return s.databaseSizeBytes;
    case DatabaseSizeTextRole:
        return formatDataSize(s.databaseSizeBytes);
    case CheckedAtRole:
        return s.checkedAt;
    case LatencyRole:
        return s.latencyMs;
    case DatabaseRole:
        return s.database;
    case ServicesRole:
        return QVariant::fromValue(s.services);
    default:
        return {};
    }
}

QHash<int, QByteArray> EnvironmentListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, QByteArrayLiteral("name"));
    names.insert(ProtectionRole, QByteArrayLiteral("protection"));
    names.insert(ProtectionTextRole, QByteArrayLiteral("protectionText"));
    names.insert(StateRole, QByteArrayLiteral("state"));
    names.insert(StateNameRole, QByteArrayLiteral("stateName"));
    names.insert(StateLabelRole, QByteArrayLiteral("stateLabel"));
    names.insert(ReasonRole, QByteArrayLiteral("reason"));
    names.insert(ServerVersionRole, QByteArrayLiteral("serverVersion"));
    names.insert(DatabaseSizeRole, QByteArrayLiteral("databaseSize"));
    names.insert(DatabaseSizeTextRole, QByteArrayLiteral("databaseSizeText"));
    names.insert(CheckedAtRole, QByteArrayLiteral("checkedAt"));
    names.insert(LatencyRole, QByteArrayLiteral("latency"));
    names.insert(DatabaseRole, QByteArrayLiteral("database"));
    names.insert(ServicesRole, QByteArrayLiteral("services"));
    return names;
}

int EnvironmentListModel::rowOf(const QString &environment) const
{
    return m_rowByName.value(environment, -1);
}

EnvironmentStatus EnvironmentListModel::statusAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).status : EnvironmentStatus();
}

StatusState EnvironmentListModel::aggregate() const
{
    QList<StatusState> states;
    states.reserve(m_rows.size());
    for (const Row &row : m_rows)
        states.append(row.status.state);
    return aggregateState(states);
}

void EnvironmentListModel::applyStatus(const EnvironmentStatus &status)
{
    const int row = rowOf(status.environment);
    if (row < 0)
        return;
    m_rows[row].status = status;
    // Every role but the name and protection may have changed; only this row did.
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
}

} // namespace pd::ui
