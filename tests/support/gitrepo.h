// Helpers for tests that need a real git repository.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace pd::test {

// Runs git in `dir` with a fixed identity (the test machine may have none configured) and
// returns its trimmed standard output; a failure is logged with git's stderr.
QString git(const QString &dir, const QStringList &arguments);

// Writes `content` to `path`, failing the current test if it cannot.
void writeFile(const QString &path, const QByteArray &content);

} // namespace pd::test
