#include "branchswitcher.h"
#include "closecontrols.h"

#include "confirmnamedialog.h"
#include "errortext.h"
#include "humanformat.h"
#include "whenfinished.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pd::ui {
namespace {

QString age(const QDateTime &created)
{
    if (!created.isValid())
        return QString();
    const qint64 seconds = created.secsTo(QDateTime::currentDateTimeUtc());
    if (seconds < 60)
        return BranchSwitcherDialog::tr("just now");
    if (seconds < 3600)
        return BranchSwitcherDialog::tr("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return BranchSwitcherDialog::tr("%1 h").arg(seconds / 3600);
    return BranchSwitcherDialog::tr("%1 d").arg(seconds / 86400);
}

} // namespace

BranchSwitcherDialog::BranchSwitcherDialog(BranchOperations *operations, const QString &environment,
                                           QWidget *parent)
    : QDialog(parent)
    , m_operations(operations)
    , m_environment(environment)
{
    setObjectName(QStringLiteral("branchSwitcher"));
    setWindowTitle(tr("Branches of %1 — ParityDeck").arg(environment));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("branchSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("branchTable"));
    m_table->setAccessibleName(tr("Branches"));
    m_table->setHorizontalHeaderLabels({tr("Git branch"), tr("Database"), tr("Database exists"),
                                        tr("Size"), tr("Age"), tr("Parent")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            &BranchSwitcherDialog::updateButtons);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this] {
        if (m_switch->isEnabled())
            switchSelected();
    });

    m_switch = new QPushButton(tr("&Switch to it"), this);
    m_switch->setObjectName(QStringLiteral("branchSwitch"));
    m_reset = new QPushButton(tr("&Reset…"), this);
    m_reset->setObjectName(QStringLiteral("branchReset"));
    m_delete = new QPushButton(tr("&Delete…"), this);
    m_delete->setObjectName(QStringLiteral("branchDelete"));
    m_reload = new QPushButton(tr("Re&load"), this);
    m_reload->setObjectName(QStringLiteral("branchReload"));
    connect(m_switch, &QPushButton::clicked, this, &BranchSwitcherDialog::switchSelected);
    connect(m_reload, &QPushButton::clicked, this, &BranchSwitcherDialog::reload);
    connect(m_reset, &QPushButton::clicked, this, [this] {
        const int row = selectedRow();
        if (row < 0)
            return;
        const QString db = m_listing.rows.at(row).database;
        askThen(
            tr("Reset %1? Every change made in it is lost: it becomes a fresh "
               "copy of %2.")
                .arg(db, m_listing.rows.at(row).parent),
            tr("Reset"), [this, db](const QString &typed) {
                run(tr("Resetting %1").arg(db),
                    m_operations->reset(m_environment, db, m_forceDisconnect->isChecked(), typed),
                    false);
            });
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const int row = selectedRow();
        if (row < 0)
            return;
        const QString db = m_listing.rows.at(row).database;
        askThen(tr("Delete the database branch %1 and everything in it?").arg(db), tr("Delete"),
                [this, db](const QString &typed) {
                    run(tr("Deleting %1").arg(db), m_operations->remove(m_environment, db, typed),
                        true);
                });
    });

    m_forceDisconnect = new QCheckBox(tr("End other sessions on the parent if they "
                                         "block the copy"),
                                      this);
    m_forceDisconnect->setObjectName(QStringLiteral("branchForceDisconnect"));
    m_forceDisconnect->setToolTip(tr("PostgreSQL cannot copy a database others are "
                                     "connected to (PgBouncer keeps idle ones)."));

    // A new branch: a git branch to create and switch to, or a bare database branch.
    auto *newBox = new QGroupBox(tr("New branch"), this);
    m_newName = new QLineEdit(newBox);
    m_newName->setObjectName(QStringLiteral("branchNewName"));
    m_newName->setAccessibleName(tr("New branch name"));
    m_newName->setPlaceholderText(QStringLiteral("feature/my-change"));
    m_parent = new QComboBox(newBox);
    m_parent->setObjectName(QStringLiteral("branchParent"));
    m_parent->setAccessibleName(tr("Parent database"));
    m_switchNew = new QPushButton(tr("Create git branch && s&witch"), newBox);
    m_switchNew->setObjectName(QStringLiteral("branchSwitchNew"));
    m_create = new QPushButton(tr("&Create database branch"), newBox);
    m_create->setObjectName(QStringLiteral("branchCreate"));
    connect(m_newName, &QLineEdit::textChanged, this, &BranchSwitcherDialog::updateButtons);
    connect(m_switchNew, &QPushButton::clicked, this, &BranchSwitcherDialog::switchToNew);
    connect(m_create, &QPushButton::clicked, this, &BranchSwitcherDialog::createBranch);
    auto *newForm = new QFormLayout;
    newForm->addRow(tr("&Name:"), m_newName);
    newForm->addRow(tr("&From:"), m_parent);
    auto *newButtons = new QHBoxLayout;
    newButtons->addStretch(1);
    newButtons->addWidget(m_create);
    newButtons->addWidget(m_switchNew);
    auto *newLayout = new QVBoxLayout(newBox);
    newLayout->addLayout(newForm);
    newLayout->addLayout(newButtons);

    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("branchBusy"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(fontMetrics().averageCharWidth() * 10);
    m_busy->setAccessibleName(tr("Working"));
    m_progress = new QLabel(this);
    m_progress->setObjectName(QStringLiteral("branchProgress"));
    m_progress->setTextFormat(Qt::PlainText);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("branchMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_message->hide();

    auto *rowButtons = new QHBoxLayout;
    rowButtons->addWidget(m_busy);
    rowButtons->addWidget(m_progress);
    rowButtons->addStretch(1);
    rowButtons->addWidget(m_reload);
    rowButtons->addWidget(m_reset);
    rowButtons->addWidget(m_delete);
    rowButtons->addWidget(m_switch);

    auto *close = new QPushButton(tr("Close"), this);
    close->setObjectName(QStringLiteral("branchClose"));
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_forceDisconnect);
    bottom->addStretch(1);
    bottom->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addLayout(rowButtons);
    layout->addWidget(m_message);
    layout->addWidget(newBox);
    layout->addLayout(bottom);
    addCloseShortcuts(this); // Esc and Ctrl+W, as the panel's other windows

    m_busy->hide();
    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 110, fm.height() * 30);
    updateButtons();
    reload();
}

BranchSwitcherDialog::~BranchSwitcherDialog() = default;

void BranchSwitcherDialog::reload()
{
    if (m_working)
        return;
    m_working = true;
    m_busy->show();
    m_progress->setText(tr("Reading branches…"));
    updateButtons();
    whenFinished(this, m_operations->list(m_environment),
                 [this](const QFuture<Result<BranchListing>> &future) {
                     m_working = false;
                     m_busy->hide();
                     m_progress->clear();
                     showListing(
                         future.resultCount() > 0
                             ? future.result()
                             : Result<BranchListing>(Error(ErrorCode::Cancelled, tr("abandoned"))));
                 });
}

void BranchSwitcherDialog::showListing(const Result<BranchListing> &listing)
{
    if (!listing) {
        showMessage(
            tr("Cannot list the branches of %1: %2").arg(m_environment, errorText(listing.error())),
            true);
        updateButtons();
        Q_EMIT listingLoaded();
        return;
    }
    m_listing = *listing;
    QStringList facts;
    if (m_listing.gitEnabled)
        facts.append(tr("git branch %1")
                         .arg(m_listing.currentGitBranch.isEmpty() ? tr("unknown")
                                                                   : m_listing.currentGitBranch));
    if (m_listing.databaseEnabled)
        facts.append(tr("database %1 (main database %2)")
                         .arg(m_listing.selectedDatabase, m_listing.mainDatabase));
    m_summary->setText(
        tr("%1 is on %2").arg(m_environment, facts.join(QStringLiteral(", "))) +
        (m_listing.gitNote.isEmpty() ? QString() : QStringLiteral("\n") + m_listing.gitNote));

    const QString previous = selectedRow() >= 0
                                 ? m_table->item(selectedRow(), DatabaseColumn)->text()
                                 : m_listing.selectedDatabase;
    m_table->setRowCount(int(m_listing.rows.size()));
    int select = -1;
    for (int r = 0; r < m_listing.rows.size(); ++r) {
        const BranchListingRow &row = m_listing.rows.at(r);
        QString git = row.gitBranch.isEmpty() ? tr("(none)") : row.gitBranch;
        if (row.gitCurrent)
            git += tr("  ← checked out");
        if (!row.gitBranch.isEmpty() && !row.gitExists)
            git += tr(" (gone)");
        QString database = row.database;
        if (row.selected)
            database += tr("  ← in use");
        const QString exists = !m_listing.databaseEnabled ? QStringLiteral("—")
                               : row.mainDatabase         ? tr("✓ main database")
                               : row.databaseExists       ? tr("✓ yes")
                                                          : tr("✗ not yet");
        const QStringList cells{
            git, database, exists, formatDataSize(row.sizeBytes), age(row.created), row.parent};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *cell = new QTableWidgetItem(cells.at(c));
            if (c == DatabaseColumn)
                cell->setData(Qt::UserRole, row.database);
            if (row.selected || row.gitCurrent) {
                QFont bold = cell->font();
                bold.setBold(true);
                cell->setFont(bold);
            }
            m_table->setItem(r, c, cell);
        }
        if (row.database == previous || (select < 0 && row.selected))
            select = r;
    }
    m_table->resizeColumnsToContents();
    if (select >= 0)
        m_table->selectRow(select);

    const QString parent = m_parent->currentText();
    m_parent->clear();
    if (!m_listing.mainDatabase.isEmpty())
        m_parent->addItem(m_listing.mainDatabase);
    for (const BranchListingRow &row : std::as_const(m_listing.rows)) {
        if (row.databaseExists && !row.mainDatabase && m_parent->findText(row.database) < 0)
            m_parent->addItem(row.database);
    }
    if (const int i = m_parent->findText(parent); i >= 0)
        m_parent->setCurrentIndex(i);
    updateButtons();
    Q_EMIT listingLoaded();
}

int BranchSwitcherDialog::selectedRow() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    const int row = items.isEmpty() ? -1 : items.first()->row();
    return row < m_listing.rows.size() ? row : -1;
}

void BranchSwitcherDialog::selectRow(int row)
{
    m_table->selectRow(row);
}

void BranchSwitcherDialog::updateButtons()
{
    const int row = selectedRow();
    const BranchListingRow *selected = row >= 0 ? &m_listing.rows.at(row) : nullptr;
    const QString busyWhy = tr("Wait for the running action to finish.");

    QString switchWhy;
    if (m_working)
        switchWhy = busyWhy;
    else if (!selected)
        switchWhy = tr("Select a branch first.");
    else if (selected->gitBranch.isEmpty())
        switchWhy = tr("%1 was not made for a git branch; switching follows git "
                       "branches.")
                        .arg(selected->database);
    else if (!selected->gitExists && m_listing.gitEnabled)
        switchWhy = tr("Git branch %1 no longer exists.").arg(selected->gitBranch);
    else if (selected->selected && (selected->gitCurrent || !m_listing.gitEnabled))
        switchWhy = tr("%1 already works on this branch.").arg(m_environment);
    m_switch->setEnabled(switchWhy.isEmpty());
    m_switch->setToolTip(switchWhy.isEmpty() ? tr("Check out the git branch and use its database "
                                                  "(created on first use)")
                                             : switchWhy);

    QString dbWhy;
    if (m_working)
        dbWhy = busyWhy;
    else if (!m_listing.databaseEnabled)
        dbWhy = tr("%1 has no database branches.").arg(m_environment);
    else if (!selected)
        dbWhy = tr("Select a branch first.");
    else if (selected->mainDatabase)
        dbWhy = tr("%1 is the main database, not a branch.").arg(selected->database);
    else if (!selected->databaseExists)
        dbWhy = tr("%1 does not exist yet.").arg(selected->database);
    for (QPushButton *button : {m_reset, m_delete}) {
        button->setEnabled(dbWhy.isEmpty());
        button->setToolTip(dbWhy.isEmpty() ? (button == m_reset ? tr("Copy its parent again")
                                                                : tr("Drop the database branch"))
                                           : dbWhy);
    }

    const QString name = m_newName->text().trimmed();
    QString newWhy;
    if (m_working)
        newWhy = busyWhy;
    else if (name.isEmpty())
        newWhy = tr("Type a name first.");
    QString createWhy = newWhy;
    if (createWhy.isEmpty() && !m_listing.databaseEnabled)
        createWhy = tr("%1 has no database branches.").arg(m_environment);
    m_create->setEnabled(createWhy.isEmpty());
    m_create->setToolTip(createWhy.isEmpty() ? tr("CREATE DATABASE %1 from the parent").arg(name)
                                             : createWhy);
    QString switchNewWhy = newWhy;
    if (switchNewWhy.isEmpty() && !m_listing.gitEnabled)
        switchNewWhy = tr("%1 does not follow git branches.").arg(m_environment);
    m_switchNew->setEnabled(switchNewWhy.isEmpty());
    m_switchNew->setToolTip(switchNewWhy.isEmpty()
                                ? tr("Create git branch %1 at HEAD, check it out and "
                                     "give it a database")
                                      .arg(name)
                                : switchNewWhy);
    m_reload->setEnabled(!m_working);
    m_parent->setEnabled(!m_working && m_listing.databaseEnabled);

    // A read-only environment: nothing here changes it, and every button says why.
    if (const ProtectionDecision decision = protection();
        decision.verdict == ProtectionVerdict::Refused) {
        for (QPushButton *button : {m_switch, m_reset, m_delete, m_create, m_switchNew}) {
            button->setEnabled(false);
            button->setToolTip(decision.reason + QLatin1Char('.'));
        }
    }
}

void BranchSwitcherDialog::run(const QString &what, const QFuture<Result<QString>> &future,
                               bool changesSelection)
{
    m_working = true;
    m_busy->show();
    m_progress->setText(what + QStringLiteral("…"));
    m_message->hide();
    updateButtons();
    Q_EMIT actionStarted(what);
    whenFinished(
        this, future, [this, what, changesSelection](const QFuture<Result<QString>> &done) {
            m_working = false;
            m_busy->hide();
            m_progress->clear();
            const Result<QString> result =
                done.resultCount() > 0
                    ? done.result()
                    : Result<QString>(Error(ErrorCode::Cancelled, tr("abandoned")));
            const QString text =
                result ? *result : tr("%1 failed: %2").arg(what, errorText(result.error()));
            showMessage(text, !result);
            if (result && changesSelection)
                Q_EMIT selectionChanged(m_environment);
            Q_EMIT actionFinished(result.ok(), text);
            reload();
        });
}

void BranchSwitcherDialog::switchSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const QString git = m_listing.rows.at(row).gitBranch;
    withTypedName(tr("Switch %1 to %2?").arg(m_environment, git), tr("Switch"),
                  [this, git](const QString &typed) {
                      run(tr("Switching %1 to %2").arg(m_environment, git),
                          m_operations->switchTo(m_environment, git, false,
                                                 m_forceDisconnect->isChecked(), typed),
                          true);
                  });
}

void BranchSwitcherDialog::switchToNew()
{
    const QString name = m_newName->text().trimmed();
    if (name.isEmpty())
        return;
    withTypedName(tr("Create git branch %1 and switch %2 to it?").arg(name, m_environment),
                  tr("Create && switch"), [this, name](const QString &typed) {
                      run(tr("Creating git branch %1 and switching %2").arg(name, m_environment),
                          m_operations->switchTo(m_environment, name, true,
                                                 m_forceDisconnect->isChecked(), typed),
                          true);
                  });
}

void BranchSwitcherDialog::createBranch()
{
    const QString name = m_newName->text().trimmed();
    if (name.isEmpty())
        return;
    const QString parent = m_parent->currentText();
    withTypedName(tr("Create the database branch %1 from %2?").arg(name, parent), tr("Create"),
                  [this, name, parent](const QString &typed) {
                      run(tr("Creating %1 from %2").arg(name, parent),
                          m_operations->create(m_environment, name, parent,
                                               m_forceDisconnect->isChecked(), typed),
                          false);
                  });
}

ProtectionDecision BranchSwitcherDialog::protection() const
{
    const EnvironmentConfig *env = m_operations->workspace().environment(m_environment);
    if (!env)
        return {ProtectionVerdict::Refused, tr("%1 is not in the workspace.").arg(m_environment)};
    return protectionDecision(*env, ProtectedChange::Branches);
}

void BranchSwitcherDialog::withTypedName(const QString &question, const QString &confirmText,
                                         std::function<void(const QString &)> then)
{
    if (protection().verdict != ProtectionVerdict::NeedsTypedName) {
        then(QString());
        return;
    }
    askThen(question, confirmText, std::move(then));
}

void BranchSwitcherDialog::askThen(const QString &question, const QString &confirmText,
                                   std::function<void(const QString &)> then)
{
    if (m_question)
        m_question->close();
    // A protected environment: the question is the typed-name one (the name, exactly, before
    // the button enables). Otherwise a plain "really?".
    if (protection().verdict == ProtectionVerdict::NeedsTypedName) {
        auto *dialog = new ConfirmNameDialog(
            m_environment, windowTitle(),
            tr("%1\n\n%2 is protected. Type its name to continue:").arg(question, m_environment),
            confirmText, this);
        dialog->setObjectName(QStringLiteral("branchQuestion"));
        connect(dialog, &ConfirmNameDialog::confirmed, this,
                [then = std::move(then)](const QString &typed) { then(typed); });
        m_question = dialog;
        dialog->open();
        return;
    }
    auto *box =
        new QMessageBox(QMessageBox::Warning, windowTitle(), question, QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("branchQuestion"));
    QPushButton *yes = box->addButton(confirmText, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("branchQuestionYes"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [yes, then = std::move(then)](QAbstractButton *b) {
                if (b == yes)
                    then(QString());
            });
    m_question = box;
    box->open();
}

void BranchSwitcherDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { color: #dc2626; }") : QString());
    m_message->setAccessibleName(error ? tr("Error") : tr("Result"));
    m_message->show();
}

} // namespace pd::ui
