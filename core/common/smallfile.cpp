#include "smallfile.h"

#include <QFile>
#include <QFileInfo>

namespace pd {

SmallFile readSmallFile(const QString &path, qint64 maxBytes)
{
    SmallFile result;
    const QFileInfo info(path);
    if (!info.exists()) {
        result.problem = SmallFile::Problem::Missing;
        return result;
    }
    if (info.isDir()) {
        result.problem = SmallFile::Problem::Folder;
        return result;
    }
    if (!info.isFile()) {
        result.problem = SmallFile::Problem::NotRegular;
        return result;
    }
    if (info.size() > maxBytes) {
        result.problem = SmallFile::Problem::TooLarge;
        return result;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.problem = SmallFile::Problem::Unreadable;
        result.detail = file.errorString();
        return result;
    }
    // One byte more than allowed tells a file that grew since the size check.
    QByteArray bytes = file.read(maxBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        result.problem = SmallFile::Problem::Unreadable;
        result.detail = file.errorString();
        return result;
    }
    if (bytes.size() > maxBytes) {
        result.problem = SmallFile::Problem::TooLarge;
        return result;
    }
    result.bytes = std::move(bytes);
    return result;
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
