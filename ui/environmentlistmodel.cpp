#include "environmentlistmodel.h"

#include "environment/statusmonitor.h"
#include "errortext.h"
#include "humanformat.h"
#include "statusicons.h"

namespace pd::ui {

namespace {

// Not up: why (plus what else is known to need attention); up with problems: the problems.
QString reasonOf(const EnvironmentStatus &s)
{
    const QString attention = attentionText(attentionItems(s));
    if (shownState(s) == StatusState::Attention)
        return attention;
    const QString reason = reasonText(s);
    // Not answering: its schema and drift are what it was (schemaFactsCurrent()).
    if (s.state == StatusState::Up || attention.isEmpty() || !schemaFactsCurrent(s))
        return reason;
    return reason.isEmpty() ? attention : reason + QStringLiteral("; ") + attention;
}

// What the database showed when it last answered, while it does not.
QString lastSeenText(const EnvironmentStatus &s)
{
    if (!s.serverVersion.isEmpty() || s.lastSeenVersion.isEmpty())
        return QString();
    QString text = EnvironmentListModel::tr("last seen PostgreSQL %1").arg(s.lastSeenVersion);
    const QString size = formatDataSize(s.lastSeenSizeBytes);
    if (!size.isEmpty())
        text += QStringLiteral(" · ") + size;
    if (s.lastSeenAt.isValid())
        text +=
            QStringLiteral(" · ") + s.lastSeenAt.toLocalTime().toString(QStringLiteral("HH:mm"));
    return text;
}

} // namespace

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
    const StatusState shown = shownState(s);
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case Qt::ToolTipRole: {
        const QString reason = reasonOf(s);
        return reason.isEmpty() ? QVariant() : QVariant(plainToolTip(reason));
    }
    case Qt::DecorationRole: {
        // Views ask on every paint; render each state's icon once per model.
        auto it = m_icons.constFind(int(shown));
        if (it == m_icons.cend())
            it = m_icons.insert(int(shown), statusIcon(shown));
        return *it;
    }
    case Qt::AccessibleTextRole:
        return QString(row.name + QStringLiteral(": ") + statusStateLabel(shown));
    case ProtectionRole:
        return QVariant::fromValue(row.protection);
    case ProtectionTextRole:
        return protectionBadgeText(row.protection);
    case StateRole:
        return QVariant::fromValue(shown);
    case StateNameRole:
        return statusStateName(shown);
    case StateLabelRole:
        return statusStateLabel(shown);
    case ReasonRole:
        return reasonOf(s);
    case LiveStateRole:
        return QVariant::fromValue(s.state);
    case AttentionRole:
        return attentionText(attentionItems(s));
    case DriftRole:
        return QVariant::fromValue(s.drift);
    case LastSeenRole:
        return lastSeenText(s);
    case StatusRole:
        return QVariant::fromValue(s);
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
    names.insert(LiveStateRole, QByteArrayLiteral("liveState"));
    names.insert(AttentionRole, QByteArrayLiteral("attention"));
    names.insert(DriftRole, QByteArrayLiteral("drift"));
    names.insert(LastSeenRole, QByteArrayLiteral("lastSeen"));
    names.insert(StatusRole, QByteArrayLiteral("status"));
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
        states.append(shownState(row.status));
    return aggregateState(states);
}

void EnvironmentListModel::applyStatus(const EnvironmentStatus &status)
{
    const int row = rowOf(status.environment);
    if (row < 0)
        return;
    const bool news = !sameFactsShown(m_rows[row].status, status);
    m_rows[row].status = status;
    const QModelIndex changed = index(row);
    if (!news) {
        // A routine check that found everything as it was: only its time and latency moved.
        Q_EMIT dataChanged(changed, changed, {Role::CheckedAtRole, Role::LatencyRole});
        return;
    }
    // Every role but the name and protection may have changed; only this row did.
    Q_EMIT dataChanged(changed, changed);
}

} // namespace pd::ui
