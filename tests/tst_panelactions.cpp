// The panel's actions against real servers and real processes: Start and Stop a
// supervised service from its card, the schema line of a half-migrated database, the
// migration dialog on a protected environment (typed name, destructive warning, progress,
// the card updating), cancelling an apply while a migration runs, drift checked on demand
// (in sync, then drifted by hand, stale after an apply), the offer to stop on quit what
// this GUI started, and the controller's restart of a protected environment's service
// (typed name, stop then start, audited). Runs offscreen.
#include "audit/auditlog.h"
#include "confirmnamedialog.h"
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "environmentcard.h"
#include "mainwindow.h"
#include "migrationdialog.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"
#include "pipelinestrip.h"
#include "services/servicecontroller.h"
#include "statuslight.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolButton>

#include <memory>

using namespace pd;
using pd::test::PgCluster;
using pd::ui::MainWindow;
using pd::ui::MigrationDialog;

namespace {

constexpr int kTimeoutMs = 20000;

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

EnvironmentConfig environmentAt(const QString &name, const QString &url,
                                Protection protection = Protection::None)
{
    EnvironmentConfig env;
    env.name = name;
    env.protection = protection;
    env.database.url = url;
    env.database.connectTimeoutSeconds = 2;
    env.database.statementTimeoutSeconds = 10;
    return env;
}

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(contents) == contents.size();
}

QString textOf(const QWidget *root, const QString &objectName)
{
    const auto *label = root->findChild<QLabel *>(objectName);
    return label ? label->text() : QStringLiteral("<no label %1>").arg(objectName);
}

template<typename T = QPushButton> T *find(const QWidget *root, const QString &objectName)
{
    return root->findChild<T *>(objectName);
}

} // namespace

class TestPanelActions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
        QVERIFY(m_state.isValid());
        // Pidfiles, service logs, branch selections and the audit log stay in the test.
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        // The drift badge caches expected schemas; keep them out of the real ~/.cache.
        qputenv("XDG_CACHE_HOME", (m_state.path() + QStringLiteral("/cache")).toUtf8());
        QVERIFY2(m_pg.start().ok(), qPrintable(m_pg.serverLog()));
    }

    void startAndStopFollowTheServiceOnTheCard()
    {
        const quint16 port = freePort();
        QVERIFY(port != 0);
        EnvironmentConfig env = environmentAt(QStringLiteral("svc"), m_pg.url());
        ServiceConfig web;
        web.name = QStringLiteral("web");
        web.run = QStringLiteral("python3 -u -m http.server %1 --bind 127.0.0.1").arg(port);
        web.health.kind = HealthProbeConfig::Kind::Tcp;
        web.health.target = QStringLiteral("127.0.0.1:%1").arg(port);
        web.startTimeoutSeconds = 15;
        env.services.append(web);
        Panel panel = openPanel({env}, {});
        MainWindow *window = panel.window.get();
        // Whatever happens below, the process does not outlive the test.
        const auto stopWeb = qScopeGuard([&panel] {
            ServiceController services(panel.monitor->workspace());
            if (auto stopped = services.stop(QStringLiteral("svc")); !stopped)
                qWarning("%s", qPrintable(stopped.error().message));
        });

        auto *light = find<ui::StatusLight>(window, QStringLiteral("serviceLight-svc-web"));
        QVERIFY(light);
        QVERIFY(find<QWidget>(window, QStringLiteral("services-svc"))->isVisibleTo(window));
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Down, kTimeoutMs);
        QCOMPARE(textOf(window, QStringLiteral("service-svc-web")), QStringLiteral("web: Down"));
        QVERIFY(!light->toolTip().isEmpty()); // why it is down

        QPushButton *start = find(window, QStringLiteral("start-svc"));
        QPushButton *stop = find(window, QStringLiteral("stop-svc"));
        QVERIFY(start && stop);
        QVERIFY(start->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        // While it starts, the card says so and no second action can begin.
        QVERIFY(!start->isEnabled());
        QVERIFY(!stop->isEnabled());
        QVERIFY(stop->toolTip().contains(QStringLiteral("still running")));
        QVERIFY(find<QWidget>(window, QStringLiteral("busy-svc"))->isVisibleTo(window));
        QCOMPARE(textOf(window, QStringLiteral("progress-svc")),
                 QStringLiteral("Starting services…"));

        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Up, kTimeoutMs);
        QCOMPARE(textOf(window, QStringLiteral("service-svc-web")), QStringLiteral("web: Up"));
        QCOMPARE(light->accessibleName(), QStringLiteral("web status: Up"));
        QTRY_VERIFY(stop->isEnabled());
        QVERIFY(!find<QWidget>(window, QStringLiteral("error-svc"))->isVisibleTo(window));

        QTest::mouseClick(stop, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Down, kTimeoutMs);
        QTRY_VERIFY(start->isEnabled());
        QVERIFY(!find<QWidget>(window, QStringLiteral("busy-svc"))->isVisibleTo(window));
        // Nothing listens any more.
        const auto portIsFree = [port] {
            QTcpServer probe;
            return probe.listen(QHostAddress::LocalHost, port);
        };
        QTRY_VERIFY_WITH_TIMEOUT(portIsFree(), kTimeoutMs);
    }

    void failedStartIsShownInlineWithDetails()
    {
        EnvironmentConfig env = environmentAt(QStringLiteral("broken"), m_pg.url());
        ServiceConfig api;
        api.name = QStringLiteral("api");
        api.run = QStringLiteral("sh -c 'echo no config >&2; exit 3'");
        api.health.kind = HealthProbeConfig::Kind::Tcp;
        api.health.target = QStringLiteral("127.0.0.1:%1").arg(freePort());
        api.startTimeoutSeconds = 3;
        env.services.append(api);
        Panel panel = openPanel({env}, {});
        MainWindow *window = panel.window.get();
        const auto stopApi = qScopeGuard([&panel] {
            ServiceController services(panel.monitor->workspace());
            (void)services.stop(QStringLiteral("broken"));
        });

        QPushButton *start = find(window, QStringLiteral("start-broken"));
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), kTimeoutMs);
        QTest::mouseClick(start, Qt::LeftButton);
        auto *error = find<QWidget>(window, QStringLiteral("error-broken"));
        QVERIFY(error);
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisibleTo(window), kTimeoutMs);
        const QString summary = textOf(window, QStringLiteral("errorText-broken"));
        QVERIFY2(summary.startsWith(QStringLiteral("Starting services failed: ")),
                 qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("api")), qPrintable(summary));
        // The whole message is one click away, and never in a message box.
        auto *detailText = find<QLabel>(window, QStringLiteral("errorDetailText-broken"));
        QVERIFY(!detailText->isVisibleTo(window));
        QTest::mouseClick(find<QAbstractButton>(window, QStringLiteral("errorDetails-broken")),
                          Qt::LeftButton);
        QVERIFY(detailText->isVisibleTo(window));
        QVERIFY(!detailText->text().isEmpty());
        QVERIFY(!QApplication::activeModalWidget());
        QTRY_VERIFY(start->isEnabled());
        QTest::mouseClick(find<QAbstractButton>(window, QStringLiteral("errorDismiss-broken")),
                          Qt::LeftButton);
        QVERIFY(!error->isVisibleTo(window));
    }

    void schemaLineShowsOnePending()
    {
        QVERIFY(m_pg.createDatabase(QStringLiteral("half_db")).ok());
        const QString url = m_pg.url(QStringLiteral("half_db"));
        Panel panel =
            openPanel({environmentAt(QStringLiteral("dev"), url),
                       environmentAt(QStringLiteral("mirror"), url, Protection::ReadOnly)},
                      {{QStringLiteral("0001_create_users.sql"), "CREATE TABLE users (id int);\n"},
                       {QStringLiteral("0002_create_posts.sql"), "CREATE TABLE posts (id int);\n"}},
                      QStringLiteral("0001"), QStringLiteral("half_db"));
        MainWindow *window = panel.window.get();

        QTRY_COMPARE_WITH_TIMEOUT(textOf(window, QStringLiteral("schema-dev")),
                                  QStringLiteral("schema 0001 · 1 pending"), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(textOf(window, QStringLiteral("database-dev")),
                                  QStringLiteral("database half_db"), kTimeoutMs);
        QTRY_VERIFY(find(window, QStringLiteral("apply-dev"))->isEnabled());

        // No services: Start and Stop say why they cannot run.
        QPushButton *start = find(window, QStringLiteral("start-dev"));
        QVERIFY(!start->isEnabled());
        QVERIFY2(start->toolTip().contains(QStringLiteral("No services")),
                 qPrintable(start->toolTip()));
        QVERIFY(!find<QWidget>(window, QStringLiteral("services-dev"))->isVisibleTo(window));
        // Read-only: never applies, and says so.
        QTRY_COMPARE_WITH_TIMEOUT(textOf(window, QStringLiteral("schema-mirror")),
                                  QStringLiteral("schema 0001 · 1 pending"), kTimeoutMs);
        QPushButton *applyMirror = find(window, QStringLiteral("apply-mirror"));
        QVERIFY(!applyMirror->isEnabled());
        QVERIFY2(applyMirror->toolTip().contains(QStringLiteral("read-only")),
                 qPrintable(applyMirror->toolTip()));

        // Every visible control has a name a screen reader can speak.
        for (QAbstractButton *button : window->findChildren<QAbstractButton *>()) {
            if (!button->isVisibleTo(window))
                continue;
            QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(button);
            QVERIFY(iface);
            QVERIFY2(!iface->text(QAccessible::Name).isEmpty(), qPrintable(button->objectName()));
        }
    }

    void protectedApplyNeedsTheTypedNameAndUpdatesTheCard()
    {
        QVERIFY(m_pg.createDatabase(QStringLiteral("prod_db")).ok());
        Panel panel = openPanel(
            {environmentAt(QStringLiteral("prod"), m_pg.url(QStringLiteral("prod_db")),
                           Protection::Confirm)},
            {{QStringLiteral("0001_create_users.sql"),
              "CREATE TABLE users (id int, legacy text);\n"},
             {QStringLiteral("0002_drop_legacy.sql"), "ALTER TABLE users DROP COLUMN legacy;\n"}});
        MainWindow *window = panel.window.get();

        QTRY_COMPARE_WITH_TIMEOUT(textOf(window, QStringLiteral("schema-prod")),
                                  QStringLiteral("schema none · 2 pending"), kTimeoutMs);
        // The controller itself refuses (and audits) a wrong name, whatever a view allows.
        MigrationRequest wrongName;
        wrongName.confirmation = QStringLiteral("prd");
        const QFuture<Result<ApplyReport>> refused =
            panel.controller->applyMigrations(QStringLiteral("prod"), wrongName);
        QTRY_VERIFY_WITH_TIMEOUT(refused.isFinished(), kTimeoutMs);
        QVERIFY(!refused.result().ok());
        QCOMPARE(refused.result().error().code, ErrorCode::Protected);
        QTRY_VERIFY(find<QWidget>(window, QStringLiteral("error-prod"))->isVisibleTo(window));

        QPushButton *openApply = find(window, QStringLiteral("apply-prod"));
        QTRY_VERIFY(openApply->isEnabled());
        QTest::mouseClick(openApply, Qt::LeftButton);
        auto *dialog = window->findChild<MigrationDialog *>(QStringLiteral("migrationDialog"));
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isModal());

        // The destructive statement is listed before anything can be applied.
        auto *warnings = find<QWidget>(dialog, QStringLiteral("destructiveWarnings"));
        QVERIFY(warnings);
        QTRY_VERIFY_WITH_TIMEOUT(warnings->isVisibleTo(dialog), kTimeoutMs);
        QVERIFY2(textOf(dialog, QStringLiteral("destructiveList")).contains(QStringLiteral("DROP")),
                 qPrintable(textOf(dialog, QStringLiteral("destructiveList"))));
        QVERIFY(textOf(dialog, QStringLiteral("destructiveList"))
                    .contains(QStringLiteral("0002_drop_legacy.sql")));

        // The dialog says where it acts before anything else.
        const QString target = textOf(dialog, QStringLiteral("targetLine"));
        QVERIFY2(target.startsWith(QStringLiteral("prod · ")) &&
                     target.contains(QStringLiteral("@127.0.0.1:")) &&
                     target.contains(QStringLiteral("protection: confirm")),
                 qPrintable(target));
        QTRY_VERIFY_WITH_TIMEOUT(
            textOf(dialog, QStringLiteral("targetLine")).contains(QStringLiteral("PostgreSQL 15.")),
            kTimeoutMs);
        auto *sqlPane = find<QPlainTextEdit>(dialog, QStringLiteral("sqlText"));
        QVERIFY(sqlPane->lineWrapMode() == QPlainTextEdit::NoWrap);
        // The SQL is coloured: a keyword's run carries the highlighter's bold format.
        QTRY_VERIFY_WITH_TIMEOUT(sqlPane->toPlainText().contains(QStringLiteral("CREATE")),
                                 kTimeoutMs);
        bool boldKeyword = false;
        for (QTextBlock block = sqlPane->document()->begin(); block.isValid() && !boldKeyword;
             block = block.next()) {
            for (const QTextLayout::FormatRange &range : block.layout()->formats())
                boldKeyword =
                    boldKeyword || (range.format.fontWeight() >= QFont::Bold &&
                                    block.text().mid(range.start, range.length).toUpper() ==
                                        QStringLiteral("CREATE"));
        }
        QVERIFY(boldKeyword);

        QPushButton *apply = find(dialog, QStringLiteral("applyButton"));
        auto *confirm = find<QLineEdit>(dialog, QStringLiteral("confirmName"));
        QVERIFY(apply && confirm);
        QVERIFY(!apply->isEnabled());
        QVERIFY2(apply->toolTip().contains(QStringLiteral("Type \"prod\"")),
                 qPrintable(apply->toolTip()));

        // A dry run needs no confirmation and changes nothing.
        QPushButton *dryRun = find(dialog, QStringLiteral("dryRunButton"));
        QVERIFY(dryRun->isEnabled());
        QTest::mouseClick(dryRun, Qt::LeftButton);
        auto *dryRunOutput = find<QPlainTextEdit>(dialog, QStringLiteral("dryRunOutput"));
        QTRY_VERIFY_WITH_TIMEOUT(dryRunOutput->isVisibleTo(dialog), kTimeoutMs);
        QVERIFY2(dryRunOutput->toPlainText().contains(
                     QStringLiteral("would apply migrations/0002_drop_legacy.sql")),
                 qPrintable(dryRunOutput->toPlainText()));
        QCOMPARE(textOf(dialog, QStringLiteral("resultText")),
                 QStringLiteral("Dry run: nothing was changed."));
        QTRY_VERIFY(dryRun->isEnabled());
        QCOMPARE(textOf(window, QStringLiteral("schema-prod")),
                 QStringLiteral("schema none · 2 pending"));
        QTest::keyClicks(confirm, QStringLiteral("prd"));
        QVERIFY(!apply->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("o"));
        QVERIFY(!apply->isEnabled()); // "prdo"
        confirm->clear();
        QTest::keyClicks(confirm, QStringLiteral("Prod"));
        QVERIFY(!apply->isEnabled()); // exactly, not case-insensitively
        confirm->clear();
        QTest::keyClicks(confirm, QStringLiteral("prod"));
        QTRY_VERIFY(apply->isEnabled());

        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(textOf(dialog, QStringLiteral("resultText"))
                                     .startsWith(QStringLiteral("Applied 2 migrations")),
                                 kTimeoutMs);
        auto *progressList = find<QListWidget>(dialog, QStringLiteral("progressList"));
        QCOMPARE(progressList->count(), 2);
        QVERIFY(progressList->item(1)->text().contains(QStringLiteral("0002_drop_legacy.sql")));
        QTRY_COMPARE_WITH_TIMEOUT(textOf(dialog, QStringLiteral("planSummary")),
                                  QStringLiteral("prod: schema 0002 · up to date"), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(textOf(window, QStringLiteral("schema-prod")),
                                  QStringLiteral("schema 0002 · up to date"), kTimeoutMs);
        QVERIFY(!apply->isEnabled());
        QVERIFY(confirm->text().isEmpty()); // the next apply needs the name again
        // What ran stays, with each migration's time, after the pending list empties.
        const QString result = textOf(dialog, QStringLiteral("resultText"));
        QVERIFY2(
            result.startsWith(QStringLiteral("Applied 2 migrations to prod: migrations/0001")) &&
                result.contains(QStringLiteral("0002_drop_legacy.sql (")) &&
                result.contains(QStringLiteral(" ms)")),
            qPrintable(result));
        QTRY_VERIFY(!openApply->isEnabled());
        QVERIFY(openApply->toolTip().contains(QStringLiteral("Nothing pending")));

        // Audited like the CLI does it.
        AuditFilter filter;
        filter.environment = QStringLiteral("prod");
        filter.action = QStringLiteral("migrate-apply");
        const auto entries = AuditLog().read(filter);
        QVERIFY(entries.ok());
        QStringList lines;
        for (const AuditEntry &e : *entries)
            lines.append(e.toText());
        QVERIFY2(entries->size() == 3, qPrintable(lines.join(u'\n')));
        QCOMPARE(entries->at(0).outcome, AuditOutcome::Refused);
        QCOMPARE(entries->at(1).outcome, AuditOutcome::Started); // written before it ran
        QCOMPARE(entries->at(2).outcome, AuditOutcome::Ok);
        QCOMPARE(entries->at(2).operation, entries->at(1).operation);
        QCOMPARE(entries->at(2).target, QStringLiteral("0002"));
        QVERIFY(entries->at(2).detail.contains(QStringLiteral("0002_drop_legacy.sql")));
        dialog->close();
    }

    void cancelStopsTheRunningMigrationAndRollsItBack()
    {
        QVERIFY(m_pg.createDatabase(QStringLiteral("cancel_db")).ok());
        Panel panel = openPanel(
            {environmentAt(QStringLiteral("dev"), m_pg.url(QStringLiteral("cancel_db")))},
            {{QStringLiteral("0001_slow.sql"),
              "CREATE TABLE before_cancel (id int);\nSELECT pg_sleep(30);\n"},
             {QStringLiteral("0002_after.sql"), "CREATE TABLE after_cancel (id int);\n"}});
        MainWindow *window = panel.window.get();

        QPushButton *openApply = find(window, QStringLiteral("apply-dev"));
        QTRY_VERIFY_WITH_TIMEOUT(openApply->isEnabled(), kTimeoutMs);
        QTest::mouseClick(openApply, Qt::LeftButton);
        auto *dialog = window->findChild<MigrationDialog *>(QStringLiteral("migrationDialog"));
        QVERIFY(dialog);
        QPushButton *apply = find(dialog, QStringLiteral("applyButton"));
        QPushButton *cancel = find(dialog, QStringLiteral("cancelButton"));
        QVERIFY(!cancel->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), kTimeoutMs);

        QTest::mouseClick(apply, Qt::LeftButton);
        auto *progressList = find<QListWidget>(dialog, QStringLiteral("progressList"));
        // The first migration is running (it sleeps): cancel now.
        QTRY_VERIFY_WITH_TIMEOUT(progressList->count() >= 1, kTimeoutMs);
        QVERIFY(progressList->item(0)->text().contains(QStringLiteral("running")));
        QVERIFY(cancel->isEnabled());
        // The card shows the same run, with its own Cancel.
        QVERIFY(find(window, QStringLiteral("cancel-dev"))->isVisibleTo(window));
        QVERIFY(textOf(window, QStringLiteral("progress-dev")).contains(QStringLiteral("0001")));
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!cancel->isEnabled());

        // The running statement is cancelled (it no longer sleeps to its end) and 0001 is
        // rolled back: nothing of it stays, both stay pending.
        QTRY_VERIFY_WITH_TIMEOUT(textOf(dialog, QStringLiteral("resultText"))
                                     .startsWith(QStringLiteral("Cancelled: dev: migration 0001 "
                                                                "was cancelled at")),
                                 10000);
        QVERIFY2(textOf(dialog, QStringLiteral("resultText"))
                     .contains(QStringLiteral("nothing of 0001 was kept")),
                 qPrintable(textOf(dialog, QStringLiteral("resultText"))));
        QTRY_VERIFY_WITH_TIMEOUT(
            textOf(window, QStringLiteral("schema-dev")).contains(QStringLiteral("2 pending")),
            kTimeoutMs);
        auto kept = m_pg.exec(QStringLiteral("SELECT to_regclass('before_cancel') IS NULL"),
                              QStringLiteral("cancel_db"));
        QVERIFY(kept.ok());
        QCOMPARE(kept->value(0, 0), QStringLiteral("t"));
        // The cancellation is inline on the card, not in a message box.
        auto *error = find<QWidget>(window, QStringLiteral("error-dev"));
        QVERIFY(error->isVisibleTo(window));
        QVERIFY2(
            textOf(window, QStringLiteral("errorText-dev")).contains(QStringLiteral("cancelled")),
            qPrintable(textOf(window, QStringLiteral("errorText-dev"))));
        QVERIFY(!QApplication::activeModalWidget());
        // The second migration never ran.
        auto missing = m_pg.exec(QStringLiteral("SELECT to_regclass('after_cancel') IS NULL"),
                                 QStringLiteral("cancel_db"));
        QVERIFY(missing.ok());
        QCOMPARE(missing->value(0, 0), QStringLiteral("t"));
        dialog->close();
    }

    void driftIsCheckedOnDemandAndGoesStaleAfterApply()
    {
        QVERIFY(m_pg.createDatabase(QStringLiteral("drifting")).ok());
        const EnvironmentConfig env =
            environmentAt(QStringLiteral("dev"), m_pg.url(QStringLiteral("drifting")));
        Panel panel = openPanel(
            {env},
            {{QStringLiteral("0001_episodes.sql"),
              "CREATE TABLE episodes (id int PRIMARY KEY, title text);\n"},
             {QStringLiteral("0002_guests.sql"), "CREATE TABLE guests (id int PRIMARY KEY);\n"}},
            QStringLiteral("0001"), QStringLiteral("drifting"));
        MainWindow *window = panel.window.get();
        auto *badge = find<QToolButton>(window, QStringLiteral("drift-dev"));
        auto *check = find<QToolButton>(window, QStringLiteral("checkDrift-dev"));
        QVERIFY(badge && check);
        QCOMPARE(badge->text(), QStringLiteral("drift: unknown"));
        QTRY_VERIFY_WITH_TIMEOUT(check->isEnabled(), kTimeoutMs);

        // In sync: the live schema is what 0001 produces (0002 is merely pending).
        QSignalSpy checked(window, &MainWindow::driftChecked);
        QTest::mouseClick(check, Qt::LeftButton);
        QCOMPARE(badge->text(), QStringLiteral("drift: checking…"));
        QVERIFY(!check->isEnabled());
        QCOMPARE(window->backgroundWorkText(), QStringLiteral("Checking drift of dev…"));
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, kTimeoutMs);
        QCOMPARE(badge->text(), QStringLiteral("✓ in sync"));
        QCOMPARE(window->backgroundWorkText(), QString());
        // The throwaway database is gone again.
        QCOMPARE(m_pg.exec(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE "
                                          "'paritydeck_shadow_%'"))
                     ->value(0, 0),
                 QStringLiteral("0"));

        // Someone changes the schema by hand: one object drifted.
        QVERIFY(m_pg.exec(QStringLiteral("ALTER TABLE episodes ADD COLUMN hidden boolean"),
                          QStringLiteral("drifting"))
                    .ok());
        QCOMPARE(check->text(), QStringLiteral("Check again"));
        QTest::mouseClick(check, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 2, kTimeoutMs);
        QCOMPARE(badge->text(), QStringLiteral("⚠ drift: 1 object"));
        QVERIFY(badge->toolTip().contains(QStringLiteral("differs from its migrations")));
        QSignalSpy diff(window, &MainWindow::diffRequested);
        QTest::mouseClick(badge, Qt::LeftButton);
        QCOMPARE(diff.size(), 1);
        QCOMPARE(diff.first(),
                 (QList<QVariant>{QStringLiteral("migrations:dev"), QStringLiteral("dev")}));

        // Applying migrations changes the schema on purpose: the measurement is stale.
        auto applied = panel.controller->applyMigrations(QStringLiteral("dev"), MigrationRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(applied.isFinished(), kTimeoutMs);
        const Result<ApplyReport> report = applied.result();
        QVERIFY2(report.ok(), report ? "" : qPrintable(report.error().message));
        QTRY_COMPARE(badge->text(), QStringLiteral("drift: unknown"));

        // Ctrl+Shift+D checks every reachable environment; the hand-made column is still there.
        auto *all = window->findChild<QAction *>(QStringLiteral("actionCheckDrift"));
        QVERIFY(all);
        QCOMPARE(all->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
        all->trigger();
        QCOMPARE(badge->text(), QStringLiteral("drift: checking…"));
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 3, kTimeoutMs);
        QCOMPARE(badge->text(), QStringLiteral("⚠ drift: 1 object"));
    }

    void aFailedDriftCheckIsShownOnTheBadge()
    {
        // The newest applied migration's file is gone: the expected schema cannot be built.
        // The check fails and says why, inline — "error", never "none".
        QVERIFY(m_pg.createDatabase(QStringLiteral("nofile")).ok());
        const EnvironmentConfig env =
            environmentAt(QStringLiteral("dev"), m_pg.url(QStringLiteral("nofile")));
        Panel panel =
            openPanel({env}, {{QStringLiteral("0001_a.sql"), "CREATE TABLE a (id int);\n"}},
                      QStringLiteral("0001"), QStringLiteral("nofile"));
        QVERIFY(QFile::remove(panel.monitor->workspace().rootDir +
                              QStringLiteral("/migrations/0001_a.sql")));
        MainWindow *window = panel.window.get();
        auto *badge = find<QToolButton>(window, QStringLiteral("drift-dev"));
        auto *check = find<QToolButton>(window, QStringLiteral("checkDrift-dev"));
        QTRY_VERIFY_WITH_TIMEOUT(check->isEnabled(), kTimeoutMs);
        QSignalSpy checked(window, &MainWindow::driftChecked);
        QTest::mouseClick(check, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, kTimeoutMs);
        QCOMPARE(badge->text(), QStringLiteral("drift: error"));
        QVERIFY2(badge->toolTip().startsWith(QStringLiteral("The drift check failed: ")),
                 qPrintable(badge->toolTip()));
        QVERIFY(!QApplication::activeModalWidget());
        // The user asked: the status bar says how it ended.
        QCOMPARE(window->lastOutcomeText(), QStringLiteral("dev: drift check failed"));

        // No migrations folder at all: nothing to compare with — unknown, and why.
        QDir(panel.monitor->workspace().rootDir + QStringLiteral("/migrations"))
            .removeRecursively();
        QTest::mouseClick(check, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 2, kTimeoutMs);
        QCOMPARE(badge->text(), QStringLiteral("drift: unknown"));
        QVERIFY2(badge->toolTip().contains(QStringLiteral("no migrations folder")),
                 qPrintable(badge->toolTip()));
    }

    void quitOffersToStopWhatThisGuiStarted()
    {
        const quint16 port = freePort();
        QVERIFY(port != 0);
        EnvironmentConfig env = environmentAt(QStringLiteral("svc"), m_pg.url());
        ServiceConfig web;
        web.name = QStringLiteral("web");
        web.run = QStringLiteral("python3 -u -m http.server %1 --bind 127.0.0.1").arg(port);
        web.health.kind = HealthProbeConfig::Kind::Tcp;
        web.health.target = QStringLiteral("127.0.0.1:%1").arg(port);
        web.startTimeoutSeconds = 15;
        env.services.append(web);
        Panel panel = openPanel({env}, {});
        MainWindow *window = panel.window.get();
        const auto stopWeb = qScopeGuard([&panel] {
            ServiceController services(panel.monitor->workspace());
            (void)services.stop(QStringLiteral("svc"));
        });
        QSignalSpy quit(window, &MainWindow::quitRequested);

        // Nothing started yet: quitting asks nothing.
        window->requestQuit();
        QCOMPARE(quit.size(), 1);
        QVERIFY(!window->quitOffer());

        QPushButton *start = find(window, QStringLiteral("start-svc"));
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), kTimeoutMs);
        QTest::mouseClick(start, Qt::LeftButton);
        auto *light = find<ui::StatusLight>(window, QStringLiteral("serviceLight-svc-web"));
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Up, kTimeoutMs);
        // The monitor can see the port answer before the start itself has finished (and
        // recorded what it started): wait for the operation, not just the light.
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller->isBusy(QStringLiteral("svc")), kTimeoutMs);

        // Now it asks, without blocking: the window keeps working meanwhile.
        window->requestQuit();
        QMessageBox *offer = window->quitOffer();
        QVERIFY(offer);
        QVERIFY(offer->isVisible());
        QCOMPARE(offer->windowModality(), Qt::NonModal);
        QVERIFY(!QApplication::activeModalWidget());
        QVERIFY2(offer->text().contains(QStringLiteral("web (svc)")), qPrintable(offer->text()));
        QCOMPARE(quit.size(), 1);
        // Cancel keeps everything as it was.
        QTest::mouseClick(offer->findChild<QAbstractButton *>(QStringLiteral("quitCancel")),
                          Qt::LeftButton);
        QTRY_VERIFY(!window->quitOffer());
        QCOMPARE(quit.size(), 1);

        window->requestQuit();
        offer = window->quitOffer();
        QVERIFY(offer);
        QTest::mouseClick(offer->findChild<QAbstractButton *>(QStringLiteral("quitStopServices")),
                          Qt::LeftButton);
        QVERIFY2(window->backgroundWorkText().startsWith(QStringLiteral("Stopping 1 service")),
                 qPrintable(window->backgroundWorkText()));
        QTRY_COMPARE_WITH_TIMEOUT(quit.size(), 2, kTimeoutMs);
        ServiceController services(panel.monitor->workspace());
        auto runtime = services.runtime(QStringLiteral("svc"), QStringLiteral("web"));
        QVERIFY2(runtime.ok(), runtime ? "" : qPrintable(runtime.error().message));
        QVERIFY(!runtime->running);
        QVERIFY(panel.monitor->serviceController()->startedHere().isEmpty());
    }

    void protectedStartNeedsTheTypedNameWrongThenRight()
    {
        const quint16 port = freePort();
        QVERIFY(port != 0);
        EnvironmentConfig env =
            environmentAt(QStringLiteral("prod"), m_pg.url(), Protection::Confirm);
        ServiceConfig web;
        web.name = QStringLiteral("web");
        web.run = QStringLiteral("python3 -u -m http.server %1 --bind 127.0.0.1").arg(port);
        web.health.kind = HealthProbeConfig::Kind::Tcp;
        web.health.target = QStringLiteral("127.0.0.1:%1").arg(port);
        web.startTimeoutSeconds = 15;
        env.services.append(web);
        EnvironmentConfig frozen =
            environmentAt(QStringLiteral("frozen"), m_pg.url(), Protection::ReadOnly);
        frozen.services.append(web);
        Panel panel = openPanel({env, frozen}, {});
        MainWindow *window = panel.window.get();
        const auto stopWeb = qScopeGuard([&panel] {
            ServiceController services(panel.monitor->workspace());
            (void)services.stop(QStringLiteral("prod"), {}, QStringLiteral("prod"));
        });
        auto *card = window->findChild<ui::EnvironmentCard *>(QStringLiteral("card-prod"));
        QPushButton *start = find(window, QStringLiteral("start-prod"));
        QVERIFY(card && start);
        // Read-only: never started from here, and the button says so.
        QPushButton *frozenStart = find(window, QStringLiteral("start-frozen"));
        QVERIFY(!frozenStart->isEnabled());
        QVERIFY2(frozenStart->toolTip().contains(QStringLiteral("read-only")),
                 qPrintable(frozenStart->toolTip()));

        // Both attempts run as the controller's operations, like an unprotected Start.
        QSignalSpy started(panel.controller.get(), &EnvironmentController::operationStarted);
        QSignalSpy finished(panel.controller.get(), &EnvironmentController::operationFinished);
        QPushButton *stop = find(window, QStringLiteral("stop-prod"));
        QVERIFY(stop);

        // Clicks `button`, types `name` into the (non-blocking) question it opens and presses
        // its confirm button. False when there was no question, or its button stayed
        // disabled because `name` is not exactly the environment's (the question is closed).
        const auto clickAndType = [card](QPushButton *button, const QString &name) {
            QTest::mouseClick(button, Qt::LeftButton);
            auto *ask = qobject_cast<ui::ConfirmNameDialog *>(card->confirmationDialog());
            if (!ask || !ask->isVisible() ||
                (QApplication::activeModalWidget() && QApplication::activeModalWidget() != ask))
                return false;
            QTest::keyClicks(ask->nameField(), name);
            if (!ask->confirmButton()->isEnabled()) {
                QTest::keyClick(ask->nameField(), Qt::Key_Return); // Enter must not confirm it
                const bool stillOpen = ask->isVisible();
                ask->reject();
                return !stillOpen;
            }
            QTest::mouseClick(ask->confirmButton(), Qt::LeftButton);
            return true;
        };

        // A wrong name: the question's button stays disabled, even Enter runs nothing.
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), kTimeoutMs);
        QVERIFY(!clickAndType(start, QStringLiteral("prd")));
        QVERIFY(!clickAndType(start, QStringLiteral("prod ")));
        QCOMPARE(started.size(), 0);
        // Core checks the name again: a caller that skips the question is refused, shown
        // inline in the panel's words, audited, nothing started.
        (void)panel.controller->start(QStringLiteral("prod"), QStringLiteral("prd"));
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(0).toString(), QStringLiteral("prod"));
        QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("Starting services"));
        QVERIFY(panel.controller->isBusy(QStringLiteral("prod")));
        QVERIFY(!start->isEnabled());
        auto *error = find<QWidget>(window, QStringLiteral("error-prod"));
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisibleTo(window), kTimeoutMs);
        QCOMPARE(finished.size(), 1);
        const auto refusal = finished.at(0).at(2).value<Result<void>>();
        QVERIFY(!refusal.ok());
        QCOMPARE(refusal.error().code, ErrorCode::Protected);
        const QString refusalText = textOf(window, QStringLiteral("errorText-prod"));
        QVERIFY2(
            refusalText.contains(QStringLiteral("\"prd\" was typed")) &&
                refusalText.contains(QStringLiteral("prod is protected (protection: confirm)")) &&
                refusalText.contains(QStringLiteral("Nothing was started")) &&
                !refusalText.contains(QStringLiteral("--confirm")),
            qPrintable(refusalText));
        QVERIFY(panel.monitor->serviceController()->startedHere().isEmpty());
        auto *light = find<ui::StatusLight>(window, QStringLiteral("serviceLight-prod-web"));
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Down, kTimeoutMs);
        {
            QTcpServer probe; // nothing listens on the service's port
            QVERIFY(probe.listen(QHostAddress::LocalHost, port));
        }

        // The right name: busy while it starts, then started, and the card follows.
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), kTimeoutMs);
        QVERIFY(clickAndType(start, QStringLiteral("prod")));
        QCOMPARE(started.size(), 2);
        QVERIFY(panel.controller->isBusy(QStringLiteral("prod")));
        QVERIFY(!start->isEnabled());
        QVERIFY(!stop->isEnabled());
        QVERIFY(find<QWidget>(window, QStringLiteral("busy-prod"))->isVisibleTo(window));
        QCOMPARE(textOf(window, QStringLiteral("progress-prod")),
                 QStringLiteral("Starting services…"));
        QVERIFY(!error->isVisibleTo(window));
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Up, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kTimeoutMs);
        QVERIFY(finished.at(1).at(2).value<Result<void>>().ok());
        QVERIFY(!panel.controller->isBusy(QStringLiteral("prod")));
        QVERIFY(!error->isVisibleTo(window));

        // Both attempts are audited, the refusal as such.
        AuditFilter filter;
        filter.environment = QStringLiteral("prod");
        QStringList outcomes;
        const QList<AuditEntry> entries = AuditLog().read(filter).value();
        for (const AuditEntry &e : entries)
            if (e.action == QLatin1String("start"))
                outcomes.append(auditOutcomeName(e.outcome));
        QVERIFY2(outcomes.contains(QStringLiteral("refused")) &&
                     outcomes.contains(QStringLiteral("ok")),
                 qPrintable(outcomes.join(u',')));

        // Quitting does not offer to stop a protected environment's service.
        QVERIFY(!panel.monitor->serviceController()->startedHere().isEmpty());
        QSignalSpy quit(window, &MainWindow::quitRequested);
        window->requestQuit();
        QVERIFY(!window->quitOffer());
        QCOMPARE(quit.size(), 1);

        // Stop asks too, and goes the same way.
        QTRY_VERIFY_WITH_TIMEOUT(stop->isEnabled(), kTimeoutMs);
        QVERIFY(clickAndType(stop, QStringLiteral("prod")));
        QCOMPARE(started.size(), 3);
        QCOMPARE(started.at(2).at(1).toString(), QStringLiteral("Stopping services"));
        QVERIFY(panel.controller->isBusy(QStringLiteral("prod")));
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Down, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, kTimeoutMs);
        QVERIFY(finished.at(2).at(2).value<Result<void>>().ok());
        QVERIFY(!error->isVisibleTo(window));
    }

    void promoteFromTheCardFollowsThePipelineStrip()
    {
        for (const QString &db : {QStringLiteral("promo_dev"), QStringLiteral("promo_staging"),
                                  QStringLiteral("promo_prod")})
            QVERIFY(m_pg.createDatabase(db).ok());
        EnvironmentConfig staging =
            environmentAt(QStringLiteral("staging"), m_pg.url(QStringLiteral("promo_staging")));
        staging.promotesFrom = QStringLiteral("dev");
        EnvironmentConfig prod = environmentAt(
            QStringLiteral("prod"), m_pg.url(QStringLiteral("promo_prod")), Protection::Confirm);
        prod.promotesFrom = QStringLiteral("staging");
        EnvironmentConfig replica =
            environmentAt(QStringLiteral("replica"), m_pg.url(QStringLiteral("promo_prod")),
                          Protection::ReadOnly);
        replica.promotesFrom = QStringLiteral("staging");
        for (EnvironmentConfig *env : {&staging, &prod, &replica})
            env->database.statementTimeoutSeconds = 30;
        Panel panel =
            openPanel({environmentAt(QStringLiteral("dev"), m_pg.url(QStringLiteral("promo_dev"))),
                       staging, prod, replica},
                      {{QStringLiteral("0001_users.sql"), "CREATE TABLE users (id int);\n"},
                       {QStringLiteral("0002_posts.sql"), "CREATE TABLE posts (id int);\n"}},
                      QStringLiteral("0002"), QStringLiteral("promo_dev"));
        MainWindow *window = panel.window.get();
        constexpr int kPromotionMs = 90000;

        // The strip: dev → staging → prod and dev → staging → replica, from the monitor.
        auto *strip = find<QWidget>(window, QStringLiteral("pipelineStrip"));
        QVERIFY(strip && strip->isVisibleTo(window));
        QCOMPARE(QAccessible::queryAccessibleInterface(strip)->text(QAccessible::Name),
                 QStringLiteral("Promotion pipeline"));
        // (The drift watch may have checked by now: the drift words are not compared.)
        QTRY_VERIFY_WITH_TIMEOUT(
            textOf(strip, QStringLiteral("pipelineStage-dev"))
                .startsWith(QStringLiteral("dev\nhead 0002 · 0 pending\ndrift: ")),
            kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            textOf(strip, QStringLiteral("pipelineStage-staging"))
                .startsWith(QStringLiteral("staging\nhead none · 2 pending\ndrift: ")),
            kTimeoutMs);
        auto *stagingStage = find<QLabel>(strip, QStringLiteral("pipelineStage-staging"));
        QVERIFY2(QAccessible::queryAccessibleInterface(stagingStage)
                     ->text(QAccessible::Name)
                     .startsWith(QStringLiteral("staging stage: head none, 2 pending, drift: ")),
                 qPrintable(
                     QAccessible::queryAccessibleInterface(stagingStage)->text(QAccessible::Name)));

        // Only environments with promotes_from have the action; read-only refuses it.
        QVERIFY(!find(window, QStringLiteral("promote-dev"))->isVisibleTo(window));
        QPushButton *promoteStaging = find(window, QStringLiteral("promote-staging"));
        QVERIFY(promoteStaging->isVisibleTo(window));
        QCOMPARE(promoteStaging->text(), QStringLiteral("Promote from dev"));
        QCOMPARE(QAccessible::queryAccessibleInterface(promoteStaging)->text(QAccessible::Name),
                 QStringLiteral("Promote staging from dev"));
        QPushButton *promoteReplica = find(window, QStringLiteral("promote-replica"));
        QTRY_VERIFY(!promoteReplica->isEnabled());
        QVERIFY2(promoteReplica->toolTip().contains(QStringLiteral("read-only")),
                 qPrintable(promoteReplica->toolTip()));

        // Unprotected: runs at once, off the GUI thread; the card and the strip follow.
        QTRY_VERIFY_WITH_TIMEOUT(promoteStaging->isEnabled(), kTimeoutMs);
        QTest::mouseClick(promoteStaging, Qt::LeftButton);
        QVERIFY(panel.controller->isBusy(QStringLiteral("staging")));
        QCOMPARE(panel.controller->runningOperation(QStringLiteral("staging")),
                 QStringLiteral("Promoting from dev"));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller->isBusy(QStringLiteral("staging")),
                                 kPromotionMs);
        QVERIFY2(!find<QWidget>(window, QStringLiteral("error-staging"))->isVisibleTo(window),
                 qPrintable(textOf(window, QStringLiteral("errorDetailText-staging"))));
        QTRY_COMPARE_WITH_TIMEOUT(textOf(window, QStringLiteral("schema-staging")),
                                  QStringLiteral("schema 0002 · up to date"), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(textOf(strip, QStringLiteral("pipelineStage-staging"))
                                     .startsWith(QStringLiteral("staging\nhead 0002 · 0 pending")),
                                 kTimeoutMs);

        // Protected: the typed name first.
        QPushButton *promoteProd = find(window, QStringLiteral("promote-prod"));
        QTRY_VERIFY_WITH_TIMEOUT(promoteProd->isEnabled(), kTimeoutMs);
        QTest::mouseClick(promoteProd, Qt::LeftButton);
        auto *question =
            window->findChild<pd::ui::ConfirmNameDialog *>(QStringLiteral("confirmPromote-prod"));
        QVERIFY(question && question->isVisible());
        QVERIFY(!panel.controller->isBusy(QStringLiteral("prod")));
        QVERIFY(!question->confirmButton()->isEnabled());
        question->nameField()->setText(QStringLiteral("prod"));
        QVERIFY(question->confirmButton()->isEnabled());
        QTest::mouseClick(question->confirmButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel.controller->isBusy(QStringLiteral("prod")), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller->isBusy(QStringLiteral("prod")), kPromotionMs);
        QTRY_COMPARE_WITH_TIMEOUT(textOf(window, QStringLiteral("schema-prod")),
                                  QStringLiteral("schema 0002 · up to date"), kTimeoutMs);
        AuditFilter promotions;
        promotions.action = QStringLiteral("promote");
        promotions.environment = QStringLiteral("prod");
        const auto entries = AuditLog().read(promotions);
        QVERIFY(entries && !entries->isEmpty());
        QCOMPARE(entries->last().outcome, AuditOutcome::Ok);

        // A failing gate stays on the card, naming the gate; nothing runs.
        QVERIFY(
            m_pg.exec(QStringLiteral("CREATE TABLE hotfix (id int)"), QStringLiteral("promo_prod"))
                .ok());
        const QFuture<Result<PromotionReport>> refused =
            panel.controller->promote(QStringLiteral("prod"), QStringLiteral("prod"));
        QTRY_VERIFY_WITH_TIMEOUT(refused.isFinished(), kPromotionMs);
        QVERIFY(refused.result().ok());
        QVERIFY(refused.result()->refused);
        QTRY_VERIFY(find<QWidget>(window, QStringLiteral("error-prod"))->isVisibleTo(window));
        QVERIFY2(textOf(window, QStringLiteral("errorDetailText-prod"))
                     .contains(QStringLiteral("target-drift: prod has drifted")),
                 qPrintable(textOf(window, QStringLiteral("errorDetailText-prod"))));
    }

    void theStripIsHiddenWithoutPromotion()
    {
        Workspace ws;
        ws.environments = {environmentAt(QStringLiteral("dev"), m_pg.url())};
        StatusMonitor monitor(ws);
        QWidget parent;
        auto *strip = new pd::ui::PipelineStrip(&monitor, &parent);
        QVERIFY(strip->chains().isEmpty());
        QVERIFY(!strip->isVisibleTo(&parent));
        EnvironmentConfig staging = environmentAt(QStringLiteral("staging"), m_pg.url());
        staging.promotesFrom = QStringLiteral("dev");
        ws.environments.append(staging);
        StatusMonitor promoted(ws);
        auto *shown = new pd::ui::PipelineStrip(&promoted, &parent);
        QCOMPARE(shown->chains(),
                 (QList<QStringList>{{QStringLiteral("dev"), QStringLiteral("staging")}}));
        QVERIFY(shown->isVisibleTo(&parent));
        QCOMPARE(shown->stageText(QStringLiteral("staging")),
                 QStringLiteral("staging stage: not checked yet"));
    }

    void restartStopsThenStartsWithTheTypedName()
    {
        const quint16 port = freePort();
        QVERIFY(port != 0);
        EnvironmentConfig env =
            environmentAt(QStringLiteral("prod"), m_pg.url(), Protection::Confirm);
        ServiceConfig web;
        web.name = QStringLiteral("web");
        web.run = QStringLiteral("python3 -u -m http.server %1 --bind 127.0.0.1").arg(port);
        web.health.kind = HealthProbeConfig::Kind::Tcp;
        web.health.target = QStringLiteral("127.0.0.1:%1").arg(port);
        web.startTimeoutSeconds = 15;
        env.services.append(web);
        Panel panel = openPanel({env}, {});
        EnvironmentController &controller = *panel.controller;
        const auto stopWeb = qScopeGuard([&panel] {
            ServiceController services(panel.monitor->workspace());
            (void)services.stop(QStringLiteral("prod"), {}, QStringLiteral("prod"));
        });
        const auto process = [&panel]() -> std::optional<ProcessIdentity> {
            ServiceController services(panel.monitor->workspace());
            auto runtime = services.runtime(QStringLiteral("prod"), QStringLiteral("web"));
            if (!runtime || !runtime->running)
                return std::nullopt;
            return runtime->process;
        };
        const auto restartEntries = [] {
            AuditFilter filter;
            filter.environment = QStringLiteral("prod");
            QStringList lines;
            const QList<AuditEntry> entries = AuditLog().read(filter).value();
            for (const AuditEntry &e : entries)
                lines.append(e.action + u' ' + auditOutcomeName(e.outcome));
            return lines;
        };

        const auto startedWeb = controller.start(QStringLiteral("prod"), QStringLiteral("prod"));
        QTRY_VERIFY_WITH_TIMEOUT(startedWeb.isFinished(), kTimeoutMs);
        QVERIFY2(startedWeb.result().ok(),
                 startedWeb.result() ? "" : qPrintable(startedWeb.result().error().message));
        const std::optional<ProcessIdentity> first = process();
        QVERIFY(first);
        const int auditedBefore = int(restartEntries().size());

        QSignalSpy started(&controller, &EnvironmentController::operationStarted);
        QSignalSpy finished(&controller, &EnvironmentController::operationFinished);

        // Without the name: an operation like start/stop, refused, and nothing touched.
        const auto refused = controller.restart(QStringLiteral("prod"));
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("Restarting services"));
        QVERIFY(!started.at(0).at(2).toBool()); // not cancellable, like start and stop
        QVERIFY(controller.isBusy(QStringLiteral("prod")));
        QVERIFY(!controller.isCancellable(QStringLiteral("prod")));
        // One operation at a time.
        const auto meanwhile = controller.stop(QStringLiteral("prod"), QStringLiteral("prod"));
        QVERIFY(meanwhile.isFinished());
        QVERIFY2(meanwhile.result().error().message.contains(
                     QStringLiteral("Restarting services is still running")),
                 qPrintable(meanwhile.result().error().message));
        QTRY_VERIFY_WITH_TIMEOUT(refused.isFinished(), kTimeoutMs);
        QVERIFY(!refused.result().ok());
        QCOMPARE(refused.result().error().code, ErrorCode::Protected);
        const QString refusal = refused.result().error().message;
        QVERIFY2(refusal.contains(QStringLiteral("without its name typed to confirm")) &&
                     refusal.contains(QStringLiteral("Nothing was stopped or started.")) &&
                     !refusal.contains(QStringLiteral("--confirm")),
                 qPrintable(refusal));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(2).value<Result<void>>().error().code, ErrorCode::Protected);
        const std::optional<ProcessIdentity> untouched = process();
        QVERIFY(untouched);
        QCOMPARE(untouched->id(), first->id());

        // A wrong name is refused the same way.
        const auto wrong = controller.restart(QStringLiteral("prod"), QStringLiteral("prd"));
        QTRY_VERIFY_WITH_TIMEOUT(wrong.isFinished(), kTimeoutMs);
        QVERIFY2(wrong.result().error().message.contains(QStringLiteral("\"prd\" was typed")),
                 qPrintable(wrong.result().error().message));
        QCOMPARE(process()->id(), first->id());

        // With the name: stopped, then started again — a new process serving the port.
        const auto restarted = controller.restart(QStringLiteral("prod"), QStringLiteral("prod"));
        QVERIFY(controller.isBusy(QStringLiteral("prod")));
        QTRY_VERIFY_WITH_TIMEOUT(restarted.isFinished(), kTimeoutMs);
        QVERIFY2(restarted.result().ok(),
                 restarted.result() ? "" : qPrintable(restarted.result().error().message));
        QCOMPARE(finished.size(), 3);
        QVERIFY(finished.at(2).at(2).value<Result<void>>().ok());
        QVERIFY(!controller.isBusy(QStringLiteral("prod")));
        const std::optional<ProcessIdentity> second = process();
        QVERIFY(second);
        QVERIFY(second->id() != first->id());
        QVERIFY(!process::isAlive(*first));
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected(kTimeoutMs));
        auto *light =
            find<ui::StatusLight>(panel.window.get(), QStringLiteral("serviceLight-prod-web"));
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Up, kTimeoutMs);

        // Audited: both refusals as "restart", then the stop and the start it did, each
        // with its "started" entry written before it ran.
        const QStringList audited = restartEntries().mid(auditedBefore);
        QCOMPARE(audited,
                 (QStringList{QStringLiteral("restart refused"), QStringLiteral("restart refused"),
                              QStringLiteral("stop started"), QStringLiteral("stop ok"),
                              QStringLiteral("start started"), QStringLiteral("start ok")}));

        // The card's Restart (and the tray's, which goes through restartServices): the name
        // is asked for first, then a new process serves the port.
        MainWindow *window = panel.window.get();
        auto *card = window->findChild<ui::EnvironmentCard *>(QStringLiteral("card-prod"));
        QPushButton *restartButton = find(window, QStringLiteral("restart-prod"));
        QVERIFY(card && restartButton);
        QCOMPARE(restartButton->accessibleName(), QStringLiteral("Restart prod services"));
        QTRY_VERIFY_WITH_TIMEOUT(restartButton->isEnabled(), kTimeoutMs);
        const auto restartFromWindow = [&](auto trigger) -> bool {
            trigger();
            auto *ask = qobject_cast<ui::ConfirmNameDialog *>(card->confirmationDialog());
            if (!ask || !ask->isVisible())
                return false;
            auto *question = ask->findChild<QLabel *>(QStringLiteral("confirmNameQuestion"));
            if (!question || !question->text().contains(QStringLiteral("to restart its services")))
                return false;
            QTest::keyClicks(ask->nameField(), QStringLiteral("prod"));
            QTest::mouseClick(ask->confirmButton(), Qt::LeftButton);
            return true;
        };
        QVERIFY(restartFromWindow([&] { QTest::mouseClick(restartButton, Qt::LeftButton); }));
        QCOMPARE(started.last().at(1).toString(), QStringLiteral("Restarting services"));
        QVERIFY(!restartButton->isEnabled()); // busy
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, kTimeoutMs);
        QVERIFY(finished.at(3).at(2).value<Result<void>>().ok());
        const std::optional<ProcessIdentity> third = process();
        QVERIFY(third && third->id() != second->id());
        QVERIFY(!process::isAlive(*second));

        QTRY_VERIFY_WITH_TIMEOUT(restartButton->isEnabled(), kTimeoutMs);
        QVERIFY(restartFromWindow([&] { window->restartServices(QStringLiteral("prod")); }));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 5, kTimeoutMs);
        QVERIFY(finished.at(4).at(2).value<Result<void>>().ok());
        const std::optional<ProcessIdentity> fourth = process();
        QVERIFY(fourth && fourth->id() != third->id());
        QTRY_COMPARE_WITH_TIMEOUT(light->state(), StatusState::Up, kTimeoutMs);
    }

private:
    struct Panel
    {
        std::unique_ptr<QTemporaryDir> dir;
        std::unique_ptr<StatusMonitor> monitor;
        std::unique_ptr<EnvironmentController> controller;
        std::unique_ptr<MainWindow> window; // destroyed first
    };

    // A workspace in a fresh folder with `migrations` in migrations/, optionally applied up
    // to `appliedUpTo` in `database` before the window opens.
    Panel openPanel(const QList<EnvironmentConfig> &environments,
                    const QList<QPair<QString, QByteArray>> &migrations,
                    const QString &appliedUpTo = {}, const QString &database = {})
    {
        Panel p;
        p.dir = std::make_unique<QTemporaryDir>();
        Workspace ws;
        ws.project = QStringLiteral("panel");
        ws.rootDir = p.dir->path();
        ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
        ws.environments = environments;
        QDir(ws.rootDir).mkpath(QStringLiteral("migrations"));
        for (const auto &[name, sql] : migrations) {
            if (!writeFile(ws.rootDir + QStringLiteral("/migrations/") + name, sql))
                qWarning("cannot write %s", qPrintable(name));
        }
        if (!appliedUpTo.isEmpty()) {
            auto set = MigrationSource::load(ws);
            if (!set) {
                qWarning("%s", qPrintable(set.error().message));
            } else {
                ApplyOptions options;
                options.environment = QStringLiteral("setup");
                options.targetVersion = appliedUpTo;
                auto applied =
                    MigrationRunner::apply(m_pg.connectionParams(database), *set, options);
                if (!applied)
                    qWarning("%s", qPrintable(applied.error().message));
            }
        }
        p.monitor = std::make_unique<StatusMonitor>(ws);
        p.monitor->setIntervalMs(300);
        p.monitor->setDeflapChecks(1);
        p.monitor->setAutoRestart(false);
        p.controller = std::make_unique<EnvironmentController>(p.monitor.get());
        p.window = std::make_unique<MainWindow>(p.monitor.get(), p.controller.get());
        p.window->show();
        if (!QTest::qWaitForWindowExposed(p.window.get()))
            qWarning("main window was not exposed");
        p.monitor->start();
        p.controller->refreshAll();
        return p;
    }

    QTemporaryDir m_state;
    PgCluster m_pg;
};

QTEST_MAIN(TestPanelActions)
#include "tst_panelactions.moc"
