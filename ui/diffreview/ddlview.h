// Read-only DDL of one side of a comparison, laid out row for row against the other side
// (diffreviewwork.h, alignDdl): unchanged lines face each other, a changed line faces its
// new version, and what only the other side has is faced by a hatched filler row. Changed
// lines are marked twice over — a tinted background and a "−"/"+" sign in a gutter —
// and the words that differ within a changed line are tinted more strongly (colour is
// never the only signal). SQL is coloured by SqlHighlighter.
#pragma once

#include "diffreview/diffreviewwork.h"

#include <QPlainTextEdit>
#include <QVector>

namespace pd::ui {

class SqlHighlighter;

class DdlView final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DdlView)

public:
    enum class Side { From, To };
    explicit DdlView(Side side, QWidget *parent = nullptr);

    // This view's half of `aligned`.
    void showAligned(const AlignedDdl &aligned);
    // Greyed text instead of DDL ("not in FROM", "loading…").
    void showMessage(const QString &message);

    bool isShowingMessage() const noexcept { return m_message; }
    // Rows as shown (fillers are empty lines).
    int rowCount() const { return int(m_rows.size()); }
    QString rowText(int row) const;
    AlignedDdl::Row rowKind(int row) const { return m_rows.value(row, AlignedDdl::Row::Same); }
    bool isFiller(int row) const { return m_filler.value(row, false); }
    // The rows where a run of changes starts.
    const QVector<int> &hunks() const noexcept { return m_hunks; }
    // The text of this side's changed lines (no fillers).
    QStringList changedLines() const;
    // The marked characters of `row` (within a changed line), as text.
    QStringList changedWords(int row) const;
    // The row the text cursor is on.
    int currentRow() const;
    // Puts the cursor at the start of `row` and scrolls it into the middle of the view.
    void goToRow(int row);
    SqlHighlighter *highlighter() const noexcept { return m_highlighter; }
    // The background of a changed line (`words`: of the words that differ within it).
    static QColor changeTint(Side side, bool words, bool darkBase);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    class Gutter;
    int gutterWidth() const;
    void paintGutter(QPaintEvent *event);
    void updateGutterGeometry();
    void applyMarks();
    bool marked(int row) const;

    Side m_side;
    Gutter *m_gutter;
    SqlHighlighter *m_highlighter;
    QVector<AlignedDdl::Row> m_rows;
    QVector<bool> m_filler;
    QVector<QVector<AlignedDdl::Span>> m_spans;
    QVector<int> m_hunks;
    bool m_message = false;
};

} // namespace pd::ui
