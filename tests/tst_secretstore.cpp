// Runs against the real Secret Service of the test session (scripts/test starts
// dbus-run-session with an unlocked gnome-keyring). The no-keyring checks need no session:
// they run this same binary as a child ("probe mode") on a bus where nobody provides
// org.freedesktop.secrets, and on no bus at all.
#include "secrets/keychainjobs.h"
#include "secrets/secretresolver.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QTimer>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

using namespace pd;

namespace {

constexpr char kProbeVariable[] = "PD_SECRETSTORE_NO_KEYRING_PROBE";
const QString kProbeSecret = QStringLiteral("probe-secret-value-1");

#define AWAIT(future, ms) QTRY_VERIFY_WITH_TIMEOUT((future).isFinished(), ms)

// A macro, not a helper: QSKIP must return from the test function itself.
#define REQUIRE_SESSION_KEYRING()                                                                  \
    do {                                                                                           \
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))                               \
            QSKIP("no D-Bus session: run under scripts/test (dbus-run-session + gnome-keyring)");  \
    } while (false)

template<typename T> QString outcome(const QFuture<Result<T>> &future)
{
    const Result<T> result = future.result();
    return result.ok() ? QStringLiteral("ok\t")
                       : errorCodeName(result.error().code) + u'\t' + result.error().message;
}

// Probe mode: one of each keyring operation, printed as "op<TAB>code<TAB>message" lines.
int runNoKeyringProbe(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    SecretStore store;
    SecretResolver resolver(QDir::tempPath());
    SecretRef ref;
    ref.kind = SecretRef::Kind::Keychain;
    ref.service = QStringLiteral("paritydeck-probe");
    ref.key = QStringLiteral("dev");

    const auto read = store.read(ref.service, ref.key);
    const auto resolved = resolver.resolve(ref);
    const auto written = store.write(ref.service, ref.key, SecretValue::fromString(kProbeSecret));
    const auto removed = store.remove(ref.service, ref.key);

    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (!read.isFinished() || !resolved.isFinished() || !written.isFinished() ||
            !removed.isFinished())
            return;
        QTextStream out(stdout);
        out << "read\t" << outcome(read) << '\n'
            << "resolve\t" << outcome(resolved) << '\n'
            << "write\t" << outcome(written) << '\n'
            << "remove\t" << outcome(removed) << '\n';
        out.flush();
        app.exit(0);
    });
    poll.start(10);
    // A hang is the failure this probe exists to catch: report it instead of waiting.
    QTimer::singleShot(20000, &app, [&app] {
        QTextStream(stderr) << "probe: keyring operations did not finish within 20 s\n";
        app.exit(2);
    });
    return app.exec();
}

QProcessEnvironment probeEnvironment(const QString &busAddress)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kProbeVariable), QStringLiteral("1"));
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
    // Desktop hints would make Qt Keychain pick KWallet; no display means no autolaunch.
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION",
                             "KDE_FULL_SESSION", "KDE_SESSION_VERSION", "GNOME_DESKTOP_SESSION_ID"})
        env.remove(QString::fromLatin1(name));
    return env;
}

struct ProbeLine
{
    QString code;
    QString message;
};

} // namespace

class TestSecretStore final : public QObject
{
    Q_OBJECT

private:
    QString m_service;

    // Runs the probe child and fills `lines` by operation. Returns what went wrong (a hang,
    // a crash, the secret in its output), empty when the probe behaved.
    QString runProbe(const QString &busAddress, QMap<QString, ProbeLine> &lines)
    {
        QProcess child;
        child.setProcessEnvironment(probeEnvironment(busAddress));
        child.start(QCoreApplication::applicationFilePath(), {});
        if (!child.waitForStarted(5000))
            return QStringLiteral("probe did not start: ") + child.errorString();
        if (!child.waitForFinished(30000)) {
            child.kill();
            child.waitForFinished();
            return QStringLiteral("probe hung");
        }
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        const QString err = QString::fromUtf8(child.readAllStandardError());
        if (out.contains(kProbeSecret) || err.contains(kProbeSecret))
            return QStringLiteral("probe output shows the secret value");
        if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
            return QStringLiteral("probe failed with exit code %1: %2")
                .arg(QString::number(child.exitCode()), err);
        for (const QString &line : out.split(u'\n', Qt::SkipEmptyParts)) {
            const QStringList parts = line.split(u'\t');
            if (parts.size() == 3)
                lines.insert(parts[0], {parts[1], parts[2]});
        }
        return {};
    }

    void verifyNoKeyring(const QMap<QString, ProbeLine> &lines)
    {
        QCOMPARE(lines.keys(), (QStringList{QStringLiteral("read"), QStringLiteral("remove"),
                                            QStringLiteral("resolve"), QStringLiteral("write")}));
        for (auto it = lines.cbegin(); it != lines.cend(); ++it) {
            const QString context = it.key() + QStringLiteral(": ") + it->message;
            QVERIFY2(it->code == u"no-keyring", qPrintable(it->code + u' ' + context));
            QVERIFY2(it->message.startsWith(QStringLiteral("keychain:paritydeck-probe/dev: ") +
                                            keychain::noKeyringSentence()),
                     qPrintable(context));
            QVERIFY2(!it->message.contains(kProbeSecret), qPrintable(context));
        }
    }

    template<typename T> static QString describe(const Result<T> &result)
    {
        return result.ok() ? QStringLiteral("ok") : result.error().message;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Unique per run: ctest runs tests in parallel and the keyring outlives a crash.
        m_service =
            QStringLiteral("paritydeck-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
    }

    void writeReadRemoveRoundTrip()
    {
        REQUIRE_SESSION_KEYRING();
        SecretStore store;
        const QString key = QStringLiteral("roundtrip");
        auto written =
            store.write(m_service, key, SecretValue::fromString(QStringLiteral("s3cret-ŕöund")));
        AWAIT(written, 15000);
        QVERIFY2(written.result().ok(), qPrintable(describe(written.result())));
        QCOMPARE(written.result().value(), true);

        auto readBack = store.read(m_service, key);
        AWAIT(readBack, 15000);
        QVERIFY2(readBack.result().ok(), qPrintable(describe(readBack.result())));
        QCOMPARE(readBack.result().value().revealString(), QStringLiteral("s3cret-ŕöund"));

        auto overwritten =
            store.write(m_service, key, SecretValue::fromString(QStringLiteral("second")));
        AWAIT(overwritten, 15000);
        QVERIFY(overwritten.result().ok());
        auto readAgain = store.read(m_service, key);
        AWAIT(readAgain, 15000);
        QCOMPARE(readAgain.result().value().revealString(), QStringLiteral("second"));

        auto removed = store.remove(m_service, key);
        AWAIT(removed, 15000);
        QVERIFY2(removed.result().ok(), qPrintable(describe(removed.result())));
        QCOMPARE(removed.result().value(), true);

        auto gone = store.read(m_service, key);
        AWAIT(gone, 15000);
        QVERIFY(!gone.result().ok());
        QCOMPARE(gone.result().error().code, ErrorCode::NotFound);

        auto removedAgain = store.remove(m_service, key);
        AWAIT(removedAgain, 15000);
        QVERIFY2(removedAgain.result().ok(), qPrintable(describe(removedAgain.result())));
        QCOMPARE(removedAgain.result().value(), false);
    }

    void readingAMissingEntryIsNotFound()
    {
        REQUIRE_SESSION_KEYRING();
        SecretStore store;
        auto future = store.read(m_service, QStringLiteral("never-written"));
        AWAIT(future, 15000);
        QVERIFY(!future.result().ok());
        QCOMPARE(future.result().error().code, ErrorCode::NotFound);
        QCOMPARE(future.result().error().message,
                 QStringLiteral("no keyring entry for keychain:%1/never-written").arg(m_service));
    }

    void binaryValuesRoundTrip()
    {
        REQUIRE_SESSION_KEYRING();
        SecretStore store;
        const QString key = QStringLiteral("binary");
        const SecretValue binary(QByteArray("a\0b\xff\xfe", 5));
        auto written = store.write(m_service, key, binary);
        AWAIT(written, 15000);
        QVERIFY2(written.result().ok(), qPrintable(describe(written.result())));
        auto readBack = store.read(m_service, key);
        AWAIT(readBack, 15000);
        QVERIFY2(readBack.result().ok(), qPrintable(describe(readBack.result())));
        QVERIFY(readBack.result().value() == binary);
        auto removed = store.remove(m_service, key);
        AWAIT(removed, 15000);
        QCOMPARE(removed.result().value(), true);
    }

    void secretToolSeesTheValueAsStored()
    {
        REQUIRE_SESSION_KEYRING();
        const QString secretTool = QStandardPaths::findExecutable(QStringLiteral("secret-tool"));
        if (secretTool.isEmpty())
            QSKIP("secret-tool (libsecret-tools) is not installed");
        SecretStore store;
        const QString key = QStringLiteral("visible");
        auto written =
            store.write(m_service, key, SecretValue::fromString(QStringLiteral("tool-visible-1")));
        AWAIT(written, 15000);
        QVERIFY(written.result().ok());

        // Blocking here is fine: no keychain job of ours is in flight.
        QProcess lookup;
        lookup.start(secretTool, {QStringLiteral("lookup"), QStringLiteral("server"), m_service,
                                  QStringLiteral("user"), key});
        QVERIFY(lookup.waitForFinished(10000));
        QCOMPARE(lookup.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(lookup.readAllStandardOutput()).trimmed(),
                 QStringLiteral("tool-visible-1"));

        auto removed = store.remove(m_service, key);
        AWAIT(removed, 15000);
        QCOMPARE(removed.result().value(), true);
    }

    void resolverReadsKeychainReferences()
    {
        REQUIRE_SESSION_KEYRING();
        SecretStore store;
        SecretResolver resolver(QDir::tempPath());
        auto written = store.write(m_service, QStringLiteral("dev"),
                                   SecretValue::fromString(QStringLiteral("db-pw-1")));
        AWAIT(written, 15000);
        QVERIFY(written.result().ok());

        SecretRef ref;
        ref.kind = SecretRef::Kind::Keychain;
        ref.service = m_service;
        ref.key = QStringLiteral("dev");
        auto resolved = resolver.resolve(ref);
        AWAIT(resolved, 15000);
        QVERIFY2(resolved.result().ok(), qPrintable(describe(resolved.result())));
        QCOMPARE(resolved.result().value().revealString(), QStringLiteral("db-pw-1"));
        QString printed;
        QDebug(&printed) << resolved.result();
        QVERIFY(!printed.contains(QStringLiteral("db-pw-1")));

        ref.key = QStringLiteral("absent");
        auto missing = resolver.resolve(ref);
        AWAIT(missing, 15000);
        QCOMPARE(missing.result().error().code, ErrorCode::NotFound);
        QCOMPARE(missing.result().error().message,
                 QStringLiteral("no keyring entry for keychain:%1/absent").arg(m_service));

        auto removed = store.remove(m_service, QStringLiteral("dev"));
        AWAIT(removed, 15000);
        QCOMPARE(removed.result().value(), true);
    }

    void keyringWorksForCallersOnWorkerThreads()
    {
        REQUIRE_SESSION_KEYRING();
        SecretStore store;
        SecretResolver resolver(QDir::tempPath());
        const QString service = m_service;
        // The CLI's shape: jobs run on this (main) thread's event loop, the worker blocks.
        QFuture<QString> worker = QtConcurrent::run([&store, &resolver, service] {
            auto written = store.write(service, QStringLiteral("worker"),
                                       SecretValue::fromString(QStringLiteral("from-worker")));
            written.waitForFinished();
            if (!written.result().ok())
                return written.result().error().message;
            SecretRef ref;
            ref.kind = SecretRef::Kind::Keychain;
            ref.service = service;
            ref.key = QStringLiteral("worker");
            auto resolved = resolver.resolve(ref);
            resolved.waitForFinished();
            auto removed = store.remove(service, QStringLiteral("worker"));
            removed.waitForFinished();
            if (!removed.result().ok() || !removed.result().value())
                return QStringLiteral("remove failed");
            return resolved.result().ok() ? resolved.result().value().revealString()
                                          : resolved.result().error().message;
        });
        AWAIT(worker, 30000);
        QCOMPARE(worker.result(), QStringLiteral("from-worker"));
    }

    void noBusAtAllMeansNoKeyring()
    {
        QMap<QString, ProbeLine> lines;
        const QString problem =
            runProbe(QStringLiteral("unix:path=/nonexistent/paritydeck/bus"), lines);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        verifyNoKeyring(lines);
    }

    void busWithoutSecretServiceMeansNoKeyring()
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty())
            QSKIP("dbus-daemon is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // No <servicedir>: nothing can be activated, so org.freedesktop.secrets stays
        // unowned (the standard session config would start gnome-keyring on demand).
        const QString config = dir.filePath(QStringLiteral("bus.conf"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QStringLiteral("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                           "Configuration 1.0//EN\"\n"
                           " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                           "<busconfig>\n"
                           "  <type>session</type>\n"
                           "  <listen>unix:path=%1</listen>\n"
                           "  <auth>EXTERNAL</auth>\n"
                           "  <policy context=\"default\">\n"
                           "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                           "    <allow eavesdrop=\"true\"/>\n"
                           "    <allow own=\"*\"/>\n"
                           "  </policy>\n"
                           "</busconfig>\n")
                .arg(dir.filePath(QStringLiteral("bus")))
                .toUtf8());
        file.close();

        QProcess bus;
        bus.start(daemon, {QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"),
                           QStringLiteral("--print-address=1")});
        QVERIFY2(bus.waitForStarted(5000), qPrintable(bus.errorString()));
        QByteArray address;
        while (!address.contains('\n') && bus.waitForReadyRead(5000))
            address += bus.readAllStandardOutput();
        address = address.trimmed();
        QVERIFY2(!address.isEmpty(), bus.readAllStandardError().constData());

        QMap<QString, ProbeLine> lines;
        const QString problem = runProbe(QString::fromUtf8(address), lines);
        bus.terminate();
        if (!bus.waitForFinished(3000)) {
            bus.kill();
            bus.waitForFinished();
        }
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        verifyNoKeyring(lines);
        // The backend's reason is kept for whoever debugs the setup.
        QVERIFY2(lines.value(QStringLiteral("read"))
                     .message.contains(QStringLiteral("org.freedesktop.secrets")),
                 qPrintable(lines.value(QStringLiteral("read")).message));
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(kProbeVariable))
        return runNoKeyringProbe(argc, argv);
    QCoreApplication app(argc, argv);
    TestSecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretstore.moc"
