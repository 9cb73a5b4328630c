// A cheap fingerprint of the catalog rows behind the compared schemas: whether anything a
// full introspection (introspector.h) would read may have changed since a digest was
// taken, at a small fraction of its cost. No deparsing (format_type, pg_get_expr,
// pg_get_*def): every catalog row contributes only its OID (or key) and the transaction
// that last wrote it (xmin). Any DDL writes new row versions of the rows it changes, and
// dropping removes rows, so a changed schema always gives another digest. The converse
// is not promised: VACUUM FULL of a catalog, or a DDL undone by another, may change the
// digest without changing the schema — callers then introspect once more, which is safe.
// In-place catalog updates (relpages, reltuples, relfrozenxid) keep the row's xmin, so
// ANALYZE and VACUUM do not count as changes.
//
// Two statements on one connection: the namespaces (filtered by the SchemaFilter in C++,
// globs and all, exactly as the introspector does), then one aggregate over pg_class,
// pg_attribute, pg_attrdef, pg_constraint, pg_index, pg_proc, pg_type, pg_enum,
// pg_trigger, pg_policy, pg_rewrite, pg_sequence, pg_inherits, pg_extension and
// pg_description, restricted to those namespaces.
#pragma once

#include "common/result.h"
#include "schema/schemasnapshot.h"

#include <QByteArray>

namespace pd {

class Connection;

struct CatalogDigest
{
    QByteArray value; // hex SHA-256; equal digests: nothing in the compared schemas changed
    int rows = 0;     // catalog rows that went into it (for benchmarks and logs)
    friend bool operator==(const CatalogDigest &a, const CatalogDigest &b)
    {
        return a.value == b.value;
    }
};

// Blocking: worker threads only. Leaves no transaction open and no setting changed.
Result<CatalogDigest> catalogDigest(Connection &connection, const SchemaFilter &filter = {});

} // namespace pd
