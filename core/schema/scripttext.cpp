#include "schema/scripttext.h"

#include "common/printable.h"

#include <algorithm>

namespace pd::sqlplan {

const QString SkippedPrefix = QStringLiteral("-- (destructive, skipped without --unsafe) ");

const QString SkippedContinuation = QStringLiteral("\n--   ");

// PostgreSQL ends a "--" comment at either of these (scan.l: newline [\n\r]): a statement
// commented out line by line must start a new comment after each, or the rest of a line
// inside a quoted name ("x\rDROP TABLE y;") would run.
bool endsCommentLine(QChar c)
{
    return c == u'\n' || c == u'\r';
}

qsizetype commentedOutSize(const QString &sql)
{
    const auto breaks = std::count_if(sql.cbegin(), sql.cend(), endsCommentLine);
    return SkippedPrefix.size() + sql.size() + breaks * (SkippedContinuation.size() - 1);
}

void appendCommentedOut(QString &out, const QString &sql)
{
    out += SkippedPrefix;
    qsizetype from = 0;
    for (qsizetype i = 0; i < sql.size(); ++i) {
        if (!endsCommentLine(sql.at(i)))
            continue;
        out += QStringView(sql).sliced(from, i - from);
        out += SkippedContinuation;
        if (sql.at(i) == u'\r' && i + 1 < sql.size() && sql.at(i + 1) == u'\n')
            ++i; // one line break, not two
        from = i + 1;
    }
    out += QStringView(sql).sliced(from);
}

const QString Warning = QStringLiteral("-- WARNING: destructive: ");

void appendWarning(QString &out, const QString &reason)
{
    out.append(Warning).append(sqlCommentText(reason)).append(QLatin1Char('\n'));
}

} // namespace pd::sqlplan
