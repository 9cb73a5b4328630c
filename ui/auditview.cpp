#include "auditview.h"
#include "closecontrols.h"

#include "common/printable.h"
#include "environment/resolvedconnection.h"
#include "errortext.h"
#include "humanformat.h"
#include "whenfinished.h"

#include <algorithm>

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace pd::ui {

namespace {

// "prod · postgres@db.internal:5432/app · 0004_add_search": where the action happened.
QString targetText(const AuditEntry &entry)
{
    QStringList parts{oneLine(entry.environment)};
    if (!entry.database.isEmpty())
        parts.append(oneLine(entry.database));
    if (!entry.target.isEmpty())
        parts.append(oneLine(entry.target));
    parts.removeAll(QString());
    return parts.join(QStringLiteral(" · "));
}

} // namespace

AuditView::AuditView(const QStringList &environments, const QString &workspaceFile,
                     const QString &logPath, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_path(logPath)
    , m_workspaceFile(workspaceFile)
{
    setObjectName(QStringLiteral("auditView"));
    setWindowTitle(tr("Audit log — ParityDeck"));
    setAttribute(Qt::WA_DeleteOnClose);

    m_workspaceFilter = new QComboBox(this);
    m_workspaceFilter->setObjectName(QStringLiteral("auditWorkspaceFilter"));
    m_workspaceFilter->setAccessibleName(tr("Workspace filter"));
    if (!workspaceFile.isEmpty())
        m_workspaceFilter->addItem(
            tr("This workspace (%1)").arg(QFileInfo(workspaceFile).dir().dirName()), workspaceFile);
    m_workspaceFilter->addItem(tr("All workspaces"), QString());
    m_workspaceFilter->setToolTip(workspaceFile.isEmpty()
                                      ? tr("Every workspace on this machine")
                                      : tr("Changes made from %1, or from every "
                                           "workspace on this machine")
                                            .arg(workspaceFile));
    auto *workspaceLabel = new QLabel(tr("&Workspace:"), this);
    workspaceLabel->setBuddy(m_workspaceFilter);
    connect(m_workspaceFilter, &QComboBox::currentIndexChanged, this, &AuditView::reload);

    m_filter = new QComboBox(this);
    m_filter->setObjectName(QStringLiteral("auditFilter"));
    m_filter->setAccessibleName(tr("Environment filter"));
    m_filter->addItem(tr("All environments"), QString());
    for (const QString &env : environments)
        m_filter->addItem(env, env);
    auto *filterLabel = new QLabel(tr("&Environment:"), this);
    filterLabel->setBuddy(m_filter);
    connect(m_filter, &QComboBox::currentIndexChanged, this, &AuditView::reload);

    m_refresh = new QPushButton(tr("&Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("auditRefresh"));
    m_refresh->setToolTip(tr("Read the audit log again (F5)"));
    connect(m_refresh, &QPushButton::clicked, this, &AuditView::reload);
    connect(new QShortcut(QKeySequence(Qt::Key_F5), this), &QShortcut::activated, this,
            &AuditView::reload);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setTextFormat(Qt::PlainText);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setAccessibleName(tr("Audit log"));
    m_table->setHorizontalHeaderLabels({tr("When"), tr("Who"), tr("Environment"), tr("Action"),
                                        tr("Target"), tr("Outcome"), tr("Duration"), tr("Detail")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &AuditView::showSelectedDetail);

    // The selected entry in full: a long detail (an error, the files applied) is read
    // here, wrapped, without hovering for a tooltip.
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("auditDetail"));
    m_detail->setAccessibleName(tr("Selected entry"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select an entry to read it in full."));
    m_detail->setMaximumHeight(fontMetrics().height() * 7);

    auto *top = new QHBoxLayout;
    top->addWidget(workspaceLabel);
    top->addWidget(m_workspaceFilter);
    top->addWidget(filterLabel);
    top->addWidget(m_filter);
    top->addStretch(1);
    top->addWidget(m_status);
    top->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_detail);
    addCloseControls(this); // Esc, Ctrl+W and a Close button

    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 140, fm.height() * 30);
    reload();
}

AuditView::~AuditView() = default;

void AuditView::setEnvironmentFilter(const QString &environment)
{
    const int index = m_filter->findData(environment);
    m_filter->setCurrentIndex(index < 0 ? 0 : index);
}

void AuditView::setAllWorkspaces(bool all)
{
    const int index = m_workspaceFilter->findData(all ? QString() : m_workspaceFile);
    if (index >= 0)
        m_workspaceFilter->setCurrentIndex(index);
}

int AuditView::entryCount() const
{
    return m_table->rowCount();
}

void AuditView::reload()
{
    if (m_loading) {
        // One read at a time; the newest filter wins when it finishes.
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    m_status->setText(tr("Reading…"));
    AuditFilter filter;
    filter.environment = m_filter->currentData().toString();
    filter.workspace = m_workspaceFilter->currentData().toString();
    filter.limit = 5000;
    const QString path = m_path;
    whenFinished(
        this,
        QtConcurrent::run(panelWorkPool(), [path, filter] { return AuditLog(path).read(filter); }),
        [this](const QFuture<Result<QList<AuditEntry>>> &future) {
            m_loading = false;
            if (m_reloadAgain) {
                m_reloadAgain = false;
                reload();
                return;
            }
            showEntries(future.result());
        });
}

void AuditView::showEntries(const Result<QList<AuditEntry>> &entries)
{
    if (!entries) {
        m_status->setText(tr("Cannot read the audit log: %1").arg(errorText(entries.error())));
        m_table->setRowCount(0);
        Q_EMIT loaded(0);
        return;
    }
    m_local = *entries;
    render();
}

void AuditView::setSharedHistory(const QString &environment,
                                 const QList<SharedHistoryEntry> &entries)
{
    if (m_shared.value(environment) == entries)
        return;
    if (entries.isEmpty())
        m_shared.remove(environment);
    else
        m_shared.insert(environment, entries);
    if (!m_loading)
        render();
}

void AuditView::render()
{
    QList<AuditEntry> list = m_local;
    const QString onlyEnvironment = m_filter->currentData().toString();
    for (auto it = m_shared.cbegin(); it != m_shared.cend(); ++it) {
        if (!onlyEnvironment.isEmpty() && it.key() != onlyEnvironment)
            continue;
        for (const SharedHistoryEntry &shared : *it) {
            AuditEntry entry;
            entry.time = shared.at;
            entry.user = shared.who;
            entry.environment = shared.environment;
            entry.action = shared.kind;
            entry.target = shared.what;
            entry.outcome = shared.result.startsWith(QLatin1String("failed")) ? AuditOutcome::Failed
                                                                              : AuditOutcome::Ok;
            // Marked: it was read from the environment's database, not this machine's log.
            entry.detail = tr("from the database: %1").arg(shared.result);
            list.append(entry);
        }
    }
    std::stable_sort(list.begin(), list.end(),
                     [](const AuditEntry &a, const AuditEntry &b) { return a.time < b.time; });
    m_entries.clear();
    for (auto it = list.crbegin(); it != list.crend(); ++it)
        m_entries.append(*it);
    m_table->setSortingEnabled(false);
    m_table->setRowCount(int(list.size()));
    const QLocale locale;
    for (int i = 0; i < list.size(); ++i) {
        // Newest first.
        const AuditEntry &entry = list.at(list.size() - 1 - i);
        const QString outcome =
            entry.unfinished ? tr("started, no end recorded") : auditOutcomeName(entry.outcome);
        const QStringList cells{
            // untranslated: a fixed, sortable timestamp format, not words
            locale.toString(entry.time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss")),
            oneLine(entry.user),
            oneLine(entry.environment),
            oneLine(entry.action),
            targetText(entry),
            entry.unfinished                         ? QStringLiteral("⚠ ") + outcome
            : entry.outcome == AuditOutcome::Ok      ? tr("✓ ok")
            : entry.outcome == AuditOutcome::Started ? tr("▶ started")
                                                     : QStringLiteral("✗ ") + outcome,
            entry.durationMs < 0 ? QString() : tr("%1 ms").arg(entry.durationMs),
            entry.detail};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *cell = new QTableWidgetItem(cells.at(c));
            if (c == DetailColumn && !entry.detail.isEmpty())
                cell->setToolTip(plainToolTip(entry.detail));
            if (c == OutcomeColumn && entry.outcome != AuditOutcome::Ok &&
                (entry.outcome != AuditOutcome::Started || entry.unfinished))
                cell->setForeground(
                    QColor(entry.outcome == AuditOutcome::Failed ? 0xdc2626 : 0xd97706));
            m_table->setItem(i, c, cell);
        }
    }
    m_table->resizeColumnsToContents();
    showSelectedDetail();
    m_status->setText(list.size() == 1 ? tr("1 entry") : tr("%1 entries").arg(list.size()));
    Q_EMIT loaded(int(list.size()));
}

void AuditView::showSelectedDetail()
{
    const QList<QTableWidgetItem *> selected = m_table->selectedItems();
    const int row = selected.isEmpty() ? -1 : selected.first()->row();
    if (row < 0 || row >= m_entries.size()) {
        m_detail->clear();
        return;
    }
    const AuditEntry &entry = m_entries.at(row);
    QStringList lines{entry.toText()};
    if (!entry.database.isEmpty())
        lines.append(tr("database: %1").arg(oneLine(entry.database)));
    if (!entry.workspace.isEmpty())
        lines.append(tr("workspace: %1").arg(oneLine(entry.workspace)));
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

} // namespace pd::ui
