#include "schema/schemasnapshot.h"

#include <QRegularExpression>

namespace pd {

QStringList SchemaFilter::defaultExcludedSchemas()
{
    return {QStringLiteral("pg_catalog"), QStringLiteral("information_schema"),
            QStringLiteral("pg_toast*"), QStringLiteral("pg_temp*"), QStringLiteral("paritydeck")};
}

namespace {

bool matchesAny(const QStringList &patterns, const QString &name)
{
    for (const QString &pattern : patterns) {
        if (pattern == name)
            return true;
        if (pattern.contains(QLatin1Char('*')) || pattern.contains(QLatin1Char('?'))) {
            // wildcardToRegularExpression anchors the pattern at both ends.
            const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(pattern));
            if (re.match(name).hasMatch())
                return true;
        }
    }
    return false;
}

} // namespace

bool SchemaFilter::accepts(const QString &schema) const
{
    if (!includeSchemas.isEmpty() && !matchesAny(includeSchemas, schema))
        return false;
    return !matchesAny(excludeSchemas, schema);
}

const SchemaObject *SchemaSnapshot::find(const QString &id) const
{
    const auto it = objects.constFind(id);
    return it == objects.cend() ? nullptr : &it.value();
}

QList<SchemaObject> SchemaSnapshot::objectsOfKind(ObjectKind kind) const
{
    QList<SchemaObject> result;
    for (const SchemaObject &object : objects)
        if (object.kind == kind)
            result.append(object);
    return result;
}

int SchemaSnapshot::count(ObjectKind kind) const
{
    int n = 0;
    for (const SchemaObject &object : objects)
        n += object.kind == kind ? 1 : 0;
    return n;
}

void SchemaSnapshot::insert(SchemaObject object)
{
    const QString key = object.id();
    objects.insert(key, std::move(object));
}

} // namespace pd
