#include "parity/paritydigest.h"

#include "common/paths.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pd::paritydigest {

namespace {

constexpr qsizetype kKeyBytes = 32;

QByteArray randomKey()
{
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(key.data()),
                                         reinterpret_cast<quint32 *>(key.data() + key.size()));
    return key;
}

QByteArray readKey(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray key = file.read(kKeyBytes + 1);
    return key.size() == kKeyBytes ? key : QByteArray();
}

// Reads the key, or makes it: O_EXCL decides between two processes making it at once,
// and the loser reads the winner's.
QByteArray loadOrCreateKey()
{
    const QString path = keyFile();
    if (QByteArray key = readKey(path); !key.isEmpty())
        return key;
    if (!paths::makePrivateFolder(QFileInfo(path).absolutePath()))
        return randomKey();
    const QByteArray key = randomKey();
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        // Made by another process meanwhile (or unwritable): use what is there, if anything.
        for (int attempt = 0; attempt < 20; ++attempt) {
            if (QByteArray existing = readKey(path); !existing.isEmpty())
                return existing;
            ::usleep(10'000);
        }
        return key;
    }
    const bool written = ::write(fd, key.constData(), size_t(key.size())) == key.size();
    ::close(fd);
    if (!written) {
        ::unlink(name.constData());
        return key;
    }
    return key;
}

const QByteArray &key()
{
    // Read once per process: the matrix compares digests made in the same run.
    static const QByteArray k = loadOrCreateKey();
    return k;
}

} // namespace

QString keyFile()
{
    return paths::stateDir() + QStringLiteral("/parity.key");
}

QByteArray hex(const SecretValue &secret)
{
    return secret.hmacSha256Hex(key());
}

QByteArray hex(QByteArrayView value)
{
    return QMessageAuthenticationCode::hash(value.toByteArray(), key(), QCryptographicHash::Sha256)
        .toHex();
}

} // namespace pd::paritydigest
