// A cheap fingerprint of the catalog rows behind the compared schemas: whether anything a
// full introspection (introspector.h) would read may have changed since a digest was
// taken, at a small fraction of its cost. No deparsing (format_type, pg_get_expr,
// pg_get_*def) and no text per row: per catalog and namespace, the server returns the row
// count and the sum of the rows' versions (xmin, the transaction that last wrote each
// row). Any DDL inserts or updates catalog rows — each gets the new transaction's xmin,
// so the sum moves — or only deletes them, which lowers the count; so a changed schema
// gives another digest (short of transaction-ID wraparound between two digests). The
// converse is not promised: VACUUM FULL or FREEZE of a catalog, or a DDL undone by
// another, changes the digest without changing the schema — callers then introspect once
// more, which is safe. In-place catalog updates (relpages, reltuples, relfrozenxid) keep
// the row's xmin, so ANALYZE and VACUUM do not count as changes.
//
// Two statements on one connection: the namespaces (filtered by the SchemaFilter in C++,
// globs and all, exactly as the introspector does), then one query of per-catalog
// aggregates over pg_class, pg_attribute, pg_constraint, pg_proc, pg_type, pg_enum,
// pg_trigger, pg_policy, pg_rewrite, pg_sequence, pg_inherits, pg_extension, pg_collation,
// pg_default_acl, pg_event_trigger and pg_description, and the roles' names. Relations,
// their columns and most other objects count only in those namespaces (temporary tables
// come and go all day); user triggers and comments count database-wide, which
// can cost a needless introspection but never hides a change. Catalog rows that only ever
// change together with rows read here are not read (catalogdigest.cpp lists them and
// says why).
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

// Per-object raw digests (introspectPair() in introspector.h): whether two catalog rows
// on two servers deparse to the same text can be told from the rows themselves, without
// the deparse functions, when every OID in them names a built-in object. This is the
// expression part: an expression tree as the catalogs store it (pg_node_tree text, e.g.
// pg_attrdef.adbin, pg_constraint.conbin, pg_index.indexprs) with the source positions
// (":location N", which the deparser ignores) taken out — or an empty result when the tree
// may refer to something by OID that is not built in (any number 10000 or above that is
// not a type modifier, a constant of a type whose value can hold an OID, such as
// regclass in nextval('s'::regclass)), so the tree alone cannot prove the text equal.
// Column numbers (varattno) are kept: the caller adds the relation's column names.
// Built-in OIDs (below 10000) are fixed by the major's catalog data; the caller compares
// trees only between servers of the same version.
std::optional<QByteArray> comparableExpressionTree(QByteArrayView tree);

} // namespace pd
