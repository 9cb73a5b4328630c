// SQL colouring for the review's DDL and SQL panes: keywords, 'strings' (E'…' and
// $tag$…$tag$ too), -- and /* */ comments, "quoted identifiers" and numbers. Colours
// come from the palette's lightness, so they stay readable on light and dark bases
// (tests check the contrast of each against both); keywords are bold as well, so colour
// is never the only signal. Comments and dollar-quoted strings may span lines.
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace pd::ui {

class SqlHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqlHighlighter)

public:
    enum class Token { Keyword, String, Comment, QuotedIdentifier, Number };

    // Colours `document` and lives as long as it does.
    explicit SqlHighlighter(QTextDocument *document);
    // Owned by `parent`, for a pane whose document is replaced: call setDocument().
    explicit SqlHighlighter(QObject *parent);

    // Off: the document is shown plain (a message instead of SQL).
    void setActive(bool active);
    bool isActive() const noexcept { return m_active; }

    // The format used for `token` with a base colour of `base` (light or dark palette).
    static QTextCharFormat format(Token token, const QColor &base);
    static bool isKeyword(QStringView word);

protected:
    void highlightBlock(const QString &text) override;

private:
    enum State { Plain = 0, InComment = 1, InDollarQuote = 2 };
    bool m_active = true;
};

} // namespace pd::ui
