#include "cloudbranches.h"

#include "branches/branchnaming.h"
#include "db/connectionparams.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace pd {

namespace {

QString firstText(const QJsonObject &object, const QStringList &keys)
{
    for (const QString &key : keys) {
        const QJsonValue value = object.value(key);
        if (value.isString() && !value.toString().isEmpty())
            return value.toString();
    }
    return {};
}

} // namespace

CloudBranches::CloudBranches(const Workspace &workspace, const EnvironmentConfig &environment,
                             QMap<QString, QString> secretEnvironment, BranchSelectionStore store)
    : m_workspaceFile(workspace.filePath)
    , m_environment(environment.name)
    , m_config(environment.branches.cloud.value_or(CloudBranchesConfig()))
    , m_naming(environment.branches.naming)
    , m_provider(providerConfig(workspace, environment, secretEnvironment))
    , m_store(std::move(store))
    , m_parent(m_config.parent)
{
}

CloudBranchProviderConfig CloudBranches::providerConfig(const Workspace &workspace,
                                                        const EnvironmentConfig &environment,
                                                        const QMap<QString, QString> &secrets)
{
    CloudBranchProviderConfig config;
    if (!environment.branches.cloud)
        return config;
    const CloudBranchesConfig &cloud = *environment.branches.cloud;
    config.create = cloud.create;
    config.remove = cloud.remove;
    config.list = cloud.list;
    config.listFormat = cloud.listLines ? CloudBranchProviderConfig::ListFormat::Lines
                                        : CloudBranchProviderConfig::ListFormat::Json;
    config.jsonNameField = cloud.nameField;
    config.workingDirectory = workspace.rootDir;
    config.environment = cloud.environment;
    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
        config.environment.insert(it.key(), it.value());
    config.timeoutSeconds = cloud.timeoutSeconds;
    return config;
}

Result<QList<CloudBranchListing>> CloudBranches::list() const
{
    auto branches = m_provider.list();
    if (!branches)
        return branches.error();
    const auto selected = m_store.selection(m_workspaceFile, m_environment);
    QList<CloudBranchListing> out;
    for (const CloudBranch &branch : *branches) {
        CloudBranchListing item;
        item.branch = branch;
        item.parent =
            firstText(branch.details, {QStringLiteral("parent"), QStringLiteral("parent_name"),
                                       QStringLiteral("parent_id")});
        item.created =
            firstText(branch.details, {QStringLiteral("created_at"), QStringLiteral("created")});
        item.isParent = branch.name == m_parent;
        item.selected = selected ? selected->database == branch.name : item.isParent;
        out.append(item);
    }
    return out;
}

Result<void> CloudBranches::refuseParent(const QString &name, const QString &verb) const
{
    if (name != m_parent)
        return {};
    return Error(ErrorCode::Protected, ErrorKind::CloudParentBranchRefused,
                 {ErrorArg::text(QStringLiteral("environment"), m_environment),
                  ErrorArg::text(QStringLiteral("branch"), name),
                  ErrorArg::text(QStringLiteral("verb"), verb)});
}

Result<CloudBranchCreated> CloudBranches::create(const QString &name, const QString &parent) const
{
    if (auto valid = branchnaming::checkName(name, QStringLiteral("branch")); !valid)
        return valid.error();
    if (auto valid = branchnaming::checkName(parent, QStringLiteral("parent branch")); !valid)
        return valid.error();
    CloudBranchCreated created;
    created.name = name;
    created.parent = parent.isEmpty() ? m_parent : parent;
    if (name == created.parent)
        return Error(ErrorCode::Usage, ErrorKind::CloudBranchFromItself,
                     {ErrorArg::text(QStringLiteral("branch"), name)});
    QElapsedTimer timer;
    timer.start();
    auto output = m_provider.create(name, created.parent);
    if (!output)
        return output.error();
    created.elapsedMs = timer.elapsed();
    created.output = output->toUtf8();
    return created;
}

Result<CloudBranchCreated> CloudBranches::reset(const QString &name) const
{
    auto done = resetBranch(name);
    if (!done)
        return done;
    // A branch made again may live on a new endpoint: the selection follows it.
    const auto selected = m_store.selection(m_workspaceFile, m_environment);
    if (selected && selected->database == name) {
        auto url = connectionUrl(name, done->output);
        if (!url)
            return Error(url.error().code,
                         QStringLiteral("%1 was reset, but its new URL is unknown: %2")
                             .arg(name, url.error().message));
        BranchSelection updated = *selected;
        updated.url = *url;
        updated.selectedAt = {};
        if (auto saved = m_store.select(m_workspaceFile, m_environment, updated); !saved)
            return saved.error();
    }
    return done;
}

Result<CloudBranchCreated> CloudBranches::resetBranch(const QString &name) const
{
    if (auto valid = branchnaming::checkName(name, QStringLiteral("branch")); !valid)
        return valid.error();
    if (auto refused = refuseParent(name, QStringLiteral("reset")); !refused)
        return refused.error();
    QElapsedTimer timer;
    timer.start();
    if (!m_config.reset.isEmpty()) {
        const QString command = CloudBranchProvider::expand(
            m_config.reset, {{QStringLiteral("name"), name}, {QStringLiteral("parent"), m_parent}});
        auto output = m_provider.runExpanded(QStringLiteral("reset"), command);
        if (!output)
            return Error(output.error().code,
                         QStringLiteral("%1 (branch %2)").arg(output.error().message, name));
        return CloudBranchCreated{name, m_parent, timer.elapsed(), output->toUtf8()};
    }
    // No reset command: delete and create again from the parent. The parent is looked up
    // first, so a branch whose parent is gone is not deleted for nothing.
    auto branches = m_provider.list();
    if (!branches)
        return branches.error();
    bool exists = false;
    bool parentExists = false;
    for (const CloudBranch &branch : *branches) {
        exists = exists || branch.name == name;
        parentExists = parentExists || branch.name == m_parent;
    }
    if (!exists)
        return Error(ErrorCode::NotFound, ErrorKind::NoCloudBranch,
                     {ErrorArg::text(QStringLiteral("environment"), m_environment),
                      ErrorArg::text(QStringLiteral("branch"), name)});
    if (!parentExists)
        return Error(ErrorCode::NotFound, ErrorKind::CloudResetParentMissing,
                     {ErrorArg::text(QStringLiteral("branch"), name),
                      ErrorArg::text(QStringLiteral("parent"), m_parent)});
    if (auto removed = m_provider.remove(name); !removed)
        return removed.error();
    auto output = m_provider.create(name, m_parent);
    if (!output)
        return Error(output.error().code,
                     QStringLiteral("%1 was deleted but could not be created again: %2")
                         .arg(name, output.error().message));
    return CloudBranchCreated{name, m_parent, timer.elapsed(), output->toUtf8()};
}

Result<void> CloudBranches::remove(const QString &name) const
{
    if (auto valid = branchnaming::checkName(name, QStringLiteral("branch")); !valid)
        return valid;
    if (auto refused = refuseParent(name, QStringLiteral("delete")); !refused)
        return refused;
    if (auto removed = m_provider.remove(name); !removed)
        return removed;
    const auto selected = m_store.selection(m_workspaceFile, m_environment);
    if (selected && selected->database == name)
        return m_store.clear(m_workspaceFile, m_environment);
    return {};
}

QJsonValue CloudBranches::valueAt(const QJsonValue &root, const QString &path)
{
    QJsonValue current = root;
    for (const QString &part : path.split(u'.')) {
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        if (current.isArray() && isIndex) {
            const QJsonArray array = current.toArray();
            if (index < 0 || index >= array.size())
                return {};
            current = array.at(index);
        } else if (current.isObject()) {
            current = current.toObject().value(part);
        } else {
            return {};
        }
    }
    return current;
}

QString CloudBranches::withoutPassword(const QString &url)
{
    const qsizetype schemeEnd = url.indexOf(QStringLiteral("://"));
    if (schemeEnd < 0)
        return url;
    const qsizetype authorityStart = schemeEnd + 3;
    qsizetype authorityEnd = url.size();
    for (qsizetype i = authorityStart; i < url.size(); ++i) {
        if (url[i] == u'/' || url[i] == u'?' || url[i] == u'#') {
            authorityEnd = i;
            break;
        }
    }
    QString authority = url.mid(authorityStart, authorityEnd - authorityStart);
    const qsizetype at = authority.lastIndexOf(u'@');
    if (at >= 0) {
        const qsizetype colon = authority.first(at).indexOf(u':');
        if (colon >= 0)
            authority.remove(colon, at - colon);
    }
    QString rest = url.mid(authorityEnd);
    if (const qsizetype query = rest.indexOf(u'?'); query >= 0) {
        QStringList kept;
        const qsizetype hash = rest.indexOf(u'#', query);
        const QString fragment = hash >= 0 ? rest.mid(hash) : QString();
        const QString queryText = rest.mid(query + 1, (hash >= 0 ? hash : rest.size()) - query - 1);
        for (const QString &pair : queryText.split(u'&', Qt::SkipEmptyParts)) {
            if (!pair.startsWith(QStringLiteral("password=")))
                kept.append(pair);
        }
        rest = rest.first(query) + (kept.isEmpty() ? QString() : QString(u'?' + kept.join(u'&'))) +
               fragment;
    }
    return url.first(authorityStart) + authority + rest;
}

Result<QString> CloudBranches::connectionUrl(const QString &name, const QByteArray &createOutput,
                                             const QJsonObject &entry) const
{
    QString url;
    QString source;
    if (!m_config.connection.isEmpty()) {
        source = QStringLiteral("the connection command");
        const QString command = CloudBranchProvider::expand(
            m_config.connection,
            {{QStringLiteral("name"), name}, {QStringLiteral("parent"), m_parent}});
        auto output = m_provider.runExpanded(QStringLiteral("look up the URL of"), command);
        if (!output)
            return Error(output.error().code,
                         QStringLiteral("%1 (branch %2)").arg(output.error().message, name));
        static const QRegularExpression pattern(QStringLiteral("postgres(ql)?://[^\\s\"']+"));
        url = pattern.match(*output).captured();
    } else {
        source = QStringLiteral("JSON field \"%1\"").arg(m_config.urlField);
        const QJsonDocument created = QJsonDocument::fromJson(createOutput);
        const QJsonValue root =
            created.isArray() ? QJsonValue(created.array()) : QJsonValue(created.object());
        QJsonValue value = createOutput.isEmpty() ? QJsonValue() : valueAt(root, m_config.urlField);
        if (!value.isString())
            value = valueAt(entry, m_config.urlField);
        if (!value.isString() && entry.isEmpty()) {
            auto branches = m_provider.list();
            if (!branches)
                return branches.error();
            for (const CloudBranch &branch : *branches) {
                if (branch.name == name)
                    value = valueAt(branch.details, m_config.urlField);
            }
        }
        url = value.toString();
    }
    if (url.isEmpty())
        return Error(ErrorCode::Runtime, ErrorKind::CloudBranchNoUrl,
                     {ErrorArg::text(QStringLiteral("source"), source),
                      ErrorArg::text(QStringLiteral("branch"), name),
                      ErrorArg::text(QStringLiteral("setting"), m_config.connection.isEmpty()
                                                                    ? QStringLiteral("url_field")
                                                                    : QStringLiteral("connection")),
                      ErrorArg::text(QStringLiteral("environment"), m_environment)});
    url = withoutPassword(url.trimmed());
    auto parsed = ConnectionParams::fromUrl(url);
    if (!parsed)
        return Error(ErrorCode::Runtime, ErrorKind::CloudBranchUrlUnusable,
                     {ErrorArg::text(QStringLiteral("source"), source),
                      ErrorArg::text(QStringLiteral("branch"), name),
                      parsed.error().asArg(QStringLiteral("reason"))});
    return url;
}

Result<QString> CloudBranches::resolveBranch(const QString &nameOrGitBranch) const
{
    auto branches = m_provider.list();
    if (!branches)
        return branches.error();
    QStringList names;
    for (const CloudBranch &branch : *branches)
        names.append(branch.name);
    if (names.contains(nameOrGitBranch))
        return nameOrGitBranch;
    const auto selected = m_store.selection(m_workspaceFile, m_environment);
    if (selected && selected->gitBranch == nameOrGitBranch && names.contains(selected->database))
        return selected->database;
    const QString mapped = branchnaming::databaseName(m_naming, m_parent, nameOrGitBranch);
    if (names.contains(mapped))
        return mapped;
    return Error(
        ErrorCode::NotFound,
        QStringLiteral("%1 has no cloud branch named or made for \"%2\"%3")
            .arg(m_environment, nameOrGitBranch,
                 names.isEmpty()
                     ? QStringLiteral(" (the vendor lists no branches)")
                     : QStringLiteral(" (branches: %1)").arg(names.join(QStringLiteral(", ")))));
}

} // namespace pd
