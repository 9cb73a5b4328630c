#include "schema/introspector.h"

#include "db/connection.h"
#include "schema/identifiers.h"
#include "schema/viewdefinition.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <algorithm>

namespace pd {

namespace {

// Catalog OIDs are fixed in every PostgreSQL release (pg_*.h "CATALOG(…, oid)").
constexpr uint kPgType = 1247;
constexpr uint kPgProc = 1255;
constexpr uint kPgClass = 1259;
constexpr uint kPgAttrdef = 2604;
constexpr uint kPgConstraint = 2606;
constexpr uint kPgRewrite = 2618;
constexpr uint kPgTrigger = 2620;
constexpr uint kPgNamespace = 2615;
constexpr uint kPgExtension = 3079;
constexpr uint kPgPolicy = 3256;
constexpr uint kPgCollation = 3456;
constexpr uint kPgEventTrigger = 3466;

QString descriptionJoin(const QString &alias, const QString &catalog, const QString &oidExpr,
                        const QString &subIdExpr = QStringLiteral("0"))
{
    return QStringLiteral(" LEFT JOIN pg_catalog.pg_description %1 ON %1.objoid = %2"
                          " AND %1.classoid = 'pg_catalog.%3'::pg_catalog.regclass"
                          " AND %1.objsubid = %4 ")
        .arg(alias, oidExpr, catalog, subIdExpr);
}

// A decimal integer column as libpq sends it, without QByteArrayView::toUInt's general
// parser: pg_depend alone is six numbers a row on tens of thousands of rows.
template<typename T> T decimal(QByteArrayView text)
{
    const bool negative = !text.isEmpty() && text.front() == '-';
    T value = 0;
    for (qsizetype i = negative ? 1 : 0; i < text.size(); ++i)
        value = T(value * 10 + T(text.at(i) - '0'));
    return negative ? T(0) - value : value;
}

// The items of a list the server prints with one separator and no quoting: an int2vector
// or oidvector ("1 2"), string_agg() of numbers.
QList<QByteArrayView> vectorItems(QByteArrayView text, char separator = ' ')
{
    QList<QByteArrayView> items;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text.at(i) == separator) {
            if (i > start)
                items << text.sliced(start, i - start);
            start = i + 1;
        }
    }
    return items;
}

quint64 key(uint catalog, uint oid)
{
    return (quint64(catalog) << 32) | oid;
}

quint64 columnKey(uint relation, int attnum)
{
    return (quint64(relation) << 32) | uint(attnum);
}

// ["schema", "table", "column"] → schema.table.column, quoted by our own rules so the
// text matches the object ids it refers to (the server's quote_ident may know fewer
// keywords than we do).
QString quotedPath(const QString &json)
{
    if (json.isEmpty())
        return {};
    QStringList parts;
    for (const QJsonValue &part : QJsonDocument::fromJson(json.toUtf8()).array())
        parts << quoteIdent(part.toString());
    return parts.join(QLatin1Char('.'));
}

// The privileges an ACL grants to others than the owner, as JSON
// [[grantee or null for PUBLIC, privilege, grantable], …]; NULL while the ACL is the
// built-in default (the caller knows that one). The owner's own privileges are not
// compared: owners are not.
QString aclJson(const QString &acl, const QString &owner)
{
    return QStringLiteral(
               "CASE WHEN %1 IS NOT NULL THEN (SELECT COALESCE(pg_catalog.json_agg("
               "pg_catalog.json_build_array(CASE WHEN x.grantee <> 0 THEN"
               " pg_catalog.pg_get_userbyid(x.grantee) END, x.privilege_type, x.is_grantable))"
               "::text, '[]') FROM pg_catalog.aclexplode(%1) x WHERE x.grantee <> %2) END")
        .arg(acl, owner);
}

// The columns of one result, found by name once per result rather than by position, so a
// query's select list can change without shifting what the code reads. A name the query
// does not return is a mistake in this file: the read fails naming it (so any test that
// introspects sees it), rather than reading another column or out of bounds.
class Columns final
{
public:
    explicit Columns(const QueryResult &rows)
        : m_rows(rows)
    {
    }

    int operator()(const char *name)
    {
        const int index = m_rows.columnIndex(QLatin1String(name));
        if (index < 0)
            m_missing << QLatin1String(name);
        return index;
    }

    // Call once every column is looked up, before reading a row.
    Result<void> check() const
    {
        if (m_missing.isEmpty())
            return {};
        return Error(ErrorCode::Runtime,
                     QStringLiteral("reading the schema failed: a catalog query returned no "
                                    "column %1 (columns: %2)")
                         .arg(m_missing.join(QStringLiteral(", ")),
                              m_rows.columns().join(QStringLiteral(", "))));
    }

private:
    const QueryResult &m_rows;
    QStringList m_missing;
};

// One attribute per grantee: "grant bob" = "INSERT, SELECT*" (* = WITH GRANT OPTION),
// roles matched by name. `builtIn…` is what a NULL ACL grants (PUBLIC: EXECUTE).
void setPrivileges(SchemaObject &object, const QueryResult &rows, int r, int column,
                   const QString &builtInGrantee = {}, const QString &builtInPrivilege = {})
{
    QMap<QString, QStringList> grants;
    if (rows.isNull(r, column)) {
        if (!builtInGrantee.isEmpty())
            grants[builtInGrantee] << builtInPrivilege;
    } else {
        for (const QJsonValue &entry :
             QJsonDocument::fromJson(rows.value(r, column).toUtf8()).array()) {
            const QJsonArray item = entry.toArray();
            const QString grantee =
                item.at(0).isNull() ? QStringLiteral("PUBLIC") : quoteIdent(item.at(0).toString());
            grants[grantee] << item.at(1).toString() +
                                   (item.at(2).toBool() ? QStringLiteral("*") : QString());
        }
    }
    for (auto it = grants.begin(); it != grants.end(); ++it) {
        it->sort();
        object.setGrant(it.key(), it->join(QStringLiteral(", ")));
    }
}

// A column read, for the definitions put together from names (Reader::columnList()).
struct ColumnInfo
{
    QString id;
    QString name; // shared with the column's own
    uint type = 0;
    uint collation = 0;
};

struct RelationInfo
{
    QString schema;
    QString name;
    QString id;
    char kind = 'r';
};

struct KeyColumns;
struct IndexColumns;

class Reader final
{
public:
    Reader(Connection &connection, const SchemaFilter &filter)
        : m_connection(connection)
        , m_filter(filter)
    {
    }

    Result<SchemaSnapshot> run();

private:
    Result<QueryResult> query(const QString &sql);
    // With these parameters (the namespaces are not bound).
    Result<QueryResult> query(const QString &sql, const QStringList &params);
    Result<void> readSchemas();
    Result<void> readExtensions();
    Result<void> readCollations();
    Result<void> readTypes();
    Result<void> readRelations();
    Result<void> readColumns();
    Result<void> readConstraints();
    Result<void> readIndexes();
    Result<void> readFunctions();
    Result<void> readTriggers();
    Result<void> readPolicies();
    Result<void> readEventTriggers();
    Result<void> readDefaultPrivileges();
    Result<void> readDependencies();
    Result<void> readNotCompared();
    void addStructuralDependencies();

    void add(SchemaObject object, uint catalog, uint oid)
    {
        const QString id = object.id();
        add(std::move(object), catalog, oid, id);
    }
    // With the id the caller already made (one string shared by every index, not two).
    void add(SchemaObject object, uint catalog, uint oid, const QString &id)
    {
        if (oid != 0)
            m_ids.insert(key(catalog, oid), id);
        const auto it = m_snapshot.objects.insert(id, std::move(object));
        // The map is not shared while it is built, so its nodes (and these pointers) stay put.
        m_byId.insert(id, &it.value());
    }
    QString resolve(uint catalog, uint oid, int subId) const;
    // Room for `rows` more objects (and as many aliases) before a large query's rows are
    // added: the hashes grow once instead of rehashing their way up.
    void reserve(qsizetype rows)
    {
        m_byId.reserve(m_byId.size() + rows);
        m_ids.reserve(m_ids.size() + rows);
    }
    // "AND NOT <object is a member of an extension>", from the members readSchemas() read
    // once: asked of pg_depend in every query, the server scanned all of it each time (a
    // hashed subplan; a fifth of the relation query at 5,000 tables). Empty when the
    // filter keeps extension members or the catalog has none.
    QString notExtensionMember(const QString &catalog, const QString &oidExpr) const
    {
        const QStringList oids = m_extensionMemberOids.value(catalog);
        if (!m_filter.excludeExtensionObjects || oids.isEmpty())
            return QStringLiteral(" ");
        return QStringLiteral(" AND NOT (%1 = ANY('{%2}'::pg_catalog.oid[])) ")
            .arg(oidExpr, oids.join(QLatin1Char(',')));
    }

    // Definitions put together here rather than deparsed by the server (one catalog
    // lookup per column and table there): the text pg_get_constraintdef() would print,
    // or a null string where a name it needs was not read.
    QString serverQuoted(const QString &name) const;
    QString columnName(uint relation, int attnum) const;
    QString columnList(uint relation, QByteArrayView attnums) const;
    QString keyConstraintDefinition(const QueryResult &rows, int r, const KeyColumns &c) const;
    QString plainIndexDefinition(const QueryResult &rows, int r, const IndexColumns &c) const;
    QByteArray sharedCheckKey(uint relation, QByteArrayView tree, QByteArrayView attnums) const;
    Result<void> deparseLeftOver(const QHash<uint, QStringList> &constraints,
                                 const QHash<uint, QStringList> &indexes);

    Connection &m_connection;
    const SchemaFilter &m_filter;
    // The server's keywords that quote_ident() quotes, and quote_all_identifiers.
    QSet<QString> m_serverKeywords;
    bool m_quoteAll = false;
    QString m_extensions; // JSON, from readSchemas() for readExtensions()
    // Strings that repeat across a snapshot (column names, default expressions), each
    // kept once and shared by every object that has it.
    QSet<QString> m_names;
    // Attribute sets many objects have alike ({type: integer, not_null: true}), each kept
    // once and shared (copy on write) by every column or default that has it: the maps
    // were a fifth of a large snapshot's memory.
    void shareAttributes(SchemaObject &object)
    {
        const QMap<QString, QString> &attributes = object.attributes();
        size_t hash = 0;
        for (auto it = attributes.cbegin(); it != attributes.cend(); ++it) {
            // Comments and grants are rarely alike: keeping them here would only cost memory.
            if (it.key() == u"comment" || SchemaObject::isGrantKey(it.key()))
                return;
            hash = qHashMulti(hash, it.key(), it.value());
        }
        for (auto it = m_attributeSets.constFind(hash);
             it != m_attributeSets.cend() && it.key() == hash; ++it) {
            if (it.value() == attributes) {
                object.setAttributes(it.value());
                return;
            }
        }
        m_attributeSets.insert(hash, attributes);
    }
    QMultiHash<size_t, QMap<QString, QString>> m_attributeSets;
    // Constraints whose definition the server deparses after all (oid → the ids that read
    // so), asked together with the indexes' in readIndexes(): one query for both.
    QHash<uint, QStringList> m_constraintsLeftOver;
    // Default operator classes: oid → (access method, input type).
    QHash<uint, std::pair<uint, uint>> m_defaultOperatorClasses;
    SchemaSnapshot m_snapshot;
    QString m_namespaces; // "{oid,oid,…}" — the $1 of every query
    QHash<uint, QString> m_schemaNames;
    QHash<uint, RelationInfo> m_relations;
    QHash<quint64, QString> m_ids;              // (catalog, oid) → object id
    QHash<quint64, ColumnInfo> m_columns;       // (relation, attnum) → column
    QHash<quint64, QString> m_extensionMembers; // (catalog, oid) → extension id
    // Catalog name ("pg_proc") → OIDs of its rows that belong to an extension.
    QHash<QString, QStringList> m_extensionMemberOids;
    // Object id → its node in m_snapshot.objects: hashing an id is cheaper than comparing
    // it along a map path, and ids share long prefixes ("column public.orders.").
    QHash<QString, SchemaObject *> m_byId;
};

Result<QueryResult> Reader::query(const QString &sql)
{
    // $1: the accepted namespace OIDs. The server must be able to infer every parameter's
    // type, so it is bound only where the query uses it.
    QStringList params;
    if (sql.contains(QStringLiteral("$1")))
        params << m_namespaces;
    return query(sql, params);
}

Result<QueryResult> Reader::query(const QString &sql, const QStringList &params)
{
    ++m_snapshot.queryCount;
    Result<QueryResult> result = m_connection.exec(sql, params);
    if (!result)
        return Error(result.error().code,
                     QStringLiteral("reading the schema of %1 failed: %2")
                         .arg(m_connection.params().displayTarget(), result.error().message));
    return result;
}

Result<SchemaSnapshot> Reader::run()
{
    m_snapshot.serverVersionNumber = m_connection.serverVersionNumber();
    m_snapshot.serverVersion = m_connection.serverVersion();
    m_snapshot.database = m_connection.params().dbname;

    // Session state we change is local to the transaction and undone by its end.
    // JIT off: the catalog queries' cost estimates pass jit_above_cost at a few thousand
    // tables, and compiling them costs more than it saves (about 60 ms of the column query
    // alone at 5,000 tables). PostgreSQL 11 added the setting.
    const QString jitOff = m_snapshot.serverVersionNumber >= 110000
                               ? QStringLiteral(", pg_catalog.set_config('jit', 'off', true)")
                               : QString();
    const Result<QueryResult> begun =
        m_connection.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
                                         " SELECT pg_catalog.set_config('search_path', '', true)") +
                          jitOff);
    if (!begun)
        return begun.error();
    // With an empty search_path every deparsed name comes out schema-qualified, so the
    // definitions are comparable between databases and replayable anywhere.
    const auto steps = {&Reader::readSchemas,           &Reader::readExtensions,
                        &Reader::readCollations,        &Reader::readTypes,
                        &Reader::readRelations,         &Reader::readColumns,
                        &Reader::readConstraints,       &Reader::readIndexes,
                        &Reader::readFunctions,         &Reader::readTriggers,
                        &Reader::readPolicies,          &Reader::readEventTriggers,
                        &Reader::readDefaultPrivileges, &Reader::readDependencies,
                        &Reader::readNotCompared};
    for (const auto step : steps) {
        const Result<void> done = (this->*step)();
        if (!done) {
            (void)m_connection.exec(QStringLiteral("ROLLBACK"));
            return done.error();
        }
    }
    (void)m_connection.exec(QStringLiteral("COMMIT"));
    // What only the catalog reads needed goes before the snapshot's last growth: the
    // peak memory of a large introspection is reached there.
    m_ids = {};
    m_columns = {};
    m_extensionMembers = {};
    m_extensionMemberOids = {};
    m_attributeSets = {};
    m_names = {};
    addStructuralDependencies();
    return std::move(m_snapshot);
}

Result<void> Reader::readSchemas()
{
    // Filtering by name happens here, in C++, so glob patterns need no SQL translation;
    // every later query takes the accepted namespace OIDs as $1.
    ++m_snapshot.queryCount;
    const Result<QueryResult> rows = m_connection.exec(
        QStringLiteral(
            "SELECT n.oid, n.nspname, d.description,"
            " EXISTS (SELECT 1 FROM pg_catalog.pg_depend e"
            "  WHERE e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass"
            "  AND e.objid = n.oid AND e.deptype = 'e') AS member,"
            // Every extension member, once (the same on each row): "catalog:oid,…".
            " (SELECT pg_catalog.string_agg(e.classid::pg_catalog.regclass::text"
            "   || ':' || e.objid, ',') FROM pg_catalog.pg_depend e"
            "  WHERE e.deptype = 'e') AS members,"
            // What this server's quote_ident() quotes (serverQuoted()), once.
            " (SELECT pg_catalog.string_agg(k.word, ',') FROM pg_catalog.pg_get_keywords() k"
            "  WHERE k.catcode <> 'U') AS keywords,"
            " pg_catalog.current_setting('quote_all_identifiers') AS quoteall,"
            // Default operator classes, for plainIndexDefinition(): oid:am:type,…
            " (SELECT pg_catalog.string_agg(oc.oid || ':' || oc.opcmethod || ':' ||"
            "   oc.opcintype, ',') FROM pg_catalog.pg_opclass oc WHERE oc.opcdefault)"
            "  AS opclasses,"
            // The extensions, for readExtensions(): one query fewer.
            " (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(x.oid::pg_catalog.int8,"
            "   x.extnamespace::pg_catalog.int8,"
            "   x.extname, x.extversion, xn.nspname, xd.description))::text"
            "  FROM pg_catalog.pg_extension x"
            "  JOIN pg_catalog.pg_namespace xn ON xn.oid = x.extnamespace") +
        descriptionJoin(QStringLiteral("xd"), QStringLiteral("pg_extension"),
                        QStringLiteral("x.oid")) +
        QStringLiteral(") AS extensions, ") +
        aclJson(QStringLiteral("n.nspacl"), QStringLiteral("n.nspowner")) +
        QStringLiteral(" AS acl FROM pg_catalog.pg_namespace n") +
        descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_namespace"),
                        QStringLiteral("n.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), nameColumn = field("nspname"),
              commentColumn = field("description"), memberColumn = field("member"),
              membersColumn = field("members"), aclColumn = field("acl"),
              keywordsColumn = field("keywords"), quoteAllColumn = field("quoteall"),
              opclassesColumn = field("opclasses"), extensionsColumn = field("extensions");
    if (const Result<void> found = field.check(); !found)
        return found;
    if (rows->rowCount() > 0) {
        for (const QString &word : rows->value(0, keywordsColumn).split(QLatin1Char(',')))
            m_serverKeywords.insert(word);
        m_quoteAll = rows->rawValue(0, quoteAllColumn) == "on";
        m_extensions = rows->value(0, extensionsColumn);
        for (const QByteArrayView opclass : vectorItems(rows->rawValue(0, opclassesColumn), ',')) {
            const QList<QByteArrayView> parts = vectorItems(opclass, ':');
            if (parts.size() == 3)
                m_defaultOperatorClasses.insert(
                    decimal<uint>(parts.at(0)),
                    std::pair(decimal<uint>(parts.at(1)), decimal<uint>(parts.at(2))));
        }
    }
    if (rows->rowCount() > 0 && !rows->isNull(0, membersColumn)) {
        for (const QString &member : rows->value(0, membersColumn).split(QLatin1Char(','))) {
            // regclass prints pg_catalog's tables unqualified (pg_catalog is always searched).
            const qsizetype colon = member.lastIndexOf(QLatin1Char(':'));
            QString catalog = member.left(colon);
            if (catalog.startsWith(QLatin1String("pg_catalog.")))
                catalog.remove(0, 11);
            m_extensionMemberOids[catalog] << member.mid(colon + 1);
        }
    }
    QStringList oids;
    for (int r = 0; r < rows->rowCount(); ++r) {
        const QString name = rows->value(r, nameColumn);
        if (!m_filter.accepts(name))
            continue;
        if (m_filter.excludeExtensionObjects && rows->rawValue(r, memberColumn) == "t")
            continue;
        SchemaObject schema;
        schema.kind = ObjectKind::Schema;
        schema.name = name;
        schema.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        setPrivileges(schema, *rows, r, aclColumn);
        const uint oid = rows->rawValue(r, oidColumn).toUInt();
        oids << rows->value(r, oidColumn);
        m_schemaNames.insert(oid, name);
        add(std::move(schema), kPgNamespace, oid);
    }
    m_namespaces = QLatin1Char('{') + oids.join(QLatin1Char(',')) + QLatin1Char('}');
    return {};
}

Result<void> Reader::readExtensions()
{
    // Read with the schemas: [[oid, namespace, name, version, schema, comment], …].
    for (const QJsonValue &row : QJsonDocument::fromJson(m_extensions.toUtf8()).array()) {
        const QJsonArray item = row.toArray();
        if (!m_schemaNames.contains(uint(item.at(1).toDouble())))
            continue; // a schema the filter leaves out
        SchemaObject extension;
        extension.kind = ObjectKind::Extension;
        extension.name = item.at(2).toString();
        extension.setAttribute(Attr::Version, item.at(3).toString());
        extension.setAttribute(Attr::Schema, item.at(4).toString());
        extension.setAttributeUnlessEmpty(Attr::Comment, item.at(5).toString());
        add(std::move(extension), kPgExtension, uint(item.at(0).toDouble()));
    }
    m_extensions.clear();
    return {};
}

Result<void> Reader::readCollations()
{
    // Where the provider's locale lives moved between majors: ICU collations kept it in
    // collcollate before 15, colliculocale from 15, colllocale from 17 (which also has the
    // builtin provider); ICU tailoring rules exist from 16.
    const int version = m_snapshot.serverVersionNumber;
    const QString locale = version >= 170000   ? QStringLiteral("c.colllocale")
                           : version >= 150000 ? QStringLiteral("c.colliculocale")
                                               : QStringLiteral("c.collcollate");
    const QString rules =
        version >= 160000 ? QStringLiteral("c.collicurules") : QStringLiteral("NULL::text");
    const Result<QueryResult> rows =
        query(QStringLiteral(
                  "SELECT c.oid, c.collnamespace, c.collname, c.collprovider,"
                  " c.collisdeterministic, c.collcollate, c.collctype, %1 AS locale, %2 AS rules,"
                  " d.description"
                  " FROM pg_catalog.pg_collation c")
                  .arg(locale, rules) +
              descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_collation"),
                              QStringLiteral("c.oid")) +
              QStringLiteral(" WHERE c.collnamespace = ANY($1::pg_catalog.oid[])") +
              notExtensionMember(QStringLiteral("pg_collation"), QStringLiteral("c.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), schemaColumn = field("collnamespace"),
              nameColumn = field("collname"), providerColumn = field("collprovider"),
              deterministicColumn = field("collisdeterministic"),
              collateColumn = field("collcollate"), ctypeColumn = field("collctype"),
              localeColumn = field("locale"), rulesColumn = field("rules"),
              commentColumn = field("description");
    if (const Result<void> found = field.check(); !found)
        return found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        SchemaObject collation;
        collation.kind = ObjectKind::Collation;
        collation.schema = m_schemaNames.value(rows->rawValue(r, schemaColumn).toUInt());
        collation.name = rows->value(r, nameColumn);
        const QByteArrayView provider = rows->rawValue(r, providerColumn);
        QStringList options;
        if (provider == "i") {
            options << QStringLiteral("provider = icu")
                    << QStringLiteral("locale = ") + quoteLiteral(rows->value(r, localeColumn));
            if (!rows->isNull(r, rulesColumn))
                options << QStringLiteral("rules = ") + quoteLiteral(rows->value(r, rulesColumn));
        } else if (provider == "b") {
            options << QStringLiteral("provider = builtin")
                    << QStringLiteral("locale = ") + quoteLiteral(rows->value(r, localeColumn));
        } else {
            options << QStringLiteral("provider = libc")
                    << QStringLiteral("lc_collate = ") + quoteLiteral(rows->value(r, collateColumn))
                    << QStringLiteral("lc_ctype = ") + quoteLiteral(rows->value(r, ctypeColumn));
        }
        if (rows->rawValue(r, deterministicColumn) == "f")
            options << QStringLiteral("deterministic = false");
        collation.setAttribute(Attr::Definition,
                               QStringLiteral("CREATE COLLATION ") + collation.qualifiedName() +
                                   QStringLiteral(" (") + options.join(QStringLiteral(", ")) +
                                   QLatin1Char(')'));
        collation.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        add(std::move(collation), kPgCollation, rows->rawValue(r, oidColumn).toUInt());
    }
    return {};
}

// The multirange type PostgreSQL names by itself for a range (makeMultirangeTypeName):
// "range" replaced by "multirange" the first time it occurs, or "_multirange" appended.
QString defaultMultirangeName(const QString &range)
{
    const qsizetype at = range.indexOf(QStringLiteral("range"));
    if (at < 0)
        return range + QStringLiteral("_multirange");
    QString name = range;
    name.replace(at, 5, QStringLiteral("multirange"));
    return name;
}

Result<void> Reader::readTypes()
{
    const Result<QueryResult> rows = query(
        QStringLiteral(
            "SELECT t.oid, t.typarray, t.typnamespace, t.typname, t.typtype, t.typrelid,"
            " CASE WHEN t.typtype = 'e' THEN (SELECT pg_catalog.array_to_json("
            "   pg_catalog.array_agg(e.enumlabel ORDER BY e.enumsortorder))::text"
            "   FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) END AS labels,"
            " CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)"
            "   END AS basetype,"
            " t.typnotnull, pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS typdefault,"
            " CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN"
            "   (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || "
            "pg_catalog.quote_ident(co.collname)"
            "    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn"
            "    ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END AS collation,"
            " CASE WHEN t.typtype = 'c' THEN (SELECT pg_catalog.string_agg("
            "   pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, "
            "a.atttypmod)"
            "   || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' ||"
            "     (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || "
            "pg_catalog.quote_ident(co.collname)"
            "      FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn"
            "      ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' END,"
            "   ', ' ORDER BY a.attnum)"
            "   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid"
            "   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END AS "
            "attrs,"
            " d.description,"
            // Range types: the subtype and what CREATE TYPE … AS RANGE was given besides
            // the defaults; multiranges (14+) belong to their range.
            " pg_catalog.format_type(rg.rngsubtype, NULL) AS subtype,"
            " CASE WHEN NOT ro.opcdefault THEN pg_catalog.quote_ident(ron.nspname) || '.' ||"
            "   pg_catalog.quote_ident(ro.opcname) END AS opclass,"
            " CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation <> st.typcollation THEN"
            "   (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || "
            "pg_catalog.quote_ident(co.collname)"
            "    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn"
            "    ON cn.oid = co.collnamespace WHERE co.oid = rg.rngcollation) END AS rngcollation,"
            " NULLIF(rg.rngcanonical::pg_catalog.oid, 0)::pg_catalog.regproc::text AS canonical,"
            " NULLIF(rg.rngsubdiff::pg_catalog.oid, 0)::pg_catalog.regproc::text AS subdiff,") +
        (m_snapshot.serverVersionNumber >= 140000
             ? QStringLiteral(" mt.oid AS multirange, mt.typarray AS multirangearray,"
                              " mtn.nspname AS multirangeschema, mt.typname AS multirangename")
             : QStringLiteral(" NULL::pg_catalog.oid AS multirange,"
                              " NULL::pg_catalog.oid AS multirangearray,"
                              " NULL::name AS multirangeschema, NULL::name AS multirangename")) +
        QStringLiteral(", ") + aclJson(QStringLiteral("t.typacl"), QStringLiteral("t.typowner")) +
        QStringLiteral(" AS acl FROM pg_catalog.pg_type t"
                       " LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype"
                       " LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid"
                       " LEFT JOIN pg_catalog.pg_range rg ON rg.rngtypid = t.oid"
                       " LEFT JOIN pg_catalog.pg_type st ON st.oid = rg.rngsubtype"
                       " LEFT JOIN pg_catalog.pg_opclass ro ON ro.oid = rg.rngsubopc"
                       " LEFT JOIN pg_catalog.pg_namespace ron ON ron.oid = ro.opcnamespace") +
        (m_snapshot.serverVersionNumber >= 140000
             ? QStringLiteral(" LEFT JOIN pg_catalog.pg_type mt ON mt.oid = rg.rngmultitypid"
                              " LEFT JOIN pg_catalog.pg_namespace mtn ON mtn.oid = mt.typnamespace")
             : QString()) +
        descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_type"), QStringLiteral("t.oid")) +
        QStringLiteral(
            " WHERE t.typnamespace = ANY($1::pg_catalog.oid[])"
            " AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND rc.relkind = 'c'))") +
        notExtensionMember(QStringLiteral("pg_type"), QStringLiteral("t.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), arrayColumn = field("typarray"),
              schemaColumn = field("typnamespace"), nameColumn = field("typname"),
              typtypeColumn = field("typtype"), relationColumn = field("typrelid"),
              labelsColumn = field("labels"), baseTypeColumn = field("basetype"),
              notNullColumn = field("typnotnull"), defaultColumn = field("typdefault"),
              collationColumn = field("collation"), attributesColumn = field("attrs"),
              commentColumn = field("description"), subtypeColumn = field("subtype"),
              opclassColumn = field("opclass"), rangeCollationColumn = field("rngcollation"),
              canonicalColumn = field("canonical"), subdiffColumn = field("subdiff"),
              multirangeColumn = field("multirange"),
              multirangeArrayColumn = field("multirangearray"),
              multirangeSchemaColumn = field("multirangeschema"),
              multirangeNameColumn = field("multirangename"), aclColumn = field("acl");
    if (const Result<void> found = field.check(); !found)
        return found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        SchemaObject type;
        type.schema = m_schemaNames.value(rows->rawValue(r, schemaColumn).toUInt());
        type.name = rows->value(r, nameColumn);
        const QString typtype = rows->value(r, typtypeColumn);
        if (typtype == u"e") {
            type.kind = ObjectKind::Enum;
            const QJsonArray labels =
                QJsonDocument::fromJson(rows->value(r, labelsColumn).toUtf8()).array();
            QStringList quoted;
            for (const QJsonValue &label : labels) {
                type.elements << label.toString();
                quoted << quoteLiteral(label.toString());
            }
            type.setAttribute(Attr::Values, quoted.join(QStringLiteral(", ")));
        } else if (typtype == u"d") {
            type.kind = ObjectKind::Domain;
            type.setAttribute(Attr::Type, rows->value(r, baseTypeColumn));
            if (rows->rawValue(r, notNullColumn) == "t")
                type.setAttribute(Attr::NotNull, QStringLiteral("true"));
            type.setAttributeUnlessEmpty(Attr::Default, rows->value(r, defaultColumn));
            type.setAttributeUnlessEmpty(Attr::Collation, rows->value(r, collationColumn));
        } else if (typtype == u"r") {
            type.kind = ObjectKind::RangeType;
            QStringList options{QStringLiteral("SUBTYPE = ") + rows->value(r, subtypeColumn)};
            if (!rows->isNull(r, opclassColumn))
                options << QStringLiteral("SUBTYPE_OPCLASS = ") + rows->value(r, opclassColumn);
            if (!rows->isNull(r, rangeCollationColumn))
                options << QStringLiteral("COLLATION = ") + rows->value(r, rangeCollationColumn);
            if (!rows->isNull(r, canonicalColumn))
                options << QStringLiteral("CANONICAL = ") + rows->value(r, canonicalColumn);
            if (!rows->isNull(r, subdiffColumn))
                options << QStringLiteral("SUBTYPE_DIFF = ") + rows->value(r, subdiffColumn);
            // Named only when it is not the name the server would choose: the same
            // definition then reads the same on 13 (no multiranges) and later.
            const QString multirangeSchema = rows->value(r, multirangeSchemaColumn);
            const QString multirangeName = rows->value(r, multirangeNameColumn);
            if (!rows->isNull(r, multirangeColumn) &&
                (multirangeSchema != type.schema ||
                 multirangeName != defaultMultirangeName(type.name)))
                options << QStringLiteral("MULTIRANGE_TYPE_NAME = ") +
                               pd::qualifiedName(multirangeSchema, multirangeName);
            type.setAttribute(Attr::Definition,
                              QStringLiteral("CREATE TYPE ") + type.qualifiedName() +
                                  QStringLiteral(" AS RANGE (") +
                                  options.join(QStringLiteral(", ")) + QLatin1Char(')'));
        } else {
            type.kind = ObjectKind::CompositeType;
            type.setAttribute(Attr::Attributes, rows->value(r, attributesColumn));
        }
        type.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        setPrivileges(type, *rows, r, aclColumn, QStringLiteral("PUBLIC"), QStringLiteral("USAGE"));
        if (!rows->isNull(r, multirangeColumn)) {
            // Columns and functions of the multirange type (or its array) need the range.
            m_ids.insert(key(kPgType, rows->rawValue(r, multirangeColumn).toUInt()), type.id());
            m_ids.insert(key(kPgType, rows->rawValue(r, multirangeArrayColumn).toUInt()),
                         type.id());
        }
        const QString id = type.id();
        m_ids.insert(key(kPgType, rows->rawValue(r, arrayColumn).toUInt()), id); // the array type
        if (type.kind == ObjectKind::CompositeType)
            m_ids.insert(key(kPgClass, rows->rawValue(r, relationColumn).toUInt()), id);
        add(std::move(type), kPgType, rows->rawValue(r, oidColumn).toUInt());
    }
    return {};
}

Result<void> Reader::readRelations()
{
    const Result<QueryResult> rows = query(
        QStringLiteral(
            "SELECT c.oid, c.relnamespace, c.relname, c.relkind, c.relpersistence,"
            " c.relrowsecurity, c.relforcerowsecurity, c.relispartition,"
            " CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,"
            " CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END"
            "   AS partbound,"
            " (SELECT pg_catalog.json_build_array(pn.nspname, pc.relname)::text"
            "   FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent"
            "   JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
            "   WHERE i.inhrelid = c.oid AND c.relispartition) AS parent,"
            " (SELECT pg_catalog.string_agg(o, ', ' ORDER BY o)"
            "   FROM pg_catalog.unnest(c.reloptions) o) AS options,"
            " CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS "
            "viewdef,"
            // Joined rather than looked up per row: one hash join instead of 10,000 index
            // probes at 5,000 tables. Only views have a _RETURN rule.
            " c.reltype, rt.typarray,"
            " CASE WHEN c.relkind IN ('v', 'm') THEN"
            "   (SELECT r.oid FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid"
            "   AND r.rulename = '_RETURN') END AS rule,"
            " d.description,"
            " pg_catalog.format_type(s.seqtypid, NULL) AS seqtype, s.seqstart, s.seqincrement,"
            " s.seqmax, s.seqmin, s.seqcache, s.seqcycle,"
            " (SELECT pg_catalog.json_build_array(on_.nspname, oc.relname, oa.attname)::text"
            "   FROM pg_catalog.pg_depend od"
            "   JOIN pg_catalog.pg_class oc ON oc.oid = od.refobjid"
            "   JOIN pg_catalog.pg_namespace on_ ON on_.oid = oc.relnamespace"
            "   JOIN pg_catalog.pg_attribute oa ON oa.attrelid = od.refobjid"
            "     AND oa.attnum = od.refobjsubid"
            "   WHERE od.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND od.objid = c.oid"
            "   AND od.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
            "   AND od.deptype = 'a' AND c.relkind = 'S' LIMIT 1) AS ownedby,"
            " (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(pn.nspname, "
            "pc.relname))::text"
            "   FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent"
            "   JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
            "   WHERE i.inhrelid = c.oid AND NOT c.relispartition AND c.relkind IN ('r', 'p'))"
            "   AS inherits, ") +
        aclJson(QStringLiteral("c.relacl"), QStringLiteral("c.relowner")) +
        QStringLiteral(" AS acl FROM pg_catalog.pg_class c"
                       " LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid"
                       " LEFT JOIN pg_catalog.pg_type rt ON rt.oid = c.reltype") +
        descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_class"), QStringLiteral("c.oid")) +
        QStringLiteral(" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')"
                       " AND c.relnamespace = ANY($1::pg_catalog.oid[])"
                       // An identity column's sequence belongs to the column: left out here,
                       // before its owner is looked up (a join per sequence).
                       " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend od"
                       "   WHERE od.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                       "   AND od.objid = c.oid AND od.deptype = 'i'))") +
        notExtensionMember(QStringLiteral("pg_class"), QStringLiteral("c.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), schemaColumn = field("relnamespace"),
              nameColumn = field("relname"), kindColumn = field("relkind"),
              persistenceColumn = field("relpersistence"),
              rowSecurityColumn = field("relrowsecurity"),
              forcedColumn = field("relforcerowsecurity"), partitionKeyColumn = field("partkey"),
              partitionBoundColumn = field("partbound"), parentColumn = field("parent"),
              optionsColumn = field("options"), viewColumn = field("viewdef"),
              rowTypeColumn = field("reltype"), rowArrayColumn = field("typarray"),
              ruleColumn = field("rule"), commentColumn = field("description"),
              sequenceTypeColumn = field("seqtype"), startColumn = field("seqstart"),
              incrementColumn = field("seqincrement"), maxColumn = field("seqmax"),
              minColumn = field("seqmin"), cacheColumn = field("seqcache"),
              cycleColumn = field("seqcycle"), ownedByColumn = field("ownedby"),
              inheritsColumn = field("inherits"), aclColumn = field("acl");
    if (const Result<void> found = field.check(); !found)
        return found;
    reserve(rows->rowCount());
    m_relations.reserve(rows->rowCount());
    for (int r = 0; r < rows->rowCount(); ++r) {
        SchemaObject relation;
        relation.schema = m_schemaNames.value(rows->rawValue(r, schemaColumn).toUInt());
        relation.name = rows->value(r, nameColumn);
        const char kind = rows->value(r, kindColumn).toLatin1().at(0);
        switch (kind) {
        case 'r':
        case 'p':
            relation.kind = ObjectKind::Table;
            if (rows->rawValue(r, persistenceColumn) == "u")
                relation.setAttribute(Attr::Persistence, QStringLiteral("unlogged"));
            if (rows->rawValue(r, rowSecurityColumn) == "t")
                relation.setAttribute(Attr::RowSecurity, QStringLiteral("enabled"));
            if (rows->rawValue(r, forcedColumn) == "t")
                relation.setAttribute(Attr::RowSecurityForced, QStringLiteral("true"));
            relation.setAttributeUnlessEmpty(Attr::PartitionKey,
                                             rows->value(r, partitionKeyColumn));
            relation.setAttributeUnlessEmpty(Attr::PartitionBound,
                                             rows->value(r, partitionBoundColumn));
            relation.setAttributeUnlessEmpty(Attr::PartitionOf,
                                             quotedPath(rows->value(r, parentColumn)));
            relation.setAttributeUnlessEmpty(Attr::Options, rows->value(r, optionsColumn));
            if (!rows->isNull(r, inheritsColumn)) {
                for (const QJsonValue &parent :
                     QJsonDocument::fromJson(rows->value(r, inheritsColumn).toUtf8()).array()) {
                    const QJsonArray path = parent.toArray();
                    relation.elements
                        << pd::qualifiedName(path.at(0).toString(), path.at(1).toString());
                }
                relation.elements.sort();
                relation.setAttribute(Attr::Inherits, relation.elements.join(QStringLiteral(", ")));
            }
            break;
        case 'v':
        case 'm':
            relation.kind = kind == 'v' ? ObjectKind::View : ObjectKind::MaterializedView;
            // As PostgreSQL 16+ prints it, whichever major this is (viewdefinition.h).
            relation.setAttribute(Attr::Definition, versionIndependentViewDefinition(
                                                        rows->value(r, viewColumn).trimmed()));
            relation.setAttributeUnlessEmpty(Attr::Options, rows->value(r, optionsColumn));
            break;
        default:
            relation.kind = ObjectKind::Sequence;
            relation.setAttribute(Attr::Type, rows->value(r, sequenceTypeColumn));
            relation.setAttribute(Attr::Start, rows->value(r, startColumn));
            relation.setAttribute(Attr::Increment, rows->value(r, incrementColumn));
            relation.setAttribute(Attr::Max, rows->value(r, maxColumn));
            relation.setAttribute(Attr::Min, rows->value(r, minColumn));
            relation.setAttribute(Attr::Cache, rows->value(r, cacheColumn));
            relation.setAttribute(Attr::Cycle, rows->rawValue(r, cycleColumn) == "t"
                                                   ? QStringLiteral("true")
                                                   : QStringLiteral("false"));
            relation.setAttributeUnlessEmpty(Attr::OwnedBy,
                                             quotedPath(rows->value(r, ownedByColumn)));
            break;
        }
        relation.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        setPrivileges(relation, *rows, r, aclColumn);
        const uint oid = rows->rawValue(r, oidColumn).toUInt();
        const QString id = relation.id();
        m_relations.insert(oid, RelationInfo{relation.schema, relation.name, id, kind});
        m_ids.insert(key(kPgType, rows->rawValue(r, rowTypeColumn).toUInt()), id);
        m_ids.insert(key(kPgType, rows->rawValue(r, rowArrayColumn).toUInt()), id);
        if (!rows->isNull(r, ruleColumn))
            m_ids.insert(key(kPgRewrite, rows->rawValue(r, ruleColumn).toUInt()), id);
        add(std::move(relation), kPgClass, oid, id);
    }
    return {};
}

Result<void> Reader::readColumns()
{
    const Result<QueryResult> rows = query(
        QStringLiteral(
            "SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.attcollation,"
            " pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,"
            " a.attidentity, a.attgenerated,"
            " CASE WHEN a.attcollation <> t.typcollation THEN"
            "   (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || "
            "pg_catalog.quote_ident(co.collname)"
            "    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn"
            "    ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation,"
            // A default refers to no column (a generated column's expression does): without
            // the relation, pg_get_expr neither opens it (a relation cache entry built per
            // table) nor names its columns — a quarter of this query's time at 5,000 tables.
            " ad.oid AS defoid, pg_catalog.pg_get_expr(ad.adbin,"
            "   CASE WHEN a.attgenerated = '' THEN 0::pg_catalog.oid ELSE ad.adrelid END) AS "
            "defexpr,"
            " d.description, a.attislocal, a.attinhcount, ") +
        aclJson(QStringLiteral("a.attacl"), QStringLiteral("c.relowner")) +
        QStringLiteral(
            " AS acl FROM pg_catalog.pg_attribute a"
            " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
            " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
            " LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = "
            "a.attnum") +
        descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_class"),
                        QStringLiteral("a.attrelid"), QStringLiteral("a.attnum"))
        // A partition's columns are its parent's; they are compared there.
        + QStringLiteral(" WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')"
                         " AND NOT (c.relispartition AND a.attinhcount > 0)"
                         " AND c.relnamespace = ANY($1::pg_catalog.oid[])") +
        notExtensionMember(QStringLiteral("pg_class"), QStringLiteral("c.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int relationColumn = field("attrelid"), positionColumn = field("attnum"),
              nameColumn = field("attname"), typeOidColumn = field("atttypid"),
              typeColumn = field("type"), collationOidColumn = field("attcollation"),
              notNullColumn = field("attnotnull"), identityColumn = field("attidentity"),
              generatedColumn = field("attgenerated"), collationColumn = field("collation"),
              defaultOidColumn = field("defoid"), expressionColumn = field("defexpr"),
              commentColumn = field("description"), localColumn = field("attislocal"),
              inheritedColumn = field("attinhcount"), aclColumn = field("acl");
    if (const Result<void> found = field.check(); !found)
        return found;
    // One string per distinct type name, shared by every column of that type rather
    // than a copy per column (160,000 columns at 20,000 tables).
    QSet<QString> typeNames;
    reserve(2 * rows->rowCount());
    m_columns.reserve(rows->rowCount());
    for (int r = 0; r < rows->rowCount(); ++r) {
        const uint relation = rows->rawValue(r, relationColumn).toUInt();
        const auto table = m_relations.constFind(relation);
        if (table == m_relations.cend())
            continue;
        SchemaObject column;
        column.kind = ObjectKind::Column;
        column.schema = table->schema;
        column.table = table->name;
        // Column names repeat from table to table ("id", "name", …): one string each.
        column.name = *m_names.insert(rows->value(r, nameColumn));
        column.position = rows->rawValue(r, positionColumn).toInt();
        column.local = rows->rawValue(r, localColumn) == "t";
        column.inherited = rows->rawValue(r, inheritedColumn) != "0";
        column.setAttribute(Attr::Type, *typeNames.insert(rows->value(r, typeColumn)));
        const QString identity = rows->value(r, identityColumn);
        const bool generated = rows->rawValue(r, generatedColumn) == "s";
        // Identity implies NOT NULL; recording both would make the two spellings differ.
        if (rows->rawValue(r, notNullColumn) == "t" && identity.isEmpty())
            column.setAttribute(Attr::NotNull, QStringLiteral("true"));
        if (identity == u"a")
            column.setAttribute(Attr::Identity, QStringLiteral("always"));
        else if (identity == u"d")
            column.setAttribute(Attr::Identity, QStringLiteral("by default"));
        column.setAttributeUnlessEmpty(Attr::Collation, rows->value(r, collationColumn));
        column.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        setPrivileges(column, *rows, r, aclColumn);
        if (generated)
            column.setAttribute(Attr::Generated, rows->value(r, expressionColumn));
        const QString columnId = column.id();
        m_columns.insert(columnKey(relation, column.position),
                         ColumnInfo{columnId, column.name,
                                    decimal<uint>(rows->rawValue(r, typeOidColumn)),
                                    decimal<uint>(rows->rawValue(r, collationOidColumn))});
        const bool hasDefault = !rows->isNull(r, defaultOidColumn);
        const uint defaultOid = rows->rawValue(r, defaultOidColumn).toUInt();
        if (hasDefault && generated)
            m_ids.insert(key(kPgAttrdef, defaultOid), columnId);
        if (hasDefault && !generated) {
            SchemaObject def;
            def.kind = ObjectKind::ColumnDefault;
            def.schema = column.schema;
            def.table = column.table;
            def.name = column.name;
            def.setAttribute(Attr::Expression, *m_names.insert(rows->value(r, expressionColumn)));
            def.dependsOn << columnId;
            shareAttributes(def);
            add(std::move(def), kPgAttrdef, defaultOid);
        }
        shareAttributes(column);
        add(std::move(column), 0, 0, columnId);
    }
    return {};
}

QString constraintTypeName(const QString &contype)
{
    if (contype == u"p")
        return QStringLiteral("primary key");
    if (contype == u"u")
        return QStringLiteral("unique");
    if (contype == u"f")
        return QStringLiteral("foreign key");
    if (contype == u"x")
        return QStringLiteral("exclusion");
    return QStringLiteral("check");
}

// The pg_constraint columns a primary, unique or foreign key's definition is put
// together from.
struct KeyColumns
{
    explicit KeyColumns(Columns &field)
        : type(field("contype"))
        , relation(field("conrelid"))
        , keys(field("conkey"))
        , referenced(field("confrelid"))
        , referencedKeys(field("confkey"))
        , match(field("confmatchtype"))
        , onUpdate(field("confupdtype"))
        , onDelete(field("confdeltype"))
    {
    }
    int type, relation, keys, referenced, referencedKeys, match, onUpdate, onDelete;
};

QString Reader::serverQuoted(const QString &name) const
{
    // quote_identifier() in ruleutils.c: bare when lower case ASCII letters, digits and
    // underscores, not starting with a digit, and not a keyword it quotes.
    bool plain = !m_quoteAll && !name.isEmpty() &&
                 ((name.front() >= u'a' && name.front() <= u'z') || name.front() == u'_');
    for (qsizetype i = 0; plain && i < name.size(); ++i) {
        const QChar c = name.at(i);
        plain = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
    }
    if (plain && !m_serverKeywords.contains(name))
        return name;
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString Reader::columnName(uint relation, int attnum) const
{
    return m_columns.value(columnKey(relation, attnum)).name;
}

// "a, b" for the attnums "{1,2}" of `relation`, as decompile_column_index_array() prints
// them; null when a column was not read (a partition's, a table outside the filter).
QString Reader::columnList(uint relation, QByteArrayView attnums) const
{
    if (attnums.size() < 3 || attnums.front() != '{' || attnums.back() != '}')
        return {};
    QString list;
    qsizetype start = 1;
    for (qsizetype i = 1; i < attnums.size(); ++i) {
        if (attnums.at(i) != ',' && attnums.at(i) != '}')
            continue;
        const QString name = columnName(relation, decimal<int>(attnums.sliced(start, i - start)));
        if (name.isNull())
            return {};
        if (!list.isEmpty())
            list += QStringLiteral(", ");
        list += serverQuoted(name);
        start = i + 1;
    }
    return list;
}

// pg_get_constraintdef() of a primary, unique or foreign key the query left to us (one
// without DEFERRABLE, NOT VALID, INCLUDE, NULLS NOT DISTINCT, ON DELETE SET NULL (cols),
// WITHOUT OVERLAPS, PERIOD or NOT ENFORCED), or null where a name is missing.
QString Reader::keyConstraintDefinition(const QueryResult &rows, int r, const KeyColumns &c) const
{
    const QByteArrayView contype = rows.rawValue(r, c.type);
    const QString keys =
        columnList(rows.rawValue(r, c.relation).toUInt(), rows.rawValue(r, c.keys));
    if (keys.isNull())
        return {};
    if (contype == "p")
        return QStringLiteral("PRIMARY KEY (") + keys + QLatin1Char(')');
    if (contype == "u")
        return QStringLiteral("UNIQUE (") + keys + QLatin1Char(')');
    const uint referenced = rows.rawValue(r, c.referenced).toUInt();
    const auto table = m_relations.constFind(referenced);
    // generate_relation_name() leaves out the schema of what the (empty) search path
    // finds: pg_catalog only.
    if (table == m_relations.cend() || table->schema == u"pg_catalog")
        return {};
    const QString referencedKeys = columnList(referenced, rows.rawValue(r, c.referencedKeys));
    if (referencedKeys.isNull())
        return {};
    QString definition = QStringLiteral("FOREIGN KEY (") + keys + QStringLiteral(") REFERENCES ") +
                         serverQuoted(table->schema) + QLatin1Char('.') +
                         serverQuoted(table->name) + QLatin1Char('(') + referencedKeys +
                         QLatin1Char(')');
    const QByteArrayView match = rows.rawValue(r, c.match);
    if (match == "f")
        definition += QStringLiteral(" MATCH FULL");
    else if (match == "p")
        definition += QStringLiteral(" MATCH PARTIAL");
    const auto action = [](QByteArrayView code) {
        return code == "r"   ? QStringLiteral("RESTRICT")
               : code == "c" ? QStringLiteral("CASCADE")
               : code == "n" ? QStringLiteral("SET NULL")
               : code == "d" ? QStringLiteral("SET DEFAULT")
                             : QString(); // 'a': NO ACTION, the default
    };
    if (const QString update = action(rows.rawValue(r, c.onUpdate)); !update.isNull())
        definition += QStringLiteral(" ON UPDATE ") + update;
    if (const QString remove = action(rows.rawValue(r, c.onDelete)); !remove.isNull())
        definition += QStringLiteral(" ON DELETE ") + remove;
    return definition;
}

Result<void> Reader::readConstraints()
{
    // pg_get_constraintdef() looks up every column and the referenced table in the
    // catalog caches (a third of the query at 5,000 tables): primary, unique and foreign
    // keys of the usual shape are put together from names already read instead
    // (keyConstraintDefinition(); tst_schema compares it with the server's on every
    // shape). Anything else the server deparses.
    const int version = m_snapshot.serverVersionNumber;
    QString composed = QStringLiteral(
        "co.contype IN ('p', 'u', 'f') AND NOT co.condeferrable AND NOT co.condeferred"
        " AND co.convalidated AND (co.contype = 'f' OR ix.indnatts = ix.indnkeyatts)");
    if (version >= 150000)
        composed += QStringLiteral(" AND co.confdelsetcols IS NULL"
                                   " AND (co.contype = 'f' OR NOT ix.indnullsnotdistinct)");
    if (version >= 180000)
        composed += QStringLiteral(" AND co.conenforced AND NOT co.conperiod");
    // A table's CHECK constraint is deparsed with the table open (a relation cache entry
    // built per table, two thirds of its cost). Tables often share one: a CHECK whose
    // expression tree (less the parse locations) and referenced column names are those
    // of another reads the same, so the server deparses one of each kind, afterwards
    // (sharedCheckKey()). Those that print more than CHECK (expr) are deparsed here.
    QString shared = QStringLiteral(
        "co.contype = 'c' AND co.conrelid <> 0 AND co.convalidated AND NOT co.connoinherit");
    if (version >= 180000)
        shared += QStringLiteral(" AND co.conenforced");
    const Result<QueryResult> rows =
        query(QStringLiteral("SELECT co.oid, co.conname, co.contype, co.conrelid, co.contypid,"
                             " co.conindid, co.conkey, co.confrelid, co.confkey,"
                             " co.confmatchtype, co.confupdtype, co.confdeltype,"
                             " CASE WHEN %2 THEN co.conbin::pg_catalog.text END AS expr,"
                             " CASE WHEN NOT (%1) AND NOT (%2) THEN"
                             " pg_catalog.pg_get_constraintdef(co.oid) END AS def, d.description"
                             " FROM pg_catalog.pg_constraint co"
                             " LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid"
                             " AND co.contype IN ('p', 'u')")
                  .arg(composed, shared) +
              descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_constraint"),
                              QStringLiteral("co.oid"))
              // Constraints a partition or an inheritance child inherits are compared on the
              // parent, whether or not the child also declares them (conislocal is creation
              // noise, as attislocal is for columns).
              + QStringLiteral(" WHERE co.connamespace = ANY($1::pg_catalog.oid[])"
                               " AND co.contype IN ('p', 'u', 'f', 'c', 'x')"
                               " AND (co.conrelid = 0 OR co.coninhcount = 0)"
                               " ORDER BY co.conname"));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), nameColumn = field("conname"),
              typeColumn = field("contype"), relationColumn = field("conrelid"),
              domainColumn = field("contypid"), indexColumn = field("conindid"),
              definitionColumn = field("def"), commentColumn = field("description"),
              expressionColumn = field("expr");
    const KeyColumns keyColumns(field);
    if (const Result<void> found = field.check(); !found)
        return found;
    reserve(rows->rowCount());
    // Keys the query left to us whose names were not all read, and one CHECK of each
    // kind: the server deparses them after all (constraint oid → the ids that read so).
    QHash<uint, QStringList> &leftOver = m_constraintsLeftOver;
    QHash<QByteArray, uint> checkKinds; // sharedCheckKey() → the constraint deparsed

    for (int r = 0; r < rows->rowCount(); ++r) {
        const uint oid = rows->rawValue(r, oidColumn).toUInt();
        const QString name = rows->value(r, nameColumn);
        const uint relation = rows->rawValue(r, relationColumn).toUInt();
        if (relation == 0) {
            // A domain's CHECK constraint is an attribute of the domain.
            const QString domainId =
                m_ids.value(key(kPgType, rows->rawValue(r, domainColumn).toUInt()));
            SchemaObject *domain = m_byId.value(domainId);
            if (!domain || domain->kind != ObjectKind::Domain)
                continue;
            domain->setDomainConstraint(quoteIdent(name), rows->value(r, definitionColumn));
            m_ids.insert(key(kPgConstraint, oid), domainId);
            continue;
        }
        const auto table = m_relations.constFind(relation);
        if (table == m_relations.cend())
            continue;
        SchemaObject constraint;
        constraint.kind = ObjectKind::Constraint;
        constraint.schema = table->schema;
        constraint.table = table->name;
        constraint.name = name;
        const QString contype = rows->value(r, typeColumn);
        constraint.setAttribute(Attr::Type, constraintTypeName(contype));
        QString definition;
        if (!rows->isNull(r, definitionColumn)) {
            definition = rows->value(r, definitionColumn);
        } else if (!rows->isNull(r, expressionColumn)) {
            const QByteArray kind = sharedCheckKey(relation, rows->rawValue(r, expressionColumn),
                                                   rows->rawValue(r, keyColumns.keys));
            const uint deparsed = kind.isNull() ? oid : checkKinds.value(kind, oid);
            if (!kind.isNull() && deparsed == oid)
                checkKinds.insert(kind, oid);
            leftOver[deparsed] << constraint.id();
        } else {
            definition = keyConstraintDefinition(*rows, r, keyColumns);
            if (definition.isNull())
                leftOver[oid] << constraint.id();
        }
        constraint.setAttribute(Attr::Definition, definition);
        constraint.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        // A foreign key depends on the referenced key's index: map that index to the
        // constraint that owns it.
        if (contype == u"p" || contype == u"u" || contype == u"x")
            m_ids.insert(key(kPgClass, rows->rawValue(r, indexColumn).toUInt()), constraint.id());
        add(std::move(constraint), kPgConstraint, oid);
    }
    return {};
}

// What a table's CHECK constraint prints depends on its expression tree and the names of
// the columns it reads (the relation's name only for a whole-row reference, which
// refuses): the tree's text without parse locations, then the column names. Null when a
// column was not read.
QByteArray Reader::sharedCheckKey(uint relation, QByteArrayView tree, QByteArrayView attnums) const
{
    if (attnums.size() < 3 || attnums.front() != '{' || attnums.back() != '}')
        return {};
    QByteArray key;
    key.reserve(tree.size() + 64);
    constexpr QByteArrayView location(" :location ");
    qsizetype from = 0;
    for (qsizetype at = tree.indexOf(location); at >= 0; at = tree.indexOf(location, from)) {
        key += tree.sliced(from, at - from);
        from = at + location.size();
        while (from < tree.size() &&
               (tree.at(from) == '-' || (tree.at(from) >= '0' && tree.at(from) <= '9')))
            ++from;
    }
    key += tree.sliced(from);
    qsizetype start = 1;
    for (qsizetype i = 1; i < attnums.size(); ++i) {
        if (attnums.at(i) != ',' && attnums.at(i) != '}')
            continue;
        const int attnum = decimal<int>(attnums.sliced(start, i - start));
        const QString name = attnum > 0 ? columnName(relation, attnum) : QString();
        if (name.isNull())
            return {};
        key += '\0'; // no identifier holds a NUL
        key += name.toUtf8();
        start = i + 1;
    }
    return key;
}

// The definitions of constraints and indexes (oid → ids) the shortcuts could not put
// together, from the server's deparser, in one query for both.
Result<void> Reader::deparseLeftOver(const QHash<uint, QStringList> &constraints,
                                     const QHash<uint, QStringList> &indexes)
{
    if (constraints.isEmpty() && indexes.isEmpty())
        return {};
    const auto oids = [](const QHash<uint, QStringList> &leftOver) -> QString {
        QStringList list;
        for (auto it = leftOver.cbegin(); it != leftOver.cend(); ++it)
            list << QString::number(it.key());
        return QLatin1Char('{') + list.join(QLatin1Char(',')) + QLatin1Char('}');
    };
    const Result<QueryResult> deparsed =
        query(QStringLiteral("SELECT 'c' AS kind, co.oid, pg_catalog.pg_get_constraintdef(co.oid)"
                             " FROM pg_catalog.pg_constraint co"
                             " WHERE co.oid = ANY($1::pg_catalog.oid[])"
                             " UNION ALL SELECT 'i', c.oid, pg_catalog.pg_get_indexdef(c.oid)"
                             " FROM pg_catalog.pg_class c WHERE c.oid = ANY($2::pg_catalog.oid[])"),
              {oids(constraints), oids(indexes)});
    if (!deparsed)
        return deparsed.error();
    for (int r = 0; r < deparsed->rowCount(); ++r) {
        const QHash<uint, QStringList> &leftOver =
            deparsed->rawValue(r, 0) == "c" ? constraints : indexes;
        const QString definition = deparsed->value(r, 2);
        for (const QString &id : leftOver.value(deparsed->rawValue(r, 1).toUInt())) {
            if (SchemaObject *object = m_byId.value(id))
                object->setAttribute(Attr::Definition, definition);
        }
    }
    return {};
}

// The pg_index columns an index definition is put together from.
struct IndexColumns
{
    explicit IndexColumns(Columns &field)
        : name(field("relname"))
        , table(field("indrelid"))
        , unique(field("indisunique"))
        , method(field("relam"))
        , methodName(field("amname"))
        , keys(field("indkey"))
        , classes(field("indclass"))
        , collations(field("indcollation"))
        , options(field("indoption"))
    {
    }
    int name, table, unique, method, methodName, keys, classes, collations, options;
};

// pg_get_indexdef() of an index the query left to us — no expression, predicate, storage
// option, INCLUDE or NULLS NOT DISTINCT, not on a partitioned table — when each column
// also takes its type's default operator class and its own collation, ascending: CREATE
// [UNIQUE ]INDEX name ON schema.table USING am (col, …). Null otherwise (a column not
// read: a materialized view's, a partition's), and the server deparses it. The server
// opens the table to name the columns (a relation cache entry built per table) and looks
// each up; the names are read already. tst_schema compares the text with pg_get_indexdef
// on every index shape the shortcut takes and refuses.
QString Reader::plainIndexDefinition(const QueryResult &rows, int r, const IndexColumns &c) const
{
    const uint relation = decimal<uint>(rows.rawValue(r, c.table));
    const auto table = m_relations.constFind(relation);
    if (table == m_relations.cend())
        return {};
    const uint method = decimal<uint>(rows.rawValue(r, c.method));
    const QList<QByteArrayView> keys = vectorItems(rows.rawValue(r, c.keys));
    const QList<QByteArrayView> classes = vectorItems(rows.rawValue(r, c.classes));
    const QList<QByteArrayView> collations = vectorItems(rows.rawValue(r, c.collations));
    const QList<QByteArrayView> options = vectorItems(rows.rawValue(r, c.options));
    if (keys.isEmpty() || classes.size() != keys.size() || collations.size() != keys.size() ||
        options.size() != keys.size())
        return {};
    QString columns;
    for (qsizetype k = 0; k < keys.size(); ++k) {
        const auto column = m_columns.constFind(columnKey(relation, decimal<int>(keys.at(k))));
        if (column == m_columns.cend() || options.at(k) != "0" ||
            decimal<uint>(collations.at(k)) != column->collation ||
            m_defaultOperatorClasses.value(decimal<uint>(classes.at(k))) !=
                std::pair(method, column->type))
            return {};
        if (!columns.isEmpty())
            columns += QStringLiteral(", ");
        columns += serverQuoted(column->name);
    }
    return QStringLiteral("CREATE ") +
           (rows.rawValue(r, c.unique) == "t" ? QStringLiteral("UNIQUE ") : QString()) +
           QStringLiteral("INDEX ") + serverQuoted(rows.value(r, c.name)) + QStringLiteral(" ON ") +
           serverQuoted(table->schema) + QLatin1Char('.') + serverQuoted(table->name) +
           QStringLiteral(" USING ") + serverQuoted(rows.value(r, c.methodName)) +
           QStringLiteral(" (") + columns + QLatin1Char(')');
}

Result<void> Reader::readIndexes()
{
    const QString plain =
        QStringLiteral("i.indexprs IS NULL AND i.indpred IS NULL AND ic.reloptions IS NULL"
                       " AND ic.relkind = 'i' AND i.indnkeyatts = i.indnatts") +
        (m_snapshot.serverVersionNumber >= 150000 ? QStringLiteral(" AND NOT i.indnullsnotdistinct")
                                                  : QString());
    const Result<QueryResult> rows =
        query(QStringLiteral("SELECT i.indexrelid, ic.relname, i.indrelid, i.indisunique,"
                             " ic.relam, am.amname, i.indkey, i.indclass, i.indcollation,"
                             " i.indoption, CASE WHEN NOT (%1) THEN"
                             " pg_catalog.pg_get_indexdef(i.indexrelid) END AS def, d.description"
                             " FROM pg_catalog.pg_index i"
                             " JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
                             " JOIN pg_catalog.pg_am am ON am.oid = ic.relam")
                  .arg(plain) +
              descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_class"),
                              QStringLiteral("i.indexrelid"))
              // Indexes behind constraints are compared as the constraint; a partition's index
              // attached to its parent's is compared on the parent.
              + QStringLiteral(" WHERE ic.relnamespace = ANY($1::pg_catalog.oid[])"
                               " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co"
                               "   WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid"
                               "   AND co.contype IN ('p', 'u', 'x'))"
                               " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE "
                               "h.inhrelid = i.indexrelid)") +
              notExtensionMember(QStringLiteral("pg_class"), QStringLiteral("i.indexrelid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("indexrelid"), definitionColumn = field("def"),
              commentColumn = field("description");
    const IndexColumns indexColumns(field);
    if (const Result<void> found = field.check(); !found)
        return found;
    reserve(rows->rowCount());
    QHash<uint, QStringList> leftOver; // index oid → its id, deparsed by the server after all
    for (int r = 0; r < rows->rowCount(); ++r) {
        const auto table = m_relations.constFind(rows->rawValue(r, indexColumns.table).toUInt());
        if (table == m_relations.cend())
            continue;
        const uint oid = rows->rawValue(r, oidColumn).toUInt();
        SchemaObject index;
        index.kind = ObjectKind::Index;
        index.schema = table->schema;
        index.table = table->name;
        index.name = rows->value(r, indexColumns.name);
        const QString definition = rows->isNull(r, definitionColumn)
                                       ? plainIndexDefinition(*rows, r, indexColumns)
                                       : rows->value(r, definitionColumn);
        if (definition.isNull())
            leftOver[oid] << index.id();
        index.setAttribute(Attr::Definition, definition);
        index.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        add(std::move(index), kPgClass, oid);
    }
    return deparseLeftOver(m_constraintsLeftOver, leftOver);
}

namespace {

// Top-level ", "-separated items of an argument list: defaults may hold commas inside
// quotes, parentheses or brackets.
QStringList splitArguments(const QString &list)
{
    QStringList items;
    int depth = 0;
    QChar quote;
    qsizetype start = 0;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QChar c = list.at(i);
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'\'' || c == u'"') {
            quote = c;
        } else if (c == u'(' || c == u'[') {
            ++depth;
        } else if (c == u')' || c == u']') {
            --depth;
        } else if (depth == 0 && c == u',' && i + 1 < list.size() && list.at(i + 1) == u' ') {
            items << list.mid(start, i - start);
            start = i + 2;
            ++i;
        }
    }
    if (start < list.size())
        items << list.mid(start);
    return items;
}

// PostgreSQL 14 made procedures print the mode of every argument ("IN m text"); 13 prints
// "m text". The later form on every server, so a procedure keeps its id across majors.
QString withProcedureModes(const QString &arguments)
{
    QStringList items = splitArguments(arguments);
    for (QString &item : items) {
        if (!item.startsWith(QLatin1String("IN ")) && !item.startsWith(QLatin1String("OUT ")) &&
            !item.startsWith(QLatin1String("INOUT ")) &&
            !item.startsWith(QLatin1String("VARIADIC ")))
            item.prepend(QLatin1String("IN "));
    }
    return items.join(QLatin1String(", "));
}

} // namespace

// The pg_aggregate columns of readFunctions()' result.
struct AggregateColumns
{
    explicit AggregateColumns(Columns &field)
        : kind(field("aggkind"))
        , transition(field("aggtransfn"))
        , stateType(field("aggtranstype"))
        , stateSpace(field("aggtransspace"))
        , finish(field("aggfinalfn"))
        , finalExtra(field("aggfinalextra"))
        , finalModify(field("aggfinalmodify"))
        , combine(field("aggcombinefn"))
        , serial(field("aggserialfn"))
        , deserial(field("aggdeserialfn"))
        , initial(field("agginitval"))
        , movingTransition(field("aggmtransfn"))
        , movingInverse(field("aggminvtransfn"))
        , movingStateType(field("aggmtranstype"))
        , movingStateSpace(field("aggmtransspace"))
        , movingFinal(field("aggmfinalfn"))
        , movingFinalExtra(field("aggmfinalextra"))
        , movingFinalModify(field("aggmfinalmodify"))
        , movingInitial(field("aggminitval"))
        , sortOperator(field("sortop"))
        , parallel(field("proparallel"))
    {
    }
    int kind, transition, stateType, stateSpace, finish, finalExtra, finalModify, combine, serial,
        deserial, initial, movingTransition, movingInverse, movingStateType, movingStateSpace,
        movingFinal, movingFinalExtra, movingFinalModify, movingInitial, sortOperator, parallel;
};

// CREATE AGGREGATE has no server-side deparser (pg_get_functiondef refuses aggregates):
// the statement is put together from pg_aggregate, with every function, type and operator
// name as the server prints it (qualified, as search_path is empty).
QString aggregateDefinition(const QueryResult &rows, int r, const AggregateColumns &c,
                            const QString &name, const QString &arguments)
{
    QStringList options;
    const auto option = [&](const char *label, int column, bool literal = false) {
        if (rows.isNull(r, column))
            return;
        const QString value = rows.value(r, column);
        options << QLatin1String(label) + QStringLiteral(" = ") +
                       (literal ? quoteLiteral(value) : value);
    };
    const auto modify = [&](const char *label, int column) {
        const QString mode = rows.value(r, column);
        options << QLatin1String(label) + QStringLiteral(" = ") +
                       (mode == u"s"   ? QStringLiteral("SHAREABLE")
                        : mode == u"w" ? QStringLiteral("READ_WRITE")
                                       : QStringLiteral("READ_ONLY"));
    };
    option("SFUNC", c.transition);
    option("STYPE", c.stateType);
    if (rows.value(r, c.stateSpace) != u"0")
        option("SSPACE", c.stateSpace);
    option("FINALFUNC", c.finish);
    if (!rows.isNull(r, c.finish)) {
        if (rows.rawValue(r, c.finalExtra) == "t")
            options << QStringLiteral("FINALFUNC_EXTRA");
        modify("FINALFUNC_MODIFY", c.finalModify);
    }
    option("COMBINEFUNC", c.combine);
    option("SERIALFUNC", c.serial);
    option("DESERIALFUNC", c.deserial);
    option("INITCOND", c.initial, true);
    option("MSFUNC", c.movingTransition);
    option("MINVFUNC", c.movingInverse);
    option("MSTYPE", c.movingStateType);
    if (!rows.isNull(r, c.movingStateType) && rows.value(r, c.movingStateSpace) != u"0")
        option("MSSPACE", c.movingStateSpace);
    option("MFINALFUNC", c.movingFinal);
    if (!rows.isNull(r, c.movingFinal)) {
        if (rows.rawValue(r, c.movingFinalExtra) == "t")
            options << QStringLiteral("MFINALFUNC_EXTRA");
        modify("MFINALFUNC_MODIFY", c.movingFinalModify);
    }
    option("MINITCOND", c.movingInitial, true);
    option("SORTOP", c.sortOperator);
    const QString parallel = rows.value(r, c.parallel);
    if (parallel == u"s")
        options << QStringLiteral("PARALLEL = SAFE");
    else if (parallel == u"r")
        options << QStringLiteral("PARALLEL = RESTRICTED");
    if (rows.value(r, c.kind) == u"h")
        options << QStringLiteral("HYPOTHETICAL");
    return QStringLiteral("CREATE AGGREGATE ") + name + QLatin1Char('(') +
           (arguments.isEmpty() ? QStringLiteral("*") : arguments) + QStringLiteral(") (\n    ") +
           options.join(QStringLiteral(",\n    ")) + QStringLiteral("\n)");
}

Result<void> Reader::readFunctions()
{
    // Function names print qualified unless they are in pg_catalog (search_path is empty);
    // 0 means "none" in pg_aggregate, NULLIF makes that a NULL.
    const auto proc = [](const char *column) {
        return QStringLiteral("NULLIF(a.%1::pg_catalog.oid, 0)::pg_catalog.regproc::text AS %1")
            .arg(QLatin1String(column));
    };
    const Result<QueryResult> rows = query(
        QStringLiteral("SELECT p.oid, p.pronamespace, p.proname, p.prokind,"
                       " pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity,"
                       " pg_catalog.pg_get_function_arguments(p.oid) AS arguments,"
                       " pg_catalog.pg_get_function_result(p.oid) AS result,"
                       " CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END"
                       "   AS def, d.description, a.aggkind,") +
        proc("aggtransfn") +
        QStringLiteral(", pg_catalog.format_type(a.aggtranstype, NULL) AS aggtranstype,"
                       " a.aggtransspace, ") +
        proc("aggfinalfn") + QStringLiteral(", a.aggfinalextra, a.aggfinalmodify, ") +
        proc("aggcombinefn") + QStringLiteral(", ") + proc("aggserialfn") + QStringLiteral(", ") +
        proc("aggdeserialfn") + QStringLiteral(", a.agginitval, ") + proc("aggmtransfn") +
        QStringLiteral(", ") + proc("aggminvtransfn") +
        QStringLiteral(", CASE WHEN a.aggmtranstype <> 0 THEN"
                       "   pg_catalog.format_type(a.aggmtranstype, NULL) END AS aggmtranstype,"
                       " a.aggmtransspace, ") +
        proc("aggmfinalfn") +
        QStringLiteral(", a.aggmfinalextra, a.aggmfinalmodify, a.aggminitval,"
                       " (SELECT 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' ||"
                       "   op.oprname || ')' FROM pg_catalog.pg_operator op"
                       "   JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace"
                       "   WHERE op.oid = a.aggsortop) AS sortop,"
                       " p.proparallel, ") +
        aclJson(QStringLiteral("p.proacl"), QStringLiteral("p.proowner")) +
        QStringLiteral(" AS acl FROM pg_catalog.pg_proc p"
                       " LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid") +
        descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_proc"), QStringLiteral("p.oid")) +
        QStringLiteral(" WHERE p.pronamespace = ANY($1::pg_catalog.oid[])"
                       " AND p.prokind IN ('f', 'p', 'a')"
                       // A range's and multirange's constructors come with the type.
                       " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ti"
                       "   WHERE ti.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass"
                       "   AND ti.objid = p.oid AND ti.deptype = 'i'"
                       "   AND ti.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass)") +
        notExtensionMember(QStringLiteral("pg_proc"), QStringLiteral("p.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), schemaColumn = field("pronamespace"),
              nameColumn = field("proname"), prokindColumn = field("prokind"),
              identityColumn = field("identity"), argumentsColumn = field("arguments"),
              resultColumn = field("result"), definitionColumn = field("def"),
              commentColumn = field("description"), aclColumn = field("acl");
    const AggregateColumns aggregate(field);
    if (const Result<void> found = field.check(); !found)
        return found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        SchemaObject function;
        const QByteArrayView prokind = rows->rawValue(r, prokindColumn);
        function.kind = prokind == "p"   ? ObjectKind::Procedure
                        : prokind == "a" ? ObjectKind::Aggregate
                                         : ObjectKind::Function;
        function.schema = m_schemaNames.value(rows->rawValue(r, schemaColumn).toUInt());
        function.name = rows->value(r, nameColumn);
        function.signature = rows->value(r, identityColumn);
        if (function.kind == ObjectKind::Aggregate) {
            function.setAttribute(Attr::Definition,
                                  aggregateDefinition(*rows, r, aggregate, function.qualifiedName(),
                                                      rows->value(r, argumentsColumn)));
        } else {
            QString arguments = rows->value(r, argumentsColumn);
            QString definition = rows->value(r, definitionColumn).trimmed();
            if (function.kind == ObjectKind::Procedure && m_snapshot.serverVersionNumber < 140000) {
                function.signature = withProcedureModes(function.signature);
                const QString modes = withProcedureModes(arguments);
                // The header line repeats the argument list exactly.
                const QString header = QLatin1Char('(') + arguments + QStringLiteral(")\n");
                const qsizetype at = definition.indexOf(header);
                if (at >= 0 && at < definition.indexOf(QLatin1Char('\n')) + 1)
                    definition.replace(at, header.size(),
                                       QLatin1Char('(') + modes + QStringLiteral(")\n"));
                arguments = modes;
            }
            function.setAttribute(Attr::Arguments, arguments);
            function.setAttributeUnlessEmpty(Attr::Result, rows->value(r, resultColumn));
            function.setAttribute(Attr::Definition, definition);
        }
        function.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        setPrivileges(function, *rows, r, aclColumn, QStringLiteral("PUBLIC"),
                      QStringLiteral("EXECUTE"));
        add(std::move(function), kPgProc, rows->rawValue(r, oidColumn).toUInt());
    }
    return {};
}

namespace {

// tgenabled / evtenabled: 'O' (origin, the default) is left unset.
void setEnabledState(SchemaObject &trigger, const QString &code)
{
    if (code == u"D")
        trigger.setAttribute(Attr::Enabled, QStringLiteral("disabled"));
    else if (code == u"R")
        trigger.setAttribute(Attr::Enabled, QStringLiteral("replica"));
    else if (code == u"A")
        trigger.setAttribute(Attr::Enabled, QStringLiteral("always"));
}

} // namespace

Result<void> Reader::readTriggers()
{
    // Since PostgreSQL 13 a partition's copy of its parent's trigger is not internal but
    // has tgparentid set; it is compared on the parent.
    const QString clones = m_snapshot.serverVersionNumber >= 130000
                               ? QStringLiteral(" AND tg.tgparentid = 0")
                               : QString();
    const Result<QueryResult> rows = query(
        QStringLiteral("SELECT tg.oid, tg.tgrelid, tg.tgname,"
                       " pg_catalog.pg_get_triggerdef(tg.oid) AS def, tg.tgenabled, d.description"
                       " FROM pg_catalog.pg_trigger tg"
                       " JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid") +
        descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_trigger"),
                        QStringLiteral("tg.oid")) +
        QStringLiteral(
            " WHERE c.relnamespace = ANY($1::pg_catalog.oid[]) AND NOT tg.tgisinternal") +
        clones + notExtensionMember(QStringLiteral("pg_trigger"), QStringLiteral("tg.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), tableColumn = field("tgrelid"),
              nameColumn = field("tgname"), definitionColumn = field("def"),
              enabledColumn = field("tgenabled"), commentColumn = field("description");
    if (const Result<void> found = field.check(); !found)
        return found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        const auto table = m_relations.constFind(rows->rawValue(r, tableColumn).toUInt());
        if (table == m_relations.cend())
            continue;
        SchemaObject trigger;
        trigger.kind = ObjectKind::Trigger;
        trigger.schema = table->schema;
        trigger.table = table->name;
        trigger.name = rows->value(r, nameColumn);
        trigger.setAttribute(Attr::Definition, rows->value(r, definitionColumn));
        setEnabledState(trigger, rows->value(r, enabledColumn));
        trigger.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        add(std::move(trigger), kPgTrigger, rows->rawValue(r, oidColumn).toUInt());
    }
    return {};
}

Result<void> Reader::readEventTriggers()
{
    // Database-wide, not in a schema: read when its function is in a schema the filter
    // accepts (it could not be created from the snapshot otherwise) and no extension owns
    // it.
    const Result<QueryResult> rows =
        query(QStringLiteral("SELECT et.oid, et.evtname, et.evtevent,"
                             " et.evtfoid::pg_catalog.regproc::text AS function, et.evtenabled,"
                             " pg_catalog.array_to_json(et.evttags)::text AS tags, d.description"
                             " FROM pg_catalog.pg_event_trigger et") +
              descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_event_trigger"),
                              QStringLiteral("et.oid")) +
              QStringLiteral(" JOIN pg_catalog.pg_proc ep ON ep.oid = et.evtfoid"
                             " WHERE ep.pronamespace = ANY($1::pg_catalog.oid[])") +
              notExtensionMember(QStringLiteral("pg_event_trigger"), QStringLiteral("et.oid")));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), nameColumn = field("evtname"),
              eventColumn = field("evtevent"), functionColumn = field("function"),
              enabledColumn = field("evtenabled"), tagsColumn = field("tags"),
              commentColumn = field("description");
    if (const Result<void> found = field.check(); !found)
        return found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        SchemaObject trigger;
        trigger.kind = ObjectKind::EventTrigger;
        trigger.name = rows->value(r, nameColumn);
        QString sql = QStringLiteral("CREATE EVENT TRIGGER ") + quoteIdent(trigger.name) +
                      QStringLiteral(" ON ") + quoteIdent(rows->value(r, eventColumn));
        QStringList tags;
        for (const QJsonValue &tag :
             QJsonDocument::fromJson(rows->value(r, tagsColumn).toUtf8()).array())
            tags << quoteLiteral(tag.toString());
        if (!tags.isEmpty())
            sql += QStringLiteral("\n    WHEN TAG IN (") + tags.join(QStringLiteral(", ")) +
                   QLatin1Char(')');
        sql += QStringLiteral("\n    EXECUTE FUNCTION ") + rows->value(r, functionColumn) +
               QStringLiteral("()");
        trigger.setAttribute(Attr::Definition, sql);
        setEnabledState(trigger, rows->value(r, enabledColumn));
        trigger.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        add(std::move(trigger), kPgEventTrigger, rows->rawValue(r, oidColumn).toUInt());
    }
    return {};
}

Result<void> Reader::readDefaultPrivileges()
{
    // Global entries (no schema) hold the whole ACL new objects get, including what is
    // built in (PUBLIC may EXECUTE functions and use types); the generator knows that
    // baseline. Entries for a schema outside the filter are not read.
    const Result<QueryResult> rows =
        query(QStringLiteral("SELECT pg_catalog.pg_get_userbyid(da.defaclrole) AS role,"
                             " da.defaclnamespace, da.defaclobjtype, ") +
              aclJson(QStringLiteral("da.defaclacl"), QStringLiteral("da.defaclrole")) +
              QStringLiteral(" AS acl FROM pg_catalog.pg_default_acl da"
                             " WHERE da.defaclnamespace = 0"
                             " OR da.defaclnamespace = ANY($1::pg_catalog.oid[])"));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int roleColumn = field("role"), schemaColumn = field("defaclnamespace"),
              typeColumn = field("defaclobjtype"), aclColumn = field("acl");
    if (const Result<void> found = field.check(); !found)
        return found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        SchemaObject privileges;
        privileges.kind = ObjectKind::DefaultPrivileges;
        privileges.name = rows->value(r, roleColumn);
        const uint schema = rows->rawValue(r, schemaColumn).toUInt();
        privileges.schema = schema == 0 ? QString() : m_schemaNames.value(schema);
        const QByteArrayView type = rows->rawValue(r, typeColumn);
        privileges.signature = type == "r"   ? QStringLiteral("tables")
                               : type == "S" ? QStringLiteral("sequences")
                               : type == "f" ? QStringLiteral("functions")
                               : type == "T" ? QStringLiteral("types")
                               : type == "n" ? QStringLiteral("schemas")
                                             : QStringLiteral("large objects");
        if (type == "L")
            continue; // large objects are data
        setPrivileges(privileges, *rows, r, aclColumn);
        add(std::move(privileges), 0, 0);
    }
    return {};
}

Result<void> Reader::readPolicies()
{
    const Result<QueryResult> rows = query(
        QStringLiteral("SELECT pol.oid, pol.polrelid, pol.polname, pol.polcmd, pol.polpermissive,"
                       " (SELECT pg_catalog.string_agg(CASE WHEN r = 0 THEN 'PUBLIC'"
                       "   ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) END, ', '"
                       "   ORDER BY CASE WHEN r = 0 THEN 'PUBLIC'"
                       "   ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) END)"
                       "   FROM pg_catalog.unnest(pol.polroles) r) AS roles,"
                       " pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS qual,"
                       " pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS withcheck,"
                       " d.description"
                       " FROM pg_catalog.pg_policy pol"
                       " JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid") +
        descriptionJoin(QStringLiteral("d"), QStringLiteral("pg_policy"),
                        QStringLiteral("pol.oid")) +
        QStringLiteral(" WHERE c.relnamespace = ANY($1::pg_catalog.oid[])"));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int oidColumn = field("oid"), tableColumn = field("polrelid"),
              nameColumn = field("polname"), commandColumn = field("polcmd"),
              permissiveColumn = field("polpermissive"), rolesColumn = field("roles"),
              usingColumn = field("qual"), withCheckColumn = field("withcheck"),
              commentColumn = field("description");
    if (const Result<void> found = field.check(); !found)
        return found;
    for (int r = 0; r < rows->rowCount(); ++r) {
        const auto table = m_relations.constFind(rows->rawValue(r, tableColumn).toUInt());
        if (table == m_relations.cend())
            continue;
        SchemaObject policy;
        policy.kind = ObjectKind::Policy;
        policy.schema = table->schema;
        policy.table = table->name;
        policy.name = rows->value(r, nameColumn);
        const QString cmd = rows->value(r, commandColumn);
        const QString command = cmd == u"r"   ? QStringLiteral("SELECT")
                                : cmd == u"a" ? QStringLiteral("INSERT")
                                : cmd == u"w" ? QStringLiteral("UPDATE")
                                : cmd == u"d" ? QStringLiteral("DELETE")
                                              : QStringLiteral("ALL");
        policy.setAttribute(Attr::Command, command);
        policy.setAttribute(Attr::Permissive, rows->rawValue(r, permissiveColumn) == "t"
                                                  ? QStringLiteral("PERMISSIVE")
                                                  : QStringLiteral("RESTRICTIVE"));
        policy.setAttribute(Attr::Roles, rows->value(r, rolesColumn));
        policy.setAttributeUnlessEmpty(Attr::Using, rows->value(r, usingColumn));
        policy.setAttributeUnlessEmpty(Attr::WithCheck, rows->value(r, withCheckColumn));
        policy.setAttributeUnlessEmpty(Attr::Comment, rows->value(r, commentColumn));
        add(std::move(policy), kPgPolicy, rows->rawValue(r, oidColumn).toUInt());
    }
    return {};
}

QString Reader::resolve(uint catalog, uint oid, int subId) const
{
    if (catalog == kPgClass && subId > 0) {
        const QString column = m_columns.value(columnKey(oid, subId)).id;
        if (!column.isEmpty())
            return column;
    }
    const QString id = m_ids.value(key(catalog, oid));
    if (!id.isEmpty())
        return id;
    return m_extensionMembers.value(key(catalog, oid));
}

Result<void> Reader::readDependencies()
{
    // Objects created at initdb have OIDs below 16384 (FirstNormalObjectId): nothing we
    // compare depends on them in a way that orders statements. The largest result of all
    // (every dependency in the database, 280,000 rows at 20,000 tables) comes as one array
    // per column: row by row, libpq kept 16 bytes of bookkeeping per value besides the
    // value, a result of 40 MB at the moment every object is built.
    const Result<QueryResult> rows = query(QStringLiteral(
        "SELECT pg_catalog.array_agg(d.classid) AS classid, pg_catalog.array_agg(d.objid) AS objid,"
        " pg_catalog.array_agg(d.objsubid) AS objsubid,"
        " pg_catalog.array_agg(d.refclassid) AS refclassid,"
        " pg_catalog.array_agg(d.refobjid) AS refobjid,"
        " pg_catalog.array_agg(d.refobjsubid) AS refobjsubid,"
        " pg_catalog.array_agg(d.deptype) AS deptype FROM pg_catalog.pg_depend d"
        " WHERE d.deptype IN ('n', 'a', 'e') AND d.objid >= 16384 AND d.refobjid >= 16384"));
    if (!rows)
        return rows.error();
    Columns field(*rows);
    const int classColumn = field("classid"), objectColumn = field("objid"),
              subColumn = field("objsubid"), refClassColumn = field("refclassid"),
              refObjectColumn = field("refobjid"), refSubColumn = field("refobjsubid"),
              typeColumn = field("deptype");
    if (const Result<void> found = field.check(); !found)
        return found;
    if (rows->rowCount() != 1 || rows->isNull(0, typeColumn))
        return {};
    // The elements of one array ("{1,2,3}", numbers and one-letter "char"s: no quoting),
    // read in step with the others.
    struct Elements
    {
        QByteArrayView text;
        qsizetype at = 1;
        QByteArrayView next()
        {
            qsizetype end = at;
            while (end < text.size() && text.at(end) != ',' && text.at(end) != '}')
                ++end;
            const QByteArrayView element = text.sliced(at, end - at);
            at = end + 1;
            return element;
        }
        bool atEnd() const { return at >= text.size(); }
    };
    const auto column = [&rows](int c) { return Elements{rows->rawValue(0, c)}; };
    // Extension membership first: the other rows resolve through m_extensionMembers.
    for (Elements classes = column(classColumn), objects = column(objectColumn),
                  refClasses = column(refClassColumn), refObjects = column(refObjectColumn),
                  types = column(typeColumn);
         !types.atEnd();) {
        const uint classId = decimal<uint>(classes.next());
        const uint objId = decimal<uint>(objects.next());
        const uint refClassId = decimal<uint>(refClasses.next());
        const uint refObjId = decimal<uint>(refObjects.next());
        if (types.next() != "e" || refClassId != kPgExtension)
            continue;
        // A reference to an extension's member orders after CREATE EXTENSION.
        const QString extension = m_ids.value(key(kPgExtension, refObjId));
        if (!extension.isEmpty())
            m_extensionMembers.insert(key(classId, objId), extension);
    }
    // A catalog row's dependencies were recorded together, so they mostly come one after
    // another: the depender is looked up once for the run.
    uint lastClassId = 0;
    uint lastObjId = 0;
    int lastObjSub = -1;
    QString from;
    SchemaObject *object = nullptr;
    for (Elements classes = column(classColumn), objects = column(objectColumn),
                  subs = column(subColumn), refClasses = column(refClassColumn),
                  refObjects = column(refObjectColumn), refSubs = column(refSubColumn),
                  types = column(typeColumn);
         !types.atEnd();) {
        const uint classId = decimal<uint>(classes.next());
        const uint objId = decimal<uint>(objects.next());
        const int objSub = decimal<int>(subs.next());
        const uint refClassId = decimal<uint>(refClasses.next());
        const uint refObjId = decimal<uint>(refObjects.next());
        const int refSub = decimal<int>(refSubs.next());
        const QByteArrayView deptype = types.next();
        if (deptype == "e")
            continue;
        if (classId != lastClassId || objId != lastObjId || objSub != lastObjSub) {
            lastClassId = classId;
            lastObjId = objId;
            lastObjSub = objSub;
            from = resolve(classId, objId, objSub);
            object = from.isEmpty() ? nullptr : m_byId.value(from);
        }
        if (!object)
            continue;
        const QString to = resolve(refClassId, refObjId, refSub);
        if (to.isEmpty() || to == from)
            continue;
        // A sequence OWNED BY a column is an attribute of the sequence, applied last;
        // as an edge it would form a cycle with the column default using the sequence.
        if (object->kind == ObjectKind::Sequence && deptype == "a")
            continue;
        object->dependsOn << to;
    }
    return {};
}

void Reader::addStructuralDependencies()
{
    QHash<QString, QString> tableIds; // "schema\ntable" → id of table/view/matview
    for (const RelationInfo &relation : std::as_const(m_relations))
        tableIds.insert(relation.schema + QLatin1Char('\n') + relation.name, relation.id);
    // One shared string per schema id rather than one per object.
    // Empty when the schema is not in the snapshot (an extension's, filtered out).
    QHash<QString, QString> schemaIds;
    const auto schemaId = [this, &schemaIds](const QString &schema) {
        auto it = schemaIds.find(schema);
        if (it == schemaIds.end()) {
            const QString id = objectId(ObjectKind::Schema, {}, {}, schema);
            it = schemaIds.insert(schema, m_byId.contains(id) ? id : QString());
        }
        return it.value();
    };
    QString tableKey; // reused: no allocation per object
    const auto tableOf = [&tableKey, &tableIds](const SchemaObject &object) {
        tableKey.clear();
        tableKey += object.schema;
        tableKey += QLatin1Char('\n');
        tableKey += object.table;
        return tableIds.value(tableKey);
    };
    for (SchemaObject &object : m_snapshot.objects) {
        // An inherited column comes after the parents' column of that name: added with
        // it, retyped with it.
        if (object.kind == ObjectKind::Column && object.inherited) {
            const SchemaObject *table = m_byId.value(tableOf(object));
            for (const QString &parent : table ? table->elements : QStringList()) {
                const QString column = objectKindName(ObjectKind::Column) + QLatin1Char(' ') +
                                       parent + QLatin1Char('.') + quoteIdent(object.name);
                if (m_byId.contains(column))
                    object.dependsOn << column;
            }
        }
        // Only edges to objects in the snapshot order anything. Those from pg_depend are
        // (resolve() knows only the ids add() registered); of these, a schema may not be.
        const QString schema = object.schema.isEmpty() ? QString() : schemaId(object.schema);
        if (!schema.isEmpty())
            object.dependsOn << schema;
        if (object.kind == ObjectKind::Extension) {
            const QString home = schemaId(object.attribute(Attr::Schema));
            if (!home.isEmpty())
                object.dependsOn << home;
        }
        if (!object.table.isEmpty()) {
            const QString owner = tableOf(object); // m_relations: all in the snapshot
            if (!owner.isEmpty())
                object.dependsOn << owner;
        }
        // Sorted, then each id once (removeDuplicates() would build a set per object).
        std::sort(object.dependsOn.begin(), object.dependsOn.end());
        object.dependsOn.erase(std::unique(object.dependsOn.begin(), object.dependsOn.end()),
                               object.dependsOn.end());
        // Appending left room for more: 360,000 lists at 20,000 tables.
        object.dependsOn.squeeze();
    }
}

Result<void> Reader::readNotCompared()
{
    const Result<QueryResult> rows = query(
        QStringLiteral("SELECT"
                       " (SELECT count(*) FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c"
                       "   ON c.oid = r.ev_class WHERE r.rulename <> '_RETURN'"
                       "   AND c.relnamespace = ANY($1::pg_catalog.oid[])) AS rules,"
                       " (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relkind = 'f'"
                       "   AND c.relnamespace = ANY($1::pg_catalog.oid[])) AS foreign_tables,"
                       " (SELECT count(*) FROM pg_catalog.pg_foreign_server) AS foreign_servers,"
                       " (SELECT count(*) FROM pg_catalog.pg_publication) AS publications,"
                       " (SELECT count(*) FROM pg_catalog.pg_proc p WHERE p.prokind = 'w'"
                       "   AND p.pronamespace = ANY($1::pg_catalog.oid[])") +
        notExtensionMember(QStringLiteral("pg_proc"), QStringLiteral("p.oid")) +
        QStringLiteral(") AS window_functions,"
                       " (SELECT count(*) FROM pg_catalog.pg_type t WHERE t.typtype = 'b'"
                       "   AND t.typnamespace = ANY($1::pg_catalog.oid[]) AND t.typelem = 0") +
        notExtensionMember(QStringLiteral("pg_type"), QStringLiteral("t.oid")) +
        QStringLiteral(") AS base_types,"
                       " (SELECT count(*) FROM pg_catalog.pg_operator o"
                       "   WHERE o.oprnamespace = ANY($1::pg_catalog.oid[])") +
        notExtensionMember(QStringLiteral("pg_operator"), QStringLiteral("o.oid")) +
        QStringLiteral(") AS operators,"
                       " (SELECT count(*) FROM pg_catalog.pg_ts_config ts"
                       "   WHERE ts.cfgnamespace = ANY($1::pg_catalog.oid[])") +
        notExtensionMember(QStringLiteral("pg_ts_config"), QStringLiteral("ts.oid")) +
        QStringLiteral(
            ") AS text_search_configurations,"
            " (SELECT count(*) FROM pg_catalog.pg_statistic_ext st"
            "   WHERE st.stxnamespace = ANY($1::pg_catalog.oid[])) AS extended_statistics"));
    if (!rows)
        return rows.error();
    for (int c = 0; c < rows->columnCount(); ++c) {
        const int n = rows->value(0, c).toInt();
        if (n > 0) {
            QString label = rows->columns().at(c);
            label.replace(QLatin1Char('_'), QLatin1Char(' '));
            m_snapshot.notCompared.insert(label, n);
        }
    }
    return {};
}

} // namespace

Result<SchemaSnapshot> introspect(Connection &connection, const SchemaFilter &filter)
{
    Reader reader(connection, filter);
    return reader.run();
}

} // namespace pd
