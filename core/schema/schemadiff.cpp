#include "schema/schemadiff.h"

#include "schema/fingerprint.h"

#include <QSet>

#include <algorithm>

namespace pd {

QString changeTypeName(ChangeType type)
{
    switch (type) {
    case ChangeType::Added:
        return QStringLiteral("added");
    case ChangeType::Removed:
        return QStringLiteral("removed");
    case ChangeType::Altered:
        return QStringLiteral("altered");
    }
    return {};
}

namespace {

// Attributes each kind can change with ALTER (or CREATE OR REPLACE) in place; a change
// to any other attribute means drop and create.
bool alterableInPlace(ObjectKind kind, const QString &attribute)
{
    if (attribute == u"comment")
        return true;
    switch (kind) {
    case ObjectKind::Schema:
    case ObjectKind::Sequence:
    case ObjectKind::ColumnDefault:
        return true;
    case ObjectKind::Extension:
        return attribute == u"version" || attribute == u"schema";
    case ObjectKind::Enum:
        return attribute == u"values"; // only if values were added; checked by the caller
    case ObjectKind::Domain:
        return attribute == u"default" || attribute == u"not_null" ||
               attribute.startsWith(QStringLiteral("constraint "));
    case ObjectKind::Function:
    case ObjectKind::Procedure:
        return attribute == u"definition"; // CREATE OR REPLACE keeps the signature
    case ObjectKind::Table:
        return attribute != u"partition_key";
    case ObjectKind::Column:
        return attribute == u"type" || attribute == u"collation" || attribute == u"not_null" ||
               attribute == u"identity";
    case ObjectKind::Trigger:
        return attribute == u"enabled";
    case ObjectKind::CompositeType:
    case ObjectKind::Constraint:
    case ObjectKind::Index:
    case ObjectKind::View:
    case ObjectKind::MaterializedView:
    case ObjectKind::Policy:
        return false;
    }
    return false;
}

bool isSubsequence(const QStringList &part, const QStringList &whole)
{
    qsizetype at = 0;
    for (const QString &item : whole) {
        if (at < part.size() && part.at(at) == item)
            ++at;
    }
    return at == part.size();
}

QList<AttributeChange> attributeChanges(const SchemaObject &from, const SchemaObject &to)
{
    QList<AttributeChange> changes;
    QStringList names = from.attributes.keys() + to.attributes.keys();
    names.removeDuplicates();
    std::sort(names.begin(), names.end());
    for (const QString &name : std::as_const(names)) {
        const QString a = from.attribute(name);
        const QString b = to.attribute(name);
        if (a != b || from.has(name) != to.has(name))
            changes.append(AttributeChange{name, a, b});
    }
    if (from.elements != to.elements && !from.has(QStringLiteral("values")))
        changes.append(AttributeChange{QStringLiteral("elements"), from.elements.join(u','),
                                       to.elements.join(u',')});
    return changes;
}

} // namespace

bool needsRecreate(const SchemaObject &from, const SchemaObject &to)
{
    for (const AttributeChange &change : attributeChanges(from, to)) {
        if (!alterableInPlace(from.kind, change.name))
            return true;
    }
    if (from.kind == ObjectKind::Enum && !isSubsequence(from.elements, to.elements))
        return true;
    return false;
}

namespace {

// Removed and added constraints/indexes that differ only by a server-chosen name.
void dropRenamesByServer(SchemaDiff &result)
{
    QHash<QString, qsizetype> removed; // table + kind + definition → index into changes
    const auto keyOf = [](const SchemaObject &object) -> QString {
        return objectKindName(object.kind) + QLatin1Char('\n') + object.qualifiedTable() +
               QLatin1Char('\n') + nameFreeDefinition(object);
    };
    for (qsizetype i = 0; i < result.changes.size(); ++i) {
        const ObjectChange &change = result.changes.at(i);
        if (change.type != ChangeType::Removed)
            continue;
        const SchemaObject *object = result.from.find(change.id);
        if (object && hasServerChosenName(*object))
            removed.insert(keyOf(*object), i);
    }
    if (removed.isEmpty())
        return;
    QSet<qsizetype> matched;
    for (qsizetype i = 0; i < result.changes.size(); ++i) {
        const ObjectChange &change = result.changes.at(i);
        if (change.type != ChangeType::Added)
            continue;
        const SchemaObject *object = result.to.find(change.id);
        if (!object || !hasServerChosenName(*object))
            continue;
        const auto it = removed.constFind(keyOf(*object));
        if (it == removed.cend() || matched.contains(it.value()))
            continue;
        const SchemaObject *old = result.from.find(result.changes.at(it.value()).id);
        if (old->attribute(QStringLiteral("comment")) !=
            object->attribute(QStringLiteral("comment")))
            continue;
        matched.insert(it.value());
        matched.insert(i);
    }
    QList<ObjectChange> kept;
    for (qsizetype i = 0; i < result.changes.size(); ++i)
        if (!matched.contains(i))
            kept.append(result.changes.at(i));
    result.changes = kept;
}

} // namespace

SchemaDiff diff(const SchemaSnapshot &from, const SchemaSnapshot &to, const DiffOptions &options)
{
    SchemaDiff result;
    result.from = from;
    result.to = to;
    auto describeObject = [](ObjectChange &change, const SchemaObject &object) {
        change.kind = object.kind;
        change.id = object.id();
        change.displayName = object.displayName();
    };
    for (auto it = from.objects.cbegin(); it != from.objects.cend(); ++it) {
        const SchemaObject *other = to.find(it.key());
        ObjectChange change;
        describeObject(change, it.value());
        if (!other) {
            change.type = ChangeType::Removed;
            // A default holds no data; everything else removed is an object lost.
            change.destructive = change.kind != ObjectKind::ColumnDefault;
            result.changes.append(change);
            continue;
        }
        change.attributes = attributeChanges(it.value(), *other);
        if (change.attributes.isEmpty())
            continue;
        change.type = ChangeType::Altered;
        change.recreate = needsRecreate(it.value(), *other);
        switch (change.kind) {
        case ObjectKind::Table:
        case ObjectKind::Column:
        case ObjectKind::Enum:
        case ObjectKind::Domain:
        case ObjectKind::CompositeType:
            change.destructive = change.recreate;
            break;
        default:
            break;
        }
        if (change.kind == ObjectKind::Sequence) {
            // A narrower range may exclude the current value: the sequence restarts.
            const auto number = [](const SchemaObject &o, const char *key) {
                return o.attribute(QLatin1String(key)).toLongLong();
            };
            change.destructive = number(*other, "min") > number(it.value(), "min") ||
                                 number(*other, "max") < number(it.value(), "max");
        }
        if (change.kind == ObjectKind::Column) {
            for (const AttributeChange &attribute : std::as_const(change.attributes))
                if (attribute.name == u"type" || attribute.name == u"collation")
                    change.destructive = true;
        }
        result.changes.append(change);
    }
    for (auto it = to.objects.cbegin(); it != to.objects.cend(); ++it) {
        if (from.objects.contains(it.key()))
            continue;
        ObjectChange change;
        describeObject(change, it.value());
        change.type = ChangeType::Added;
        result.changes.append(change);
    }
    std::stable_sort(result.changes.begin(), result.changes.end(),
                     [](const ObjectChange &a, const ObjectChange &b) {
                         if (a.kind != b.kind)
                             return int(a.kind) < int(b.kind);
                         return a.id < b.id;
                     });
    if (options.matchServerChosenNames)
        dropRenamesByServer(result);
    return result;
}

int SchemaDiff::destructiveCount() const
{
    return int(std::count_if(changes.cbegin(), changes.cend(),
                             [](const ObjectChange &c) { return c.destructive; }));
}

QMap<ObjectKind, ChangeCounts> SchemaDiff::summary() const
{
    QMap<ObjectKind, ChangeCounts> counts;
    for (const ObjectChange &change : changes) {
        ChangeCounts &c = counts[change.kind];
        switch (change.type) {
        case ChangeType::Added:
            ++c.added;
            break;
        case ChangeType::Removed:
            ++c.removed;
            break;
        case ChangeType::Altered:
            ++c.altered;
            break;
        }
    }
    return counts;
}

QString SchemaDiff::summaryText() const
{
    if (changes.isEmpty())
        return QStringLiteral("no differences");
    QStringList parts;
    const QMap<ObjectKind, ChangeCounts> counts = summary();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const auto phrase = [&](int n, const QString &verb) {
            if (n > 0)
                parts << QStringLiteral("%1 %2 %3")
                             .arg(n)
                             .arg(n == 1 ? objectKindName(it.key()) : objectKindPlural(it.key()),
                                  verb);
        };
        phrase(it->added, QStringLiteral("added"));
        phrase(it->removed, QStringLiteral("removed"));
        phrase(it->altered, QStringLiteral("altered"));
    }
    QString text = parts.join(QStringLiteral(", "));
    const int destructive = destructiveCount();
    if (destructive > 0)
        text += QStringLiteral(" (%1 destructive)").arg(destructive);
    return text;
}

QString SchemaDiff::describe() const
{
    QStringList lines;
    for (const ObjectChange &change : changes) {
        QString line = changeTypeName(change.type) + QLatin1Char(' ') +
                       objectKindName(change.kind) + QLatin1Char(' ') + change.displayName;
        if (change.destructive)
            line += QStringLiteral(" [destructive]");
        lines << line;
        for (const AttributeChange &attribute : change.attributes)
            lines << QStringLiteral("    %1: %2 -> %3")
                         .arg(attribute.name,
                              attribute.from.isEmpty() ? QStringLiteral("(none)") : attribute.from,
                              attribute.to.isEmpty() ? QStringLiteral("(none)") : attribute.to);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace pd
