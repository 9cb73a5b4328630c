#include "schema/schemaobject.h"

#include "schema/identifiers.h"

namespace pd {

QString objectKindName(ObjectKind kind)
{
    switch (kind) {
    case ObjectKind::Schema:
        return QStringLiteral("schema");
    case ObjectKind::Extension:
        return QStringLiteral("extension");
    case ObjectKind::Collation:
        return QStringLiteral("collation");
    case ObjectKind::Enum:
        return QStringLiteral("enum");
    case ObjectKind::Domain:
        return QStringLiteral("domain");
    case ObjectKind::CompositeType:
        return QStringLiteral("type");
    case ObjectKind::RangeType:
        return QStringLiteral("range type");
    case ObjectKind::Sequence:
        return QStringLiteral("sequence");
    case ObjectKind::Function:
        return QStringLiteral("function");
    case ObjectKind::Procedure:
        return QStringLiteral("procedure");
    case ObjectKind::Aggregate:
        return QStringLiteral("aggregate");
    case ObjectKind::Table:
        return QStringLiteral("table");
    case ObjectKind::Column:
        return QStringLiteral("column");
    case ObjectKind::ColumnDefault:
        return QStringLiteral("default");
    case ObjectKind::Constraint:
        return QStringLiteral("constraint");
    case ObjectKind::Index:
        return QStringLiteral("index");
    case ObjectKind::View:
        return QStringLiteral("view");
    case ObjectKind::MaterializedView:
        return QStringLiteral("materialized view");
    case ObjectKind::Trigger:
        return QStringLiteral("trigger");
    case ObjectKind::Policy:
        return QStringLiteral("policy");
    case ObjectKind::EventTrigger:
        return QStringLiteral("event trigger");
    case ObjectKind::DefaultPrivileges:
        return QStringLiteral("default privileges");
    }
    return {};
}

QString objectKindPlural(ObjectKind kind)
{
    switch (kind) {
    case ObjectKind::Index:
        return QStringLiteral("indexes");
    case ObjectKind::Policy:
        return QStringLiteral("policies");
    case ObjectKind::CompositeType:
        return QStringLiteral("composite types");
    case ObjectKind::Enum:
        return QStringLiteral("enum types");
    case ObjectKind::ColumnDefault:
        return QStringLiteral("column defaults");
    case ObjectKind::DefaultPrivileges:
        return QStringLiteral("default privileges");
    default:
        return objectKindName(kind) + QLatin1Char('s');
    }
}

bool isRoutine(ObjectKind kind)
{
    return kind == ObjectKind::Function || kind == ObjectKind::Procedure ||
           kind == ObjectKind::Aggregate;
}

QList<ObjectKind> allObjectKinds()
{
    QList<ObjectKind> kinds;
    for (int k = int(ObjectKind::Schema); k <= int(ObjectKind::DefaultPrivileges); ++k)
        kinds.append(ObjectKind(k));
    return kinds;
}

QString objectId(ObjectKind kind, const QString &schema, const QString &table, const QString &name,
                 const QString &signature)
{
    // Built once per object of every snapshot: one allocation, no regrowing.
    const QString kindName = objectKindName(kind);
    const QString quotedSchema = schema.isEmpty() ? QString() : quoteIdent(schema);
    const QString quotedTable = table.isEmpty() ? QString() : quoteIdent(table);
    const QString quotedName = quoteIdent(name);
    const bool routine = isRoutine(kind) || kind == ObjectKind::DefaultPrivileges;
    QString id;
    id.reserve(kindName.size() + quotedSchema.size() + quotedTable.size() + quotedName.size() +
               signature.size() + 6);
    id += kindName;
    id += QLatin1Char(' ');
    if (!quotedSchema.isEmpty()) {
        id += quotedSchema;
        id += QLatin1Char('.');
    }
    if (!quotedTable.isEmpty()) {
        id += quotedTable;
        id += QLatin1Char('.');
    }
    id += quotedName;
    if (routine) {
        id += QLatin1Char('(');
        id += signature;
        id += QLatin1Char(')');
    }
    return id;
}

QString SchemaObject::id() const
{
    return objectId(kind, schema, table, name, signature);
}

QString SchemaObject::qualifiedName() const
{
    return pd::qualifiedName(schema, name);
}

QString SchemaObject::qualifiedTable() const
{
    return pd::qualifiedName(schema, table);
}

QString SchemaObject::displayName() const
{
    QString text;
    if (!schema.isEmpty())
        text += quoteIdent(schema) + QLatin1Char('.');
    if (!table.isEmpty())
        text += quoteIdent(table) + QLatin1Char('.');
    text += quoteIdent(name);
    if (isRoutine(kind) || kind == ObjectKind::DefaultPrivileges)
        text += QLatin1Char('(') + signature + QLatin1Char(')');
    return text;
}

} // namespace pd
