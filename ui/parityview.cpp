#include "parityview.h"
#include "closecontrols.h"

#include "environment/paritycheck.h"
#include "humanformat.h"
#include "paritymodel.h"
#include "whenfinished.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pd::ui {
namespace {

QString percent(double score)
{
    return QStringLiteral("%1%").arg(qRound(score * 100));
}

} // namespace

ParityView::ParityView(const Workspace &workspace, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_check(new ParityCheck(workspace, this))
    , m_model(new ParityModel(this))
{
    setObjectName(QStringLiteral("parityView"));
    setWindowTitle(tr("Parity — ParityDeck"));
    setAttribute(Qt::WA_DeleteOnClose);

    m_score = new QLabel(this);
    m_score->setObjectName(QStringLiteral("parityScore"));
    m_score->setTextFormat(Qt::PlainText);
    QFont bold = m_score->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_score->setFont(bold);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("parityStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("parityBusy"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(fontMetrics().averageCharWidth() * 10);
    m_busy->setAccessibleName(tr("Comparing environments"));
    m_refresh = new QPushButton(tr("&Compare again"), this);
    m_refresh->setObjectName(QStringLiteral("parityRefresh"));
    m_refresh->setToolTip(tr("Read every environment again (F5)"));
    auto *refreshKey = new QShortcut(QKeySequence(Qt::Key_F5), this);
    connect(refreshKey, &QShortcut::activated, this, &ParityView::refresh);
    connect(m_refresh, &QPushButton::clicked, this, &ParityView::refresh);
    m_onlyDifferences = new QCheckBox(tr("Only &differences"), this);
    m_onlyDifferences->setObjectName(QStringLiteral("parityOnlyDifferences"));
    connect(m_onlyDifferences, &QCheckBox::toggled, this, &ParityView::applyFilter);

    auto *top = new QHBoxLayout;
    top->addWidget(m_score);
    top->addStretch(1);
    top->addWidget(m_busy);
    top->addWidget(m_status);
    top->addWidget(m_onlyDifferences);
    top->addWidget(m_refresh);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("parityTable"));
    m_table->setAccessibleName(tr("Parity matrix"));
    m_model->setPresenceOnly(workspace.parityPresenceOnly);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    // The row header names each group of rows once ("Config keys", "Secrets", …).
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Double-click or Enter, as the platform activates items.
    connect(m_table, &QTableView::activated, this, &ParityView::onDoubleClicked);

    m_pairs = new QTableWidget(0, 3, this);
    m_pairs->setObjectName(QStringLiteral("parityPairs"));
    m_pairs->setAccessibleName(tr("Score per pair of environments"));
    m_pairs->setHorizontalHeaderLabels({tr("Pair"), tr("Rows that match"), tr("Score")});
    m_pairs->verticalHeader()->hide();
    m_pairs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_pairs->horizontalHeader()->setStretchLastSection(true);
    // What the symbols mean and what "same" is compared against.
    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("parityLegend"));
    m_legend->setTextFormat(Qt::PlainText);
    m_legend->setWordWrap(true);
    m_legend->setText(
        tr("= same: has the row's reference value, the one most environments share (ties: the "
           "environment listed first) · ≠ different: another value, or no two environments agree "
           "· ✗ missing: not set, not resolving or not installed · ? unknown: could not be "
           "checked (a cell's tooltip says why). Config values show as a keyed-hash prefix unless "
           "listed under parity.show_values; secrets only as set."));

    m_notes = new QLabel(this);
    m_notes->setObjectName(QStringLiteral("parityNotes"));
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_notes->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QHBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_pairs, 2);
    bottomLayout->addWidget(m_notes, 3);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("paritySplitter"));
    splitter->addWidget(m_table);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_legend);
    addCloseControls(this); // Esc, Ctrl+W and a Close button

    m_busy->hide();
    m_score->setText(tr("Parity: not compared yet"));
    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 170, fm.height() * 46);
}

ParityView::~ParityView() = default;

void ParityView::refresh()
{
    if (m_computing)
        return;
    m_computing = true;
    m_busy->show();
    m_refresh->setEnabled(false);
    m_status->setText(tr("Comparing every environment…"));
    Q_EMIT computingChanged(true);
    whenFinished(this, m_check->run(), [this](const QFuture<ParityMatrix> &future) {
        m_computing = false;
        m_busy->hide();
        m_refresh->setEnabled(true);
        Q_EMIT computingChanged(false);
        if (future.resultCount() == 0) {
            m_status->setText(tr("The comparison was abandoned."));
            return;
        }
        showMatrix(future.result());
    });
}

void ParityView::showMatrix(const ParityMatrix &matrix)
{
    m_model->setMatrix(matrix);
    // "85 %, target 95 %": the weighted score, and the target when the workspace sets one.
    m_score->setText(
        tr("Overall: %1 · %2 of %3 rows match%4")
            .arg(matrix.scoreText())
            .arg(matrix.matchingRows())
            .arg(matrix.totalRows())
            .arg(matrix.meetsTarget() || !matrix.target() ? QString() : tr(" · below target")));
    // What could not be checked is said next to the score, never left out of it.
    const QString unchecked = matrix.uncheckedSummary();
    m_score->setToolTip(unchecked.isEmpty() ? QString() : plainToolTip(unchecked));
    if (!unchecked.isEmpty())
        m_score->setText(m_score->text() + QStringLiteral(" · ") +
                         tr("%1 not checked").arg(matrix.uncheckedRows()));
    m_status->setText(
        tr("compared at %1").arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));

    m_pairs->setRowCount(int(matrix.pairs().size()));
    for (int i = 0; i < matrix.pairs().size(); ++i) {
        const ParityPairScore &pair = matrix.pairs().at(i);
        auto *name = new QTableWidgetItem(pair.first + QStringLiteral(" ↔ ") + pair.second);
        auto *count = new QTableWidgetItem(tr("%1 of %2").arg(pair.matching).arg(pair.total));
        auto *score = new QTableWidgetItem(percent(pair.score()));
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_pairs->setItem(i, 0, name);
        m_pairs->setItem(i, 1, count);
        m_pairs->setItem(i, 2, score);
    }
    m_pairs->resizeColumnsToContents();

    QStringList lines;
    for (const ParityMismatch &mismatch : matrix.mismatches())
        lines.append(QStringLiteral("• ") + mismatch.message);
    for (const QString &note : matrix.notes())
        lines.append(tr("note: %1").arg(note));
    m_notes->setText(lines.isEmpty() ? tr("Every compared row matches.")
                                     : lines.join(QLatin1Char('\n')));

    m_table->resizeColumnsToContents();
    // Long hashes and extension lists elide rather than push the table sideways.
    const int labelCap = fontMetrics().averageCharWidth() * 48;
    const int cellCap = fontMetrics().averageCharWidth() * 36;
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_table->setColumnWidth(
            c, std::min(m_table->columnWidth(c) + 16, c == 0 ? labelCap : cellCap));
    applyFilter();
    Q_EMIT computed(matrix);
}

void ParityView::applyFilter()
{
    const bool only = m_onlyDifferences->isChecked();
    const QList<ParityRow> &rows = m_model->matrix().rows();
    for (int r = 0; r < rows.size(); ++r)
        m_table->setRowHidden(r, only && rows.at(r).matches);
}

void ParityView::onDoubleClicked(const QModelIndex &index)
{
    if (!index.isValid() || index.column() == 0)
        return;
    const ParityRow &row = m_model->matrix().rows().at(index.row());
    if (row.kind != ParityRowKind::SchemaFingerprint)
        return;
    const QString env = index.data(ParityModel::EnvironmentRole).toString();
    // Against the reference: the first environment whose schema is the common one.
    QString reference;
    for (const QString &other : m_model->matrix().environments()) {
        if (other != env && row.cells.value(other).state == ParityCellState::Same) {
            reference = other;
            break;
        }
    }
    if (reference.isEmpty()) {
        for (const QString &other : m_model->matrix().environments()) {
            if (other != env) {
                reference = other;
                break;
            }
        }
    }
    if (!reference.isEmpty())
        Q_EMIT diffRequested(reference, env);
}

} // namespace pd::ui
