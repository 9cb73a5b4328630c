#include "schema/functionbody.h"

#include "schema/sqltokens.h"

#include <pg_query.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <optional>

namespace pd {

namespace {

// The parse tree of `sql` as JSON; nullopt when the grammar rejects it.
std::optional<QJsonDocument> parseSql(const QByteArray &utf8)
{
    PgQueryParseResult parsed = pg_query_parse(utf8.constData());
    std::optional<QJsonDocument> tree;
    if (!parsed.error && parsed.parse_tree) {
        QJsonParseError error{};
        QJsonDocument document = QJsonDocument::fromJson(parsed.parse_tree, &error);
        if (error.error == QJsonParseError::NoError)
            tree = std::move(document);
    }
    pg_query_free_parse_result(parsed);
    return tree;
}

QString stringNode(const QJsonValue &value)
{
    return value.toObject()
        .value(QLatin1String("String"))
        .toObject()
        .value(QLatin1String("sval"))
        .toString();
}

QStringList stringList(const QJsonValue &value)
{
    QStringList items;
    for (const QJsonValue &item : value.toArray())
        items << stringNode(item);
    return items;
}

class Collector
{
public:
    void add(BodyReference::Kind kind, const QStringList &names)
    {
        if (names.isEmpty() || names.size() > 3 || names.last().isEmpty())
            return;
        BodyReference reference;
        reference.kind = kind;
        reference.name = names.last();
        if (names.size() >= 2)
            reference.schema = names.at(names.size() - 2); // a database name in front is ignored
        if (reference.schema == u"pg_catalog" || reference.schema == u"information_schema")
            return;
        const QString key = QString::number(int(kind)) + QLatin1Char('\n') + reference.schema +
                            QLatin1Char('\n') + reference.name;
        if (m_seen.contains(key))
            return;
        m_seen.insert(key);
        m_references.append(reference);
    }

    // Relations (RangeVar), function calls (FuncCall) and type names (TypeName) of a parse
    // tree. Names of WITH queries are not relations.
    void visit(const QJsonValue &value)
    {
        if (value.isArray()) {
            for (const QJsonValue &item : value.toArray())
                visit(item);
            return;
        }
        if (!value.isObject())
            return;
        const QJsonObject object = value.toObject();
        if (object.contains(QLatin1String("names")) && object.contains(QLatin1String("typemod")))
            add(BodyReference::Kind::Type, stringList(object.value(QLatin1String("names"))));
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString &key = it.key();
            if (key == u"RangeVar") {
                const QJsonObject range = it.value().toObject();
                const QString schema = range.value(QLatin1String("schemaname")).toString();
                const QString name = range.value(QLatin1String("relname")).toString();
                if (schema.isEmpty() && m_withNames.contains(name))
                    continue;
                add(BodyReference::Kind::Relation,
                    schema.isEmpty() ? QStringList{name} : QStringList{schema, name});
                continue;
            }
            if (key == u"FuncCall")
                add(BodyReference::Kind::Function,
                    stringList(it.value().toObject().value(QLatin1String("funcname"))));
            visit(it.value());
        }
    }

    // A parse tree: WITH query names first (object keys come in alphabetical order, so
    // "fromClause" would be seen before "withClause"), then what it names.
    void visitTree(const QJsonValue &tree)
    {
        collectWithNames(tree);
        visit(tree);
    }

    // One SQL text: statements, or (PL/pgSQL) an expression or an assignment `target := expr`.
    void visitSql(const QString &sql)
    {
        const QByteArray utf8 = sql.toUtf8();
        if (const auto tree = parseSql(utf8)) {
            visitTree(tree->object());
            return;
        }
        if (const auto tree = parseSql(QByteArrayLiteral("SELECT ") + utf8)) {
            visitTree(tree->object());
            return;
        }
        // An assignment: the expression follows the first := (or =) outside brackets of
        // the target ("a[i] := …", "r.f = …").
        const auto tokens = scanSqlTokens(utf8);
        if (!tokens)
            return;
        int depth = 0;
        for (const SqlToken &token : *tokens) {
            if (token.token == '(' || token.token == '[')
                ++depth;
            else if (token.token == ')' || token.token == ']')
                --depth;
            else if (depth == 0 && (token.token == SqlToken::ColonEquals || token.token == '=')) {
                if (const auto tree = parseSql(QByteArrayLiteral("SELECT ") + utf8.mid(token.end)))
                    visitTree(tree->object());
                return;
            }
        }
    }

    // A PL/pgSQL variable's type as the PL/pgSQL parser spells it: a type name, or
    // "rel%ROWTYPE", "rel.column%TYPE" (which name a relation).
    void visitPlpgsqlType(QString type)
    {
        if (type == u"UNKNOWN" || type.isEmpty())
            return;
        const auto suffix = [&type](QLatin1String s) {
            if (!type.endsWith(s, Qt::CaseInsensitive))
                return false;
            type.chop(s.size());
            return true;
        };
        if (suffix(QLatin1String("%ROWTYPE"))) {
            if (const auto tree = parseSql(QByteArrayLiteral("SELECT NULL::") + type.toUtf8()))
                visitTypeAsRelation(tree->object());
            return;
        }
        if (suffix(QLatin1String("%TYPE"))) {
            // A column: everything before its name names the relation.
            if (const auto tree = parseSql(QByteArrayLiteral("SELECT ") + type.toUtf8()))
                visitColumnRelation(tree->object());
            return;
        }
        if (const auto tree = parseSql(QByteArrayLiteral("SELECT NULL::") + type.toUtf8()))
            visit(tree->object());
    }

    QList<BodyReference> references() const { return m_references; }

private:
    void collectWithNames(const QJsonValue &value)
    {
        if (value.isArray()) {
            for (const QJsonValue &item : value.toArray())
                collectWithNames(item);
            return;
        }
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it.key() == u"CommonTableExpr")
                m_withNames.insert(
                    it.value().toObject().value(QLatin1String("ctename")).toString());
            if (it.value().isObject() || it.value().isArray())
                collectWithNames(it.value());
        }
    }

    void visitTypeAsRelation(const QJsonValue &value)
    {
        if (value.isArray()) {
            for (const QJsonValue &item : value.toArray())
                visitTypeAsRelation(item);
            return;
        }
        const QJsonObject object = value.toObject();
        if (object.contains(QLatin1String("names")) && object.contains(QLatin1String("typemod"))) {
            add(BodyReference::Kind::Relation, stringList(object.value(QLatin1String("names"))));
            return;
        }
        for (const QJsonValue &child : object)
            visitTypeAsRelation(child);
    }

    void visitColumnRelation(const QJsonValue &value)
    {
        if (value.isArray()) {
            for (const QJsonValue &item : value.toArray())
                visitColumnRelation(item);
            return;
        }
        const QJsonObject object = value.toObject();
        if (object.contains(QLatin1String("ColumnRef"))) {
            QStringList fields = stringList(
                object.value(QLatin1String("ColumnRef")).toObject().value(QLatin1String("fields")));
            if (fields.size() >= 2) {
                fields.removeLast();
                add(BodyReference::Kind::Relation, fields);
            }
            return;
        }
        for (const QJsonValue &child : object)
            visitColumnRelation(child);
    }

    QList<BodyReference> m_references;
    QSet<QString> m_seen;
    QSet<QString> m_withNames;
};

// PL/pgSQL: every embedded query and expression, and the declared variables' types.
void visitPlpgsql(const QJsonValue &value, Collector &collector)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            visitPlpgsql(item, collector);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key() == u"PLpgSQL_expr") {
            collector.visitSql(it.value().toObject().value(QLatin1String("query")).toString());
            continue;
        }
        if (it.key() == u"PLpgSQL_type") {
            collector.visitPlpgsqlType(
                it.value().toObject().value(QLatin1String("typname")).toString());
            continue;
        }
        visitPlpgsql(it.value(), collector);
    }
}

} // namespace

FunctionBody readFunctionBody(const QString &definition)
{
    FunctionBody body;
    const QByteArray utf8 = definition.toUtf8();
    const auto tree = parseSql(utf8);
    if (!tree)
        return body;
    const QJsonObject create = tree->object()
                                   .value(QLatin1String("stmts"))
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(QLatin1String("stmt"))
                                   .toObject()
                                   .value(QLatin1String("CreateFunctionStmt"))
                                   .toObject();
    if (create.isEmpty())
        return body;
    QString source;
    for (const QJsonValue &option : create.value(QLatin1String("options")).toArray()) {
        const QJsonObject element = option.toObject().value(QLatin1String("DefElem")).toObject();
        const QString name = element.value(QLatin1String("defname")).toString();
        const QJsonValue argument = element.value(QLatin1String("arg"));
        if (name == u"language") {
            body.language = stringNode(argument).toLower();
        } else if (name == u"as") {
            const QJsonArray items = argument.toObject()
                                         .value(QLatin1String("List"))
                                         .toObject()
                                         .value(QLatin1String("items"))
                                         .toArray();
            if (items.size() == 1) // C functions give a file and a symbol
                source = stringNode(items.at(0));
        } else if (name == u"set") {
            const QJsonObject set =
                argument.toObject().value(QLatin1String("VariableSetStmt")).toObject();
            if (set.value(QLatin1String("name")).toString() != u"search_path")
                continue;
            body.setsSearchPath = true;
            for (const QJsonValue &value : set.value(QLatin1String("args")).toArray()) {
                const QJsonObject constant =
                    value.toObject().value(QLatin1String("A_Const")).toObject();
                const QString schema = constant.value(QLatin1String("sval"))
                                           .toObject()
                                           .value(QLatin1String("sval"))
                                           .toString();
                if (!schema.isEmpty() && schema != u"$user" && schema != u"pg_temp")
                    body.searchPath << schema;
            }
        }
    }
    if (source.isEmpty())
        return body;
    Collector collector;
    if (body.language == u"sql") {
        const auto parsed = parseSql(source.toUtf8());
        if (!parsed)
            return body;
        collector.visitTree(parsed->object());
        body.read = true;
    } else if (body.language == u"plpgsql") {
        PgQueryPlpgsqlParseResult parsed = pg_query_parse_plpgsql(utf8.constData());
        if (!parsed.error && parsed.plpgsql_funcs) {
            QJsonParseError error{};
            const QJsonDocument functions = QJsonDocument::fromJson(parsed.plpgsql_funcs, &error);
            if (error.error == QJsonParseError::NoError) {
                visitPlpgsql(functions.array(), collector);
                body.read = true;
            }
        }
        pg_query_free_plpgsql_parse_result(parsed);
    }
    body.references = collector.references();
    return body;
}

} // namespace pd
