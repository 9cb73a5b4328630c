// A stable hash of a schema: equal schemas on two servers give equal fingerprints, so
// the parity matrix can compare environments by one short value. What counts as "equal"
// is configurable: by default, noise a migration tool does not control is ignored.
#pragma once

#include "schema/schemasnapshot.h"

#include <QByteArray>

namespace pd {

struct FingerprintOptions
{
    // Constraint and index names the server chose itself (t_pkey, t_col_fkey, t_col_idx1)
    // do not count; the definition does. Explicit names always count.
    bool ignoreDefaultNames = true;
    // Columns are always compared by name; strict mode also hashes their physical order.
    bool ignoreColumnOrder = true;
    bool ignoreComments = false;
    // Grants (GRANT, ALTER DEFAULT PRIVILEGES) count unless switched off (--no-privileges).
    bool ignorePrivileges = false;
};

// Lower-case hex SHA-256 (64 characters) of the normalised snapshot.
QByteArray fingerprint(const SchemaSnapshot &snapshot, const FingerprintOptions &options = {});

// Whether `name` has the shape PostgreSQL gives an unnamed constraint or index on
// `table`: <table>[_<columns>]_<label>[N], with the parts truncated to fit 63 bytes.
// Labels: pkey, key, fkey, check, excl, idx.
bool isDefaultConstraintName(const QString &table, const QString &name, const QString &label);

// For a constraint or index: its definition without its own name, so two objects that
// differ only by a server-chosen name compare equal.
QString nameFreeDefinition(const SchemaObject &object);
// Whether the object is a constraint or index whose name the server chose.
bool hasServerChosenName(const SchemaObject &object);

// Privileges are attributes "grant <grantee>" (SchemaObject::grantKey) and
// DefaultPrivileges objects: these drop them (for --no-privileges). `attributes` as
// SchemaObject::attributes() holds them.
void removePrivileges(QMap<QString, QString> &attributes);
SchemaSnapshot withoutPrivileges(const SchemaSnapshot &snapshot);

// The label PostgreSQL uses for a constraint type ("primary key" → "pkey") or "idx".
QString defaultNameLabel(const SchemaObject &object);

} // namespace pd
