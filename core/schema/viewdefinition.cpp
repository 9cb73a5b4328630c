#include "schema/viewdefinition.h"

#include "schema/identifiers.h"

#include <pg_query.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <vector>

namespace pd {

namespace {

// Byte ranges of the UTF-8 text to cut: "t." in front of a column.
struct Cut
{
    qsizetype at = 0;
    qsizetype length = 0;
};

class Unqualifier
{
public:
    Unqualifier(const QByteArray &utf8, QString refname, QSet<QString> outputAliases)
        : m_text(utf8)
        , m_refname(std::move(refname))
        , m_outputAliases(std::move(outputAliases))
    {
    }

    // Expressions of the outermost query level; `ordering` for ORDER BY and DISTINCT ON.
    void visit(const QJsonValue &value, bool ordering)
    {
        if (value.isArray()) {
            for (const QJsonValue &item : value.toArray())
                visit(item, ordering);
            return;
        }
        if (!value.isObject())
            return;
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString &key = it.key();
            if (key == u"SelectStmt" || key == u"RangeSubselect" || key == u"WithClause" ||
                key == u"CommonTableExpr")
                continue; // another query level: the server qualifies its columns
            if (key == u"SubLink") {
                visit(it.value().toObject().value(QLatin1String("testexpr")), ordering);
                continue;
            }
            if (key == u"ColumnRef") {
                columnRef(it.value().toObject(), ordering);
                continue;
            }
            visit(it.value(), ordering);
        }
    }

    bool failed() const noexcept { return m_failed; }
    const std::vector<Cut> &cuts() const noexcept { return m_cuts; }

private:
    void columnRef(const QJsonObject &ref, bool ordering)
    {
        const QJsonArray fields = ref.value(QLatin1String("fields")).toArray();
        if (fields.size() != 2)
            return;
        const QString qualifier = stringField(fields.at(0));
        const QString column = stringField(fields.at(1));
        if (qualifier != m_refname || column.isNull())
            return; // an outer reference, or t.*
        if (ordering && m_outputAliases.contains(column))
            return; // bare, it would name the output column
        const qsizetype at = ref.value(QLatin1String("location")).toInteger(-1);
        // The server spells the qualifier with quote_identifier; its keyword list may
        // differ from ours, so both spellings are accepted, and anything else is a failure.
        const QString alwaysQuoted = QLatin1Char('"') +
                                     QString(qualifier).replace(u'"', QStringLiteral("\"\"")) +
                                     QLatin1Char('"');
        for (const QString &spelling : {quoteIdent(qualifier), alwaysQuoted}) {
            const QByteArray prefix = spelling.toUtf8() + '.';
            if (at >= 0 && m_text.mid(at, prefix.size()) == prefix) {
                m_cuts.push_back({at, prefix.size()});
                return;
            }
        }
        m_failed = true;
    }

    static QString stringField(const QJsonValue &field)
    {
        const QJsonValue string = field.toObject().value(QLatin1String("String"));
        if (!string.isObject())
            return {};
        return string.toObject().value(QLatin1String("sval")).toString();
    }

    const QByteArray &m_text;
    QString m_refname;
    QSet<QString> m_outputAliases;
    std::vector<Cut> m_cuts;
    bool m_failed = false;
};

// The name columns of the only relation in FROM are qualified with, or empty.
QString singleRelationName(const QJsonArray &from)
{
    if (from.size() != 1)
        return {};
    const QJsonObject item = from.first().toObject();
    const auto aliasOf = [](const QJsonObject &node) {
        return node.value(QLatin1String("alias"))
            .toObject()
            .value(QLatin1String("aliasname"))
            .toString();
    };
    if (item.contains(QLatin1String("RangeVar"))) {
        const QJsonObject rangeVar = item.value(QLatin1String("RangeVar")).toObject();
        const QString alias = aliasOf(rangeVar);
        return alias.isEmpty() ? rangeVar.value(QLatin1String("relname")).toString() : alias;
    }
    if (item.contains(QLatin1String("RangeSubselect")))
        return aliasOf(item.value(QLatin1String("RangeSubselect")).toObject());
    if (item.contains(QLatin1String("RangeFunction")))
        return aliasOf(item.value(QLatin1String("RangeFunction")).toObject());
    return {}; // a join: several relations
}

} // namespace

QString versionIndependentViewDefinition(const QString &definition)
{
    const QByteArray utf8 = definition.toUtf8();
    PgQueryParseResult parsed = pg_query_parse(utf8.constData());
    if (parsed.error) {
        pg_query_free_parse_result(parsed);
        return definition;
    }
    const QJsonDocument tree = QJsonDocument::fromJson(QByteArray(parsed.parse_tree));
    pg_query_free_parse_result(parsed);
    const QJsonArray statements = tree.object().value(QLatin1String("stmts")).toArray();
    if (statements.size() != 1)
        return definition;
    const QJsonObject select = statements.first()
                                   .toObject()
                                   .value(QLatin1String("stmt"))
                                   .toObject()
                                   .value(QLatin1String("SelectStmt"))
                                   .toObject();
    if (select.isEmpty() ||
        select.value(QLatin1String("op")).toString(QStringLiteral("SETOP_NONE")) != u"SETOP_NONE")
        return definition;
    const QString refname = singleRelationName(select.value(QLatin1String("fromClause")).toArray());
    if (refname.isEmpty())
        return definition;

    QSet<QString> aliases;
    for (const QJsonValue &target : select.value(QLatin1String("targetList")).toArray()) {
        const QString name = target.toObject()
                                 .value(QLatin1String("ResTarget"))
                                 .toObject()
                                 .value(QLatin1String("name"))
                                 .toString();
        if (!name.isEmpty())
            aliases.insert(name);
    }
    Unqualifier unqualifier(utf8, refname, aliases);
    for (auto it = select.constBegin(); it != select.constEnd(); ++it) {
        if (it.key() == u"fromClause" || it.key() == u"withClause")
            continue;
        unqualifier.visit(it.value(), it.key() == u"sortClause" || it.key() == u"distinctClause");
    }
    if (unqualifier.failed() || unqualifier.cuts().empty())
        return definition;
    std::vector<Cut> cuts = unqualifier.cuts();
    std::sort(cuts.begin(), cuts.end(), [](const Cut &a, const Cut &b) { return a.at > b.at; });
    QByteArray out = utf8;
    for (const Cut &cut : cuts)
        out.remove(cut.at, cut.length);
    return QString::fromUtf8(out);
}

} // namespace pd
