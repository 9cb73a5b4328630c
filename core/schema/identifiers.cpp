#include "schema/identifiers.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace pd {

namespace {

// SELECT word FROM pg_get_keywords() WHERE catcode <> 'U' on PostgreSQL 15, plus the
// words later releases reserved (json_*, merge_action, system_user): quoting one word too
// many is harmless, quoting one too few breaks the script on a newer server. Sorted.
// clang-format off
constexpr std::string_view kQuotedKeywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
    "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
    "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float",
    "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having",
    "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval",
    "into", "is", "isnull", "join", "json_array", "json_arrayagg", "json_exists", "json_object",
    "json_objectagg", "json_query", "json_scalar", "json_serialize", "json_table", "json_value",
    "lateral", "leading", "least", "left", "like", "limit", "localtime", "localtimestamp",
    "merge_action", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null",
    "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps",
    "overlay", "placing", "position", "precision", "primary", "real", "references", "returning",
    "right", "row", "select", "session_user", "setof", "similar", "smallint", "some", "substring",
    "symmetric", "system_user", "table", "tablesample", "then", "time", "timestamp", "to",
    "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
    "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
    "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
    "xmlserialize", "xmltable"};
// clang-format on

// For each first letter a–z, a bit per length (up to 31) that some keyword has: most
// identifiers are rejected by one lookup, before any string comparison.
struct KeywordShapes
{
    quint32 lengths[26] = {};
    constexpr KeywordShapes()
    {
        for (const std::string_view word : kQuotedKeywords)
            lengths[word.front() - 'a'] |= quint32(1) << word.size();
    }
};
constexpr KeywordShapes kKeywordShapes;

bool isPlainIdentifier(const QString &name)
{
    if (name.isEmpty())
        return false;
    const QChar first = name.front();
    if (!((first >= u'a' && first <= u'z') || first == u'_'))
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
    });
}

} // namespace

bool isQuotedKeyword(const QString &word)
{
    // Called for every identifier of a snapshot: no allocation. No keyword is longer than
    // "current_timestamp" (17) or outside ASCII.
    constexpr qsizetype kLongest = 17;
    if (word.size() < 2 || word.size() > kLongest)
        return false;
    const char16_t first = word.front().unicode();
    if (first < u'a' || first > u'z' ||
        !(kKeywordShapes.lengths[first - u'a'] & (quint32(1) << word.size())))
        return false;
    char buffer[kLongest];
    for (qsizetype i = 0; i < word.size(); ++i) {
        const char16_t c = word.at(i).unicode();
        if (c > 127)
            return false;
        buffer[i] = char(c);
    }
    const std::string_view key(buffer, size_t(word.size()));
    return std::binary_search(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), key);
}

QString quoteIdent(const QString &name)
{
    if (isPlainIdentifier(name) && !isQuotedKeyword(name))
        return name;
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString qualifiedName(const QString &schema, const QString &name)
{
    if (schema.isEmpty())
        return quoteIdent(name);
    return quoteIdent(schema) + QLatin1Char('.') + quoteIdent(name);
}

QString identifierPrefix(const QString &name, qsizetype maxBytes)
{
    qsizetype bytes = 0;
    qsizetype i = 0;
    while (i < name.size()) {
        const QChar c = name.at(i);
        const bool pair =
            c.isHighSurrogate() && i + 1 < name.size() && name.at(i + 1).isLowSurrogate();
        const qsizetype width = pair ? 4 : c.unicode() < 0x80 ? 1 : c.unicode() < 0x800 ? 2 : 3;
        if (bytes + width > maxBytes)
            break;
        bytes += width;
        i += pair ? 2 : 1;
    }
    return name.left(i);
}

QString quoteLiteral(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    if (quoted.contains(QLatin1Char('\\'))) {
        quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
        return QStringLiteral("E'") + quoted + QLatin1Char('\'');
    }
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace pd
