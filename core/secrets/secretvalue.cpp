#include "secretvalue.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace pd {

QByteArray SecretValue::sha256Hex() const
{
    return QCryptographicHash::hash(m_plain, QCryptographicHash::Sha256).toHex();
}

QByteArray SecretValue::hmacSha256Hex(const QByteArray &key) const
{
    return QMessageAuthenticationCode::hash(m_plain, key, QCryptographicHash::Sha256).toHex();
}

void SecretValue::clear()
{
    if (!m_plain.isEmpty() && !m_plain.isDetached())
        m_plain = QByteArray(); // shared with another copy: that copy still needs the bytes
    if (!m_plain.isEmpty()) {
        volatile char *p = m_plain.data();
        for (qsizetype i = 0; i < m_plain.size(); ++i)
            p[i] = 0;
    }
    m_plain = QByteArray();
}

QDebug operator<<(QDebug debug, const SecretValue &)
{
    QDebugStateSaver saver(debug);
    debug.noquote() << SecretValue::masked();
    return debug;
}

} // namespace pd
