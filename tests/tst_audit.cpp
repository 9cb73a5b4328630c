// The audit log: concurrent appends stay whole lines, filters select, secrets are masked.
#include "audit/auditlog.h"
#include "branches/branchselection.h"
#include "environment/resolvedconnection.h"
#include "secrets/secretmask.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace pd;

class TestAudit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultPathIsInTheStateDir()
    {
        QTemporaryDir state;
        qputenv("XDG_STATE_HOME", state.path().toUtf8());
        QCOMPARE(AuditLog::defaultPath(), state.path() + QStringLiteral("/paritydeck/audit.jsonl"));
        QCOMPARE(AuditLog().path(), AuditLog::defaultPath());
        qunsetenv("XDG_STATE_HOME");
    }

    void linesAppendedByTwoThreadsAreAllValidJson()
    {
        QTemporaryDir dir;
        const AuditLog log(dir.filePath(QStringLiteral("state/audit.jsonl")));
        constexpr int perThread = 400;
        // Long details make torn or interleaved writes likely if appends were not atomic.
        const QString padding(3000, u'x');
        const auto writer = [&](const QString &environment) {
            for (int i = 0; i < perThread; ++i) {
                AuditEntry entry;
                entry.environment = environment;
                entry.action = QStringLiteral("start");
                entry.target = QStringLiteral("svc%1").arg(i);
                entry.durationMs = i;
                entry.detail = padding;
                QVERIFY(log.append(entry).ok());
            }
        };
        std::thread a(writer, QStringLiteral("dev"));
        std::thread b(writer, QStringLiteral("staging"));
        a.join();
        b.join();

        QFile file(log.path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(int(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                           QFileDevice::WriteGroup | QFileDevice::WriteOther)),
                 0);
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 2 * perThread + 1); // the last "line" is the empty tail
        QVERIFY(lines.last().isEmpty());
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(lines.at(i), &error);
            QVERIFY2(error.error == QJsonParseError::NoError,
                     qPrintable(QStringLiteral("line %1: %2").arg(i + 1).arg(error.errorString())));
            QVERIFY(AuditEntry::fromJson(doc.object()).has_value());
        }
        const auto all = log.read();
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 2 * perThread);
        QVERIFY(!all->first().user.isEmpty());
        QVERIFY(all->first().time.isValid());
        QCOMPARE(all->first().time.timeSpec(), Qt::UTC);
    }

    void filtersSelectEnvironmentActionAndTheNewest()
    {
        QTemporaryDir dir;
        const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        const QList<std::tuple<const char *, const char *, AuditOutcome>> rows{
            {"dev", "start", AuditOutcome::Ok},         {"dev", "stop", AuditOutcome::Ok},
            {"prod", "migrate", AuditOutcome::Refused}, {"dev", "start", AuditOutcome::Failed},
            {"prod", "start", AuditOutcome::Cancelled}, {"dev", "restart", AuditOutcome::Ok},
        };
        int n = 0;
        for (const auto &[environment, action, outcome] : rows) {
            AuditEntry e;
            e.environment = QString::fromLatin1(environment);
            e.action = QString::fromLatin1(action);
            e.outcome = outcome;
            e.target = QString::number(++n);
            QVERIFY(log.append(e).ok());
        }
        // A torn line (a crash mid-write, a hand edit) is skipped, not fatal.
        QFile file(log.path());
        QVERIFY(file.open(QIODevice::Append));
        file.write("{\"time\": \"2026-01-01T00:00:00Z\", \"act\n");
        file.close();

        QCOMPARE(log.read()->size(), 6);
        AuditFilter dev;
        dev.environment = QStringLiteral("dev");
        QCOMPARE(log.read(dev)->size(), 4);
        AuditFilter devStarts = dev;
        devStarts.action = QStringLiteral("start");
        const auto starts = log.read(devStarts);
        QCOMPARE(starts->size(), 2);
        QCOMPARE(starts->at(1).outcome, AuditOutcome::Failed);
        AuditFilter newest;
        newest.limit = 2;
        const auto last = log.read(newest);
        QCOMPARE(last->size(), 2);
        QCOMPARE(last->at(0).target, QStringLiteral("5")); // oldest first within the newest two
        QCOMPARE(last->at(1).target, QStringLiteral("6"));
        QCOMPARE(last->at(0).outcome, AuditOutcome::Cancelled);
        AuditFilter prod;
        prod.environment = QStringLiteral("prod");
        QCOMPARE(log.read(prod)->at(0).outcome, AuditOutcome::Refused);
        QVERIFY(log.read(prod)->at(0).toText().contains(QStringLiteral(" prod migrate 3 refused")));

        const AuditLog missing(dir.filePath(QStringLiteral("nothing-here.jsonl")));
        QVERIFY(missing.read().ok());
        QVERIFY(missing.read()->isEmpty());
    }

    void entriesNameTheEnvironmentsDatabase()
    {
        // Once the workspace is known, every entry of an environment names its database
        // (as configured: user@host:port/db, no password), unless the entry names its own.
        Workspace ws;
        ws.filePath = QStringLiteral("/tmp/podcast/paritydeck.yaml");
        EnvironmentConfig prod;
        prod.name = QStringLiteral("prod");
        prod.database.url = QStringLiteral("postgresql://app@db.internal:6432/podcast");
        ws.environments.append(prod);
        AuditLog::setWorkspace(ws);
        const auto reset = qScopeGuard([] {
            AuditLog::setWorkspace(QString());
            AuditLog::setDatabases({});
        });

        QTemporaryDir dir;
        const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        AuditEntry e;
        e.environment = QStringLiteral("prod");
        e.action = QStringLiteral("migrate-apply");
        QVERIFY(log.append(e).ok());
        AuditEntry branch = e;
        branch.database = QStringLiteral("app@db.internal:6432/podcast__feature_x");
        QVERIFY(log.append(branch).ok());
        AuditEntry elsewhere = e;
        elsewhere.environment = QStringLiteral("dev"); // not in the workspace: nothing to name
        QVERIFY(log.append(elsewhere).ok());

        const auto entries = log.read();
        QVERIFY(entries);
        QCOMPARE(entries->size(), 3);
        QCOMPARE(entries->at(0).database, QStringLiteral("app@db.internal:6432/podcast"));
        QCOMPARE(entries->at(0).workspace, ws.filePath);
        QCOMPARE(entries->at(1).database, branch.database);
        QVERIFY(entries->at(2).database.isEmpty());
        QFile file(dir.filePath(QStringLiteral("audit.jsonl")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("\"database\":\"app@db.internal:6432/podcast\""));
    }

    void entriesNameTheSelectedBranchsDatabase()
    {
        // The panel and CLI stamp entries through stampAuditEntries(): an environment on a
        // database branch is named with the branch's database, read when the entry is
        // written, and with the configured one again once the branch is left.
        QTemporaryDir state;
        QVERIFY(state.isValid());
        const QByteArray oldState = qgetenv("XDG_STATE_HOME");
        qputenv("XDG_STATE_HOME", state.path().toUtf8());
        Workspace ws;
        ws.filePath = state.filePath(QStringLiteral("paritydeck.yaml"));
        EnvironmentConfig dev;
        dev.name = QStringLiteral("dev");
        dev.database.url = QStringLiteral("postgresql://app@127.0.0.1:5432/app_dev");
        dev.branches.database = QStringLiteral("app_dev__{branch}");
        ws.environments.append(dev);
        stampAuditEntries(ws);
        const auto reset = qScopeGuard([&] {
            AuditLog::setWorkspace(QString());
            AuditLog::setDatabases({});
            AuditLog::setDatabaseNamer({});
            qputenv("XDG_STATE_HOME", oldState);
        });

        const AuditLog log(state.filePath(QStringLiteral("audit.jsonl")));
        AuditEntry e;
        e.environment = QStringLiteral("dev");
        e.action = QStringLiteral("migrate-apply");
        QVERIFY(log.append(e).ok());
        BranchSelection selection;
        selection.database = QStringLiteral("app_dev__feature_x");
        selection.gitBranch = QStringLiteral("feature/x");
        selection.selectedAt = QDateTime::currentDateTimeUtc();
        QVERIFY(BranchSelectionStore().select(ws.filePath, dev.name, selection).ok());
        QVERIFY(log.append(e).ok());
        QVERIFY(BranchSelectionStore().clear(ws.filePath, dev.name).ok());
        QVERIFY(log.append(e).ok());

        const auto entries = log.read();
        QVERIFY(entries);
        QCOMPARE(entries->size(), 3);
        QCOMPARE(entries->at(0).database, QStringLiteral("app@127.0.0.1:5432/app_dev"));
        QCOMPARE(entries->at(1).database, QStringLiteral("app@127.0.0.1:5432/app_dev__feature_x"));
        QCOMPARE(entries->at(2).database, QStringLiteral("app@127.0.0.1:5432/app_dev"));
    }

    void knownSecretsAreMaskedInEveryField()
    {
        const SecretValue token = SecretValue::fromString(QStringLiteral("tok-5581-secret"));
        const SecretValue password = SecretValue::fromString(QStringLiteral("Hunter2-Password"));
        const SecretValue tiny = SecretValue::fromString(QStringLiteral("ab"));
        QCOMPARE(maskSecrets(
                     QStringLiteral("connect with Hunter2-Password and tok-5581-secret about ab"),
                     {token, password, tiny}),
                 QStringLiteral("connect with •••• and •••• about ab"));
        QCOMPARE(maskSecrets(QByteArray("x=tok-5581-secret"), {token}),
                 QString(QStringLiteral("x=••••")).toUtf8());

        QTemporaryDir dir;
        const AuditLog log(dir.filePath(QStringLiteral("audit.jsonl")));
        AuditEntry e;
        e.environment = QStringLiteral("dev");
        e.action = QStringLiteral("start");
        e.target = QStringLiteral("api tok-5581-secret");
        e.outcome = AuditOutcome::Failed;
        e.detail = QStringLiteral("start command exited 1: bad password Hunter2-Password");
        QVERIFY(log.append(e, {token, password}).ok());
        QFile file(log.path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(!written.contains("tok-5581-secret"));
        QVERIFY(!written.contains("Hunter2-Password"));
        const auto entries = log.read();
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->at(0).detail,
                 QStringLiteral("start command exited 1: bad password ••••"));
        QCOMPARE(entries->at(0).target, QStringLiteral("api ••••"));
    }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
