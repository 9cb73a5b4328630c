// Start/stop/restart of a protected environment's services: `confirm` needs the typed
// name (`--confirm prod`), `read-only` refuses, and every refusal is in the audit log.
// The real binary runs real command-pair services whose only effect is a marker file,
// so "nothing was touched" is checked on disk, not on a message.
#include "audit/auditlog.h"
#include "services/servicecontroller.h"
#include "workspace/workspaceloader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestServiceProtection final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString marker(const QString &env) const { return m_dir.filePath(env + QStringLiteral(".up")); }
    QString stateDir() const { return m_dir.filePath(QStringLiteral("state")); }

    Run run(const QStringList &args) const
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), stateDir());
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(PD_BINARY_PATH),
                      QStringList{QStringLiteral("--workspace"), m_dir.path()} + args);
        if (!process.waitForStarted(10000) || !process.waitForFinished(60000))
            return {};
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    QList<QJsonObject> auditLines() const
    {
        QFile file(stateDir() + QStringLiteral("/paritydeck/audit.jsonl"));
        QList<QJsonObject> lines;
        if (!file.open(QIODevice::ReadOnly))
            return lines;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (!line.trimmed().isEmpty())
                lines.append(QJsonDocument::fromJson(line).object());
        }
        return lines;
    }

    static QString field(const QJsonObject &o, const char *key)
    {
        return o.value(QLatin1String(key)).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString yaml = QStringLiteral("version: 1\nproject: guarded\nenvironments:\n");
        const QList<QPair<QString, QString>> envs{
            {QStringLiteral("dev"), QStringLiteral("none")},
            {QStringLiteral("prod"), QStringLiteral("confirm")},
            {QStringLiteral("mirror"), QStringLiteral("read-only")}};
        for (const auto &[name, protection] : envs) {
            yaml += QStringLiteral("  %1:\n    protection: %2\n"
                                   "    database: { url: 'postgresql://app@127.0.0.1:1/app' }\n"
                                   "    services:\n"
                                   "      - name: web\n"
                                   "        start: touch '%3'\n"
                                   "        stop: rm -f '%3'\n"
                                   "        status: test -f '%3'\n")
                        .arg(name, protection, marker(name));
        }
        QFile file(m_dir.filePath(QStringLiteral("paritydeck.yaml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(yaml.toUtf8());
    }

    void confirmEnvironmentsNeedTheTypedName()
    {
        Run refused = run({QStringLiteral("start"), QStringLiteral("prod")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QStringLiteral("prod is protected")) &&
                     refused.err.contains(QStringLiteral("--confirm prod")),
                 qPrintable(refused.err));
        QVERIFY(!QFileInfo::exists(marker(QStringLiteral("prod"))));

        Run wrongName = run({QStringLiteral("start"), QStringLiteral("prod"), QStringLiteral("web"),
                             QStringLiteral("--confirm"), QStringLiteral("dev")});
        QCOMPARE(wrongName.exitCode, 2);
        QVERIFY2(
            wrongName.err.contains(QStringLiteral("prod is protected (protection: confirm)")) &&
                wrongName.err.contains(QStringLiteral("(\"dev\" was typed)")),
            qPrintable(wrongName.err));
        QVERIFY(!QFileInfo::exists(marker(QStringLiteral("prod"))));

        Run started = run({QStringLiteral("start"), QStringLiteral("prod"),
                           QStringLiteral("--confirm"), QStringLiteral("prod")});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        QVERIFY(QFileInfo::exists(marker(QStringLiteral("prod"))));

        Run stopRefused = run({QStringLiteral("stop"), QStringLiteral("prod")});
        QCOMPARE(stopRefused.exitCode, 2);
        QVERIFY(QFileInfo::exists(marker(QStringLiteral("prod")))); // still running

        Run restartRefused =
            run({QStringLiteral("restart"), QStringLiteral("prod"), QStringLiteral("web")});
        QCOMPARE(restartRefused.exitCode, 2);
        QVERIFY(QFileInfo::exists(marker(QStringLiteral("prod"))));

        Run stopped = run({QStringLiteral("stop"), QStringLiteral("prod"),
                           QStringLiteral("--confirm"), QStringLiteral("prod")});
        QVERIFY2(stopped.exitCode == 0, qPrintable(stopped.err));
        QVERIFY(!QFileInfo::exists(marker(QStringLiteral("prod"))));

        Run missingValue =
            run({QStringLiteral("stop"), QStringLiteral("prod"), QStringLiteral("--confirm")});
        QCOMPARE(missingValue.exitCode, 2);
        QVERIFY2(
            missingValue.err.contains(QStringLiteral("--confirm needs the environment's name")),
            qPrintable(missingValue.err));
    }

    void readOnlyEnvironmentsRefuseEvenWithConfirmation()
    {
        QFile::remove(marker(QStringLiteral("mirror")));
        Run refused = run({QStringLiteral("start"), QStringLiteral("mirror"),
                           QStringLiteral("--confirm"), QStringLiteral("mirror")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(
                     QStringLiteral("mirror is read-only (protection: read-only): services "
                                    "cannot be started or stopped")),
                 qPrintable(refused.err));
        QVERIFY(!QFileInfo::exists(marker(QStringLiteral("mirror"))));

        // Something started outside ParityDeck is not stopped by it either.
        QFile outside(marker(QStringLiteral("mirror")));
        QVERIFY(outside.open(QIODevice::WriteOnly));
        outside.close();
        Run stop = run({QStringLiteral("stop"), QStringLiteral("mirror"), QStringLiteral("web")});
        QCOMPARE(stop.exitCode, 2);
        QVERIFY(QFileInfo::exists(marker(QStringLiteral("mirror"))));
    }

    void unprotectedEnvironmentsNeedNoConfirmation()
    {
        Run started = run({QStringLiteral("start"), QStringLiteral("dev")});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        QVERIFY(QFileInfo::exists(marker(QStringLiteral("dev"))));
        Run stopped = run({QStringLiteral("stop"), QStringLiteral("dev"), QStringLiteral("web")});
        QVERIFY2(stopped.exitCode == 0, qPrintable(stopped.err));
        QVERIFY(!QFileInfo::exists(marker(QStringLiteral("dev"))));
    }

    void everyRefusalAndActionIsAudited()
    {
        const QList<QJsonObject> lines = auditLines();
        QStringList seen;
        for (const QJsonObject &o : lines)
            seen.append(QStringLiteral("%1 %2 %3 %4")
                            .arg(field(o, "environment"), field(o, "action"), field(o, "target"),
                                 field(o, "outcome")));
        // `stop prod --confirm` without a value is a usage error that never reaches core.
        // Every change that runs has its "started" entry, written before it ran.
        const QStringList expected{QStringLiteral("prod start all services refused"),
                                   QStringLiteral("prod start web refused"),
                                   QStringLiteral("prod start web started"),
                                   QStringLiteral("prod start web ok"),
                                   QStringLiteral("prod stop all services refused"),
                                   QStringLiteral("prod restart web refused"),
                                   QStringLiteral("prod stop web started"),
                                   QStringLiteral("prod stop web ok"),
                                   QStringLiteral("mirror start all services refused"),
                                   QStringLiteral("mirror stop web refused"),
                                   QStringLiteral("dev start web started"),
                                   QStringLiteral("dev start web ok"),
                                   QStringLiteral("dev stop web started"),
                                   QStringLiteral("dev stop web ok")};
        QCOMPARE(seen, expected);
        // The end carries its start's operation, and every line says which workspace.
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QCOMPARE(
                field(lines.at(i), "workspace"),
                QFileInfo(m_dir.filePath(QStringLiteral("paritydeck.yaml"))).absoluteFilePath());
            if (field(lines.at(i), "outcome") == QLatin1String("started")) {
                QVERIFY(!field(lines.at(i), "operation").isEmpty());
                QCOMPARE(field(lines.at(i + 1), "operation"), field(lines.at(i), "operation"));
            }
        }
        for (const QJsonObject &o : lines) {
            if (field(o, "outcome") == QLatin1String("refused"))
                QVERIFY2(field(o, "detail").contains(QStringLiteral("protected")) ||
                             field(o, "detail").contains(QStringLiteral("read-only")),
                         qPrintable(field(o, "detail")));
        }
    }

    void theCoreGuardsTheAsyncApiToo()
    {
        auto workspace = WorkspaceLoader::load(m_dir.path());
        QVERIFY(workspace.ok());
        qputenv("XDG_STATE_HOME", stateDir().toLocal8Bit());
        ServiceController services(*workspace);
        const AuditLog log(m_dir.filePath(QStringLiteral("core-audit.jsonl")));
        services.setAuditLog(log);
        QFuture<Result<void>> refused = services.startAsync(QStringLiteral("prod"));
        refused.waitForFinished();
        QVERIFY(!refused.result().ok());
        QCOMPARE(refused.result().error().code, ErrorCode::Protected);
        QVERIFY(!QFileInfo::exists(marker(QStringLiteral("prod"))));
        QFuture<Result<void>> confirmed =
            services.startAsync(QStringLiteral("prod"), {}, QStringLiteral("prod"));
        confirmed.waitForFinished();
        QVERIFY2(confirmed.result().ok(), qPrintable(confirmed.result().error().message));
        QVERIFY(QFileInfo::exists(marker(QStringLiteral("prod"))));
        QVERIFY(services.stop(QStringLiteral("prod"), {}, QStringLiteral("prod")).ok());
        QVERIFY(!QFileInfo::exists(marker(QStringLiteral("prod"))));
        auto entries = log.read();
        QVERIFY2(entries.ok(), entries ? "" : qPrintable(entries.error().message));
        QCOMPARE(entries->size(), 5);
        QCOMPARE(entries->at(0).outcome, AuditOutcome::Refused);
        QCOMPARE(entries->at(1).outcome, AuditOutcome::Started);
        QCOMPARE(entries->at(2).outcome, AuditOutcome::Ok);
        QCOMPARE(entries->at(2).operation, entries->at(1).operation);
        QVERIFY(!entries->at(1).unfinished);
    }
};

QTEST_GUILESS_MAIN(TestServiceProtection)
#include "tst_serviceprotection.moc"
