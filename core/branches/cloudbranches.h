// The branch verbs (list, create, reset, delete, and the database half of switch) for an
// environment whose branches live at a hosted vendor (`branches.cloud` in
// paritydeck.yaml), on top of CloudBranchProvider's command templates.
//
// Where a branch's connection URL comes from (docs/branches.md, "Connection URL"):
// the `connection` template's output (the first postgresql:// URL it prints), else the
// JSON field `url_field` of the create output or of the branch's list entry. The URL is
// kept without its password, in the per-user selection: vendors print URLs with the
// role's password, and ParityDeck stores no secrets; the environment's
// `database.password` applies to every branch (Neon copies roles and their passwords
// into child branches).
//
// The parent branch (`parent`, "main" by default) is the environment's own database: it is
// never reset or deleted from here, and switching to a trunk git branch points the
// environment back at it.
//
// Blocking: call from worker threads.
#pragma once

#include "branches/branchselection.h"
#include "branches/cloudbranchprovider.h"
#include "common/result.h"
#include "workspace/workspace.h"

#include <QMap>
#include <QString>

namespace pd {

struct CloudBranchCreated
{
    QString name;
    QString parent;
    qint64 elapsedMs = 0;
    QByteArray output; // the create command's stdout (may hold a URL with a password)
};

struct CloudBranchListing
{
    CloudBranch branch;
    QString parent;  // from the JSON entry when the vendor prints one ("parent", "parent_id")
    QString created; // "created_at" / "created" of the JSON entry, as printed
    bool selected = false;
    bool isParent = false;
};

class CloudBranches final
{
public:
    // `secretEnvironment`: the resolved `secret_env` values, passed to the commands'
    // environment only.
    CloudBranches(const Workspace &workspace, const EnvironmentConfig &environment,
                  QMap<QString, QString> secretEnvironment = {},
                  BranchSelectionStore store = BranchSelectionStore());

    // The provider settings of `environment` (its `branches.cloud` block).
    static CloudBranchProviderConfig providerConfig(const Workspace &workspace,
                                                    const EnvironmentConfig &environment,
                                                    const QMap<QString, QString> &secrets);

    const QString &parentBranch() const noexcept { return m_parent; }

    Result<QList<CloudBranchListing>> list() const;
    // `parent` empty: the configured parent branch.
    Result<CloudBranchCreated> create(const QString &name, const QString &parent = {}) const;
    // The `reset` template, or delete + create from the parent. Refuses the parent branch.
    // When the environment points at the branch, its recorded URL is looked up again.
    Result<CloudBranchCreated> reset(const QString &name) const;
    // Refuses the parent branch; an environment pointing at the branch goes back to it.
    Result<void> remove(const QString &name) const;

    // The branch's URL without a password. `created`: the create output just printed
    // (url_field is looked up there first); `entry`: the branch's list entry when known.
    Result<QString> connectionUrl(const QString &name, const QByteArray &createOutput = {},
                                  const QJsonObject &entry = {}) const;

    // The branch a user means: a cloud branch of that name, else the one recorded for
    // that git branch, else the naming pattern's result if it exists.
    Result<QString> resolveBranch(const QString &nameOrGitBranch) const;

    // Password removed from the user-info part and from a password= query parameter.
    static QString withoutPassword(const QString &url);
    // The JSON value at a dotted path; numeric parts index arrays ("uris.0.uri").
    static QJsonValue valueAt(const QJsonValue &root, const QString &path);

private:
    Result<void> refuseParent(const QString &name, const QString &verb) const;
    Result<CloudBranchCreated> resetBranch(const QString &name) const;

    QString m_workspaceFile;
    QString m_environment;
    CloudBranchesConfig m_config;
    QString m_naming;
    CloudBranchProvider m_provider;
    BranchSelectionStore m_store;
    QString m_parent;
};

} // namespace pd
