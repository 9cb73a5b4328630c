#include "settingsdialog.h"

#include "appsettings.h"
#include "autostart.h"
#include "whenfinished.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace pd::ui {
bool SettingsDialog::startMinimised()
{
    return appSettings().value(QStringLiteral("ui/startMinimised"), false).toBool();
}

bool SettingsDialog::notificationsEnabled()
{
    return appSettings().value(QStringLiteral("ui/notifications"), true).toBool();
}

void SettingsDialog::setStartMinimised(bool on)
{
    appSettings().setValue(QStringLiteral("ui/startMinimised"), on);
}

void SettingsDialog::setNotificationsEnabled(bool on)
{
    appSettings().setValue(QStringLiteral("ui/notifications"), on);
}

Theme SettingsDialog::theme()
{
    return themeFromName(appSettings().value(QStringLiteral("ui/theme")).toString());
}

void SettingsDialog::setTheme(Theme theme)
{
    appSettings().setValue(QStringLiteral("ui/theme"), themeName(theme));
}

SettingsDialog::SettingsDialog(const QString &workspaceFile, QWidget *parent)
    : QDialog(parent)
    , m_workspaceFile(workspaceFile)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(QStringLiteral("Settings — ParityDeck"));

    m_startMinimised = new QCheckBox(QStringLiteral("Start &minimised to the tray"), this);
    m_startMinimised->setObjectName(QStringLiteral("settingStartMinimised"));
    m_startMinimised->setToolTip(QStringLiteral("Open only the tray icon at launch (when a "
                                                "system tray is available)"));
    m_startMinimised->setChecked(startMinimised());
    connect(m_startMinimised, &QCheckBox::toggled, this, &SettingsDialog::setStartMinimised);

    m_autostart = new QCheckBox(QStringLiteral("Start ParityDeck when I &log in"), this);
    m_autostart->setObjectName(QStringLiteral("settingAutostart"));
    m_autostart->setToolTip(QStringLiteral("Writes %1").arg(Autostart::filePath()));
    m_autostart->setEnabled(false); // until the current state is known
    whenFinished(this, Autostart::isEnabled(), [this](const QFuture<bool> &future) {
        const QSignalBlocker block(m_autostart);
        m_autostart->setChecked(future.result());
        m_autostart->setEnabled(true);
        connect(m_autostart, &QCheckBox::toggled, this, &SettingsDialog::setAutostart,
                Qt::UniqueConnection);
    });

    m_notifications = new QCheckBox(QStringLiteral("Show &notifications when an environment "
                                                   "changes state or a long operation ends"),
                                    this);
    m_notifications->setObjectName(QStringLiteral("settingNotifications"));
    m_notifications->setChecked(notificationsEnabled());
    connect(m_notifications, &QCheckBox::toggled, this, [this](bool on) {
        setNotificationsEnabled(on);
        Q_EMIT notificationsChanged(on);
    });

    m_theme = new QComboBox(this);
    m_theme->setObjectName(QStringLiteral("settingTheme"));
    m_theme->addItem(QStringLiteral("Follow the system"), int(Theme::System));
    m_theme->addItem(QStringLiteral("Light"), int(Theme::Light));
    m_theme->addItem(QStringLiteral("Dark"), int(Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(theme())));
    m_theme->setToolTip(QStringLiteral("Colours of every ParityDeck window; applied at once"));
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto chosen = Theme(m_theme->itemData(index).toInt());
        setTheme(chosen);
        applyTheme(chosen);
    });
    auto *themeLabel = new QLabel(QStringLiteral("&Appearance:"), this);
    themeLabel->setBuddy(m_theme);
    auto *themeRow = new QHBoxLayout;
    themeRow->addWidget(themeLabel);
    themeRow->addWidget(m_theme);
    themeRow->addStretch(1);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("settingsStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("settingsClose"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_startMinimised);
    layout->addWidget(m_autostart);
    layout->addWidget(m_notifications);
    layout->addLayout(themeRow);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(buttons);
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::setAutostart(bool on)
{
    m_autostart->setEnabled(false);
    m_status->setText(on ? QStringLiteral("Writing the autostart entry…")
                         : QStringLiteral("Removing the autostart entry…"));
    whenFinished(this,
                 Autostart::setEnabled(on, QCoreApplication::applicationFilePath(), m_workspaceFile),
                 [this, on](const QFuture<Result<void>> &future) {
                     const Result<void> result = future.result();
                     m_autostart->setEnabled(true);
                     QString text;
                     if (result) {
                         text = on ? QStringLiteral("ParityDeck starts at login (%1).")
                                         .arg(Autostart::filePath())
                                   : QStringLiteral("ParityDeck no longer starts at login.");
                     } else {
                         text = result.error().message;
                         const QSignalBlocker block(m_autostart);
                         m_autostart->setChecked(!on);
                     }
                     m_status->setText(text);
                     Q_EMIT autostartChanged(result.ok(), text);
                 });
}

} // namespace pd::ui
