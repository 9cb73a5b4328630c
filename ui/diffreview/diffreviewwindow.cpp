#include "diffreview/diffreviewwindow.h"

#include "appsettings.h"
#include "diffreview/ddlview.h"
#include "diffreview/diffchangemodel.h"
#include "diffreview/diffreviewwork.h"
#include "diffreview/sqlhighlighter.h"
#include "environment/environmentcontroller.h"
#include "environment/schemacomparison.h"
#include "environment/schemasides.h"
#include "errortext.h"
#include "migrationdialog.h"
#include "migrations/newmigrationfile.h"
#include "schema/fingerprint.h"
#include "schema/sqlgenerator.h"
#include "whenfinished.h"
#include "workspace/protection.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMetaMethod>
#include <QPlainTextDocumentLayout>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <memory>
#include <utility>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace pd::ui {

namespace {

// The progress bar's steps: looking up the sides, passwords, each schema read, comparing.
constexpr int ProgressSteps = 5;

QString progressText(const SchemaComparison::Progress &progress, const QString &from,
                     const QString &to)
{
    switch (progress.stage) {
    case SchemaComparison::Stage::Parsing:
        return DiffReviewWindow::tr("Looking up the sides…");
    case SchemaComparison::Stage::Passwords:
        return DiffReviewWindow::tr("Reading passwords…");
    case SchemaComparison::Stage::Reading:
        if (progress.fromRead == progress.toRead)
            return DiffReviewWindow::tr("Reading the schemas of %1 and %2…").arg(from, to);
        return DiffReviewWindow::tr("Reading the schema of %1…").arg(progress.fromRead ? to : from);
    case SchemaComparison::Stage::Comparing:
    case SchemaComparison::Stage::Done:
        return DiffReviewWindow::tr("Comparing…");
    }
    return {};
}

int progressValue(const SchemaComparison::Progress &progress)
{
    switch (progress.stage) {
    case SchemaComparison::Stage::Parsing:
        return 0;
    case SchemaComparison::Stage::Passwords:
        return 1;
    case SchemaComparison::Stage::Reading:
        return 2 + (progress.fromRead ? 1 : 0) + (progress.toRead ? 1 : 0);
    case SchemaComparison::Stage::Comparing:
    case SchemaComparison::Stage::Done:
        return ProgressSteps - 1;
    }
    return 0;
}

// The Change column is shortened at its end ("removed — destruc…"): its start is the
// change type, which matters most; names keep the view's middle elision.
class ChangeColumnDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideRight;
    }
};

QString countText(qsizetype n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

// Owns the pane's document until the window takes it. When the window is closed before
// the worker finishes, its callback never runs and the future's last copy deletes it.
class DocumentHandle
{
public:
    explicit DocumentHandle(QTextDocument *document)
        : m_document(document)
    {
    }
    ~DocumentHandle() { delete m_document; }
    Q_DISABLE_COPY_MOVE(DocumentHandle)
    QTextDocument *take() { return std::exchange(m_document, nullptr); }

private:
    QTextDocument *m_document;
};

struct GeneratedSql
{
    QByteArray sql; // UTF-8, exactly sized: half of a QString's memory for a script of megabytes
    std::shared_ptr<DocumentHandle> document; // what the pane shows; moved to the GUI thread
};

struct DdlPair
{
    QString subject;
    QString grantee; // a privilege row's role: only its GRANT / REVOKE lines
    QString from;
    QString to;
    AlignedDdl aligned;
};

QPushButton *makeButton(const QString &text, const QString &objectName, const QString &tip,
                        QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    button->setToolTip(tip);
    button->setAccessibleDescription(tip);
    return button;
}

} // namespace

DiffReviewWindow::DiffReviewWindow(Workspace workspace, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_workspace(std::move(workspace))
    , m_comparison(new SchemaComparison(m_workspace, this))
    , m_model(new DiffChangeModel(this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setObjectName(QStringLiteral("diffReviewWindow"));
    setWindowTitle(tr("Schema differences — ParityDeck"));
    buildUi();
    fillSideChoices();
    restoreSettings();
    updateActions();
}

DiffReviewWindow::~DiffReviewWindow()
{
    m_comparison->cancel();
}

void DiffReviewWindow::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->setSpacing(8);

    // Sides and the compare/cancel controls.
    auto *sides = new QHBoxLayout;
    sides->setSpacing(6);
    const auto sideBox = [this](const QString &name, const QString &accessible) {
        auto *box = new QComboBox(this);
        box->setObjectName(name);
        box->setEditable(true);
        box->setInsertPolicy(QComboBox::NoInsert);
        box->setMinimumContentsLength(18);
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setAccessibleName(accessible);
        // Screen readers reach the editable field itself, not only the box around it.
        box->lineEdit()->setAccessibleName(accessible);
        box->setToolTip(tr("An environment, migrations:ENV (what its applied migrations produce), "
                           "a schema .sql file or a postgresql:// URL"));
        return box;
    };
    const auto fileButton = [this](const QString &name, const QString &accessible) {
        auto *button = new QToolButton(this);
        button->setObjectName(name);
        button->setText(QStringLiteral("…"));
        button->setAccessibleName(accessible);
        button->setToolTip(accessible);
        return button;
    };
    auto *fromLabel = new QLabel(tr("&From"), this);
    m_from = sideBox(QStringLiteral("diffFrom"), tr("From"));
    fromLabel->setBuddy(m_from);
    m_fromFile = fileButton(QStringLiteral("diffFromFile"), tr("Choose a schema file for From"));
    auto *arrow = new QLabel(QStringLiteral("→"), this);
    arrow->setAccessibleName(tr("to"));
    auto *toLabel = new QLabel(tr("&To"), this);
    m_to = sideBox(QStringLiteral("diffTo"), tr("To"));
    toLabel->setBuddy(m_to);
    m_toFile = fileButton(QStringLiteral("diffToFile"), tr("Choose a schema file for To"));
    m_swap = makeButton(tr("S&wap"), QStringLiteral("diffSwap"),
                        tr("Swap From and To and compare again"), this);
    m_swap->setAccessibleName(tr("Swap From and To"));
    m_compare = makeButton(tr("Compare"), QStringLiteral("diffCompare"),
                           tr("Read both schemas again and compare them (F5)"), this);
    m_compare->setAccessibleName(tr("Compare"));
    m_cancel =
        makeButton(tr("Cancel"), QStringLiteral("diffCancel"), tr("Stop the comparison"), this);
    m_cancel->setAccessibleName(tr("Cancel"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("diffProgress"));
    m_progress->setAccessibleName(tr("Comparison progress"));
    m_progress->setRange(0, ProgressSteps);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(140);
    // A little wider than their text: at exactly its width the "o" of "To" lost its
    // right edge ("Tc") at scale factors 1 and 2.
    for (QLabel *label : {fromLabel, arrow, toLabel})
        label->setMinimumWidth(label->sizeHint().width() +
                               label->fontMetrics().averageCharWidth() / 2 + 1);
    sides->addWidget(fromLabel);
    sides->addWidget(m_from, 1);
    sides->addWidget(m_fromFile);
    sides->addSpacing(4);
    sides->addWidget(arrow);
    sides->addWidget(m_swap);
    sides->addSpacing(4);
    sides->addWidget(toLabel);
    sides->addWidget(m_to, 1);
    sides->addWidget(m_toFile);
    sides->addSpacing(8);
    sides->addWidget(m_compare);
    sides->addWidget(m_cancel);
    sides->addWidget(m_progress);
    layout->addLayout(sides);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("diffStatus"));
    m_status->setAccessibleName(tr("Status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("diffError"));
    m_error->setAccessibleName(tr("Error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_error->setFrameShape(QFrame::StyledPanel);
    m_error->setMargin(6);
    m_error->setStyleSheet(
        QStringLiteral("QLabel#diffError { background: palette(base); border: 1px solid #c0392b; "
                       "border-left: 4px solid #c0392b; }"));
    m_error->hide();
    layout->addWidget(m_error);

    // Left: filter and tree.
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(6);
    auto *filterRow = new QHBoxLayout;
    m_filter = new QLineEdit(left);
    m_filter->setObjectName(QStringLiteral("diffFilter"));
    m_filter->setPlaceholderText(tr("Filter changes (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter changes"));
    m_onlyDestructive = new QCheckBox(tr("Only &destructive"), left);
    m_onlyDestructive->setObjectName(QStringLiteral("diffOnlyDestructive"));
    m_onlyDestructive->setAccessibleName(tr("Only destructive"));
    m_onlyDestructive->setToolTip(tr("Show only changes that drop data or objects"));
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_onlyDestructive);
    leftLayout->addLayout(filterRow);
    m_tree = new QTreeView(left);
    m_tree->setObjectName(QStringLiteral("diffTree"));
    m_tree->setAccessibleName(tr("Schema changes"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setAllColumnsShowFocus(true);
    // "public.orders.orders_customer_id_fkey": when it has to be shortened, schema and
    // object name both stay readable. The name takes whatever the Change column (sized to
    // its usual words) leaves, so nothing is shortened while the pane has room.
    m_tree->setTextElideMode(Qt::ElideMiddle);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(DiffChangeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(DiffChangeModel::ChangeColumn, QHeaderView::Interactive);
    // Room goes to the names first (fitTreeColumns): the Change column gives up width
    // down to its shortest word before a name is shortened.
    m_tree->header()->resizeSection(DiffChangeModel::ChangeColumn, changeColumnWidth(true));
    m_tree->setItemDelegateForColumn(DiffChangeModel::ChangeColumn,
                                     new ChangeColumnDelegate(m_tree));
    m_tree->installEventFilter(this);
    connect(m_tree, &QTreeView::expanded, this, &DiffReviewWindow::fitTreeColumns);
    connect(m_tree, &QTreeView::collapsed, this, &DiffReviewWindow::fitTreeColumns);
    m_tree->header()->setMinimumSectionSize(60);
    m_tree->setToolTip(tr("Untick a change to leave it out of the SQL"));
    leftLayout->addWidget(m_tree, 1);
    m_summary = new QLabel(left);
    m_summary->setObjectName(QStringLiteral("diffSummary"));
    m_summary->setAccessibleName(tr("Summary"));
    m_summary->setWordWrap(true);
    leftLayout->addWidget(m_summary);

    // Right: DDL side by side above the SQL.
    const auto titled = [this](QLabel *&title, QWidget *body, const QString &name) {
        auto *box = new QWidget(this);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->setSpacing(4);
        title = new QLabel(box);
        title->setObjectName(name);
        title->setTextFormat(Qt::PlainText);
        boxLayout->addWidget(title);
        boxLayout->addWidget(body, 1);
        return box;
    };
    m_fromDdl = new DdlView(DdlView::Side::From, this);
    m_fromDdl->setObjectName(QStringLiteral("diffFromDdl"));
    m_fromDdl->setAccessibleName(tr("DDL in From"));
    m_fromDdl->setAccessibleDescription(tr("Row by row beside the DDL in To; an empty row stands "
                                           "for a line only To has"));
    m_toDdl = new DdlView(DdlView::Side::To, this);
    m_toDdl->setObjectName(QStringLiteral("diffToDdl"));
    m_toDdl->setAccessibleName(tr("DDL in To"));
    m_toDdl->setAccessibleDescription(tr("Row by row beside the DDL in From; an empty row stands "
                                         "for a line only From has"));
    m_ddlSplitter = new QSplitter(Qt::Horizontal, this);
    m_ddlSplitter->setObjectName(QStringLiteral("diffDdlSplitter"));
    m_ddlSplitter->addWidget(titled(m_fromTitle, m_fromDdl, QStringLiteral("diffFromTitle")));
    m_ddlSplitter->addWidget(titled(m_toTitle, m_toDdl, QStringLiteral("diffToTitle")));
    m_ddlSplitter->setChildrenCollapsible(false);

    auto *sqlBox = new QWidget(this);
    auto *sqlLayout = new QVBoxLayout(sqlBox);
    sqlLayout->setContentsMargins(0, 0, 0, 0);
    sqlLayout->setSpacing(4);
    auto *sqlBar = new QHBoxLayout;
    sqlBar->setSpacing(8);
    auto *sqlFor = new QLabel(tr("SQL for"), sqlBox);
    m_scopeSelection = new QRadioButton(tr("&Selection"), sqlBox);
    m_scopeSelection->setObjectName(QStringLiteral("diffScopeSelection"));
    m_scopeSelection->setAccessibleName(tr("SQL for the selection"));
    m_scopeAll = new QRadioButton(tr("&Everything"), sqlBox);
    m_scopeAll->setObjectName(QStringLiteral("diffScopeAll"));
    m_scopeAll->setAccessibleName(tr("SQL for everything"));
    auto *scope = new QButtonGroup(this);
    scope->addButton(m_scopeSelection);
    scope->addButton(m_scopeAll);
    m_scopeSelection->setChecked(true);
    m_unsafe = new QCheckBox(includeDestructiveLabel(), sqlBox);
    m_unsafe->setObjectName(QStringLiteral("diffUnsafe"));
    m_unsafe->setAccessibleName(includeDestructiveLabel());
    m_unsafe->setToolTip(
        tr("Without it, statements that drop data are listed at the end, commented out"));
    m_copy = makeButton(tr("&Copy"), QStringLiteral("diffCopySql"),
                        tr("Copy the SQL to the clipboard (Ctrl+C)"), sqlBox);
    m_copy->setAccessibleName(tr("Copy SQL"));
    m_save = makeButton(
        tr("Save as &migration…"), QStringLiteral("diffSaveMigration"),
        tr("Write the SQL as a new migration file in %1").arg(m_workspace.migrations.dir), sqlBox);
    m_save->setAccessibleName(tr("Save as migration"));
    m_openInDialog = makeButton(tr("Save && a&pply…"), QStringLiteral("diffOpenInMigrationDialog"),
                                QString(), sqlBox);
    m_openInDialog->setAccessibleName(tr("Save and open in migration dialog"));
    // A drift review (an environment against its own migrations) offers both remedies.
    m_capture = makeButton(tr("&Capture into a migration…"), QStringLiteral("diffCapture"),
                           QString(), sqlBox);
    m_capture->setAccessibleName(tr("Capture into a migration"));
    m_revert = makeButton(tr("&Revert…"), QStringLiteral("diffRevert"), QString(), sqlBox);
    m_revert->setAccessibleName(tr("Revert to its migrations"));
    sqlBar->addWidget(sqlFor);
    sqlBar->addWidget(m_scopeSelection);
    sqlBar->addWidget(m_scopeAll);
    sqlBar->addSpacing(8);
    sqlBar->addWidget(m_unsafe);
    sqlBar->addStretch(1);
    sqlBar->addWidget(m_copy);
    sqlBar->addWidget(m_save);
    sqlBar->addWidget(m_openInDialog);
    // Its own row, so the SQL bar keeps its width and the tree its room.
    m_driftBar = new QWidget(sqlBox);
    m_driftBar->setObjectName(QStringLiteral("diffDriftBar"));
    auto *driftLayout = new QHBoxLayout(m_driftBar);
    driftLayout->setContentsMargins(0, 0, 0, 0);
    m_driftNote = new QLabel(m_driftBar);
    m_driftNote->setObjectName(QStringLiteral("diffDriftNote"));
    m_driftNote->setWordWrap(true);
    driftLayout->addWidget(m_driftNote, 1);
    driftLayout->addWidget(m_capture);
    driftLayout->addWidget(m_revert);
    sqlLayout->addWidget(m_driftBar);
    sqlLayout->addLayout(sqlBar);
    m_sql = new QPlainTextEdit(sqlBox);
    m_sql->setObjectName(QStringLiteral("diffSql"));
    m_sql->setAccessibleName(tr("Generated SQL"));
    m_sql->setReadOnly(true);
    m_sql->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // The pane's document is replaced by each new script (built on a worker); the
    // highlighter belongs to the pane and moves to each one.
    m_sqlHighlighter = new SqlHighlighter(static_cast<QObject *>(m_sql));
    m_sqlHighlighter->setDocument(m_sql->document());
    sqlLayout->addWidget(m_sql, 1);

    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->setObjectName(QStringLiteral("diffRightSplitter"));
    m_rightSplitter->addWidget(m_ddlSplitter);
    m_rightSplitter->addWidget(sqlBox);
    m_rightSplitter->setChildrenCollapsible(false);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 2);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("diffMainSplitter"));
    m_mainSplitter->addWidget(left);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->setStretchFactor(0, 2);
    m_mainSplitter->setStretchFactor(1, 3);
    // First opening (no remembered state): room for qualified names on the left.
    m_mainSplitter->setSizes({560, 1040});
    m_rightSplitter->setSizes({520, 380});
    layout->addWidget(m_mainSplitter, 1);

    // Timers: the filter waits for a pause in typing; selection work for the last of a
    // burst of selection changes (arrow keys held down); progress text is polled.
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(200);
    m_selectionDelay = new QTimer(this);
    m_selectionDelay->setSingleShot(true);
    m_selectionDelay->setInterval(60);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);

    connect(m_filterDelay, &QTimer::timeout, this, &DiffReviewWindow::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filter, &QLineEdit::returnPressed, this, &DiffReviewWindow::applyFilter);
    connect(m_onlyDestructive, &QCheckBox::toggled, this, &DiffReviewWindow::applyFilter);
    connect(m_selectionDelay, &QTimer::timeout, this, [this] {
        updateDdl();
        if (m_scopeSelection->isChecked())
            updateSql();
    });
    connect(m_progressTimer, &QTimer::timeout, this, &DiffReviewWindow::updateProgress);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DiffReviewWindow::scheduleSelectionWork);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &DiffReviewWindow::scheduleSelectionWork);
    connect(m_scopeSelection, &QRadioButton::toggled, this, &DiffReviewWindow::updateSql);
    connect(m_model, &DiffChangeModel::inclusionChanged, this, [this] {
        updateSummary();
        updateSql();
    });
    connect(m_swap, &QPushButton::clicked, this, &DiffReviewWindow::swapSides);
    connect(m_capture, &QPushButton::clicked, this, &DiffReviewWindow::captureIntoMigration);
    connect(m_revert, &QPushButton::clicked, this, &DiffReviewWindow::requestRevert);
    // The panes scroll as one, both ways: row r of one always faces row r of the other.
    const auto lock = [this](QScrollBar *a, QScrollBar *b) {
        connect(a, &QScrollBar::valueChanged, b, [this, b](int value) {
            if (m_syncingScroll)
                return;
            m_syncingScroll = true;
            b->setValue(value);
            m_syncingScroll = false;
        });
    };
    lock(m_fromDdl->verticalScrollBar(), m_toDdl->verticalScrollBar());
    lock(m_toDdl->verticalScrollBar(), m_fromDdl->verticalScrollBar());
    lock(m_fromDdl->horizontalScrollBar(), m_toDdl->horizontalScrollBar());
    lock(m_toDdl->horizontalScrollBar(), m_fromDdl->horizontalScrollBar());
    connect(m_unsafe, &QCheckBox::toggled, this, &DiffReviewWindow::updateSql);
    connect(m_compare, &QPushButton::clicked, this, &DiffReviewWindow::recompare);
    connect(m_cancel, &QPushButton::clicked, this, &DiffReviewWindow::cancel);
    connect(m_copy, &QPushButton::clicked, this, &DiffReviewWindow::copySql);
    connect(m_save, &QPushButton::clicked, this, &DiffReviewWindow::saveAsMigration);
    connect(m_openInDialog, &QPushButton::clicked, this, &DiffReviewWindow::requestMigrationDialog);
    const auto chooseFile = [this](QComboBox *box) {
        auto *dialog = new QFileDialog(this, tr("Schema file"), m_workspace.rootDir,
                                       tr("SQL files (*.sql);;All files (*)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        connect(dialog, &QFileDialog::fileSelected, box,
                [box](const QString &path) { box->setCurrentText(path); });
        dialog->open();
    };
    connect(m_fromFile, &QToolButton::clicked, this, [this, chooseFile] { chooseFile(m_from); });
    connect(m_toFile, &QToolButton::clicked, this, [this, chooseFile] { chooseFile(m_to); });

    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    auto *refresh = new QShortcut(QKeySequence(Qt::Key_F5), this);
    connect(refresh, &QShortcut::activated, this, &DiffReviewWindow::recompare);
    auto *copy = new QShortcut(QKeySequence::Copy, this);
    connect(copy, &QShortcut::activated, this, &DiffReviewWindow::copySql);
    auto *next = new QShortcut(QKeySequence(Qt::Key_F7), this);
    connect(next, &QShortcut::activated, this, &DiffReviewWindow::nextChange);
    auto *previous = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F7), this);
    connect(previous, &QShortcut::activated, this, &DiffReviewWindow::previousChange);
    auto *close = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(close, &QShortcut::activated, this, &QWidget::close);

    m_cancel->hide();
    m_progress->hide();
    m_driftBar->hide();
    m_fromTitle->setText(tr("From"));
    m_toTitle->setText(tr("To"));
    m_fromDdl->showMessage(tr("Select a change to see its definition."));
    m_toDdl->showMessage(tr("Select a change to see its definition."));
    setTabOrder(m_from, m_to);
    resize(1400, 900);
}

void DiffReviewWindow::fillSideChoices()
{
    for (QComboBox *box : {m_from, m_to}) {
        box->clear();
        for (const EnvironmentConfig &env : m_workspace.environments)
            box->addItem(env.name);
        for (const EnvironmentConfig &env : m_workspace.environments)
            box->addItem(QStringLiteral("migrations:") + env.name);
        box->setCurrentText(QString());
    }
}

void DiffReviewWindow::restoreSettings()
{
    const QSettings settings = appSettings();
    if (const QByteArray geometry =
            settings.value(QStringLiteral("diffReview/geometry")).toByteArray();
        !geometry.isEmpty())
        restoreGeometry(geometry);
    const auto restore = [&settings](QSplitter *splitter, const QString &key) {
        if (const QByteArray state = settings.value(key).toByteArray(); !state.isEmpty())
            splitter->restoreState(state);
    };
    restore(m_mainSplitter, QStringLiteral("diffReview/mainSplitter"));
    restore(m_rightSplitter, QStringLiteral("diffReview/rightSplitter"));
    restore(m_ddlSplitter, QStringLiteral("diffReview/ddlSplitter"));
}

void DiffReviewWindow::saveSettings() const
{
    QSettings settings = appSettings();
    settings.setValue(QStringLiteral("diffReview/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("diffReview/mainSplitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("diffReview/rightSplitter"), m_rightSplitter->saveState());
    settings.setValue(QStringLiteral("diffReview/ddlSplitter"), m_ddlSplitter->saveState());
}

void DiffReviewWindow::closeEvent(QCloseEvent *event)
{
    m_comparison->cancel();
    saveSettings();
    QWidget::closeEvent(event);
}

void DiffReviewWindow::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Settings ▸ Appearance switched palettes: the SQL pane's colours follow (the DDL
    // panes follow by themselves).
    if (event->type() == QEvent::PaletteChange && m_sqlHighlighter)
        m_sqlHighlighter->rehighlight();
}

void DiffReviewWindow::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateActions();
}

void DiffReviewWindow::setSides(const QString &from, const QString &to)
{
    m_from->setCurrentText(from);
    m_to->setCurrentText(to);
}

void DiffReviewWindow::compareSides(const QString &from, const QString &to)
{
    setSides(from, to);
    recompare();
}

void DiffReviewWindow::recompare()
{
    const QString from = m_from->currentText().trimmed();
    const QString to = m_to->currentText().trimmed();
    if (from.isEmpty() || to.isEmpty()) {
        showError(tr("Choose what to compare: From and To each take an environment, "
                     "migrations:ENV, a schema .sql file or a postgresql:// URL."));
        return;
    }
    m_fromSpec = from;
    m_toSpec = to;
    startCompare();
}

void DiffReviewWindow::startCompare()
{
    const quint64 serial = ++m_compareSerial;
    clearError();
    setBusy(true,
            progressText({SchemaComparison::Stage::Parsing, false, false}, m_fromSpec, m_toSpec));
    // Looking up the sides, their passwords, reading and comparing: the core service's.
    whenFinished(this, m_comparison->compare(m_fromSpec, m_toSpec),
                 [this, serial](const QFuture<Result<ComparedSchemas>> &future) {
                     if (serial != m_compareSerial)
                         return; // cancelled here, or a newer comparison runs
                     setBusy(false);
                     if (future.resultCount() == 0) {
                         showError(tr("Comparison failed: it was abandoned."));
                         Q_EMIT compareFailed(errorText());
                         return;
                     }
                     const Result<ComparedSchemas> compared = future.result();
                     if (!compared) {
                         const bool sides = compared.error().code == ErrorCode::NotFound ||
                                            compared.error().code == ErrorCode::Config ||
                                            compared.error().code == ErrorCode::Usage;
                         showError((sides ? tr("Cannot compare: %1") : tr("Comparison failed: %1"))
                                       .arg(ui::errorText(compared.error())));
                         Q_EMIT compareFailed(errorText());
                         return;
                     }
                     m_driftEnvironment = compared->driftEnvironment();
                     m_driftLiveIsTo = !m_driftEnvironment.isEmpty() &&
                                       compared->to.kind == SchemaSide::Kind::Environment;
                     showDiffFor(compared->diff, compared->fromLabel, compared->toLabel,
                                 compared->fromEnvironment());
                 });
}

void DiffReviewWindow::cancel()
{
    if (!m_busy)
        return;
    m_comparison->cancel();
    ++m_compareSerial;
    setBusy(false);
    m_status->setText(tr("Comparison cancelled. A catalog query that was already running finishes "
                         "in the background and is discarded."));
    Q_EMIT compareFailed(QStringLiteral("cancelled"));
}

void DiffReviewWindow::showDiff(const SchemaDiff &diff, const QString &fromLabel,
                                const QString &toLabel)
{
    // A diff computed elsewhere: FROM is an environment when its label names one.
    m_driftEnvironment.clear();
    showDiffFor(diff, fromLabel, toLabel,
                m_workspace.environment(fromLabel) ? fromLabel : QString());
}

void DiffReviewWindow::showDiffFor(const SchemaDiff &diff, const QString &fromLabel,
                                   const QString &toLabel, const QString &fromEnvironment)
{
    clearError();
    m_fromEnvironment = fromEnvironment;
    m_fromLabel = fromLabel;
    m_toLabel = toLabel;
    m_fromTitle->setText(tr("From: %1").arg(fromLabel));
    m_toTitle->setText(tr("To: %1").arg(toLabel));
    m_fromTitle->setToolTip(m_fromTitle->text());
    m_toTitle->setToolTip(m_toTitle->text());
    setWindowTitle(tr("%1 → %2 — Schema differences — ParityDeck").arg(fromLabel, toLabel));
    m_model->setDiff(diff);
    if (!m_filter->text().trimmed().isEmpty() || m_onlyDestructive->isChecked())
        applyFilter(); // a filter set before the diff arrived applies to it
    // Small groups open; large ones stay closed (a view lays out every row of an open group).
    for (int row = 0; row < m_model->groupCount(); ++row) {
        if (m_model->groupVisible(row) <= 200)
            m_tree->expand(m_model->index(row, 0));
    }
    QString status = QStringLiteral("%1 → %2: %3").arg(fromLabel, toLabel, diff.summaryText());
    if (!diff.from.notCompared.isEmpty()) {
        QStringList parts;
        for (auto it = diff.from.notCompared.cbegin(); it != diff.from.notCompared.cend(); ++it)
            parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
        status += tr(". Not compared: %1").arg(parts.join(QStringLiteral(", ")));
    }
    m_status->setText(status);
    updateSummary();
    if (diff.isEmpty()) {
        m_fromDdl->showMessage(tr("No differences."));
        m_toDdl->showMessage(tr("No differences."));
    }
    // Start on the first change so the right side shows something useful at once.
    const QModelIndex first = m_model->indexOfChange(0);
    if (first.isValid()) {
        m_tree->selectionModel()->setCurrentIndex(first, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        m_tree->scrollTo(first);
    }
    fitTreeColumns();
    m_selectionDelay->stop(); // done right here
    updateSql();
    updateDdl();
    updateActions();
    Q_EMIT diffShown();
}

void DiffReviewWindow::setBusy(bool busy, const QString &message)
{
    m_busy = busy;
    m_cancel->setVisible(busy);
    m_progress->setVisible(busy);
    m_compare->setEnabled(!busy);
    if (busy) {
        m_progress->setValue(0);
        m_status->setText(message);
        m_progressTimer->start();
    } else {
        m_progressTimer->stop();
    }
}

void DiffReviewWindow::updateProgress()
{
    if (!m_busy)
        return;
    const SchemaComparison::Progress progress = m_comparison->progress();
    m_progress->setValue(progressValue(progress));
    const QString text = progressText(progress, m_fromSpec, m_toSpec);
    if (m_status->text() != text)
        m_status->setText(text);
}

void DiffReviewWindow::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    m_status->setText(QString());
}

void DiffReviewWindow::clearError()
{
    m_error->clear();
    m_error->hide();
}

QString DiffReviewWindow::errorText() const
{
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

void DiffReviewWindow::applyFilter()
{
    m_filterDelay->stop();
    const quint64 serial = ++m_filterSerial;
    // One pass over every change: on a worker, so typing never waits for it.
    whenFinished(
        this,
        QtConcurrent::run(m_model->filterJob(m_filter->text(), m_onlyDestructive->isChecked())),
        [this, serial](const QFuture<DiffChangeModel::FilterResult> &future) {
            if (serial == m_filterSerial)
                showFilterResult(future.result());
        });
}

void DiffReviewWindow::showFilterResult(DiffChangeModel::FilterResult result)
{
    // A reset forgets which groups were open and where the cursor was: put them back.
    QList<ObjectKind> expanded;
    for (int row = 0; row < m_model->groupCount(); ++row) {
        if (m_tree->isExpanded(m_model->index(row, 0)))
            expanded << m_model->groupKind(row);
    }
    const QModelIndex current = m_tree->currentIndex();
    const int currentPosition =
        current.isValid() ? current.data(DiffChangeModel::ChangePositionRole).toInt() : -1;
    const bool wasFiltered = m_model->isFiltered();
    m_model->applyFilter(std::move(result));
    for (int row = 0; row < m_model->groupCount(); ++row) {
        const bool small = m_model->groupVisible(row) <= 200;
        if (expanded.contains(m_model->groupKind(row)) || (m_model->isFiltered() && small) ||
            (wasFiltered && !m_model->isFiltered() && small))
            m_tree->expand(m_model->index(row, 0));
    }
    QModelIndex restore = m_model->indexOfChange(currentPosition);
    if (!restore.isValid()) {
        // The first visible change, if any.
        for (int row = 0; row < m_model->groupCount() && !restore.isValid(); ++row)
            if (m_model->groupVisible(row) > 0)
                restore = m_model->index(0, 0, m_model->index(row, 0));
    }
    if (restore.isValid()) {
        m_tree->selectionModel()->setCurrentIndex(restore, QItemSelectionModel::ClearAndSelect |
                                                               QItemSelectionModel::Rows);
        m_tree->scrollTo(restore);
    }
    updateSummary();
    fitTreeColumns();
    scheduleSelectionWork();
}

void DiffReviewWindow::scheduleSelectionWork()
{
    m_selectionDelay->start();
}

QList<int> DiffReviewWindow::selectedPositions() const
{
    QList<int> positions;
    const QModelIndexList rows =
        m_tree->selectionModel()->selectedRows(DiffChangeModel::NameColumn);
    for (const QModelIndex &index : rows)
        positions += m_model->changePositions(index);
    if (positions.isEmpty() && m_tree->currentIndex().isValid())
        positions = m_model->changePositions(m_tree->currentIndex());
    return positions;
}

void DiffReviewWindow::updateDdl()
{
    const QModelIndex current = m_tree->currentIndex();
    const int position =
        current.isValid() ? current.data(DiffChangeModel::ChangePositionRole).toInt() : -1;
    // A privilege row: that role's GRANT / REVOKE lines of the object on each side.
    const QString grantee =
        current.isValid() ? current.data(DiffChangeModel::GranteeRole).toString() : QString();
    const quint64 serial = ++m_ddlSerial;
    if (position < 0) {
        if (!m_model->diff().isEmpty()) {
            m_fromDdl->showMessage(tr("Select a change to see its definition."));
            m_toDdl->showMessage(tr("Select a change to see its definition."));
        }
        Q_EMIT ddlUpdated();
        return;
    }
    whenFinished(
        this, QtConcurrent::run([diff = m_model->diff(), position, grantee] {
            DdlPair pair;
            if (grantee.isEmpty()) {
                pair.subject = ddlSubjectId(diff, diff.changes.at(position).id);
                pair.from = objectDdl(diff.from, pair.subject);
                pair.to = objectDdl(diff.to, pair.subject);
            } else {
                pair.grantee = grantee;
                pair.subject = diff.changes.at(position).id;
                pair.from = privilegeDdl(objectDdl(diff.from, pair.subject), grantee);
                pair.to = privilegeDdl(objectDdl(diff.to, pair.subject), grantee);
            }
            // A side without the object shows a message, not rows to line up.
            if (!pair.from.isEmpty() && !pair.to.isEmpty())
                pair.aligned =
                    alignDdl(pair.from.split(QLatin1Char('\n')), pair.to.split(QLatin1Char('\n')));
            else if (!pair.from.isEmpty())
                pair.aligned = alignDdl(pair.from.split(QLatin1Char('\n')), {});
            else
                pair.aligned = alignDdl({}, pair.to.split(QLatin1Char('\n')));
            return pair;
        }),
        [this, serial](const QFuture<DdlPair> &future) {
            if (serial != m_ddlSerial)
                return;
            const DdlPair pair = future.result();
            const auto absent = [&pair](const QString &label) {
                return pair.grantee.isEmpty()
                           ? tr("Not in %1.").arg(label)
                           : tr("%1 is granted nothing on it in %2.").arg(pair.grantee, label);
            };
            if (pair.from.isEmpty())
                m_fromDdl->showMessage(absent(m_fromLabel));
            else
                m_fromDdl->showAligned(pair.aligned);
            if (pair.to.isEmpty())
                m_toDdl->showMessage(absent(m_toLabel));
            else
                m_toDdl->showAligned(pair.aligned);
            if (m_pendingHunk != 0) {
                // Arrived here by F7 / Shift+F7 from the previous object.
                const QVector<int> &hunks =
                    m_fromDdl->isShowingMessage() ? m_toDdl->hunks() : m_fromDdl->hunks();
                if (!hunks.isEmpty())
                    goToRow(m_pendingHunk > 0 ? hunks.first() : hunks.last());
                m_pendingHunk = 0;
            }
            Q_EMIT ddlUpdated();
        });
}

void DiffReviewWindow::updateSql()
{
    const quint64 serial = ++m_sqlSerial;
    m_sqlReady = false;
    updateActions();
    const bool everything = m_scopeAll->isChecked();
    const bool unsafe = m_unsafe->isChecked();
    const QSet<int> excluded = m_model->excludedPositions();
    const ExcludedGrants grants = m_model->excludedGrants();
    const QList<int> positions = everything ? QList<int>() : selectedPositions();
    m_fullSql.clear();
    if (!everything && positions.isEmpty()) {
        m_sql->setPlainText(m_model->diff().isEmpty() ? QString()
                                                      : tr("-- Select changes to see their SQL."));
        Q_EMIT sqlUpdated();
        return;
    }
    m_sql->setPlainText(tr("-- Generating SQL…"));
    // The text is laid into a document off the GUI thread too: the SQL for thousands of
    // tables is megabytes, and filling a text edit with it would stall the window.
    // Nobody reads 70,000 lines in a pane, and a text document costs far more memory than
    // its text: beyond PaneLines the pane shows the start and says so, while Copy, Save
    // and the migration dialog get the whole script.
    auto work = [diff = m_model->diff(), positions, excluded, grants, everything, unsafe,
                 font = m_sql->font()]() -> GeneratedSql {
        constexpr int PaneLines = 5000;
        GeneratedSql generated;
        QString script = reviewScript(diff, positions, excluded, everything, unsafe, grants);
        // What the pane shows: the whole script, or its first PaneLines lines and a note.
        QString shown;
        qsizetype lines = 1;
        qsizetype cut = -1;
        for (qsizetype at = script.indexOf(QLatin1Char('\n')); at >= 0;
             at = script.indexOf(QLatin1Char('\n'), at + 1)) {
            if (lines == PaneLines)
                cut = at;
            ++lines;
        }
        if (lines > PaneLines) {
            const QString note =
                tr("\n\n-- … %1 more lines not shown here (%2 in all). Copy and the "
                   "Save buttons use the whole script.")
                    .arg(lines - PaneLines)
                    .arg(lines);
            shown.reserve(cut + note.size());
            shown.append(QStringView(script).left(cut)).append(note);
        }
        generated.sql = toUtf8Exact(script);
        if (lines > PaneLines)
            script = QString(); // the UTF-16 megabytes go before the document is built
        else
            shown = std::exchange(script, QString());
        auto *document = new QTextDocument;
        document->setDefaultFont(font);
        document->setDocumentLayout(new QPlainTextDocumentLayout(document));
        document->setPlainText(shown);
        shown = QString();
        document->moveToThread(QApplication::instance()->thread());
        generated.document = std::make_shared<DocumentHandle>(document);
#ifdef __GLIBC__
        // The generator's temporaries (tens of MB for thousands of tables) were freed in
        // this worker's malloc arena, which glibc keeps resident; hand those pages back.
        malloc_trim(0);
#endif
        return generated;
    };
    whenFinished(this, QtConcurrent::run(std::move(work)),
                 [this, serial](const QFuture<GeneratedSql> &future) {
                     const GeneratedSql generated = future.result();
                     if (serial != m_sqlSerial)
                         return; // a newer selection's SQL is coming; the handle deletes this one
                     m_fullSql = generated.sql;
                     showSqlDocument(generated.document->take());
                 });
}

void DiffReviewWindow::showSqlDocument(QTextDocument *document)
{
    // The text edit deletes a document it created itself; ours (parented to it) go here.
    QTextDocument *old = m_sql->document();
    const bool ours = old && old->parent() == m_sql;
    document->setParent(m_sql);
    m_sql->setDocument(document);
    m_sqlHighlighter->setDocument(document);
    if (ours)
        old->deleteLater();
    m_sqlReady = true;
    updateActions();
    Q_EMIT sqlUpdated();
}

QString DiffReviewWindow::sqlText() const
{
    return m_sqlReady ? QString::fromUtf8(m_fullSql) : m_sql->toPlainText();
}

void DiffReviewWindow::updateActions()
{
    const bool haveSql = m_sqlReady && !m_model->diff().isEmpty();
    m_copy->setEnabled(haveSql);
    m_save->setEnabled(haveSql);
    const bool wired = isSignalConnected(
        QMetaMethod::fromSignal(&DiffReviewWindow::openInMigrationDialogRequested));
    QString tip;
    if (!wired)
        tip = tr("Not available here: open the review from the main window.");
    else if (m_fromEnvironment.isEmpty())
        tip = tr("The SQL turns FROM into TO, so it is applied to FROM, and FROM (%1) is not an "
                 "environment of this workspace. Use Save as migration… and apply it where it "
                 "belongs.")
                  .arg(m_fromLabel.isEmpty() ? tr("nothing yet") : m_fromLabel);
    else
        tip = tr("Save the SQL as a new migration in %1, then open the migration dialog of %2 "
                 "to review and apply it there")
                  .arg(m_workspace.migrations.dir, m_fromEnvironment);
    m_openInDialog->setEnabled(haveSql && wired && !m_fromEnvironment.isEmpty());
    m_openInDialog->setToolTip(tip);
    m_openInDialog->setAccessibleDescription(tip);

    // A drift review: both remedies instead of Save & apply.
    const bool drift = !m_driftEnvironment.isEmpty() && !m_model->diff().isEmpty();
    m_openInDialog->setVisible(!drift);
    m_driftBar->setVisible(drift);
    if (drift) {
        m_driftNote->setText(
            tr("%1 differs from what its migrations produce. Keep the changes, or undo "
               "them:")
                .arg(m_driftEnvironment));
        const QString captureTip = tr("Keep what %1 has: save the SQL that turns its migrations' "
                                      "schema into its live one as a "
                                      "new migration in %2 (every ticked change)")
                                       .arg(m_driftEnvironment, m_workspace.migrations.dir);
        m_capture->setToolTip(captureTip);
        m_capture->setAccessibleDescription(captureTip);
        m_capture->setEnabled(m_model->includedChangeCount() > 0);
        m_revert->setText(tr("&Revert %1 to its migrations…").arg(m_driftEnvironment));
        m_capture->setText(tr("&Capture into a migration…"));
        m_revert->setAccessibleName(tr("Revert %1 to its migrations").arg(m_driftEnvironment));
        const EnvironmentConfig *env = m_workspace.environment(m_driftEnvironment);
        const ProtectionDecision decision =
            env ? protectionDecision(*env, ProtectedChange::ApplyMigrations) : ProtectionDecision{};
        QString revertTip =
            tr("Undo the changes made to %1 by hand: apply the SQL that turns its live "
               "schema into what its migrations produce (every ticked change), after "
               "you have reviewed it")
                .arg(m_driftEnvironment);
        if (decision.verdict == ProtectionVerdict::Refused)
            revertTip = decision.reason;
        else if (!m_controller)
            revertTip = tr("Not available here: open the review from the main window, whose "
                           "migration dialog applies the revert.");
        m_revert->setToolTip(revertTip);
        m_revert->setAccessibleDescription(revertTip);
        m_revert->setEnabled(m_model->includedChangeCount() > 0 &&
                             decision.verdict != ProtectionVerdict::Refused && m_controller &&
                             !m_reverting);
    }
}

int DiffReviewWindow::changeColumnWidth(bool ideal) const
{
    // Destructive rows are bold and carry a warning icon.
    QFont bold = m_tree->font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    int widest = 0;
    const QStringList samples =
        ideal ? QStringList{tr("removed — destructive"), tr("altered — destructive"),
                            tr("+10 −10 ~10 · 10 destructive")}
              : QStringList{tr("removed"), tr("altered")};
    for (const QString &sample : samples)
        widest = std::max(widest, metrics.horizontalAdvance(sample));
    return widest + m_tree->style()->pixelMetric(QStyle::PM_SmallIconSize) + 16;
}

void DiffReviewWindow::fitTreeColumns()
{
    // Only the rows on screen are measured, so this stays cheap for a diff of thousands
    // of changes: indentation, tick box, icon and text of each.
    const int available = m_tree->viewport()->width();
    const int fixed = m_tree->style()->pixelMetric(QStyle::PM_IndicatorWidth) +
                      m_tree->style()->pixelMetric(QStyle::PM_SmallIconSize) + 24;
    int names = 0;
    QModelIndex row = m_tree->indexAt(QPoint(1, 1));
    for (int seen = 0; row.isValid() && seen < 200; ++seen, row = m_tree->indexBelow(row)) {
        if (m_tree->visualRect(row).top() > m_tree->viewport()->height())
            break;
        QFont font = m_tree->font();
        if (const QVariant f = row.data(Qt::FontRole); f.isValid())
            font = f.value<QFont>();
        const int depth = row.parent().isValid() ? 2 : 1;
        names = std::max(names, depth * m_tree->indentation() + fixed +
                                    QFontMetrics(font).horizontalAdvance(row.data().toString()));
    }
    const int width =
        std::clamp(available - names, changeColumnWidth(false), changeColumnWidth(true));
    if (m_tree->header()->sectionSize(DiffChangeModel::ChangeColumn) != width)
        m_tree->header()->resizeSection(DiffChangeModel::ChangeColumn, width);
}

bool DiffReviewWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tree && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, &DiffReviewWindow::fitTreeColumns);
    return QWidget::eventFilter(watched, event);
}

void DiffReviewWindow::updateSummary()
{
    const SchemaDiff &diff = m_model->diff();
    if (diff.isEmpty()) {
        m_summary->setText(m_fromLabel.isEmpty() ? QString() : tr("The schemas are identical."));
        return;
    }
    QString text = m_model->isFiltered()
                       ? tr("%1 of %2 shown")
                             .arg(m_model->visibleChangeCount())
                             .arg(countText(diff.changes.size(), tr("change"), tr("changes")))
                       : tr("%1, %2 destructive")
                             .arg(countText(diff.changes.size(), tr("change"), tr("changes")))
                             .arg(diff.destructiveCount());
    if (!m_model->excludedPositions().isEmpty())
        text +=
            tr("; %1 left out of the SQL")
                .arg(countText(m_model->excludedPositions().size(), tr("change"), tr("changes")));
    m_summary->setText(text);
    updateActions();
}

void DiffReviewWindow::swapSides()
{
    const QString from = m_from->currentText();
    m_from->setCurrentText(m_to->currentText());
    m_to->setCurrentText(from);
    if (!m_from->currentText().trimmed().isEmpty() && !m_to->currentText().trimmed().isEmpty())
        recompare();
}

void DiffReviewWindow::goToRow(int row)
{
    // Both panes have the same rows; the locked scroll bars follow.
    m_fromDdl->goToRow(row);
    m_toDdl->goToRow(row);
}

int DiffReviewWindow::currentDdlRow() const
{
    return m_fromDdl->isShowingMessage() ? m_toDdl->currentRow() : m_fromDdl->currentRow();
}

void DiffReviewWindow::nextChange()
{
    stepChange(+1);
}

void DiffReviewWindow::previousChange()
{
    stepChange(-1);
}

void DiffReviewWindow::stepChange(int direction)
{
    // Within the object shown first: the next (previous) run of changed rows.
    const DdlView *view = m_fromDdl->isShowingMessage() ? m_toDdl : m_fromDdl;
    if (!view->isShowingMessage()) {
        const QVector<int> &hunks = view->hunks();
        const int row = currentDdlRow();
        if (direction > 0) {
            for (int hunk : hunks) {
                if (hunk > row) {
                    goToRow(hunk);
                    Q_EMIT changeReached();
                    return;
                }
            }
        } else {
            // A cursor inside a run goes to that run's start first.
            for (auto it = hunks.crbegin(); it != hunks.crend(); ++it) {
                if (*it < row) {
                    goToRow(*it);
                    Q_EMIT changeReached();
                    return;
                }
            }
        }
    }
    // Then the next (previous) change in the tree, at its first (last) run.
    const QModelIndex current = m_tree->currentIndex();
    QModelIndex target = current;
    for (;;) {
        target = direction > 0 ? m_tree->indexBelow(target) : m_tree->indexAbove(target);
        if (!target.isValid())
            break;
        if (!target.data(DiffChangeModel::IsGroupRole).toBool())
            break;
        // A closed group is opened on the way: F7 and Shift+F7 visit every change.
        const int children = m_model->rowCount(target);
        if (!m_tree->isExpanded(target) && children > 0) {
            m_tree->expand(target);
            if (direction < 0) {
                // Going up, the row above a group's header is not its last change.
                target = m_model->index(children - 1, 0, target);
                break;
            }
        }
    }
    if (!target.isValid()) {
        m_status->setText(direction > 0 ? tr("No further changes.") : tr("No earlier changes."));
        return;
    }
    m_pendingHunk = direction;
    m_tree->selectionModel()->setCurrentIndex(target, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_tree->scrollTo(target);
    Q_EMIT changeReached();
}

void DiffReviewWindow::captureIntoMigration()
{
    if (!m_capture->isVisible() || !m_capture->isEnabled())
        return;
    // The SQL that turns the migrations' schema into the live one, for every ticked change.
    const bool liveIsTo = m_driftLiveIsTo;
    whenFinished(this,
                 QtConcurrent::run([diff = m_model->diff(), excluded = m_model->excludedPositions(),
                                    grants = m_model->excludedGrants(),
                                    unsafe = m_unsafe->isChecked(), liveIsTo] {
                     return driftScript(diff, excluded, unsafe, liveIsTo, DriftRemedy::Capture,
                                        grants);
                 }),
                 [this](const QFuture<QString> &future) {
                     m_captureSql = future.result();
                     askMigrationName(MigrationPurpose::Capture);
                 });
}

void DiffReviewWindow::setEnvironmentController(EnvironmentController *controller)
{
    m_controller = controller;
    updateActions();
}

void DiffReviewWindow::requestRevert()
{
    if (!m_revert->isVisible() || !m_revert->isEnabled() || !m_controller)
        return;
    // The script, for either state of "Include destructive changes": everything it needs by
    // value, so the migration dialog can make it again on a worker.
    const auto script = [diff = m_model->diff(), excluded = m_model->excludedPositions(),
                         grants = m_model->excludedGrants(),
                         liveIsTo = m_driftLiveIsTo](bool unsafe) {
        return driftScript(diff, excluded, unsafe, liveIsTo, DriftRemedy::Revert, grants);
    };
    whenFinished(
        this,
        QtConcurrent::run([script, diff = m_model->diff(), excluded = m_model->excludedPositions(),
                           unsafe = m_unsafe->isChecked(), liveIsTo = m_driftLiveIsTo,
                           environment = m_driftEnvironment] {
            RevertPlan plan;
            plan.environment = environment;
            plan.includeDestructive = unsafe;
            plan.script = script;
            plan.sql = script(unsafe);
            plan.liveFingerprint = fingerprint(liveIsTo ? diff.to : diff.from);
            for (int position = 0; position < int(diff.changes.size()); ++position)
                if (!excluded.contains(position))
                    plan.objects << objectKindName(diff.changes.at(position).kind) +
                                        QLatin1Char(' ') + diff.changes.at(position).displayName;
            return plan;
        }),
        [this](const QFuture<RevertPlan> &future) { openRevertDialog(future.result()); });
}

void DiffReviewWindow::openRevertDialog(RevertPlan plan)
{
    if (!m_controller || !m_workspace.environment(plan.environment))
        return;
    // The migration dialog, in revert mode: where it acts, the SQL, the destructive
    // statements, the typed name, dry run, progress and the result, as for migrations.
    auto *dialog = new MigrationDialog(m_controller, std::move(plan), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The dialog's "Include destructive changes" is the window's: one setting.
    connect(dialog, &MigrationDialog::includeDestructiveChanged, this,
            [this](bool on) { m_unsafe->setChecked(on); });
    // The dialog may be closed while it runs; the window hears the result all the same.
    connect(
        dialog, &MigrationDialog::revertStarted, this,
        [this](const QFuture<Result<RevertReport>> &result) {
            m_reverting = true;
            updateActions();
            m_status->setText(tr("Reverting %1…").arg(m_driftEnvironment));
            whenFinished(
                this, result,
                [this, environment = m_driftEnvironment](const QFuture<Result<RevertReport>> &f) {
                    m_reverting = false;
                    updateActions();
                    const Result<RevertReport> report =
                        f.resultCount() > 0
                            ? f.result()
                            : Result<RevertReport>(Error(ErrorCode::Cancelled, tr("abandoned")));
                    if (!report) {
                        m_status->setText(tr("Could not revert %1: %2")
                                              .arg(environment, ui::errorText(report.error())));
                        Q_EMIT revertFinished(environment, false);
                        return;
                    }
                    m_status->setText(
                        tr("Reverted %1 to its migrations (%2 in %3 ms).")
                            .arg(environment)
                            .arg(countText(report->statements, tr("statement"), tr("statements")))
                            .arg(report->durationMs));
                    Q_EMIT revertFinished(environment, true);
                    recompare();
                });
        });
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void DiffReviewWindow::copySql()
{
    if (!m_copy->isEnabled())
        return;
    QApplication::clipboard()->setText(sqlText());
    m_status->setText(tr("SQL copied to the clipboard."));
}

void DiffReviewWindow::saveAsMigration()
{
    if (m_save->isEnabled())
        askMigrationName(MigrationPurpose::Save);
}

void DiffReviewWindow::askMigrationName(MigrationPurpose purpose)
{
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("diffMigrationName"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    switch (purpose) {
    case MigrationPurpose::Save:
        dialog->setWindowTitle(tr("Save as migration"));
        dialog->setLabelText(
            tr("Name of the new migration in %1:").arg(m_workspace.migrations.dir));
        dialog->setTextValue(tr("sync %1 to %2").arg(m_fromLabel, m_toLabel));
        break;
    case MigrationPurpose::SaveAndOpen:
        dialog->setWindowTitle(tr("Save and open in migration dialog"));
        dialog->setLabelText(
            tr("Name of the new migration in %1 (then applied to %2 from its migration "
               "dialog):")
                .arg(m_workspace.migrations.dir, m_fromEnvironment));
        dialog->setTextValue(tr("sync %1 to %2").arg(m_fromLabel, m_toLabel));
        break;
    case MigrationPurpose::Capture:
        dialog->setWindowTitle(tr("Capture into a migration"));
        dialog->setLabelText(
            tr("Name of the new migration in %1 that records what was changed in %2 by "
               "hand:")
                .arg(m_workspace.migrations.dir, m_driftEnvironment));
        dialog->setTextValue(tr("capture %1 changes").arg(m_driftEnvironment));
        break;
    }
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this, purpose](const QString &name) { writeMigration(name, purpose); });
    dialog->open();
}

void DiffReviewWindow::writeMigration(const QString &name, MigrationPurpose purpose)
{
    // The script (megabytes for thousands of tables) is decoded from UTF-8 on the worker
    // that writes it; sqlText() would do that on the GUI thread.
    const bool capture = purpose == MigrationPurpose::Capture;
    const bool ready = capture || m_sqlReady;
    const QByteArray script = capture ? QByteArray() : m_sqlReady ? m_fullSql : QByteArray();
    const QString shown = capture ? m_captureSql : m_sqlReady ? QString() : m_sql->toPlainText();
    const QString environment = capture ? m_driftEnvironment : m_fromEnvironment;
    whenFinished(
        this, QtConcurrent::run([workspace = m_workspace, name, script, shown, ready, capture] {
            return writeNewMigration(workspace, name,
                                     ready && !capture ? QString::fromUtf8(script) : shown);
        }),
        [this, purpose, environment](const QFuture<Result<NewMigrationFile>> &future) {
            const Result<NewMigrationFile> written = future.result();
            if (!written) {
                showError(
                    tr("Could not save the migration: %1").arg(ui::errorText(written.error())));
                return;
            }
            clearError();
            if (purpose == MigrationPurpose::Capture)
                m_status->setText(
                    tr("Saved %1 (%2 format, version %3). %4 already has these changes: "
                       "mark "
                       "the migration applied there (paritydeck migrate baseline %4 --to "
                       "%3) "
                       "so it is not run twice; other environments get it as usual.")
                        .arg(written->path, written->format, written->version, environment));
            else
                m_status->setText(tr("Saved %1 (%2 format, version %3).")
                                      .arg(written->path, written->format, written->version));
            Q_EMIT migrationSaved(written->path);
            if (purpose == MigrationPurpose::SaveAndOpen)
                Q_EMIT openInMigrationDialogRequested(environment, written->path);
        });
}

void DiffReviewWindow::requestMigrationDialog()
{
    if (m_openInDialog->isEnabled() && m_openInDialog->isVisible())
        askMigrationName(MigrationPurpose::SaveAndOpen);
}

} // namespace pd::ui
