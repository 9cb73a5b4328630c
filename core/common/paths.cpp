#include "paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace pd::paths {

static QString xdgDir(const char *variable, const QString &fallbackBelowHome)
{
    QString base = qEnvironmentVariable(variable);
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QLatin1Char('/') + fallbackBelowHome;
    return QDir::cleanPath(base + QStringLiteral("/paritydeck"));
}

QString stateDir()
{
    return xdgDir("XDG_STATE_HOME", QStringLiteral(".local/state"));
}

QString configDir()
{
    return xdgDir("XDG_CONFIG_HOME", QStringLiteral(".config"));
}

QString logFile()
{
    return stateDir() + QStringLiteral("/paritydeck.log");
}

bool makePrivateFolder(const QString &folder)
{
    constexpr QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    const QString target = QDir::cleanPath(QDir(folder).absolutePath());
    QStringList missing;
    for (QString at = target; !QFileInfo::exists(at);) {
        missing.prepend(at);
        const QString parent = QFileInfo(at).path();
        if (parent == at)
            break;
        at = parent;
    }
    // Made 0700 from the start, so nothing is ever readable by others even for a moment.
    for (const QString &dir : std::as_const(missing)) {
        if (!QDir().mkdir(dir, ownerOnly) && !QFileInfo(dir).isDir())
            return false;
    }
    const QString state = QDir::cleanPath(stateDir());
    for (QString dir = target; dir == state || dir.startsWith(state + QLatin1Char('/'));
         dir = QFileInfo(dir).path()) {
        QFile::setPermissions(dir, ownerOnly);
        if (dir == state)
            break;
    }
    return QFileInfo(target).isDir();
}

} // namespace pd::paths
