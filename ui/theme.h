// Appearance: follow the desktop (System), or force a Light or Dark palette on Qt's Fusion
// style. Qt 6.4 on many Linux desktops does not follow the desktop's dark mode, so the
// choice is the user's (Settings ▸ Appearance), stored as "ui/theme". Every colour the
// panel draws itself is derived from the palette or picked for its lightness, so both
// palettes keep text readable (tested by contrast on a rendered window).
#pragma once

#include <QString>

namespace pd::ui {

enum class Theme { System, Light, Dark };

QString themeName(Theme theme);          // "system", "light", "dark"
Theme themeFromName(const QString &name); // unknown names are System

// Applies `theme` to the running application. System restores the palette and style the
// application had before the first call.
void applyTheme(Theme theme);

} // namespace pd::ui
