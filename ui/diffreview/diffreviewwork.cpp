#include "diffreview/diffreviewwork.h"

#include "environment/schemacomparison.h"
#include "schema/identifiers.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <vector>

namespace pd::ui {

namespace {

const ObjectKind SubObjectKinds[] = {ObjectKind::Column,     ObjectKind::ColumnDefault,
                                     ObjectKind::Constraint, ObjectKind::Index,
                                     ObjectKind::Trigger,    ObjectKind::Policy};

bool isSubObject(ObjectKind kind)
{
    return std::find(std::begin(SubObjectKinds), std::end(SubObjectKinds), kind) !=
           std::end(SubObjectKinds);
}

const SchemaObject *findEither(const SchemaDiff &diff, const QString &id)
{
    if (const SchemaObject *object = diff.to.find(id))
        return object;
    return diff.from.find(id);
}

QString tableKey(const QString &schema, const QString &table)
{
    return objectId(ObjectKind::Table, schema, {}, table);
}

} // namespace

QString ddlSubjectId(const SchemaDiff &diff, const QString &id)
{
    const SchemaObject *object = findEither(diff, id);
    if (!object || !isSubObject(object->kind) || object->table.isEmpty())
        return id;
    for (ObjectKind relation :
         {ObjectKind::Table, ObjectKind::View, ObjectKind::MaterializedView}) {
        const QString owner = objectId(relation, object->schema, {}, object->table);
        if (findEither(diff, owner))
            return owner;
    }
    return id;
}

QString objectDdl(const SchemaSnapshot &snapshot, const QString &id)
{
    const SchemaObject *object = snapshot.find(id);
    if (!object)
        return {};
    SchemaSnapshot alone;
    alone.serverVersion = snapshot.serverVersion;
    alone.serverVersionNumber = snapshot.serverVersionNumber;
    alone.database = snapshot.database;
    alone.insert(*object);
    const bool relation = object->kind == ObjectKind::Table || object->kind == ObjectKind::View ||
                          object->kind == ObjectKind::MaterializedView;
    if (relation) {
        for (ObjectKind kind : SubObjectKinds) {
            const QString prefix = objectKindName(kind) + QLatin1Char(' ') +
                                   quoteIdent(object->schema) + QLatin1Char('.') +
                                   quoteIdent(object->name) + QLatin1Char('.');
            for (auto it = snapshot.objects.lowerBound(prefix);
                 it != snapshot.objects.cend() && it.key().startsWith(prefix); ++it) {
                if (it->schema == object->schema && it->table == object->name)
                    alone.insert(*it);
            }
        }
    }
    SchemaDiff creation;
    creation.to = alone;
    for (auto it = alone.objects.cbegin(); it != alone.objects.cend(); ++it) {
        ObjectChange change;
        change.type = ChangeType::Added;
        change.kind = it->kind;
        change.id = it.key();
        change.displayName = it->displayName();
        creation.changes.append(change);
    }
    std::stable_sort(creation.changes.begin(), creation.changes.end(),
                     [](const ObjectChange &a, const ObjectChange &b) { return a.kind < b.kind; });
    QStringList statements;
    for (const GeneratedStatement &statement : generateStatements(creation, true))
        statements << statement.sql;
    return statements.join(QLatin1Char('\n'));
}

namespace {

// Lines compare without a trailing comma: a column that becomes the last one of a CREATE
// TABLE (or stops being it) has not changed.
QStringList comparable(const QStringList &lines)
{
    QStringList keys;
    keys.reserve(lines.size());
    for (const QString &line : lines) {
        QString key = line.trimmed();
        if (key.endsWith(QLatin1Char(',')))
            key.chop(1);
        keys << key;
    }
    return keys;
}

} // namespace

LineDiff diffLines(const QStringList &fromLines, const QStringList &toLines)
{
    const QStringList from = comparable(fromLines);
    const QStringList to = comparable(toLines);
    LineDiff result;
    const qsizetype n = from.size();
    const qsizetype m = to.size();
    result.fromChanged.fill(true, n);
    result.toChanged.fill(true, m);
    // Common head and tail first: most DDL pairs differ in a line or two.
    qsizetype head = 0;
    while (head < n && head < m && from.at(head) == to.at(head)) {
        result.fromChanged[head] = result.toChanged[head] = false;
        ++head;
    }
    qsizetype tail = 0;
    while (tail < n - head && tail < m - head && from.at(n - 1 - tail) == to.at(m - 1 - tail)) {
        result.fromChanged[n - 1 - tail] = result.toChanged[m - 1 - tail] = false;
        ++tail;
    }
    const qsizetype rows = n - head - tail;
    const qsizetype cols = m - head - tail;
    if (rows == 0 || cols == 0)
        return result;
    if (rows * cols > 4'000'000) {
        // Too large for the table: a line counts as unchanged when the other side has it.
        const QSet<QString> inFrom(from.cbegin() + head, from.cend() - tail);
        const QSet<QString> inTo(to.cbegin() + head, to.cend() - tail);
        for (qsizetype i = head; i < n - tail; ++i)
            result.fromChanged[i] = !inTo.contains(from.at(i));
        for (qsizetype j = head; j < m - tail; ++j)
            result.toChanged[j] = !inFrom.contains(to.at(j));
        return result;
    }
    std::vector<int> lcs(size_t((rows + 1) * (cols + 1)), 0);
    const auto at = [cols](qsizetype i, qsizetype j) { return size_t(i * (cols + 1) + j); };
    for (qsizetype i = rows - 1; i >= 0; --i) {
        for (qsizetype j = cols - 1; j >= 0; --j) {
            lcs[at(i, j)] = from.at(head + i) == to.at(head + j)
                                ? lcs[at(i + 1, j + 1)] + 1
                                : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
        }
    }
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < rows && j < cols) {
        if (from.at(head + i) == to.at(head + j)) {
            result.fromChanged[head + i] = result.toChanged[head + j] = false;
            ++i;
            ++j;
        } else if (lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ++i;
        } else {
            ++j;
        }
    }
    return result;
}

AlignedDdl alignDdl(const QStringList &from, const QStringList &to)
{
    const LineDiff lines = diffLines(from, to);
    AlignedDdl aligned;
    const auto addRow = [&aligned](AlignedDdl::Row kind, const QString &left, bool leftFiller,
                                   const QString &right, bool rightFiller) {
        if (kind != AlignedDdl::Row::Same &&
            (aligned.rows.isEmpty() || aligned.rows.constLast() == AlignedDdl::Row::Same))
            aligned.hunks.append(int(aligned.rows.size()));
        aligned.rows.append(kind);
        aligned.from.append(left);
        aligned.to.append(right);
        aligned.fromFiller.append(leftFiller);
        aligned.toFiller.append(rightFiller);
        QVector<AlignedDdl::Span> leftSpans;
        QVector<AlignedDdl::Span> rightSpans;
        if (kind == AlignedDdl::Row::Changed)
            diffWords(left, right, &leftSpans, &rightSpans);
        aligned.fromSpans.append(leftSpans);
        aligned.toSpans.append(rightSpans);
    };
    qsizetype i = 0;
    qsizetype j = 0;
    const qsizetype n = from.size();
    const qsizetype m = to.size();
    while (i < n || j < m) {
        // The changed runs up to the next unchanged line on each side, paired row by row.
        qsizetype fromEnd = i;
        while (fromEnd < n && lines.fromChanged.at(fromEnd))
            ++fromEnd;
        qsizetype toEnd = j;
        while (toEnd < m && lines.toChanged.at(toEnd))
            ++toEnd;
        while (i < fromEnd || j < toEnd) {
            if (i < fromEnd && j < toEnd)
                addRow(AlignedDdl::Row::Changed, from.at(i++), false, to.at(j++), false);
            else if (i < fromEnd)
                addRow(AlignedDdl::Row::Removed, from.at(i++), false, QString(), true);
            else
                addRow(AlignedDdl::Row::Added, QString(), true, to.at(j++), false);
        }
        if (i < n && j < m)
            addRow(AlignedDdl::Row::Same, from.at(i++), false, to.at(j++), false);
        else if (i < n) // only where the large-text shortcut matched unevenly
            addRow(AlignedDdl::Row::Removed, from.at(i++), false, QString(), true);
        else if (j < m)
            addRow(AlignedDdl::Row::Added, QString(), true, to.at(j++), false);
    }
    return aligned;
}

namespace {

struct Token
{
    int start = 0;
    int length = 0;
};

QVector<Token> words(const QString &line)
{
    QVector<Token> tokens;
    for (int at = 0; at < line.size();) {
        const QChar c = line.at(at);
        int end = at + 1;
        if (c.isLetterOrNumber() || c == QLatin1Char('_')) {
            while (end < line.size() &&
                   (line.at(end).isLetterOrNumber() || line.at(end) == QLatin1Char('_')))
                ++end;
        } else if (c.isSpace()) {
            while (end < line.size() && line.at(end).isSpace())
                ++end;
        }
        tokens.append({at, end - at});
        at = end;
    }
    return tokens;
}

void appendSpan(QVector<AlignedDdl::Span> *spans, const Token &token)
{
    if (!spans->isEmpty() && spans->last().start + spans->last().length == token.start)
        spans->last().length += token.length;
    else
        spans->append({token.start, token.length});
}

} // namespace

void diffWords(const QString &from, const QString &to, QVector<AlignedDdl::Span> *fromSpans,
               QVector<AlignedDdl::Span> *toSpans)
{
    // A trailing comma (a column that is or is not the last one) is not a difference.
    const auto withoutTrailingComma = [](const QString &line) {
        QVector<Token> tokens = words(line);
        if (!tokens.isEmpty() && tokens.last().length == 1 &&
            line.at(tokens.last().start) == QLatin1Char(','))
            tokens.removeLast();
        return tokens;
    };
    const QVector<Token> a = withoutTrailingComma(from);
    const QVector<Token> b = withoutTrailingComma(to);
    const auto text = [](const QString &line, const Token &token) {
        return QStringView(line).mid(token.start, token.length);
    };
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    if (n * m > 250'000) { // a very long line: marked whole
        if (!from.isEmpty())
            fromSpans->append({0, int(from.size())});
        if (!to.isEmpty())
            toSpans->append({0, int(to.size())});
        return;
    }
    std::vector<int> lcs(size_t((n + 1) * (m + 1)), 0);
    const auto at = [m](qsizetype i, qsizetype j) { return size_t(i * (m + 1) + j); };
    for (qsizetype i = n - 1; i >= 0; --i)
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[at(i, j)] = text(from, a.at(i)) == text(to, b.at(j))
                                ? lcs[at(i + 1, j + 1)] + 1
                                : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && text(from, a.at(i)) == text(to, b.at(j))) {
            ++i;
            ++j;
        } else if (j >= m || (i < n && lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
            appendSpan(fromSpans, a.at(i++));
        } else {
            appendSpan(toSpans, b.at(j++));
        }
    }
}

QList<int> withoutExcluded(const QList<int> &positions, const QSet<int> &excluded)
{
    if (excluded.isEmpty())
        return positions;
    QList<int> kept;
    kept.reserve(positions.size());
    for (int position : positions)
        if (!excluded.contains(position))
            kept.append(position);
    return kept;
}

namespace {

// The size of `text` in UTF-8 as QString::toUtf8() writes it (a lone surrogate is one '?').
qsizetype utf8Size(QStringView text)
{
    qsizetype size = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80)
            size += 1;
        else if (c < 0x800)
            size += 2;
        else if (QChar::isHighSurrogate(c) && i + 1 < text.size() &&
                 QChar::isLowSurrogate(text[i + 1].unicode())) {
            size += 4;
            ++i;
        } else if (QChar::isSurrogate(c))
            size += 1;
        else
            size += 3;
    }
    return size;
}

} // namespace

// toUtf8() allocates three bytes per character and keeps that capacity, alongside the
// script's 7 MB as UTF-16. Here only 64 K characters at a time are converted twice.
QByteArray toUtf8Exact(QStringView text)
{
    constexpr qsizetype Chunk = 64 * 1024;
    QByteArray utf8;
    utf8.reserve(utf8Size(text));
    for (qsizetype at = 0; at < text.size();) {
        qsizetype n = std::min(Chunk, text.size() - at);
        if (at + n < text.size() && text[at + n - 1].isHighSurrogate())
            --n; // a surrogate pair is converted whole, as toUtf8() does
        utf8 += text.mid(at, n).toUtf8();
        at += n;
    }
    return utf8;
}

namespace {

const QString GrantPrefix = QStringLiteral("grant ");

// `target`'s privileges of `grantees` on `id` set to what `source` has.
void keepGrantsIn(SchemaSnapshot &target, const SchemaSnapshot &source, const QString &id,
                  const QSet<QString> &grantees)
{
    const auto object = target.objects.find(id);
    if (object == target.objects.end())
        return;
    // A new object keeps what every new object of its kind holds.
    const SchemaObject *original = source.find(id);
    const QMap<QString, QString> builtIn = builtInPrivileges(object->kind);
    for (const QString &grantee : grantees) {
        if (original ? original->hasGrant(grantee) : builtIn.contains(grantee))
            object->setGrant(grantee, original ? original->grant(grantee) : builtIn.value(grantee));
        else
            object->removeGrant(grantee);
    }
}

} // namespace

void keepGrants(SchemaDiff &diff, const QString &id, const QSet<QString> &grantees)
{
    keepGrantsIn(diff.to, diff.from, id, grantees);
    for (ObjectChange &change : diff.changes) {
        if (change.id != id)
            continue;
        change.attributes.removeIf([&grantees](const AttributeChange &attribute) {
            return attribute.name.startsWith(GrantPrefix) &&
                   grantees.contains(attribute.name.mid(GrantPrefix.size()));
        });
    }
    diff.changes.removeIf([&id](const ObjectChange &change) {
        return change.id == id && change.type == ChangeType::Altered && change.attributes.isEmpty();
    });
}

QString privilegeDdl(const QString &ddl, const QString &grantee)
{
    QStringList lines;
    for (const QString &line : ddl.split(QLatin1Char('\n'))) {
        // untranslated: SQL the generator wrote, matched as written
        if (!line.startsWith(QStringLiteral("GRANT ")) &&
            !line.startsWith(QStringLiteral("REVOKE ")))
            continue;
        // untranslated: SQL (see above)
        if (line.endsWith(QStringLiteral(" TO ") + grantee + QLatin1Char(';')) ||
            line.endsWith(QStringLiteral(" TO ") + grantee +
                          QStringLiteral(" WITH GRANT OPTION;")) ||
            line.endsWith(QStringLiteral(" FROM ") + grantee + QLatin1Char(';')))
            lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

QString reviewScript(const SchemaDiff &diff, const QList<int> &positions, const QSet<int> &excluded,
                     bool everything, bool unsafe, const ExcludedGrants &excludedGrants)
{
    QString script;
    if (everything && excluded.isEmpty() && excludedGrants.isEmpty()) {
        script = generateSql(diff, reviewSqlOptions(unsafe));
    } else {
        QList<int> chosen;
        if (everything) {
            chosen.reserve(diff.changes.size());
            for (int position = 0; position < int(diff.changes.size()); ++position)
                chosen.append(position);
        } else {
            chosen = selectionClosure(diff, positions);
        }
        const QList<int> kept = withoutExcluded(chosen, excluded);
        SchemaDiff part = selectionDiff(diff, kept);
        for (auto it = excludedGrants.cbegin(); it != excludedGrants.cend(); ++it)
            if (std::binary_search(kept.cbegin(), kept.cend(), it.key()) &&
                it.key() < diff.changes.size())
                keepGrants(part, diff.changes.at(it.key()).id, it.value());
        script = generateSql(part, reviewSqlOptions(unsafe));
    }
    return presentedSql(std::move(script));
}

QString driftScript(const SchemaDiff &diff, const QSet<int> &excluded, bool unsafe, bool liveIsTo,
                    DriftRemedy remedy, const ExcludedGrants &excludedGrants)
{
    QStringList ids;
    for (int position = 0; position < int(diff.changes.size()); ++position)
        if (!excluded.contains(position))
            ids << diff.changes.at(position).id;
    SchemaSnapshot live = liveIsTo ? diff.to : diff.from;
    SchemaSnapshot expected = liveIsTo ? diff.from : diff.to;
    // An unticked role's privileges stay as the side the script starts from has them.
    for (auto it = excludedGrants.cbegin(); it != excludedGrants.cend(); ++it) {
        if (it.key() >= diff.changes.size() || excluded.contains(it.key()))
            continue;
        const QString &id = diff.changes.at(it.key()).id;
        if (remedy == DriftRemedy::Revert)
            keepGrantsIn(expected, live, id, it.value());
        else
            keepGrantsIn(live, expected, id, it.value());
    }
    // revertSql() turns its first snapshot into its second.
    return presentedSql(remedy == DriftRemedy::Revert ? revertSql(live, expected, unsafe, ids)
                                                      : revertSql(expected, live, unsafe, ids));
}

QString includeDestructiveLabel()
{
    return QCoreApplication::translate("pd::ui::DiffReview", "Include destructive changes");
}

QString presentedSql(QString script)
{
    // The generator speaks to the CLI (--unsafe); here the checkbox beside the pane does
    // the same, so its notes name the checkbox.
    const QString box = includeDestructiveLabel();
    // untranslated: comments inside the SQL, which is saved as a migration file: they
    // stay English, as the CLI writes them
    script.replace(QStringLiteral("-- (destructive, skipped without --unsafe) "),
                   QStringLiteral("-- (destructive, skipped: tick '%1' to include it) ").arg(box));
    // untranslated: SQL comments (see above)
    script.replace(
        QStringLiteral("\n-- Left out without --unsafe (the objects stay as they are):\n"),
        QStringLiteral("\n-- Left out while '%1' is not ticked (the objects stay as they are):\n")
            .arg(box));
    // The header's note is on one of the first lines: only the start is searched.
    const qsizetype headerEnd = std::min<qsizetype>(script.size(), 1024);
    // untranslated: SQL comments (see above)
    static const QRegularExpression leftOut(QStringLiteral(
        "-- (\\d+) destructive statement\\(s\\) left out and shown commented out; rerun with "
        "--unsafe to include them\\."));
    // untranslated: SQL comments (see above)
    static const QRegularExpression included(
        QStringLiteral("-- (\\d+) destructive statement\\(s\\) included \\(--unsafe\\)\\."));
    const auto statements = [](const QString &count) {
        // untranslated: SQL comments (see above)
        return count == QLatin1String("1") ? QStringLiteral("1 destructive statement")
                                           : QStringLiteral("%1 destructive statements").arg(count);
    };
    if (const QRegularExpressionMatch m = leftOut.match(QStringView(script).left(headerEnd));
        m.hasMatch())
        script.replace(
            m.capturedStart(), m.capturedLength(),
            // untranslated: SQL comments (see above)
            QStringLiteral("-- %1 left out and shown commented out; tick '%2' to include them.")
                .arg(statements(m.captured(1)), box));
    else if (const QRegularExpressionMatch i = included.match(QStringView(script).left(headerEnd));
             i.hasMatch())
        script.replace(
            i.capturedStart(), i.capturedLength(),
            // untranslated: SQL comments (see above)
            QStringLiteral("-- %1 included ('%2' is ticked).").arg(statements(i.captured(1)), box));
    return script;
}

QList<int> selectionClosure(const SchemaDiff &diff, const QList<int> &positions)
{
    QSet<int> chosen(positions.cbegin(), positions.cend());
    QSet<QString> tables;
    for (int position : positions) {
        if (position >= 0 && position < diff.changes.size() &&
            diff.changes.at(position).kind == ObjectKind::Table)
            tables.insert(diff.changes.at(position).id);
    }
    if (!tables.isEmpty()) {
        for (int position = 0; position < int(diff.changes.size()); ++position) {
            const ObjectChange &change = diff.changes.at(position);
            if (!isSubObject(change.kind) || chosen.contains(position))
                continue;
            const SchemaObject *object = findEither(diff, change.id);
            if (object && tables.contains(tableKey(object->schema, object->table)))
                chosen.insert(position);
        }
    }
    QList<int> sorted;
    sorted.reserve(chosen.size());
    for (int position : std::as_const(chosen)) {
        if (position >= 0 && position < diff.changes.size())
            sorted.append(position);
    }
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

SchemaDiff selectionDiff(const SchemaDiff &diff, const QList<int> &positions)
{
    SchemaDiff part;
    part.from = diff.from;
    part.to = diff.to;
    part.changes.reserve(positions.size());
    for (int position : positions)
        part.changes.append(diff.changes.at(position));
    return part;
}

SqlOptions reviewSqlOptions(bool unsafe)
{
    SqlOptions options;
    options.unsafe = unsafe;
    options.transaction = false;
    options.header = true;
    return options;
}

} // namespace pd::ui
