// Text from outside (object names read from a database, file names, command output) shown
// where a line break or control character would change what the reader — or a parser — sees:
// a SQL comment line, one line of terminal output, a log line. A table named
// "evil\nDROP TABLE y; --" must not end a `-- WARNING` comment and put live SQL on the next
// line, and a name holding ESC must not drive the user's terminal.
#pragma once

#include <QString>
#include <QStringView>

namespace pd {

// True for characters that end a line, move the cursor or change how the rest of the line
// is shown: C0 and C1 controls (line feed, carriage return, tab, ESC, …), DEL, the Unicode
// line and paragraph separators, the bidirectional overrides and isolates that can make
// text display in another order than it is read ("Trojan Source"), and the invisible
// characters that make two different texts look alike (a byte order mark inside a word:
// "unknown key 'environments'; did you mean 'environments'?").
bool isUnsafeForOneLine(char32_t c);

// `text` with every such character written as an escape a reader can see: "\n", "\r",
// "\t", "\x1b", "\u202e". A backslash stays as it is. Text without any comes back unchanged
// (no copy is made of a QString argument).
QString oneLine(const QString &text);

// The same, except that "\n" stays a line break: for multi-line text meant for a terminal
// (a report, an error with a hint on its next line). Every other character that
// isUnsafeForOneLine() names is escaped, "\r" included, so no line can be overwritten or
// recoloured. A name that must not start a new line goes through oneLine() first.
QString terminalText(const QString &text);

// The same, for text that goes into a SQL line comment ("-- …"): PostgreSQL ends a comment
// at "\n" or "\r", so with this no part of `text` can become a statement.
inline QString sqlCommentText(const QString &text)
{
    return oneLine(text);
}

} // namespace pd
