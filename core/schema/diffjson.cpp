#include "schema/diffjson.h"

#include <QJsonArray>

namespace pd {

QJsonObject diffToJson(const SchemaDiff &diff)
{
    QJsonArray changes;
    for (const ObjectChange &change : diff.changes) {
        QJsonObject object{{QStringLiteral("change"), changeTypeName(change.type)},
                           {QStringLiteral("class"), objectKindName(change.kind)},
                           {QStringLiteral("id"), change.id},
                           {QStringLiteral("name"), change.displayName},
                           {QStringLiteral("destructive"), change.destructive}};
        if (change.type == ChangeType::Altered) {
            object.insert(QStringLiteral("recreate"), change.recreate);
            if (!change.betweenMajors.isEmpty())
                object.insert(QStringLiteral("betweenMajors"), change.betweenMajors);
            QJsonArray attributes;
            for (const AttributeChange &attribute : change.attributes) {
                // null, not "", for an attribute that is not set on one side
                attributes.append(QJsonObject{
                    {QStringLiteral("name"), attribute.name},
                    {QStringLiteral("from"),
                     attribute.from.isEmpty() ? QJsonValue() : QJsonValue(attribute.from)},
                    {QStringLiteral("to"),
                     attribute.to.isEmpty() ? QJsonValue() : QJsonValue(attribute.to)}});
            }
            object.insert(QStringLiteral("attributes"), attributes);
        }
        changes.append(object);
    }
    QJsonObject summary;
    const QMap<ObjectKind, ChangeCounts> counts = diff.summary();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        summary.insert(objectKindName(it.key()),
                       QJsonObject{{QStringLiteral("added"), it->added},
                                   {QStringLiteral("removed"), it->removed},
                                   {QStringLiteral("altered"), it->altered}});
    }
    const auto side = [](const SchemaSnapshot &snapshot) {
        QJsonObject notCompared;
        for (auto it = snapshot.notCompared.cbegin(); it != snapshot.notCompared.cend(); ++it)
            notCompared.insert(it.key(), it.value());
        return QJsonObject{{QStringLiteral("database"), snapshot.database},
                           {QStringLiteral("serverVersion"), snapshot.serverVersion},
                           {QStringLiteral("objects"), int(snapshot.objects.size())},
                           {QStringLiteral("notCompared"), notCompared}};
    };
    return QJsonObject{{QStringLiteral("format"), QStringLiteral("paritydeck-schema-diff/1")},
                       {QStringLiteral("from"), side(diff.from)},
                       {QStringLiteral("to"), side(diff.to)},
                       {QStringLiteral("identical"), diff.isEmpty()},
                       {QStringLiteral("summaryText"), diff.summaryText()},
                       {QStringLiteral("destructive"), diff.destructiveCount()},
                       {QStringLiteral("summary"), summary},
                       {QStringLiteral("changes"), changes}};
}

} // namespace pd
