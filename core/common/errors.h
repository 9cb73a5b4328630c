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

// Cancelled, each as its place has always said it.
Error cancelled();                  // "cancelled"
Error operationAbandoned();         // "the operation was abandoned" (no result came back)
Error driftCheckCancelled();        // "the drift check was cancelled"
Error comparisonCancelled();        // "the comparison was cancelled"
Error revertCancelled();            // "the revert was cancelled; nothing was changed"
Error migrationsCancelledPending(); // "Cancelled: the remaining migrations stay pending."
Error shuttingDown();               // "cancelled because ParityDeck is shutting down"

// An optional tail ": {line}" (a command's last line of output): the phrase under `name`
// with `line` as parameter "line", or nothing when `line` is empty.
QList<ErrorArg> outputTail(const QString &name, const QString &line);

} // namespace pd::errors
