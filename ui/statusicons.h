// Status artwork: one SVG shape per StatusState (resources/icons/status/*.svg) and the tray
// icon composed from the application icon plus that shape. Everything is rendered from
// vectors at each requested size, so icons stay crisp at any scale factor. Nothing is cached
// here (a static QPixmap would outlive the QGuiApplication); callers that need an icon
// often keep their own copy.
#pragma once

#include "environment/environmentstatus.h"

#include <QIcon>
#include <QImage>
#include <QString>

namespace pd::ui {

// Qt resource path of the status shape, e.g. ":/paritydeck/icons/status/up.svg".
QString statusIconPath(StatusState state);

QIcon appIcon();
QIcon refreshIcon();
QIcon statusIcon(StatusState state);
// Application icon with the aggregate's shape as a badge in the lower right corner.
QIcon trayIcon(StatusState state);

// One rendering of the tray icon at `pixels` × `pixels` (device pixels); trayIcon() is
// made of these. Exposed so tests and screenshots can look at a single size.
QImage renderTrayImage(StatusState state, int pixels);

} // namespace pd::ui
