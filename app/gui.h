#pragma once

#include <QElapsedTimer>
#include <QStringList>

namespace pd::app {

// Opens the control panel: loads the workspace, starts the status monitor, shows the
// main window and the tray icon. Returns the process exit code.
int runGui(int &argc, char **argv, const QStringList &arguments, const QElapsedTimer &sinceLaunch);

} // namespace pd::app
