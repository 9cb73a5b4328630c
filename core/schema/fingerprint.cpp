#include "schema/fingerprint.h"

#include "schema/identifiers.h"

#include <QCryptographicHash>

#include <algorithm>
#include <utility>

namespace pd {

QString defaultNameLabel(const SchemaObject &object)
{
    if (object.kind == ObjectKind::Index)
        return QStringLiteral("idx");
    const QString type = object.attribute(Attr::Type);
    if (type == u"primary key")
        return QStringLiteral("pkey");
    if (type == u"unique")
        return QStringLiteral("key");
    if (type == u"foreign key")
        return QStringLiteral("fkey");
    if (type == u"exclusion")
        return QStringLiteral("excl");
    return QStringLiteral("check");
}

bool isDefaultConstraintName(const QString &table, const QString &name, const QString &label)
{
    // Strip the uniquifying digits ChooseRelationName appends to the label.
    qsizetype end = name.size();
    while (end > 0 && name.at(end - 1).isDigit())
        --end;
    const QString stem = name.left(end);
    const QString suffix = QLatin1Char('_') + label;
    if (!stem.endsWith(suffix))
        return false;
    const QString head = stem.left(stem.size() - suffix.size());
    if (head == table || head.startsWith(table + QLatin1Char('_')))
        return true;
    // makeObjectName truncates the longer part first to fit NAMEDATALEN, so with long
    // names only a prefix of the table name survives.
    if (name.toUtf8().size() >= 60) {
        const qsizetype keep = std::min<qsizetype>(table.size(), 16);
        return head.startsWith(table.left(keep));
    }
    return false;
}

namespace {

struct Entry
{
    QString key;
    QByteArray text;
};

} // namespace

bool hasServerChosenName(const SchemaObject &object)
{
    if (object.kind != ObjectKind::Constraint && object.kind != ObjectKind::Index)
        return false;
    return isDefaultConstraintName(object.table, object.name, defaultNameLabel(object));
}

QString nameFreeDefinition(const SchemaObject &object)
{
    QString text = object.attribute(Attr::Definition);
    if (object.kind != ObjectKind::Index)
        return text; // pg_get_constraintdef does not include the name
    const QString named =
        QStringLiteral(" INDEX ") + quoteIdent(object.name) + QStringLiteral(" ON ");
    const qsizetype at = text.indexOf(named);
    if (at >= 0)
        text.replace(at, named.size(), QStringLiteral(" INDEX ON "));
    return text;
}

void removePrivileges(QMap<QString, QString> &attributes)
{
    for (auto it = attributes.lowerBound(SchemaObject::grantKey({}));
         it != attributes.end() && SchemaObject::isGrantKey(it.key());)
        it = attributes.erase(it);
}

SchemaSnapshot withoutPrivileges(const SchemaSnapshot &snapshot)
{
    SchemaSnapshot stripped = snapshot;
    for (auto it = stripped.objects.begin(); it != stripped.objects.end();) {
        if (it->kind == ObjectKind::DefaultPrivileges) {
            it = stripped.objects.erase(it);
            continue;
        }
        it->removeGrants();
        ++it;
    }
    return stripped;
}

QByteArray fingerprint(const SchemaSnapshot &snapshot, const FingerprintOptions &options)
{
    std::vector<Entry> entries;
    entries.reserve(size_t(snapshot.objects.size()));
    for (const SchemaObject &object : snapshot.objects) {
        if (options.ignorePrivileges && object.kind == ObjectKind::DefaultPrivileges)
            continue;
        // Hashed under the names snapshots store (attributeKey()): a fingerprint taken
        // before stays comparable.
        QMap<QString, QString> attributes = object.attributes();
        if (options.ignoreComments)
            attributes.remove(attributeKey(Attr::Comment));
        if (options.ignorePrivileges)
            removePrivileges(attributes);
        QString key = object.id();
        if (options.ignoreDefaultNames && hasServerChosenName(object)) {
            // Key by what the object is, not by the name the server happened to pick.
            const QString definition = nameFreeDefinition(object);
            attributes.insert(attributeKey(Attr::Definition), definition);
            key = objectKindName(object.kind) + QLatin1Char(' ') + object.qualifiedTable() +
                  QStringLiteral(" <default> ") + definition;
        }
        QByteArray text = key.toUtf8() + '\n';
        for (auto it = attributes.cbegin(); it != attributes.cend(); ++it)
            text += "  " + it.key().toUtf8() + '=' + it.value().toUtf8() + '\n';
        for (const QString &element : object.elements)
            text += "  - " + element.toUtf8() + '\n';
        if (!options.ignoreColumnOrder && object.kind == ObjectKind::Column)
            text += "  position=" + QByteArray::number(object.position) + '\n';
        entries.push_back(Entry{std::move(key), std::move(text)});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.key < b.key || (a.key == b.key && a.text < b.text);
    });
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData("paritydeck-schema-v1\n");
    for (const Entry &entry : entries) {
        // Length-prefixed, so no two different entry lists hash the same text.
        hash.addData(QByteArray(QByteArray::number(entry.text.size()) + ':'));
        hash.addData(entry.text);
    }
    return hash.result().toHex();
}

} // namespace pd
