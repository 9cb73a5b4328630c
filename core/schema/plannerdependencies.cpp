#include "schema/planner.h"

#include "schema/identifiers.h"

#include <algorithm>
#include <queue>

namespace pd::sqlplan {

QStringList Planner::dependentsOf(const QString &id) const
{
    if (!m_dependentsBuilt) {
        m_dependentsBuilt = true;
        size_t edges = 0;
        for (const SchemaObject &object : m_from)
            edges += size_t(object.dependsOn.size());
        m_dependents.reserve(edges);
        for (auto it = m_from.cbegin(); it != m_from.cend(); ++it)
            for (const QString &dependency : it->dependsOn)
                m_dependents.push_back(
                    {qHash(dependency), m_dependents.size(), &dependency, &it.key()});
        // By hash, then by the dependent's place in `from` (the edges were appended in
        // that order, and the map's nodes do not move): what stable_sort gives, for less.
        std::sort(m_dependents.begin(), m_dependents.end(),
                  [](const DependentEdge &a, const DependentEdge &b) {
                      return a.hash != b.hash ? a.hash < b.hash : a.order < b.order;
                  });
    }
    struct ByHash
    {
        bool operator()(const DependentEdge &edge, size_t hash) const { return edge.hash < hash; }
        bool operator()(size_t hash, const DependentEdge &edge) const { return hash < edge.hash; }
    };
    const auto [first, last] =
        std::equal_range(m_dependents.cbegin(), m_dependents.cend(), qHash(id), ByHash());
    QStringList dependents;
    dependents.reserve(qsizetype(last - first));
    for (auto it = first; it != last; ++it)
        if (*it->dependency == id) // another id may share the hash
            dependents.append(*it->dependent);
    return dependents;
}

// Without --unsafe, objects whose change would lose data stay as they are. That can ripple:
// a kept object may depend on something the plan would replace (then that is kept too),
// and new objects may need a kept change (a partition of a table that would have become
// partitioned, a second primary key) — those are left out as well.
void Planner::planWithoutDestructiveChanges()
{
    const QSet<QString> created = m_created;
    const QSet<QString> altered = m_altered;
    for (;;) {
        m_created = created;
        m_altered = altered;
        m_dropped.clear();
        m_convertedColumns.clear();
        propagateDrops();
        // Replacements that would take a kept object with them: keep them as well.
        QSet<QString> causes;
        for (const QString &id : std::as_const(m_dropped)) {
            if (!m_keptRemoved.contains(id) && !m_keptChanged.contains(id))
                continue;
            QList<QString> walk{id};
            QSet<QString> seen;
            while (!walk.isEmpty()) {
                const QString current = walk.takeFirst();
                if (seen.contains(current))
                    continue;
                seen.insert(current);
                if (m_recreated.contains(current) || m_retyped.contains(current))
                    causes.insert(current);
                for (const QString &dependency : m_from.value(current).dependsOn)
                    if (m_dropped.contains(dependency))
                        walk.append(dependency);
            }
        }
        if (causes.isEmpty())
            break;
        for (const QString &cause : std::as_const(causes)) {
            m_recreated.remove(cause);
            m_retyped.remove(cause);
            m_keptChanged.insert(cause);
        }
    }
    for (const QString &id : std::as_const(m_keptRemoved)) {
        const SchemaObject &object = m_from[id];
        if (object.kind == ObjectKind::Constraint && object.attribute(Attr::Type) == u"primary key")
            for (const QString &dependency : object.dependsOn)
                m_keptPrimaryKeyColumns.insert(dependency);
    }
    // New objects that need what was kept back.
    QSet<QString> skipped;
    for (const QString &id : std::as_const(m_created)) {
        const SchemaObject &object = m_to[id];
        bool needsKept = false;
        for (const QString &dependency : object.dependsOn)
            needsKept = needsKept || m_keptChanged.contains(dependency);
        if (object.kind == ObjectKind::Constraint &&
            object.attribute(Attr::Type) == u"primary key") {
            for (const QString &kept : std::as_const(m_keptRemoved)) {
                const SchemaObject &old = m_from[kept];
                needsKept =
                    needsKept ||
                    (old.kind == ObjectKind::Constraint && old.schema == object.schema &&
                     old.table == object.table && old.attribute(Attr::Type) == u"primary key");
            }
        }
        if (needsKept)
            skipped.insert(id);
    }
    // …and whatever new builds on those.
    bool grew = !skipped.isEmpty();
    while (grew) {
        grew = false;
        for (const QString &id : std::as_const(m_created)) {
            if (skipped.contains(id))
                continue;
            for (const QString &dependency : m_to.value(id).dependsOn) {
                if (skipped.contains(dependency)) {
                    skipped.insert(id);
                    grew = true;
                    break;
                }
            }
        }
    }
    for (const QString &id : std::as_const(skipped))
        m_created.remove(id);
    // A column whose type change is left out keeps its default: the new one is written for
    // the new type (an enum default cast to the other enum).
    const auto keepsType = [this](const QString &columnId) {
        const auto from = m_from.constFind(columnId);
        const auto to = m_to.constFind(columnId);
        return from != m_from.cend() && to != m_to.cend() &&
               from->attribute(Attr::Type) != to->attribute(Attr::Type);
    };
    for (QSet<QString> *set : {&m_created, &m_altered}) {
        set->removeIf([&](const QString &id) {
            const auto object = m_to.constFind(id);
            return object != m_to.cend() && object->kind == ObjectKind::ColumnDefault &&
                   keepsType(
                       objectId(ObjectKind::Column, object->schema, object->table, object->name));
        });
    }
}

// Whatever depends on a dropped object must be dropped first (PostgreSQL refuses the
// drop otherwise) and, if it survives in `to`, created again afterwards. Changing a
// column's type likewise needs the views, policies, triggers, generated columns and
// defaults that use it out of the way.
void Planner::propagateDrops()
{
    QList<QString> queue;
    const auto drop = [&](const QString &id) {
        if (!m_dropped.contains(id)) {
            m_dropped.insert(id);
            queue.append(id);
        }
    };
    for (const QString &id : std::as_const(m_removed))
        drop(id);
    for (const QString &id : std::as_const(m_recreated))
        drop(id);
    // Columns whose type changes in place: by ALTER COLUMN TYPE, or by a retyped enum or
    // domain (then everything else using the type is dropped and created again).
    QStringList retypedColumns;
    // A domain over a retyped type is swapped the same way (its own columns converted),
    // rather than dropped with its columns' data.
    m_cascadedRetypes.clear();
    QStringList retypes = m_retyped.values();
    for (qsizetype i = 0; i < retypes.size(); ++i) {
        const QString type = retypes.at(i);
        for (const QString &dependent : dependentsOf(type)) {
            const SchemaObject &object = m_from[dependent];
            if (object.kind == ObjectKind::Column && !m_removed.contains(dependent) &&
                !object.has(Attr::Generated)) {
                m_convertedColumns[type].append(dependent);
                retypedColumns << dependent;
            } else if (m_retyped.contains(dependent) || m_cascadedRetypes.contains(dependent)) {
                continue;
            } else if (object.kind == ObjectKind::Domain && m_to.contains(dependent) &&
                       !m_removed.contains(dependent) && !m_recreated.contains(dependent)) {
                m_cascadedRetypes.insert(dependent);
                m_altered.remove(dependent);
                retypes << dependent;
            } else {
                drop(dependent);
            }
        }
        m_convertedColumns[type].sort();
    }
    for (const QString &id : std::as_const(m_altered)) {
        if (m_inheritedFrom.contains(id))
            continue;
        const SchemaObject &from = m_from[id];
        const SchemaObject &to = m_to[id];
        if (from.kind != ObjectKind::Column)
            continue;
        const bool retype = from.attribute(Attr::Type) != to.attribute(Attr::Type) ||
                            from.attribute(Attr::Collation) != to.attribute(Attr::Collation);
        if (retype && m_unsafe) // a safe script leaves the column's type alone
            retypedColumns << id;
    }
    for (const QString &id : std::as_const(retypedColumns)) {
        for (const QString &dependent : dependentsOf(id)) {
            const SchemaObject &object = m_from[dependent];
            switch (object.kind) {
            case ObjectKind::View:
            case ObjectKind::MaterializedView:
            case ObjectKind::Policy:
            case ObjectKind::Trigger:
            case ObjectKind::ColumnDefault:
                drop(dependent);
                break;
            case ObjectKind::Column:
                if (object.has(Attr::Generated))
                    drop(dependent);
                break;
            default:
                break; // indexes and constraints are rebuilt by ALTER COLUMN TYPE itself
            }
        }
    }
    while (!queue.isEmpty()) {
        const QString id = queue.takeFirst();
        for (const QString &dependent : dependentsOf(id))
            drop(dependent);
    }
    for (const QString &id : std::as_const(m_dropped)) {
        if (m_to.contains(id)) {
            m_created.insert(id);
            m_altered.remove(id); // created afresh from its `to` definition
        }
    }
}

QString Planner::dropOwner(const SchemaObject &object) const
{
    if (object.kind == ObjectKind::Column && object.inherited && !object.local &&
        !m_dropped.contains(tableId(object.schema, object.table))) {
        // Goes with the parent's column (unless its own table goes).
        const auto table = m_from.constFind(tableId(object.schema, object.table));
        for (const QString &parent : table != m_from.cend() ? table->elements : QStringList()) {
            const QString parentColumn = objectKindName(ObjectKind::Column) + QLatin1Char(' ') +
                                         parent + QLatin1Char('.') + quoteIdent(object.name);
            if (m_dropped.contains(parentColumn))
                return parentColumn;
        }
    }
    if (object.kind == ObjectKind::Function) {
        for (const QString &dependency : object.dependsOn)
            if (m_dropped.contains(dependency) && isCanonicalOf(m_from, object, dependency))
                return dependency; // DROP TYPE … CASCADE takes it
    }
    QString owner = ownerOf(object);
    if (owner.isEmpty() && !object.table.isEmpty() && object.kind != ObjectKind::ColumnDefault) {
        // The owning relation: a table, or a (materialized) view for indexes and triggers.
        for (const ObjectKind kind :
             {ObjectKind::Table, ObjectKind::View, ObjectKind::MaterializedView}) {
            const QString id = objectId(kind, object.schema, {}, object.table);
            if (m_from.contains(id))
                return id;
        }
    }
    return owner;
}

// A foreign key between two tables that are both dropped must go first on its own:
// folded into its table's DROP TABLE, a cycle of references could never be dropped.
bool Planner::referencesOtherDroppedTable(const SchemaObject &object) const
{
    if (!isForeignKey(object))
        return false;
    for (const QString &dependency : object.dependsOn) {
        const auto target = m_from.constFind(dependency);
        if (target == m_from.cend() || !m_dropped.contains(dependency))
            continue;
        const QString table = target->kind == ObjectKind::Table ? target->name : target->table;
        if (target->schema != object.schema || table != object.table)
            return true;
    }
    return false;
}

QString Planner::dropUnit(const QString &id) const
{
    QString unit = id;
    for (;;) {
        const auto it = m_from.constFind(unit);
        if (it == m_from.cend())
            return unit;
        if (referencesOtherDroppedTable(*it))
            return unit;
        const QString owner = dropOwner(*it);
        if (owner.isEmpty() || !m_dropped.contains(owner))
            return unit;
        unit = owner;
    }
}

QString Planner::createUnit(const QString &id) const
{
    const auto it = m_to.constFind(id);
    if (it == m_to.cend())
        return id;
    if (it->kind == ObjectKind::Column) {
        const QString table = tableId(it->schema, it->table);
        if (m_created.contains(table))
            return table; // created inline by CREATE TABLE
    }
    if (it->kind == ObjectKind::ColumnDefault) {
        // A new column gets its default inline, so NOT NULL columns can be added to
        // tables that already have rows.
        const QString column = objectId(ObjectKind::Column, it->schema, it->table, it->name);
        const auto target = m_to.constFind(column);
        // A column only inherited is not written in CREATE TABLE: its default is set
        // after the table.
        if (m_created.contains(column) && target != m_to.cend() && target->local)
            return createUnit(column);
    }
    return id;
}

namespace {

// Strongly connected components (Tarjan, without recursion: chains of thousands of units
// are possible) of a graph given as (from, to) edges sorted by `from`.
std::vector<int> componentsOf(int count, const std::vector<std::pair<int, int>> &edges)
{
    std::vector<int> firstEdge(size_t(count) + 1, 0);
    for (const auto &edge : edges)
        ++firstEdge[size_t(edge.first) + 1];
    for (int i = 0; i < count; ++i)
        firstEdge[size_t(i) + 1] += firstEdge[size_t(i)];
    std::vector<int> index(size_t(count), -1);
    std::vector<int> low(size_t(count), 0);
    std::vector<int> component(size_t(count), -1);
    std::vector<bool> onStack(size_t(count), false);
    std::vector<int> stack;
    std::vector<std::pair<int, int>> calls; // (vertex, its next edge)
    int counter = 0;
    int components = 0;
    const auto enter = [&](int v) {
        index[size_t(v)] = low[size_t(v)] = counter++;
        stack.push_back(v);
        onStack[size_t(v)] = true;
        calls.emplace_back(v, firstEdge[size_t(v)]);
    };
    for (int root = 0; root < count; ++root) {
        if (index[size_t(root)] >= 0)
            continue;
        enter(root);
        while (!calls.empty()) {
            const int v = calls.back().first;
            const int e = calls.back().second;
            if (e < firstEdge[size_t(v) + 1]) {
                ++calls.back().second;
                const int w = edges[size_t(e)].second;
                if (index[size_t(w)] < 0)
                    enter(w);
                else if (onStack[size_t(w)])
                    low[size_t(v)] = std::min(low[size_t(v)], index[size_t(w)]);
                continue;
            }
            if (low[size_t(v)] == index[size_t(v)]) {
                int w = -1;
                do {
                    w = stack.back();
                    stack.pop_back();
                    onStack[size_t(w)] = false;
                    component[size_t(w)] = components;
                } while (w != v);
                ++components;
            }
            calls.pop_back();
            if (!calls.empty())
                low[size_t(calls.back().first)] =
                    std::min(low[size_t(calls.back().first)], low[size_t(v)]);
        }
    }
    return component;
}

} // namespace

// Kahn's algorithm over the units, ready units taken by priority then id. `reverse`
// orders dependents before their dependencies (for drops). A cycle the graph should not
// have is broken at its lowest-priority unit rather than failing the whole script.
//
// Memory matters here: for thousands of tables there are tens of thousands of units, and a
// set of neighbours per unit cost about a kilobyte each (42 MB for 5,000 tables). So units
// are numbered by their rank in (priority, id) order — the ready queue then holds plain
// ints and the smallest number is the unit to take next — and the graph is one sorted,
// deduplicated edge list.
QStringList Planner::order(const QSet<QString> &units, const Objects &objects,
                           const std::function<QString(const QString &)> &unitOf,
                           const QSet<QString> &members, bool reverse,
                           const std::vector<std::pair<QString, QString>> &soft) const
{
    struct Ranked
    {
        int priority;
        QString unit;
        bool operator<(const Ranked &other) const
        {
            return priority != other.priority ? priority < other.priority : unit < other.unit;
        }
    };
    std::vector<Ranked> ranked;
    ranked.reserve(size_t(units.size()));
    for (const QString &unit : units) {
        const auto object = objects.constFind(unit);
        const int p = object == objects.cend() ? 30 : priority(*object);
        ranked.push_back({reverse ? -p : p, unit});
    }
    std::sort(ranked.begin(), ranked.end());
    const int count = int(ranked.size());
    QHash<QString, int> rankOf;
    rankOf.reserve(count);
    for (int i = 0; i < count; ++i)
        rankOf.insert(ranked[size_t(i)].unit, i);
    const auto rank = [&rankOf](const QString &unit) { return rankOf.value(unit, -1); };

    // (earlier, later): `earlier` must come before `later`.
    std::vector<std::pair<int, int>> edges;
    for (const QString &id : members) {
        const auto object = objects.constFind(id);
        if (object == objects.cend())
            continue;
        const int unit = rank(unitOf(id));
        if (unit < 0)
            continue;
        for (const QString &dependency : object->dependsOn) {
            if (!members.contains(dependency))
                continue;
            // A canonical function is created on the range's shell type, before the range.
            if (!reverse && isCanonicalOf(objects, *object, dependency))
                continue;
            const int other = rank(unitOf(dependency));
            if (other == unit || other < 0)
                continue;
            edges.push_back(reverse ? std::pair{unit, other} : std::pair{other, unit});
        }
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    if (!soft.empty()) {
        std::vector<std::pair<int, int>> extra;
        for (const auto &[earlier, later] : soft) {
            const int a = rank(unitOf(earlier));
            const int b = rank(unitOf(later));
            if (a >= 0 && b >= 0 && a != b)
                extra.emplace_back(reverse ? b : a, reverse ? a : b);
        }
        // A soft edge inside a cycle of the combined graph is left out (a function whose
        // body reads the table whose default calls it): the dependencies decide there.
        std::vector<std::pair<int, int>> combined = edges;
        combined.insert(combined.end(), extra.cbegin(), extra.cend());
        std::sort(combined.begin(), combined.end());
        const std::vector<int> component = componentsOf(count, combined);
        for (const auto &edge : extra)
            if (component[size_t(edge.first)] != component[size_t(edge.second)])
                edges.push_back(edge);
        std::sort(edges.begin(), edges.end());
        edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    }
    std::vector<int> pending(size_t(count), 0);       // units that must still come first
    std::vector<int> firstEdge(size_t(count) + 1, 0); // a unit's successors, in `edges`
    for (const auto &[earlier, later] : edges) {
        ++pending[size_t(later)];
        ++firstEdge[size_t(earlier) + 1];
    }
    for (int i = 0; i < count; ++i)
        firstEdge[size_t(i) + 1] += firstEdge[size_t(i)];

    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < count; ++i)
        if (pending[size_t(i)] == 0)
            ready.push(i);
    std::vector<bool> done(size_t(count), false);
    int firstNotDone = 0;
    QStringList result;
    result.reserve(count);
    while (result.size() < count) {
        if (ready.empty()) {
            // A cycle: release the first remaining unit in priority order.
            while (done[size_t(firstNotDone)])
                ++firstNotDone;
            ready.push(firstNotDone);
        }
        const int unit = ready.top();
        ready.pop();
        if (done[size_t(unit)])
            continue;
        done[size_t(unit)] = true;
        result << ranked[size_t(unit)].unit;
        for (int e = firstEdge[size_t(unit)]; e < firstEdge[size_t(unit) + 1]; ++e) {
            const int next = edges[size_t(e)].second;
            if (--pending[size_t(next)] == 0 && !done[size_t(next)])
                ready.push(next);
        }
    }
    return result;
}

} // namespace pd::sqlplan
