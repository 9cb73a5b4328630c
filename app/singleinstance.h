// One control panel per user: the first GUI instance listens on a local socket in the
// user's runtime dir ($XDG_RUNTIME_DIR/paritydeck-panel.sock); a later GUI launch connects,
// asks it to raise its window and exits 0 without opening a window of its own.
//
// Stale sockets (left by a crashed panel) refuse connections: the launch that finds one
// removes it and becomes the panel. A lock file around check-and-listen keeps two panels
// started at the same moment from both listening.
//
// The primary side never blocks: requests are read from readyRead on the GUI thread. The
// secondary side blocks for at most a few seconds, before any window exists.
//
// PARITYDECK_INSTANCE_TRACE=1 prints "paritydeck: panel listening on PATH" and
// "paritydeck: raise requested by another launch" on stderr (tests wait for these).
#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

namespace pd::app {

class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    enum class Role { Primary, RaisedOther };

    explicit SingleInstance(QObject *parent = nullptr);
    ~SingleInstance() override;

    // The socket path, from QStandardPaths::RuntimeLocation.
    static QString socketPath();

    // Asks a running panel to raise itself (RaisedOther), or starts listening (Primary).
    // When listening fails the panel still opens (Primary) and the reason is logged:
    // a second panel is better than none.
    Role claim();

Q_SIGNALS:
    void raiseRequested();

private:
    void onNewConnection();

    QLocalServer *m_server = nullptr;
};

} // namespace pd::app
