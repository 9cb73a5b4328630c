// Review and apply an environment's pending migrations: the plan (each migration not yet
// applied, with its SQL and flags for changed checksums, no-transaction and destructive
// statements), a Dry run, and Apply with per-migration progress and Cancel (between
// migrations). Destructive statements are listed in a warning panel before Apply. A
// protected environment enables Apply only once its name is typed exactly; a read-only
// one cannot apply at all, and says so.
//
// A workspace that sets `migrations.command` is applied by that command (Alembic, Prisma,
// dbmate, a script): the dialog says so (the command, its folder, the variables carrying
// the connection, the history the pending list comes from), its Dry run reads the status
// and shows what the command would be run against without running it, Apply runs it with
// the same typed-name guard, its output is shown line by line as it prints it, Cancel stops
// it (its whole process group), and the result says where the head went. The history's
// problems do not disable Apply there: the tool decides, as with the CLI.
//
// Revert mode (constructed with a RevertPlan, from a drift review's "Revert ENV to its
// migrations"): the same dialog — where it acts, the SQL, the destructive-statement panel,
// the typed name on protected environments, Dry run, Apply with progress and Cancel, the
// result kept after Apply — shows and applies the SQL that turns ENV's live schema back into
// what its migrations produce, instead of pending migrations. It runs through
// EnvironmentController::revertToMigrations() (core's revert: protection, lock, one
// transaction, refused when the schema changed since the review, audited as "revert").
// "Include destructive changes" makes the plan's script again (on a worker) and Apply waits
// for it.
//
// Non-modal: the main window stays usable while it is open. Everything slow — the plan,
// parsing the SQL, the apply — happens through the EnvironmentController and on worker
// threads; results arrive through watchers parented to the dialog.
#pragma once

#include "environment/environmentcontroller.h"

#include <QDialog>
#include <QFuture>
#include <QHash>

#include <functional>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace pd::ui {

class SqlHighlighter;

// What the migration dialog applies in revert mode: the SQL that turns `environment`'s live
// schema (fingerprint `liveFingerprint`, as reviewed) into what its migrations produce.
struct RevertPlan
{
    QString environment;
    QByteArray liveFingerprint;
    QStringList objects; // "table public.hotfix": named in the audit entry
    bool includeDestructive = false;
    QString sql; // for includeDestructive as set
    // The SQL for a state of "Include destructive changes". Called on a worker thread: it
    // holds what it needs by value.
    std::function<QString(bool includeDestructive)> script;
};

class MigrationDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MigrationDialog)

public:
    // The controller must outlive the dialog.
    MigrationDialog(EnvironmentController *controller, const QString &environment,
                    QWidget *parent = nullptr);
    // Revert mode (see above).
    MigrationDialog(EnvironmentController *controller, RevertPlan plan, QWidget *parent = nullptr);
    ~MigrationDialog() override;

    QString environment() const { return m_environment; }
    bool isRevert() const { return m_revert.has_value(); }

Q_SIGNALS:
    // Revert mode: Apply started the revert; `result` finishes with its outcome, also when
    // the dialog is closed before it does.
    void revertStarted(const QFuture<pd::Result<pd::RevertReport>> &result);
    // Revert mode: the user ticked or unticked "Include destructive changes".
    void includeDestructiveChanged(bool include);

private:
    MigrationDialog(EnvironmentController *controller, const QString &environment,
                    std::optional<RevertPlan> plan, QWidget *parent);
    // Found off the GUI thread in the pending migrations' SQL.
    struct Analysis
    {
        QHash<QString, QString> sql;       // version → text
        QHash<QString, QStringList> flags; // version → "no transaction", "destructive"
        QStringList destructive; // "migrations/0002_x.sql:3:1: drops a table — DROP …"
        QStringList parseErrors;
        QStringList warnings; // near-miss directives (SqlScript::warnings)
    };

    void showPlan();
    void analyse(const MigrationPlan &plan);
    void showAnalysis(const Analysis &analysis);
    void showSelectedSql();
    void updateButtons();
    void runApply(bool dryRun);
    void runCommand(bool dryRun);
    // What both kinds of run share: the request (dry run, typed name) and the reset of the
    // result, preview and progress list.
    MigrationRequest beginRun(bool dryRun);
    void onProgress(const QString &environment, const pd::MigrationProgress &progress);
    void onOutput(const QString &environment, const QString &line);
    void onApplyFinished(const Result<ApplyReport> &report, bool dryRun);
    void onCommandFinished(const Result<ExternalApplyReport> &report, bool dryRun);
    void showCommandNote(const MigrationPlan *plan);
    // Revert mode.
    void showRevertSql(const QString &sql);
    void updateRevertButtons();
    void runRevert(bool dryRun);
    void onRevertFinished(const Result<RevertReport> &report, bool dryRun);

    EnvironmentController *m_controller;
    QString m_environment;
    Protection m_protection = Protection::None;
    QString m_command; // migrations.command; empty: ParityDeck's runner applies

    QLabel *m_target = nullptr; // where it acts: environment, user@host:port/db, server, protection
    QLabel *m_summary = nullptr;
    QTreeWidget *m_pending = nullptr;
    QPlainTextEdit *m_sql = nullptr;
    SqlHighlighter *m_sqlHighlighter = nullptr; // colours the SQL pane
    QWidget *m_warnings = nullptr;
    QLabel *m_warningList = nullptr;
    QLabel *m_protectionNote = nullptr;
    QLineEdit *m_confirmName = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
    QProgressBar *m_progress = nullptr;
    QListWidget *m_progressList = nullptr;
    QPlainTextEdit *m_dryRunOutput = nullptr;
    QLabel *m_commandNote = nullptr;
    QPlainTextEdit *m_commandOutput = nullptr; // what the command prints, live
    QLabel *m_result = nullptr;
    QCheckBox *m_includeDestructive = nullptr; // revert mode

    std::optional<RevertPlan> m_revert;
    bool m_waitingForScript = false; // revert: the script for the new checkbox state
    bool m_reverted = false;         // revert: done; the reviewed schema is gone
    quint64 m_scriptSerial = 0;

    Analysis m_analysis;
    quint64 m_analysisSerial = 0;
    QString m_analysisKey; // the pending files analysed (or being analysed)
    bool m_analysing = false;
    bool m_running = false;        // an apply or dry run started here
    bool m_commandStarted = false; // migrations.command: this run's command was started
};

} // namespace pd::ui
