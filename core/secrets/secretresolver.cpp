// secrets/: where secret values come from (SecretRef), how they are held (SecretValue,
// masked when printed), how references become values (SecretResolver) and how keyring
// entries are written (SecretStore). Values never enter messages, logs or the workspace.
#include "secretresolver.h"

#include "secrets/dotenv.h"
#include "secrets/keychainjobs.h"
#include "secrets/pendingresult.h"

#include <QDir>
#include <QProcess>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>

#include <signal.h>
#include <unistd.h>

namespace pd {

namespace {

QString droppedMessage(const QString &reference)
{
    return QStringLiteral("%1: resolution was cancelled because its resolver was destroyed")
        .arg(reference);
}

template<typename T> using Completion = std::function<void(Result<T>)>;

// Runs `start` on `context`'s thread (queued even from that thread, so the caller's stack
// never re-enters Qt Keychain or QProcess) and hands it the completion for the future.
// If `context` dies before the queued call runs, the completion is dropped unused and
// the future finishes as Cancelled with `whatIfDropped`.
template<typename T, typename Start>
QFuture<Result<T>> startOnThreadOf(QObject *context, QString whatIfDropped, Start start)
{
    auto pending = std::make_shared<PendingResult<T>>(std::move(whatIfDropped));
    QFuture<Result<T>> future = pending->future();
    QMetaObject::invokeMethod(
        context,
        [pending, start = std::move(start)] {
            start(
                Completion<T>([pending](Result<T> result) { pending->finish(std::move(result)); }));
        },
        Qt::QueuedConnection);
    return future;
}

Result<SecretValue> resolveEnv(const SecretRef &ref)
{
    const QByteArray name = ref.name.toLocal8Bit();
    if (name.isEmpty() || !qEnvironmentVariableIsSet(name.constData()))
        return Error(ErrorCode::NotFound, ErrorKind::SecretVariableUnset,
                     {ErrorArg::text(QStringLiteral("name"), ref.name)});
    return SecretValue(qgetenv(name.constData()));
}

// Runs on the thread pool: file I/O must not stall the resolver's event loop.
Result<SecretValue> resolveDotenv(const SecretRef &ref, const QString &baseDir)
{
    const QString path = QDir::cleanPath(QDir(baseDir).absoluteFilePath(ref.file));
    auto file = DotenvFile::read(path);
    if (!file)
        return file.error().inEnvironment(ref.toString());
    std::optional<QString> value = file->value(ref.key);
    if (!value)
        return Error(ErrorCode::NotFound, ErrorKind::SecretKeyUnset,
                     {ErrorArg::text(QStringLiteral("reference"), ref.toString()),
                      ErrorArg::text(QStringLiteral("key"), ref.key),
                      ErrorArg::text(QStringLiteral("file"), path)});
    return SecretValue::fromString(*value);
}

// A secret is a password or a token. A command that prints more is misconfigured
// (`cat` of the wrong file, `yes`), and buffering it until the timeout could take
// gigabytes.
constexpr qint64 kMaxStdoutBytes = 1024 * 1024;

// One command: reference, run through /bin/sh in its own process group so a timeout
// also stops whatever the command started (`gcloud …` spawns helpers that would
// otherwise keep running). Lives on the resolver's thread as the resolver's child, so
// destroying the resolver stops the command and the future finishes as Cancelled.
class CommandRun final : public QObject
{
public:
    CommandRun(const SecretRef &ref, const QString &workingDirectory, int timeoutMs,
               Completion<SecretValue> report, QObject *parent)
        : QObject(parent)
        , m_reference(ref.toString())
        , m_workingDirectory(workingDirectory)
        , m_timeoutMs(timeoutMs)
        , m_report(std::move(report))
    {
        m_process.setProgram(QStringLiteral("/bin/sh"));
        m_process.setArguments({QStringLiteral("-c"), ref.command});
        if (!workingDirectory.isEmpty())
            m_process.setWorkingDirectory(workingDirectory);
        // A command that prompts (ssh, gpg without an agent) must fail, not wait forever
        // on a terminal the GUI does not have.
        m_process.setStandardInputFile(QProcess::nullDevice());
        m_process.setStandardErrorFile(QProcess::nullDevice());
        m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
        connect(&m_process, &QProcess::finished, this, &CommandRun::onFinished);
        connect(&m_process, &QProcess::errorOccurred, this, &CommandRun::onErrorOccurred);
        connect(&m_process, &QProcess::readyReadStandardOutput, this, &CommandRun::onStdout);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &CommandRun::onTimeout);
        m_process.start();
        if (timeoutMs > 0) // 0 or less: the caller chose to wait as long as it takes
            m_timer.start(timeoutMs);
    }

    ~CommandRun() override
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.disconnect(this);
            killProcessGroup();
            m_process.waitForFinished(2000);
        }
        // m_report goes unused: its future finishes as Cancelled.
    }

private:
    void onFinished(int exitCode, QProcess::ExitStatus status)
    {
        m_timer.stop();
        if (!m_stopped) {
            // What a failing secret command says is not passed on: it may quote the secret
            // or the credential it used (a token in "token … rejected"), and the reason
            // would travel into status JSON, cards and logs. The user can run the command.
            const ErrorArg because = ErrorArg::phraseOf(
                QStringLiteral("detail"),
                QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                  "what it printed is not shown, as it may hold secrets;"
                                  " run the command in a terminal to see it"));
            if (status == QProcess::CrashExit) {
                m_report(Error(ErrorCode::Runtime, ErrorKind::SecretCommandKilled,
                               {reference(), because}));
            } else if (exitCode != 0) {
                m_report(Error(ErrorCode::Runtime, ErrorKind::SecretCommandExited,
                               {reference(), ErrorArg::number(QStringLiteral("exitCode"), exitCode),
                                because}));
            } else if (m_process.bytesAvailable() > kMaxStdoutBytes) {
                m_report(tooMuchOutput());
            } else {
                QByteArray out = m_process.readAllStandardOutput();
                // Only line ends: `printf '  pw  '` means the spaces.
                while (out.endsWith('\n') || out.endsWith('\r'))
                    out.chop(1);
                m_report(SecretValue(std::move(out)));
            }
        }
        deleteLater();
    }

    void onErrorOccurred(QProcess::ProcessError error)
    {
        // Crashes (including our own kill) also arrive through finished().
        if (error != QProcess::FailedToStart)
            return;
        m_timer.stop();
        m_report(Error(ErrorCode::Runtime, ErrorKind::SecretCommandNotStarted,
                       {reference(),
                        ErrorArg::text(QStringLiteral("folder"), m_workingDirectory.isEmpty()
                                                                     ? QDir::currentPath()
                                                                     : m_workingDirectory),
                        ErrorArg::text(QStringLiteral("detail"), m_process.errorString())}));
        deleteLater();
    }

    void onStdout()
    {
        if (m_stopped || m_process.bytesAvailable() <= kMaxStdoutBytes)
            return;
        stop(tooMuchOutput());
    }

    Error tooMuchOutput() const
    {
        return Error(ErrorCode::Runtime, ErrorKind::SecretCommandTooMuchOutput,
                     {reference(), ErrorArg::number(QStringLiteral("bytes"), kMaxStdoutBytes)});
    }

    ErrorArg reference() const { return ErrorArg::text(QStringLiteral("reference"), m_reference); }

    void onTimeout()
    {
        stop(Error(ErrorCode::Timeout, ErrorKind::SecretCommandTimedOut,
                   {reference(), ErrorArg::number(QStringLiteral("milliseconds"), m_timeoutMs)}));
    }

    // Reports now rather than after the kill lands, so the caller's wait is bounded;
    // finished() still arrives and cleans up.
    void stop(Error error)
    {
        m_stopped = true;
        m_timer.stop();
        m_report(std::move(error));
        killProcessGroup();
    }

    void killProcessGroup()
    {
        // Still our unreaped child, so its pid (= its group id) cannot have been reused.
        const qint64 pid = m_process.processId();
        if (pid > 0)
            ::kill(-pid_t(pid), SIGKILL);
        m_process.kill();
    }

    QString m_reference;
    QString m_workingDirectory;
    int m_timeoutMs = 0;
    Completion<SecretValue> m_report;
    QProcess m_process;
    QTimer m_timer;
    bool m_stopped = false;
};

} // namespace

SecretResolver::SecretResolver(QString baseDir, QObject *parent)
    : QObject(parent)
    , m_baseDir(std::move(baseDir))
{
}

QFuture<Result<SecretValue>> SecretResolver::resolve(const SecretRef &ref)
{
    switch (ref.kind) {
    case SecretRef::Kind::Env:
        return PendingResult<SecretValue>::ready(resolveEnv(ref));
    case SecretRef::Kind::Dotenv:
        return QtConcurrent::run(&resolveDotenv, ref, m_baseDir);
    case SecretRef::Kind::Keychain:
        return startOnThreadOf<SecretValue>(
            this, droppedMessage(ref.toString()),
            [service = ref.service, key = ref.key](Completion<SecretValue> done) {
                keychain::read(service, key, std::move(done));
            });
    case SecretRef::Kind::Command:
        // QProcess and its timer must belong to the thread whose event loop serves them.
        return startOnThreadOf<SecretValue>(
            this, droppedMessage(ref.toString()), [this, ref](Completion<SecretValue> done) {
                new CommandRun(ref, m_baseDir, m_commandTimeoutMs, std::move(done), this);
            });
    }
    return PendingResult<SecretValue>::ready(
        Error(ErrorCode::Runtime, ErrorKind::SecretReferenceUnsupported,
              {ErrorArg::text(QStringLiteral("reference"), ref.toString())}));
}

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{
}

// Each operation hops to this object's thread, where Qt Keychain's jobs must live.
QFuture<Result<SecretValue>> SecretStore::read(const QString &service, const QString &key)
{
    return startOnThreadOf<SecretValue>(
        this, QStringLiteral("reading %1 was cancelled").arg(keychain::referenceText(service, key)),
        [service, key](Completion<SecretValue> done) {
            keychain::read(service, key, std::move(done));
        });
}

QFuture<Result<bool>> SecretStore::write(const QString &service, const QString &key,
                                         const SecretValue &value)
{
    return startOnThreadOf<bool>(
        this, QStringLiteral("writing %1 was cancelled").arg(keychain::referenceText(service, key)),
        [service, key, value](Completion<bool> done) {
            keychain::write(service, key, value, std::move(done));
        });
}

QFuture<Result<bool>> SecretStore::remove(const QString &service, const QString &key)
{
    return startOnThreadOf<bool>(
        this,
        QStringLiteral("deleting %1 was cancelled").arg(keychain::referenceText(service, key)),
        [service, key](Completion<bool> done) { keychain::remove(service, key, std::move(done)); });
}

QDebug operator<<(QDebug debug, const Result<SecretValue> &result)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote();
    if (result.ok())
        debug << "Result(ok " << result.value() << ')';
    else
        debug << "Result(" << errorCodeName(result.error().code) << ": " << result.error().message
              << ')';
    return debug;
}

} // namespace pd
