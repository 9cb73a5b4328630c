// The sentences core says in more than one place, each built by one function as a
// structured error (common/errormessage.h: a kind and its parameters), so every site says
// it the same way and the panel can translate it. The English text is what these sites
// always printed.
#pragma once

#include "common/result.h"

namespace pd::errors {

// NotFound: "no environment 'qa'".
Error noEnvironment(const QString &environment);
// Runtime: "dev: Applying migrations is still running" (one operation per environment).
Error stillRunning(const QString &environment, const QString &operation);

// NotFound: "there is no migration with version 7 in /w/migrations".
Error noMigrationWithVersion(const QString &version, const QString &folder);

// Cancelled, each as its place has always said it.
Error cancelled();                  // "cancelled"
Error operationAbandoned();         // "the operation was abandoned" (no result came back)
Error driftCheckCancelled();        // "the drift check was cancelled"
Error comparisonCancelled();        // "the comparison was cancelled"
Error revertCancelled();            // "the revert was cancelled; nothing was changed"
Error migrationsCancelledPending(); // "Cancelled: the remaining migrations stay pending."
Error shuttingDown();               // "cancelled because ParityDeck is shutting down"

// A problem in a file at a place ("a.sql:3:7: …", "a.sql:3: …", "a.sql: …"), the kinds
// ConfigAtPosition, ConfigAtLine and ConfigInFile: `detail` holds the parameter "detail"
// (text or a phrase) and whatever that phrase asks for. A line or column of 0 is left out.
Error inFile(ErrorCode code, const QString &file, int line, int column, QList<ErrorArg> detail);

// An optional tail ": {line}" (a command's last line of output): the phrase under `name`
// with `line` as parameter "line", or nothing when `line` is empty.
QList<ErrorArg> outputTail(const QString &name, const QString &line);

} // namespace pd::errors
