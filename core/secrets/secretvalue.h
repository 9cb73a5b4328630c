// A secret's plain value. It never prints itself: QDebug, toString(), JSON and error
// messages all see "••••". Only reveal() hands out the bytes, and every call site of
// reveal() is a place where the value legitimately leaves the process (libpq
// connection parameter, child environment, keyring write, explicit --reveal).
#pragma once

#include <QByteArray>
#include <QDebug>
#include <QMetaType>
#include <QString>

namespace pd {

class SecretValue final
{
public:
    SecretValue() = default;
    explicit SecretValue(QByteArray plain)
        : m_plain(std::move(plain))
    {
    }
    static SecretValue fromString(const QString &plain) { return SecretValue(plain.toUtf8()); }

    bool isEmpty() const noexcept { return m_plain.isEmpty(); }
    qsizetype size() const noexcept { return m_plain.size(); }

    const QByteArray &reveal() const noexcept { return m_plain; }
    QString revealString() const { return QString::fromUtf8(m_plain); }

    // What every printing path shows instead of the value.
    static QString masked() { return QStringLiteral("••••"); }
    QString toString() const { return masked(); }

    // Comparing hashes lets parity checks say "same"/"different" without exposing values.
    QByteArray sha256Hex() const;
    // Keyed, for digests that are shown (parity): without `key` a digest confirms no guess.
    QByteArray hmacSha256Hex(const QByteArray &key) const;

    bool operator==(const SecretValue &other) const noexcept { return m_plain == other.m_plain; }

    // Overwrites the bytes before release so a core dump taken later holds less.
    void clear();
    ~SecretValue() { clear(); }
    SecretValue(const SecretValue &) = default;
    SecretValue &operator=(const SecretValue &) = default;
    SecretValue(SecretValue &&other) noexcept
        : m_plain(std::move(other.m_plain))
    {
    }
    SecretValue &operator=(SecretValue &&other) noexcept
    {
        if (this != &other) {
            clear();
            m_plain = std::move(other.m_plain);
        }
        return *this;
    }

private:
    QByteArray m_plain;
};

QDebug operator<<(QDebug debug, const SecretValue &value);

} // namespace pd

Q_DECLARE_METATYPE(pd::SecretValue)
