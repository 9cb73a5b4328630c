#include "schema/schemadiff.h"

#include "common/printable.h"

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
    const auto is = [&attribute](Attr a) { return attribute == attributeKey(a); };
    if (is(Attr::Comment) || SchemaObject::isGrantKey(attribute))
        return true;
    switch (kind) {
    case ObjectKind::Schema:
    case ObjectKind::Sequence:
    case ObjectKind::ColumnDefault:
        return true;
    case ObjectKind::Extension:
        return is(Attr::Version) || is(Attr::Schema);
    case ObjectKind::Enum:
        return is(Attr::Values); // only if values were added; checked by the caller
    case ObjectKind::Domain:
        return is(Attr::Default) || is(Attr::NotNull) ||
               SchemaObject::isDomainConstraintKey(attribute);
    case ObjectKind::Function:
    case ObjectKind::Procedure:
        return is(Attr::Definition); // CREATE OR REPLACE keeps the signature
    case ObjectKind::Table:
        return !is(Attr::PartitionKey);
    case ObjectKind::Column:
        return is(Attr::Type) || is(Attr::Collation) || is(Attr::NotNull) || is(Attr::Identity);
    case ObjectKind::Trigger:
    case ObjectKind::EventTrigger:
        return is(Attr::Enabled);
    case ObjectKind::DefaultPrivileges:
        return true;
    case ObjectKind::Collation:
    case ObjectKind::RangeType:
    case ObjectKind::Aggregate:
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
    // Named as snapshots store them (attributeKey()): the names reports and JSON show.
    const QMap<QString, QString> &fromAttributes = from.attributes();
    const QMap<QString, QString> &toAttributes = to.attributes();
    QStringList names = fromAttributes.keys() + toAttributes.keys();
    names.removeDuplicates();
    std::sort(names.begin(), names.end());
    for (const QString &name : std::as_const(names)) {
        const QString a = fromAttributes.value(name);
        const QString b = toAttributes.value(name);
        if (a != b || fromAttributes.contains(name) != toAttributes.contains(name))
            changes.append(AttributeChange{name, a, b});
    }
    // Enum labels and a table's parents are also spelled out in an attribute.
    if (from.elements != to.elements && !from.has(Attr::Values) && from.kind != ObjectKind::Table)
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
        if (old->attribute(Attr::Comment) != object->attribute(Attr::Comment))
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

SchemaDiff diff(const SchemaSnapshot &fromSnapshot, const SchemaSnapshot &toSnapshot,
                const DiffOptions &options)
{
    SchemaDiff result;
    result.from = options.comparePrivileges ? fromSnapshot : withoutPrivileges(fromSnapshot);
    result.to = options.comparePrivileges ? toSnapshot : withoutPrivileges(toSnapshot);
    const SchemaSnapshot &from = result.from;
    const SchemaSnapshot &to = result.to;
    const int fromMajor = from.serverVersionNumber / 10000;
    const int toMajor = to.serverVersionNumber / 10000;
    auto describeObject = [](ObjectChange &change, const SchemaObject &object) {
        change.kind = object.kind;
        change.id = object.id();
        change.displayName = object.displayName();
    };
    const auto removed = [&](const SchemaObject &object) {
        ObjectChange change;
        describeObject(change, object);
        change.type = ChangeType::Removed;
        // A default or a default privilege holds no data; everything else removed is an
        // object lost.
        change.destructive = change.kind != ObjectKind::ColumnDefault &&
                             change.kind != ObjectKind::DefaultPrivileges;
        result.changes.append(change);
    };
    const auto added = [&](const SchemaObject &object) {
        ObjectChange change;
        describeObject(change, object);
        change.type = ChangeType::Added;
        result.changes.append(change);
    };
    // PostgreSQL 15 no longer grants CREATE on schema public to PUBLIC in a new database;
    // one made by 13 or 14 still has it. The same schema on both shows exactly that.
    const auto onlyPublicCreateDiffers = [](const AttributeChange &attribute) {
        if (attribute.name != SchemaObject::grantKey(QStringLiteral("PUBLIC")))
            return false;
        const auto withoutCreate = [](const QString &privileges) {
            QStringList list = privileges.split(QStringLiteral(", "), Qt::SkipEmptyParts);
            list.removeAll(QStringLiteral("CREATE"));
            return list;
        };
        return attribute.from != attribute.to &&
               withoutCreate(attribute.from) == withoutCreate(attribute.to);
    };
    const auto compare = [&](const SchemaObject &old, const SchemaObject &other) {
        // Most objects are unchanged: settle those with one comparison, before building
        // names and attribute lists for a change record.
        if (other.attributes() == old.attributes() && other.elements == old.elements)
            return;
        ObjectChange change;
        describeObject(change, old);
        change.attributes = attributeChanges(old, other);
        if (change.attributes.isEmpty())
            return;
        change.type = ChangeType::Altered;
        change.recreate = needsRecreate(old, other);
        switch (change.kind) {
        case ObjectKind::Table:
        case ObjectKind::Column:
        case ObjectKind::Enum:
        case ObjectKind::Domain:
        case ObjectKind::CompositeType:
        case ObjectKind::RangeType:
            change.destructive = change.recreate;
            break;
        default:
            break;
        }
        if (change.kind == ObjectKind::Sequence) {
            // A narrower range may exclude the current value: the sequence restarts.
            const auto number = [](const SchemaObject &o, Attr bound) {
                return o.attribute(bound).toLongLong();
            };
            change.destructive = number(other, Attr::Min) > number(old, Attr::Min) ||
                                 number(other, Attr::Max) < number(old, Attr::Max);
        }
        if (change.kind == ObjectKind::Column) {
            for (const AttributeChange &attribute : std::as_const(change.attributes))
                if (attribute.is(Attr::Type) || attribute.is(Attr::Collation))
                    change.destructive = true;
        }
        if (change.kind == ObjectKind::Extension && fromMajor != toMajor && fromMajor > 0 &&
            toMajor > 0 &&
            std::all_of(
                change.attributes.cbegin(), change.attributes.cend(),
                [](const AttributeChange &attribute) { return attribute.is(Attr::Version); }))
            change.betweenMajors =
                QStringLiteral("PostgreSQL %1 and %2").arg(fromMajor).arg(toMajor);
        if (change.kind == ObjectKind::Schema && old.name == QLatin1String("public") &&
            fromMajor > 0 && toMajor > 0 && (fromMajor < 15) != (toMajor < 15) &&
            std::all_of(change.attributes.cbegin(), change.attributes.cend(),
                        onlyPublicCreateDiffers))
            change.betweenMajors =
                QStringLiteral("PostgreSQL %1 and %2").arg(fromMajor).arg(toMajor);
        result.changes.append(change);
    };
    // Both maps are ordered by id: one merging walk pairs them up with a single comparison
    // per step, instead of a map lookup (a dozen or more comparisons) per object.
    auto fromIt = from.objects.cbegin();
    auto toIt = to.objects.cbegin();
    const auto aEnd = from.objects.cend();
    const auto bEnd = to.objects.cend();
    while (fromIt != aEnd || toIt != bEnd) {
        const int order = fromIt == aEnd ? 1 : toIt == bEnd ? -1 : fromIt.key().compare(toIt.key());
        if (order < 0) {
            removed(fromIt.value());
            ++fromIt;
        } else if (order > 0) {
            added(toIt.value());
            ++toIt;
        } else {
            compare(fromIt.value(), toIt.value());
            ++fromIt;
            ++toIt;
        }
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
        // For a terminal: a name or definition holding a line break or ESC must neither
        // forge a line of this report nor drive the terminal.
        QString line = changeTypeName(change.type) + QLatin1Char(' ') +
                       objectKindName(change.kind) + QLatin1Char(' ') + oneLine(change.displayName);
        if (change.destructive)
            line += QStringLiteral(" [destructive]");
        if (!change.betweenMajors.isEmpty())
            line += QStringLiteral(" [differs between ") + change.betweenMajors + QLatin1Char(']');
        lines << line;
        for (const AttributeChange &attribute : change.attributes)
            lines << QStringLiteral("    %1: %2 -> %3")
                         .arg(attribute.name,
                              attribute.from.isEmpty() ? QStringLiteral("(none)")
                                                       : oneLine(attribute.from),
                              attribute.to.isEmpty() ? QStringLiteral("(none)")
                                                     : oneLine(attribute.to));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace pd
