#include "common/regularfile.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pd {

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

} // namespace

RegularFileRead readRegularFile(const QString &path, qint64 maxBytes)
{
    RegularFileRead read;
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        struct stat info
        {
        };
        if (error == ENOENT || error == ELOOP)
            read.problem = RegularFileRead::Problem::Missing;
        else if (::stat(native.constData(), &info) == 0 && S_ISDIR(info.st_mode))
            read.problem = RegularFileRead::Problem::Folder;
        else if (::stat(native.constData(), &info) == 0 && !S_ISREG(info.st_mode))
            read.problem = RegularFileRead::Problem::NotRegular;
        else
            read.problem = RegularFileRead::Problem::Unreadable;
        read.detail = systemError(error);
        return read;
    }
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) {
        read.problem = RegularFileRead::Problem::Unreadable;
        read.detail = systemError(errno);
    } else if (S_ISDIR(info.st_mode)) {
        read.problem = RegularFileRead::Problem::Folder;
    } else if (!S_ISREG(info.st_mode)) {
        read.problem = RegularFileRead::Problem::NotRegular;
    } else if (info.st_size > maxBytes) {
        read.problem = RegularFileRead::Problem::TooLarge;
    }
    if (read.problem != RegularFileRead::Problem::None) {
        ::close(fd);
        return read;
    }
    QByteArray bytes(qsizetype(std::min<qint64>(info.st_size, maxBytes) + 1), Qt::Uninitialized);
    qint64 got = 0;
    for (;;) {
        if (got == bytes.size()) {
            if (got > maxBytes)
                break;
            bytes.resize(std::min<qint64>(got * 2 + 4096, maxBytes + 1));
        }
        const ssize_t n = ::read(fd, bytes.data() + got, size_t(bytes.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            read.problem = RegularFileRead::Problem::Unreadable;
            read.detail = systemError(errno);
            break;
        }
        if (n == 0)
            break;
        got += n;
    }
    ::close(fd);
    if (read.problem != RegularFileRead::Problem::None)
        return read;
    if (got > maxBytes) {
        read.problem = RegularFileRead::Problem::TooLarge;
        return read;
    }
    bytes.truncate(qsizetype(got));
    read.bytes = std::move(bytes);
    return read;
}

QString regularFileProblemText(const RegularFileRead &read, const QString &maxText)
{
    switch (read.problem) {
    case RegularFileRead::Problem::None:
        return {};
    case RegularFileRead::Problem::Missing:
        return QStringLiteral("does not exist (or is a symbolic link that leads nowhere)");
    case RegularFileRead::Problem::Folder:
        return QStringLiteral("is a folder");
    case RegularFileRead::Problem::NotRegular:
        return QStringLiteral("is not a regular file (a FIFO, socket or device)");
    case RegularFileRead::Problem::TooLarge:
        return QStringLiteral("is larger than %1").arg(maxText);
    case RegularFileRead::Problem::Unreadable:
        return QStringLiteral("cannot be read (%1)").arg(read.detail);
    }
    return {};
}

QString byteLimitText(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(bytes / 1024);
    return QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace pd
