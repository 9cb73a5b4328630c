// The audit log view over a real log file written by AuditLog: newest first, every column,
// the environment filter, a refusal marked as such, Refresh picking up new lines, and a
// missing file read as an empty log. Runs offscreen.
#include "audit/auditlog.h"
#include "auditview.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;
using pd::ui::AuditView;

namespace {

constexpr int kTimeoutMs = 10000;

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
        QVERIFY(log.append(entry(QStringLiteral("dev"), QStringLiteral("start"), QStringLiteral("pgbouncer"),
                                 AuditOutcome::Ok, 120, {}, 30)).ok());
        QVERIFY(log.append(entry(QStringLiteral("prod"), QStringLiteral("migrate-apply"), QStringLiteral("0004"),
                                 AuditOutcome::Refused, -1, QStringLiteral("prod is protected: type its name"), 20)).ok());
        QVERIFY(log.append(entry(QStringLiteral("dev"), QStringLiteral("branch-switch"), QStringLiteral("feature/x"),
                                 AuditOutcome::Ok, 1400, QStringLiteral("dev: on git branch feature/x"), 10)).ok());
    }

    void entriesNewestFirstAndFilteredByEnvironment()
    {
        AuditView view({QStringLiteral("dev"), QStringLiteral("prod")}, m_path);
        QSignalSpy loaded(&view, &AuditView::loaded);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeoutMs);
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("auditTable"));
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(view.findChild<QLabel *>(QStringLiteral("auditStatus"))->text(), QStringLiteral("3 entries"));
        // Newest first.
        QCOMPARE(table->item(0, AuditView::ActionColumn)->text(), QStringLiteral("branch-switch"));
        QCOMPARE(table->item(0, AuditView::DurationColumn)->text(), QStringLiteral("1400 ms"));
        QCOMPARE(table->item(2, AuditView::ActionColumn)->text(), QStringLiteral("start"));
        QCOMPARE(table->item(2, AuditView::TargetColumn)->text(), QStringLiteral("pgbouncer"));
        QVERIFY(!table->item(0, AuditView::UserColumn)->text().isEmpty());
        // The refusal says so in words.
        QCOMPARE(table->item(1, AuditView::OutcomeColumn)->text(), QStringLiteral("✗ refused"));
        QCOMPARE(table->item(1, AuditView::DetailColumn)->text(), QStringLiteral("prod is protected: type its name"));
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
        QVERIFY(AuditLog(m_path).append(entry(QStringLiteral("dev"), QStringLiteral("stop"), QStringLiteral("pgbouncer"),
                                              AuditOutcome::Failed, 30, QStringLiteral("stop command exited 1"), 0)).ok());
        QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("auditRefresh")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 3, kTimeoutMs);
        QCOMPARE(table->item(0, AuditView::ActionColumn)->text(), QStringLiteral("stop"));
        QCOMPARE(table->item(0, AuditView::OutcomeColumn)->text(), QStringLiteral("✗ failed"));
    }

    void aMissingLogIsEmpty()
    {
        AuditView view({QStringLiteral("dev")}, m_dir.filePath(QStringLiteral("none.jsonl")));
        QSignalSpy loaded(&view, &AuditView::loaded);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeoutMs);
        QCOMPARE(view.entryCount(), 0);
        QCOMPARE(view.findChild<QLabel *>(QStringLiteral("auditStatus"))->text(), QStringLiteral("0 entries"));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_MAIN(TestAuditView)
#include "tst_auditview.moc"
