// Reading a file that must be an ordinary file of bounded size (a workspace file, a
// migration): a FIFO would block the read, /dev/zero or a sparse file of gigabytes would
// fill memory. A symbolic link to a regular file is followed; anything else is refused
// with the reason, for the caller to phrase.
#pragma once

#include <QByteArray>
#include <QString>

namespace pd {

struct RegularFileRead
{
    enum class Problem {
        None,
        Missing,    // nothing there (or a symbolic link that leads nowhere, or a loop)
        Folder,     // a directory
        NotRegular, // a FIFO, socket or device
        TooLarge,   // more than maxBytes
        Unreadable, // could not be opened or read: `detail` says why
    };
    Problem problem = Problem::None;
    QString detail;   // the system's reason for Unreadable
    QByteArray bytes; // the contents when problem == None
};

// Opens without blocking (O_NONBLOCK, so a FIFO put there after a check cannot hang), checks
// the opened file itself (fstat) and reads at most maxBytes + 1 bytes, so a file that grows
// while it is read is TooLarge too.
RegularFileRead readRegularFile(const QString &path, qint64 maxBytes);

// "is a folder", "is not a regular file (a FIFO, socket or device)", …: the reason as a
// phrase after the file's name; `maxText` names the limit ("4 MiB").
QString regularFileProblemText(const RegularFileRead &read, const QString &maxText);

// "4 MiB", "64 KiB", "100 bytes": a limit as people read it in an error message.
QString byteLimitText(qint64 bytes);

} // namespace pd
