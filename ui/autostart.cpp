#include "autostart.h"

#include "environment/resolvedconnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QtConcurrent>

namespace pd::ui {
namespace {

// Desktop Entry spec: arguments with reserved characters are double-quoted, and inside the
// quotes ", `, $ and \ are escaped with a backslash.
QString quoteArgument(const QString &argument)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    bool needsQuotes = argument.isEmpty();
    for (const QChar c : argument)
        needsQuotes = needsQuotes || reserved.contains(c);
    if (!needsQuotes)
        return argument;
    QString quoted;
    for (const QChar c : argument) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') ||
            c == QLatin1Char('\\'))
            quoted += QLatin1Char('\\');
        quoted += c;
    }
    // A literal % in Exec must be doubled (field codes).
    quoted.replace(QLatin1Char('%'), QStringLiteral("%%"));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

QString Autostart::filePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/io.paritydeck.ParityDeck.desktop");
}

QString Autostart::entryText(const QString &binary, const QString &workspaceFile)
{
    QString exec = quoteArgument(binary);
    if (!workspaceFile.isEmpty())
        exec += QStringLiteral(" --workspace ") + quoteArgument(workspaceFile);
    // untranslated: the desktop entry is a file for the session, not text shown here
    return QStringLiteral("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=ParityDeck\n"
                          "Comment=Keeps an eye on your PostgreSQL environments from the tray\n"
                          "Exec=%1\n"
                          "Icon=io.paritydeck.ParityDeck\n"
                          "Terminal=false\n"
                          "X-GNOME-Autostart-enabled=true\n")
        .arg(exec);
}

QFuture<bool> Autostart::isEnabled()
{
    return QtConcurrent::run(panelWorkPool(),
                             [path = filePath()] { return QFileInfo::exists(path); });
}

QFuture<Result<void>> Autostart::setEnabled(bool enabled, const QString &binary,
                                            const QString &workspaceFile)
{
    return QtConcurrent::run(
        panelWorkPool(),
        [enabled, path = filePath(), text = entryText(binary, workspaceFile)]() -> Result<void> {
            if (!enabled) {
                QFile file(path);
                if (file.exists() && !file.remove())
                    return Error(
                        ErrorCode::Runtime,
                        QCoreApplication::translate("pd::ui::Autostart", "cannot remove %1: %2")
                            .arg(path, file.errorString()));
                return {};
            }
            if (!QDir().mkpath(QFileInfo(path).absolutePath()))
                return Error(ErrorCode::Runtime,
                             QCoreApplication::translate("pd::ui::Autostart", "cannot create %1")
                                 .arg(QFileInfo(path).absolutePath()));
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
                return Error(ErrorCode::Runtime,
                             QCoreApplication::translate("pd::ui::Autostart", "cannot write %1: %2")
                                 .arg(path, file.errorString()));
            return {};
        });
}

} // namespace pd::ui
