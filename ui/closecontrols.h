// How every secondary window of the panel (parity, secrets, audit log, settings, branch
// switcher) is closed from the keyboard and with the mouse, the same way everywhere:
// Esc and Ctrl+W close the window, and a Close button at the bottom right does too.
// One helper so each window adds this with one call instead of each inventing its own.
#pragma once

class QPushButton;
class QWidget;

namespace pd::ui {

// Esc and Ctrl+W close `window` while it is the active window (shortcuts of its own,
// so they never reach the main window's Esc, which hides to the tray).
void addCloseShortcuts(QWidget *window);

// addCloseShortcuts() plus a "Close" button, named `<window objectName>Close`, in a new row
// at the end of the window's box layout (set the layout first). Returns the button.
QPushButton *addCloseControls(QWidget *window);

} // namespace pd::ui
