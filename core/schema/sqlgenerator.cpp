#include "schema/sqlgenerator.h"

#include "schema/fingerprint.h"
#include "schema/functionbody.h"
#include "schema/identifiers.h"

#include "common/printable.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <vector>

namespace pd {

namespace {

using Objects = QMap<QString, SchemaObject>;

// The objects of one kind, in id order: ids begin with the kind's name and a space, so
// they sit side by side in the map and a plan need not walk every object of a large
// snapshot (90,000 at 5,000 tables) to find, say, its sequences.
template<typename Fn> void forEachOfKind(const Objects &objects, ObjectKind kind, Fn &&fn)
{
    const QString prefix = objectKindName(kind) + QLatin1Char(' ');
    for (auto it = objects.lowerBound(prefix); it != objects.cend() && it.key().startsWith(prefix);
         ++it)
        if (it->kind == kind)
            fn(it.key(), *it);
}

QString tableId(const QString &schema, const QString &table)
{
    return objectId(ObjectKind::Table, schema, {}, table);
}

bool isForeignKey(const SchemaObject &object)
{
    return object.kind == ObjectKind::Constraint && object.attribute(Attr::Type) == u"foreign key";
}

// A range type's canonical function takes and returns the range, so the two depend on
// each other (pg_depend both ways; a subtype_diff function takes the subtype and does not).
// The function is created on a shell type (CREATE TYPE r;) and the range after it; both
// go in one DROP TYPE … CASCADE.
bool isCanonicalOf(const Objects &objects, const SchemaObject &function, const QString &rangeId)
{
    static const QString rangePrefix = objectKindName(ObjectKind::RangeType) + QLatin1Char(' ');
    if (function.kind != ObjectKind::Function || !rangeId.startsWith(rangePrefix))
        return false;
    const auto range = objects.constFind(rangeId);
    return range != objects.cend() && range->kind == ObjectKind::RangeType &&
           range->dependsOn.contains(function.id());
}

// Tie-break among statements the dependency graph leaves unordered: the order a person
// would write them in, so scripts read naturally and are stable between runs.
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

// The argument list of a routine in DROP, COMMENT, GRANT: an aggregate without
// arguments is written f(*).
QString routineSignature(const SchemaObject &object)
{
    if (object.kind == ObjectKind::Aggregate && object.signature.isEmpty())
        return QStringLiteral("*");
    return object.signature;
}

QString stripSemicolon(QString text)
{
    text = text.trimmed();
    while (text.endsWith(QLatin1Char(';')))
        text.chop(1);
    return text;
}

// The object a sub-object disappears with: dropping a table drops its columns,
// constraints, indexes, triggers, policies and partitions; dropping a column drops its
// default.
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

QString commentTarget(const SchemaObject &object)
{
    switch (object.kind) {
    case ObjectKind::Schema:
        return QStringLiteral("SCHEMA ") + quoteIdent(object.name);
    case ObjectKind::Extension:
        return QStringLiteral("EXTENSION ") + quoteIdent(object.name);
    case ObjectKind::Enum:
    case ObjectKind::CompositeType:
        return QStringLiteral("TYPE ") + object.qualifiedName();
    case ObjectKind::Domain:
        return QStringLiteral("DOMAIN ") + object.qualifiedName();
    case ObjectKind::Sequence:
        return QStringLiteral("SEQUENCE ") + object.qualifiedName();
    case ObjectKind::Function:
        return QStringLiteral("FUNCTION ") + object.qualifiedName() + QLatin1Char('(') +
               object.signature + QLatin1Char(')');
    case ObjectKind::Procedure:
        return QStringLiteral("PROCEDURE ") + object.qualifiedName() + QLatin1Char('(') +
               object.signature + QLatin1Char(')');
    case ObjectKind::Aggregate:
        return QStringLiteral("AGGREGATE ") + object.qualifiedName() + QLatin1Char('(') +
               routineSignature(object) + QLatin1Char(')');
    case ObjectKind::Collation:
        return QStringLiteral("COLLATION ") + object.qualifiedName();
    case ObjectKind::RangeType:
        return QStringLiteral("TYPE ") + object.qualifiedName();
    case ObjectKind::EventTrigger:
        return QStringLiteral("EVENT TRIGGER ") + quoteIdent(object.name);
    case ObjectKind::DefaultPrivileges:
        return {};
    case ObjectKind::Table:
        return QStringLiteral("TABLE ") + object.qualifiedName();
    case ObjectKind::Column:
        return QStringLiteral("COLUMN ") + object.qualifiedTable() + QLatin1Char('.') +
               quoteIdent(object.name);
    case ObjectKind::Constraint:
        return QStringLiteral("CONSTRAINT ") + quoteIdent(object.name) + QStringLiteral(" ON ") +
               object.qualifiedTable();
    case ObjectKind::Index:
        return QStringLiteral("INDEX ") + object.qualifiedName();
    case ObjectKind::View:
        return QStringLiteral("VIEW ") + object.qualifiedName();
    case ObjectKind::MaterializedView:
        return QStringLiteral("MATERIALIZED VIEW ") + object.qualifiedName();
    case ObjectKind::Trigger:
        return QStringLiteral("TRIGGER ") + quoteIdent(object.name) + QStringLiteral(" ON ") +
               object.qualifiedTable();
    case ObjectKind::Policy:
        return QStringLiteral("POLICY ") + quoteIdent(object.name) + QStringLiteral(" ON ") +
               object.qualifiedTable();
    case ObjectKind::ColumnDefault:
        return {};
    }
    return {};
}

// How GRANT names the object ("TABLE public.t", "FUNCTION public.f(integer)"); empty for
// kinds without privileges.
QString grantTarget(const SchemaObject &object)
{
    switch (object.kind) {
    case ObjectKind::View:
    case ObjectKind::MaterializedView:
        return QStringLiteral("TABLE ") + object.qualifiedName();
    case ObjectKind::Column:
        return QStringLiteral("TABLE ") + object.qualifiedTable();
    case ObjectKind::Aggregate: {
        // GRANT takes an aggregate's argument types as a plain list.
        QString arguments = object.signature;
        arguments.replace(QStringLiteral(" ORDER BY "), QStringLiteral(", "));
        return QStringLiteral("FUNCTION ") + object.qualifiedName() + QLatin1Char('(') + arguments +
               QLatin1Char(')');
    }
    case ObjectKind::Schema:
    case ObjectKind::Table:
    case ObjectKind::Sequence:
    case ObjectKind::Function:
    case ObjectKind::Procedure:
    case ObjectKind::Enum:
    case ObjectKind::CompositeType:
    case ObjectKind::RangeType:
    case ObjectKind::Domain:
        return commentTarget(object); // spelled as COMMENT ON spells them
    default:
        return {};
    }
}

// Grantee (quoted, or PUBLIC) → "INSERT, SELECT*" (* = WITH GRANT OPTION).
using Grants = QMap<QString, QString>;

Grants grantsOf(const SchemaObject &object)
{
    return object.grants();
}

// What a new object gets before any GRANT (sqlgenerator.h).
Grants builtInGrants(ObjectKind kind)
{
    return builtInPrivileges(kind);
}

// The class ALTER DEFAULT PRIVILEGES names for objects of this kind.
QString defaultPrivilegesClass(ObjectKind kind)
{
    switch (kind) {
    case ObjectKind::Table:
    case ObjectKind::View:
    case ObjectKind::MaterializedView:
        return QStringLiteral("tables");
    case ObjectKind::Sequence:
        return QStringLiteral("sequences");
    case ObjectKind::Function:
    case ObjectKind::Procedure:
    case ObjectKind::Aggregate:
        return QStringLiteral("functions");
    case ObjectKind::Enum:
    case ObjectKind::Domain:
    case ObjectKind::CompositeType:
    case ObjectKind::RangeType:
        return QStringLiteral("types");
    case ObjectKind::Schema:
        return QStringLiteral("schemas");
    default:
        return {};
    }
}

// A default-privileges entry that does not exist: global ones fall back to what is built in.
Grants defaultPrivilegesBaseline(const SchemaObject &entry)
{
    if (!entry.schema.isEmpty())
        return {};
    if (entry.signature == u"functions")
        return builtInGrants(ObjectKind::Function);
    if (entry.signature == u"types")
        return builtInGrants(ObjectKind::Enum);
    return {};
}

QString commentStatement(const SchemaObject &object, const QString &comment)
{
    return QStringLiteral("COMMENT ON ") + commentTarget(object) + QStringLiteral(" IS ") +
           (comment.isEmpty() ? QStringLiteral("NULL") : quoteLiteral(comment)) + QLatin1Char(';');
}

QString alterTable(const SchemaObject &object)
{
    return QStringLiteral("ALTER TABLE ") + object.qualifiedTable();
}

QString columnDefinition(const SchemaObject &column, const QString &defaultExpression)
{
    QString text = quoteIdent(column.name) + QLatin1Char(' ') + column.attribute(Attr::Type);
    if (column.has(Attr::Collation))
        text += QStringLiteral(" COLLATE ") + column.attribute(Attr::Collation);
    if (!defaultExpression.isEmpty())
        text += QStringLiteral(" DEFAULT ") + defaultExpression;
    if (column.has(Attr::Generated))
        text += QStringLiteral(" GENERATED ALWAYS AS (") + column.attribute(Attr::Generated) +
                QStringLiteral(") STORED");
    const QString identity = column.attribute(Attr::Identity);
    if (!identity.isEmpty())
        text += QStringLiteral(" GENERATED ") + identity.toUpper() + QStringLiteral(" AS IDENTITY");
    if (column.has(Attr::NotNull))
        text += QStringLiteral(" NOT NULL");
    return text;
}

QString sequenceOptions(const SchemaObject &sequence)
{
    return QStringLiteral(" AS ") + sequence.attribute(Attr::Type) +
           QStringLiteral(" INCREMENT BY ") + sequence.attribute(Attr::Increment) +
           QStringLiteral(" MINVALUE ") + sequence.attribute(Attr::Min) +
           QStringLiteral(" MAXVALUE ") + sequence.attribute(Attr::Max) +
           QStringLiteral(" START WITH ") + sequence.attribute(Attr::Start) +
           QStringLiteral(" CACHE ") + sequence.attribute(Attr::Cache) +
           (sequence.attribute(Attr::Cycle) == u"true" ? QStringLiteral(" CYCLE")
                                                       : QStringLiteral(" NO CYCLE"));
}

QString triggerEnableStatement(const SchemaObject &trigger)
{
    const QString state = trigger.attribute(Attr::Enabled);
    const QString verb = state == u"disabled"  ? QStringLiteral(" DISABLE TRIGGER ")
                         : state == u"replica" ? QStringLiteral(" ENABLE REPLICA TRIGGER ")
                         : state == u"always"  ? QStringLiteral(" ENABLE ALWAYS TRIGGER ")
                                               : QStringLiteral(" ENABLE TRIGGER ");
    return alterTable(trigger) + verb + quoteIdent(trigger.name) + QLatin1Char(';');
}

// A table's CHECK constraint that its inheritance children get too.
bool isInheritedCheck(const SchemaObject &constraint)
{
    return constraint.kind == ObjectKind::Constraint &&
           constraint.attribute(Attr::Type) == u"check" &&
           !constraint.attribute(Attr::Definition).contains(QStringLiteral(" NO INHERIT"));
}

// Whether a column type (as format_type prints it, maybe an array) is an enum of the
// snapshot.
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

QString eventTriggerEnableStatement(const SchemaObject &trigger)
{
    const QString state = trigger.attribute(Attr::Enabled);
    const QString verb = state == u"disabled"  ? QStringLiteral(" DISABLE")
                         : state == u"replica" ? QStringLiteral(" ENABLE REPLICA")
                         : state == u"always"  ? QStringLiteral(" ENABLE ALWAYS")
                                               : QStringLiteral(" ENABLE");
    return QStringLiteral("ALTER EVENT TRIGGER ") + quoteIdent(trigger.name) + verb +
           QLatin1Char(';');
}

QStringList optionKeys(const QString &options)
{
    QStringList keys;
    for (const QString &option : options.split(QStringLiteral(", "), Qt::SkipEmptyParts))
        keys << option.section(QLatin1Char('='), 0, 0);
    return keys;
}

const QString SkippedPrefix = QStringLiteral("-- (destructive, skipped without --unsafe) ");
const QString SkippedContinuation = QStringLiteral("\n--   ");

// PostgreSQL ends a "--" comment at either of these (scan.l: newline [\n\r]): a statement
// commented out line by line must start a new comment after each, or the rest of a line
// inside a quoted name ("x\rDROP TABLE y;") would run.
bool endsCommentLine(QChar c)
{
    return c == u'\n' || c == u'\r';
}

// A statement left out without --unsafe, commented out line by line.
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

// "-- WARNING: destructive: removes table public.…" on one line whatever the names hold:
// the reason quotes object names as they are, and a line break in one would end the comment.
void appendWarning(QString &out, const QString &reason)
{
    out.append(Warning).append(sqlCommentText(reason)).append(QLatin1Char('\n'));
}

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

class Planner final
{
public:
    // `onlyDestructive` keeps just the destructive statements of the plan: all a safe
    // script needs of the full one (see generateSql), without holding the rest. With
    // `script`, statements are written there instead of returned by run().
    Planner(const SchemaDiff &diff, bool includeDestructive, bool onlyDestructive = false,
            ScriptText *script = nullptr)
        : m_diff(diff)
        , m_from(diff.from.objects)
        , m_to(diff.to.objects)
        , m_unsafe(includeDestructive)
        , m_onlyDestructive(onlyDestructive)
        , m_script(script)
    {
    }

    QList<GeneratedStatement> run();
    // The text the plan's statements that lose nothing take, each on a line of its own
    // (with `onlyDestructive` too, where they are not kept).
    qsizetype safeTextSize() const { return m_safeTextSize; }

private:
    void classify();
    void propagateDrops();
    QString dropOwner(const SchemaObject &object) const;
    QString dropUnit(const QString &id) const;
    bool referencesOtherDroppedTable(const SchemaObject &object) const;
    void keepColumnsAcrossPartitioning();
    void planWithoutDestructiveChanges();
    QString createUnit(const QString &id) const;
    QString inlineDefault(const SchemaObject &column) const;
    // `soft`: (earlier, later) object pairs that order creations when they can, dropped
    // where they would close a cycle with the dependencies (function bodies, below).
    QStringList order(const QSet<QString> &units, const Objects &objects,
                      const std::function<QString(const QString &)> &unitOf,
                      const QSet<QString> &members, bool reverse,
                      const std::vector<std::pair<QString, QString>> &soft = {}) const;
    // What function bodies written as strings name (functionbody.h): no pg_depend edge
    // records it, yet a function that runs while the script creates things (a materialized
    // view WITH DATA, a CHECK or a default over existing rows, an expression index) needs
    // it to exist. Pairs (named object, new function) and, for an existing function a new
    // object uses, (named object, that object): both among `members`.
    std::vector<std::pair<QString, QString>> bodyEdges(const QSet<QString> &members) const;
    // The objects of `to` a function's body names, resolved along its search path.
    const QStringList &bodyTargets(const QString &functionId) const;
    mutable QHash<QString, QStringList> m_bodyTargets;

    void push(const QString &id, const QString &sql, bool destructive = false,
              const QString &reason = {})
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
    void emitDrop(const SchemaObject &object);
    void emitCreate(const SchemaObject &object);
    void emitCreateTable(const SchemaObject &table);
    void emitAlter(const SchemaObject &from, const SchemaObject &to);
    void emitRetype(const SchemaObject &from, const SchemaObject &to);
    void emitRecollate(const SchemaObject &from, const SchemaObject &to);
    void emitAlterColumn(const SchemaObject &from, const SchemaObject &to);
    void emitAlterEnum(const SchemaObject &from, const SchemaObject &to);
    void emitAlterDomain(const SchemaObject &from, const SchemaObject &to);
    void emitAlterTable(const SchemaObject &from, const SchemaObject &to);
    void emitComments(const SchemaObject &object);

    const SchemaDiff &m_diff;
    const Objects &m_from;
    const Objects &m_to;
    QSet<QString> m_removed;
    QSet<QString> m_recreated;       // altered, replaced by drop + create
    QSet<QString> m_altered;         // altered in place
    QSet<QString> m_retyped;         // enums/domains recreated under a temporary name swap
    QSet<QString> m_cascadedRetypes; // domains over a retyped type, swapped along with it
    // The renamed-aside old types, dropped once every retyped type's users are converted:
    // dependents (a domain over an enum) before what they were built on.
    QList<std::pair<QString, QString>> m_asideDrops;
    // Tables that are a parent under table inheritance in either schema: their column
    // defaults are set with ALTER TABLE ONLY, so a child's own default is left alone.
    QSet<QString> m_inheritanceParents;
    QString alterColumnDefault(const SchemaObject &object) const;
    bool inheritedWithParentColumn(const SchemaObject &column) const;
    // Privileges: from `before` to `after` on one object; grantees in `unknown` may hold
    // anything (a new object under the old default privileges) and are reset.
    void emitGrants(const SchemaObject &object, const Grants &before, const Grants &after,
                    const QSet<QString> &unknown = {});
    void emitCreatedGrants(const SchemaObject &object);
    void emitDefaultPrivileges(const SchemaObject &entry, const Grants &before,
                               const Grants &after);
    // `from`'s default-privileges entries: new objects get their grants while the script
    // runs.
    QList<const SchemaObject *> m_oldDefaultPrivileges;
    void restoreChildrenNotNull(const SchemaObject &column);
    QHash<QString, QStringList> m_convertedColumns; // retyped type → columns using it
    QSet<QString> m_dropped;     // everything dropped: removed, recreated, cascaded
    QSet<QString> m_keptRemoved; // safe mode: removed in `to`, left in place
    QSet<QString> m_keptChanged; // safe mode: would need replacing, left as it is
    QSet<QString> m_keptPrimaryKeyColumns;
    QSet<QString> m_created; // everything created: added, recreated, cascaded back
    // In `from`: (hash of the dependency, dependency, dependent), pointing at the
    // snapshot's own strings, sorted by the hash, each one's dependents in `from`'s order.
    // (A hash of lists was megabytes for a large database, however small the diff; sorting
    // by the strings themselves took half a second at 5,000 tables.) Built on the first
    // dependentsOf(): a diff that drops nothing never needs it.
    struct DependentEdge
    {
        size_t hash;
        size_t order;
        const QString *dependency;
        const QString *dependent;
    };
    mutable std::vector<DependentEdge> m_dependents;
    mutable bool m_dependentsBuilt = false;
    QStringList dependentsOf(const QString &id) const;
    // Columns a detached partition keeps from its former parent: altered from the
    // parent's column rather than added.
    QHash<QString, SchemaObject> m_inheritedFrom;
    QList<GeneratedStatement> m_out;
    // Without it, changes that lose data are left out of the plan altogether — the
    // objects stay as they are — so the rest of the script still applies cleanly.
    bool m_unsafe = true;
    bool m_onlyDestructive = false;
    qsizetype m_safeTextSize = 0;
    ScriptText *m_script = nullptr;
};

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

QStringList Planner::dependentsOf(const QString &id) const
{
    if (!m_dependentsBuilt) {
        m_dependentsBuilt = true;
        size_t edges = 0;
        for (const SchemaObject &object : m_from)
            edges += size_t(object.dependsOn.size());
        m_dependents.reserve(edges);
        for (auto it = m_from.cbegin(); it != m_from.cend(); ++it)
            for (const QString &dependency : it->dependsOn)
                m_dependents.push_back(
                    {qHash(dependency), m_dependents.size(), &dependency, &it.key()});
        // By hash, then by the dependent's place in `from` (the edges were appended in
        // that order, and the map's nodes do not move): what stable_sort gives, for less.
        std::sort(m_dependents.begin(), m_dependents.end(),
                  [](const DependentEdge &a, const DependentEdge &b) {
                      return a.hash != b.hash ? a.hash < b.hash : a.order < b.order;
                  });
    }
    struct ByHash
    {
        bool operator()(const DependentEdge &edge, size_t hash) const { return edge.hash < hash; }
        bool operator()(size_t hash, const DependentEdge &edge) const { return hash < edge.hash; }
    };
    const auto [first, last] =
        std::equal_range(m_dependents.cbegin(), m_dependents.cend(), qHash(id), ByHash());
    QStringList dependents;
    dependents.reserve(qsizetype(last - first));
    for (auto it = first; it != last; ++it)
        if (*it->dependency == id) // another id may share the hash
            dependents.append(*it->dependent);
    return dependents;
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

// Without --unsafe, objects whose change would lose data stay as they are. That can ripple:
// a kept object may depend on something the plan would replace (then that is kept too),
// and new objects may need a kept change (a partition of a table that would have become
// partitioned, a second primary key) — those are left out as well.
void Planner::planWithoutDestructiveChanges()
{
    const QSet<QString> created = m_created;
    const QSet<QString> altered = m_altered;
    for (;;) {
        m_created = created;
        m_altered = altered;
        m_dropped.clear();
        m_convertedColumns.clear();
        propagateDrops();
        // Replacements that would take a kept object with them: keep them as well.
        QSet<QString> causes;
        for (const QString &id : std::as_const(m_dropped)) {
            if (!m_keptRemoved.contains(id) && !m_keptChanged.contains(id))
                continue;
            QList<QString> walk{id};
            QSet<QString> seen;
            while (!walk.isEmpty()) {
                const QString current = walk.takeFirst();
                if (seen.contains(current))
                    continue;
                seen.insert(current);
                if (m_recreated.contains(current) || m_retyped.contains(current))
                    causes.insert(current);
                for (const QString &dependency : m_from.value(current).dependsOn)
                    if (m_dropped.contains(dependency))
                        walk.append(dependency);
            }
        }
        if (causes.isEmpty())
            break;
        for (const QString &cause : std::as_const(causes)) {
            m_recreated.remove(cause);
            m_retyped.remove(cause);
            m_keptChanged.insert(cause);
        }
    }
    for (const QString &id : std::as_const(m_keptRemoved)) {
        const SchemaObject &object = m_from[id];
        if (object.kind == ObjectKind::Constraint && object.attribute(Attr::Type) == u"primary key")
            for (const QString &dependency : object.dependsOn)
                m_keptPrimaryKeyColumns.insert(dependency);
    }
    // New objects that need what was kept back.
    QSet<QString> skipped;
    for (const QString &id : std::as_const(m_created)) {
        const SchemaObject &object = m_to[id];
        bool needsKept = false;
        for (const QString &dependency : object.dependsOn)
            needsKept = needsKept || m_keptChanged.contains(dependency);
        if (object.kind == ObjectKind::Constraint &&
            object.attribute(Attr::Type) == u"primary key") {
            for (const QString &kept : std::as_const(m_keptRemoved)) {
                const SchemaObject &old = m_from[kept];
                needsKept =
                    needsKept ||
                    (old.kind == ObjectKind::Constraint && old.schema == object.schema &&
                     old.table == object.table && old.attribute(Attr::Type) == u"primary key");
            }
        }
        if (needsKept)
            skipped.insert(id);
    }
    // …and whatever new builds on those.
    bool grew = !skipped.isEmpty();
    while (grew) {
        grew = false;
        for (const QString &id : std::as_const(m_created)) {
            if (skipped.contains(id))
                continue;
            for (const QString &dependency : m_to.value(id).dependsOn) {
                if (skipped.contains(dependency)) {
                    skipped.insert(id);
                    grew = true;
                    break;
                }
            }
        }
    }
    for (const QString &id : std::as_const(skipped))
        m_created.remove(id);
    // A column whose type change is left out keeps its default: the new one is written for
    // the new type (an enum default cast to the other enum).
    const auto keepsType = [this](const QString &columnId) {
        const auto from = m_from.constFind(columnId);
        const auto to = m_to.constFind(columnId);
        return from != m_from.cend() && to != m_to.cend() &&
               from->attribute(Attr::Type) != to->attribute(Attr::Type);
    };
    for (QSet<QString> *set : {&m_created, &m_altered}) {
        set->removeIf([&](const QString &id) {
            const auto object = m_to.constFind(id);
            return object != m_to.cend() && object->kind == ObjectKind::ColumnDefault &&
                   keepsType(
                       objectId(ObjectKind::Column, object->schema, object->table, object->name));
        });
    }
}

// Whatever depends on a dropped object must be dropped first (PostgreSQL refuses the
// drop otherwise) and, if it survives in `to`, created again afterwards. Changing a
// column's type likewise needs the views, policies, triggers, generated columns and
// defaults that use it out of the way.
void Planner::propagateDrops()
{
    QList<QString> queue;
    const auto drop = [&](const QString &id) {
        if (!m_dropped.contains(id)) {
            m_dropped.insert(id);
            queue.append(id);
        }
    };
    for (const QString &id : std::as_const(m_removed))
        drop(id);
    for (const QString &id : std::as_const(m_recreated))
        drop(id);
    // Columns whose type changes in place: by ALTER COLUMN TYPE, or by a retyped enum or
    // domain (then everything else using the type is dropped and created again).
    QStringList retypedColumns;
    // A domain over a retyped type is swapped the same way (its own columns converted),
    // rather than dropped with its columns' data.
    m_cascadedRetypes.clear();
    QStringList retypes = m_retyped.values();
    for (qsizetype i = 0; i < retypes.size(); ++i) {
        const QString type = retypes.at(i);
        for (const QString &dependent : dependentsOf(type)) {
            const SchemaObject &object = m_from[dependent];
            if (object.kind == ObjectKind::Column && !m_removed.contains(dependent) &&
                !object.has(Attr::Generated)) {
                m_convertedColumns[type].append(dependent);
                retypedColumns << dependent;
            } else if (m_retyped.contains(dependent) || m_cascadedRetypes.contains(dependent)) {
                continue;
            } else if (object.kind == ObjectKind::Domain && m_to.contains(dependent) &&
                       !m_removed.contains(dependent) && !m_recreated.contains(dependent)) {
                m_cascadedRetypes.insert(dependent);
                m_altered.remove(dependent);
                retypes << dependent;
            } else {
                drop(dependent);
            }
        }
        m_convertedColumns[type].sort();
    }
    for (const QString &id : std::as_const(m_altered)) {
        if (m_inheritedFrom.contains(id))
            continue;
        const SchemaObject &from = m_from[id];
        const SchemaObject &to = m_to[id];
        if (from.kind != ObjectKind::Column)
            continue;
        const bool retype = from.attribute(Attr::Type) != to.attribute(Attr::Type) ||
                            from.attribute(Attr::Collation) != to.attribute(Attr::Collation);
        if (retype && m_unsafe) // a safe script leaves the column's type alone
            retypedColumns << id;
    }
    for (const QString &id : std::as_const(retypedColumns)) {
        for (const QString &dependent : dependentsOf(id)) {
            const SchemaObject &object = m_from[dependent];
            switch (object.kind) {
            case ObjectKind::View:
            case ObjectKind::MaterializedView:
            case ObjectKind::Policy:
            case ObjectKind::Trigger:
            case ObjectKind::ColumnDefault:
                drop(dependent);
                break;
            case ObjectKind::Column:
                if (object.has(Attr::Generated))
                    drop(dependent);
                break;
            default:
                break; // indexes and constraints are rebuilt by ALTER COLUMN TYPE itself
            }
        }
    }
    while (!queue.isEmpty()) {
        const QString id = queue.takeFirst();
        for (const QString &dependent : dependentsOf(id))
            drop(dependent);
    }
    for (const QString &id : std::as_const(m_dropped)) {
        if (m_to.contains(id)) {
            m_created.insert(id);
            m_altered.remove(id); // created afresh from its `to` definition
        }
    }
}

QString Planner::dropOwner(const SchemaObject &object) const
{
    if (object.kind == ObjectKind::Column && object.inherited && !object.local &&
        !m_dropped.contains(tableId(object.schema, object.table))) {
        // Goes with the parent's column (unless its own table goes).
        const auto table = m_from.constFind(tableId(object.schema, object.table));
        for (const QString &parent : table != m_from.cend() ? table->elements : QStringList()) {
            const QString parentColumn = objectKindName(ObjectKind::Column) + QLatin1Char(' ') +
                                         parent + QLatin1Char('.') + quoteIdent(object.name);
            if (m_dropped.contains(parentColumn))
                return parentColumn;
        }
    }
    if (object.kind == ObjectKind::Function) {
        for (const QString &dependency : object.dependsOn)
            if (m_dropped.contains(dependency) && isCanonicalOf(m_from, object, dependency))
                return dependency; // DROP TYPE … CASCADE takes it
    }
    QString owner = ownerOf(object);
    if (owner.isEmpty() && !object.table.isEmpty() && object.kind != ObjectKind::ColumnDefault) {
        // The owning relation: a table, or a (materialized) view for indexes and triggers.
        for (const ObjectKind kind :
             {ObjectKind::Table, ObjectKind::View, ObjectKind::MaterializedView}) {
            const QString id = objectId(kind, object.schema, {}, object.table);
            if (m_from.contains(id))
                return id;
        }
    }
    return owner;
}

// A foreign key between two tables that are both dropped must go first on its own:
// folded into its table's DROP TABLE, a cycle of references could never be dropped.
bool Planner::referencesOtherDroppedTable(const SchemaObject &object) const
{
    if (!isForeignKey(object))
        return false;
    for (const QString &dependency : object.dependsOn) {
        const auto target = m_from.constFind(dependency);
        if (target == m_from.cend() || !m_dropped.contains(dependency))
            continue;
        const QString table = target->kind == ObjectKind::Table ? target->name : target->table;
        if (target->schema != object.schema || table != object.table)
            return true;
    }
    return false;
}

QString Planner::dropUnit(const QString &id) const
{
    QString unit = id;
    for (;;) {
        const auto it = m_from.constFind(unit);
        if (it == m_from.cend())
            return unit;
        if (referencesOtherDroppedTable(*it))
            return unit;
        const QString owner = dropOwner(*it);
        if (owner.isEmpty() || !m_dropped.contains(owner))
            return unit;
        unit = owner;
    }
}

QString Planner::createUnit(const QString &id) const
{
    const auto it = m_to.constFind(id);
    if (it == m_to.cend())
        return id;
    if (it->kind == ObjectKind::Column) {
        const QString table = tableId(it->schema, it->table);
        if (m_created.contains(table))
            return table; // created inline by CREATE TABLE
    }
    if (it->kind == ObjectKind::ColumnDefault) {
        // A new column gets its default inline, so NOT NULL columns can be added to
        // tables that already have rows.
        const QString column = objectId(ObjectKind::Column, it->schema, it->table, it->name);
        const auto target = m_to.constFind(column);
        // A column only inherited is not written in CREATE TABLE: its default is set
        // after the table.
        if (m_created.contains(column) && target != m_to.cend() && target->local)
            return createUnit(column);
    }
    return id;
}

QString Planner::inlineDefault(const SchemaObject &column) const
{
    const QString id =
        objectId(ObjectKind::ColumnDefault, column.schema, column.table, column.name);
    if (!m_created.contains(id))
        return {};
    return m_to.value(id).attribute(Attr::Expression);
}

namespace {

// Strongly connected components (Tarjan, without recursion: chains of thousands of units
// are possible) of a graph given as (from, to) edges sorted by `from`.
std::vector<int> componentsOf(int count, const std::vector<std::pair<int, int>> &edges)
{
    std::vector<int> firstEdge(size_t(count) + 1, 0);
    for (const auto &edge : edges)
        ++firstEdge[size_t(edge.first) + 1];
    for (int i = 0; i < count; ++i)
        firstEdge[size_t(i) + 1] += firstEdge[size_t(i)];
    std::vector<int> index(size_t(count), -1);
    std::vector<int> low(size_t(count), 0);
    std::vector<int> component(size_t(count), -1);
    std::vector<bool> onStack(size_t(count), false);
    std::vector<int> stack;
    std::vector<std::pair<int, int>> calls; // (vertex, its next edge)
    int counter = 0;
    int components = 0;
    const auto enter = [&](int v) {
        index[size_t(v)] = low[size_t(v)] = counter++;
        stack.push_back(v);
        onStack[size_t(v)] = true;
        calls.emplace_back(v, firstEdge[size_t(v)]);
    };
    for (int root = 0; root < count; ++root) {
        if (index[size_t(root)] >= 0)
            continue;
        enter(root);
        while (!calls.empty()) {
            const int v = calls.back().first;
            const int e = calls.back().second;
            if (e < firstEdge[size_t(v) + 1]) {
                ++calls.back().second;
                const int w = edges[size_t(e)].second;
                if (index[size_t(w)] < 0)
                    enter(w);
                else if (onStack[size_t(w)])
                    low[size_t(v)] = std::min(low[size_t(v)], index[size_t(w)]);
                continue;
            }
            if (low[size_t(v)] == index[size_t(v)]) {
                int w = -1;
                do {
                    w = stack.back();
                    stack.pop_back();
                    onStack[size_t(w)] = false;
                    component[size_t(w)] = components;
                } while (w != v);
                ++components;
            }
            calls.pop_back();
            if (!calls.empty())
                low[size_t(calls.back().first)] =
                    std::min(low[size_t(calls.back().first)], low[size_t(v)]);
        }
    }
    return component;
}

} // namespace

// Kahn's algorithm over the units, ready units taken by priority then id. `reverse`
// orders dependents before their dependencies (for drops). A cycle the graph should not
// have is broken at its lowest-priority unit rather than failing the whole script.
//
// Memory matters here: for thousands of tables there are tens of thousands of units, and a
// set of neighbours per unit cost about a kilobyte each (42 MB for 5,000 tables). So units
// are numbered by their rank in (priority, id) order — the ready queue then holds plain
// ints and the smallest number is the unit to take next — and the graph is one sorted,
// deduplicated edge list.
QStringList Planner::order(const QSet<QString> &units, const Objects &objects,
                           const std::function<QString(const QString &)> &unitOf,
                           const QSet<QString> &members, bool reverse,
                           const std::vector<std::pair<QString, QString>> &soft) const
{
    struct Ranked
    {
        int priority;
        QString unit;
        bool operator<(const Ranked &other) const
        {
            return priority != other.priority ? priority < other.priority : unit < other.unit;
        }
    };
    std::vector<Ranked> ranked;
    ranked.reserve(size_t(units.size()));
    for (const QString &unit : units) {
        const auto object = objects.constFind(unit);
        const int p = object == objects.cend() ? 30 : priority(*object);
        ranked.push_back({reverse ? -p : p, unit});
    }
    std::sort(ranked.begin(), ranked.end());
    const int count = int(ranked.size());
    QHash<QString, int> rankOf;
    rankOf.reserve(count);
    for (int i = 0; i < count; ++i)
        rankOf.insert(ranked[size_t(i)].unit, i);
    const auto rank = [&rankOf](const QString &unit) { return rankOf.value(unit, -1); };

    // (earlier, later): `earlier` must come before `later`.
    std::vector<std::pair<int, int>> edges;
    for (const QString &id : members) {
        const auto object = objects.constFind(id);
        if (object == objects.cend())
            continue;
        const int unit = rank(unitOf(id));
        if (unit < 0)
            continue;
        for (const QString &dependency : object->dependsOn) {
            if (!members.contains(dependency))
                continue;
            // A canonical function is created on the range's shell type, before the range.
            if (!reverse && isCanonicalOf(objects, *object, dependency))
                continue;
            const int other = rank(unitOf(dependency));
            if (other == unit || other < 0)
                continue;
            edges.push_back(reverse ? std::pair{unit, other} : std::pair{other, unit});
        }
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    if (!soft.empty()) {
        std::vector<std::pair<int, int>> extra;
        for (const auto &[earlier, later] : soft) {
            const int a = rank(unitOf(earlier));
            const int b = rank(unitOf(later));
            if (a >= 0 && b >= 0 && a != b)
                extra.emplace_back(reverse ? b : a, reverse ? a : b);
        }
        // A soft edge inside a cycle of the combined graph is left out (a function whose
        // body reads the table whose default calls it): the dependencies decide there.
        std::vector<std::pair<int, int>> combined = edges;
        combined.insert(combined.end(), extra.cbegin(), extra.cend());
        std::sort(combined.begin(), combined.end());
        const std::vector<int> component = componentsOf(count, combined);
        for (const auto &edge : extra)
            if (component[size_t(edge.first)] != component[size_t(edge.second)])
                edges.push_back(edge);
        std::sort(edges.begin(), edges.end());
        edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    }
    std::vector<int> pending(size_t(count), 0);       // units that must still come first
    std::vector<int> firstEdge(size_t(count) + 1, 0); // a unit's successors, in `edges`
    for (const auto &[earlier, later] : edges) {
        ++pending[size_t(later)];
        ++firstEdge[size_t(earlier) + 1];
    }
    for (int i = 0; i < count; ++i)
        firstEdge[size_t(i) + 1] += firstEdge[size_t(i)];

    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < count; ++i)
        if (pending[size_t(i)] == 0)
            ready.push(i);
    std::vector<bool> done(size_t(count), false);
    int firstNotDone = 0;
    QStringList result;
    result.reserve(count);
    while (result.size() < count) {
        if (ready.empty()) {
            // A cycle: release the first remaining unit in priority order.
            while (done[size_t(firstNotDone)])
                ++firstNotDone;
            ready.push(firstNotDone);
        }
        const int unit = ready.top();
        ready.pop();
        if (done[size_t(unit)])
            continue;
        done[size_t(unit)] = true;
        result << ranked[size_t(unit)].unit;
        for (int e = firstEdge[size_t(unit)]; e < firstEdge[size_t(unit) + 1]; ++e) {
            const int next = edges[size_t(e)].second;
            if (--pending[size_t(next)] == 0 && !done[size_t(next)])
                ready.push(next);
        }
    }
    return result;
}

const QStringList &Planner::bodyTargets(const QString &functionId) const
{
    const auto cached = m_bodyTargets.constFind(functionId);
    if (cached != m_bodyTargets.cend())
        return *cached;
    QStringList targets;
    const auto function = m_to.constFind(functionId);
    if (function != m_to.cend() && function->has(Attr::Definition)) {
        const FunctionBody body = readFunctionBody(function->attribute(Attr::Definition));
        QStringList path = body.setsSearchPath
                               ? body.searchPath
                               : QStringList{function->schema, QStringLiteral("public")};
        path.removeDuplicates();
        for (const BodyReference &reference : body.references) {
            const QStringList schemas =
                reference.schema.isEmpty() ? path : QStringList{reference.schema};
            for (const QString &schema : schemas) {
                QStringList found;
                if (reference.kind == BodyReference::Kind::Function) {
                    for (const ObjectKind kind :
                         {ObjectKind::Function, ObjectKind::Procedure, ObjectKind::Aggregate}) {
                        const QString prefix = objectKindName(kind) + QLatin1Char(' ') +
                                               quoteIdent(schema) + QLatin1Char('.') +
                                               quoteIdent(reference.name) + QLatin1Char('(');
                        for (auto it = m_to.lowerBound(prefix);
                             it != m_to.cend() && it.key().startsWith(prefix); ++it)
                            if (it->name == reference.name && it->schema == schema)
                                found << it.key();
                    }
                } else {
                    QList<ObjectKind> kinds{ObjectKind::Table, ObjectKind::View,
                                            ObjectKind::MaterializedView};
                    if (reference.kind == BodyReference::Kind::Relation)
                        kinds << ObjectKind::Sequence;
                    else
                        kinds << ObjectKind::Enum << ObjectKind::Domain << ObjectKind::CompositeType
                              << ObjectKind::RangeType;
                    for (const ObjectKind kind : std::as_const(kinds)) {
                        const QString id = objectId(kind, schema, {}, reference.name);
                        if (m_to.contains(id))
                            found << id;
                    }
                }
                if (!found.isEmpty()) { // the first schema of the path that has it
                    targets << found;
                    break;
                }
            }
        }
        targets.removeAll(functionId);
        targets.removeDuplicates();
    }
    return *m_bodyTargets.insert(functionId, targets);
}

std::vector<std::pair<QString, QString>> Planner::bodyEdges(const QSet<QString> &members) const
{
    std::vector<std::pair<QString, QString>> edges;
    const auto isFunction = [](const SchemaObject &object) {
        return object.kind == ObjectKind::Function || object.kind == ObjectKind::Procedure;
    };
    for (const QString &id : members) {
        const auto object = m_to.constFind(id);
        if (object == m_to.cend())
            continue;
        if (isFunction(*object))
            for (const QString &target : bodyTargets(id))
                if (members.contains(target))
                    edges.emplace_back(target, id);
        for (const QString &dependency : object->dependsOn) {
            if (members.contains(dependency))
                continue;
            const auto used = m_to.constFind(dependency);
            if (used == m_to.cend() || !isFunction(*used))
                continue;
            for (const QString &target : bodyTargets(dependency))
                if (target != id && members.contains(target))
                    edges.emplace_back(target, id);
        }
    }
    return edges;
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

void Planner::emitGrants(const SchemaObject &object, const Grants &before, const Grants &after,
                         const QSet<QString> &unknown)
{
    const QString target = grantTarget(object);
    if (target.isEmpty())
        return;
    const QString id = object.id();
    const bool column = object.kind == ObjectKind::Column;
    const QString columnList =
        column ? QStringLiteral(" (") + quoteIdent(object.name) + QLatin1Char(')') : QString();
    QStringList grantees = before.keys() + after.keys() + unknown.values();
    grantees.removeDuplicates();
    std::sort(grantees.begin(), grantees.end());
    for (const QString &grantee : std::as_const(grantees)) {
        const bool reset = unknown.contains(grantee);
        if (!reset && before.value(grantee) == after.value(grantee))
            continue;
        if (reset || before.contains(grantee))
            push(id, QStringLiteral("REVOKE ALL") + columnList + QStringLiteral(" ON ") + target +
                         QStringLiteral(" FROM ") + grantee + QLatin1Char(';'));
        QStringList plain;
        QStringList grantable;
        for (const QString &privilege :
             after.value(grantee).split(QStringLiteral(", "), Qt::SkipEmptyParts)) {
            const bool option = privilege.endsWith(QLatin1Char('*'));
            (option ? grantable : plain)
                << (option ? privilege.chopped(1) : privilege) + columnList;
        }
        if (!plain.isEmpty())
            push(id, QStringLiteral("GRANT ") + plain.join(QStringLiteral(", ")) +
                         QStringLiteral(" ON ") + target + QStringLiteral(" TO ") + grantee +
                         QLatin1Char(';'));
        if (!grantable.isEmpty())
            push(id, QStringLiteral("GRANT ") + grantable.join(QStringLiteral(", ")) +
                         QStringLiteral(" ON ") + target + QStringLiteral(" TO ") + grantee +
                         QStringLiteral(" WITH GRANT OPTION;"));
        // Revoking on a table revokes on its columns too: give back what they keep.
        if (!column && (reset || before.contains(grantee)) &&
            (object.kind == ObjectKind::Table || object.kind == ObjectKind::View ||
             object.kind == ObjectKind::MaterializedView)) {
            const QString prefix = objectKindName(ObjectKind::Column) + QLatin1Char(' ') +
                                   object.qualifiedName() + QLatin1Char('.');
            for (auto it = m_to.lowerBound(prefix);
                 it != m_to.cend() && it.key().startsWith(prefix); ++it) {
                if (it->kind != ObjectKind::Column || it->table != object.name ||
                    m_created.contains(it.key()) || !it->hasGrant(grantee))
                    continue;
                emitGrants(*it, {}, {{grantee, it->grant(grantee)}});
            }
        }
    }
}

void Planner::emitCreatedGrants(const SchemaObject &object)
{
    if (grantTarget(object).isEmpty())
        return;
    // Default privileges of `from` may have granted the new object anything to their
    // grantees (and a global entry may have taken PUBLIC's built-in grant away).
    QSet<QString> unknown;
    const QString objectClass = defaultPrivilegesClass(object.kind);
    for (const SchemaObject *entry : std::as_const(m_oldDefaultPrivileges)) {
        if (entry->signature != objectClass ||
            (!entry->schema.isEmpty() && entry->schema != object.schema))
            continue;
        for (const QString &grantee : grantsOf(*entry).keys())
            unknown.insert(grantee);
        if (entry->schema.isEmpty())
            unknown.insert(QStringLiteral("PUBLIC"));
    }
    emitGrants(object, builtInGrants(object.kind), grantsOf(object), unknown);
}

void Planner::emitDefaultPrivileges(const SchemaObject &entry, const Grants &before,
                                    const Grants &after)
{
    const QString id = entry.id();
    QString prefix = QStringLiteral("ALTER DEFAULT PRIVILEGES FOR ROLE ") + quoteIdent(entry.name);
    if (!entry.schema.isEmpty())
        prefix += QStringLiteral(" IN SCHEMA ") + quoteIdent(entry.schema);
    const QString on = QStringLiteral(" ON ") + entry.signature.toUpper();
    QStringList grantees = before.keys() + after.keys();
    grantees.removeDuplicates();
    std::sort(grantees.begin(), grantees.end());
    for (const QString &grantee : std::as_const(grantees)) {
        if (before.value(grantee) == after.value(grantee))
            continue;
        if (before.contains(grantee))
            push(id, prefix + QStringLiteral(" REVOKE ALL") + on + QStringLiteral(" FROM ") +
                         grantee + QLatin1Char(';'));
        QStringList plain;
        QStringList grantable;
        for (const QString &privilege :
             after.value(grantee).split(QStringLiteral(", "), Qt::SkipEmptyParts)) {
            if (privilege.endsWith(QLatin1Char('*')))
                grantable << privilege.chopped(1);
            else
                plain << privilege;
        }
        if (!plain.isEmpty())
            push(id, prefix + QStringLiteral(" GRANT ") + plain.join(QStringLiteral(", ")) + on +
                         QStringLiteral(" TO ") + grantee + QLatin1Char(';'));
        if (!grantable.isEmpty())
            push(id, prefix + QStringLiteral(" GRANT ") + grantable.join(QStringLiteral(", ")) +
                         on + QStringLiteral(" TO ") + grantee +
                         QStringLiteral(" WITH GRANT OPTION;"));
    }
}

void Planner::emitComments(const SchemaObject &object)
{
    const QString comment = object.attribute(Attr::Comment);
    if (!comment.isEmpty())
        push(object.id(), commentStatement(object, comment));
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
    case ObjectKind::Enum: {
        QStringList labels;
        for (const QString &label : object.elements)
            labels << quoteLiteral(label);
        push(id, QStringLiteral("CREATE TYPE ") + object.qualifiedName() +
                     QStringLiteral(" AS ENUM (") + labels.join(QStringLiteral(", ")) +
                     QStringLiteral(");"));
        break;
    }
    case ObjectKind::Domain: {
        QString sql = QStringLiteral("CREATE DOMAIN ") + object.qualifiedName() +
                      QStringLiteral(" AS ") + object.attribute(Attr::Type);
        if (object.has(Attr::Collation))
            sql += QStringLiteral(" COLLATE ") + object.attribute(Attr::Collation);
        if (object.has(Attr::Default))
            sql += QStringLiteral(" DEFAULT ") + object.attribute(Attr::Default);
        if (object.has(Attr::NotNull))
            sql += QStringLiteral(" NOT NULL");
        const QMap<QString, QString> constraints = object.domainConstraints();
        for (auto it = constraints.cbegin(); it != constraints.cend(); ++it)
            sql += QStringLiteral(" CONSTRAINT ") + it.key() + QLatin1Char(' ') + it.value();
        push(id, sql + QLatin1Char(';'));
        break;
    }
    case ObjectKind::CompositeType:
        push(id, QStringLiteral("CREATE TYPE ") + object.qualifiedName() + QStringLiteral(" AS (") +
                     object.attribute(Attr::Attributes) + QStringLiteral(");"));
        break;
    case ObjectKind::Sequence:
        push(id, QStringLiteral("CREATE SEQUENCE ") + object.qualifiedName() +
                     sequenceOptions(object) + QLatin1Char(';'));
        break;
    case ObjectKind::Function:
        for (const QString &dependency : object.dependsOn)
            if (m_created.contains(dependency) && isCanonicalOf(m_to, object, dependency))
                push(id, QStringLiteral("CREATE TYPE ") + m_to[dependency].qualifiedName() +
                             QLatin1Char(';')); // the shell the range is defined on later
        push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
        break;
    case ObjectKind::Procedure:
    case ObjectKind::Aggregate:
    case ObjectKind::Collation:
    case ObjectKind::RangeType:
        push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
        break;
    case ObjectKind::EventTrigger:
        push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
        if (object.has(Attr::Enabled))
            push(id, eventTriggerEnableStatement(object));
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
    case ObjectKind::MaterializedView: {
        QString sql = QStringLiteral("CREATE ") + objectKindName(object.kind).toUpper() +
                      QLatin1Char(' ') + object.qualifiedName();
        if (object.has(Attr::Options))
            sql += QStringLiteral(" WITH (") + object.attribute(Attr::Options) + QLatin1Char(')');
        sql += QStringLiteral(" AS\n") + stripSemicolon(object.attribute(Attr::Definition));
        if (object.kind == ObjectKind::MaterializedView)
            sql += QStringLiteral("\n  WITH DATA");
        push(id, sql + QLatin1Char(';'));
        break;
    }
    case ObjectKind::Trigger:
        push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
        if (object.has(Attr::Enabled))
            push(id, triggerEnableStatement(object));
        break;
    case ObjectKind::Policy: {
        QString sql = QStringLiteral("CREATE POLICY ") + quoteIdent(object.name) +
                      QStringLiteral(" ON ") + object.qualifiedTable() + QStringLiteral(" AS ") +
                      object.attribute(Attr::Permissive) + QStringLiteral(" FOR ") +
                      object.attribute(Attr::Command) + QStringLiteral(" TO ") +
                      object.attribute(Attr::Roles);
        if (object.has(Attr::Using))
            sql += QStringLiteral(" USING (") + object.attribute(Attr::Using) + QLatin1Char(')');
        if (object.has(Attr::WithCheck))
            sql += QStringLiteral(" WITH CHECK (") + object.attribute(Attr::WithCheck) +
                   QLatin1Char(')');
        push(id, sql + QLatin1Char(';'));
        break;
    }
    case ObjectKind::DefaultPrivileges:
        emitDefaultPrivileges(object, defaultPrivilegesBaseline(object), grantsOf(object));
        return;
    }
    emitComments(object);
    emitCreatedGrants(object);
}

void Planner::emitAlterEnum(const SchemaObject &from, const SchemaObject &to)
{
    // `from`'s labels are a subsequence of `to`'s (otherwise the type is recreated): add
    // each missing label right after its predecessor, so the final order is `to`'s.
    QStringList current = from.elements;
    for (qsizetype i = 0; i < to.elements.size(); ++i) {
        const QString &label = to.elements.at(i);
        if (current.contains(label))
            continue;
        QString sql = QStringLiteral("ALTER TYPE ") + to.qualifiedName() +
                      QStringLiteral(" ADD VALUE ") + quoteLiteral(label);
        if (i > 0)
            sql += QStringLiteral(" AFTER ") + quoteLiteral(to.elements.at(i - 1));
        else if (!current.isEmpty())
            sql += QStringLiteral(" BEFORE ") + quoteLiteral(current.first());
        push(to.id(), sql + QLatin1Char(';'));
        current.insert(i > 0 ? current.indexOf(to.elements.at(i - 1)) + 1 : 0, label);
    }
}

void Planner::emitAlterDomain(const SchemaObject &from, const SchemaObject &to)
{
    const QString alter = QStringLiteral("ALTER DOMAIN ") + to.qualifiedName();
    const QString id = to.id();
    const QString oldDefault = from.attribute(Attr::Default);
    const QString newDefault = to.attribute(Attr::Default);
    if (oldDefault != newDefault)
        push(id, newDefault.isEmpty() ? QString(alter + QStringLiteral(" DROP DEFAULT;"))
                                      : QString(alter + QStringLiteral(" SET DEFAULT ") +
                                                newDefault + QLatin1Char(';')));
    if (from.has(Attr::NotNull) != to.has(Attr::NotNull))
        push(id, alter + (to.has(Attr::NotNull) ? QStringLiteral(" SET NOT NULL;")
                                                : QStringLiteral(" DROP NOT NULL;")));
    const QMap<QString, QString> oldConstraints = from.domainConstraints();
    const QMap<QString, QString> newConstraints = to.domainConstraints();
    for (auto it = oldConstraints.cbegin(); it != oldConstraints.cend(); ++it) {
        if (newConstraints.value(it.key()) != it.value())
            push(id, alter + QStringLiteral(" DROP CONSTRAINT ") + it.key() + QLatin1Char(';'));
    }
    for (auto it = newConstraints.cbegin(); it != newConstraints.cend(); ++it) {
        if (oldConstraints.value(it.key()) != it.value())
            push(id, alter + QStringLiteral(" ADD CONSTRAINT ") + it.key() + QLatin1Char(' ') +
                         it.value() + QLatin1Char(';'));
    }
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

// An enum losing or reordering values, or a domain changing its base type, cannot be
// altered. Rather than dropping the columns that use it (and their data), the old type is
// renamed aside, the new one created, the columns converted through text (which fails
// loudly if a value no longer exists), and the old type dropped.
void Planner::emitRetype(const SchemaObject &from, const SchemaObject &to)
{
    const QString id = to.id();
    const bool domain = to.kind == ObjectKind::Domain;
    const QString keyword = domain ? QStringLiteral("DOMAIN ") : QStringLiteral("TYPE ");
    const QString suffix = QStringLiteral("__pd_old");
    const QString aside = identifierPrefix(to.name, 63 - suffix.size()) + suffix;
    push(id, QStringLiteral("ALTER ") + keyword + from.qualifiedName() +
                 QStringLiteral(" RENAME TO ") + quoteIdent(aside) + QLatin1Char(';'));
    emitCreate(to);
    for (const QString &columnId : m_convertedColumns.value(id)) {
        const SchemaObject &column = m_from[columnId];
        const SchemaObject *target = m_diff.to.find(columnId);
        const QString type = target ? target->attribute(Attr::Type) : column.attribute(Attr::Type);
        push(columnId,
             alterTable(column) + QStringLiteral(" ALTER COLUMN ") + quoteIdent(column.name) +
                 QStringLiteral(" TYPE ") + type + QStringLiteral(" USING ") +
                 quoteIdent(column.name) + QStringLiteral("::text::") + type + QLatin1Char(';'),
             true,
             QStringLiteral(
                 "converts column %1 to the recreated %2 %3: fails if a value no longer fits")
                 .arg(column.displayName(), objectKindName(to.kind), to.displayName()));
    }
    m_asideDrops.append({id, QStringLiteral("DROP ") + keyword +
                                 pd::qualifiedName(to.schema, aside) + QLatin1Char(';')});
}

// A collation cannot be altered either: like an enum, the old one is renamed aside, the
// new one created and the columns using it moved over (the values stay; their indexes
// are rebuilt), then the old one dropped.
void Planner::emitRecollate(const SchemaObject &from, const SchemaObject &to)
{
    const QString id = to.id();
    const QString aside = to.name.left(48) + QStringLiteral("__pd_old");
    push(id, QStringLiteral("ALTER COLLATION ") + from.qualifiedName() +
                 QStringLiteral(" RENAME TO ") + quoteIdent(aside) + QLatin1Char(';'));
    emitCreate(to);
    for (const QString &columnId : m_convertedColumns.value(id)) {
        const SchemaObject &column = m_from[columnId];
        const SchemaObject *target = m_diff.to.find(columnId);
        const SchemaObject &wanted = target ? *target : column;
        QString sql = alterTable(column) + QStringLiteral(" ALTER COLUMN ") +
                      quoteIdent(column.name) + QStringLiteral(" TYPE ") +
                      wanted.attribute(Attr::Type);
        if (wanted.has(Attr::Collation))
            sql += QStringLiteral(" COLLATE ") + wanted.attribute(Attr::Collation);
        push(columnId, sql + QLatin1Char(';'));
    }
    m_asideDrops.append({id, QStringLiteral("DROP COLLATION ") +
                                 pd::qualifiedName(to.schema, aside) + QLatin1Char(';')});
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
    case ObjectKind::Sequence: {
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
                push(id, QStringLiteral("ALTER SEQUENCE ") + to.qualifiedName() +
                             sequenceOptions(to) + QLatin1Char(';'));
        }
        break;
    }
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

    // 4. Sequence ownership, once every owning column exists.
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
    return m_out;
}

} // namespace

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
    const QString summary =
        QStringLiteral("-- ParityDeck schema migration: %1").arg(sqlCommentText(diff.summaryText()));
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
