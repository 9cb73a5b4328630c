#include "appsettings.h"

namespace pd::ui {
namespace {

std::optional<int> optionalSeconds(const QString &key)
{
    const QVariant value = appSettings().value(key);
    bool ok = false;
    const int seconds = value.toInt(&ok);
    if (!value.isValid() || !ok || seconds < 0)
        return std::nullopt;
    return seconds;
}

void setOptionalSeconds(const QString &key, std::optional<int> seconds)
{
    QSettings settings = appSettings();
    if (seconds && *seconds >= 0)
        settings.setValue(key, *seconds);
    else
        settings.remove(key);
}

const QString kRefreshKey = QStringLiteral("checks/refreshIntervalSeconds");
const QString kDriftKey = QStringLiteral("checks/driftIntervalSeconds");

} // namespace

QSettings appSettings()
{
    return QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck"));
}

QString notifyEventKey(NotifyEvent event)
{
    switch (event) {
    case NotifyEvent::DriftAppeared:
        return QStringLiteral("drift");
    case NotifyEvent::EnvironmentDown:
        return QStringLiteral("down");
    case NotifyEvent::EnvironmentBackUp:
        return QStringLiteral("up");
    case NotifyEvent::ActionFinished:
        break;
    }
    return QStringLiteral("actions");
}

bool notifyEventEnabled(NotifyEvent event)
{
    return appSettings().value(QStringLiteral("notify/") + notifyEventKey(event), true).toBool();
}

void setNotifyEventEnabled(NotifyEvent event, bool on)
{
    appSettings().setValue(QStringLiteral("notify/") + notifyEventKey(event), on);
}

bool notifies(NotifyEvent event)
{
    return appSettings().value(QStringLiteral("ui/notifications"), true).toBool() &&
           notifyEventEnabled(event);
}

std::optional<int> localRefreshIntervalSeconds()
{
    const std::optional<int> seconds = optionalSeconds(kRefreshKey);
    // A status check every 0 s would be a busy loop: at least one second.
    if (seconds && *seconds < 1)
        return 1;
    return seconds;
}

void setLocalRefreshIntervalSeconds(std::optional<int> seconds)
{
    setOptionalSeconds(kRefreshKey, seconds ? std::optional<int>(std::max(1, *seconds)) : seconds);
}

std::optional<int> localDriftIntervalSeconds()
{
    return optionalSeconds(kDriftKey);
}

void setLocalDriftIntervalSeconds(std::optional<int> seconds)
{
    setOptionalSeconds(kDriftKey, seconds);
}

} // namespace pd::ui
