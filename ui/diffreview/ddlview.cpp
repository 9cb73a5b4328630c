#include "diffreview/ddlview.h"

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
    explicit Gutter(DdlView *view) : QWidget(view), m_view(view) {}

protected:
    void paintEvent(QPaintEvent *event) override { m_view->paintGutter(event); }

private:
    DdlView *m_view;
};

DdlView::DdlView(Side side, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_side(side)
    , m_gutter(new Gutter(this))
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

void DdlView::showDdl(const QString &text, const QVector<bool> &changed)
{
    m_message = false;
    m_changed = changed;
    QPalette pal = palette();
    pal.setColor(QPalette::Text, QPalette().color(QPalette::Text));
    setPalette(pal);
    setPlainText(text);
    const bool isDark = dark(palette());
    const QColor tint = m_side == Side::From
                            ? (isDark ? QColor(110, 30, 36) : QColor(255, 221, 221))
                            : (isDark ? QColor(28, 90, 44) : QColor(214, 244, 218));
    QList<QTextEdit::ExtraSelection> selections;
    QTextBlock block = document()->firstBlock();
    for (int line = 0; block.isValid(); ++line, block = block.next()) {
        if (line >= m_changed.size() || !m_changed.at(line))
            continue;
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(tint);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(block);
        selections.append(selection);
    }
    setExtraSelections(selections);
    m_gutter->update();
}

void DdlView::showMessage(const QString &message)
{
    m_message = true;
    m_changed.clear();
    QPalette pal = palette();
    pal.setColor(QPalette::Text, QPalette().color(QPalette::PlaceholderText));
    setPalette(pal);
    setExtraSelections({});
    setPlainText(message);
    m_gutter->update();
}

QStringList DdlView::changedLines() const
{
    QStringList lines;
    QTextBlock block = document()->firstBlock();
    for (int line = 0; block.isValid(); ++line, block = block.next()) {
        if (line < m_changed.size() && m_changed.at(line))
            lines << block.text();
    }
    return lines;
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
    int line = block.blockNumber();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (line < m_changed.size() && m_changed.at(line)) {
            painter.drawText(QRectF(0, top, m_gutter->width() - 4, height), Qt::AlignRight | Qt::AlignVCenter,
                             sign);
        }
        block = block.next();
        top += height;
        ++line;
    }
}

} // namespace pd::ui
