// Preferences that are the user's, not the workspace's: start minimised to the tray, start
// at login (an XDG autostart entry), how often environments and drift are checked (the
// workspace's refresh_interval and drift_interval unless the user sets their own),
// desktop notifications and which events notify, and the appearance (theme.h). Changes
// apply at once (there is no OK); the autostart file is written on a worker thread and its
// outcome shown inline. Stored with QSettings (ParityDeck/paritydeck); the getters other
// parts of the panel act on are in appsettings.h. Esc, Ctrl+W and Close close it.
#pragma once

#include "theme.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

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

    // What the workspace says (seconds), shown beside the user's own intervals and used
    // when the user sets none. Defaults: 5 and 600, as paritydeck.yaml's.
    void setWorkspaceIntervals(int refreshSeconds, int driftSeconds);

Q_SIGNALS:
    void notificationsChanged(bool enabled);
    // The user's refresh or drift interval changed (appsettings.h has the values).
    void intervalsChanged();
    // Which events notify changed (appsettings.h: notifies()).
    void notifyEventsChanged();
    // The autostart entry was written or removed (`ok` false with the error).
    void autostartChanged(bool ok, const QString &message);

private:
    void setAutostart(bool on);
    void updateIntervalTexts();

    QString m_workspaceFile;
    QCheckBox *m_startMinimised = nullptr;
    QCheckBox *m_autostart = nullptr;
    QCheckBox *m_notifications = nullptr;
    QList<QCheckBox *> m_notifyEvents; // in NotifyEvent order
    QCheckBox *m_ownRefresh = nullptr;
    QSpinBox *m_refresh = nullptr;
    QCheckBox *m_ownDrift = nullptr;
    QSpinBox *m_drift = nullptr;
    QLabel *m_intervalsNote = nullptr;
    int m_workspaceRefresh = 5;
    int m_workspaceDrift = 600;
    QComboBox *m_theme = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace pd::ui
