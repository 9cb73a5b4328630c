// Quoting of SQL identifiers and literals for generated statements, following the server's
// own quote_ident()/quote_literal() rules so that the text we emit is what pg_dump would
// emit: an identifier stays bare only when it is lower case ASCII letters, digits and
// underscores, does not start with a digit, and is not a keyword that needs quoting.
#pragma once

#include <QString>
#include <QStringList>

namespace pd {

// "Order" -> "\"Order\"", "user" -> "\"user\"", "orders" -> "orders".
QString quoteIdent(const QString &name);
// schema.name with each part quoted as needed; an empty schema gives just the name.
QString qualifiedName(const QString &schema, const QString &name);
// 'it''s' — and E'…' when the text contains a backslash, as quote_literal does.
QString quoteLiteral(const QString &text);
// The longest prefix of `name` that takes at most `maxBytes` bytes in UTF-8 and ends on a
// whole character. PostgreSQL cuts identifiers at 63 bytes (NAMEDATALEN - 1); a name built
// from another ("<name>__pd_old") must be cut here, or the server's cut could drop the suffix.
QString identifierPrefix(const QString &name, qsizetype maxBytes);
// True for keywords that quote_ident quotes (everything but unreserved keywords).
bool isQuotedKeyword(const QString &word);

} // namespace pd
