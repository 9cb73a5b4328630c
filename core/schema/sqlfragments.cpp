#include "schema/sqlfragments.h"

#include "schema/identifiers.h"

namespace pd::sqlplan {

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

} // namespace pd::sqlplan
