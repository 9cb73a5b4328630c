// The diff as JSON for `paritydeck diff --format json` and anything scripting around it.
// The format is documented in docs/diff-json.md and versioned by its "format" member.
#pragma once

#include "schema/schemadiff.h"

#include <QJsonObject>

namespace pd {

QJsonObject diffToJson(const SchemaDiff &diff);

} // namespace pd
