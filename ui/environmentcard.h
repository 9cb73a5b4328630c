// One environment as a card in the main window: name and protection badge, a status light
// with the state in words, the reason when it is not up, server version, database size and
// how long ago it was checked. Reads one row of an EnvironmentListModel and repaints when
// that row's dataChanged arrives.
#pragma once

#include <QDateTime>
#include <QFrame>
#include <QPersistentModelIndex>

class QAbstractItemModel;
class QLabel;

namespace pd::ui {

class ElidedLabel;
class StatusLight;

class EnvironmentCard final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnvironmentCard)

public:
    // `model` is an EnvironmentListModel (or any model with its roles) that outlives the card.
    EnvironmentCard(QAbstractItemModel *model, int row, QWidget *parent = nullptr);

    QString environment() const { return m_environment; }
    // Re-words "checked … ago" against `now`; the window calls this once a second.
    void refreshAge(const QDateTime &now);

private:
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void updateFromModel();

    QPersistentModelIndex m_index;
    QString m_environment;
    QDateTime m_checkedAt;

    StatusLight *m_light = nullptr;
    QLabel *m_name = nullptr;
    QLabel *m_badge = nullptr; // only for protected environments
    QLabel *m_state = nullptr;
    ElidedLabel *m_reason = nullptr;
    QLabel *m_version = nullptr;
    QLabel *m_size = nullptr;
    QLabel *m_checked = nullptr;
};

} // namespace pd::ui
