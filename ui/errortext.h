// The panel's words for a core error. A structured error (common/errormessage.h: a kind
// and named parameters) is composed here from its template through the translator, so
// the sentence follows the panel's language; free text, or an error whose message was
// rewritten after it was made, is shown as it is. The CLI prints Error::message, the
// same sentence in English.
#pragma once

#include "common/result.h"
#include "environment/environmentstatus.h"

#include <QString>

namespace pd::ui {

QString errorText(const Error &error);

// Why an environment or a service is not up, in the panel's language: each part of the
// reason through errorText(), "; " between them. A status whose reason has no parts as
// data (made by hand, read from elsewhere) shows its reason text as it is.
QString reasonText(const EnvironmentStatus &status);
QString reasonText(const ServiceStatus &status);

} // namespace pd::ui
