// How a git branch name becomes a database name: BranchConfig::naming ("{db}__{branch}")
// with {db} the environment's main database and {branch} the slug of the git branch.
//
// PostgreSQL silently truncates identifiers to 63 bytes, so two long branch names could
// end up on the same database. Names that would be longer are cut and get a short hash
// of the untouched git branch name appended, so distinct branches keep distinct names
// and the truncation is visible. (Slugs of different branches can still meet, e.g.
// "feature/x" and "feature-x"; DatabaseBranches records the git branch in the database
// comment and refuses to hand one branch's database to another.)
#pragma once

#include "common/result.h"

#include <QString>

namespace pd::branchnaming {

// PostgreSQL's NAMEDATALEN - 1.
constexpr int kMaxIdentifierBytes = 63;

// Lower case, every character outside [a-z0-9_] becomes '_', runs of '_' collapse to one,
// leading and trailing '_' are trimmed. "Feature/LOGIN-page" → "feature_login_page".
QString slug(const QString &gitBranch);

// First 8 hex digits of SHA-256 over the UTF-8 text.
QString shortHash(const QString &text);

// A branch name someone typed or a tool printed, before it reaches a database name, a
// vendor's command line, the audit log or a terminal: a line break or another control
// character would split a command or an audit line and hide what was really named.
// `what` names it in the message ("branch", "parent branch").
Result<void> checkName(const QString &name, const QString &what);

// The database name for `gitBranch`: always at most 63 bytes (see above).
QString databaseName(const QString &pattern, const QString &mainDatabase, const QString &gitBranch);

} // namespace pd::branchnaming
