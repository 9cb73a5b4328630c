// One environment as a card in the main window: name and protection badge, a status light
// with the state in words, the reason when it is not up, server version, database size and
// how long ago it was checked; the database actually used, the schema version, one light
// per service; and the actions Start, Stop and Apply migrations…, each disabled with a
// tool tip saying why when it cannot run. A running operation shows inline (busy bar, what
// it is doing, Cancel where it can stop); a failed one leaves its error inline with a
// Details expander — never a message box. Reads one row of an EnvironmentListModel and
// follows the EnvironmentController's signals for its environment.
#pragma once

#include "environment/environmentcontroller.h"

#include <QDateTime>
#include <QFrame>
#include <QPersistentModelIndex>

class QAbstractItemModel;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace pd::ui {

class ElidedLabel;
class StatusLight;

class EnvironmentCard final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnvironmentCard)

public:
    // `model` is an EnvironmentListModel (or any model with its roles) that outlives the card.
    // `controller` (may be null: then the card only watches) must outlive it too.
    EnvironmentCard(QAbstractItemModel *model, int row, EnvironmentController *controller,
                    QWidget *parent = nullptr);

    QString environment() const { return m_environment; }
    // Re-words "checked … ago" against `now`; the window calls this once a second.
    void refreshAge(const QDateTime &now);

Q_SIGNALS:
    // The user asked to review and apply this environment's pending migrations.
    void applyRequested(const QString &environment);

private:
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void updateFromModel();
    void updateServices();
    void updateSchema();
    void updateActions();
    void onOperationStarted(const QString &environment, const QString &description,
                            bool cancellable);
    void onOperationFinished(const QString &environment, const QString &description,
                             const pd::Result<void> &result);
    void onMigrationProgress(const QString &environment, const pd::MigrationProgress &progress);
    // `severity`: Error for failures, Degraded (a warning) for cancellations.
    void showError(const QString &summary, const QString &details, StatusState severity);

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

    EnvironmentController *m_controller = nullptr;
    QLabel *m_database = nullptr;
    QLabel *m_schema = nullptr;
    QWidget *m_services = nullptr;
    QHBoxLayout *m_servicesLayout = nullptr;
    QStringList m_serviceNames; // as laid out in m_services

    QProgressBar *m_busy = nullptr;
    QLabel *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_apply = nullptr;

    QFrame *m_error = nullptr;
    StatusLight *m_errorLight = nullptr;
    ElidedLabel *m_errorText = nullptr;
    QToolButton *m_errorDetailsButton = nullptr;
    QLabel *m_errorDetails = nullptr;
};

} // namespace pd::ui
