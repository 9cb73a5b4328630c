#include "common/printable.h"

#include <utility>

namespace pd {

namespace {

// Invisible, so that two different texts read the same: a byte order mark in the middle of
// a word, zero-width space, word joiner, invisible operators, soft hyphen. (The zero-width
// joiner and non-joiner stay: scripts and emoji need them.)
bool isInvisible(char32_t c)
{
    return c == 0xfeff || c == 0x200b || (c >= 0x2060 && c <= 0x2064) || c == 0x00ad;
}

} // namespace

bool isUnsafeForOneLine(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f)         // C0, DEL, C1
           || c == 0x2028 || c == 0x2029                // line and paragraph separators
           || (c >= 0x202a && c <= 0x202e)              // embeddings and overrides
           || (c >= 0x2066 && c <= 0x2069)              // isolates
           || c == 0x200e || c == 0x200f || c == 0x061c // marks that reorder neutrals
           || isInvisible(c);
}

namespace {

void appendEscaped(QString &out, char32_t c)
{
    switch (c) {
    case U'\n':
        out += QStringLiteral("\\n");
        return;
    case U'\r':
        out += QStringLiteral("\\r");
        return;
    case U'\t':
        out += QStringLiteral("\\t");
        return;
    default:
        break;
    }
    if (c <= 0xff)
        out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    else
        out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
}

// The code point at `i` and how many UTF-16 units it takes (a lone surrogate is itself).
std::pair<char32_t, qsizetype> codePointAt(const QString &text, qsizetype i)
{
    const QChar c = text.at(i);
    if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
        return {QChar::surrogateToUcs4(c, text.at(i + 1)), 2};
    return {c.unicode(), 1};
}

QString escaped(const QString &text, bool keepLineFeeds)
{
    const auto unsafe = [keepLineFeeds](char32_t c) {
        return isUnsafeForOneLine(c) && !(keepLineFeeds && c == U'\n');
    };
    // Names are almost always clean: one pass to find out, and no copy then.
    qsizetype first = 0;
    while (first < text.size()) {
        const auto [c, width] = codePointAt(text, first);
        if (unsafe(c))
            break;
        first += width;
    }
    if (first == text.size())
        return text;
    QString out;
    out.reserve(text.size() + 16);
    out += QStringView(text).first(first);
    for (qsizetype i = first; i < text.size();) {
        const auto [c, width] = codePointAt(text, i);
        if (unsafe(c))
            appendEscaped(out, c);
        else
            out += QStringView(text).sliced(i, width);
        i += width;
    }
    return out;
}

} // namespace

QString oneLine(const QString &text)
{
    return escaped(text, false);
}

QString terminalText(const QString &text)
{
    return escaped(text, true);
}

} // namespace pd
