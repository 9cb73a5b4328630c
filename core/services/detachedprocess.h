// Starting and stopping processes that outlive ParityDeck. A supervised service is not our
// child: it is started through a double fork, leads a session of its own (setsid) so a
// terminal hang-up or the GUI's process group dying does not reach it, is re-parented to
// init (or the nearest subreaper), and writes stdout/stderr straight into its log file.
// Nothing here needs an event loop; everything blocks and belongs on a worker thread.
#pragma once

#include "common/result.h"
#include "services/servicefiles.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pd::process {

struct DetachedSpec
{
    QString shellCommand; // run through /bin/sh -c
    QString workingDirectory;
    QList<QByteArray> environment; // complete "NAME=value" list for the child (secrets only here)
    QString logFile;               // stdout and stderr, opened O_APPEND
};

// Starts the process and returns its identity once exec succeeded (or the exec error).
Result<ProcessIdentity> startDetached(const DetachedSpec &spec);

// SIGTERM to the process group led by `identity`, then SIGKILL to the group after
// `graceMs` if anything of it is still alive. Returns once the leader is gone (or after a
// further bounded wait). A process that is already gone is success.
struct StopOutcome
{
    bool wasRunning = false;
    bool killed = false; // SIGKILL was needed
};
Result<StopOutcome> terminateGroup(const ProcessIdentity &identity, int graceMs);

} // namespace pd::process
