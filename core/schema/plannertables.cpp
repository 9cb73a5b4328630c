#include "schema/planner.h"

#include "schema/fingerprint.h"
#include "schema/identifiers.h"
#include "schema/sqlfragments.h"

#include <algorithm>

namespace pd::sqlplan {

QString Planner::alterColumnDefault(const SchemaObject &object) const
{
    const QString table = tableId(object.schema, object.table);
    return (m_inheritanceParents.contains(table) ? QStringLiteral("ALTER TABLE ONLY ")
                                                 : QStringLiteral("ALTER TABLE ")) +
           object.qualifiedTable() + QStringLiteral(" ALTER COLUMN ") + quoteIdent(object.name);
}

// A new column of an existing child that only inherits it, from a parent it already
// inherited from and that gains the column in this script: ALTER TABLE … ADD COLUMN on the
// parent adds it to the child too.
bool Planner::inheritedWithParentColumn(const SchemaObject &column) const
{
    if (column.local || !column.inherited)
        return false;
    const auto oldTable = m_from.constFind(tableId(column.schema, column.table));
    if (oldTable == m_from.cend())
        return false;
    for (const QString &parent : oldTable->elements) {
        const QString parentColumn = objectKindName(ObjectKind::Column) + QLatin1Char(' ') +
                                     parent + QLatin1Char('.') + quoteIdent(column.name);
        if (m_created.contains(parentColumn) && m_to.contains(parentColumn))
            return true;
    }
    return false;
}

QString Planner::inlineDefault(const SchemaObject &column) const
{
    const QString id =
        objectId(ObjectKind::ColumnDefault, column.schema, column.table, column.name);
    if (!m_created.contains(id))
        return {};
    return m_to.value(id).attribute(Attr::Expression);
}

// A partition's columns are its parent's and are not in the snapshot. When a table is
// attached as a partition, its own columns must stay for ATTACH PARTITION to accept it;
// when a partition is detached, the columns it inherited remain as its own.
void Planner::keepColumnsAcrossPartitioning()
{
    const QSet<QString> altered = m_altered; // m_altered grows below
    for (const QString &id : altered) {
        const SchemaObject &from = m_from[id];
        const SchemaObject &to = m_to[id];
        if (from.kind != ObjectKind::Table)
            continue;
        const QString oldParent = from.attribute(Attr::PartitionOf);
        const QString newParent = to.attribute(Attr::PartitionOf);
        if (oldParent.isEmpty() == newParent.isEmpty())
            continue;
        const QString prefix = objectKindName(ObjectKind::Column) + QLatin1Char(' ') +
                               quoteIdent(from.schema) + QLatin1Char('.') + quoteIdent(from.name) +
                               QLatin1Char('.');
        if (oldParent.isEmpty()) {
            for (auto it = m_from.lowerBound(prefix);
                 it != m_from.cend() && it.key().startsWith(prefix); ++it)
                if (it->kind == ObjectKind::Column && it->table == from.name)
                    m_removed.remove(it.key());
            continue;
        }
        for (auto it = m_to.lowerBound(prefix); it != m_to.cend() && it.key().startsWith(prefix);
             ++it) {
            if (it->kind != ObjectKind::Column || it->table != to.name ||
                !m_created.contains(it.key()))
                continue;
            const SchemaObject *parentColumn =
                m_diff.from.find(objectKindName(ObjectKind::Column) + QLatin1Char(' ') + oldParent +
                                 QLatin1Char('.') + quoteIdent(it->name));
            if (!parentColumn)
                continue;
            SchemaObject inherited = *parentColumn;
            inherited.table = to.name;
            m_inheritedFrom.insert(it.key(), inherited);
            m_created.remove(it.key());
            if (inherited.attributes() != it->attributes())
                m_altered.insert(it.key());
        }
    }
}

void Planner::emitCreateTable(const SchemaObject &table)
{
    const QString id = table.id();
    QString sql = QStringLiteral("CREATE ");
    if (table.attribute(Attr::Persistence) == u"unlogged")
        sql += QStringLiteral("UNLOGGED ");
    sql += QStringLiteral("TABLE ") + table.qualifiedName();
    // Columns created inline: every column of the table in `to`, in physical order.
    QList<SchemaObject> columns;
    const QString columnPrefix = objectKindName(ObjectKind::Column) + QLatin1Char(' ') +
                                 quoteIdent(table.schema) + QLatin1Char('.') +
                                 quoteIdent(table.name) + QLatin1Char('.');
    for (auto it = m_to.lowerBound(columnPrefix);
         it != m_to.cend() && it.key().startsWith(columnPrefix); ++it) {
        if (it->kind == ObjectKind::Column && it->schema == table.schema && it->table == table.name)
            columns.append(*it);
    }
    std::sort(columns.begin(), columns.end(),
              [](const SchemaObject &a, const SchemaObject &b) { return a.position < b.position; });
    const QString parent = table.attribute(Attr::PartitionOf);
    QList<SchemaObject> inheritedOnly; // come with INHERITS
    if (!parent.isEmpty()) {
        sql += QStringLiteral(" PARTITION OF ") + parent + QLatin1Char(' ') +
               table.attribute(Attr::PartitionBound);
    } else {
        QStringList definitions;
        for (const SchemaObject &column : std::as_const(columns)) {
            if (!column.local && !table.elements.isEmpty()) {
                inheritedOnly << column;
                continue;
            }
            definitions << QStringLiteral("    ") + columnDefinition(column, inlineDefault(column));
        }
        sql += definitions.isEmpty()
                   ? QStringLiteral(" ()")
                   : QStringLiteral(" (\n") + definitions.join(QStringLiteral(",\n")) +
                         QStringLiteral("\n)");
        if (!table.elements.isEmpty())
            sql += QStringLiteral(" INHERITS (") + table.elements.join(QStringLiteral(", ")) +
                   QLatin1Char(')');
    }
    if (table.has(Attr::PartitionKey))
        sql += QStringLiteral(" PARTITION BY ") + table.attribute(Attr::PartitionKey);
    if (table.has(Attr::Options))
        sql += QStringLiteral(" WITH (") + table.attribute(Attr::Options) + QLatin1Char(')');
    push(id, sql + QLatin1Char(';'));
    if (table.has(Attr::RowSecurity))
        push(id, QStringLiteral("ALTER TABLE ") + table.qualifiedName() +
                     QStringLiteral(" ENABLE ROW LEVEL SECURITY;"));
    if (table.has(Attr::RowSecurityForced))
        push(id, QStringLiteral("ALTER TABLE ") + table.qualifiedName() +
                     QStringLiteral(" FORCE ROW LEVEL SECURITY;"));
    // What a child sets on a column it inherits: NOT NULL of its own, and no default where
    // a parent's was copied (its own default is a separate statement).
    for (const SchemaObject &column : std::as_const(inheritedOnly)) {
        bool parentNotNull = false;
        bool parentDefault = false;
        for (const QString &parentTable : table.elements) {
            const QString path = parentTable + QLatin1Char('.') + quoteIdent(column.name);
            const SchemaObject *parentColumn =
                m_diff.to.find(objectKindName(ObjectKind::Column) + QLatin1Char(' ') + path);
            parentNotNull = parentNotNull || (parentColumn && parentColumn->has(Attr::NotNull));
            parentDefault =
                parentDefault ||
                m_diff.to.find(objectKindName(ObjectKind::ColumnDefault) + QLatin1Char(' ') + path);
        }
        if (column.has(Attr::NotNull) && !parentNotNull)
            push(id, alterTable(column) + QStringLiteral(" ALTER COLUMN ") +
                         quoteIdent(column.name) + QStringLiteral(" SET NOT NULL;"));
        const bool ownDefault = m_to.contains(
            objectId(ObjectKind::ColumnDefault, column.schema, column.table, column.name));
        if (parentDefault && !ownDefault)
            push(id, alterColumnDefault(column) + QStringLiteral(" DROP DEFAULT;"));
    }
    emitComments(table);
    for (const SchemaObject &column : std::as_const(columns))
        emitComments(column);
    emitCreatedGrants(table);
    for (const SchemaObject &column : std::as_const(columns))
        emitCreatedGrants(column);
}

void Planner::emitAlterTable(const SchemaObject &from, const SchemaObject &to)
{
    const QString id = to.id();
    const QString alter = QStringLiteral("ALTER TABLE ") + to.qualifiedName();
    if (from.attribute(Attr::Persistence) != to.attribute(Attr::Persistence))
        push(id, alter + (to.has(Attr::Persistence) ? QStringLiteral(" SET UNLOGGED;")
                                                    : QStringLiteral(" SET LOGGED;")));
    if (from.has(Attr::RowSecurity) != to.has(Attr::RowSecurity))
        push(id,
             alter + (to.has(Attr::RowSecurity) ? QStringLiteral(" ENABLE ROW LEVEL SECURITY;")
                                                : QStringLiteral(" DISABLE ROW LEVEL SECURITY;")));
    if (from.has(Attr::RowSecurityForced) != to.has(Attr::RowSecurityForced))
        push(id, alter + (to.has(Attr::RowSecurityForced)
                              ? QStringLiteral(" FORCE ROW LEVEL SECURITY;")
                              : QStringLiteral(" NO FORCE ROW LEVEL SECURITY;")));
    const QString oldOptions = from.attribute(Attr::Options);
    const QString newOptions = to.attribute(Attr::Options);
    if (oldOptions != newOptions) {
        if (!oldOptions.isEmpty())
            push(id, alter + QStringLiteral(" RESET (") +
                         optionKeys(oldOptions).join(QStringLiteral(", ")) + QStringLiteral(");"));
        if (!newOptions.isEmpty())
            push(id, alter + QStringLiteral(" SET (") + newOptions + QStringLiteral(");"));
    }
    // Detaching happened before the drops (see run()); attach to the new parent here,
    // after it exists.
    const QString parent = to.attribute(Attr::PartitionOf);
    if (!parent.isEmpty() &&
        (parent != from.attribute(Attr::PartitionOf) ||
         from.attribute(Attr::PartitionBound) != to.attribute(Attr::PartitionBound)))
        push(id, QStringLiteral("ALTER TABLE ") + parent + QStringLiteral(" ATTACH PARTITION ") +
                     to.qualifiedName() + QLatin1Char(' ') + to.attribute(Attr::PartitionBound) +
                     QLatin1Char(';'));
}

void Planner::emitAlterColumn(const SchemaObject &from, const SchemaObject &to)
{
    const QString id = to.id();
    const QString alter = alterTable(to) + QStringLiteral(" ALTER COLUMN ") + quoteIdent(to.name);
    const QString type = to.attribute(Attr::Type);
    // An inherited column changes type with its parent's (ALTER TABLE recurses).
    if (m_unsafe && !from.inherited &&
        (from.attribute(Attr::Type) != type ||
         from.attribute(Attr::Collation) != to.attribute(Attr::Collation))) {
        QString sql = alter + QStringLiteral(" TYPE ") + type;
        if (to.has(Attr::Collation))
            sql += QStringLiteral(" COLLATE ") + to.attribute(Attr::Collation);
        if (from.attribute(Attr::Type) != type) {
            // No cast exists between two enum types: go through text.
            const bool viaText =
                isEnumType(m_diff.from, from.attribute(Attr::Type)) || isEnumType(m_diff.to, type);
            sql += QStringLiteral(" USING ") + quoteIdent(to.name) +
                   (viaText ? QStringLiteral("::text::") : QStringLiteral("::")) + type;
        }
        push(id, sql + QLatin1Char(';'), true,
             QStringLiteral("changes the type of column %1 from %2 to %3: values are cast")
                 .arg(to.displayName(), from.attribute(Attr::Type), type));
    }
    const QString oldIdentity = from.attribute(Attr::Identity);
    const QString newIdentity = to.attribute(Attr::Identity);
    bool notNull = from.has(Attr::NotNull) || !oldIdentity.isEmpty();
    const bool wantNotNull = to.has(Attr::NotNull) || !newIdentity.isEmpty();
    if (oldIdentity != newIdentity) {
        if (newIdentity.isEmpty()) {
            push(id, alter + QStringLiteral(" DROP IDENTITY;"));
        } else if (oldIdentity.isEmpty()) {
            // An identity column must be NOT NULL first.
            if (!notNull)
                push(id, alter + QStringLiteral(" SET NOT NULL;"));
            notNull = true;
            push(id, alter + QStringLiteral(" ADD GENERATED ") + newIdentity.toUpper() +
                         QStringLiteral(" AS IDENTITY;"));
        } else {
            push(id, alter + QStringLiteral(" SET GENERATED ") + newIdentity.toUpper() +
                         QLatin1Char(';'));
        }
    }
    // A primary key left in place keeps its columns NOT NULL.
    if (notNull != wantNotNull && (wantNotNull || !m_keptPrimaryKeyColumns.contains(id))) {
        push(id, alter + (wantNotNull ? QStringLiteral(" SET NOT NULL;")
                                      : QStringLiteral(" DROP NOT NULL;")));
        // DROP NOT NULL recurses to inheritance children: those that keep their own
        // NOT NULL get it back.
        if (!wantNotNull && m_inheritanceParents.contains(tableId(to.schema, to.table)))
            restoreChildrenNotNull(to);
    }
}

void Planner::restoreChildrenNotNull(const SchemaObject &column)
{
    const QString parent = column.qualifiedTable();
    for (const SchemaObject &table : m_to) {
        if (table.kind != ObjectKind::Table || !table.elements.contains(parent) ||
            m_created.contains(table.id()))
            continue;
        const auto child =
            m_to.constFind(objectId(ObjectKind::Column, table.schema, table.name, column.name));
        if (child == m_to.cend() || !child->has(Attr::NotNull))
            continue;
        push(child.key(), alterTable(*child) + QStringLiteral(" ALTER COLUMN ") +
                              quoteIdent(child->name) + QStringLiteral(" SET NOT NULL;"));
    }
}

// Before anything is dropped: tables leave the parents (INHERITS) and partitioned tables
// they no longer belong to.
void Planner::emitLeftParents()
{
    for (const QString &id : std::as_const(m_altered)) {
        const auto found = m_from.constFind(id);
        if (found == m_from.cend())
            continue;
        const SchemaObject &from = *found;
        const SchemaObject &to = m_to[id];
        if (from.kind == ObjectKind::Table) {
            for (const QString &parent : from.elements) {
                if (to.elements.contains(parent))
                    continue;
                push(id, QStringLiteral("ALTER TABLE ") + from.qualifiedName() +
                             QStringLiteral(" NO INHERIT ") + parent + QLatin1Char(';'));
                // The parent's CHECK constraints stay on the child as its own: they go,
                // and those the child keeps in `to` are added back as its own objects.
                const QString prefix = objectKindName(ObjectKind::Constraint) + QLatin1Char(' ') +
                                       parent + QLatin1Char('.');
                for (auto it = m_from.lowerBound(prefix);
                     it != m_from.cend() && it.key().startsWith(prefix); ++it)
                    if (isInheritedCheck(*it))
                        push(id, QStringLiteral("ALTER TABLE ") + from.qualifiedName() +
                                     QStringLiteral(" DROP CONSTRAINT IF EXISTS ") +
                                     quoteIdent(it->name) + QLatin1Char(';'));
            }
            const QString parent = from.attribute(Attr::PartitionOf);
            if (!parent.isEmpty() &&
                (parent != to.attribute(Attr::PartitionOf) ||
                 from.attribute(Attr::PartitionBound) != to.attribute(Attr::PartitionBound)))
                push(id, QStringLiteral("ALTER TABLE ") + parent +
                             QStringLiteral(" DETACH PARTITION ") + from.qualifiedName() +
                             QLatin1Char(';'));
        }
    }
}

// Before anything is dropped: sequences owned by a column that is dropped, or whose owner
// changes, are released (dropping the column would take the sequence with it). Returns
// them.
QSet<QString> Planner::emitReleasedSequences()
{
    // Dropped columns that own a sequence: "schema.table.column", as owned_by spells it.
    // (Only those: a set of every dropped column is megabytes for thousands of tables.)
    QSet<QString> owners;
    forEachOfKind(m_from, ObjectKind::Sequence, [&](const QString &id, const SchemaObject &object) {
        if (!m_dropped.contains(id) && object.has(Attr::OwnedBy))
            owners.insert(object.attribute(Attr::OwnedBy));
    });
    QSet<QString> droppedColumns;
    for (const QString &dropped : std::as_const(m_dropped)) {
        if (owners.isEmpty())
            break;
        const SchemaObject &object = m_from[dropped];
        if (object.kind != ObjectKind::Column)
            continue;
        const QString column = object.qualifiedTable() + QLatin1Char('.') + quoteIdent(object.name);
        if (owners.contains(column))
            droppedColumns.insert(column);
    }
    QSet<QString> disowned;
    forEachOfKind(m_from, ObjectKind::Sequence, [&](const QString &id, const SchemaObject &object) {
        if (m_dropped.contains(id))
            return;
        const QString owner = object.attribute(Attr::OwnedBy);
        if (owner.isEmpty())
            return;
        const SchemaObject *to = m_diff.to.find(id);
        const bool ownerChanges = !to || to->attribute(Attr::OwnedBy) != owner;
        if (ownerChanges || droppedColumns.contains(owner)) {
            push(id, QStringLiteral("ALTER SEQUENCE ") + object.qualifiedName() +
                         QStringLiteral(" OWNED BY NONE;"));
            disowned.insert(id);
        }
    });
    return disowned;
}

// New parents of existing tables, once the child has every column they have.
void Planner::emitNewParents(const QStringList &creates)
{
    for (const QString &unit : creates) {
        if (!m_altered.contains(unit) || m_to[unit].kind != ObjectKind::Table)
            continue;
        const SchemaObject &from = m_from[unit];
        const SchemaObject &to = m_to[unit];
        for (const QString &parent : to.elements) {
            if (from.elements.contains(parent))
                continue;
            // INHERIT needs the child to have the parent's CHECK constraints already.
            const QString prefix = objectKindName(ObjectKind::Constraint) + QLatin1Char(' ') +
                                   parent + QLatin1Char('.');
            for (auto it = m_to.lowerBound(prefix);
                 it != m_to.cend() && it.key().startsWith(prefix); ++it) {
                if (!isInheritedCheck(*it) ||
                    m_from.contains(objectId(ObjectKind::Constraint, to.schema, to.name, it->name)))
                    continue;
                push(unit, QStringLiteral("ALTER TABLE ") + to.qualifiedName() +
                               QStringLiteral(" ADD CONSTRAINT ") + quoteIdent(it->name) +
                               QLatin1Char(' ') + it->attribute(Attr::Definition) +
                               QLatin1Char(';'));
            }
            push(unit, QStringLiteral("ALTER TABLE ") + to.qualifiedName() +
                           QStringLiteral(" INHERIT ") + parent + QLatin1Char(';'));
        }
    }
}

// Sequence ownership, once every owning column exists.
void Planner::emitSequenceOwnership(const QSet<QString> &disowned)
{
    forEachOfKind(m_to, ObjectKind::Sequence, [&](const QString &id, const SchemaObject &object) {
        const QString owner = object.attribute(Attr::OwnedBy);
        const SchemaObject *from = m_diff.from.find(id);
        const bool fresh = m_created.contains(id) || disowned.contains(id);
        if (fresh ? owner.isEmpty() : (!from || from->attribute(Attr::OwnedBy) == owner))
            return;
        push(id, QStringLiteral("ALTER SEQUENCE ") + object.qualifiedName() +
                     QStringLiteral(" OWNED BY ") +
                     (owner.isEmpty() ? QStringLiteral("NONE") : owner) + QLatin1Char(';'));
    });
}

// CREATE [MATERIALIZED] VIEW … WITH (options) AS …; a materialized view is filled.
void Planner::emitCreateView(const SchemaObject &object)
{
    const QString id = object.id();
    QString sql = QStringLiteral("CREATE ") + objectKindName(object.kind).toUpper() +
                  QLatin1Char(' ') + object.qualifiedName();
    if (object.has(Attr::Options))
        sql += QStringLiteral(" WITH (") + object.attribute(Attr::Options) + QLatin1Char(')');
    sql += QStringLiteral(" AS\n") + stripSemicolon(object.attribute(Attr::Definition));
    if (object.kind == ObjectKind::MaterializedView)
        sql += QStringLiteral("\n  WITH DATA");
    push(id, sql + QLatin1Char(';'));
}

// CREATE POLICY with its mode, command, roles and expressions.
void Planner::emitCreatePolicy(const SchemaObject &object)
{
    const QString id = object.id();
    QString sql = QStringLiteral("CREATE POLICY ") + quoteIdent(object.name) +
                  QStringLiteral(" ON ") + object.qualifiedTable() + QStringLiteral(" AS ") +
                  object.attribute(Attr::Permissive) + QStringLiteral(" FOR ") +
                  object.attribute(Attr::Command) + QStringLiteral(" TO ") +
                  object.attribute(Attr::Roles);
    if (object.has(Attr::Using))
        sql += QStringLiteral(" USING (") + object.attribute(Attr::Using) + QLatin1Char(')');
    if (object.has(Attr::WithCheck))
        sql +=
            QStringLiteral(" WITH CHECK (") + object.attribute(Attr::WithCheck) + QLatin1Char(')');
    push(id, sql + QLatin1Char(';'));
}

// ALTER SEQUENCE when an option changes; a narrower range restarts it.
void Planner::emitAlterSequence(const SchemaObject &from, const SchemaObject &to)
{
    const QString id = to.id();
    QMap<QString, QString> a = from.attributes();
    QMap<QString, QString> b = to.attributes();
    for (auto *m : {&a, &b}) {
        m->remove(attributeKey(Attr::Comment));
        m->remove(attributeKey(Attr::OwnedBy)); // applied last, see run()
        removePrivileges(*m);                   // GRANT, below
    }
    if (a != b) {
        // A narrower range may exclude the current value; the server refuses that, so
        // the sequence restarts at its new START (losing its position: destructive).
        const bool narrower =
            to.attribute(Attr::Min).toLongLong() > from.attribute(Attr::Min).toLongLong() ||
            to.attribute(Attr::Max).toLongLong() < from.attribute(Attr::Max).toLongLong();
        if (narrower)
            push(id,
                 QStringLiteral("ALTER SEQUENCE ") + to.qualifiedName() + sequenceOptions(to) +
                     QStringLiteral(" RESTART;"),
                 true,
                 QStringLiteral("narrows the range of sequence %1: it restarts at %2")
                     .arg(to.displayName(), to.attribute(Attr::Start)));
        else
            push(id, QStringLiteral("ALTER SEQUENCE ") + to.qualifiedName() + sequenceOptions(to) +
                         QLatin1Char(';'));
    }
}

} // namespace pd::sqlplan
