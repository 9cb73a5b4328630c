// Process-wide logging: every qDebug/qInfo/qWarning goes to a size-capped log file in the
// state dir, and warnings (or everything with PARITYDECK_DEBUG=1) also go to stderr.
// Secrets cannot reach the log through this path because SecretValue prints "••••";
// the tests check that a connection password never appears in the log.
#pragma once

#include <QString>

namespace pd::logging {

// Installs the handler. `logFilePath` empty → paths::logFile(). Safe to call once per process.
void install(const QString &logFilePath = {});
QString currentLogFile();

} // namespace pd::logging
