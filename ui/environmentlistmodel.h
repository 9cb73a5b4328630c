// One row per environment of the workspace, in workspace order, holding the latest
// EnvironmentStatus the StatusMonitor published. Views read it through the roles below;
// a finished check updates its own row only.
#pragma once

#include "environment/environmentstatus.h"
#include "workspace/workspace.h"

#include <QAbstractListModel>
#include <QHash>
#include <QIcon>
#include <QList>

namespace pd {
class StatusMonitor;
}

namespace pd::ui {

class EnvironmentListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnvironmentListModel)

public:
    enum Role {
        NameRole = Qt::UserRole + 1, // QString "dev"
        ProtectionRole,              // pd::Protection
        ProtectionTextRole,          // QString "protected · confirm", "read-only", ""
        StateRole,                   // pd::StatusState as shown: shownState() (Attention when up
                                     // with problems)
        StateNameRole,               // QString "up", "attention" (stable)
        StateLabelRole,              // QString "Up", "Needs attention" (for people)
        ReasonRole,                  // QString: why not up, or what needs attention; empty when up
        ServerVersionRole,           // QString "15.4", empty when unknown
        DatabaseSizeRole,            // qint64 bytes, -1 when unknown
        DatabaseSizeTextRole,        // QString "7.9 MB", empty when unknown
        CheckedAtRole,               // QDateTime (UTC), invalid before the first check
        LatencyRole,                 // qint64 ms, -1 when unknown
        DatabaseRole,                // QString: the database checked (selected branch or URL's)
        ServicesRole,                // QList<pd::ServiceStatus>, in workspace order
        LiveStateRole,               // pd::StatusState the probes found (never Attention)
        AttentionRole,               // QString "1 pending migration, drift, 2 objects" or ""
        DriftRole,                   // pd::DriftStatus
        LastSeenRole,                // QString "last seen PostgreSQL 15.18 · 8.1 MB" while the
                                     // database does not answer; "" otherwise
        StatusRole,                  // pd::EnvironmentStatus, all of it
    };
    Q_ENUM(Role)

    // The monitor must outlive the model (both normally live as long as the window).
    explicit EnvironmentListModel(StatusMonitor *monitor, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(const QString &environment) const; // -1 when unknown
    EnvironmentStatus statusAt(int row) const;
    // Aggregate of the rows as shown, by the same rules as StatusMonitor::aggregate().
    StatusState aggregate() const;

private:
    void applyStatus(const EnvironmentStatus &status);

    struct Row
    {
        QString name;
        Protection protection = Protection::None;
        EnvironmentStatus status;
    };
    QList<Row> m_rows;
    QHash<QString, int> m_rowByName;
    mutable QHash<int, QIcon> m_icons; // per StatusState
};

} // namespace pd::ui
