// A cheap fingerprint of the catalog rows behind the compared schemas: whether anything a
// full introspection (introspector.h) would read may have changed since a digest was
// taken, at a small fraction of its cost. No deparsing (format_type, pg_get_expr,
// pg_get_*def) and no text per row: per catalog and namespace, the server returns the row
// count, the sum of the rows' versions (xmin, the transaction that last wrote each row)
// and the sum of their keys (OIDs). Any DDL inserts or updates catalog rows — each gets
// the new transaction's xmin, so the sum moves — or only deletes them, which lowers the
// count; so a changed schema gives another digest (short of transaction-ID wraparound
// between two digests). The converse is not promised: VACUUM FULL of a catalog, or a DDL
// undone by another, changes the digest without changing the schema — callers then
// introspect once more, which is safe. In-place catalog updates (relpages, reltuples,
// relfrozenxid) keep the row's xmin, so ANALYZE and VACUUM do not count as changes.
//
// Two statements on one connection: the namespaces (filtered by the SchemaFilter in C++,
// globs and all, exactly as the introspector does), then one query of per-catalog
// aggregates over pg_class, pg_attribute, pg_attrdef, pg_constraint, pg_index, pg_proc,
// pg_type, pg_enum, pg_trigger, pg_policy, pg_rewrite, pg_sequence, pg_inherits,
// pg_extension and pg_description, restricted to those namespaces.
#pragma once

#include "common/result.h"
#include "schema/schemasnapshot.h"

#include <QByteArray>

#include <optional>

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

// Cheaper still and coarser, for a watcher that asks often: the database's cumulative
// statistics of rows inserted, updated and deleted in the same catalogs
// (pg_stat_sys_tables), whatever their schema. The counters only grow, and a backend
// flushes its counts within seconds of committing, so equal counters mean no catalog row
// was written in between and the digest cannot have changed; different counters (any DDL
// anywhere in the database, temporary tables, a statistics reset) only mean "take the
// digest". nullopt when the server does not count (track_counts off): take the digest.
Result<std::optional<QByteArray>> catalogWriteCounters(Connection &connection);

} // namespace pd
