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

#include <utility>

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

// The attributes a SchemaObject records, one name per fact. Checked by the compiler: a
// misspelt attribute does not build. attributeKey() is the name as snapshots spell it —
// in the snapshot cache's JSON, in drift records, in the text the fingerprint hashes and in
// a diff's attribute changes — so those names never change (tst_schema pins them).
enum class Attr {
    Comment,           // "comment": COMMENT ON
    Definition,        // "definition": the server's text of the whole object
    Type,              // "type": a column's or domain's type, a sequence's AS, a constraint's kind
    NotNull,           // "not_null": "true" when set
    Collation,         // "collation": COLLATE, when not the type's own
    Default,           // "default": a domain's DEFAULT
    Identity,          // "identity": "always" or "by default"
    Generated,         // "generated": a stored generated column's expression
    Expression,        // "expression": a column default's expression
    Values,            // "values": an enum's labels, quoted, in order
    Attributes,        // "attributes": a composite type's attribute list
    Version,           // "version": an extension's version
    Schema,            // "schema": an extension's schema
    Persistence,       // "persistence": "unlogged"
    RowSecurity,       // "row_security": "enabled"
    RowSecurityForced, // "row_security_forced": "true"
    PartitionKey,      // "partition_key": PARTITION BY
    PartitionBound,    // "partition_bound": FOR VALUES …
    PartitionOf,       // "partition_of": the parent, qualified
    Options,           // "options": WITH (…) storage options
    Inherits,          // "inherits": the parents, qualified, sorted
    Start,             // "start", "increment", "max", "min", "cache", "cycle": a sequence
    Increment,
    Max,
    Min,
    Cache,
    Cycle,
    OwnedBy,   // "owned_by": schema.table.column owning a sequence
    Arguments, // "arguments": a routine's full argument list
    Result,    // "result": a function's result type
    Enabled,   // "enabled": a trigger's state other than the default
    Command,   // "command", "permissive", "roles", "using", "with_check": a policy
    Permissive,
    Roles,
    Using,
    WithCheck,
};

QString attributeKey(Attr attribute);

struct SchemaObject
{
    ObjectKind kind = ObjectKind::Table;
    QString schema;    // empty for schemas and extensions
    QString table;     // owning relation of a sub-object (column, constraint, index, …)
    QString name;      // column name for Column and ColumnDefault
    QString signature; // identity arguments of a function or aggregate, e.g. "integer, text"

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

    // Normalised values that the diff compares and the fingerprint hashes; a missing
    // attribute means "none".
    QString attribute(Attr attribute) const { return m_attributes.value(attributeKey(attribute)); }
    bool has(Attr attribute) const { return m_attributes.contains(attributeKey(attribute)); }
    void setAttribute(Attr attribute, const QString &value)
    {
        m_attributes.insert(attributeKey(attribute), value);
    }
    // Sets it unless `value` is empty (the catalog's NULL or "" both mean "none").
    void setAttributeUnlessEmpty(Attr attribute, const QString &value)
    {
        if (!value.isEmpty())
            setAttribute(attribute, value);
    }
    void removeAttribute(Attr attribute) { m_attributes.remove(attributeKey(attribute)); }

    // Privileges, one attribute per grantee ("grant bob" = "INSERT, SELECT*", * = WITH
    // GRANT OPTION; the grantee quoted, or PUBLIC).
    QString grant(const QString &grantee) const { return m_attributes.value(grantKey(grantee)); }
    bool hasGrant(const QString &grantee) const { return m_attributes.contains(grantKey(grantee)); }
    void setGrant(const QString &grantee, const QString &privileges)
    {
        m_attributes.insert(grantKey(grantee), privileges);
    }
    void removeGrant(const QString &grantee) { m_attributes.remove(grantKey(grantee)); }
    void removeGrants();
    // Grantee → privileges.
    QMap<QString, QString> grants() const;
    // A domain's named CHECK constraints ("constraint <quoted name>" = its definition).
    QMap<QString, QString> domainConstraints() const; // quoted name → definition
    void setDomainConstraint(const QString &quotedName, const QString &definition)
    {
        m_attributes.insert(domainConstraintKey(quotedName), definition);
    }

    // Every attribute under its key as snapshots spell it (attributeKey(), grantKey(),
    // domainConstraintKey()), in key order: for what stores, hashes or compares attributes
    // whole — the snapshot cache, the fingerprint, the diff.
    const QMap<QString, QString> &attributes() const { return m_attributes; }
    // The inverse, for a snapshot read back from its stored form.
    void setAttributes(QMap<QString, QString> attributes) { m_attributes = std::move(attributes); }

    static QString grantKey(const QString &grantee);
    static QString domainConstraintKey(const QString &quotedName);
    static bool isGrantKey(const QString &key);
    static bool isDomainConstraintKey(const QString &key);

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

private:
    QMap<QString, QString> m_attributes;
};

QString objectId(ObjectKind kind, const QString &schema, const QString &table, const QString &name,
                 const QString &signature = {});

} // namespace pd
