#include "workspace/sourcetext.h"

namespace pd {

namespace {

bool isContinuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

// Characters in a run of valid UTF-8 bytes: every byte that does not continue a sequence.
int characterCount(QByteArrayView bytes)
{
    int count = 0;
    for (const char c : bytes)
        count += isContinuation(static_cast<unsigned char>(c)) ? 0 : 1;
    return count;
}

// Length of the well-formed UTF-8 sequence at `i`, or 0 (Unicode table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF).
qsizetype sequenceLength(const QByteArray &bytes, qsizetype i)
{
    const auto at = [&](qsizetype k) { return static_cast<unsigned char>(bytes[k]); };
    const unsigned char lead = at(i);
    qsizetype length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
    } else {
        return 0;
    }
    if (i + length > bytes.size())
        return 0;
    if (at(i + 1) < low || at(i + 1) > high)
        return 0;
    for (qsizetype k = 2; k < length; ++k) {
        if (!isContinuation(at(i + k)))
            return 0;
    }
    return length;
}

QString hexDigits(unsigned char byte, int width)
{
    return QString::number(byte, 16).toUpper().rightJustified(width, QLatin1Char('0'));
}

// Bytes of `line` that indent it: blanks, and block indicators followed by a blank.
qsizetype indentationLength(const QByteArray &line)
{
    qsizetype i = 0;
    while (i < line.size()) {
        const char c = line[i];
        const bool blank = c == ' ' || c == '\t';
        const bool indicator = (c == '-' || c == '?' || c == ':') && i + 1 < line.size() &&
                               (line[i + 1] == ' ' || line[i + 1] == '\t');
        if (!blank && !indicator)
            break;
        ++i;
    }
    return i;
}

} // namespace

SourceText::SourceText(const QByteArray &bytes)
    : m_bytes(bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes)
    // yaml-cpp ends a line only at '\n' ("\r\n" included); a '\r' left at the end of a
    // line never sits before a column we report.
    , m_lines(m_bytes.split('\n'))
{
}

bool SourceText::isBlank() const
{
    return m_bytes.trimmed().isEmpty();
}

std::optional<SourceText::Problem> SourceText::encodingProblem() const
{
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < m_bytes.size();) {
        const auto byte = static_cast<unsigned char>(m_bytes[i]);
        if (byte < 0x80) {
            if (byte == '\n') {
                ++line;
                column = 1;
            } else if ((byte < 0x20 && byte != '\t' && byte != '\r') || byte == 0x7F) {
                return Problem{{line, column},
                               QStringLiteral("control character U+%1 in the file; expected "
                                              "printable text")
                                   .arg(hexDigits(byte, 4))};
            } else {
                ++column;
            }
            ++i;
            continue;
        }
        const qsizetype length = sequenceLength(m_bytes, i);
        if (length == 0) {
            return Problem{{line, column},
                           QStringLiteral("byte %1 is not valid UTF-8; expected a UTF-8 encoded "
                                          "file (re-save it as UTF-8)")
                               .arg(QStringLiteral("0x") + hexDigits(byte, 2))};
        }
        i += length;
        ++column;
    }
    return std::nullopt;
}

char SourceText::byteAt(int line, int byteColumn) const
{
    if (line < 0 || line >= m_lines.size() || byteColumn < 0 ||
        byteColumn >= m_lines[line].size()) {
        return '\0';
    }
    return m_lines[line][byteColumn];
}

SourceLocation SourceText::locate(int line, int byteColumn) const
{
    if (line < 0 || byteColumn < 0)
        return {};
    if (line >= m_lines.size())
        return {line + 1, byteColumn + 1};
    const QByteArray &text = m_lines[line];
    return {line + 1, characterCount(QByteArrayView(text).first(
                          std::min<qsizetype>(byteColumn, text.size()))) +
                          1};
}

std::optional<int> SourceText::indentationTab(int line, int byteColumn) const
{
    if (line < 0 || line >= m_lines.size())
        return std::nullopt;
    const QByteArray &text = m_lines[line];
    const qsizetype tab = text.first(indentationLength(text)).indexOf('\t');
    if (tab < 0 || tab > byteColumn)
        return std::nullopt;
    return int(tab);
}

QByteArray SourceText::withIndentationTabsAsSpaces(int line, int width, int *addedBytes) const
{
    *addedBytes = 0;
    if (line < 0 || line >= m_lines.size())
        return m_bytes;
    QList<QByteArray> lines = m_lines;
    const QByteArray &text = m_lines[line];
    const qsizetype indentation = indentationLength(text);
    QByteArray spaced;
    for (qsizetype i = 0; i < indentation; ++i) {
        if (text[i] == '\t') {
            spaced.append(width, ' ');
            *addedBytes += width - 1;
        } else {
            spaced.append(text[i]);
        }
    }
    lines[line] = spaced + text.mid(indentation);
    return lines.join('\n');
}

SourceLocation SourceText::locateWithin(int line, int byteColumn, const QString &value,
                                        qsizetype offset) const
{
    const SourceLocation start = locate(line, byteColumn);
    if (!start.isValid() || line >= m_lines.size())
        return start;
    const QByteArray written = m_lines[line].mid(byteColumn);
    const QByteArray expected = value.toUtf8();
    const int charactersBefore =
        int(value.first(std::clamp<qsizetype>(offset, 0, value.size())).toUcs4().size());
    if (written.startsWith(expected))
        return {start.line, start.column + charactersBefore};
    if (!written.isEmpty() && (written[0] == '"' || written[0] == '\'') &&
        written.mid(1).startsWith(QByteArray(expected).append(written[0]))) {
        return {start.line, start.column + 1 + charactersBefore};
    }
    return start;
}

} // namespace pd
