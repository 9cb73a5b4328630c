// workspace/ owns paritydeck.yaml: the value types here, loading and validation in
// workspaceloader.cpp, and the helpers that make its messages point at the right place.
#include "workspace/workspace.h"

#include <QDir>

namespace pd {

QString protectionName(Protection p)
{
    switch (p) {
    case Protection::None:
        return QStringLiteral("none");
    case Protection::Confirm:
        return QStringLiteral("confirm");
    case Protection::ReadOnly:
        return QStringLiteral("read-only");
    }
    return QStringLiteral("none");
}

const EnvironmentConfig *Workspace::environment(const QString &name) const
{
    for (const EnvironmentConfig &env : environments) {
        if (env.name == name)
            return &env;
    }
    return nullptr;
}

QStringList Workspace::environmentNames() const
{
    QStringList names;
    names.reserve(environments.size());
    for (const EnvironmentConfig &env : environments)
        names.append(env.name);
    return names;
}

QString Workspace::resolvePath(const QString &relative) const
{
    // An empty path means the workspace folder itself, e.g. a service without 'cwd'.
    if (relative.isEmpty())
        return rootDir;
    QString path = relative;
    // "~/…" is how people write paths in YAML, but no shell expands it for us.
    if (path == u"~" || path.startsWith(u"~/"))
        path = QDir::homePath() + path.mid(1);
    if (QDir::isAbsolutePath(path))
        return QDir::cleanPath(path);
    return QDir::cleanPath(QDir(rootDir).filePath(path));
}

} // namespace pd
