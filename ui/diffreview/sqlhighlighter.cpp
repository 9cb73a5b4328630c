#include "diffreview/sqlhighlighter.h"

#include <QGuiApplication>
#include <QPalette>
#include <QSet>
#include <QTextBlock>
#include <QTextDocument>

namespace pd::ui {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

const QSet<QString> &keywords()
{
    static const QSet<QString> words = [] {
        const char *const list[] = {
            "add",          "after",      "aggregate",    "all",
            "alter",        "always",     "and",          "as",
            "asc",          "before",     "begin",        "between",
            "bigint",       "boolean",    "by",           "cascade",
            "case",         "cast",       "check",        "collate",
            "collation",    "column",     "comment",      "commit",
            "concurrently", "constraint", "create",       "current_timestamp",
            "database",     "default",    "deferrable",   "delete",
            "desc",         "distinct",   "do",           "domain",
            "drop",         "each",       "else",         "end",
            "enum",         "event",      "except",       "exists",
            "extension",    "false",      "for",          "foreign",
            "from",         "function",   "generated",    "grant",
            "group",        "having",     "identity",     "if",
            "immutable",    "in",         "include",      "index",
            "inherits",     "initially",  "insert",       "integer",
            "into",         "is",         "join",         "key",
            "language",     "like",       "materialized", "not",
            "null",         "numeric",    "of",           "on",
            "only",         "or",         "order",        "owned",
            "owner",        "partition",  "policy",       "primary",
            "procedure",    "range",      "references",   "rename",
            "replace",      "restrict",   "returns",      "revoke",
            "role",         "row",        "rollback",     "schema",
            "select",       "sequence",   "set",          "smallint",
            "stable",       "statement",  "stored",       "table",
            "text",         "then",       "to",           "transaction",
            "trigger",      "true",       "type",         "union",
            "unique",       "update",     "using",        "values",
            "varying",      "view",       "volatile",     "when",
            "where",        "with",       "without",      "zone",
            "character",    "timestamp",  "timestamptz",  "time",
            "date",         "uuid",       "jsonb",        "json",
            "serial",       "bigserial",  "real",         "double",
            "precision",    "varchar",    "execute",      "return",
            "returning",    "security",   "definer",      "invoker",
            "no",           "action",     "match",        "full",
            "simple",       "nulls",      "first",        "last",
            "increment",    "start",      "minvalue",     "maxvalue",
            "cache",        "cycle",      "temporary",    "temp",
            "unlogged",     "tablespace", "storage",      "usage",
            "privileges",   "enable",     "disable",      "force",
            "level",        "permissive", "restrictive",  "inout",
            "out",          "setof",      "strict",       "parallel",
            "safe",         "unsafe",     "leakproof",    "cost",
            "rows",         "support",    "window",       "over",
            "filter",       "within",     "lateral",      "limit",
            "offset",       "fetch",      "next",         "inner",
            "left",         "right",      "outer",        "cross",
            "natural",      "array",      "any",          "some",
            "exclude",      "gist",       "btree",        "hash",
            "gin",          "brin",       "spgist",       "analyze",
            "vacuum",       "truncate",   "lock",         "notify",
            "listen",       "language",   "plpgsql",      "sql",
        };
        QSet<QString> set;
        for (const char *word : list)
            set.insert(QString::fromLatin1(word));
        return set;
    }();
    return words;
}

// The tag of a dollar quote still open at the end of a line ("$function$"), kept with the
// line so re-highlighting from any line reads its predecessor's.
class DollarTag final : public QTextBlockUserData
{
public:
    explicit DollarTag(QString tag)
        : tag(std::move(tag))
    {
    }
    QString tag;
};

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
}

SqlHighlighter::SqlHighlighter(QObject *parent)
    : QSyntaxHighlighter(parent)
{
}

void SqlHighlighter::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    rehighlight();
}

bool SqlHighlighter::isKeyword(QStringView word)
{
    return keywords().contains(word.toString().toLower());
}

QTextCharFormat SqlHighlighter::format(Token token, const QColor &base)
{
    const bool dark = base.lightness() < 128;
    QTextCharFormat format;
    // Each colour reaches a contrast of at least 4.5:1 on the theme's base (and on
    // on the changed-line tints of ddlview.cpp), checked by tests/tst_diffreview.
    switch (token) {
    case Token::Keyword:
        format.setForeground(dark ? QColor(148, 196, 255) : QColor(0, 51, 179));
        format.setFontWeight(QFont::Bold);
        break;
    case Token::String:
        format.setForeground(dark ? QColor(245, 180, 145) : QColor(163, 21, 21));
        break;
    case Token::Comment:
        format.setForeground(dark ? QColor(150, 210, 150) : QColor(0, 100, 0));
        format.setFontItalic(true);
        break;
    case Token::QuotedIdentifier:
        format.setForeground(dark ? QColor(222, 185, 245) : QColor(118, 38, 150));
        break;
    case Token::Number:
        format.setForeground(dark ? QColor(200, 222, 160) : QColor(0, 95, 86));
        break;
    }
    return format;
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    setCurrentBlockState(Plain);
    if (!m_active)
        return;
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    const int length = int(text.size());
    int at = 0;
    // Carried over from the previous line.
    if (previousBlockState() == InComment) {
        const int end = int(text.indexOf(QLatin1String("*/")));
        const int stop = end < 0 ? length : end + 2;
        setFormat(0, stop, format(Token::Comment, base));
        if (end < 0) {
            setCurrentBlockState(InComment);
            return;
        }
        at = stop;
    } else if (previousBlockState() == InDollarQuote) {
        const auto *open = dynamic_cast<const DollarTag *>(currentBlock().previous().userData());
        const QString tag = open ? open->tag : QString();
        const int end = tag.isEmpty() ? -1 : int(text.indexOf(tag));
        const int stop = end < 0 ? length : end + int(tag.size());
        setFormat(0, stop, format(Token::String, base));
        if (end < 0) {
            setCurrentBlockState(InDollarQuote);
            setCurrentBlockUserData(new DollarTag(tag));
            return;
        }
        at = stop;
    }
    while (at < length) {
        const QChar c = text.at(at);
        const QChar next = at + 1 < length ? text.at(at + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            setFormat(at, length - at, format(Token::Comment, base));
            return;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            const int end = int(text.indexOf(QLatin1String("*/"), at + 2));
            const int stop = end < 0 ? length : end + 2;
            setFormat(at, stop - at, format(Token::Comment, base));
            if (end < 0) {
                setCurrentBlockState(InComment);
                return;
            }
            at = stop;
            continue;
        }
        if (c == QLatin1Char('\'')) {
            int end = at + 1;
            while (end < length) {
                if (text.at(end) == QLatin1Char('\'')) {
                    if (end + 1 < length && text.at(end + 1) == QLatin1Char('\'')) {
                        end += 2; // '' inside a string
                        continue;
                    }
                    break;
                }
                if (text.at(end) == QLatin1Char('\\') && at > 0 &&
                    (text.at(at - 1) == QLatin1Char('E') || text.at(at - 1) == QLatin1Char('e')))
                    ++end; // E'…\'…'
                ++end;
            }
            const int stop = std::min(length, end + 1);
            setFormat(at, stop - at, format(Token::String, base));
            at = stop;
            continue;
        }
        if (c == QLatin1Char('"')) {
            int end = at + 1;
            while (end < length && !(text.at(end) == QLatin1Char('"') &&
                                     !(end + 1 < length && text.at(end + 1) == QLatin1Char('"'))))
                end += text.at(end) == QLatin1Char('"') ? 2 : 1;
            const int stop = std::min(length, end + 1);
            setFormat(at, stop - at, format(Token::QuotedIdentifier, base));
            at = stop;
            continue;
        }
        if (c == QLatin1Char('$') && (at == 0 || !isWordChar(text.at(at - 1)))) {
            // $tag$ or $$ opens a dollar quote (a $1 parameter does not).
            int end = at + 1;
            while (end < length && (text.at(end).isLetter() || text.at(end) == QLatin1Char('_') ||
                                    (end > at + 1 && text.at(end).isDigit())))
                ++end;
            if (end < length && text.at(end) == QLatin1Char('$')) {
                const QString tag = text.mid(at, end - at + 1);
                const int close = int(text.indexOf(tag, end + 1));
                const int stop = close < 0 ? length : close + int(tag.size());
                setFormat(at, stop - at, format(Token::String, base));
                if (close < 0) {
                    setCurrentBlockState(InDollarQuote);
                    setCurrentBlockUserData(new DollarTag(tag));
                    return;
                }
                at = stop;
                continue;
            }
        }
        if (c.isDigit() && (at == 0 || !isWordChar(text.at(at - 1)))) {
            int end = at + 1;
            while (end < length && (text.at(end).isDigit() || text.at(end) == QLatin1Char('.')))
                ++end;
            if (end >= length || !isWordChar(text.at(end)))
                setFormat(at, end - at, format(Token::Number, base));
            at = end;
            continue;
        }
        if (isWordChar(c)) {
            int end = at + 1;
            while (end < length && isWordChar(text.at(end)))
                ++end;
            if (isKeyword(QStringView(text).mid(at, end - at)))
                setFormat(at, end - at, format(Token::Keyword, base));
            at = end;
            continue;
        }
        ++at;
    }
}

} // namespace pd::ui
