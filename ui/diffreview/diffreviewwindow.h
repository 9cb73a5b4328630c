// The visual schema diff: what differs between two schemas, reviewed object by object.
//
//   top    From → To, a Swap button (swaps the sides and compares again), Compare/Cancel
//   left   the changes as a tree grouped by object class, with counts, added/removed/
//          altered icons and destructive changes marked; a filter box (Ctrl+F) and an
//          "only destructive" toggle; a tick box per change (tri-state per group) that
//          leaves it out of the SQL
//   right  the selected object's DDL in FROM and in TO side by side, row for row (filler
//          rows where one side has lines the other lacks, changed words marked, both
//          panes scrolling as one, SQL coloured); F7 / Shift+F7 go to the next/previous
//          change. Below, the SQL that turns FROM into TO for the selection or for
//          everything (ticked changes only), with Copy (Ctrl+C), Save as a new migration
//          file (in the workspace's migration format) and Save & open in the migration
//          dialog (the same file, then the review-and-apply dialog of FROM). A drift
//          review (ENV against migrations:ENV) offers both remedies instead: Capture into
//          a migration, or Revert ENV to its migrations: the migration dialog in revert
//          mode (ui/migrationdialog.h) shows the SQL and applies it (typed name on
//          protected environments, dry run, progress, audited); it needs the panel's
//          EnvironmentController (setEnvironmentController()).
//
// A side is an environment name, migrations:ENV (the schema ENV's applied migrations
// produce), a schema .sql file or a postgresql:// URL (core/environment/schemasides.h).
// The comparison itself — passwords, reading both sides, comparing — is core's
// SchemaComparison; this window only presents it, with progress and Cancel. DDL and SQL
// are made on worker threads. Results come back through watchers parented to the window,
// so closing it mid-way is safe. Errors are shown inline above the tree. F5 compares
// again, Esc closes.
//
// Typical use (the window deletes itself when closed):
//     auto *review = new DiffReviewWindow(workspace, mainWindow);
//     review->compareSides(QStringLiteral("migrations:prod"), QStringLiteral("prod"));
//     review->show();
#pragma once

#include "common/result.h"
#include "diffreview/diffchangemodel.h"
#include "schema/schemadiff.h"
#include "workspace/workspace.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSplitter;
class QTextDocument;
class QTimer;
class QToolButton;
class QTreeView;

namespace pd {
class EnvironmentController;
class SchemaComparison;
} // namespace pd

namespace pd::ui {

class DdlView;
class SqlHighlighter;
struct RevertPlan;

class DiffReviewWindow final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffReviewWindow)

public:
    explicit DiffReviewWindow(Workspace workspace, QWidget *parent = nullptr);
    ~DiffReviewWindow() override;

    // Resolves both sides (see above) and shows their differences; the SQL turns FROM into
    // TO. Replaces whatever the window showed; a comparison still running is dropped.
    void compareSides(const QString &from, const QString &to);
    // Fills the From/To boxes without comparing (the user presses Compare or F5).
    void setSides(const QString &from, const QString &to);
    // Shows a diff computed elsewhere (e.g. by a drift check); F5 compares the sides in the
    // From/To boxes, so call setSides() first to make it re-read the same sides.
    void showDiff(const SchemaDiff &diff, const QString &fromLabel, const QString &toLabel);
    // F5: compares the sides in the FROM/TO boxes again.
    void recompare();
    // Drops the running comparison (a catalog query already running finishes in the
    // background; its result is discarded).
    void cancel();
    // Swaps From and To and compares again (when both are set).
    void swapSides();
    // F7 / Shift+F7: the next (previous) run of changed rows in the DDL panes; past the
    // last (first) one, the next (previous) change in the tree.
    void nextChange();
    void previousChange();

    bool isBusy() const noexcept { return m_busy; }
    DiffChangeModel *model() const noexcept { return m_model; }
    QString sqlText() const;
    QString errorText() const;
    // The environment of a drift review (ENV against migrations:ENV); empty otherwise.
    QString driftEnvironment() const { return m_driftEnvironment; }
    // What Revert ENV to its migrations runs through (the migration dialog in revert mode).
    // Without one, Revert is disabled and says where it works. Must outlive the window.
    void setEnvironmentController(EnvironmentController *controller);

Q_SIGNALS:
    // A diff is shown (after compareSides or showDiff).
    void diffShown();
    // The comparison failed (also shown inline) or was cancelled.
    void compareFailed(const QString &message);
    // The SQL pane shows the SQL for the current selection/scope.
    void sqlUpdated();
    // The DDL panes show the current object.
    void ddlUpdated();
    // "Save & open in migration dialog": the SQL (which turns FROM into TO) was saved as a
    // new migration of the workspace at `migrationPath`; the receiver opens the migration
    // dialog of `environment` (FROM), where that file is pending. The button is enabled
    // only while something is connected here and FROM is an environment.
    void openInMigrationDialogRequested(const QString &environment, const QString &migrationPath);
    void migrationSaved(const QString &path);
    // F7 / Shift+F7 moved to a change (in the panes, or to another row of the tree).
    void changeReached();
    // "Revert ENV to its migrations" finished (also shown in the window).
    void revertFinished(const QString &environment, bool reverted);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class MigrationPurpose { Save, SaveAndOpen, Capture };

    void buildUi();
    void restoreSettings();
    void saveSettings() const;
    void fillSideChoices();
    void startCompare();
    void setBusy(bool busy, const QString &message = {});
    void showError(const QString &message);
    void clearError();
    void updateProgress();
    void applyFilter();
    void showFilterResult(DiffChangeModel::FilterResult result);
    void scheduleSelectionWork();
    void updateDdl();
    void updateSql();
    void showSqlDocument(QTextDocument *document);
    void updateActions();
    void copySql();
    void saveAsMigration();
    void askMigrationName(MigrationPurpose purpose);
    void writeMigration(const QString &name, MigrationPurpose purpose);
    void updateSummary();
    int changeColumnWidth(bool ideal) const;
    void fitTreeColumns();
    void stepChange(int direction);
    void goToRow(int row);
    int currentDdlRow() const;
    void captureIntoMigration();
    void requestRevert();
    void openRevertDialog(RevertPlan plan);
    void requestMigrationDialog();
    void showDiffFor(const SchemaDiff &diff, const QString &fromLabel, const QString &toLabel,
                     const QString &fromEnvironment);
    QList<int> selectedPositions() const;

    Workspace m_workspace;
    SchemaComparison *m_comparison;
    EnvironmentController *m_controller = nullptr;
    DiffChangeModel *m_model;

    QComboBox *m_from = nullptr;
    QComboBox *m_to = nullptr;
    QToolButton *m_fromFile = nullptr;
    QToolButton *m_toFile = nullptr;
    QPushButton *m_swap = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_filter = nullptr;
    QCheckBox *m_onlyDestructive = nullptr;
    QTreeView *m_tree = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_fromTitle = nullptr;
    QLabel *m_toTitle = nullptr;
    DdlView *m_fromDdl = nullptr;
    DdlView *m_toDdl = nullptr;
    QRadioButton *m_scopeSelection = nullptr;
    QRadioButton *m_scopeAll = nullptr;
    QCheckBox *m_unsafe = nullptr;
    QPlainTextEdit *m_sql = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_openInDialog = nullptr;
    QWidget *m_driftBar = nullptr;
    QLabel *m_driftNote = nullptr;
    QPushButton *m_capture = nullptr;
    QPushButton *m_revert = nullptr;
    SqlHighlighter *m_sqlHighlighter = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_rightSplitter = nullptr;
    QSplitter *m_ddlSplitter = nullptr;
    QTimer *m_filterDelay = nullptr;
    QTimer *m_selectionDelay = nullptr;
    QTimer *m_progressTimer = nullptr;

    QString m_fromSpec;
    QString m_toSpec;
    QString m_fromLabel;
    QString m_toLabel;
    QString m_fromEnvironment;    // FROM of the shown diff, when it is an environment
    QString m_driftEnvironment;   // ENV of a drift review (ENV against migrations:ENV)
    bool m_driftLiveIsTo = false; // the drift review's live side is TO (migrations:ENV → ENV)
    QString m_captureSql;         // what Capture into a migration writes
    bool m_reverting = false;
    bool m_syncingScroll = false;
    int m_pendingHunk = 0; // +1/-1: go to the first/last run once the next DDL arrives
    bool m_busy = false;
    bool m_sqlReady = false;
    quint64 m_compareSerial = 0;
    quint64 m_ddlSerial = 0;
    quint64 m_sqlSerial = 0;
    quint64 m_filterSerial = 0;
    QByteArray m_fullSql; // UTF-8; the pane may show only the start of a very long script
};

} // namespace pd::ui
