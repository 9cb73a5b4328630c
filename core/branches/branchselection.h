// Which database branch each environment currently points at, per user and per machine:
// paths::stateDir()/branches.json, keyed by the workspace file's path and the environment
// name. Never in paritydeck.yaml: the file is shared through the repository, while the
// selection follows one developer's checkout.
//
//   {"version":1,"workspaces":{"/home/a/app/paritydeck.yaml":
//       {"dev":{"database":"app_dev__feature_x","git":"feature/x","selected":"2026-…Z"}}}}
//
// The CLI and the GUI may write at the same time; every write holds a lock file and
// replaces the file atomically.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace pd {

struct BranchSelection
{
    QString database; // the database branch, or the cloud branch's name
    QString gitBranch;
    QDateTime selectedAt; // UTC
    // Cloud branches only: the branch's postgresql:// URL, never with a password (the
    // environment's database.password applies to every branch).
    QString url;
};

class BranchSelectionStore final
{
public:
    // `filePath` empty: defaultFilePath(), looked up at every call (tests move XDG_STATE_HOME).
    explicit BranchSelectionStore(QString filePath = {});
    static QString defaultFilePath();
    QString filePath() const;

    std::optional<BranchSelection> selection(const QString &workspaceFile,
                                             const QString &environment) const;
    Result<void> select(const QString &workspaceFile, const QString &environment,
                        const BranchSelection &selection) const;
    // Back to the main database. A no-op when nothing was selected.
    Result<void> clear(const QString &workspaceFile, const QString &environment) const;

private:
    QString m_filePath;
};

// The database the application should use for `environment`: the selected branch when
// branches are enabled for it and one is selected, else the database of its URL. For a
// cloud branch that is the database in the branch's own URL (often the same name on
// another host: use effectiveConnectionParams to reach it). Empty
// when the environment does not exist. Every part of ParityDeck that connects to an
// environment's database goes through this (or effectiveConnectionParams).
QString effectiveDatabase(const Workspace &workspace, const QString &environment,
                          const BranchSelectionStore &store = BranchSelectionStore());
// The environment's URL parsed, with the effective database; no password set. A selected
// cloud branch replaces the whole URL (host, port, database, options) with its own.
Result<ConnectionParams>
effectiveConnectionParams(const Workspace &workspace, const QString &environment,
                          const BranchSelectionStore &store = BranchSelectionStore());

} // namespace pd
