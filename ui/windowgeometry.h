// Remembered sizes and positions of secondary windows (parity, secrets, audit log, migration
// and branch dialogs). The main window and the diff review keep their own.
#pragma once

#include <QString>

class QWidget;

namespace pd::ui {

// From now on `window` reopens where the user last left it: the geometry saved under
// `key` is restored at once (call this before the first show), and saved again whenever the window
// is hidden or closed (a few hundred bytes to the local settings file; never while checks run). The
// first-run size the window set itself stays when nothing is saved yet.
void rememberGeometry(QWidget *window, const QString &key);

} // namespace pd::ui
