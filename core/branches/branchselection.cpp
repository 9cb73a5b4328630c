#include "branchselection.h"

#include "common/paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

#include <optional>

namespace pd {

namespace {

// The same workspace reached through a symlink or a relative path must find its selection.
QString workspaceKey(const QString &workspaceFile)
{
    const QFileInfo info(workspaceFile);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

// An unreadable or corrupt file reads as "nothing selected"; `error` tells writers apart.
QJsonObject readRoot(const QString &path, std::optional<Error> *error = nullptr)
{
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = Error(ErrorCode::Runtime, ErrorKind::FileUnreadable,
                           {ErrorArg::text(QStringLiteral("file"), path),
                            ErrorArg::text(QStringLiteral("detail"), file.errorString())});
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = Error(ErrorCode::Runtime, ErrorKind::BranchSelectionsNotJson,
                           {ErrorArg::text(QStringLiteral("file"), path),
                            ErrorArg::text(QStringLiteral("detail"), parseError.errorString())});
        return {};
    }
    return doc.object();
}

template<typename Change> Result<void> update(const QString &path, Change change)
{
    if (!paths::makePrivateFolder(QFileInfo(path).absolutePath()))
        return Error(ErrorCode::Runtime, ErrorKind::PrivateFolderNotCreated,
                     {ErrorArg::text(QStringLiteral("folder"), QFileInfo(path).absolutePath())});
    QLockFile lock(path + QStringLiteral(".lock"));
    lock.setStaleLockTime(10000);
    if (!lock.tryLock(5000))
        return Error(ErrorCode::Timeout, ErrorKind::FileLockedByOtherProcess,
                     {ErrorArg::text(QStringLiteral("file"), path)});
    std::optional<Error> error;
    QJsonObject root = readRoot(path, &error);
    if (error)
        return *error;
    root.insert(QStringLiteral("version"), 1);
    QJsonObject workspaces = root.value(QStringLiteral("workspaces")).toObject();
    change(workspaces);
    root.insert(QStringLiteral("workspaces"), workspaces);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error(ErrorCode::Runtime, ErrorKind::FileNotWritten,
                     {ErrorArg::text(QStringLiteral("file"), path),
                      ErrorArg::text(QStringLiteral("detail"), file.errorString())});
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error(ErrorCode::Runtime, ErrorKind::FileNotWritten,
                     {ErrorArg::text(QStringLiteral("file"), path),
                      ErrorArg::text(QStringLiteral("detail"), file.errorString())});
    return {};
}

} // namespace

BranchSelectionStore::BranchSelectionStore(QString filePath)
    : m_filePath(std::move(filePath))
{
}

QString BranchSelectionStore::defaultFilePath()
{
    return paths::stateDir() + QStringLiteral("/branches.json");
}

QString BranchSelectionStore::filePath() const
{
    return m_filePath.isEmpty() ? defaultFilePath() : m_filePath;
}

std::optional<BranchSelection> BranchSelectionStore::selection(const QString &workspaceFile,
                                                               const QString &environment) const
{
    const QJsonObject entry = readRoot(filePath())
                                  .value(QStringLiteral("workspaces"))
                                  .toObject()
                                  .value(workspaceKey(workspaceFile))
                                  .toObject()
                                  .value(environment)
                                  .toObject();
    const QString database = entry.value(QStringLiteral("database")).toString();
    if (database.isEmpty())
        return std::nullopt;
    BranchSelection s;
    s.database = database;
    s.gitBranch = entry.value(QStringLiteral("git")).toString();
    s.url = entry.value(QStringLiteral("url")).toString();
    s.selectedAt =
        QDateTime::fromString(entry.value(QStringLiteral("selected")).toString(), Qt::ISODate);
    return s;
}

Result<void> BranchSelectionStore::select(const QString &workspaceFile, const QString &environment,
                                          const BranchSelection &selection) const
{
    const QString key = workspaceKey(workspaceFile);
    return update(filePath(), [&](QJsonObject &workspaces) {
        QJsonObject environments = workspaces.value(key).toObject();
        QJsonObject entry;
        entry.insert(QStringLiteral("database"), selection.database);
        if (!selection.gitBranch.isEmpty())
            entry.insert(QStringLiteral("git"), selection.gitBranch);
        if (!selection.url.isEmpty())
            entry.insert(QStringLiteral("url"), selection.url);
        const QDateTime at =
            selection.selectedAt.isValid() ? selection.selectedAt : QDateTime::currentDateTimeUtc();
        entry.insert(QStringLiteral("selected"), at.toUTC().toString(Qt::ISODate));
        environments.insert(environment, entry);
        workspaces.insert(key, environments);
    });
}

Result<void> BranchSelectionStore::clear(const QString &workspaceFile,
                                         const QString &environment) const
{
    if (!selection(workspaceFile, environment))
        return {};
    const QString key = workspaceKey(workspaceFile);
    return update(filePath(), [&](QJsonObject &workspaces) {
        QJsonObject environments = workspaces.value(key).toObject();
        environments.remove(environment);
        if (environments.isEmpty())
            workspaces.remove(key);
        else
            workspaces.insert(key, environments);
    });
}

Result<ConnectionParams> effectiveConnectionParams(const Workspace &workspace,
                                                   const QString &environment,
                                                   const BranchSelectionStore &store)
{
    const EnvironmentConfig *env = workspace.environment(environment);
    if (!env)
        return Error(ErrorCode::NotFound, ErrorKind::NoEnvironmentNamed,
                     {ErrorArg::text(QStringLiteral("environment"), environment),
                      ErrorArg::text(QStringLiteral("file"), workspace.filePath)});
    auto params = ConnectionParams::fromUrl(env->database.url);
    if (!params)
        return params.error();
    if (env->branches.cloud) {
        const auto selected = store.selection(workspace.filePath, environment);
        if (selected && !selected->url.isEmpty()) {
            auto branch = ConnectionParams::fromUrl(selected->url);
            if (!branch)
                return Error(branch.error().code, ErrorKind::RecordedBranchUrlUnusable,
                             {ErrorArg::text(QStringLiteral("environment"), environment),
                              ErrorArg::text(QStringLiteral("branch"), selected->database),
                              ErrorArg::text(QStringLiteral("file"), store.filePath()),
                              branch.error().asArg(QStringLiteral("reason"))});
            return branch;
        }
    } else if (!env->branches.database.isEmpty()) {
        if (auto selected = store.selection(workspace.filePath, environment))
            params->dbname = selected->database;
    }
    return params;
}

QString effectiveDatabase(const Workspace &workspace, const QString &environment,
                          const BranchSelectionStore &store)
{
    auto params = effectiveConnectionParams(workspace, environment, store);
    return params ? params->dbname : QString();
}

} // namespace pd
