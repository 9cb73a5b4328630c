// Preferences that are the user's, not the workspace's: start minimised to the tray, start
// at login (an XDG autostart entry), desktop notifications, and the appearance (theme.h). Changes apply at once
// (there is no OK); the autostart file is written on a worker thread and its outcome shown
// inline. Stored with QSettings (ParityDeck/paritydeck) under "ui/".
#pragma once

#include "theme.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;

namespace pd::ui {

class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    // `workspaceFile`: what the autostart entry opens.
    explicit SettingsDialog(const QString &workspaceFile, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    static bool startMinimised();
    static bool notificationsEnabled();
    static void setStartMinimised(bool on);
    static void setNotificationsEnabled(bool on);
    static Theme theme();
    static void setTheme(Theme theme);

Q_SIGNALS:
    void notificationsChanged(bool enabled);
    // The autostart entry was written or removed (`ok` false with the error).
    void autostartChanged(bool ok, const QString &message);

private:
    void setAutostart(bool on);

    QString m_workspaceFile;
    QCheckBox *m_startMinimised = nullptr;
    QCheckBox *m_autostart = nullptr;
    QCheckBox *m_notifications = nullptr;
    QComboBox *m_theme = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace pd::ui
