// The schema of one database at one moment, as plain values: safe to copy across threads,
// to keep for a later diff, and to compare between servers.
#pragma once

#include "schema/schemaobject.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace pd {

// Which schemas introspection looks at. Patterns are exact names or shell-style globs
// ("pg_temp*"). An empty include list means "every schema not excluded".
struct SchemaFilter
{
    QStringList includeSchemas;
    QStringList excludeSchemas = defaultExcludedSchemas();
    // Objects that belong to an extension (pg_depend deptype 'e') are the extension's
    // business: CREATE EXTENSION brings them back.
    bool excludeExtensionObjects = true;

    // pg_catalog, information_schema, pg_toast*, pg_temp*, and ParityDeck's own migration
    // history schema "paritydeck".
    static QStringList defaultExcludedSchemas();
    bool accepts(const QString &schema) const;
};

struct SchemaSnapshot
{
    int serverVersionNumber = 0; // e.g. 150004
    QString serverVersion;       // e.g. "15.4"
    QString database;
    // Keyed by SchemaObject::id(); a QMap so iteration (and everything derived from it) is
    // in a stable order.
    QMap<QString, SchemaObject> objects;
    // Object classes that exist in the database but are not compared, with their count
    // ("rules" → 2, "foreign tables" → 1). Zero counts are left out.
    QMap<QString, int> notCompared;
    // Catalog queries introspection ran: bounded by a constant, whatever the object count.
    int queryCount = 0;

    const SchemaObject *find(const QString &id) const;
    QList<SchemaObject> objectsOfKind(ObjectKind kind) const;
    int count(ObjectKind kind) const;
    void insert(SchemaObject object);
};

} // namespace pd
