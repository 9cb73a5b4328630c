// The application's git working tree, through the `git` command line (the same program,
// configuration, hooks and credential setup the user's own shell uses; libgit2 would
// disagree with it on worktrees, sparse checkouts and config includes).
//
// Blocking by design: call it from worker threads only. Every git process is bounded by
// the repository's timeout, never prompts (GIT_TERMINAL_PROMPT=0, stdin from /dev/null)
// and speaks English (LC_ALL=C) so its messages can be passed on as they are.
#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

namespace pd {

class GitRepository final
{
public:
    // `workingDirectory`: any folder inside the working tree (usually the workspace dir).
    explicit GitRepository(QString workingDirectory, int timeoutMs = 60000);

    const QString &workingDirectory() const noexcept { return m_dir; }
    int timeoutMs() const noexcept { return m_timeoutMs; }

    // Absolute path of the top of the working tree; NotFound when the folder is not in one.
    Result<QString> topLevel() const;
    // The checked-out branch ("feature/login"); an error when HEAD is detached.
    Result<QString> currentBranch() const;
    // Local branches, sorted by name.
    Result<QStringList> branches() const;
    Result<bool> branchExists(const QString &branch) const;
    // Paths with uncommitted changes to tracked files (staged or not), as git prints them
    // relative to the top level. Untracked files are left out on purpose: a checkout
    // carries them along unchanged, and git itself refuses when one would be overwritten.
    Result<QStringList> changedFiles() const;

    // Checks out an existing local branch. Refuses (listing the files) when tracked files
    // have uncommitted changes, so a switch never mixes one branch's edits into another.
    Result<void> switchTo(const QString &branch) const;
    // Creates a local branch at `startPoint` (HEAD when empty) without checking it out.
    Result<void> createBranch(const QString &branch, const QString &startPoint = {}) const;

    // Rejects names git would refuse, and names starting with '-' that could be taken
    // for an option. The error explains the rule.
    static Result<void> validateBranchName(const QString &branch);

private:
    struct Output
    {
        int exitCode = -1;
        QByteArray out;
        QString errorLine; // last non-empty stderr line
    };
    // Runs git with `arguments`; an Error only when git could not run or did not finish.
    Result<Output> run(const QStringList &arguments) const;
    Error failure(const QString &what, const Output &output) const;

    QString m_dir;
    int m_timeoutMs;
};

} // namespace pd
