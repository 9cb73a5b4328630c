#include "diffreview/ddlview.h"

#include "diffreview/sqlhighlighter.h"

#include <QEvent>
#include <QFontDatabase>
#include <QPainter>
#include <QTextBlock>

namespace pd::ui {

namespace {

bool dark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

class DdlView::Gutter final : public QWidget
{
public:
    explicit Gutter(DdlView *view)
        : QWidget(view)
        , m_view(view)
    {
    }

protected:
    void paintEvent(QPaintEvent *event) override { m_view->paintGutter(event); }

private:
    DdlView *m_view;
};

DdlView::DdlView(Side side, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_side(side)
    , m_gutter(new Gutter(this))
    , m_highlighter(new SqlHighlighter(document()))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy != 0)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    updateGutterGeometry();
}

int DdlView::gutterWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("+ ")) + 8;
}

void DdlView::updateGutterGeometry()
{
    setViewportMargins(gutterWidth(), 0, 0, 0);
    const QRect area = contentsRect();
    m_gutter->setGeometry(QRect(area.left(), area.top(), gutterWidth(), area.height()));
}

void DdlView::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updateGutterGeometry();
}

void DdlView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    // A theme switch: tints and highlighting follow the new palette.
    if (event->type() == QEvent::PaletteChange && !m_message) {
        applyMarks();
        m_highlighter->rehighlight();
    }
}

QColor DdlView::changeTint(Side side, bool words, bool darkBase)
{
    // Dim enough that SQL colours and text keep 4.5:1 on them (tests check).
    if (side == Side::From) {
        if (darkBase)
            return words ? QColor(116, 38, 48) : QColor(84, 30, 36);
        return words ? QColor(255, 196, 196) : QColor(255, 228, 228);
    }
    if (darkBase)
        return words ? QColor(28, 86, 46) : QColor(20, 56, 30);
    return words ? QColor(176, 234, 186) : QColor(222, 246, 226);
}

bool DdlView::marked(int row) const
{
    if (row < 0 || row >= m_rows.size() || m_filler.value(row))
        return false;
    switch (m_rows.at(row)) {
    case AlignedDdl::Row::Same:
        return false;
    case AlignedDdl::Row::Changed:
        return true;
    case AlignedDdl::Row::Removed:
        return m_side == Side::From;
    case AlignedDdl::Row::Added:
        return m_side == Side::To;
    }
    return false;
}

void DdlView::showAligned(const AlignedDdl &aligned)
{
    m_message = false;
    const bool from = m_side == Side::From;
    m_rows = aligned.rows;
    m_filler = from ? aligned.fromFiller : aligned.toFiller;
    m_spans = from ? aligned.fromSpans : aligned.toSpans;
    m_hunks = aligned.hunks;
    QPalette pal = palette();
    pal.setColor(QPalette::Text, QPalette().color(QPalette::Text));
    setPalette(pal);
    m_highlighter->setActive(true);
    setPlainText((from ? aligned.from : aligned.to).join(QLatin1Char('\n')));
    applyMarks();
}

void DdlView::applyMarks()
{
    const bool isDark = dark(palette());
    const QColor tint = changeTint(m_side, false, isDark);
    const QColor strong = changeTint(m_side, true, isDark);
    // Visible on both palettes' bases, yet quieter than text.
    QColor hatch = palette().color(QPalette::PlaceholderText);
    hatch.setAlpha(150);
    QList<QTextEdit::ExtraSelection> selections;
    QTextBlock block = document()->firstBlock();
    for (int row = 0; block.isValid(); ++row, block = block.next()) {
        if (m_filler.value(row)) {
            QTextEdit::ExtraSelection selection;
            selection.format.setBackground(QBrush(hatch, Qt::BDiagPattern));
            selection.format.setProperty(QTextFormat::FullWidthSelection, true);
            selection.cursor = QTextCursor(block);
            selections.append(selection);
            continue;
        }
        if (!marked(row))
            continue;
        QTextEdit::ExtraSelection line;
        line.format.setBackground(tint);
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = QTextCursor(block);
        selections.append(line);
        for (const AlignedDdl::Span &span : m_spans.value(row)) {
            QTextEdit::ExtraSelection word;
            word.format.setBackground(strong);
            word.cursor = QTextCursor(block);
            word.cursor.setPosition(block.position() + span.start);
            word.cursor.setPosition(block.position() + span.start + span.length,
                                    QTextCursor::KeepAnchor);
            selections.append(word);
        }
    }
    setExtraSelections(selections);
    m_gutter->update();
}

void DdlView::showMessage(const QString &message)
{
    m_message = true;
    m_rows.clear();
    m_filler.clear();
    m_spans.clear();
    m_hunks.clear();
    QPalette pal = palette();
    pal.setColor(QPalette::Text, QPalette().color(QPalette::PlaceholderText));
    setPalette(pal);
    setExtraSelections({});
    m_highlighter->setActive(false);
    setPlainText(message);
    m_gutter->update();
}

QString DdlView::rowText(int row) const
{
    const QTextBlock block = document()->findBlockByNumber(row);
    return block.isValid() ? block.text() : QString();
}

QStringList DdlView::changedLines() const
{
    QStringList lines;
    QTextBlock block = document()->firstBlock();
    for (int row = 0; block.isValid(); ++row, block = block.next()) {
        if (marked(row))
            lines << block.text();
    }
    return lines;
}

QStringList DdlView::changedWords(int row) const
{
    QStringList words;
    const QString text = rowText(row);
    for (const AlignedDdl::Span &span : m_spans.value(row))
        words << text.mid(span.start, span.length);
    return words;
}

int DdlView::currentRow() const
{
    return textCursor().blockNumber();
}

void DdlView::goToRow(int row)
{
    const QTextBlock block = document()->findBlockByNumber(row);
    if (!block.isValid())
        return;
    setTextCursor(QTextCursor(block));
    centerCursor();
}

void DdlView::paintGutter(QPaintEvent *event)
{
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    if (m_message)
        return;
    const QString sign = m_side == Side::From ? QStringLiteral("−") : QStringLiteral("+");
    painter.setPen(palette().color(QPalette::Text));
    QTextBlock block = firstVisibleBlock();
    int row = block.blockNumber();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (marked(row))
            painter.drawText(QRectF(0, top, m_gutter->width() - 4, height),
                             Qt::AlignRight | Qt::AlignVCenter, sign);
        block = block.next();
        top += height;
        ++row;
    }
}

} // namespace pd::ui
