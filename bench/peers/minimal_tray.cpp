// The smallest honest Qt 6 tray application: a tray icon, a menu and one window with a
// label. It is the peer that bench/launch compares ParityDeck's launch time against, so it
// reports its first paint the same way ParityDeck does (a line on stderr), and with
// PARITYDECK_HEARTBEAT_LOG=PATH logs its GUI thread's worst timer gap per second the same
// way too (the floor the display and machine load set for ParityDeck's figures).
#include <QApplication>
#include <QFile>
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

class Heartbeat final : public QObject
{
public:
    Heartbeat(const QString &path, QObject *parent)
        : QObject(parent)
        , m_log(path)
    {
        if (!m_log.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
            return;
        m_clock.start();
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_worst = std::max(m_worst, now - m_last - 10000000);
            m_last = now;
            if (now - m_second < 1000000000)
                return;
            m_log.write(QByteArray::number(now / 1000000) + ' ' +
                        QByteArray::number(std::max<qint64>(0, m_worst) / 1e6, 'f', 1) + '\n');
            m_worst = 0;
            m_second = now;
        });
        m_timer.start(10);
    }

private:
    QFile m_log;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_second = 0;
    qint64 m_worst = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    app.installEventFilter(new FirstPaint(&app));
    if (const QString log = qEnvironmentVariable("PARITYDECK_HEARTBEAT_LOG"); !log.isEmpty())
        new Heartbeat(log, &app);
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
