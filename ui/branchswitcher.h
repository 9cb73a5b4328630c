// Branches of one environment: every git branch with the database branch it maps to
// (exists, size, age, which one is in use), plus database branches whose git branch is
// gone. Switch checks the git branch out and points the environment at its database
// (created from the main database on first use); Create makes a database branch from a
// chosen parent; Reset copies a branch's parent again; Delete drops it. Reset and Delete
// ask first. Refusals from core (uncommitted changes, sessions on the parent, a protected
// parent) appear inline as the sentences core writes. Everything runs through
// BranchOperations on worker threads; the dialog stays responsive and shows what runs.
#pragma once

#include "environment/branchoperations.h"
#include "workspace/protection.h"

#include <QDialog>
#include <QMessageBox>
#include <QPointer>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace pd::ui {

class BranchSwitcherDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BranchSwitcherDialog)

public:
    enum Column {
        GitColumn,
        DatabaseColumn,
        ExistsColumn,
        SizeColumn,
        AgeColumn,
        ParentColumn,
        ColumnCount
    };

    BranchSwitcherDialog(BranchOperations *operations, const QString &environment,
                         QWidget *parent = nullptr);
    ~BranchSwitcherDialog() override;

    QString environment() const { return m_environment; }
    const BranchListing &listing() const noexcept { return m_listing; }
    bool isWorking() const noexcept { return m_working; }
    // The open "really reset/delete?" question (a QMessageBox), or on a protected
    // environment the typed-name question (a ConfirmNameDialog), if any (tests answer it).
    QDialog *pendingQuestion() const { return m_question; }

public Q_SLOTS:
    void reload();
    void selectRow(int row);

Q_SIGNALS:
    void listingLoaded();
    void actionStarted(const QString &description);
    // An action finished: `ok` false with the refusal or error in `message`.
    void actionFinished(bool ok, const QString &message);
    // The environment now uses another database (switch, or delete of the selected one).
    void selectionChanged(const QString &environment);

private:
    void showListing(const Result<BranchListing> &listing);
    void updateButtons();
    int selectedRow() const;
    void run(const QString &what, const QFuture<Result<QString>> &future, bool changesSelection);
    void switchSelected();
    void switchToNew();
    void createBranch();
    // Runs `then` with the typed name: asks for it first on a protected environment.
    void withTypedName(const QString &question, const QString &confirmText,
                       std::function<void(const QString &)> then);
    // Asks first always (reset, delete): the typed-name question when protected.
    void askThen(const QString &question, const QString &confirmText,
                 std::function<void(const QString &)> then);
    ProtectionDecision protection() const;
    void showMessage(const QString &text, bool error);

    BranchOperations *m_operations;
    QString m_environment;
    BranchListing m_listing;
    bool m_working = false;

    QLabel *m_summary = nullptr;
    QTableWidget *m_table = nullptr;
    QPushButton *m_switch = nullptr;
    QPushButton *m_reset = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_reload = nullptr;
    QLineEdit *m_newName = nullptr;
    QComboBox *m_parent = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_switchNew = nullptr;
    QCheckBox *m_forceDisconnect = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_progress = nullptr;
    QLabel *m_message = nullptr;
    QPointer<QDialog> m_question;
};

} // namespace pd::ui
