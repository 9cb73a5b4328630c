#include "hangingserver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace pd::test {

HangingServer::HangingServer()
{
    const auto fail = [this] {
        m_error = QString::fromLocal8Bit(strerror(errno));
        if (m_listenFd >= 0)
            ::close(m_listenFd);
        if (m_wakeFd >= 0)
            ::close(m_wakeFd);
        m_listenFd = m_wakeFd = -1;
        m_port = 0;
    };
    // CLOEXEC everywhere: a server process started by the same test (PgCluster) must not
    // inherit these descriptors and keep the port alive.
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_listenFd < 0 || m_wakeFd < 0) {
        fail();
        return;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(m_listenFd, 64) != 0 ||
        ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        fail();
        return;
    }
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
}

HangingServer::~HangingServer()
{
    if (m_thread.joinable()) {
        const quint64 one = 1;
        [[maybe_unused]] const ssize_t written = ::write(m_wakeFd, &one, sizeof one);
        m_thread.join();
    }
    for (const int fd : m_clients)
        ::close(fd);
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

void HangingServer::serve()
{
    for (;;) {
        pollfd fds[2] = {{m_listenFd, POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
        const int n = ::poll(fds, 2, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (fds[1].revents & POLLIN))
            return;
        if (fds[0].revents & POLLIN) {
            const int client = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0)
                continue;
            {
                const std::lock_guard lock(m_mutex);
                m_clients.push_back(client);
            }
            m_accepted.notify_all();
        }
    }
}

int HangingServer::acceptedCount() const
{
    const std::lock_guard lock(m_mutex);
    return int(m_clients.size());
}

bool HangingServer::waitForConnections(int count, int timeoutMs) const
{
    std::unique_lock lock(m_mutex);
    return m_accepted.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                               [&] { return int(m_clients.size()) >= count; });
}

} // namespace pd::test
