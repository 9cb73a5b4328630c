// One shell command (start/stop/status of a command-pair service, a command health probe)
// run to completion with a timeout. Blocking: worker threads only.
//
// Output goes to temporary files rather than pipes: a start command that leaves a daemon
// behind (`pg_ctl start`, `docker compose up -d` without -d, `foo &`) hands it our
// descriptors, and a pipe would then tie the daemon's writes to ParityDeck's lifetime.
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>

namespace pd {

struct ShellCommandOutput
{
    int exitCode = 0;
    bool crashed = false; // killed by a signal
    QByteArray standardOutput;
    QByteArray standardError;

    // The last non-empty stderr line (or stdout line when stderr is silent).
    QString lastLine() const;
};

struct ShellCommand
{
    QString command;
    QString workingDirectory;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    int timeoutMs = 30000;
};

// The last `maxBytes` of a file (all of a shorter one); empty when it cannot be read. For
// commands' output files: enough for any error message, nothing for a chatty command.
QByteArray readFileTail(const QString &path, qint64 maxBytes = 64 * 1024);

// Finishes with the output whatever the exit code; Error(Timeout) when the command did not
// finish in time (its whole process group is killed), Error(Runtime) when it could not run.
// `what` names the command in messages ("start command", "health command").
Result<ShellCommandOutput> runShellCommand(const ShellCommand &spec, const QString &what);

} // namespace pd
