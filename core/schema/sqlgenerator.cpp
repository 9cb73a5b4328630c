#include "schema/sqlgenerator.h"

#include "schema/planner.h"
#include "schema/scripttext.h"

#include "common/printable.h"

#include <limits>

namespace pd {

using sqlplan::appendCommentedOut;
using sqlplan::appendWarning;
using sqlplan::commentedOutSize;
using sqlplan::Planner;
using sqlplan::ScriptText;
using sqlplan::Warning;

QMap<QString, QString> builtInPrivileges(ObjectKind kind)
{
    switch (kind) {
    case ObjectKind::Function:
    case ObjectKind::Procedure:
    case ObjectKind::Aggregate:
        return {{QStringLiteral("PUBLIC"), QStringLiteral("EXECUTE")}};
    case ObjectKind::Enum:
    case ObjectKind::Domain:
    case ObjectKind::CompositeType:
    case ObjectKind::RangeType:
        return {{QStringLiteral("PUBLIC"), QStringLiteral("USAGE")}};
    default:
        return {};
    }
}

QList<GeneratedStatement> generateStatements(const SchemaDiff &diff, bool includeDestructive)
{
    Planner planner(diff, includeDestructive);
    return planner.run();
}

QString generateSql(const SchemaDiff &diff, const SqlOptions &options)
{
    // What a full migration would also do: listed, commented out, after the safe script.
    // Planned first and keeping only its destructive statements, so that the full plan is
    // gone before the script's own is made.
    QList<GeneratedStatement> skipped;
    ScriptText script;
    script.unsafe = options.unsafe;
    // The full plan also measures what the safe script will take: its statements that lose
    // nothing (the safe plan has those too, as a rule) and the commented-out rest. Reserved
    // up front, megabytes of text need not grow, which copies them next to the original.
    qsizetype expected = 0;
    if (!options.unsafe) {
        Planner full(diff, true, true);
        skipped = full.run();
        expected = full.safeTextSize();
        for (const GeneratedStatement &statement : std::as_const(skipped)) {
            script.candidates.insert(statement.sql);
            expected +=
                Warning.size() + statement.reason.size() + commentedOutSize(statement.sql) + 2;
        }
    }

    // The header names the number of destructive statements, known only once the script
    // is planned; room for it is kept at the start so the megabytes that follow are never
    // copied (prepending would hold the text twice).
    const QString summary = QStringLiteral("-- ParityDeck schema migration: %1")
                                .arg(sqlCommentText(diff.summaryText()));
    const auto destructiveNote = [&options](qsizetype count) {
        return options.unsafe
                   ? QStringLiteral("-- %1 destructive statement(s) included (--unsafe).")
                         .arg(count)
                   : QStringLiteral("-- %1 destructive statement(s) left out and shown commented "
                                    "out; rerun with --unsafe to include them.")
                         .arg(count);
    };
    const auto headerLines = [&](qsizetype count) {
        QStringList lines;
        if (options.header) {
            lines << summary;
            if (count > 0)
                lines << destructiveNote(count);
            lines << QString();
        }
        return lines;
    };
    const qsizetype room =
        options.header
            ? summary.size() + destructiveNote(std::numeric_limits<qsizetype>::max()).size() + 3
            : 0;
    script.text.reserve(room + expected + 64);
    script.text.fill(QLatin1Char(' '), room);
    if (options.transaction)
        script.text += QStringLiteral("BEGIN;\n");
    // Function bodies may name tables created later in the script; pg_dump does the same.
    script.text += QStringLiteral("SET check_function_bodies = false;\n");

    Planner(diff, options.unsafe, false, &script).run();

    skipped.removeIf([&script](const GeneratedStatement &statement) {
        return script.planned.contains(statement.sql);
    });
    const qsizetype destructive = script.destructive + skipped.size();
    if (script.statements == 0 && skipped.isEmpty())
        return headerLines(destructive).join(QLatin1Char('\n'));
    QString &out = script.text;
    const QString leftOut =
        QStringLiteral("\n-- Left out without --unsafe (the objects stay as they are):\n");
    const QString commit = QStringLiteral("COMMIT;\n");
    qsizetype rest = options.transaction ? commit.size() : 0;
    if (!skipped.isEmpty())
        rest += leftOut.size();
    for (const GeneratedStatement &statement : std::as_const(skipped))
        rest += Warning.size() + statement.reason.size() + commentedOutSize(statement.sql) + 2;
    out.reserve(out.size() + rest);
    if (!skipped.isEmpty()) {
        out += leftOut;
        for (const GeneratedStatement &statement : std::as_const(skipped)) {
            appendWarning(out, statement.reason);
            appendCommentedOut(out, statement.sql);
            out += QLatin1Char('\n');
        }
    }
    if (options.transaction)
        out += commit;
    out.squeeze(); // in place, before the room at the start is let go
    QString header;
    for (const QString &line : headerLines(destructive))
        header += line + QLatin1Char('\n');
    std::copy(header.cbegin(), header.cend(), out.begin() + (room - header.size()));
    out.remove(0, room - header.size());
    return out;
}

} // namespace pd
