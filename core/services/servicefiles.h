// The files through which every ParityDeck process (GUI, CLI, a second GUI) sees the same
// services without a daemon (DESIGN.md §4 "Who owns a supervised process"):
//
//   stateDir()/services/<project-hash>/<env>/<service>.pid    "PID STARTTIME STARTED_MS"
//   stateDir()/services/<project-hash>/<env>/<service>.json   last start time and error
//   stateDir()/services/<project-hash>/<env>/<service>.log    output, capped (+ .log.1)
//
// The project hash is taken from the workspace file's path, so two checkouts of the same
// project keep separate processes. A pid alone is not an identity: the kernel reuses pids,
// so the pidfile also stores the process start time (/proc/PID/stat field 22, in clock
// ticks since boot) and a process only counts as ours when both match.
#pragma once

#include "common/result.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace pd {

// Identity of a running process: pid plus its start time in clock ticks since boot.
struct ProcessIdentity
{
    qint64 pid = 0;
    quint64 startTicks = 0;
    QDateTime startedAt; // wall clock of the start, as ParityDeck recorded it (UTC)

    bool isValid() const noexcept { return pid > 0; }
    // Stable text for "the same start of the same process" (used to remember health).
    QString id() const { return QString::number(pid) + u'@' + QString::number(startTicks); }
};

namespace process {
// Start time of `pid` from /proc/PID/stat (field 22), or nullopt when there is no such process.
std::optional<quint64> startTicks(qint64 pid);
// True when `identity` still names a live (not zombie) process.
bool isAlive(const ProcessIdentity &identity);
// Parent pid and session id from /proc/PID/stat (fields 4 and 6); nullopt when gone.
struct StatFields
{
    qint64 parentPid = 0;
    qint64 processGroup = 0;
    qint64 session = 0;
    char state = '?';
    quint64 startTicks = 0;
};
std::optional<StatFields> stat(qint64 pid);
} // namespace process

class ServiceFiles final
{
public:
    ServiceFiles(const Workspace &workspace, const QString &environment, const QString &service);

    static QString projectHash(const Workspace &workspace);
    static QString environmentDir(const Workspace &workspace, const QString &environment);

    const QString &folder() const noexcept { return m_folder; }
    QString pidFile() const;
    QString stateFile() const;
    QString logFile() const;
    QString rotatedLogFile() const; // logFile() + ".1"

    Result<void> ensureFolder() const; // 0700, created with parents

    // The pidfile's identity, or nullopt when there is none (or it is unreadable).
    std::optional<ProcessIdentity> readPid() const;
    Result<void> writePid(const ProcessIdentity &identity) const;
    void removePid() const;

    // Last start / last error, shared between processes like the pidfile.
    struct Record
    {
        QDateTime startedAt; // when the last start began (UTC); invalid when never
        QDateTime stoppedAt; // when the last stop finished; invalid when never
        QString lastError;   // why the last start/stop failed; empty after success
    };
    Record readRecord() const;
    void writeRecord(const Record &record) const;

    // The start (a ServiceCheck::startId) some process saw healthy last, shared so that
    // every process — the panel, `paritydeck status` — tells "went down later" from "never
    // came up": a file of its own, so that writing it never races a start's record.
    QString seenHealthyStart() const;
    void markSeenHealthy(const QString &startId) const;

    // Keeps the log under `capBytes`: when larger, it is copied to .log.1 and truncated to
    // zero. The child keeps its O_APPEND descriptor and simply continues at the new end.
    void capLog(qint64 capBytes) const;
    // Appends text ParityDeck itself writes (command output); creates the file 0600.
    void appendLog(const QByteArray &text) const;
    // The last `lines` lines of .log.1 + .log.
    Result<QStringList> tailLog(int lines) const;
    // The last non-empty line of the log, for "process exited: <line>" reasons.
    QString lastLogLine() const;

private:
    QString m_folder;
    QString m_service;
};

} // namespace pd
