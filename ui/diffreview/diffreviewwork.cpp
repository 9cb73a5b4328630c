#include "diffreview/diffreviewwork.h"

#include "schema/identifiers.h"

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
    return std::find(std::begin(SubObjectKinds), std::end(SubObjectKinds), kind) != std::end(SubObjectKinds);
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
    for (ObjectKind relation : {ObjectKind::Table, ObjectKind::View, ObjectKind::MaterializedView}) {
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
            const QString prefix = objectKindName(kind) + QLatin1Char(' ') + quoteIdent(object->schema) +
                                   QLatin1Char('.') + quoteIdent(object->name) + QLatin1Char('.');
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

QList<int> selectionClosure(const SchemaDiff &diff, const QList<int> &positions)
{
    QSet<int> chosen(positions.cbegin(), positions.cend());
    QSet<QString> tables;
    for (int position : positions) {
        if (position >= 0 && position < diff.changes.size() && diff.changes.at(position).kind == ObjectKind::Table)
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
