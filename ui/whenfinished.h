// The panel's widgets use core's whenFinished (common/whenfinished.h) unqualified.
#pragma once

#include "common/whenfinished.h"

namespace pd::ui {
using pd::whenFinished;
} // namespace pd::ui
