#include "shellcommand.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>

#include <unistd.h>

namespace pd {

namespace {

QString lastNonEmptyLine(const QByteArray &text)
{
    const QList<QByteArray> lines = text.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QByteArray line = it->trimmed();
        if (!line.isEmpty())
            return QString::fromUtf8(line);
    }
    return {};
}

} // namespace

QString ShellCommandOutput::lastLine() const
{
    const QString err = lastNonEmptyLine(standardError);
    return err.isEmpty() ? lastNonEmptyLine(standardOutput) : err;
}

QByteArray readFileTail(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    if (file.size() > maxBytes)
        file.seek(file.size() - maxBytes);
    return file.readAll();
}

Result<ShellCommandOutput> runShellCommand(const ShellCommand &spec, const QString &what)
{
    QTemporaryDir scratch(QDir::tempPath() + QStringLiteral("/paritydeck-cmd-XXXXXX"));
    if (!scratch.isValid())
        return Error(ErrorCode::Runtime, ErrorKind::NoTemporaryFolder,
                     {ErrorArg::text(QStringLiteral("what"), what),
                      ErrorArg::text(QStringLiteral("detail"), scratch.errorString())});
    const QString outPath = scratch.filePath(QStringLiteral("stdout"));
    const QString errPath = scratch.filePath(QStringLiteral("stderr"));

    QProcess process;
    process.setProgram(QStringLiteral("/bin/sh"));
    process.setArguments({QStringLiteral("-c"), spec.command});
    if (!spec.workingDirectory.isEmpty())
        process.setWorkingDirectory(spec.workingDirectory);
    process.setProcessEnvironment(spec.environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(outPath);
    process.setStandardErrorFile(errPath);
    // Its own process group, so a timeout also stops whatever the command spawned.
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    process.start();
    if (!process.waitForStarted(10000))
        return Error(ErrorCode::Runtime, ErrorKind::CommandCannotRun,
                     {ErrorArg::text(QStringLiteral("what"), what),
                      ErrorArg::text(QStringLiteral("detail"), process.errorString())});
    const qint64 pid = process.processId();
    if (!process.waitForFinished(spec.timeoutMs > 0 ? spec.timeoutMs : -1)) {
        ::kill(pid_t(-pid), SIGKILL);
        process.waitForFinished(5000);
        return Error(ErrorCode::Timeout, ErrorKind::CommandTimedOut,
                     {ErrorArg::text(QStringLiteral("what"), what),
                      ErrorArg::number(QStringLiteral("seconds"), (spec.timeoutMs + 999) / 1000)});
    }
    ShellCommandOutput output;
    output.crashed = process.exitStatus() == QProcess::CrashExit;
    output.exitCode = process.exitCode();
    output.standardOutput = readFileTail(outPath);
    output.standardError = readFileTail(errPath);
    return output;
}

} // namespace pd
