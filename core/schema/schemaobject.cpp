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

QString attributeKey(Attr attribute)
{
    // These names are stored and hashed (schemaobject.h): never change one.
    switch (attribute) {
    case Attr::Comment:
        return QStringLiteral("comment");
    case Attr::Definition:
        return QStringLiteral("definition");
    case Attr::Type:
        return QStringLiteral("type");
    case Attr::NotNull:
        return QStringLiteral("not_null");
    case Attr::Collation:
        return QStringLiteral("collation");
    case Attr::Default:
        return QStringLiteral("default");
    case Attr::Identity:
        return QStringLiteral("identity");
    case Attr::Generated:
        return QStringLiteral("generated");
    case Attr::Expression:
        return QStringLiteral("expression");
    case Attr::Values:
        return QStringLiteral("values");
    case Attr::Attributes:
        return QStringLiteral("attributes");
    case Attr::Version:
        return QStringLiteral("version");
    case Attr::Schema:
        return QStringLiteral("schema");
    case Attr::Persistence:
        return QStringLiteral("persistence");
    case Attr::RowSecurity:
        return QStringLiteral("row_security");
    case Attr::RowSecurityForced:
        return QStringLiteral("row_security_forced");
    case Attr::PartitionKey:
        return QStringLiteral("partition_key");
    case Attr::PartitionBound:
        return QStringLiteral("partition_bound");
    case Attr::PartitionOf:
        return QStringLiteral("partition_of");
    case Attr::Options:
        return QStringLiteral("options");
    case Attr::Inherits:
        return QStringLiteral("inherits");
    case Attr::Start:
        return QStringLiteral("start");
    case Attr::Increment:
        return QStringLiteral("increment");
    case Attr::Max:
        return QStringLiteral("max");
    case Attr::Min:
        return QStringLiteral("min");
    case Attr::Cache:
        return QStringLiteral("cache");
    case Attr::Cycle:
        return QStringLiteral("cycle");
    case Attr::OwnedBy:
        return QStringLiteral("owned_by");
    case Attr::Arguments:
        return QStringLiteral("arguments");
    case Attr::Result:
        return QStringLiteral("result");
    case Attr::Enabled:
        return QStringLiteral("enabled");
    case Attr::Command:
        return QStringLiteral("command");
    case Attr::Permissive:
        return QStringLiteral("permissive");
    case Attr::Roles:
        return QStringLiteral("roles");
    case Attr::Using:
        return QStringLiteral("using");
    case Attr::WithCheck:
        return QStringLiteral("with_check");
    }
    return {};
}

namespace {

const QString GrantPrefix = QStringLiteral("grant ");
const QString DomainConstraintPrefix = QStringLiteral("constraint ");

// The attributes whose keys start with `prefix`, by the rest of the key: they sit side by
// side in the key-ordered map.
QMap<QString, QString> withPrefix(const QMap<QString, QString> &attributes, const QString &prefix)
{
    QMap<QString, QString> found;
    for (auto it = attributes.lowerBound(prefix);
         it != attributes.cend() && it.key().startsWith(prefix); ++it)
        found.insert(it.key().mid(prefix.size()), it.value());
    return found;
}

} // namespace

QString SchemaObject::grantKey(const QString &grantee)
{
    return GrantPrefix + grantee;
}

QString SchemaObject::domainConstraintKey(const QString &quotedName)
{
    return DomainConstraintPrefix + quotedName;
}

bool SchemaObject::isGrantKey(const QString &key)
{
    return key.startsWith(GrantPrefix);
}

bool SchemaObject::isDomainConstraintKey(const QString &key)
{
    return key.startsWith(DomainConstraintPrefix);
}

void SchemaObject::removeGrants()
{
    for (auto it = m_attributes.lowerBound(GrantPrefix);
         it != m_attributes.end() && it.key().startsWith(GrantPrefix);)
        it = m_attributes.erase(it);
}

QMap<QString, QString> SchemaObject::grants() const
{
    return withPrefix(m_attributes, GrantPrefix);
}

QMap<QString, QString> SchemaObject::domainConstraints() const
{
    return withPrefix(m_attributes, DomainConstraintPrefix);
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
