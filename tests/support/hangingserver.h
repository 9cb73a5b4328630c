// A TCP server on 127.0.0.1 that accepts connections and never says a word: the shape of
// a half-dead proxy or a server stuck before authentication. Connection attempts against
// it can only end by the client's own timeout. Runs a plain socket loop on its own thread
// (no Qt event loop needed in the test), and counts accepted connections so a test can
// wait for "the client is now connected and waiting" instead of sleeping.
#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace pd::test {

class HangingServer final
{
public:
    // Starts listening on a free port right away; check isListening().
    HangingServer();
    ~HangingServer();
    HangingServer(const HangingServer &) = delete;
    HangingServer &operator=(const HangingServer &) = delete;

    bool isListening() const noexcept { return m_port != 0; }
    quint16 port() const noexcept { return m_port; }
    static QString host() { return QStringLiteral("127.0.0.1"); }
    QString errorString() const { return m_error; }

    int acceptedCount() const;
    // Blocks until at least `count` connections were accepted or `timeoutMs` passed.
    bool waitForConnections(int count, int timeoutMs) const;

private:
    void serve();

    int m_listenFd = -1;
    int m_wakeFd = -1; // eventfd: tells the loop to stop
    quint16 m_port = 0;
    QString m_error;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_accepted;
    std::vector<int> m_clients; // kept open, never read from or written to
};

} // namespace pd::test
