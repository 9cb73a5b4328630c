// The text of generateSql()'s script as the planner writes it (planner.h), and how a
// destructive statement is shown: a warning line, then the statement itself (--unsafe) or
// commented out line by line. Internal to the schema module.
#pragma once

#include <QSet>
#include <QString>

namespace pd::sqlplan {

// "-- WARNING: destructive: " — what appendWarning() starts a line with.
extern const QString Warning;

// A statement left out without --unsafe, commented out line by line.
qsizetype commentedOutSize(const QString &sql);
void appendCommentedOut(QString &out, const QString &sql);

// "-- WARNING: destructive: removes table public.…" on one line whatever the names hold:
// the reason quotes object names as they are, and a line break in one would end the comment.
void appendWarning(QString &out, const QString &reason);

// The body of generateSql's script, written as the planner plans it rather than collected
// as statements first: for thousands of tables those would be tens of MB next to the text.
// (Never `text += a + b` here: Qt 6.4's QStringBuilder append reserves twice the capacity
// whenever the new length exceeds the free space, so a long text ends up with 2–4 times
// the memory it needs.)
struct ScriptText
{
    QString text;
    bool unsafe = false; // destructive statements are written as they are, not commented out
    // Statements of interest (the full plan's destructive ones) and those of them that this
    // plan has as well.
    QSet<QString> candidates;
    QSet<QString> planned;
    qsizetype statements = 0;
    qsizetype destructive = 0;

    void write(const QString &sql, bool isDestructive, const QString &reason)
    {
        ++statements;
        if (!candidates.isEmpty() && candidates.contains(sql))
            planned.insert(sql);
        makeRoom(sql.size() + (isDestructive ? reason.size() + 64 : 1));
        if (!isDestructive) {
            text.append(sql).append(QLatin1Char('\n'));
            return;
        }
        ++destructive;
        text.append(QLatin1Char('\n'));
        appendWarning(text, reason);
        if (unsafe)
            text += sql;
        else
            appendCommentedOut(text, sql);
        text += QLatin1Char('\n');
    }

    // The text doubles when it is full (see above for why QString is not left to do it);
    // generateSql squeezes the slack at the end.
    void makeRoom(qsizetype more)
    {
        const qsizetype needed = text.size() + more;
        if (needed > text.capacity())
            text.reserve(needed * 2);
    }
};

} // namespace pd::sqlplan
