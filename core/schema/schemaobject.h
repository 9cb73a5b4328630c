// core/schema owns everything between a live database and a schema script: catalog
// introspection into a SchemaSnapshot of plain values, the fingerprint, the object-level
// diff and the dependency-ordered SQL that turns one schema into another.
//
// One SchemaObject is one thing the diff can add, remove or alter on its own. Sub-objects
// (columns, column defaults, constraints, indexes, triggers, policies) are objects of their
// own keyed under their table, so the diff and the dependency order treat them uniformly.
// A column default is separate from its column because it can be dropped and set again
// without touching data — a sequence or function it uses can then be replaced safely.
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pd {

enum class ObjectKind {
    Schema,
    Extension,
    Collation,
    Enum,
    Domain,
    CompositeType,
    RangeType,
    Sequence,
    Function,
    Procedure,
    Aggregate,
    Table,
    Column,
    ColumnDefault,
    Constraint,
    Index,
    View,
    MaterializedView,
    Trigger,
    Policy,
    EventTrigger,
    // ALTER DEFAULT PRIVILEGES: name = the role, schema = IN SCHEMA (empty: global),
    // signature = the object class ("tables", "sequences", "functions", "types", "schemas").
    DefaultPrivileges,
};

// "table", "materialized view", … — as in the SQL that creates the object.
QString objectKindName(ObjectKind kind);
// Plural label for summaries: "tables", "materialized views", …
QString objectKindPlural(ObjectKind kind);
QList<ObjectKind> allObjectKinds();
// Functions, procedures and aggregates: keyed by name and identity arguments.
bool isRoutine(ObjectKind kind);

struct SchemaObject
{
    ObjectKind kind = ObjectKind::Table;
    QString schema;    // empty for schemas and extensions
    QString table;     // owning relation of a sub-object (column, constraint, index, …)
    QString name;      // column name for Column and ColumnDefault
    QString signature; // identity arguments of a function or aggregate, e.g. "integer, text"

    // Normalised values that the diff compares and the fingerprint hashes. Keys are
    // attribute names ("type", "definition", "comment", …); a missing key means "none".
    QMap<QString, QString> attributes;
    // Ordered values where order matters: enum labels; a table's parents (sorted, as
    // quoted qualified names — INHERITS order is creation noise).
    QStringList elements;
    // Physical position of a column (attnum): used to lay out CREATE TABLE like the
    // source, deliberately not compared.
    int position = 0;
    // Columns under table inheritance (not compared: a child created with INHERITS and one
    // attached later with ALTER TABLE … INHERIT are the same schema): the column also
    // comes from a parent (attinhcount > 0), and whether the child declares it itself
    // (attislocal). A column that is inherited and not local is never added to the child.
    bool inherited = false;
    bool local = true;
    // Ids of the objects this one depends on (pg_depend plus structure), for ordering.
    QStringList dependsOn;

    QString attribute(const QString &key) const { return attributes.value(key); }
    bool has(const QString &key) const { return attributes.contains(key); }

    // Unique key: kind + quoted qualified name (+ signature), e.g. "column public.t.id",
    // "function public.f(integer)". Identifiers are quoted as in SQL, so dots inside a
    // name cannot collide with separators.
    QString id() const;
    // The qualified name as used in SQL: schema.name (table sub-objects: just the name).
    QString qualifiedName() const;
    // The owning relation, qualified: schema.table.
    QString qualifiedTable() const;
    // Human-readable name for reports: "public.orders.customer_id".
    QString displayName() const;

    bool operator==(const SchemaObject &other) const = default;
};

QString objectId(ObjectKind kind, const QString &schema, const QString &table, const QString &name,
                 const QString &signature = {});

} // namespace pd
