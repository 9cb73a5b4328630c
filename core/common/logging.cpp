#include "logging.h"

#include "paths.h"
#include "printable.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>

#include <cstdio>

namespace pd::logging {

namespace {

constexpr qint64 MaxLogBytes = 1024 * 1024; // rotate to .1 past this: logs must not grow forever

QMutex s_mutex;
QString s_path;
QFile *s_file = nullptr;
bool s_debugToStderr = false;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "?";
}

void openFile()
{
    delete s_file;
    s_file = new QFile(s_path);
    if (!s_file->open(QIODevice::Append | QIODevice::Text)) {
        delete s_file;
        s_file = nullptr;
    } else {
        s_file->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // Messages quote names and server text; stderr may be a terminal (printable.h).
    const QByteArray line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() +
                            ' ' + levelName(type) + ' ' +
                            (context.category ? context.category : "default") + ": " +
                            terminalText(message).toUtf8() + '\n';
    {
        QMutexLocker lock(&s_mutex);
        if (s_file) {
            if (s_file->size() > MaxLogBytes) {
                s_file->close();
                QFile::remove(s_path + QStringLiteral(".1"));
                QFile::rename(s_path, s_path + QStringLiteral(".1"));
                openFile();
            }
            if (s_file) {
                s_file->write(line);
                s_file->flush();
            }
        }
    }
    const bool routine = type == QtDebugMsg || type == QtInfoMsg;
    if (!routine || s_debugToStderr) {
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
        std::fflush(stderr);
    }
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void install(const QString &logFilePath)
{
    QMutexLocker lock(&s_mutex);
    s_path = logFilePath.isEmpty() ? paths::logFile() : logFilePath;
    paths::makePrivateFolder(QFileInfo(s_path).absolutePath());
    s_debugToStderr = qEnvironmentVariableIntValue("PARITYDECK_DEBUG") == 1;
    openFile();
    qInstallMessageHandler(handler);
}

QString currentLogFile()
{
    QMutexLocker lock(&s_mutex);
    return s_path;
}

} // namespace pd::logging
