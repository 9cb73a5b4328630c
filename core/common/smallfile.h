// Reading a file that is meant to be small (paritydeck.yaml, a dotenv file) without trusting
// what the path names: a FIFO would block the read forever, /dev/zero or a huge file would
// fill memory. Only regular files are opened, and never more than a limit is read (also
// when the file grows between the size check and the read). Callers word the problem
// themselves: the workspace loader as a config error with a position, the dotenv reader as
// a secret or parity error.
#pragma once

#include <QByteArray>
#include <QString>

namespace pd {

struct SmallFile
{
    enum class Problem {
        None,       // bytes holds the whole file
        Missing,    // no such file
        Folder,     // a directory
        NotRegular, // a FIFO, socket or device (checked before opening: opening may block)
        TooLarge,   // larger than the limit
        Unreadable, // could not be opened or read; detail says why
    };
    Problem problem = Problem::None;
    QByteArray bytes;
    QString detail; // Unreadable: the system's reason
};

// Reads `path` (symbolic links followed) if it is a regular file of at most `maxBytes`.
SmallFile readSmallFile(const QString &path, qint64 maxBytes);

// "4 MiB", "64 KiB", "100 bytes": a limit as people read it in an error message.
QString byteLimitText(qint64 bytes);

} // namespace pd
