// Appearance: follow the desktop (System), or force a Light or Dark palette on Qt's Fusion
// style. Qt 6.4 on many Linux desktops does not follow the desktop's dark mode, so the
// choice is the user's (Settings ▸ Appearance), stored as "ui/theme". Every colour the
// panel draws itself is derived from the palette or picked for its lightness, so both
// palettes keep text readable (tested by contrast on a rendered window).
//
// Whatever the theme, the style is wrapped so that two things stay visible that Fusion
// draws too faintly: the keyboard focus (a 2 px ring in a colour with at least 3:1 against
// the window and the card background) and the box of an unchecked check box or radio
// button (its edge at least 3:1 against the same backgrounds; Fusion's edge was 1.2:1 in
// the dark palette and 2.3:1 in the light one).
#pragma once

#include <QColor>
#include <QString>

class QPalette;

namespace pd::ui {

enum class Theme { System, Light, Dark };

QString themeName(Theme theme);           // "system", "light", "dark"
Theme themeFromName(const QString &name); // unknown names are System

// Applies `theme` to the running application. System restores the palette and style the
// application had before the first call.
void applyTheme(Theme theme);

// WCAG contrast ratio of two colours (1 … 21).
double contrastRatio(const QColor &a, const QColor &b);
// The colour of the focus ring and of check box/radio edges: the first of Highlight,
// a blend of WindowText into Window, WindowText, that has 3:1 against both Window and Base.
QColor focusRingColor(const QPalette &palette);
QColor indicatorEdgeColor(const QPalette &palette);

} // namespace pd::ui
