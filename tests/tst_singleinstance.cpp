// The control panel is single-instance per user: the real binary started twice (offscreen),
// the second launch exits 0 quickly and the first one receives the raise request; a
// socket left behind by a killed panel does not stop the next one from starting.
// PARITYDECK_INSTANCE_TRACE=1 makes the panel print what it does on stderr.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

class Panel
{
public:
    explicit Panel(const QProcessEnvironment &env)
    {
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
    }
    ~Panel()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    void start(const QString &workspace)
    {
        m_process.start(QStringLiteral(PD_BINARY_PATH), {QStringLiteral("--workspace"), workspace});
    }
    // All stderr so far (read without blocking the test's event loop for long).
    QString err()
    {
        m_err += QString::fromLocal8Bit(m_process.readAllStandardError());
        return m_err;
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QString m_err;
};

} // namespace

class TestSingleInstance final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_workspace;
    QString m_runtime;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_runtime);
        env.insert(QStringLiteral("XDG_STATE_HOME"), m_dir.filePath(QStringLiteral("state")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("PARITYDECK_INSTANCE_TRACE"), QStringLiteral("1"));
        return env;
    }

    QString socketPath() const { return m_runtime + QStringLiteral("/paritydeck-panel.sock"); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_runtime = m_dir.filePath(QStringLiteral("runtime"));
        QVERIFY(QDir().mkpath(m_runtime));
        QVERIFY(QFile::setPermissions(m_runtime,
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        m_workspace = m_dir.filePath(QStringLiteral("paritydeck.yaml"));
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Port 1: nothing listens, the panel shows the environment as down.
        file.write("version: 1\nproject: single\nenvironments:\n"
                   "  dev:\n    database: { url: 'postgresql://app@127.0.0.1:1/app' }\n");
    }

    void secondLaunchRaisesTheFirstAndExitsZero()
    {
        Panel first(environment());
        first.start(m_workspace);
        QVERIFY(first.process().waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(
            first.err().contains(QStringLiteral("panel listening on ") + socketPath()), 30000);
        QVERIFY(QFileInfo(socketPath()).exists());

        QProcess second;
        second.setProcessEnvironment(environment());
        QElapsedTimer timer;
        timer.start();
        second.start(QStringLiteral(PD_BINARY_PATH), {QStringLiteral("--workspace"), m_workspace});
        QVERIFY(second.waitForFinished(15000));
        const qint64 elapsed = timer.elapsed();
        const QString secondErr = QString::fromLocal8Bit(second.readAllStandardError());
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        qInfo("second launch finished in %lld ms", static_cast<long long>(elapsed));
        QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
        QVERIFY2(secondErr.contains(
                     QStringLiteral("the control panel is already open; raised its window")),
                 qPrintable(secondErr));
        QVERIFY2(!secondErr.contains(QStringLiteral("panel listening")), qPrintable(secondErr));

        QTRY_VERIFY_WITH_TIMEOUT(
            first.err().contains(QStringLiteral("raise requested by another launch")), 10000);
        QCOMPARE(first.process().state(), QProcess::Running);
        // A second request is served too (the server keeps listening).
        QProcess third;
        third.setProcessEnvironment(environment());
        third.start(QStringLiteral(PD_BINARY_PATH), {QStringLiteral("--workspace"), m_workspace});
        QVERIFY(third.waitForFinished(15000));
        QCOMPARE(third.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            first.err().count(QStringLiteral("raise requested by another launch")), 2, 10000);
    }

    void aSocketLeftByAKilledPanelIsReplaced()
    {
        {
            Panel crashed(environment());
            crashed.start(m_workspace);
            QVERIFY(crashed.process().waitForStarted(10000));
            QTRY_VERIFY_WITH_TIMEOUT(crashed.err().contains(QStringLiteral("panel listening")),
                                     30000);
            crashed.process().kill(); // SIGKILL: no clean-up, the socket file stays
            QVERIFY(crashed.process().waitForFinished(5000));
        }
        QVERIFY2(QFileInfo(socketPath()).exists(), "a killed panel leaves its socket behind");

        Panel next(environment());
        next.start(m_workspace);
        QVERIFY(next.process().waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(
            next.err().contains(QStringLiteral("panel listening on ") + socketPath()), 30000);
        QVERIFY2(!next.err().contains(QStringLiteral("already open")), qPrintable(next.err()));
        QCOMPARE(next.process().state(), QProcess::Running);

        QProcess second;
        second.setProcessEnvironment(environment());
        second.start(QStringLiteral(PD_BINARY_PATH), {QStringLiteral("--workspace"), m_workspace});
        QVERIFY(second.waitForFinished(15000));
        QCOMPARE(second.exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            next.err().contains(QStringLiteral("raise requested by another launch")), 10000);
    }

    void theCliIsNeverSingleInstance()
    {
        Panel panel(environment());
        panel.start(m_workspace);
        QVERIFY(panel.process().waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(panel.err().contains(QStringLiteral("panel listening")), 30000);
        QProcess cli;
        cli.setProcessEnvironment(environment());
        cli.start(QStringLiteral(PD_BINARY_PATH),
                  {QStringLiteral("--workspace"), m_workspace, QStringLiteral("status"),
                   QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(30000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("\"dev\"")), qPrintable(out));
        QVERIFY(!panel.err().contains(QStringLiteral("raise requested")));
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
