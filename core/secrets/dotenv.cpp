#include "dotenv.h"

#include "common/regularfile.h"

#include <QSet>

#include <algorithm>

namespace pd {

namespace {

// Dotenv files hold a few dozen lines; the cap keeps a wrong path (/dev/zero, a dump) from
// being read into memory. The same limit as the workspace file's.
constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool isNameStart(QChar c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_';
}

// Dots and dashes are not valid in shell variable names, but Spring-style and docker
// compose files use them, and refusing such a file would hide every other key in it.
bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9') || c == u'.' || c == u'-';
}

class DotenvParser final
{
public:
    DotenvParser(QString text, const QString &fileName)
        : m_text(std::move(text))
        , m_file(fileName)
    {
    }

    Result<QList<DotenvEntry>> run()
    {
        QList<DotenvEntry> entries;
        while (true) {
            skipBlanks();
            if (atEnd())
                break;
            if (atLineEnd()) {
                consumeLineEnd();
                continue;
            }
            if (peek() == u'#') {
                skipToLineEnd();
                continue;
            }
            auto entry = parseAssignment();
            if (!entry)
                return entry.error();
            entries.append(std::move(entry).value());
        }
        return entries;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : QChar();
    }
    // "\n" and "\r\n" end a line; a lone "\r" is ordinary whitespace-ish text.
    bool atLineEnd() const { return peek() == u'\n' || (peek() == u'\r' && peek(1) == u'\n'); }
    void consumeLineEnd()
    {
        m_pos += peek() == u'\r' ? 2 : 1;
        ++m_line;
        m_lineStart = m_pos;
    }
    void skipBlanks()
    {
        while (!atEnd() && isBlank(peek()))
            ++m_pos;
    }
    void skipToLineEnd()
    {
        while (!atEnd() && !atLineEnd())
            ++m_pos;
    }
    int column() const { return int(m_pos - m_lineStart) + 1; }

    Error errorHere(const QString &message) const { return errorAt(m_line, column(), message); }
    Error errorAt(int line, int col, const QString &message) const
    {
        return Error(ErrorCode::Config, ErrorKind::ConfigAtPosition,
                     {ErrorArg::text(QStringLiteral("file"), m_file),
                      ErrorArg::number(QStringLiteral("line"), line),
                      ErrorArg::number(QStringLiteral("column"), col),
                      ErrorArg::text(QStringLiteral("detail"), message)});
    }

    QString parseName()
    {
        const qsizetype start = m_pos;
        if (!atEnd() && isNameStart(peek())) {
            ++m_pos;
            while (!atEnd() && isNameChar(peek()))
                ++m_pos;
        }
        return m_text.mid(start, m_pos - start);
    }

    Result<DotenvEntry> parseAssignment()
    {
        DotenvEntry entry;
        entry.line = m_line;
        entry.key = parseName();
        if (entry.key.isEmpty())
            return errorHere(QStringLiteral(
                "expected a variable name (a letter or '_' followed by letters, digits, '_', "
                "'.' or '-')"));
        // `export KEY=…` lets the same file be sourced by a shell.
        if (entry.key == u"export" && isBlank(peek())) {
            skipBlanks();
            entry.key = parseName();
            if (entry.key.isEmpty())
                return errorHere(QStringLiteral("expected a variable name after 'export'"));
        }
        skipBlanks();
        if (peek() != u'=')
            // The name is not repeated: a pasted bare token (an API key on its own line) would be
            // echoed into parity notes and JSON.
            return errorHere(QStringLiteral("expected '=' after the variable name"));
        ++m_pos;
        skipBlanks();

        const QChar first = peek();
        if (first == u'\'' || first == u'"') {
            auto value = parseQuoted(entry.key, first);
            if (!value)
                return value.error();
            entry.value = std::move(value).value();
            skipBlanks();
            if (peek() == u'#')
                skipToLineEnd();
            if (!atEnd() && !atLineEnd())
                return errorHere(QStringLiteral("unexpected text after the closing quote of %1 "
                                                "(quote the whole value or start a comment with "
                                                "' #')")
                                     .arg(entry.key));
        } else {
            entry.value = parseUnquoted();
        }
        return entry;
    }

    // A quoted value, possibly over several lines. Single quotes are literal, as in the
    // shell; double quotes take backslash escapes.
    Result<QString> parseQuoted(const QString &key, QChar quote)
    {
        const bool escapes = quote == u'"';
        const int openLine = m_line;
        const int openCol = column();
        ++m_pos;
        QString value;
        while (true) {
            if (atEnd())
                return errorAt(
                    openLine, openCol,
                    QStringLiteral("unterminated %1-quoted value of %2")
                        .arg(escapes ? QStringLiteral("double") : QStringLiteral("single"), key));
            if (atLineEnd()) {
                // A CRLF file must give the same multi-line value as its LF twin.
                consumeLineEnd();
                value += u'\n';
                continue;
            }
            const QChar c = peek();
            ++m_pos;
            if (c == quote)
                return value;
            if (!escapes || c != u'\\') {
                value += c;
                continue;
            }
            if (atEnd())
                continue; // reported as unterminated on the next turn
            const QChar escaped = peek();
            switch (escaped.unicode()) {
            case 'n':
                value += u'\n';
                break;
            case 'r':
                value += u'\r';
                break;
            case 't':
                value += u'\t';
                break;
            case '"':
            case '\\':
            case '$':
            case '`':
                value += escaped;
                break;
            default:
                // Unknown escapes stay as written (`"C:\dir"`), like the shell does; an
                // error here would reject files the application itself reads fine.
                value += u'\\';
                continue;
            }
            ++m_pos;
        }
    }

    // Up to the end of the line; ` #` starts a comment (a `#` inside a word does not, so
    // `URL=http://host/#frag` and `KEY=#abc` survive), surrounding blanks are not part of
    // the value.
    QString parseUnquoted()
    {
        const qsizetype start = m_pos;
        qsizetype end = m_pos;
        while (!atEnd() && !atLineEnd()) {
            const QChar c = peek();
            // m_pos > 0 here: at least the '=' precedes the value.
            if (c == u'#' && isBlank(m_text.at(m_pos - 1))) {
                skipToLineEnd();
                break;
            }
            ++m_pos;
            end = m_pos;
        }
        QString value = m_text.mid(start, end - start);
        while (!value.isEmpty() && (isBlank(value.back()) || value.back() == u'\r'))
            value.chop(1);
        return value;
    }

    QString m_text;
    QString m_file;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;
};

} // namespace

Result<DotenvFile> DotenvFile::parse(QByteArrayView content, const QString &fileName)
{
    if (content.startsWith("\xEF\xBB\xBF"))
        content = content.sliced(3);
    DotenvParser parser(QString::fromUtf8(content), fileName);
    auto entries = parser.run();
    if (!entries)
        return entries.error();
    DotenvFile file;
    file.m_entries = std::move(entries).value();
    return file;
}

Result<DotenvFile> DotenvFile::read(const QString &path)
{
    const RegularFileRead file = readRegularFile(path, MaxFileBytes);
    const ErrorArg fileArg = ErrorArg::text(QStringLiteral("file"), path);
    switch (file.problem) {
    case RegularFileRead::Problem::None:
        return parse(file.bytes, path);
    case RegularFileRead::Problem::Missing:
        return Error(ErrorCode::NotFound, ErrorKind::FileMissing, {fileArg});
    case RegularFileRead::Problem::Folder:
        return Error(ErrorCode::Runtime, ErrorKind::DotenvIsFolder, {fileArg});
    case RegularFileRead::Problem::NotRegular:
        return Error(ErrorCode::Runtime, ErrorKind::DotenvNotRegularFile, {fileArg});
    case RegularFileRead::Problem::TooLarge:
        return Error(
            ErrorCode::Runtime, ErrorKind::DotenvTooLarge,
            {fileArg, ErrorArg::text(QStringLiteral("limit"), byteLimitText(MaxFileBytes))});
    case RegularFileRead::Problem::Unreadable:
        break;
    }
    return Error(ErrorCode::Runtime, ErrorKind::FileUnreadable,
                 {fileArg, ErrorArg::text(QStringLiteral("detail"), file.detail)});
}

QStringList DotenvFile::keys() const
{
    QStringList result;
    QSet<QString> seen;
    for (const DotenvEntry &entry : m_entries) {
        if (!seen.contains(entry.key)) {
            seen.insert(entry.key);
            result.append(entry.key);
        }
    }
    return result;
}

bool DotenvFile::contains(const QString &key) const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [&key](const DotenvEntry &entry) { return entry.key == key; });
}

std::optional<QString> DotenvFile::value(const QString &key) const
{
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        if (it->key == key)
            return it->value;
    }
    return std::nullopt;
}

QMap<QString, QString> DotenvFile::toMap() const
{
    QMap<QString, QString> map;
    for (const DotenvEntry &entry : m_entries)
        map.insert(entry.key, entry.value);
    return map;
}

} // namespace pd
