#include "windowgeometry.h"

#include "appsettings.h"

#include <QEvent>
#include <QWidget>

namespace pd::ui {

namespace {

const QString kKeeperName = QStringLiteral("geometryKeeper");

QString settingsKey(const QString &key)
{
    return QStringLiteral("windows/") + key + QStringLiteral("/geometry");
}

class GeometryKeeper final : public QObject
{
public:
    GeometryKeeper(QWidget *window, const QString &key)
        : QObject(window)
        , m_window(window)
        , m_key(settingsKey(key))
    {
        const QSettings settings = appSettings();
        const QByteArray saved = settings.value(m_key).toByteArray();
        if (!saved.isEmpty())
            window->restoreGeometry(saved);
        setObjectName(kKeeperName);
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched != m_window)
            return false;
        // Only what the user could have seen: a window never shown has no geometry of its own.
        if ((event->type() == QEvent::Hide || event->type() == QEvent::Close) &&
            m_window->testAttribute(Qt::WA_WState_ExplicitShowHide) && !m_window->isMinimized()) {
            QSettings settings = appSettings();
            settings.setValue(m_key, m_window->saveGeometry());
        }
        return false;
    }

private:
    QWidget *m_window;
    QString m_key;
};

} // namespace

void rememberGeometry(QWidget *window, const QString &key)
{
    // GeometryKeeper has no meta-object of its own: it is found by name, not by type.
    if (window && !window->findChild<QObject *>(kKeeperName, Qt::FindDirectChildrenOnly))
        new GeometryKeeper(window, key);
}

} // namespace pd::ui
