#include "paths.h"

#include <QDir>

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

} // namespace pd::paths
