#include "schema/catalogdigest.h"

#include "db/connection.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QStringList>

namespace pd {

namespace {

// Per catalog and namespace: how many rows, the sum of their row versions (xmin) and the
// sum of their keys. Integers only, aggregated where they are read: no text is built per
// row and the server never sorts or hashes the rows themselves. Any DDL inserts, updates
// or deletes catalog rows: an insert or update adds a row version the sums have not seen,
// a delete lowers the count. {oids} is the accepted namespace OIDs; {ver}(alias) a row
// version as a number.
const char *const kSumsSql =
    "SELECT 'c', c.relnamespace, count(*), sum({ver}(c)), sum(c.oid::int8)"
    "  FROM pg_catalog.pg_class c WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'a', c.relnamespace, count(*), sum({ver}(a)),"
    "  sum(a.attrelid::int8 * 4096 + a.attnum)"
    "  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
    "  WHERE c.relnamespace = ANY ({oids}) AND a.attnum > 0 GROUP BY 2"
    " UNION ALL SELECT 'd', c.relnamespace, count(*), sum({ver}(d)), sum(d.oid::int8)"
    "  FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = d.adrelid"
    "  WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'k', k.connamespace, count(*), sum({ver}(k)), sum(k.oid::int8)"
    "  FROM pg_catalog.pg_constraint k WHERE k.connamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'i', c.relnamespace, count(*), sum({ver}(i)), sum(i.indexrelid::int8)"
    "  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
    "  WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'p', p.pronamespace, count(*), sum({ver}(p)), sum(p.oid::int8)"
    "  FROM pg_catalog.pg_proc p WHERE p.pronamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 't', t.typnamespace, count(*), sum({ver}(t)), sum(t.oid::int8)"
    "  FROM pg_catalog.pg_type t WHERE t.typnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'e', t.typnamespace, count(*), sum({ver}(e)), sum(e.oid::int8)"
    "  FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid"
    "  WHERE t.typnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'g', c.relnamespace, count(*), sum({ver}(g)), sum(g.oid::int8)"
    "  FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid"
    "  WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'y', c.relnamespace, count(*), sum({ver}(y)), sum(y.oid::int8)"
    "  FROM pg_catalog.pg_policy y JOIN pg_catalog.pg_class c ON c.oid = y.polrelid"
    "  WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'r', c.relnamespace, count(*), sum({ver}(r)), sum(r.oid::int8)"
    "  FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class"
    "  WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 's', c.relnamespace, count(*), sum({ver}(s)), sum(s.seqrelid::int8)"
    "  FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
    "  WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'h', c.relnamespace, count(*), sum({ver}(h)),"
    "  sum(h.inhrelid::int8 * 4096 + h.inhseqno)"
    "  FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class c ON c.oid = h.inhrelid"
    "  WHERE c.relnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'x', x.extnamespace, count(*), sum({ver}(x)), sum(x.oid::int8)"
    "  FROM pg_catalog.pg_extension x GROUP BY 2"
    // Comments are rows of their own: COMMENT ON leaves the object's row as it was. They
    // count for the namespace of the relation, function, type, constraint or schema they
    // describe.
    " UNION ALL SELECT 'm', COALESCE(c.relnamespace, p.pronamespace, t.typnamespace,"
    "   k.connamespace, n.oid), count(*), sum({ver}(m)),"
    "  sum(m.objoid::int8 * 4096 + m.objsubid)"
    "  FROM pg_catalog.pg_description m"
    "  LEFT JOIN pg_catalog.pg_class c ON m.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "   AND c.oid = m.objoid"
    "  LEFT JOIN pg_catalog.pg_proc p ON m.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
    "   AND p.oid = m.objoid"
    "  LEFT JOIN pg_catalog.pg_type t ON m.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass"
    "   AND t.oid = m.objoid"
    "  LEFT JOIN pg_catalog.pg_namespace n"
    "   ON m.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND n.oid = m.objoid"
    "  LEFT JOIN pg_catalog.pg_constraint k"
    "   ON m.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND k.oid = m.objoid"
    "  WHERE COALESCE(c.relnamespace, p.pronamespace, t.typnamespace, k.connamespace, n.oid)"
    "   = ANY ({oids}) GROUP BY 2"
    " ORDER BY 1, 2";

} // namespace

Result<CatalogDigest> catalogDigest(Connection &connection, const SchemaFilter &filter)
{
    const auto failed = [&connection](const Error &error) {
        return Error(error.code, QStringLiteral("reading the catalog digest of %1 failed: %2")
                                     .arg(connection.params().displayTarget(), error.message));
    };
    // The namespaces, with their own row versions (renames, owners, comments on them).
    const Result<QueryResult> namespaces = connection.exec(
        QStringLiteral("SELECT n.oid, n.nspname, n.xmin FROM pg_catalog.pg_namespace n"
                       " ORDER BY n.nspname"));
    if (!namespaces)
        return failed(namespaces.error());

    QCryptographicHash hash(QCryptographicHash::Sha256);
    QStringList accepted;
    for (int r = 0; r < namespaces->rowCount(); ++r) {
        const QString name = namespaces->value(r, 1);
        if (!filter.accepts(name))
            continue;
        accepted.append(namespaces->value(r, 0));
        hash.addData(name.toUtf8());
        hash.addData(QByteArrayView(":"));
        hash.addData(namespaces->rawValue(r, 0));
        hash.addData(QByteArrayView(":"));
        hash.addData(namespaces->rawValue(r, 2));
        hash.addData(QByteArrayView("\n"));
    }
    CatalogDigest digest;
    digest.rows = int(accepted.size());
    if (!accepted.isEmpty()) {
        // OIDs are numbers the server just gave: written into the statement, so that the
        // JIT setting and the query travel as one round trip.
        const bool modern = connection.serverVersionNumber() >= 110000;
        const QString oids = QStringLiteral("'{") + accepted.join(QLatin1Char(',')) +
                             QStringLiteral("}'::pg_catalog.oid[]");
        QString sql = QString::fromLatin1(kSumsSql);
        sql.replace(QStringLiteral("{oids}"), oids);
        // The row version as a number: xid has no cast to an integer type, its text has.
        static const QRegularExpression version(QStringLiteral("\\{ver\\}\\((\\w+)\\)"));
        sql.replace(version, QStringLiteral("\\1.xmin::pg_catalog.text::pg_catalog.int8"));
        if (modern) {
            sql = QStringLiteral(
                      "BEGIN READ ONLY; SELECT pg_catalog.set_config('jit', 'off', true); ") +
                  sql + QStringLiteral("; COMMIT");
        }
        const Result<QueryResult> sums = connection.exec(sql);
        if (!sums) {
            if (modern)
                (void)connection.exec(QStringLiteral("ROLLBACK"));
            return failed(sums.error());
        }
        for (int r = 0; r < sums->rowCount(); ++r) {
            for (int c = 0; c < 5; ++c) {
                hash.addData(sums->rawValue(r, c));
                hash.addData(QByteArrayView(c == 4 ? "\n" : ":"));
            }
            digest.rows += sums->value(r, 2).toInt();
        }
    }
    digest.value = hash.result().toHex();
    return digest;
}

Result<std::optional<QByteArray>> catalogWriteCounters(Connection &connection)
{
    const Result<QueryResult> rows = connection.exec(QStringLiteral(
        "SELECT pg_catalog.current_setting('track_counts')::bool,"
        " pg_catalog.string_agg(s.relname || ':' || s.n_tup_ins || ':' || s.n_tup_upd || ':' ||"
        "  s.n_tup_del, ',' ORDER BY s.relname)"
        " FROM pg_catalog.pg_stat_sys_tables s WHERE s.schemaname = 'pg_catalog' AND s.relname IN"
        " ('pg_namespace', 'pg_class', 'pg_attribute', 'pg_attrdef', 'pg_constraint', 'pg_index',"
        "  'pg_proc', 'pg_type', 'pg_enum', 'pg_trigger', 'pg_policy', 'pg_rewrite',"
        "  'pg_sequence', 'pg_inherits', 'pg_extension', 'pg_description')"));
    if (!rows)
        return Error(rows.error().code,
                     QStringLiteral("reading the catalog statistics of %1 failed: %2")
                         .arg(connection.params().displayTarget(), rows.error().message));
    if (rows->rowCount() != 1 || rows->value(0, 0) != QLatin1String("t"))
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(rows->rawValue(0, 1).toByteArray());
}

} // namespace pd
