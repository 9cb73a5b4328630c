// What differs between two schemas, object by object. Objects are matched by their id
// (kind, schema, owning table, name, function signature) — never by OID or position —
// and compared attribute by attribute on the normalised values of the snapshot.
#pragma once

#include "schema/schemasnapshot.h"

#include <QList>
#include <QMap>
#include <QString>

namespace pd {

enum class ChangeType { Added, Removed, Altered };

QString changeTypeName(ChangeType type); // "added", "removed", "altered"

struct AttributeChange
{
    QString name; // as snapshots spell it: attributeKey(), "grant <role>", "elements", …
    QString from; // empty: the attribute was not set
    QString to;

    bool is(Attr attribute) const { return name == attributeKey(attribute); }
};

struct ObjectChange
{
    ChangeType type = ChangeType::Altered;
    ObjectKind kind = ObjectKind::Table;
    QString id;
    QString displayName;
    QList<AttributeChange> attributes; // Altered only, in attribute-name order
    // The change drops data or objects: anything removed (but a column default), a table
    // or column that can only be replaced, a column type change (values are cast), an
    // enum/domain/composite type replaced under the columns that use it, a sequence whose
    // range narrows (it restarts).
    bool destructive = false;
    // Altered objects that cannot be altered in place and are dropped and created again.
    bool recreate = false;
    // The sides run different PostgreSQL majors, and this change is one the servers make
    // on their own: an extension created without a version gets the default its server's
    // contrib ships (citext 1.6 on 15, 1.8 on 18). "PostgreSQL 15 and 18"; empty otherwise.
    // A real difference all the same (the SQL still aligns it), shown as due to the majors.
    QString betweenMajors;
};

struct ChangeCounts
{
    int added = 0;
    int removed = 0;
    int altered = 0;
    int total() const { return added + removed + altered; }
};

struct SchemaDiff
{
    // Both sides travel with the diff (implicitly shared, cheap to copy): generating SQL
    // needs the full definitions and dependencies, not just what changed.
    SchemaSnapshot from;
    SchemaSnapshot to;
    QList<ObjectChange> changes; // ordered by kind, then id

    bool isEmpty() const { return changes.isEmpty(); }
    int destructiveCount() const;
    QMap<ObjectKind, ChangeCounts> summary() const;
    // "2 tables added, 1 column altered, 1 index removed (2 destructive)" or "no differences".
    QString summaryText() const;
    // One line per change, with the attributes that changed; for CLI text output and tests.
    QString describe() const;
};

struct DiffOptions
{
    // A constraint or index whose name the server chose (t_a_key vs. t_a_key1) is the same
    // object when its table and definition match — as in the fingerprint.
    bool matchServerChosenNames = true;
    // Grants and default privileges are compared (roles matched by name); false for
    // --no-privileges or the workspace's `privileges: false`: then they are neither
    // reported nor written into the SQL.
    bool comparePrivileges = true;
};

SchemaDiff diff(const SchemaSnapshot &from, const SchemaSnapshot &to,
                const DiffOptions &options = {});

// Whether altering `from` into `to` (same id) needs a drop and create.
bool needsRecreate(const SchemaObject &from, const SchemaObject &to);

} // namespace pd
