// branches/: git branches (GitRepository), database branches on a local server
// (DatabaseBranches), the tie between them (BranchSwitcher, with the per-user selection in
// BranchSelectionStore) and database branches of cloud vendors driven through their CLIs
// (CloudBranchProvider).
#include "gitrepository.h"

#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>

#include <signal.h>
#include <unistd.h>

namespace pd {

namespace {

QString lastNonEmptyLine(const QByteArray &bytes)
{
    const QList<QByteArray> lines = bytes.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        QString line = QString::fromLocal8Bit(it->trimmed());
        if (line.isEmpty())
            continue;
        for (const QString &prefix : {QStringLiteral("fatal: "), QStringLiteral("error: ")}) {
            if (line.startsWith(prefix))
                line = line.mid(prefix.size());
        }
        return line;
    }
    return {};
}

QString joinedList(const QStringList &items, int limit = 10)
{
    if (items.size() <= limit)
        return items.join(QStringLiteral(", "));
    return QString(items.mid(0, limit).join(QStringLiteral(", ")) +
                   QStringLiteral(" and %1 more").arg(items.size() - limit));
}

} // namespace

GitRepository::GitRepository(QString workingDirectory, int timeoutMs)
    : m_dir(std::move(workingDirectory))
    , m_timeoutMs(timeoutMs)
{
}

Result<GitRepository::Output> GitRepository::run(const QStringList &arguments) const
{
    if (m_dir.isEmpty() || !QDir(m_dir).exists())
        return Error(ErrorCode::NotFound, ErrorKind::GitFolderMissing,
                     {m_dir.isEmpty() ? ErrorArg::phraseOf(
                                            QStringLiteral("folder"),
                                            QT_TRANSLATE_NOOP("pd::ErrorMessage", "(none given)"))
                                      : ErrorArg::text(QStringLiteral("folder"), m_dir)});
    QProcess process;
    process.setProgram(QStringLiteral("git"));
    process.setArguments(QStringList{QStringLiteral("--no-pager")} + arguments);
    process.setWorkingDirectory(m_dir);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // A credential or passphrase prompt would wait forever on a terminal the GUI does not have.
    environment.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    // Messages are passed on to the user and parsed; they must not depend on the locale.
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    environment.remove(QStringLiteral("LANGUAGE"));
    // `git status` would otherwise refresh and rewrite the index, racing with the user's
    // own git commands in a terminal ("index.lock exists").
    environment.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0"));
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    // Own process group, so a timeout also stops hooks git started (post-checkout, LFS).
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    process.start();
    if (!process.waitForStarted(m_timeoutMs))
        return Error(ErrorCode::NotFound, ErrorKind::GitNotRunnable,
                     {ErrorArg::text(QStringLiteral("detail"), process.errorString())});
    if (!process.waitForFinished(m_timeoutMs)) {
        const qint64 pid = process.processId();
        if (pid > 0)
            ::kill(-static_cast<pid_t>(pid), SIGKILL);
        process.kill();
        process.waitForFinished(2000);
        return Error(ErrorCode::Timeout, ErrorKind::GitTimedOut,
                     {ErrorArg::text(QStringLiteral("command"), arguments.value(0)),
                      ErrorArg::text(QStringLiteral("seconds"),
                                     QString::number(m_timeoutMs / 1000.0, 'g', 3)),
                      ErrorArg::text(QStringLiteral("folder"), m_dir)});
    }
    Output output;
    output.out = process.readAllStandardOutput();
    output.errorLine = lastNonEmptyLine(process.readAllStandardError());
    output.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return output;
}

Error GitRepository::failure(const QString &what, const Output &output) const
{
    const QString why = output.errorLine.isEmpty()
                            ? QStringLiteral("git exited with code %1").arg(output.exitCode)
                            : output.errorLine;
    const ErrorCode code = why.contains(QStringLiteral("not a git repository"))
                               ? ErrorCode::NotFound
                               : ErrorCode::Runtime;
    return Error(code, QStringLiteral("%1 in %2 failed: %3").arg(what, m_dir, why));
}

Result<QString> GitRepository::topLevel() const
{
    auto output = run({QStringLiteral("rev-parse"), QStringLiteral("--show-toplevel")});
    if (!output)
        return output.error();
    if (output->exitCode != 0)
        return failure(QStringLiteral("finding the git working tree"), *output);
    return QString::fromLocal8Bit(output->out.trimmed());
}

Result<QString> GitRepository::currentBranch() const
{
    auto output = run({QStringLiteral("symbolic-ref"), QStringLiteral("--quiet"),
                       QStringLiteral("--short"), QStringLiteral("HEAD")});
    if (!output)
        return output.error();
    if (output->exitCode == 0)
        return QString::fromLocal8Bit(output->out.trimmed());
    auto head =
        run({QStringLiteral("rev-parse"), QStringLiteral("--short"), QStringLiteral("HEAD")});
    if (head && head->exitCode == 0)
        return Error(ErrorCode::Runtime, ErrorKind::GitDetachedHead,
                     {ErrorArg::text(QStringLiteral("folder"), m_dir),
                      ErrorArg::text(QStringLiteral("commit"),
                                     QString::fromLocal8Bit(head->out.trimmed()))});
    return failure(QStringLiteral("reading the current git branch"), *output);
}

Result<QStringList> GitRepository::branches() const
{
    // Full ref names: the short form turns ambiguous ("heads/x") when a tag is named alike.
    auto output = run({QStringLiteral("for-each-ref"), QStringLiteral("--format=%(refname)"),
                       QStringLiteral("refs/heads/")});
    if (!output)
        return output.error();
    if (output->exitCode != 0)
        return failure(QStringLiteral("listing git branches"), *output);
    QStringList names;
    const QString prefix = QStringLiteral("refs/heads/");
    for (const QByteArray &line : output->out.split('\n')) {
        const QString ref = QString::fromUtf8(line.trimmed());
        if (ref.startsWith(prefix))
            names.append(ref.mid(prefix.size()));
    }
    names.sort();
    return names;
}

Result<bool> GitRepository::branchExists(const QString &branch) const
{
    if (auto valid = validateBranchName(branch); !valid)
        return valid.error();
    auto output = run({QStringLiteral("show-ref"), QStringLiteral("--verify"),
                       QStringLiteral("--quiet"), QString(QStringLiteral("refs/heads/") + branch)});
    if (!output)
        return output.error();
    if (output->exitCode == 0)
        return true;
    if (output->exitCode == 1)
        return false;
    return failure(QStringLiteral("looking up git branch %1").arg(branch), *output);
}

Result<QStringList> GitRepository::changedFiles() const
{
    // -z: paths with spaces or non-ASCII bytes come through unquoted.
    auto output = run({QStringLiteral("status"), QStringLiteral("--porcelain=v1"),
                       QStringLiteral("-z"), QStringLiteral("--untracked-files=no")});
    if (!output)
        return output.error();
    if (output->exitCode != 0)
        return failure(QStringLiteral("reading the git status"), *output);
    QStringList paths;
    const QList<QByteArray> entries = output->out.split('\0');
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QByteArray &entry = entries.at(i);
        if (entry.size() < 4)
            continue;
        paths.append(QString::fromUtf8(entry.mid(3)));
        // A rename or copy is followed by its original path, which is not a separate change.
        if (entry.at(0) == 'R' || entry.at(0) == 'C')
            ++i;
    }
    return paths;
}

Result<void> GitRepository::switchTo(const QString &branch) const
{
    auto exists = branchExists(branch);
    if (!exists)
        return exists.error();
    if (!*exists) {
        auto all = branches();
        const bool listed = all && !all->isEmpty();
        return Error(
            ErrorCode::NotFound, ErrorKind::GitBranchMissing,
            {ErrorArg::text(QStringLiteral("branch"), branch),
             ErrorArg::text(QStringLiteral("folder"), m_dir),
             listed ? ErrorArg::phraseOf(
                          QStringLiteral("known"),
                          QT_TRANSLATE_NOOP("pd::ErrorMessage", " (local branches: {branches})"))
                    : ErrorArg::text(QStringLiteral("known"), QString()),
             ErrorArg::text(QStringLiteral("branches"), listed ? joinedList(*all) : QString())});
    }
    auto changed = changedFiles();
    if (!changed)
        return changed.error();
    if (!changed->isEmpty())
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot switch to git branch %1: %2 uncommitted change%3 in %4: "
                           "%5; commit or stash them first")
                .arg(branch, QString::number(changed->size()),
                     changed->size() == 1 ? QString() : QStringLiteral("s"), m_dir,
                     joinedList(*changed)));
    auto output = run({QStringLiteral("switch"), QStringLiteral("--no-guess"), branch});
    if (!output)
        return output.error();
    if (output->exitCode != 0)
        return failure(QStringLiteral("switching to git branch %1").arg(branch), *output);
    return {};
}

Result<void> GitRepository::createBranch(const QString &branch, const QString &startPoint) const
{
    if (auto valid = validateBranchName(branch); !valid)
        return valid.error();
    if (startPoint.startsWith(u'-'))
        return Error(
            ErrorCode::Usage,
            QStringLiteral("the start point %1 looks like an option; name a branch or commit")
                .arg(startPoint));
    QStringList arguments{QStringLiteral("branch"), branch};
    if (!startPoint.isEmpty())
        arguments.append(startPoint);
    auto output = run(arguments);
    if (!output)
        return output.error();
    if (output->exitCode != 0)
        return failure(QStringLiteral("creating git branch %1").arg(branch), *output);
    return {};
}

Result<void> GitRepository::validateBranchName(const QString &branch)
{
    // The rules of git-check-ref-format(1) for branch names, checked here so a bad name is
    // explained before any git process runs.
    auto bad = [&branch](const char *why) {
        return Error(ErrorCode::Usage, ErrorKind::GitBranchNameInvalid,
                     {ErrorArg::text(QStringLiteral("branch"), branch),
                      ErrorArg::phraseOf(QStringLiteral("why"), why)});
    };
    if (branch.isEmpty())
        return Error(ErrorCode::Usage, ErrorKind::GitBranchNameEmpty, {});
    if (branch.startsWith(u'-'))
        return bad(QT_TRANSLATE_NOOP("pd::ErrorMessage", "it must not start with '-'"));
    if (branch == QStringLiteral("@") || branch == QStringLiteral("HEAD"))
        return bad(QT_TRANSLATE_NOOP("pd::ErrorMessage", "it is reserved by git"));
    if (branch.contains(QStringLiteral("..")) || branch.contains(QStringLiteral("@{")) ||
        branch.contains(QStringLiteral("//")))
        return bad(QT_TRANSLATE_NOOP("pd::ErrorMessage", "it must not contain '..', '@{' or '//'"));
    if (branch.endsWith(u'/') || branch.endsWith(u'.') || branch.startsWith(u'/') ||
        branch.endsWith(QStringLiteral(".lock")))
        return bad(QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                     "it must not start with '/' or end with '/', '.' or '.lock'"));
    for (const QChar c : branch) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == u' ' || c == u'~' || c == u'^' ||
            c == u':' || c == u'?' || c == u'*' || c == u'[' || c == u'\\')
            return bad(QT_TRANSLATE_NOOP(
                "pd::ErrorMessage",
                "it must not contain spaces, control characters or any of ~^:?*[\\"));
    }
    for (const QString &part : branch.split(u'/')) {
        if (part.startsWith(u'.'))
            return bad(QT_TRANSLATE_NOOP("pd::ErrorMessage", "no part of it may start with '.'"));
    }
    return {};
}

} // namespace pd
