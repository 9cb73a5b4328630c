#include "secrets/secretresolver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>

using namespace pd;

namespace {

// Every value the tests resolve or plant next to a failure. None may show up in an error
// message, in a printed result or in anything logged while the tests run.
const QStringList kSecrets = {
    QStringLiteral("env-secret-1"),       QStringLiteral("dotenv-secret-1"),
    QStringLiteral("cmd-secret-1"),       QStringLiteral("cmd-leaked-1"),
    QStringLiteral("cmd-leaked-timeout"), QStringLiteral("worker-secret-1"),
};

// What a failed command's error says instead of what the command printed.
const QString kNotShown = QStringLiteral("what it printed is not shown, as it may hold secrets; "
                                         "run the command in a terminal to see it");

QMutex g_logMutex;
QStringList g_logged;
QtMessageHandler g_previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_logged.append(message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QString dataDir()
{
    return QStringLiteral(PD_TEST_DATA_DIR "/secrets");
}

SecretRef envRef(const QString &name)
{
    SecretRef ref;
    ref.kind = SecretRef::Kind::Env;
    ref.name = name;
    return ref;
}

SecretRef dotenvRef(const QString &file, const QString &key)
{
    SecretRef ref;
    ref.kind = SecretRef::Kind::Dotenv;
    ref.file = file;
    ref.key = key;
    return ref;
}

SecretRef commandRef(const QString &command)
{
    SecretRef ref;
    ref.kind = SecretRef::Kind::Command;
    ref.command = command;
    return ref;
}

QString printed(const Result<SecretValue> &result)
{
    QString text;
    QDebug(&text) << result;
    return text;
}

bool mentionsASecret(const QString &text)
{
    return std::any_of(kSecrets.cbegin(), kSecrets.cend(),
                       [&text](const QString &secret) { return text.contains(secret); });
}

// A process that was killed but whose parent is gone may linger as a zombie until the
// container's init reaps it; either way it no longer runs.
bool processIsGone(const QString &pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const qsizetype afterName = line.lastIndexOf(')');
    return afterName > 0 && line.mid(afterName + 2, 1) == "Z";
}

} // namespace

// Awaits a future by spinning this thread's event loop (the resolver lives here).
#define AWAIT(future, ms) QTRY_VERIFY_WITH_TIMEOUT((future).isFinished(), ms)

class TestSecretResolver final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        g_previousHandler = qInstallMessageHandler(recordMessage);
        qputenv("PD_TEST_SECRET_ENV", "env-secret-1");
        qunsetenv("PD_TEST_UNSET_VARIABLE");
        // Commands print these on stdout before failing; the command text itself is
        // configuration and may appear in messages, so the values must come from outside.
        qputenv("PD_TEST_LEAK", "cmd-leaked-1");
        qputenv("PD_TEST_LEAK_TIMEOUT", "cmd-leaked-timeout");
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        QMutexLocker lock(&g_logMutex);
        for (const QString &message : std::as_const(g_logged))
            QVERIFY2(!mentionsASecret(message), qPrintable(message));
    }

    void envReferenceResolvesFromTheProcessEnvironment()
    {
        SecretResolver resolver(dataDir());
        auto future = resolver.resolve(envRef(QStringLiteral("PD_TEST_SECRET_ENV")));
        AWAIT(future, 1000);
        const Result<SecretValue> result = future.result();
        QVERIFY(result.ok());
        QCOMPARE(result.value().revealString(), QStringLiteral("env-secret-1"));
    }

    void unsetEnvironmentVariableIsNotFound()
    {
        SecretResolver resolver(dataDir());
        auto future = resolver.resolve(envRef(QStringLiteral("PD_TEST_UNSET_VARIABLE")));
        AWAIT(future, 1000);
        const Result<SecretValue> result = future.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::NotFound);
        QCOMPARE(result.error().message,
                 QStringLiteral("environment variable PD_TEST_UNSET_VARIABLE is not set"));
    }

    void dotenvReferenceResolvesAgainstTheBaseDir()
    {
        SecretResolver resolver(dataDir());
        const QStringList files = {QStringLiteral("app.env"), QStringLiteral("./x/../app.env"),
                                   dataDir() + QStringLiteral("/app.env")};
        for (const QString &file : files) {
            auto future = resolver.resolve(dotenvRef(file, QStringLiteral("DB_PASSWORD")));
            AWAIT(future, 5000);
            const Result<SecretValue> result = future.result();
            QVERIFY2(result.ok(), qPrintable(printed(result)));
            QCOMPARE(result.value().revealString(), QStringLiteral("dotenv-secret-1"));
        }
        auto duplicate =
            resolver.resolve(dotenvRef(QStringLiteral("app.env"), QStringLiteral("DUPLICATE")));
        AWAIT(duplicate, 5000);
        QCOMPARE(duplicate.result().value().revealString(), QStringLiteral("second"));
        auto empty =
            resolver.resolve(dotenvRef(QStringLiteral("app.env"), QStringLiteral("EMPTY")));
        AWAIT(empty, 5000);
        QVERIFY(empty.result().ok());
        QVERIFY(empty.result().value().isEmpty());
    }

    void dotenvMissingKeyOrFileIsNotFoundNamingFileAndKey()
    {
        SecretResolver resolver(dataDir());
        const SecretRef missingKey = dotenvRef(QStringLiteral("app.env"), QStringLiteral("NOPE"));
        auto keyFuture = resolver.resolve(missingKey);
        AWAIT(keyFuture, 5000);
        const Result<SecretValue> keyResult = keyFuture.result();
        QVERIFY(!keyResult.ok());
        QCOMPARE(keyResult.error().code, ErrorCode::NotFound);
        QCOMPARE(keyResult.error().message, missingKey.toString() +
                                                QStringLiteral(": NOPE is not set in ") +
                                                dataDir() + QStringLiteral("/app.env"));

        const SecretRef missingFile =
            dotenvRef(QStringLiteral("absent.env"), QStringLiteral("DB_PASSWORD"));
        auto fileFuture = resolver.resolve(missingFile);
        AWAIT(fileFuture, 5000);
        const Result<SecretValue> fileResult = fileFuture.result();
        QVERIFY(!fileResult.ok());
        QCOMPARE(fileResult.error().code, ErrorCode::NotFound);
        QCOMPARE(fileResult.error().message, missingFile.toString() + QStringLiteral(": ") +
                                                 dataDir() +
                                                 QStringLiteral("/absent.env does not exist"));
        QVERIFY(fileResult.error().message.contains(QStringLiteral("DB_PASSWORD")));
    }

    void dotenvSyntaxErrorIsConfigWithLineAndColumn()
    {
        SecretResolver resolver(dataDir());
        const SecretRef ref = dotenvRef(QStringLiteral("broken.env"), QStringLiteral("GOOD"));
        auto future = resolver.resolve(ref);
        AWAIT(future, 5000);
        const Result<SecretValue> result = future.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Config);
        QCOMPARE(result.error().message,
                 ref.toString() + QStringLiteral(": ") + dataDir() +
                     QStringLiteral("/broken.env:2:8: unterminated double-quoted value of BROKEN"));
        QVERIFY(!result.error().message.contains(QStringLiteral("dotenv-secret-unterminated")));
    }

    void commandStdoutIsTrimmedOfLineEndsOnly()
    {
        SecretResolver resolver(dataDir());
        auto lines = resolver.resolve(commandRef(QStringLiteral("printf 'cmd-secret-1\\r\\n\\n'")));
        auto spaces = resolver.resolve(commandRef(QStringLiteral("printf '  padded  '")));
        AWAIT(lines, 5000);
        AWAIT(spaces, 5000);
        QVERIFY2(lines.result().ok(), qPrintable(printed(lines.result())));
        QCOMPARE(lines.result().value().revealString(), QStringLiteral("cmd-secret-1"));
        QCOMPARE(spaces.result().value().revealString(), QStringLiteral("  padded  "));
    }

    void commandRunsInTheBaseDir()
    {
        SecretResolver resolver(dataDir());
        auto future = resolver.resolve(commandRef(QStringLiteral("cat command-output.txt")));
        AWAIT(future, 5000);
        QVERIFY2(future.result().ok(), qPrintable(printed(future.result())));
        QCOMPARE(future.result().value().revealString(), QStringLiteral("from-file-in-base-dir"));
    }

    void commandGetsNoStdinSoItCannotWaitForInput()
    {
        SecretResolver resolver(dataDir());
        resolver.setCommandTimeoutMs(5000);
        auto future = resolver.resolve(commandRef(QStringLiteral("cat")));
        AWAIT(future, 3000);
        QVERIFY(future.result().ok());
        QVERIFY(future.result().value().isEmpty());
    }

    // A failing command may quote the secret or the credential it used, on stdout or on
    // stderr: the error names the reference and the exit code, never what it printed.
    void commandFailureNamesExitCodeButNotWhatItPrinted()
    {
        SecretResolver resolver(dataDir());
        const SecretRef ref = commandRef(QStringLiteral(
            "echo \"$PD_TEST_LEAK\"; echo \"error: token $PD_TEST_LEAK rejected\" >&2;"
            " echo '  the last line  ' >&2; exit 3"));
        auto future = resolver.resolve(ref);
        AWAIT(future, 5000);
        const Result<SecretValue> result = future.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Runtime);
        QCOMPARE(result.error().message,
                 ref.toString() + QStringLiteral(" exited 3: ") + kNotShown);
        QVERIFY(!mentionsASecret(printed(result)));
    }

    void percentSignsInTheCommandAreNotPlaceholders()
    {
        SecretResolver resolver(dataDir());
        resolver.setCommandTimeoutMs(200);
        const SecretRef failing = commandRef(QStringLiteral("exit 5 # 100%2 %3 sure"));
        const SecretRef slow = commandRef(QStringLiteral("sleep 5 # %2%1"));
        auto failed = resolver.resolve(failing);
        auto timedOut = resolver.resolve(slow);
        AWAIT(failed, 5000);
        AWAIT(timedOut, 3000);
        QCOMPARE(failed.result().error().message,
                 failing.toString() + QStringLiteral(" exited 5: ") + kNotShown);
        QCOMPARE(timedOut.result().error().message,
                 slow.toString() + QStringLiteral(" did not finish within 200 ms and was stopped"));
    }

    void commandKilledBySignalIsRuntime()
    {
        SecretResolver resolver(dataDir());
        const SecretRef ref = commandRef(QStringLiteral("echo dying >&2; kill -9 $$"));
        auto future = resolver.resolve(ref);
        AWAIT(future, 5000);
        QCOMPARE(future.result().error().code, ErrorCode::Runtime);
        QCOMPARE(future.result().error().message,
                 ref.toString() + QStringLiteral(" was killed by a signal: ") + kNotShown);
    }

    void commandTimeoutIsReportedAsTimeout()
    {
        SecretResolver resolver(dataDir());
        resolver.setCommandTimeoutMs(300);
        const SecretRef ref = commandRef(QStringLiteral("echo \"$PD_TEST_LEAK_TIMEOUT\"; sleep 5"));
        auto future = resolver.resolve(ref);
        // Far below the command's 5 s: the timeout, not the command, ends the wait.
        AWAIT(future, 3000);
        const Result<SecretValue> result = future.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Timeout);
        QCOMPARE(result.error().message,
                 ref.toString() + QStringLiteral(" did not finish within 300 ms and was stopped"));
        QVERIFY(!mentionsASecret(printed(result)));
    }

    void commandTimeoutStopsEverythingTheCommandStarted()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SecretResolver resolver(dir.path());
        resolver.setCommandTimeoutMs(500);
        auto future =
            resolver.resolve(commandRef(QStringLiteral("sleep 30 & echo $! > child.pid; wait")));
        AWAIT(future, 5000);
        QCOMPARE(future.result().error().code, ErrorCode::Timeout);
        QFile pidFile(dir.filePath(QStringLiteral("child.pid")));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const QString pid = QString::fromLatin1(pidFile.readAll().trimmed());
        QVERIFY(!pid.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(processIsGone(pid), 3000);
    }

    void commandPrintingFarTooMuchIsStopped()
    {
        SecretResolver resolver(dataDir());
        const SecretRef ref = commandRef(QStringLiteral("head -c 3000000 /dev/zero; sleep 5"));
        auto future = resolver.resolve(ref);
        AWAIT(future, 3000);
        QCOMPARE(future.result().error().code, ErrorCode::Runtime);
        QCOMPARE(future.result().error().message,
                 ref.toString() +
                     QStringLiteral(" printed more than 1048576 bytes on stdout; expected a "
                                    "single secret and stopped it"));
    }

    void aChattyStderrNeitherBlocksTheCommandNorReachesTheError()
    {
        SecretResolver resolver(dataDir());
        const SecretRef ref =
            commandRef(QStringLiteral("i=0; while [ $i -lt 3000 ]; do echo \"noise line $i\" >&2; "
                                      "i=$((i+1)); done; echo final words >&2; exit 2"));
        auto future = resolver.resolve(ref);
        AWAIT(future, 10000);
        QCOMPARE(future.result().error().message,
                 ref.toString() + QStringLiteral(" exited 2: ") + kNotShown);
    }

    void commandThatCannotStartIsRuntime()
    {
        const QString missingDir =
            QDir::tempPath() + QStringLiteral("/paritydeck-no-such-dir-4711");
        SecretResolver resolver(missingDir);
        const SecretRef ref = commandRef(QStringLiteral("echo hi"));
        auto future = resolver.resolve(ref);
        AWAIT(future, 5000);
        const Result<SecretValue> result = future.result();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Runtime);
        QVERIFY2(result.error().message.startsWith(
                     ref.toString() + QStringLiteral(" could not be started in ") + missingDir),
                 qPrintable(result.error().message));
    }

    void resolvingFromAWorkerThreadBlocksOnlyTheWorker()
    {
        // The CLI's shape: the resolver lives on the main thread (running its event loop),
        // a worker asks for secrets and blocks on the futures.
        SecretResolver resolver(dataDir());
        qputenv("PD_TEST_WORKER_ENV", "worker-secret-1");
        QFuture<QStringList> worker = QtConcurrent::run([&resolver] {
            QStringList values;
            const QList<SecretRef> refs = {
                commandRef(QStringLiteral("printf worker-secret-1")),
                dotenvRef(QStringLiteral("app.env"), QStringLiteral("DB_PASSWORD")),
                envRef(QStringLiteral("PD_TEST_WORKER_ENV")),
            };
            for (const SecretRef &ref : refs) {
                QFuture<Result<SecretValue>> future = resolver.resolve(ref);
                future.waitForFinished();
                const Result<SecretValue> result = future.result();
                values.append(result.ok() ? result.value().revealString() : result.error().message);
            }
            return values;
        });
        AWAIT(worker, 10000);
        QCOMPARE(worker.result(),
                 (QStringList{QStringLiteral("worker-secret-1"), QStringLiteral("dotenv-secret-1"),
                              QStringLiteral("worker-secret-1")}));
        qunsetenv("PD_TEST_WORKER_ENV");
    }

    void concurrentCommandsAllFinish()
    {
        SecretResolver resolver(dataDir());
        QList<QFuture<Result<SecretValue>>> futures;
        for (int i = 0; i < 6; ++i)
            futures.append(
                resolver.resolve(commandRef(QStringLiteral("sleep 0.1; echo value-%1").arg(i))));
        for (int i = 0; i < futures.size(); ++i) {
            AWAIT(futures[i], 10000);
            QCOMPARE(futures[i].result().value().revealString(), QStringLiteral("value-%1").arg(i));
        }
    }

    void destroyingTheResolverCancelsARunningCommand()
    {
        auto resolver = std::make_unique<SecretResolver>(dataDir());
        auto future = resolver->resolve(commandRef(QStringLiteral("sleep 30")));
        // Let the queued start run so the process really exists.
        QTest::qWait(200);
        QVERIFY(!future.isFinished());
        QElapsedTimer timer;
        timer.start();
        resolver.reset();
        QVERIFY(future.isFinished());
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(future.result().error().code, ErrorCode::Cancelled);
    }

    void destroyingTheResolverBeforeTheQueuedCallRunsCancels()
    {
        auto resolver = std::make_unique<SecretResolver>(dataDir());
        auto future = resolver->resolve(commandRef(QStringLiteral("echo never")));
        resolver.reset(); // the queued start is discarded with its receiver
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 1000);
        QCOMPARE(future.result().error().code, ErrorCode::Cancelled);
        QVERIFY(future.result().error().message.contains(QStringLiteral("cancelled")));
    }

    void printedResultsMaskTheValue()
    {
        SecretResolver resolver(dataDir());
        auto future = resolver.resolve(envRef(QStringLiteral("PD_TEST_SECRET_ENV")));
        AWAIT(future, 1000);
        const QString text = printed(future.result());
        QCOMPARE(text, QStringLiteral("Result(ok ") + SecretValue::masked() + QStringLiteral(") "));
        QVERIFY(!mentionsASecret(text));
        qDebug() << "resolved" << future.result()
                 << future.result().value(); // checked in cleanupTestCase

        auto missing = resolver.resolve(envRef(QStringLiteral("PD_TEST_UNSET_VARIABLE")));
        AWAIT(missing, 1000);
        QCOMPARE(
            printed(missing.result()),
            QStringLiteral("Result(not-found: environment variable PD_TEST_UNSET_VARIABLE is not "
                           "set) "));
    }
};

QTEST_GUILESS_MAIN(TestSecretResolver)
#include "tst_secretresolver.moc"
