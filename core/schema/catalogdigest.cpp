#include "schema/catalogdigest.h"

#include "db/connection.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QStringList>

namespace pd {

namespace {

// Per catalog and namespace: how many rows and the sum of their row versions (xmin).
// Integers only, aggregated where they are read: no text is built per row and the server
// never sorts or hashes the rows themselves. Any DDL inserts, updates or deletes catalog
// rows. A delete alone lowers the count; rows inserted or updated carry the writing
// transaction's xmin, newer than that of any row they replace, so with the count the
// same the sum still grows. {oids} is the accepted namespace OIDs.
//
// A row version is summed as its age (pg_catalog.age(xmin): the reference transaction
// minus xmin, an int4 computed without text), and the last row ('~') gives the reference
// itself; the client turns count × reference − sum of ages back into the sum of xmins,
// which does not move while the rows do not. (xmin::text::int8 said the same at twice the
// cost per row.) Rows whose xmin is not a normal transaction (1 for rows written at
// bootstrap, 2 for frozen ones: VACUUM FREEZE, rows from template0) all have the same age,
// the largest int4: they are counted apart (xideqint4, much cheaper per row than taking
// them out with NULLIF) and their ages are taken back out of the sum on the client; their
// xmins are left out — they cannot change without the count of normal rows changing too.
//
// Left out, because the rows they would add are written together with rows counted here:
// pg_index (an index's row is inserted and deleted with its pg_class row, and is otherwise
// only updated for what is not compared — validity, CLUSTER, replica identity); pg_attrdef
// (setting or dropping a default also rewrites the column's pg_attribute row, atthasdef);
// tables' row types and every array type (written with their table or element type); the
// columns of indexes and sequences; the internal triggers behind foreign keys (written
// with their pg_constraint row). A sequence's OWNED BY is a pg_depend row, but ALTER
// SEQUENCE … OWNED BY rewrites the sequence's pg_sequence row too, so pg_depend (the
// largest catalog) is not read.
const char *const kSumsSql =
    // The compared namespaces' relations, read once: their own rows, and the relations the
    // catalogs below hang off (columns, sequences, policies, rules, inheritance), joined
    // (a relation's OID is unique: no de-duplication). One scan of pg_class instead of four.
    "WITH rel AS MATERIALIZED (SELECT c.oid, c.relkind, c.relnamespace, c.xmin"
    "  FROM pg_catalog.pg_class c WHERE c.relnamespace = ANY ({oids}))"
    " SELECT 'c', c.relnamespace, count(*), {ages}(c) FROM rel c GROUP BY 2"
    // Columns of relations that have columns of their own: an index's and a sequence's
    // come and go with their pg_class row (the largest catalog read here: a third less).
    " UNION ALL SELECT 'a', 0, count(*), {ages}(a)"
    "  FROM rel JOIN pg_catalog.pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0"
    "  WHERE rel.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')"
    " UNION ALL SELECT 'k', k.connamespace, count(*), {ages}(k)"
    "  FROM pg_catalog.pg_constraint k WHERE k.connamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'p', p.pronamespace, count(*), {ages}(p)"
    "  FROM pg_catalog.pg_proc p WHERE p.pronamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 't', t.typnamespace, count(*), {ages}(t)"
    "  FROM pg_catalog.pg_type t WHERE t.typnamespace = ANY ({oids}) AND t.typrelid = 0"
    "   AND t.typcategory <> 'A' GROUP BY 2"
    " UNION ALL SELECT 'e', t.typnamespace, count(*), {ages}(e)"
    "  FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid"
    "  WHERE t.typnamespace = ANY ({oids}) GROUP BY 2"
    // Triggers users write count database-wide, without the join to pg_class that cost a
    // twentieth of the digest: one on a table outside the compared schemas makes one
    // needless introspection, never a missed change. (Columns and sequences are not
    // counted so: temporary tables, which applications create all day, have columns and
    // often a serial.)
    " UNION ALL SELECT 'g', 0, count(*), {ages}(g)"
    "  FROM pg_catalog.pg_trigger g WHERE g.tgrelid >= 16384 AND NOT g.tgisinternal"
    " UNION ALL SELECT 'y', 0, count(*), {ages}(y)"
    "  FROM rel JOIN pg_catalog.pg_policy y ON y.polrelid = rel.oid"
    " UNION ALL SELECT 'r', 0, count(*), {ages}(r)"
    "  FROM rel JOIN pg_catalog.pg_rewrite r ON r.ev_class = rel.oid"
    " UNION ALL SELECT 's', 0, count(*), {ages}(s)"
    "  FROM rel JOIN pg_catalog.pg_sequence s ON s.seqrelid = rel.oid"
    " UNION ALL SELECT 'h', 0, count(*), {ages}(h)"
    "  FROM rel JOIN pg_catalog.pg_inherits h ON h.inhrelid = rel.oid"
    " UNION ALL SELECT 'x', x.extnamespace, count(*), {ages}(x)"
    "  FROM pg_catalog.pg_extension x GROUP BY 2"
    // Catalogs with few rows: collations, default privileges (global ones too), event
    // triggers (database-wide).
    " UNION ALL SELECT 'o', o.collnamespace, count(*), {ages}(o)"
    "  FROM pg_catalog.pg_collation o WHERE o.collnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'f', f.defaclnamespace, count(*), {ages}(f)"
    "  FROM pg_catalog.pg_default_acl f"
    "  WHERE f.defaclnamespace = 0 OR f.defaclnamespace = ANY ({oids}) GROUP BY 2"
    " UNION ALL SELECT 'v', 0, count(*), {ages}(v)"
    "  FROM pg_catalog.pg_event_trigger v"
    // Comments are rows of their own: COMMENT ON leaves the object's row as it was. They
    // count database-wide, for every object users create (OIDs from 16384,
    // FirstNormalObjectId) and every schema, public (2200) included, in one scan and
    // without joins: mapping each comment to its object's namespace (a subquery per
    // catalog) cost a scan of pg_class and a tenth of the digest's planning. A comment on
    // an object outside the compared schemas then makes one needless introspection, never
    // a missed change.
    " UNION ALL SELECT 'm', 0, count(*), {ages}(m)"
    "  FROM pg_catalog.pg_description m WHERE m.objoid >= 16384"
    "   OR m.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass"
    // The reference transaction the ages count from (age(3) is the reference minus 3),
    // and the roles' names, which privileges are compared by (a shared catalog: no xmin
    // to read through pg_roles, and a handful of rows).
    " UNION ALL SELECT '~', 0, (SELECT sum(pg_catalog.hashtext(r.rolname::text)::int8 * 4096"
    "   + r.oid::int8) FROM pg_catalog.pg_roles r), 0, pg_catalog.age('3'::pg_catalog.xid)"
    " ORDER BY 1, 2";

// Constant types whose printed value depends on nothing but the constant's bytes (and
// session settings the caller holds equal): no OID hides in them. Built-in type OIDs.
bool constantTypeIsPlain(qint64 type)
{
    switch (type) {
    case 16:
    case 17:
    case 18:
    case 19:
    case 20:
    case 21:
    case 23:
    case 25:
    case 26:
    case 114:
    case 142:
    case 199:
    case 650:
    case 700:
    case 701:
    case 705:
    case 829:
    case 869:
    case 1000:
    case 1005:
    case 1007:
    case 1009:
    case 1014:
    case 1015:
    case 1016:
    case 1021:
    case 1022:
    case 1042:
    case 1043:
    case 1082:
    case 1083:
    case 1114:
    case 1115:
    case 1182:
    case 1184:
    case 1185:
    case 1186:
    case 1231:
    case 1266:
    case 1560:
    case 1562:
    case 1700:
    case 2950:
    case 2951:
    case 3802:
    case 3807:
        return true;
    default:
        return false;
    }
}

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

} // namespace

std::optional<QByteArray> comparableExpressionTree(QByteArrayView tree)
{
    QByteArray out;
    out.reserve(tree.size());
    QByteArrayView field; // the last ":name" seen
    qint64 constantType = -1;
    qsizetype i = 0;
    const qsizetype n = tree.size();
    while (i < n) {
        const char c = tree[i];
        if (isSpace(c)) {
            ++i;
            continue;
        }
        if (c == '"') {
            // A string: copied as it is, escapes and all.
            const qsizetype start = i++;
            while (i < n && tree[i] != '"')
                i += tree[i] == '\\' ? 2 : 1;
            i = qMin(i + 1, n);
            out += tree.sliced(start, i - start);
            out += ' ';
            continue;
        }
        if (c == '{' || c == '}' || c == '(' || c == ')' || c == '[' || c == ']' || c == '<' ||
            c == '>') {
            out += c;
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end < n && !isSpace(tree[end]) && tree[end] != '}' && tree[end] != ')' &&
               tree[end] != ']' && tree[end] != '{' && tree[end] != '"')
            ++end;
        const QByteArrayView token = tree.sliced(i, end - i);
        i = end;
        if (token.startsWith(':')) {
            field = token;
            if (field == ":constvalue" && !constantTypeIsPlain(constantType))
                return std::nullopt;
            if (field != ":location")
                out += token, out += ' ';
            continue;
        }
        bool numeric = false;
        const qint64 number = token.toLongLong(&numeric);
        if (numeric) {
            if (field == ":location")
                continue; // where the expression stood in its source text
            if (field == ":consttype")
                constantType = number;
            // Not an OID: a type modifier (varchar(20000), numeric(12,2)) or a constant's
            // bytes.
            const bool notAnOid = field.endsWith("typmod") || field == ":constvalue";
            if (number >= 10000 && !notAnOid)
                return std::nullopt;
        }
        out += token;
        out += ' ';
    }
    return out;
}

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
        // transaction, the JIT setting and the query travel as one round trip. The ages
        // and their reference must come from one transaction.
        const QString oids = QStringLiteral("'{") + accepted.join(QLatin1Char(',')) +
                             QStringLiteral("}'::pg_catalog.oid[]");
        QString sql = QString::fromLatin1(kSumsSql);
        sql.replace(QStringLiteral("{oids}"), oids);
        // The rows whose xmin is not normal (their age reads as the largest int4), and
        // the sum of all rows' ages.
        static const QRegularExpression ages(QStringLiteral("\\{ages\\}\\((\\w+)\\)"));
        sql.replace(ages, QStringLiteral("count(*) FILTER (WHERE \\1.xmin = 1 OR \\1.xmin = 2),"
                                         " sum(pg_catalog.age(\\1.xmin))"));
        sql =
            QStringLiteral("BEGIN READ ONLY; SELECT pg_catalog.set_config('jit', 'off', true); ") +
            sql + QStringLiteral("; COMMIT");
        const Result<QueryResult> sums = connection.exec(sql);
        if (!sums) {
            (void)connection.exec(QStringLiteral("ROLLBACK"));
            return failed(sums.error());
        }
        // Columns: catalog, namespace, rows, rows whose xmin is not normal, the sum of
        // all rows' ages. The last row ('~') holds the roles and age(3). Transaction IDs
        // count modulo 2^32: once the server has used 2^31 of them, age(3) reads as a
        // negative int4, which still gives the reference modulo 2^32.
        std::optional<quint32> reference;
        for (int r = 0; r < sums->rowCount(); ++r) {
            if (sums->rawValue(r, 0) == "~") {
                reference = quint32(sums->rawValue(r, 4).toLongLong() + 3);
                hash.addData(sums->rawValue(r, 2));
                hash.addData(QByteArrayView("\n"));
            }
        }
        if (!reference)
            return failed(Error(ErrorCode::Runtime, QStringLiteral("no reference transaction")));
        constexpr qint64 kNoAge = 2147483647; // age() of a transaction ID that is not normal
        for (int r = 0; r < sums->rowCount(); ++r) {
            if (sums->rawValue(r, 0) == "~")
                continue;
            const qint64 rows = sums->rawValue(r, 2).toLongLong();
            const qint64 abnormal = sums->rawValue(r, 3).toLongLong();
            const qint64 normalAges = sums->rawValue(r, 4).toLongLong() - abnormal * kNoAge;
            // The sum of the normal rows' xmins, modulo 2^32 as transaction IDs are.
            const quint32 versions =
                quint32(quint64(rows - abnormal) * *reference - quint64(normalAges));
            for (const int c : {0, 1, 2, 3}) {
                hash.addData(sums->rawValue(r, c));
                hash.addData(QByteArrayView(":"));
            }
            hash.addData(QByteArray::number(versions));
            hash.addData(QByteArrayView("\n"));
            digest.rows += int(rows);
        }
    }
    digest.value = hash.result().toHex();
    return digest;
}

// Every catalog the digest reads, and those it leaves out because their rows are written
// together with one it reads (pg_attrdef, pg_index): a change that writes only one of
// them must move a counter. pg_authid holds the roles, whose names the digest reads
// through pg_roles (a shared catalog: its counters are the cluster's).
Result<std::optional<QByteArray>> catalogWriteCounters(Connection &connection)
{
    const Result<QueryResult> rows = connection.exec(QStringLiteral(
        "SELECT pg_catalog.current_setting('track_counts')::bool,"
        " pg_catalog.string_agg(s.relname || ':' || s.n_tup_ins || ':' || s.n_tup_upd || ':' ||"
        "  s.n_tup_del, ',' ORDER BY s.relname)"
        " FROM pg_catalog.pg_stat_sys_tables s WHERE s.schemaname = 'pg_catalog' AND s.relname IN"
        " ('pg_namespace', 'pg_class', 'pg_attribute', 'pg_attrdef', 'pg_constraint', 'pg_index',"
        "  'pg_proc', 'pg_type', 'pg_enum', 'pg_trigger', 'pg_policy', 'pg_rewrite',"
        "  'pg_sequence', 'pg_inherits', 'pg_extension', 'pg_description', 'pg_collation',"
        "  'pg_default_acl', 'pg_event_trigger', 'pg_authid')"));
    if (!rows)
        return Error(rows.error().code,
                     QStringLiteral("reading the catalog statistics of %1 failed: %2")
                         .arg(connection.params().displayTarget(), rows.error().message));
    if (rows->rowCount() != 1 || rows->value(0, 0) != QLatin1String("t"))
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(rows->rawValue(0, 1).toByteArray());
}

} // namespace pd
