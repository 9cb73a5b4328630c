// PostgreSQL's own scanner (libpg_query's pg_query_scan): the tokens of a text with their
// byte positions, so SQL is never split or searched by hand.
#pragma once

#include <QByteArray>

#include <optional>
#include <vector>

namespace pd {

struct SqlToken
{
    // Token numbers from pg_query.proto (enum Token); single characters are their ASCII code.
    static constexpr int Identifier = 258;  // name or "quoted name"
    static constexpr int StringConst = 261; // 'text', E'text', $tag$text$tag$
    static constexpr int SqlComment = 275;  // -- …
    static constexpr int CComment = 276;    // /* … */
    static constexpr int ColonEquals = 270; // :=
    int start = 0;                          // byte offsets into the scanned text
    int end = 0;
    int token = 0;
    bool isComment() const { return token == SqlComment || token == CComment; }
};

// The tokens of `utf8`, comments included; nullopt when the scanner rejects the text.
std::optional<std::vector<SqlToken>> scanSqlTokens(const QByteArray &utf8);

} // namespace pd
