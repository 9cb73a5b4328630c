// The "start ParityDeck when I log in" entry: a desktop file in the XDG autostart folder
// (~/.config/autostart/io.paritydeck.ParityDeck.desktop, or under $XDG_CONFIG_HOME) that
// runs this binary on this workspace. Reading and writing it are file operations, so they
// run on a worker thread and come back as futures.
#pragma once

#include "common/result.h"

#include <QFuture>
#include <QString>

namespace pd::ui {

class Autostart final
{
public:
    static QString filePath();
    // The desktop entry that starts `binary` on `workspaceFile` (quoted per the Desktop
    // Entry spec's Exec rules).
    static QString entryText(const QString &binary, const QString &workspaceFile);

    static QFuture<bool> isEnabled();
    // Writes (enabled) or removes (disabled) the entry.
    static QFuture<Result<void>> setEnabled(bool enabled, const QString &binary,
                                            const QString &workspaceFile);
};

} // namespace pd::ui
