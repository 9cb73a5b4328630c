#include "schema/catalogdigest.h"

#include "db/connection.h"

#include <QCryptographicHash>
#include <QStringList>

namespace pd {

namespace {

// One row per catalog row: (its namespace, a hash of what identifies the row version).
// {oids} is the accepted namespace OIDs; {hash}(…{seed}) the hash function
// (hashtextextended(t, 0) from PostgreSQL 11, hashtext(t) before).
const char *const kRowsSql =
    "SELECT c.relnamespace AS nsp, {hash}('c' || c.oid || ':' || c.xmin{seed}) AS h"
    "  FROM pg_catalog.pg_class c WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT c.relnamespace, {hash}('a' || a.attrelid || ':' || a.attnum || ':' || "
    "a.xmin{seed})"
    "  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
    "  WHERE c.relnamespace = ANY ({oids}) AND a.attnum > 0"
    " UNION ALL SELECT c.relnamespace, {hash}('d' || d.oid || ':' || d.xmin{seed})"
    "  FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_class c ON c.oid = d.adrelid"
    "  WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT k.connamespace, {hash}('k' || k.oid || ':' || k.xmin{seed})"
    "  FROM pg_catalog.pg_constraint k WHERE k.connamespace = ANY ({oids})"
    " UNION ALL SELECT c.relnamespace, {hash}('i' || i.indexrelid || ':' || i.xmin{seed})"
    "  FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
    "  WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT p.pronamespace, {hash}('p' || p.oid || ':' || p.xmin{seed})"
    "  FROM pg_catalog.pg_proc p WHERE p.pronamespace = ANY ({oids})"
    " UNION ALL SELECT t.typnamespace, {hash}('t' || t.oid || ':' || t.xmin{seed})"
    "  FROM pg_catalog.pg_type t WHERE t.typnamespace = ANY ({oids})"
    " UNION ALL SELECT t.typnamespace, {hash}('e' || e.oid || ':' || e.xmin{seed})"
    "  FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid"
    "  WHERE t.typnamespace = ANY ({oids})"
    " UNION ALL SELECT c.relnamespace, {hash}('g' || g.oid || ':' || g.xmin{seed})"
    "  FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid"
    "  WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT c.relnamespace, {hash}('y' || y.oid || ':' || y.xmin{seed})"
    "  FROM pg_catalog.pg_policy y JOIN pg_catalog.pg_class c ON c.oid = y.polrelid"
    "  WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT c.relnamespace, {hash}('r' || r.oid || ':' || r.xmin{seed})"
    "  FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class"
    "  WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT c.relnamespace, {hash}('s' || s.seqrelid || ':' || s.xmin{seed})"
    "  FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
    "  WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT c.relnamespace, {hash}('h' || h.inhrelid || ':' || h.inhseqno || ':' || "
    "h.xmin{seed})"
    "  FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class c ON c.oid = h.inhrelid"
    "  WHERE c.relnamespace = ANY ({oids})"
    " UNION ALL SELECT x.extnamespace, {hash}('x' || x.oid || ':' || x.xmin{seed})"
    "  FROM pg_catalog.pg_extension x"
    // Comments are rows of their own: COMMENT ON leaves the object's row as it was. They
    // count for the namespace of the relation, function, type or schema they describe.
    " UNION ALL SELECT COALESCE(c.relnamespace, p.pronamespace, t.typnamespace, n.oid),"
    "  {hash}('m' || m.classoid || ':' || m.objoid || ':' || m.objsubid || ':' || m.xmin{seed})"
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
    "  WHERE COALESCE(c.relnamespace, p.pronamespace, t.typnamespace, n.oid, k.connamespace)"
    "   = ANY ({oids})";

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
        const QString hashFunction = modern ? QStringLiteral("pg_catalog.hashtextextended")
                                            : QStringLiteral("pg_catalog.hashtext");
        QString rows = QString::fromLatin1(kRowsSql);
        rows.replace(QStringLiteral("{oids}"), oids)
            .replace(QStringLiteral("{hash}"), hashFunction)
            .replace(QStringLiteral("{seed}"), modern ? QStringLiteral(", 0") : QString());
        // Order-independent: a sum of the row hashes and their count per namespace, so the
        // server never sorts the rows.
        QString sql =
            QStringLiteral("SELECT nsp, pg_catalog.count(*), pg_catalog.sum(h::pg_catalog.numeric)"
                           " FROM (") +
            rows + QStringLiteral(") AS r GROUP BY nsp ORDER BY nsp");
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
            for (int c = 0; c < 3; ++c) {
                hash.addData(sums->rawValue(r, c));
                hash.addData(QByteArrayView(c == 2 ? "\n" : ":"));
            }
            digest.rows += sums->value(r, 1).toInt();
        }
    }
    digest.value = hash.result().toHex();
    return digest;
}

} // namespace pd
