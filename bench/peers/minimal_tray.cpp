// The smallest honest Qt 6 tray application: a tray icon, a menu and one window with a
// label. It is the peer that bench/launch compares ParityDeck's launch time against, so it
// reports its first paint the same way ParityDeck does (a line on stderr), and with
// PARITYDECK_HEARTBEAT_LOG=PATH logs its GUI thread's worst timer gap per second the same
// way too (the floor the display and machine load set for ParityDeck's figures).
#include "common/heartbeatlog.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>
#include <QTimer>

#include <cstdio>

namespace {

class FirstPaint final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched->isWidgetType()) {
            qApp->removeEventFilter(this);
            QTimer::singleShot(0, this, [] { std::fprintf(stderr, "peer: first paint\n"); });
        }
        return false;
    }
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    app.installEventFilter(new FirstPaint(&app));
    if (const QString log = qEnvironmentVariable("PARITYDECK_HEARTBEAT_LOG"); !log.isEmpty()) {
        QElapsedTimer clock;
        clock.start();
        new pd::HeartbeatLog(log, clock, &app);
    }
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::darkGreen);
    QSystemTrayIcon tray{QIcon(pixmap)};
    QMenu menu;
    menu.addAction(QStringLiteral("Quit"), &app, &QCoreApplication::quit);
    tray.setContextMenu(&menu);
    tray.show();
    QLabel window(QStringLiteral("Minimal tray app"));
    window.resize(640, 400);
    window.show();
    return app.exec();
}
