// One environment as a card in the main window: name and protection badge, a status light
// with the state in words, the reason when it is not up, server version, database size and
// how long ago it was checked; the database actually used, the schema version, one light
// per service; the schema drift badge (in sync / drift: N objects / unknown) and, for
// environments with branches, the git branch ↔ database branch line; and the actions
// Start, Stop, Switch branch…, Apply migrations… and Diff…, each disabled with a tool tip
// saying why when it cannot run (read-only, down, busy, not configured). A running operation shows
// inline (busy bar, what it is doing, Cancel where it can stop); a failed one leaves its error
// inline with a Details expander — never a message box. Reads one row of an EnvironmentListModel
// and follows the EnvironmentController's signals for its environment.
#pragma once

#include "environment/actionpolicy.h"
#include "environment/environmentcontroller.h"

#include <QDateTime>
#include <QFrame>
#include <QPersistentModelIndex>
#include <QPointer>

#include <optional>

class QAbstractItemModel;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpacerItem;
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

    // Card: several lines with every fact. Row: one line (light, name, state, schema, drift,
    // Start, Stop, Apply…, Diff…, More ▸ Restart/Switch branch…/Check drift) that fits
    // 1024 px, for many environments on a small screen; the other facts move to tool tips.
    enum class LayoutMode { Card, Row };
    void setLayoutMode(LayoutMode mode);
    LayoutMode layoutMode() const noexcept { return m_mode; }
    // Rows only: the widths the name and the protection badge want (0 without a badge), and
    // the widths every row of the window uses, so the columns line up.
    QSize rowColumnHints() const;
    void setRowColumns(int nameWidth, int badgeWidth);
    // Re-words "checked … ago" against `now`; the window calls this when the text changes.
    void refreshAge(const QDateTime &now);

    enum class Drift { Unknown, Checking, InSync, Drifted, Failed };
    // What the drift badge says. `changes` counts differing objects (Drifted); `detail` is
    // the summary or the error; the badge's tool tip carries it.
    void setDrift(Drift drift, int changes = 0, const QString &detail = {});
    Drift drift() const noexcept { return m_driftState; }
    // The checked-out git branch of the workspace ("" when unknown); shown beside the
    // database in use for environments with branches.
    void setGitBranch(const QString &branch);

Q_SIGNALS:
    // The user asked to review and apply this environment's pending migrations.
    void applyRequested(const QString &environment);
    // Diff… (from this environment, `to` empty: the user picks) and the drift badge
    // (from "migrations:ENV", the schema its migrations produce, to ENV).
    void diffRequested(const QString &from, const QString &to);
    void driftCheckRequested(const QString &environment);
    void branchSwitchRequested(const QString &environment);

public:
    enum class ServiceAction { Start, Stop, Restart };
    // As the Start, Stop and Restart buttons do: at once, or after the typed name.
    void requestServiceAction(ServiceAction action);
    // Asks for the environment's name before acting on its services.
    void askConfirmation(ServiceAction action);
    // Promote from its upstream (promotes_from): at once, or after the typed name; the
    // controller runs the gates and the migrations off the GUI thread.
    void requestPromotion();
    // The open "type the name" question of a protected Start/Stop/Restart or Promote, if any.
    QWidget *confirmationDialog() const { return m_confirmDialog; }

private:
    void buildLayout();
    void fillMoreMenu();
    void runServiceAction(ServiceAction action, const QString &confirmation);
    ActionDecision decide(EnvironmentAction action) const;
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles);
    void updateFromModel();
    void updateCheckedTime(qint64 latencyMs);
    QString checkedToolTip() const;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void updateServices();
    void updateSchema();
    void updateActions();
    void updateBranchLine();
    void updateDriftBadge();
    void updateSharedHistory();
    void showDrift(const DriftStatus &drift);
    void onOperationStarted(const QString &environment, const QString &description,
                            bool cancellable);
    void onOperationFinished(const QString &environment, const QString &description,
                             const pd::Result<void> &result);
    void onMigrationProgress(const QString &environment, const pd::MigrationProgress &progress);
    // `severity`: Error for failures, Degraded (a warning) for cancellations.
    void showError(const QString &summary, const QString &details, StatusState severity);

    QPersistentModelIndex m_index;
    LayoutMode m_mode = LayoutMode::Card;
    QSpacerItem *m_badgeGap = nullptr; // rows without a badge keep its column empty
    QString m_environment;
    QDateTime m_checkedAt;
    qint64 m_latencyMs = -1;
    // What updateFromModel() last showed, but for the check time.
    struct Shown
    {
        StatusState state;
        QString reason;
        QString version;
        QString size;
        QString database;
        QList<ServiceStatus> services;
        QString lastSeen;
        DriftStatus drift;
        friend bool operator==(const Shown &, const Shown &) = default;
    };
    std::optional<Shown> m_shown;

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
    QLabel *m_sharedHistory = nullptr; // history: database — the newest entry, cards only
    QWidget *m_services = nullptr;
    QHBoxLayout *m_servicesLayout = nullptr;
    QStringList m_serviceNames; // as laid out in m_services

    QProgressBar *m_busy = nullptr;
    QLabel *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_restart = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_switchBranch = nullptr;
    QPushButton *m_promote = nullptr; // only for environments with promotes_from
    QString m_upstream;               // their promotes_from
    QPointer<QWidget> m_confirmDialog;
    QPushButton *m_diff = nullptr;

    QLabel *m_branchLine = nullptr; // only for environments with branches
    QString m_gitBranch;
    QToolButton *m_driftBadge = nullptr;
    QToolButton *m_driftCheck = nullptr;
    // Rows only: Restart, Switch branch… and Check drift, so a row fits 1024 px.
    QToolButton *m_more = nullptr;
    Drift m_driftState = Drift::Unknown;
    // The database answers (up, needs attention, degraded): the schema line and the drift
    // badge describe it now; otherwise they are greyed as what it was when it last answered.
    bool m_factsCurrent = true;
    int m_driftChanges = 0;
    QString m_driftDetail;
    QDateTime m_driftCheckedAt;

    QFrame *m_error = nullptr;
    StatusLight *m_errorLight = nullptr;
    ElidedLabel *m_errorText = nullptr;
    QToolButton *m_errorDetailsButton = nullptr;
    QLabel *m_errorDetails = nullptr;
};

} // namespace pd::ui
