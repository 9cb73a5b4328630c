// The panel's words for a core error. A structured error (common/errormessage.h: a kind
// and named parameters) is composed here from its template through the translator, so
// the sentence follows the panel's language; free text, or an error whose message was
// rewritten after it was made, is shown as it is. The CLI prints Error::message, the
// same sentence in English.
#pragma once

#include "common/result.h"

#include <QString>

namespace pd::ui {

QString errorText(const Error &error);

} // namespace pd::ui
