#include "schema/planner.h"

#include "schema/identifiers.h"
#include "schema/sqlfragments.h"

#include <algorithm>

namespace pd::sqlplan {

Grants grantsOf(const SchemaObject &object)
{
    return object.grants();
}

Grants builtInGrants(ObjectKind kind)
{
    return builtInPrivileges(kind);
}

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

} // namespace pd::sqlplan
