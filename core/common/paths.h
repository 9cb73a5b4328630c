// Where ParityDeck keeps per-user files, following the XDG base directory spec.
// State (logs, audit log, pidfiles, branch selection) is per machine and per user and
// never lives in paritydeck.yaml.
#pragma once

#include <QString>

namespace pd::paths {

QString stateDir();  // $XDG_STATE_HOME/paritydeck (default ~/.local/state/paritydeck)
QString configDir(); // $XDG_CONFIG_HOME/paritydeck (default ~/.config/paritydeck)
QString logFile();   // stateDir()/paritydeck.log

} // namespace pd::paths
