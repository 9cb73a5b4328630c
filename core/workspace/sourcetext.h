// The raw text of a workspace file, kept beside the parsed YAML so messages can point
// where an editor would: yaml-cpp counts columns in bytes from 0, editors count
// characters from 1, and "é" is two bytes but one column.
#pragma once

#include "workspace/workspace.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace pd {

class SourceText final
{
public:
    // A leading UTF-8 byte order mark is dropped: yaml-cpp does not count it either.
    explicit SourceText(const QByteArray &bytes);

    const QByteArray &bytes() const noexcept { return m_bytes; }
    // Nothing but spaces and line breaks.
    bool isBlank() const;

    struct Problem
    {
        SourceLocation where;
        QString message;
    };
    // The first byte that is not UTF-8 or is a control character YAML forbids. Checked
    // before parsing because yaml-cpp guesses UTF-16 from NUL bytes and replaces bad
    // sequences silently, which would put the real mistake somewhere else.
    std::optional<Problem> encodingProblem() const;

    // The byte at a yaml-cpp mark, or '\0' outside the text.
    char byteAt(int line, int byteColumn) const;
    // 0-based line and byte column (a yaml-cpp mark) → 1-based line and character column.
    SourceLocation locate(int line, int byteColumn) const;
    // The character at `offset` (UTF-16 index) of a scalar whose node starts at
    // (line, byteColumn), when the file spells the scalar exactly as `value` on that line,
    // plain or quoted without escapes. Otherwise the scalar's own start, because an offset
    // into folded or escaped text would point at the wrong character.
    // The byte column (0-based, as in a yaml-cpp mark) of the first tab in the indentation
    // of `line` — the blanks and block indicators ("- ", "? ", ": ") before its content —
    // when that tab comes at or before `byteColumn`. yaml-cpp blames a tab in indentation
    // on the token after it (the ':' of "\tdev:", the 'd' of "\tdatabase"), which is not
    // where the mistake is.
    std::optional<int> indentationTab(int line, int byteColumn) const;
    // The text with every tab in the indentation of `line` made `width` spaces;
    // `addedBytes` receives how much longer that line became.
    QByteArray withIndentationTabsAsSpaces(int line, int width, int *addedBytes) const;
    SourceLocation locateWithin(int line, int byteColumn, const QString &value,
                                qsizetype offset) const;

private:
    QByteArray m_bytes;
    QList<QByteArray> m_lines;
};

} // namespace pd
