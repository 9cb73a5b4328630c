// The panel's own settings store (window sizes, layout, preferences): one place that
// names it, so every window reads and writes the same file
// (~/.config/ParityDeck/paritydeck.conf on Linux).
#pragma once

#include <QSettings>

namespace pd::ui {

QSettings appSettings();

} // namespace pd::ui
