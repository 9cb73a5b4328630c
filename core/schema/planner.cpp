#include "schema/planner.h"

#include "schema/fingerprint.h"
#include "schema/identifiers.h"
#include "schema/scripttext.h"
#include "schema/sqlfragments.h"

namespace pd::sqlplan {

QString tableId(const QString &schema, const QString &table)
{
    return objectId(ObjectKind::Table, schema, {}, table);
}

bool isForeignKey(const SchemaObject &object)
{
    return object.kind == ObjectKind::Constraint && object.attribute(Attr::Type) == u"foreign key";
}

bool isCanonicalOf(const Objects &objects, const SchemaObject &function, const QString &rangeId)
{
    static const QString rangePrefix = objectKindName(ObjectKind::RangeType) + QLatin1Char(' ');
    if (function.kind != ObjectKind::Function || !rangeId.startsWith(rangePrefix))
        return false;
    const auto range = objects.constFind(rangeId);
    return range != objects.cend() && range->kind == ObjectKind::RangeType &&
           range->dependsOn.contains(function.id());
}

int priority(const SchemaObject &object)
{
    switch (object.kind) {
    case ObjectKind::Schema:
        return 0;
    case ObjectKind::Extension:
        return 1;
    case ObjectKind::Collation:
        return 2;
    case ObjectKind::Enum:
        return 3;
    case ObjectKind::Domain:
        return 4;
    case ObjectKind::CompositeType:
        return 5;
    case ObjectKind::RangeType:
        return 6;
    case ObjectKind::Sequence:
        return 7;
    case ObjectKind::Function:
    case ObjectKind::Procedure:
        return 8;
    case ObjectKind::Aggregate:
        return 9;
    case ObjectKind::Table:
        return 10;
    case ObjectKind::Column:
        return 11;
    case ObjectKind::ColumnDefault:
        return 12;
    case ObjectKind::Constraint:
        return isForeignKey(object) ? 15 : 13;
    case ObjectKind::Index:
        return 14;
    case ObjectKind::View:
        return 16;
    case ObjectKind::MaterializedView:
        return 17;
    case ObjectKind::Trigger:
        return 18;
    case ObjectKind::Policy:
        return 19;
    case ObjectKind::EventTrigger:
        return 20;
    case ObjectKind::DefaultPrivileges:
        return 21; // last: objects the script creates are reset to their grants one by one
    }
    return 30;
}

QString ownerOf(const SchemaObject &object)
{
    switch (object.kind) {
    case ObjectKind::Column:
    case ObjectKind::Constraint:
    case ObjectKind::Index:
    case ObjectKind::Trigger:
    case ObjectKind::Policy:
        return {}; // resolved by the caller: the owning relation may be a view
    case ObjectKind::ColumnDefault:
        return objectId(ObjectKind::Column, object.schema, object.table, object.name);
    case ObjectKind::Table: {
        const QString parent = object.attribute(Attr::PartitionOf);
        return parent.isEmpty() ? QString() : QStringLiteral("table ") + parent;
    }
    default:
        return {};
    }
}

bool isInheritedCheck(const SchemaObject &constraint)
{
    return constraint.kind == ObjectKind::Constraint &&
           constraint.attribute(Attr::Type) == u"check" &&
           !constraint.attribute(Attr::Definition).contains(QStringLiteral(" NO INHERIT"));
}

bool isEnumType(const SchemaSnapshot &snapshot, QString type)
{
    while (type.endsWith(QStringLiteral("[]")))
        type.chop(2);
    // Ids start with the kind: the enums are one stretch of the map.
    const QString prefix = objectKindName(ObjectKind::Enum) + QLatin1Char(' ');
    for (auto it = snapshot.objects.lowerBound(prefix);
         it != snapshot.objects.cend() && it.key().startsWith(prefix); ++it)
        if (it->kind == ObjectKind::Enum && it->qualifiedName() == type)
            return true;
    return false;
}

void Planner::push(const QString &id, const QString &sql, bool destructive, const QString &reason)
{
    if (!destructive)
        m_safeTextSize += sql.size() + 1;
    if (!destructive && m_onlyDestructive)
        return;
    if (m_script) {
        m_script->write(sql, destructive, reason);
        return;
    }
    m_out.append(GeneratedStatement{sql, id, destructive, reason});
}

void Planner::classify()
{
    forEachOfKind(m_from, ObjectKind::DefaultPrivileges,
                  [this](const QString &, const SchemaObject &object) {
                      m_oldDefaultPrivileges.append(&object);
                  });
    for (const Objects *objects : {&m_from, &m_to})
        forEachOfKind(*objects, ObjectKind::Table,
                      [this](const QString &, const SchemaObject &object) {
                          for (const QString &parent : object.elements)
                              m_inheritanceParents.insert(objectKindName(ObjectKind::Table) +
                                                          QLatin1Char(' ') + parent);
                      });
    for (const ObjectChange &change : m_diff.changes) {
        switch (change.type) {
        case ChangeType::Added:
            m_created.insert(change.id);
            break;
        case ChangeType::Removed:
            if (m_unsafe || !change.destructive)
                m_removed.insert(change.id);
            else
                m_keptRemoved.insert(change.id);
            break;
        case ChangeType::Altered:
            if (!m_unsafe && change.recreate && change.destructive) {
                m_keptChanged.insert(change.id); // replacing it would lose data
                break;
            }
            // An enum or domain that must be recreated is swapped in under its columns
            // instead of dropping them (see emitRetype).
            if (change.recreate &&
                (change.kind == ObjectKind::Enum || change.kind == ObjectKind::Domain ||
                 change.kind == ObjectKind::Collation))
                m_retyped.insert(change.id);
            else if (change.recreate)
                m_recreated.insert(change.id);
            else
                m_altered.insert(change.id);
            break;
        }
    }
}

QList<GeneratedStatement> Planner::run()
{
    classify();
    keepColumnsAcrossPartitioning();
    if (m_unsafe)
        propagateDrops();
    else
        planWithoutDestructiveChanges();

    // 1. Before anything is dropped: detach partitions from parents they leave, and
    //    release sequences from columns that are about to be dropped (dropping the column
    //    would take the sequence with it).
    emitLeftParents();
    const QSet<QString> disowned = emitReleasedSequences();

    // 2. Drops, dependents first.
    QSet<QString> dropUnits;
    for (const QString &id : std::as_const(m_dropped))
        dropUnits.insert(dropUnit(id));
    const QStringList drops = order(
        dropUnits, m_from, [this](const QString &id) { return dropUnit(id); }, m_dropped, true);
    for (const QString &unit : drops)
        emitDrop(m_from[unit]);

    // 3. Creations and in-place alterations, dependencies first.
    QSet<QString> members = m_created;
    members.unite(m_altered);
    members.unite(m_retyped);
    members.unite(m_cascadedRetypes);
    QSet<QString> createUnits;
    for (const QString &id : std::as_const(members))
        createUnits.insert(createUnit(id));
    const QStringList creates = order(
        createUnits, m_to, [this](const QString &id) { return createUnit(id); }, members, false,
        bodyEdges(members));
    for (const QString &unit : creates) {
        if (m_created.contains(unit))
            emitCreate(m_to[unit]);
        else if (m_to[unit].kind == ObjectKind::Collation && m_retyped.contains(unit))
            emitRecollate(m_from[unit], m_to[unit]);
        else if (m_retyped.contains(unit) || m_cascadedRetypes.contains(unit))
            emitRetype(m_from[unit], m_to[unit]);
        else
            emitAlter(m_inheritedFrom.contains(unit) ? m_inheritedFrom[unit] : m_from[unit],
                      m_to[unit]);
    }

    for (auto it = m_asideDrops.crbegin(); it != m_asideDrops.crend(); ++it)
        push(it->first, it->second);
    // New parents of existing tables, once the child has every column they have.
    emitNewParents(creates);

    // 4. Sequence ownership, once every owning column exists.
    emitSequenceOwnership(disowned);
    return m_out;
}

void Planner::emitDrop(const SchemaObject &object)
{
    const QString id = object.id();
    if (object.kind == ObjectKind::DefaultPrivileges) {
        emitDefaultPrivileges(object, grantsOf(object), defaultPrivilegesBaseline(object));
        return;
    }
    const bool lost = !m_to.contains(id);
    bool destructive = lost;
    QString reason =
        lost
            ? QStringLiteral("removes %1 %2").arg(objectKindName(object.kind), object.displayName())
            : QString();
    QString sql;
    switch (object.kind) {
    case ObjectKind::Schema:
        sql = QStringLiteral("DROP SCHEMA ") + quoteIdent(object.name);
        break;
    case ObjectKind::Extension:
        sql = QStringLiteral("DROP EXTENSION ") + quoteIdent(object.name);
        break;
    case ObjectKind::Enum:
    case ObjectKind::CompositeType:
        sql = QStringLiteral("DROP TYPE ") + object.qualifiedName();
        break;
    case ObjectKind::Domain:
        sql = QStringLiteral("DROP DOMAIN ") + object.qualifiedName();
        break;
    case ObjectKind::Sequence:
        // An owned sequence may already be gone with its column or table.
        sql = QStringLiteral("DROP SEQUENCE ") +
              (object.has(Attr::OwnedBy) ? QStringLiteral("IF EXISTS ") : QString()) +
              object.qualifiedName();
        if (!lost) {
            destructive = true;
            reason = QStringLiteral("recreates sequence %1: its current value restarts")
                         .arg(object.displayName());
        }
        break;
    case ObjectKind::Function:
    case ObjectKind::Procedure:
        sql = QStringLiteral("DROP ") + objectKindName(object.kind).toUpper() + QLatin1Char(' ') +
              object.qualifiedName() + QLatin1Char('(') + object.signature + QLatin1Char(')');
        break;
    case ObjectKind::Table:
        sql = QStringLiteral("DROP TABLE ") + object.qualifiedName();
        destructive = true;
        if (!lost)
            reason =
                QStringLiteral("recreates table %1: its rows are lost").arg(object.displayName());
        break;
    case ObjectKind::Column:
        sql = alterTable(object) + QStringLiteral(" DROP COLUMN ") + quoteIdent(object.name);
        destructive = true;
        if (!lost)
            reason = QStringLiteral("recreates column %1: its values are lost")
                         .arg(object.displayName());
        break;
    case ObjectKind::ColumnDefault:
        sql = alterColumnDefault(object) + QStringLiteral(" DROP DEFAULT");
        destructive = false; // a default holds no data
        break;
    case ObjectKind::Constraint:
        sql = alterTable(object) + QStringLiteral(" DROP CONSTRAINT ") + quoteIdent(object.name);
        break;
    case ObjectKind::Index:
        sql = QStringLiteral("DROP INDEX ") + object.qualifiedName();
        break;
    case ObjectKind::View:
        sql = QStringLiteral("DROP VIEW ") + object.qualifiedName();
        break;
    case ObjectKind::MaterializedView:
        sql = QStringLiteral("DROP MATERIALIZED VIEW ") + object.qualifiedName();
        break;
    case ObjectKind::Trigger:
        sql = QStringLiteral("DROP TRIGGER ") + quoteIdent(object.name) + QStringLiteral(" ON ") +
              object.qualifiedTable();
        break;
    case ObjectKind::Policy:
        sql = QStringLiteral("DROP POLICY ") + quoteIdent(object.name) + QStringLiteral(" ON ") +
              object.qualifiedTable();
        break;
    case ObjectKind::Aggregate:
        sql = QStringLiteral("DROP AGGREGATE ") + object.qualifiedName() + QLatin1Char('(') +
              routineSignature(object) + QLatin1Char(')');
        break;
    case ObjectKind::Collation:
        sql = QStringLiteral("DROP COLLATION ") + object.qualifiedName();
        break;
    case ObjectKind::RangeType:
        sql = QStringLiteral("DROP TYPE ") + object.qualifiedName();
        // Its canonical function depends on it as it depends on the function: neither
        // drops alone. Everything else using either is dropped before (dependents first).
        for (const QString &dependency : object.dependsOn) {
            const auto function = m_from.constFind(dependency);
            if (function != m_from.cend() && m_dropped.contains(dependency) &&
                isCanonicalOf(m_from, *function, id)) {
                sql += QStringLiteral(" CASCADE");
                break;
            }
        }
        break;
    case ObjectKind::EventTrigger:
        sql = QStringLiteral("DROP EVENT TRIGGER ") + quoteIdent(object.name);
        break;
    case ObjectKind::DefaultPrivileges:
        return; // handled above
    }
    push(id, sql + QLatin1Char(';'), destructive, reason);
}

void Planner::emitCreate(const SchemaObject &object)
{
    const QString id = object.id();
    switch (object.kind) {
    case ObjectKind::Schema:
        push(id, QStringLiteral("CREATE SCHEMA ") + quoteIdent(object.name) + QLatin1Char(';'));
        break;
    case ObjectKind::Extension:
        push(id, QStringLiteral("CREATE EXTENSION ") + quoteIdent(object.name) +
                     QStringLiteral(" WITH SCHEMA ") + quoteIdent(object.attribute(Attr::Schema)) +
                     QStringLiteral(" VERSION ") + quoteLiteral(object.attribute(Attr::Version)) +
                     QLatin1Char(';'));
        break;
    case ObjectKind::Enum:
        emitCreateEnum(object);
        break;
    case ObjectKind::Domain:
        emitCreateDomain(object);
        break;
    case ObjectKind::CompositeType:
        push(id, QStringLiteral("CREATE TYPE ") + object.qualifiedName() + QStringLiteral(" AS (") +
                     object.attribute(Attr::Attributes) + QStringLiteral(");"));
        break;
    case ObjectKind::Sequence:
        push(id, QStringLiteral("CREATE SEQUENCE ") + object.qualifiedName() +
                     sequenceOptions(object) + QLatin1Char(';'));
        break;
    case ObjectKind::Function:
        emitCreateFunction(object);
        break;
    case ObjectKind::Procedure:
    case ObjectKind::Aggregate:
    case ObjectKind::Collation:
    case ObjectKind::RangeType:
        push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
        break;
    case ObjectKind::EventTrigger:
        emitCreateEventTrigger(object);
        break;
    case ObjectKind::Table:
        emitCreateTable(object);
        return; // comments included
    case ObjectKind::Column:
        if (inheritedWithParentColumn(object))
            break; // added by the parent's ADD COLUMN
        push(id, alterTable(object) + QStringLiteral(" ADD COLUMN ") +
                     columnDefinition(object, inlineDefault(object)) + QLatin1Char(';'));
        break;
    case ObjectKind::ColumnDefault:
        if (createUnit(id) != id)
            return; // given inline with its new column
        push(id, alterColumnDefault(object) + QStringLiteral(" SET DEFAULT ") +
                     object.attribute(Attr::Expression) + QLatin1Char(';'));
        break;
    case ObjectKind::Constraint:
        push(id, alterTable(object) + QStringLiteral(" ADD CONSTRAINT ") + quoteIdent(object.name) +
                     QLatin1Char(' ') + object.attribute(Attr::Definition) + QLatin1Char(';'));
        break;
    case ObjectKind::Index: {
        // pg_get_indexdef says "ON ONLY" for a partitioned table's index (pg_dump attaches
        // the partitions' indexes one by one); without ONLY the server builds them all.
        QString sql = object.attribute(Attr::Definition);
        sql.replace(QStringLiteral(" ON ONLY "), QStringLiteral(" ON "));
        push(id, stripSemicolon(sql) + QLatin1Char(';'));
        break;
    }
    case ObjectKind::View:
    case ObjectKind::MaterializedView:
        emitCreateView(object);
        break;
    case ObjectKind::Trigger:
        emitCreateTrigger(object);
        break;
    case ObjectKind::Policy:
        emitCreatePolicy(object);
        break;
    case ObjectKind::DefaultPrivileges:
        emitDefaultPrivileges(object, defaultPrivilegesBaseline(object), grantsOf(object));
        return;
    }
    emitComments(object);
    emitCreatedGrants(object);
}

void Planner::emitAlter(const SchemaObject &from, const SchemaObject &to)
{
    const QString id = to.id();
    switch (to.kind) {
    case ObjectKind::Extension:
        if (from.attribute(Attr::Version) != to.attribute(Attr::Version))
            push(id, QStringLiteral("ALTER EXTENSION ") + quoteIdent(to.name) +
                         QStringLiteral(" UPDATE TO ") + quoteLiteral(to.attribute(Attr::Version)) +
                         QLatin1Char(';'));
        if (from.attribute(Attr::Schema) != to.attribute(Attr::Schema))
            push(id, QStringLiteral("ALTER EXTENSION ") + quoteIdent(to.name) +
                         QStringLiteral(" SET SCHEMA ") + quoteIdent(to.attribute(Attr::Schema)) +
                         QLatin1Char(';'));
        break;
    case ObjectKind::Enum:
        emitAlterEnum(from, to);
        break;
    case ObjectKind::Domain:
        emitAlterDomain(from, to);
        break;
    case ObjectKind::Sequence:
        emitAlterSequence(from, to);
        break;
    case ObjectKind::Function:
    case ObjectKind::Procedure:
        if (from.attribute(Attr::Definition) != to.attribute(Attr::Definition))
            push(id, stripSemicolon(to.attribute(Attr::Definition)) + QLatin1Char(';'));
        break;
    case ObjectKind::Table:
        emitAlterTable(from, to);
        break;
    case ObjectKind::Column:
        emitAlterColumn(from, to);
        break;
    case ObjectKind::ColumnDefault:
        push(id, alterColumnDefault(to) + QStringLiteral(" SET DEFAULT ") +
                     to.attribute(Attr::Expression) + QLatin1Char(';'));
        break;
    case ObjectKind::Trigger:
        if (from.attribute(Attr::Enabled) != to.attribute(Attr::Enabled))
            push(id, triggerEnableStatement(to));
        break;
    case ObjectKind::EventTrigger:
        if (from.attribute(Attr::Enabled) != to.attribute(Attr::Enabled))
            push(id, eventTriggerEnableStatement(to));
        break;
    default:
        break;
    }
    if (from.attribute(Attr::Comment) != to.attribute(Attr::Comment) &&
        to.kind != ObjectKind::ColumnDefault && to.kind != ObjectKind::DefaultPrivileges)
        push(id, commentStatement(to, to.attribute(Attr::Comment)));
    const Grants before = grantsOf(from);
    const Grants after = grantsOf(to);
    if (before != after) {
        if (to.kind == ObjectKind::DefaultPrivileges)
            emitDefaultPrivileges(to, before, after);
        else
            emitGrants(to, before, after);
    }
}

void Planner::emitComments(const SchemaObject &object)
{
    const QString comment = object.attribute(Attr::Comment);
    if (!comment.isEmpty())
        push(object.id(), commentStatement(object, comment));
}

} // namespace pd::sqlplan
