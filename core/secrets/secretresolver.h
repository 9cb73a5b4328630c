// Resolves SecretRefs to SecretValues without blocking the calling thread.
//
// resolve() may be called from any thread. Keychain jobs always run on the resolver's own
// thread (they need its event loop); dotenv files are read on the thread pool; commands
// run through QProcess with a timeout. The future finishes with the value or an Error
// whose message names the reference (never the value): ErrorCode::NotFound for a missing
// entry/variable/key, ErrorCode::NoKeyring when no secret service answers,
// ErrorCode::Timeout for a command that does not finish.
#pragma once

#include "common/result.h"
#include "secrets/secretref.h"
#include "secrets/secretvalue.h"

#include <QDebug>
#include <QFuture>
#include <QObject>

namespace pd {

// Not final: tests substitute a resolver (a subclass overriding resolve()) through the
// setSecretResolver() of the classes that use one, instead of setting environment variables.
class SecretResolver : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretResolver)

public:
    // `baseDir`: folder that dotenv: paths and command: working directories resolve against.
    explicit SecretResolver(QString baseDir, QObject *parent = nullptr);

    virtual QFuture<Result<SecretValue>> resolve(const SecretRef &ref);

    void setCommandTimeoutMs(int ms) { m_commandTimeoutMs = ms; }
    int commandTimeoutMs() const { return m_commandTimeoutMs; }

private:
    QString m_baseDir;
    int m_commandTimeoutMs = 10000;
};

// Writes, reads and deletes keyring entries through Qt Keychain (asynchronously; the
// futures finish on this object's thread's event loop). Service and key are the two
// halves of a keychain:SERVICE/KEY reference.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    explicit SecretStore(QObject *parent = nullptr);

    QFuture<Result<SecretValue>> read(const QString &service, const QString &key);
    QFuture<Result<bool>> write(const QString &service, const QString &key,
                                const SecretValue &value);
    // Finishes with true when an entry was deleted, false when there was none.
    QFuture<Result<bool>> remove(const QString &service, const QString &key);
};

// Prints "Result(ok ••••)" or "Result(not-found: message)": a resolved value is masked
// like SecretValue itself, so logging a whole result cannot leak it.
QDebug operator<<(QDebug debug, const Result<SecretValue> &result);

} // namespace pd
