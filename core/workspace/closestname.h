// "Did you mean …?" for misspelt keys and values in the workspace file. A hint only:
// the caller still lists what was expected, so a missing suggestion loses nothing.
#pragma once

#include <QString>
#include <QStringList>

namespace pd {

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`,
// ignoring case: "enviroments" and "envrionments" are both one edit from "environments".
int editDistance(const QString &a, const QString &b);

// The candidate closest to `word`, or an empty string when none is close enough to be a
// likely typo (short words tolerate one edit, longer ones up to three). Ties go to the
// earlier candidate, so callers list the most common choices first.
QString closestName(const QString &word, const QStringList &candidates);

} // namespace pd
