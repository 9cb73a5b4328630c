// Help ▸ About ParityDeck: the version of ParityDeck, of the Qt it runs on and of the libpq
// it talks to PostgreSQL with (PQlibVersion(), the library actually loaded), and the
// licences of ParityDeck and of the libraries it ships with. Non-modal; Esc, Ctrl+W and
// Close close it. Also where the user guide is found for Help ▸ Documentation.
#pragma once

#include <QDialog>

namespace pd::ui {

class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    explicit AboutDialog(QWidget *parent = nullptr);
    ~AboutDialog() override;

    // "15.4" from the loaded libpq; "16devel"-style values are shown as numbers too.
    static QString libpqVersion();
    // The Qt version the process runs on (qVersion()).
    static QString qtVersion();
};

// The user guide to open: the installed copy (…/share/doc/paritydeck/user-guide.md next to
// the binary's prefix, then /usr/share/doc/paritydeck), else the source tree's
// docs/user-guide.md for builds run from a checkout. Empty when none exists.
QString userGuidePath();

} // namespace pd::ui
