// The planner behind generateStatements() and generateSql() (sqlgenerator.h), internal to
// the schema module. One class, its work split by what it handles:
//   planner.cpp             classifying the diff, run() (the phases in order), and the
//                           per-kind dispatch of drops, creations and alterations
//   plannerdependencies.cpp what must be dropped and recreated, drop and create units, the
//                           dependency order
//   plannertables.cpp       tables, columns, defaults, partitions, inheritance
//   plannertypes.cpp        enums, domains, collations swapped in under their columns
//   plannerroutines.cpp     what function bodies name (ordering edges no pg_depend records)
//   plannerprivileges.cpp   GRANT/REVOKE and ALTER DEFAULT PRIVILEGES
// The SQL text of single objects is in sqlfragments.h, the script's text in scripttext.h.
#pragma once

#include "schema/sqlgenerator.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <utility>
#include <vector>

namespace pd::sqlplan {

using Objects = QMap<QString, SchemaObject>;

// The objects of one kind, in id order: ids begin with the kind's name and a space, so
// they sit side by side in the map and a plan need not walk every object of a large
// snapshot (90,000 at 5,000 tables) to find, say, its sequences.
template<typename Fn> void forEachOfKind(const Objects &objects, ObjectKind kind, Fn &&fn)
{
    const QString prefix = objectKindName(kind) + QLatin1Char(' ');
    for (auto it = objects.lowerBound(prefix); it != objects.cend() && it.key().startsWith(prefix);
         ++it)
        if (it->kind == kind)
            fn(it.key(), *it);
}

QString tableId(const QString &schema, const QString &table);
bool isForeignKey(const SchemaObject &object);

// A range type's canonical function takes and returns the range, so the two depend on
// each other (pg_depend both ways; a subtype_diff function takes the subtype and does not).
// The function is created on a shell type (CREATE TYPE r;) and the range after it; both
// go in one DROP TYPE … CASCADE.
bool isCanonicalOf(const Objects &objects, const SchemaObject &function, const QString &rangeId);

// Tie-break among statements the dependency graph leaves unordered: the order a person
// would write them in, so scripts read naturally and are stable between runs.
int priority(const SchemaObject &object);

// The object a sub-object disappears with: dropping a table drops its columns,
// constraints, indexes, triggers, policies and partitions; dropping a column drops its
// default.
QString ownerOf(const SchemaObject &object);

// A table's CHECK constraint that its inheritance children get too.
bool isInheritedCheck(const SchemaObject &constraint);

// Whether a column type (as format_type prints it, maybe an array) is an enum of the
// snapshot.
bool isEnumType(const SchemaSnapshot &snapshot, QString type);

// Grantee (quoted, or PUBLIC) → "INSERT, SELECT*" (* = WITH GRANT OPTION).
using Grants = QMap<QString, QString>;

Grants grantsOf(const SchemaObject &object);
// What a new object gets before any GRANT (sqlgenerator.h).
Grants builtInGrants(ObjectKind kind);

// The class ALTER DEFAULT PRIVILEGES names for objects of this kind.
QString defaultPrivilegesClass(ObjectKind kind);

// A default-privileges entry that does not exist: global ones fall back to what is built in.
Grants defaultPrivilegesBaseline(const SchemaObject &entry);

struct ScriptText; // scripttext.h

class Planner final
{
public:
    // `onlyDestructive` keeps just the destructive statements of the plan: all a safe
    // script needs of the full one (see generateSql), without holding the rest. With
    // `script`, statements are written there instead of returned by run().
    Planner(const SchemaDiff &diff, bool includeDestructive, bool onlyDestructive = false,
            ScriptText *script = nullptr)
        : m_diff(diff)
        , m_from(diff.from.objects)
        , m_to(diff.to.objects)
        , m_unsafe(includeDestructive)
        , m_onlyDestructive(onlyDestructive)
        , m_script(script)
    {
    }

    QList<GeneratedStatement> run();
    // The text the plan's statements that lose nothing take, each on a line of its own
    // (with `onlyDestructive` too, where they are not kept).
    qsizetype safeTextSize() const { return m_safeTextSize; }

private:
    void classify();
    void propagateDrops();
    QString dropOwner(const SchemaObject &object) const;
    QString dropUnit(const QString &id) const;
    bool referencesOtherDroppedTable(const SchemaObject &object) const;
    void keepColumnsAcrossPartitioning();
    void planWithoutDestructiveChanges();
    QString createUnit(const QString &id) const;
    QString inlineDefault(const SchemaObject &column) const;
    // `soft`: (earlier, later) object pairs that order creations when they can, dropped
    // where they would close a cycle with the dependencies (function bodies, below).
    QStringList order(const QSet<QString> &units, const Objects &objects,
                      const std::function<QString(const QString &)> &unitOf,
                      const QSet<QString> &members, bool reverse,
                      const std::vector<std::pair<QString, QString>> &soft = {}) const;
    // What function bodies written as strings name (functionbody.h): no pg_depend edge
    // records it, yet a function that runs while the script creates things (a materialized
    // view WITH DATA, a CHECK or a default over existing rows, an expression index) needs
    // it to exist. Pairs (named object, new function) and, for an existing function a new
    // object uses, (named object, that object): both among `members`.
    std::vector<std::pair<QString, QString>> bodyEdges(const QSet<QString> &members) const;
    // The objects of `to` a function's body names, resolved along its search path.
    const QStringList &bodyTargets(const QString &functionId) const;
    mutable QHash<QString, QStringList> m_bodyTargets;

    // One statement of the plan: into the script, or kept for run() to return.
    void push(const QString &id, const QString &sql, bool destructive = false,
              const QString &reason = {});
    void emitDrop(const SchemaObject &object);
    void emitCreate(const SchemaObject &object);
    void emitCreateTable(const SchemaObject &table);
    void emitAlter(const SchemaObject &from, const SchemaObject &to);
    void emitRetype(const SchemaObject &from, const SchemaObject &to);
    void emitRecollate(const SchemaObject &from, const SchemaObject &to);
    void emitAlterColumn(const SchemaObject &from, const SchemaObject &to);
    void emitAlterEnum(const SchemaObject &from, const SchemaObject &to);
    void emitAlterDomain(const SchemaObject &from, const SchemaObject &to);
    void emitAlterTable(const SchemaObject &from, const SchemaObject &to);
    void emitComments(const SchemaObject &object);
    // What creates or alters one object of these kinds (plannertypes.cpp,
    // plannerroutines.cpp, plannertables.cpp).
    void emitCreateEnum(const SchemaObject &object);
    void emitCreateDomain(const SchemaObject &object);
    void emitCreateFunction(const SchemaObject &object);
    void emitCreateEventTrigger(const SchemaObject &object);
    void emitCreateTrigger(const SchemaObject &object);
    void emitCreateView(const SchemaObject &object);
    void emitCreatePolicy(const SchemaObject &object);
    void emitAlterSequence(const SchemaObject &from, const SchemaObject &to);
    // Phases of run() for tables and sequences (plannertables.cpp).
    void emitLeftParents();
    QSet<QString> emitReleasedSequences();
    void emitNewParents(const QStringList &creates);
    void emitSequenceOwnership(const QSet<QString> &disowned);

    const SchemaDiff &m_diff;
    const Objects &m_from;
    const Objects &m_to;
    QSet<QString> m_removed;
    QSet<QString> m_recreated;       // altered, replaced by drop + create
    QSet<QString> m_altered;         // altered in place
    QSet<QString> m_retyped;         // enums/domains recreated under a temporary name swap
    QSet<QString> m_cascadedRetypes; // domains over a retyped type, swapped along with it
    // The renamed-aside old types, dropped once every retyped type's users are converted:
    // dependents (a domain over an enum) before what they were built on.
    QList<std::pair<QString, QString>> m_asideDrops;
    // Tables that are a parent under table inheritance in either schema: their column
    // defaults are set with ALTER TABLE ONLY, so a child's own default is left alone.
    QSet<QString> m_inheritanceParents;
    QString alterColumnDefault(const SchemaObject &object) const;
    bool inheritedWithParentColumn(const SchemaObject &column) const;
    // Privileges: from `before` to `after` on one object; grantees in `unknown` may hold
    // anything (a new object under the old default privileges) and are reset.
    void emitGrants(const SchemaObject &object, const Grants &before, const Grants &after,
                    const QSet<QString> &unknown = {});
    void emitCreatedGrants(const SchemaObject &object);
    void emitDefaultPrivileges(const SchemaObject &entry, const Grants &before,
                               const Grants &after);
    // `from`'s default-privileges entries: new objects get their grants while the script
    // runs.
    QList<const SchemaObject *> m_oldDefaultPrivileges;
    void restoreChildrenNotNull(const SchemaObject &column);
    QHash<QString, QStringList> m_convertedColumns; // retyped type → columns using it
    QSet<QString> m_dropped;     // everything dropped: removed, recreated, cascaded
    QSet<QString> m_keptRemoved; // safe mode: removed in `to`, left in place
    QSet<QString> m_keptChanged; // safe mode: would need replacing, left as it is
    QSet<QString> m_keptPrimaryKeyColumns;
    QSet<QString> m_created; // everything created: added, recreated, cascaded back
    // In `from`: (hash of the dependency, dependency, dependent), pointing at the
    // snapshot's own strings, sorted by the hash, each one's dependents in `from`'s order.
    // (A hash of lists was megabytes for a large database, however small the diff; sorting
    // by the strings themselves took half a second at 5,000 tables.) Built on the first
    // dependentsOf(): a diff that drops nothing never needs it.
    struct DependentEdge
    {
        size_t hash;
        size_t order;
        const QString *dependency;
        const QString *dependent;
    };
    mutable std::vector<DependentEdge> m_dependents;
    mutable bool m_dependentsBuilt = false;
    QStringList dependentsOf(const QString &id) const;
    // Columns a detached partition keeps from its former parent: altered from the
    // parent's column rather than added.
    QHash<QString, SchemaObject> m_inheritedFrom;
    QList<GeneratedStatement> m_out;
    // Without it, changes that lose data are left out of the plan altogether — the
    // objects stay as they are — so the rest of the script still applies cleanly.
    bool m_unsafe = true;
    bool m_onlyDestructive = false;
    qsizetype m_safeTextSize = 0;
    ScriptText *m_script = nullptr;
};

} // namespace pd::sqlplan
