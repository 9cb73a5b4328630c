// The audit log (core/audit) as a table, newest first: when, who, environment, action,
// target, outcome, duration and the detail sentence; the selected entry in full below it.
// Shows the current workspace's entries by default (the log is shared by every workspace
// on the machine), with "All workspaces" one choice away; filtered by environment too. The
// file is read on a worker thread; Refresh (F5) reads it again.
#pragma once

#include "audit/auditlog.h"
#include "audit/sharedhistory.h"

#include <QMap>

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace pd::ui {

class AuditView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditView)

public:
    enum Column {
        TimeColumn,
        UserColumn,
        EnvironmentColumn,
        ActionColumn,
        TargetColumn,
        OutcomeColumn,
        DurationColumn,
        DetailColumn,
        ColumnCount
    };

    // `environments`: the filter's choices (the workspace's, in order). `workspaceFile`:
    // the current workspace (its entries are shown first). `logPath` empty: the default
    // audit log.
    AuditView(const QStringList &environments, const QString &workspaceFile,
              const QString &logPath = {}, QWidget *parent = nullptr);
    ~AuditView() override;

    void setEnvironmentFilter(const QString &environment); // empty: all
    // history: database — what the environment's paritydeck.history holds (the monitor
    // reads it with each check): listed with the local entries, marked as from the
    // database.
    void setSharedHistory(const QString &environment, const QList<SharedHistoryEntry> &entries);
    void setAllWorkspaces(bool all);
    int entryCount() const;
    bool isLoading() const noexcept { return m_loading; }

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    void loaded(int entries);

private:
    void showEntries(const Result<QList<AuditEntry>> &entries);
    void render();
    void showSelectedDetail();

    QString m_path;
    QString m_workspaceFile;
    QList<AuditEntry> m_entries;                       // as shown, newest first
    QList<AuditEntry> m_local;                         // as read from the log, oldest first
    QMap<QString, QList<SharedHistoryEntry>> m_shared; // by environment
    QComboBox *m_workspaceFilter = nullptr;
    QComboBox *m_filter = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_status = nullptr;
    QTableWidget *m_table = nullptr;
    bool m_loading = false;
    bool m_reloadAgain = false;
};

} // namespace pd::ui
