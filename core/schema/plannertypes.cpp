#include "schema/planner.h"

#include "schema/identifiers.h"
#include "schema/sqlfragments.h"

namespace pd::sqlplan {

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

// CREATE TYPE … AS ENUM with the labels in order.
void Planner::emitCreateEnum(const SchemaObject &object)
{
    const QString id = object.id();
    QStringList labels;
    for (const QString &label : object.elements)
        labels << quoteLiteral(label);
    push(id, QStringLiteral("CREATE TYPE ") + object.qualifiedName() +
                 QStringLiteral(" AS ENUM (") + labels.join(QStringLiteral(", ")) +
                 QStringLiteral(");"));
}

// CREATE DOMAIN with its default, NOT NULL and named CHECK constraints.
void Planner::emitCreateDomain(const SchemaObject &object)
{
    const QString id = object.id();
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
}

} // namespace pd::sqlplan
