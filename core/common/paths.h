// Where ParityDeck keeps per-user files, following the XDG base directory spec.
// State (logs, audit log, pidfiles, branch selection) is per machine and per user and
// never lives in paritydeck.yaml.
#pragma once

#include <QString>

namespace pd::paths {

QString stateDir();  // $XDG_STATE_HOME/paritydeck (default ~/.local/state/paritydeck)
QString configDir(); // $XDG_CONFIG_HOME/paritydeck (default ~/.config/paritydeck)
QString logFile();   // stateDir()/paritydeck.log

// Creates `folder` and the folders above it that are missing, each readable by the user
// alone (0700), and tightens every existing folder from stateDir() down to `folder` to
// 0700 as well: state folders hold pidfiles, service logs, the audit log and the parity
// key, and an older ParityDeck made some of them 0755. False when `folder` is no folder
// afterwards.
bool makePrivateFolder(const QString &folder);

} // namespace pd::paths
