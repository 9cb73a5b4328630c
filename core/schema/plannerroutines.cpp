#include "schema/planner.h"

#include "schema/functionbody.h"
#include "schema/identifiers.h"
#include "schema/sqlfragments.h"

namespace pd::sqlplan {

const QStringList &Planner::bodyTargets(const QString &functionId) const
{
    const auto cached = m_bodyTargets.constFind(functionId);
    if (cached != m_bodyTargets.cend())
        return *cached;
    QStringList targets;
    const auto function = m_to.constFind(functionId);
    if (function != m_to.cend() && function->has(Attr::Definition)) {
        const FunctionBody body = readFunctionBody(function->attribute(Attr::Definition));
        QStringList path = body.setsSearchPath
                               ? body.searchPath
                               : QStringList{function->schema, QStringLiteral("public")};
        path.removeDuplicates();
        for (const BodyReference &reference : body.references) {
            const QStringList schemas =
                reference.schema.isEmpty() ? path : QStringList{reference.schema};
            for (const QString &schema : schemas) {
                QStringList found;
                if (reference.kind == BodyReference::Kind::Function) {
                    for (const ObjectKind kind :
                         {ObjectKind::Function, ObjectKind::Procedure, ObjectKind::Aggregate}) {
                        const QString prefix = objectKindName(kind) + QLatin1Char(' ') +
                                               quoteIdent(schema) + QLatin1Char('.') +
                                               quoteIdent(reference.name) + QLatin1Char('(');
                        for (auto it = m_to.lowerBound(prefix);
                             it != m_to.cend() && it.key().startsWith(prefix); ++it)
                            if (it->name == reference.name && it->schema == schema)
                                found << it.key();
                    }
                } else {
                    QList<ObjectKind> kinds{ObjectKind::Table, ObjectKind::View,
                                            ObjectKind::MaterializedView};
                    if (reference.kind == BodyReference::Kind::Relation)
                        kinds << ObjectKind::Sequence;
                    else
                        kinds << ObjectKind::Enum << ObjectKind::Domain << ObjectKind::CompositeType
                              << ObjectKind::RangeType;
                    for (const ObjectKind kind : std::as_const(kinds)) {
                        const QString id = objectId(kind, schema, {}, reference.name);
                        if (m_to.contains(id))
                            found << id;
                    }
                }
                if (!found.isEmpty()) { // the first schema of the path that has it
                    targets << found;
                    break;
                }
            }
        }
        targets.removeAll(functionId);
        targets.removeDuplicates();
    }
    return *m_bodyTargets.insert(functionId, targets);
}

std::vector<std::pair<QString, QString>> Planner::bodyEdges(const QSet<QString> &members) const
{
    std::vector<std::pair<QString, QString>> edges;
    const auto isFunction = [](const SchemaObject &object) {
        return object.kind == ObjectKind::Function || object.kind == ObjectKind::Procedure;
    };
    for (const QString &id : members) {
        const auto object = m_to.constFind(id);
        if (object == m_to.cend())
            continue;
        if (isFunction(*object))
            for (const QString &target : bodyTargets(id))
                if (members.contains(target))
                    edges.emplace_back(target, id);
        for (const QString &dependency : object->dependsOn) {
            if (members.contains(dependency))
                continue;
            const auto used = m_to.constFind(dependency);
            if (used == m_to.cend() || !isFunction(*used))
                continue;
            for (const QString &target : bodyTargets(dependency))
                if (target != id && members.contains(target))
                    edges.emplace_back(target, id);
        }
    }
    return edges;
}

// A function, after the shell type of a range it is the canonical function of.
void Planner::emitCreateFunction(const SchemaObject &object)
{
    const QString id = object.id();
    for (const QString &dependency : object.dependsOn)
        if (m_created.contains(dependency) && isCanonicalOf(m_to, object, dependency))
            push(id, QStringLiteral("CREATE TYPE ") + m_to[dependency].qualifiedName() +
                         QLatin1Char(';')); // the shell the range is defined on later
    push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
}

// An event trigger, then its state when it is not the default.
void Planner::emitCreateEventTrigger(const SchemaObject &object)
{
    const QString id = object.id();
    push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
    if (object.has(Attr::Enabled))
        push(id, eventTriggerEnableStatement(object));
}

// A trigger, then its state when it is not the default.
void Planner::emitCreateTrigger(const SchemaObject &object)
{
    const QString id = object.id();
    push(id, stripSemicolon(object.attribute(Attr::Definition)) + QLatin1Char(';'));
    if (object.has(Attr::Enabled))
        push(id, triggerEnableStatement(object));
}

} // namespace pd::sqlplan
