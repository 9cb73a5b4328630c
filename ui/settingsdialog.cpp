#include "settingsdialog.h"

#include "appsettings.h"
#include "autostart.h"
#include "closecontrols.h"
#include "errortext.h"
#include "whenfinished.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
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
    setWindowTitle(tr("Settings — ParityDeck"));

    m_startMinimised = new QCheckBox(tr("Start &minimised to the tray"), this);
    m_startMinimised->setObjectName(QStringLiteral("settingStartMinimised"));
    m_startMinimised->setToolTip(tr("Open only the tray icon at launch (when a "
                                    "system tray is available)"));
    m_startMinimised->setChecked(startMinimised());
    connect(m_startMinimised, &QCheckBox::toggled, this, &SettingsDialog::setStartMinimised);

    m_autostart = new QCheckBox(tr("Start ParityDeck when I &log in"), this);
    m_autostart->setObjectName(QStringLiteral("settingAutostart"));
    m_autostart->setToolTip(tr("Writes %1").arg(Autostart::filePath()));
    m_autostart->setEnabled(false); // until the current state is known
    whenFinished(this, Autostart::isEnabled(), [this](const QFuture<bool> &future) {
        const QSignalBlocker block(m_autostart);
        m_autostart->setChecked(future.result());
        m_autostart->setEnabled(true);
        connect(m_autostart, &QCheckBox::toggled, this, &SettingsDialog::setAutostart,
                Qt::UniqueConnection);
    });

    m_notifications = new QCheckBox(tr("Show desktop &notifications when:"), this);
    m_notifications->setObjectName(QStringLiteral("settingNotifications"));
    m_notifications->setChecked(notificationsEnabled());
    connect(m_notifications, &QCheckBox::toggled, this, [this](bool on) {
        setNotificationsEnabled(on);
        for (QCheckBox *event : std::as_const(m_notifyEvents))
            event->setEnabled(on);
        Q_EMIT notificationsChanged(on);
    });
    const struct
    {
        NotifyEvent event;
        const char *name;
        QString text;
    } events[] = {
        {NotifyEvent::DriftAppeared, "settingNotifyDrift",
         tr("a schema &drifts from its migrations")},
        {NotifyEvent::EnvironmentDown, "settingNotifyDown",
         tr("an environment goes &down or fails")},
        {NotifyEvent::EnvironmentBackUp, "settingNotifyUp", tr("an environment is &back up")},
        {NotifyEvent::ActionFinished, "settingNotifyActions",
         tr("an action &finishes (start, stop, apply, drift check, branch)")},
    };
    auto *notifyLayout = new QVBoxLayout;
    notifyLayout->addWidget(m_notifications);
    for (const auto &e : events) {
        auto *box = new QCheckBox(e.text, this);
        box->setObjectName(QLatin1String(e.name));
        box->setChecked(notifyEventEnabled(e.event));
        box->setEnabled(m_notifications->isChecked());
        const NotifyEvent event = e.event;
        connect(box, &QCheckBox::toggled, this, [this, event](bool on) {
            setNotifyEventEnabled(event, on);
            Q_EMIT notifyEventsChanged();
        });
        m_notifyEvents.append(box);
        auto *row = new QHBoxLayout;
        row->addSpacing(style()->pixelMetric(QStyle::PM_IndicatorWidth) + 8);
        row->addWidget(box);
        notifyLayout->addLayout(row);
    }
    auto *notifyGroup = new QGroupBox(tr("Notifications"), this);
    notifyGroup->setLayout(notifyLayout);

    // Intervals: the workspace's unless the user sets their own on this machine.
    m_ownRefresh = new QCheckBox(tr("Check every environment e&very"), this);
    m_ownRefresh->setObjectName(QStringLiteral("settingOwnRefresh"));
    m_refresh = new QSpinBox(this);
    m_refresh->setObjectName(QStringLiteral("settingRefreshInterval"));
    m_refresh->setRange(1, 3600);
    m_refresh->setSuffix(tr(" s"));
    m_refresh->setAccessibleName(tr("Status check interval in seconds"));
    // Applied when the value is complete (Enter, focus out, arrows), not at every digit
    // typed: "600" must not run the checks every 6 s on the way.
    m_refresh->setKeyboardTracking(false);
    m_ownDrift = new QCheckBox(tr("Re-check d&rift every"), this);
    m_ownDrift->setObjectName(QStringLiteral("settingOwnDrift"));
    m_drift = new QSpinBox(this);
    m_drift->setObjectName(QStringLiteral("settingDriftInterval"));
    m_drift->setRange(0, 7 * 24 * 3600);
    m_drift->setSingleStep(60);
    m_drift->setSuffix(tr(" s"));
    m_drift->setSpecialValueText(tr("never (off)"));
    m_drift->setAccessibleName(tr("Drift check interval in seconds"));
    m_drift->setKeyboardTracking(false);
    m_intervalsNote = new QLabel(this);
    m_intervalsNote->setObjectName(QStringLiteral("settingIntervalsNote"));
    m_intervalsNote->setTextFormat(Qt::PlainText);
    m_intervalsNote->setWordWrap(true);
    const std::optional<int> refresh = localRefreshIntervalSeconds();
    const std::optional<int> drift = localDriftIntervalSeconds();
    m_ownRefresh->setChecked(refresh.has_value());
    m_ownDrift->setChecked(drift.has_value());
    updateIntervalTexts();
    if (refresh)
        m_refresh->setValue(*refresh);
    if (drift)
        m_drift->setValue(*drift);
    const auto storeRefresh = [this] {
        setLocalRefreshIntervalSeconds(
            m_ownRefresh->isChecked() ? std::optional<int>(m_refresh->value()) : std::nullopt);
        updateIntervalTexts();
        Q_EMIT intervalsChanged();
    };
    const auto storeDrift = [this] {
        setLocalDriftIntervalSeconds(m_ownDrift->isChecked() ? std::optional<int>(m_drift->value())
                                                             : std::nullopt);
        updateIntervalTexts();
        Q_EMIT intervalsChanged();
    };
    connect(m_ownRefresh, &QCheckBox::toggled, this, storeRefresh);
    connect(m_refresh, &QSpinBox::valueChanged, this, storeRefresh);
    connect(m_ownDrift, &QCheckBox::toggled, this, storeDrift);
    connect(m_drift, &QSpinBox::valueChanged, this, storeDrift);
    auto *intervals = new QGridLayout;
    intervals->addWidget(m_ownRefresh, 0, 0);
    intervals->addWidget(m_refresh, 0, 1);
    intervals->addWidget(m_ownDrift, 1, 0);
    intervals->addWidget(m_drift, 1, 1);
    intervals->setColumnStretch(2, 1);
    intervals->addWidget(m_intervalsNote, 2, 0, 1, 3);
    auto *checksGroup = new QGroupBox(tr("Checks"), this);
    checksGroup->setLayout(intervals);

    m_theme = new QComboBox(this);
    m_theme->setObjectName(QStringLiteral("settingTheme"));
    m_theme->addItem(tr("Follow the system"), int(Theme::System));
    m_theme->addItem(tr("Light"), int(Theme::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(theme())));
    m_theme->setToolTip(tr("Colours of every ParityDeck window; applied at once"));
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto chosen = Theme(m_theme->itemData(index).toInt());
        setTheme(chosen);
        applyTheme(chosen);
    });
    auto *themeLabel = new QLabel(tr("&Appearance:"), this);
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
    buttons->button(QDialogButtonBox::Close)->setToolTip(tr("Close (Esc, Ctrl+W)"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    addCloseShortcuts(this);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_startMinimised);
    layout->addWidget(m_autostart);
    layout->addLayout(themeRow);
    layout->addWidget(checksGroup);
    layout->addWidget(notifyGroup);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(buttons);
}

void SettingsDialog::setWorkspaceIntervals(int refreshSeconds, int driftSeconds)
{
    m_workspaceRefresh = refreshSeconds;
    m_workspaceDrift = driftSeconds;
    updateIntervalTexts();
}

void SettingsDialog::updateIntervalTexts()
{
    // Without an own value the spin box shows (greyed) what applies: the workspace's.
    if (!m_ownRefresh->isChecked()) {
        const QSignalBlocker block(m_refresh);
        m_refresh->setValue(m_workspaceRefresh);
    }
    if (!m_ownDrift->isChecked()) {
        const QSignalBlocker block(m_drift);
        m_drift->setValue(m_workspaceDrift);
    }
    m_refresh->setEnabled(m_ownRefresh->isChecked());
    m_drift->setEnabled(m_ownDrift->isChecked());
    const auto seconds = [](int s) { return s == 0 ? tr("off") : tr("%1 s").arg(s); };
    m_intervalsNote->setText(tr("Unticked, the workspace's values apply (refresh_interval %1, "
                                "drift_interval %2). Your own values are for this computer only; "
                                "environments with their own drift_interval keep it.")
                                 .arg(seconds(m_workspaceRefresh), seconds(m_workspaceDrift)));
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::setAutostart(bool on)
{
    m_autostart->setEnabled(false);
    m_status->setText(on ? tr("Writing the autostart entry…")
                         : tr("Removing the autostart entry…"));
    whenFinished(
        this, Autostart::setEnabled(on, QCoreApplication::applicationFilePath(), m_workspaceFile),
        [this, on](const QFuture<Result<void>> &future) {
            const Result<void> result = future.result();
            m_autostart->setEnabled(true);
            QString text;
            if (result) {
                text = on ? tr("ParityDeck starts at login (%1).").arg(Autostart::filePath())
                          : tr("ParityDeck no longer starts at login.");
            } else {
                text = errorText(result.error());
                const QSignalBlocker block(m_autostart);
                m_autostart->setChecked(!on);
            }
            m_status->setText(text);
            Q_EMIT autostartChanged(result.ok(), text);
        });
}

} // namespace pd::ui
