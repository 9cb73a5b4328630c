// A TCP port on 127.0.0.1 where a connection attempt is surely refused, for as long as
// this object lives. The port is bound but never put into listening state: the kernel
// answers every SYN with a reset, and no other process can take the port meanwhile
// (binding and releasing a port, the usual trick, leaves a window for someone else).
#pragma once

#include <QString>

namespace pd::test {

class RefusingPort final
{
public:
    RefusingPort();
    ~RefusingPort();
    RefusingPort(const RefusingPort &) = delete;
    RefusingPort &operator=(const RefusingPort &) = delete;

    bool isValid() const noexcept { return m_port != 0; }
    quint16 port() const noexcept { return m_port; }
    static QString host() { return QStringLiteral("127.0.0.1"); }
    // Why construction failed (errno text); empty when valid.
    QString errorString() const { return m_error; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace pd::test
