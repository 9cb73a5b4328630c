// The audit log view over a real log file written by AuditLog: newest first, every column,
// the environment filter, a refusal marked as such, Refresh picking up new lines, and a
// missing file read as an empty log. Runs offscreen.
#include "audit/auditlog.h"
#include "auditview.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;
using pd::ui::AuditView;

namespace {

constexpr int kTimeoutMs = 10000;
const QString kWorkspace = QStringLiteral("/home/alice/podcast/paritydeck.yaml");

AuditEntry entry(const QString &env, const QString &action, const QString &target,
                 AuditOutcome outcome, qint64 ms, const QString &detail, int minutesAgo)
{
    AuditEntry e;
    e.environment = env;
    e.action = action;
    e.target = target;
    e.outcome = outcome;
    e.durationMs = ms;
    e.detail = detail;
    e.time = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
    e.workspace = QStringLiteral("/home/alice/podcast/paritydeck.yaml");
    return e;
}

} // namespace

class TestAuditView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("audit.jsonl"));
        const AuditLog log(m_path);
        QVERIFY(log.append(entry(QStringLiteral("dev"), QStringLiteral("start"),
                                 QStringLiteral("pgbouncer"), AuditOutcome::Ok, 120, {}, 30))
                    .ok());
        AuditEntry refused = entry(QStringLiteral("prod"), QStringLiteral("migrate-apply"),
                                   QStringLiteral("0004"), AuditOutcome::Refused, -1,
                                   QStringLiteral("prod is protected: type its name"), 20);
        refused.database = QStringLiteral("app@db.internal:5432/podcast");
        QVERIFY(log.append(refused).ok());
        QVERIFY(log.append(entry(QStringLiteral("dev"), QStringLiteral("branch-switch"),
                                 QStringLiteral("feature/x"), AuditOutcome::Ok, 1400,
                                 QStringLiteral("dev: on git branch feature/x"), 10))
                    .ok());
        // Another workspace on the same machine shares the log.
        AuditEntry other = entry(QStringLiteral("dev"), QStringLiteral("stop"),
                                 QStringLiteral("web"), AuditOutcome::Ok, 50, {}, 5);
        other.workspace = QStringLiteral("/home/alice/shop/paritydeck.yaml");
        QVERIFY(log.append(other).ok());
    }

    void entriesNewestFirstAndFilteredByEnvironment()
    {
        AuditView view({QStringLiteral("dev"), QStringLiteral("prod")}, kWorkspace, m_path);
        QSignalSpy loaded(&view, &AuditView::loaded);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeoutMs);
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("auditTable"));
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(view.findChild<QLabel *>(QStringLiteral("auditStatus"))->text(),
                 QStringLiteral("3 entries"));
        // Newest first.
        QCOMPARE(table->item(0, AuditView::ActionColumn)->text(), QStringLiteral("branch-switch"));
        QCOMPARE(table->item(0, AuditView::DurationColumn)->text(), QStringLiteral("1400 ms"));
        QCOMPARE(table->item(2, AuditView::ActionColumn)->text(), QStringLiteral("start"));
        // The target says where: the environment with what in it was acted on.
        QCOMPARE(table->item(2, AuditView::TargetColumn)->text(),
                 QStringLiteral("dev · pgbouncer"));
        // … and the database, when the entry names it.
        QCOMPARE(table->item(1, AuditView::TargetColumn)->text(),
                 QStringLiteral("prod · app@db.internal:5432/podcast · 0004"));
        QVERIFY(!table->item(0, AuditView::UserColumn)->text().isEmpty());
        // The refusal says so in words.
        QCOMPARE(table->item(1, AuditView::OutcomeColumn)->text(), QStringLiteral("✗ refused"));
        QCOMPARE(table->item(1, AuditView::DetailColumn)->text(),
                 QStringLiteral("prod is protected: type its name"));
        QCOMPARE(table->item(0, AuditView::OutcomeColumn)->text(), QStringLiteral("✓ ok"));

        auto *filter = view.findChild<QComboBox *>(QStringLiteral("auditFilter"));
        QVERIFY(filter);
        QCOMPARE(filter->count(), 3);
        view.setEnvironmentFilter(QStringLiteral("prod"));
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 1, kTimeoutMs);
        QCOMPARE(table->item(0, AuditView::EnvironmentColumn)->text(), QStringLiteral("prod"));
        view.setEnvironmentFilter(QStringLiteral("dev"));
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 2, kTimeoutMs);

        // A new line appears on Refresh.
        QVERIFY(AuditLog(m_path)
                    .append(entry(QStringLiteral("dev"), QStringLiteral("stop"),
                                  QStringLiteral("pgbouncer"), AuditOutcome::Failed, 30,
                                  QStringLiteral("stop command exited 1"), 0))
                    .ok());
        QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("auditRefresh")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 3, kTimeoutMs);
        QCOMPARE(table->item(0, AuditView::ActionColumn)->text(), QStringLiteral("stop"));
        QCOMPARE(table->item(0, AuditView::OutcomeColumn)->text(), QStringLiteral("✗ failed"));
    }

    void entriesFromTheDatabaseAreListedAndMarked()
    {
        AuditView view({QStringLiteral("dev"), QStringLiteral("prod")}, kWorkspace, m_path);
        QSignalSpy loaded(&view, &AuditView::loaded);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeoutMs);
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("auditTable"));
        const int local = table->rowCount();
        SharedHistoryEntry applied;
        applied.at = QDateTime::currentDateTimeUtc().addSecs(60); // newer than every local entry
        applied.environment = QStringLiteral("prod");
        applied.who = QStringLiteral("ana@laptop");
        applied.kind = QStringLiteral("migration");
        applied.what = QStringLiteral("0042");
        applied.result = QStringLiteral("applied");
        SharedHistoryEntry failed = applied;
        failed.at = applied.at.addSecs(-30);
        failed.what = QStringLiteral("0043");
        failed.result = QStringLiteral("failed: relation \"nowhere\" does not exist");
        view.setSharedHistory(QStringLiteral("prod"), {applied, failed});
        QCOMPARE(table->rowCount(), local + 2);
        QCOMPARE(table->item(0, AuditView::UserColumn)->text(), QStringLiteral("ana@laptop"));
        QCOMPARE(table->item(0, AuditView::TargetColumn)->text(), QStringLiteral("prod · 0042"));
        QCOMPARE(table->item(0, AuditView::DetailColumn)->text(),
                 QStringLiteral("from the database: applied"));
        QCOMPARE(table->item(1, AuditView::OutcomeColumn)->text(), QStringLiteral("✗ failed"));
        view.setEnvironmentFilter(QStringLiteral("dev"));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading() && table->rowCount() > 0, kTimeoutMs);
        for (int r = 0; r < table->rowCount(); ++r)
            QCOMPARE(table->item(r, AuditView::EnvironmentColumn)->text(), QStringLiteral("dev"));
        view.setSharedHistory(QStringLiteral("prod"), {});
        view.setEnvironmentFilter(QString());
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), local, kTimeoutMs);
    }

    void otherWorkspacesAreOneChoiceAwayAndAKilledRunShows()
    {
        const QString path = m_dir.filePath(QStringLiteral("kill.jsonl"));
        QVERIFY(QFile::copy(m_path, path));
        // A run killed half-way: its "started" entry and no end; a finished one beside it.
        const AuditLog log(path);
        AuditLog::setWorkspace(kWorkspace);
        const QString killed = log.begin(QStringLiteral("prod"), QStringLiteral("migrate-apply"),
                                         QStringLiteral("0005"));
        const QString finished = log.begin(QStringLiteral("dev"), QStringLiteral("migrate-apply"),
                                           QStringLiteral("0005"));
        AuditEntry end = auditEntryFor(QStringLiteral("dev"), QStringLiteral("migrate-apply"),
                                       QStringLiteral("0005"), nullptr, 80,
                                       QStringLiteral("0005_add_index.sql"));
        end.operation = finished;
        QVERIFY(log.append(end).ok());
        AuditLog::setWorkspace(QString());
        QVERIFY(killed != finished && !killed.isEmpty());

        AuditView view({QStringLiteral("dev"), QStringLiteral("prod")}, kWorkspace, path);
        QSignalSpy loaded(&view, &AuditView::loaded);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeoutMs);
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("auditTable"));
        // This workspace only: 4 entries + 2 starts + 1 end; the other workspace's stop is not
        // shown.
        QCOMPARE(table->rowCount(), 7);
        for (int row = 0; row < table->rowCount(); ++row)
            QVERIFY(table->item(row, AuditView::TargetColumn)->text() !=
                    QStringLiteral("dev · web"));
        QCOMPARE(table->item(0, AuditView::OutcomeColumn)->text(), QStringLiteral("✓ ok"));
        QCOMPARE(table->item(1, AuditView::OutcomeColumn)->text(),
                 QStringLiteral("▶ started")); // dev's, ended
        QCOMPARE(table->item(2, AuditView::OutcomeColumn)->text(),
                 QStringLiteral("⚠ started, no end recorded"));
        QCOMPARE(table->item(2, AuditView::EnvironmentColumn)->text(), QStringLiteral("prod"));

        // The selected entry is read in full below the table, workspace included.
        table->selectRow(2);
        auto *detail = view.findChild<QPlainTextEdit *>(QStringLiteral("auditDetail"));
        QVERIFY(detail);
        QVERIFY2(detail->toPlainText().contains(
                     QStringLiteral("no end recorded: killed, or still running")) &&
                     detail->toPlainText().contains(QStringLiteral("workspace: ") + kWorkspace),
                 qPrintable(detail->toPlainText()));

        view.setAllWorkspaces(true);
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 8, kTimeoutMs);
        view.setAllWorkspaces(false);
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 7, kTimeoutMs);
    }

    void aMissingLogIsEmpty()
    {
        AuditView view({QStringLiteral("dev")}, kWorkspace,
                       m_dir.filePath(QStringLiteral("none.jsonl")));
        QSignalSpy loaded(&view, &AuditView::loaded);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeoutMs);
        QCOMPARE(view.entryCount(), 0);
        QCOMPARE(view.findChild<QLabel *>(QStringLiteral("auditStatus"))->text(),
                 QStringLiteral("0 entries"));
    }

    // Names come from outside (a database named by whoever created it, a branch, a file):
    // a line break or control character in one is shown as an escape, never as a new line.
    void hostileNamesStayOnOneLine()
    {
        const QString path = m_dir.filePath(QStringLiteral("hostile.jsonl"));
        AuditEntry e = entry(QStringLiteral("prod"), QStringLiteral("revert"),
                             QStringLiteral("t\r2026-01-01 forged"), AuditOutcome::Ok, 5, {}, 1);
        e.database = QStringLiteral("app@db:5432/evil\nok \u202eq");
        e.workspace = kWorkspace;
        QVERIFY(AuditLog(path).append(e).ok());
        AuditView view({QStringLiteral("prod")}, kWorkspace, path);
        QSignalSpy loaded(&view, &AuditView::loaded);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeoutMs);
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("auditTable"));
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, AuditView::TargetColumn)->text(),
                 QStringLiteral("prod · app@db:5432/evil\\nok \\u202eq · t\\r2026-01-01 forged"));
        table->selectRow(0);
        auto *detail = view.findChild<QPlainTextEdit *>();
        QVERIFY(detail);
        QVERIFY(detail->toPlainText().contains(QStringLiteral("database: app@db:5432/evil\\nok")));
        // The CLI's line for it is one line too.
        const QString line = e.toText();
        QVERIFY2(!line.contains(QLatin1Char('\n')) && !line.contains(QLatin1Char('\r')),
                 qPrintable(line));
        QVERIFY(line.contains(QStringLiteral("t\\r2026-01-01 forged")));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_MAIN(TestAuditView)
#include "tst_auditview.moc"
