// Workspaces whose migrations are applied by their own tool (`migrations.command`), from
// the panel: the EnvironmentController runs the command and audits it as the CLI does, a
// protected environment refuses without its typed name, Cancel stops the running command,
// and the MigrationDialog shows the plan read from the tool's history, a dry run, the
// command's output live and the result.
//
// Everything is real: a PostgreSQL cluster that demands a password over TCP, the password
// resolved from an `env:` secret reference, and a small dbmate-like shell script as the
// tool, which applies each file's "-- migrate:up" section with psql and records the version
// in public.schema_migrations. psql gets the connection only from the variables
// ExternalMigrationCommand puts in its environment. Runs offscreen.
#include "audit/auditlog.h"
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "migrationdialog.h"
#include "pgcluster.h"
#include "secrets/secretref.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace pd;
using pd::test::PgCluster;
using pd::ui::MigrationDialog;
using pd::ui::RevertPlan;

namespace {

constexpr int kTimeoutMs = 30000;
constexpr const char *kPasswordVariable = "PD_TST_MIGRATIONDIALOG_PASSWORD";

// The tool. Each migration's up section and its history row go in one transaction, so a
// killed run leaves the migration it was in unapplied. It also prints what a careless tool
// might print: the password (ParityDeck must mask it) — and the user it connected as.
const QByteArray kTool = R"tool(#!/bin/sh
set -eu
export PGOPTIONS='-c client_min_messages=warning'
echo "password: $PGPASSWORD"
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE TABLE IF NOT EXISTS public.schema_migrations (version varchar(128) PRIMARY KEY)'
for file in migrations/*.sql; do
    version=$(basename "$file" | sed 's/_.*//')
    if [ -n "$(psql -X -Atc "SELECT 1 FROM public.schema_migrations WHERE version = '$version'")" ]; then
        continue
    fi
    echo "applying $file as $(psql -X -Atc 'SELECT current_user')"
    { sed -n '/^-- migrate:up/,/^-- migrate:down/p' "$file" | sed '/^-- migrate:/d'
      echo "INSERT INTO public.schema_migrations (version) VALUES ('$version');"
    } | psql -X -q -v ON_ERROR_STOP=1 --single-transaction
    echo "applied $version"
done
)tool";

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(contents) == contents.size();
}

QByteArray dbmateFile(const QByteArray &up, const QByteArray &down)
{
    return "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n";
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

// The entries that end an apply (the "started" ones are checked by startedEntries()).
QList<AuditEntry> migrateEntries(const QString &environment, bool started = false)
{
    AuditFilter filter;
    filter.environment = environment;
    filter.action = QStringLiteral("migrate-apply");
    QList<AuditEntry> entries = AuditLog().read(filter).value();
    entries.removeIf(
        [started](const AuditEntry &e) { return (e.outcome == AuditOutcome::Started) != started; });
    return entries;
}

} // namespace

class TestMigrationDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_state.isValid());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        qputenv("XDG_CACHE_HOME", (m_state.path() + QStringLiteral("/cache")).toUtf8());
        qputenv(kPasswordVariable, m_password.toUtf8());
        QVERIFY2(m_pg.start().ok(), qPrintable(m_pg.serverLog()));
        QVERIFY(m_pg.createRole(QStringLiteral("app"), m_password).ok());
    }

    void commandApplyFromTheControllerIsAudited()
    {
        Setup s = setUp(QStringLiteral("dev"), Protection::None, twoMigrations());
        EnvironmentController &controller = *s.controller;
        QVERIFY(controller.usesMigrationsCommand());
        QCOMPARE(controller.migrationsCommand(), QStringLiteral("sh ./migrate.sh"));

        // The plan comes through the command's status read: nothing applied, no history.
        QTRY_VERIFY_WITH_TIMEOUT(controller.latestPlan(QStringLiteral("dev")).has_value(),
                                 kTimeoutMs);
        const Result<MigrationPlan> before = *controller.latestPlan(QStringLiteral("dev"));
        QVERIFY2(before.ok(), before ? "" : qPrintable(before.error().message));
        QCOMPARE(before->pendingCount(), 2);
        QVERIFY(!before->historyExists);

        // A target version is the ParityDeck runner's option: refused, as the CLI refuses --to.
        MigrationRequest withTarget;
        withTarget.targetVersion = QStringLiteral("20240101000001");
        const auto usage = controller.applyMigrations(QStringLiteral("dev"), withTarget);
        QTRY_VERIFY_WITH_TIMEOUT(usage.isFinished(), kTimeoutMs);
        QCOMPARE(usage.result().error().code, ErrorCode::Usage);

        QSignalSpy started(&controller, &EnvironmentController::operationStarted);
        QSignalSpy finished(&controller, &EnvironmentController::operationFinished);
        QSignalSpy output(&controller, &EnvironmentController::migrationOutput);
        QSignalSpy progress(&controller, &EnvironmentController::migrationProgress);
        // The generic apply (what the card and the tray call) runs the command too.
        const auto applied = controller.applyMigrations(QStringLiteral("dev"), MigrationRequest{});
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("Running the migrations command"));
        QVERIFY(started.at(0).at(2).toBool()); // cancellable
        QVERIFY(controller.isBusy(QStringLiteral("dev")));
        QTRY_VERIFY_WITH_TIMEOUT(applied.isFinished(), kTimeoutMs);
        const Result<ApplyReport> report = applied.result();
        QVERIFY2(report.ok(), report ? "" : qPrintable(report.error().message));
        QVERIFY(!report->dryRun);
        QCOMPARE(report->steps.size(), 2);
        QCOMPARE(report->steps.at(0).version, QStringLiteral("20240101000001"));
        QCOMPARE(report->steps.at(1).file,
                 QStringLiteral("migrations/20240101000002_create_posts.sql"));
        QCOMPARE(finished.size(), 1);
        QVERIFY(finished.at(0).at(2).value<Result<void>>().ok());
        QVERIFY(!controller.isBusy(QStringLiteral("dev")));

        // The tool really ran, as the role of the URL, with the password from the secret.
        QStringList lines;
        for (const QList<QVariant> &signal : std::as_const(output))
            lines.append(signal.at(1).toString());
        QVERIFY2(
            lines.contains(QStringLiteral("applying "
                                          "migrations/20240101000001_create_users.sql as app")),
            qPrintable(lines.join(u'\n')));
        QVERIFY(lines.contains(QStringLiteral("applied 20240101000002")));
        QVERIFY(lines.contains(QStringLiteral("password: ") + SecretValue::masked()));
        QVERIFY(!lines.join(u'\n').contains(m_password));
        QVERIFY(progress.size() >= 2); // Started and Finished of the one command
        auto tables = m_pg.exec(QStringLiteral("SELECT to_regclass('public.posts') IS NOT NULL, "
                                               "(SELECT count(*) FROM public.schema_migrations)"),
                                s.database);
        QVERIFY(tables.ok());
        QCOMPARE(tables->value(0, 0), QStringLiteral("t"));
        QCOMPARE(tables->value(0, 1), QStringLiteral("2"));

        // The plan is read again afterwards, from the tool's own history.
        QTRY_VERIFY_WITH_TIMEOUT(
            controller.latestPlan(QStringLiteral("dev"))->ok() &&
                controller.latestPlan(QStringLiteral("dev"))->value().isUpToDate(),
            kTimeoutMs);
        const MigrationPlan after = controller.latestPlan(QStringLiteral("dev"))->value();
        QCOMPARE(after.historyKind, HistoryKind::Dbmate);
        QCOMPARE(after.headVersion, QStringLiteral("20240101000002"));

        // Audited as `paritydeck migrate apply` writes it, with no password anywhere.
        const QList<AuditEntry> entries = migrateEntries(QStringLiteral("dev"));
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0).outcome, AuditOutcome::Ok);
        QCOMPARE(entries.at(0).target, QStringLiteral("20240101000002"));
        // Its start was written before the command ran, and the end answers it.
        const QList<AuditEntry> starts = migrateEntries(QStringLiteral("dev"), true);
        QCOMPARE(starts.size(), 1);
        QCOMPARE(starts.at(0).target, QStringLiteral("migrations.command"));
        QVERIFY(!starts.at(0).operation.isEmpty());
        QCOMPARE(entries.at(0).operation, starts.at(0).operation);
        QVERIFY(!starts.at(0).unfinished);
        QCOMPARE(entries.at(0).detail,
                 QStringLiteral("`sh ./migrate.sh`: head none → 20240101000002, 0 pending"));
        QVERIFY(entries.at(0).durationMs >= 0);
        QFile log(AuditLog::defaultPath());
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(!log.readAll().contains(m_password.toUtf8()));

        // A command that fails is an error with its output's end, audited as failed.
        QVERIFY(writeFile(s.dir->filePath(QStringLiteral("migrations/20240101000003_broken.sql")),
                          dbmateFile("CREATE TABLE broken (id int", "")));
        const auto failed = controller.applyWithCommand(QStringLiteral("dev"), MigrationRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(failed.isFinished(), kTimeoutMs);
        QVERIFY(!failed.result().ok());
        const QString message = failed.result().error().message;
        QVERIFY2(message.contains(QStringLiteral("exited with code")) &&
                     message.contains(QStringLiteral("syntax error")),
                 qPrintable(message));
        const QList<AuditEntry> more = migrateEntries(QStringLiteral("dev"));
        QCOMPARE(more.size(), 2);
        QCOMPARE(more.at(1).outcome, AuditOutcome::Failed);
        QCOMPARE(more.at(1).target, QStringLiteral("migrations.command"));
    }

    void protectedEnvironmentRefusesWithoutTheTypedName()
    {
        Setup s = setUp(QStringLiteral("prod"), Protection::Confirm, twoMigrations());
        EnvironmentController &controller = *s.controller;
        const auto nothingApplied = [&] {
            auto history =
                m_pg.exec(QStringLiteral("SELECT to_regclass('public.schema_migrations') "
                                         "IS NULL AND to_regclass('public.users') IS NULL"),
                          s.database);
            return history.ok() && history->value(0, 0) == QLatin1String("t");
        };

        const auto noName = controller.applyWithCommand(QStringLiteral("prod"), MigrationRequest{});
        QTRY_VERIFY_WITH_TIMEOUT(noName.isFinished(), kTimeoutMs);
        QVERIFY(!noName.result().ok());
        QCOMPARE(noName.result().error().code, ErrorCode::Protected);
        QCOMPARE(noName.result().error().message,
                 QStringLiteral("prod is protected (protection: confirm): migrations cannot be "
                                "applied without its name typed to confirm (type prod to confirm). "
                                "Nothing was run."));
        QVERIFY(nothingApplied());

        MigrationRequest wrong;
        wrong.confirmation = QStringLiteral("Prod");
        const auto wrongName = controller.applyMigrations(QStringLiteral("prod"), wrong);
        QTRY_VERIFY_WITH_TIMEOUT(wrongName.isFinished(), kTimeoutMs);
        QCOMPARE(wrongName.result().error().code, ErrorCode::Protected);
        QVERIFY2(
            wrongName.result().error().message.contains(QStringLiteral("(\"Prod\" was typed)")),
            qPrintable(wrongName.result().error().message));
        QVERIFY(nothingApplied());

        // A dry run needs no name, and runs nothing.
        MigrationRequest dry;
        dry.dryRun = true;
        const auto preview = controller.applyWithCommand(QStringLiteral("prod"), dry);
        QTRY_VERIFY_WITH_TIMEOUT(preview.isFinished(), kTimeoutMs);
        QVERIFY2(preview.result().ok(),
                 preview.result() ? "" : qPrintable(preview.result().error().message));
        QVERIFY(preview.result()->dryRun);
        QCOMPARE(preview.result()->before.pendingCount(), 2);
        QVERIFY(preview.result()->output.isEmpty());
        QVERIFY(nothingApplied());

        // Both refusals are audited as refused; the dry run is not audited.
        QList<AuditEntry> entries = migrateEntries(QStringLiteral("prod"));
        QCOMPARE(entries.size(), 2);
        for (const AuditEntry &entry : std::as_const(entries)) {
            QCOMPARE(entry.outcome, AuditOutcome::Refused);
            QCOMPARE(entry.target, QStringLiteral("migrations.command"));
        }

        MigrationRequest right;
        right.confirmation = QStringLiteral("prod");
        const auto applied = controller.applyWithCommand(QStringLiteral("prod"), right);
        QTRY_VERIFY_WITH_TIMEOUT(applied.isFinished(), kTimeoutMs);
        QVERIFY2(applied.result().ok(),
                 applied.result() ? "" : qPrintable(applied.result().error().message));
        QCOMPARE(applied.result()->after.headVersion, QStringLiteral("20240101000002"));
        QVERIFY(!nothingApplied());
        entries = migrateEntries(QStringLiteral("prod"));
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries.at(2).outcome, AuditOutcome::Ok);

        // Read-only: refused whatever is typed.
        Setup ro = setUp(QStringLiteral("mirror"), Protection::ReadOnly, twoMigrations());
        MigrationRequest typed;
        typed.confirmation = QStringLiteral("mirror");
        const auto readOnly = ro.controller->applyWithCommand(QStringLiteral("mirror"), typed);
        QTRY_VERIFY_WITH_TIMEOUT(readOnly.isFinished(), kTimeoutMs);
        QCOMPARE(readOnly.result().error().code, ErrorCode::Protected);
        QVERIFY(readOnly.result().error().message.contains(QStringLiteral("read-only")));
        auto untouched =
            m_pg.exec(QStringLiteral("SELECT to_regclass('public.users') IS NULL"), ro.database);
        QVERIFY(untouched.ok());
        QCOMPARE(untouched->value(0, 0), QStringLiteral("t"));
    }

    void dialogShowsThePlanDryRunsAndApplies()
    {
        Setup s = setUp(QStringLiteral("stage"), Protection::Confirm, twoMigrations());
        auto dialog =
            std::make_unique<MigrationDialog>(s.controller.get(), QStringLiteral("stage"));
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        QVERIFY(!dialog->isModal());
        QVERIFY(dialog->windowTitle().contains(QStringLiteral("migrations command")));

        // What will run, where, with which variables, and where pending comes from.
        QTRY_COMPARE_WITH_TIMEOUT(textOf(dialog.get(), QStringLiteral("planSummary")),
                                  QStringLiteral("stage: schema none · 2 pending"), kTimeoutMs);
        const QString note = textOf(dialog.get(), QStringLiteral("commandNote"));
        QVERIFY(
            find<QLabel>(dialog.get(), QStringLiteral("commandNote"))->isVisibleTo(dialog.get()));
        QVERIFY2(note.contains(QStringLiteral("`sh ./migrate.sh`")) &&
                     note.contains(s.dir->path()) && note.contains(QStringLiteral("PGPASSWORD")) &&
                     note.contains(QStringLiteral("DATABASE_URL")),
                 qPrintable(note));
        auto *pending = find<QTreeWidget>(dialog.get(), QStringLiteral("pendingList"));
        QCOMPARE(pending->topLevelItemCount(), 2);
        QCOMPARE(pending->topLevelItem(0)->text(0), QStringLiteral("20240101000001"));
        QCOMPARE(pending->topLevelItem(1)->text(1), QStringLiteral("create_posts"));
        auto *sql = find<QPlainTextEdit>(dialog.get(), QStringLiteral("sqlText"));
        QTRY_VERIFY_WITH_TIMEOUT(sql->toPlainText().contains(QStringLiteral("CREATE TABLE users")),
                                 kTimeoutMs);

        QPushButton *apply = find(dialog.get(), QStringLiteral("applyButton"));
        QPushButton *dryRun = find(dialog.get(), QStringLiteral("dryRunButton"));
        QPushButton *cancel = find(dialog.get(), QStringLiteral("cancelButton"));
        auto *confirm = find<QLineEdit>(dialog.get(), QStringLiteral("confirmName"));
        QVERIFY(apply && dryRun && cancel && confirm);
        QVERIFY(!apply->isEnabled());
        QVERIFY2(apply->toolTip().contains(QStringLiteral("Type \"stage\"")),
                 qPrintable(apply->toolTip()));
        QVERIFY(!cancel->isEnabled());

        // The dry run: connection checked, status read, the command not run.
        QTRY_VERIFY_WITH_TIMEOUT(dryRun->isEnabled(), kTimeoutMs);
        QVERIFY2(dryRun->toolTip().contains(QStringLiteral("without running it")),
                 qPrintable(dryRun->toolTip()));
        QTest::mouseClick(dryRun, Qt::LeftButton);
        auto *dryRunOutput = find<QPlainTextEdit>(dialog.get(), QStringLiteral("dryRunOutput"));
        QTRY_VERIFY_WITH_TIMEOUT(dryRunOutput->isVisibleTo(dialog.get()), kTimeoutMs);
        const QString preview = dryRunOutput->toPlainText();
        QVERIFY2(
            preview.startsWith(QStringLiteral("Would run `sh ./migrate.sh` in ") + s.dir->path()) &&
                preview.contains(QStringLiteral("2 pending (head none)")) &&
                preview.contains(QStringLiteral("20240101000002  create_posts")),
            qPrintable(preview));
        QCOMPARE(textOf(dialog.get(), QStringLiteral("resultText")),
                 QStringLiteral("Dry run: nothing was run or changed."));
        auto noHistory = m_pg.exec(
            QStringLiteral("SELECT to_regclass('public.schema_migrations') IS NULL"), s.database);
        QVERIFY(noHistory.ok());
        QCOMPARE(noHistory->value(0, 0), QStringLiteral("t"));

        // Apply: only with the exact name, then the command's output live, then the result.
        QTRY_VERIFY(dryRun->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("stag"));
        QVERIFY(!apply->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("e"));
        QTRY_VERIFY(apply->isEnabled());
        QVERIFY2(apply->toolTip().contains(QStringLiteral("Run `sh ./migrate.sh` against stage")),
                 qPrintable(apply->toolTip()));
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(!apply->isEnabled());
        QVERIFY(!dryRun->isEnabled());
        auto *output = find<QPlainTextEdit>(dialog.get(), QStringLiteral("commandOutput"));
        QVERIFY(output->isVisibleTo(dialog.get()));
        QTRY_VERIFY_WITH_TIMEOUT(textOf(dialog.get(), QStringLiteral("resultText"))
                                     .startsWith(QStringLiteral("Ran `sh ./migrate.sh` in ")),
                                 kTimeoutMs);
        const QString result = textOf(dialog.get(), QStringLiteral("resultText"));
        QVERIFY2(result.contains(QStringLiteral("head none → 20240101000002, applied 2: "
                                                "20240101000001, 20240101000002; up to date.")),
                 qPrintable(result));
        const QString log = output->toPlainText();
        QVERIFY2(log.contains(
                     QStringLiteral("applying migrations/20240101000002_create_posts.sql as app")),
                 qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("password: ") + SecretValue::masked()),
                 qPrintable(log));
        QVERIFY(!log.contains(m_password));
        auto *steps = find<QListWidget>(dialog.get(), QStringLiteral("progressList"));
        QCOMPARE(steps->count(), 1);
        QVERIFY2(
            steps->item(0)->text().startsWith(QStringLiteral("■ `sh ./migrate.sh` ended after")),
            qPrintable(steps->item(0)->text()));

        // The plan follows from the tool's history; nothing left to apply; the name is asked again.
        QTRY_COMPARE_WITH_TIMEOUT(textOf(dialog.get(), QStringLiteral("planSummary")),
                                  QStringLiteral("stage: schema 20240101000002 · up to date"),
                                  kTimeoutMs);
        QVERIFY(confirm->text().isEmpty());
        QVERIFY(!apply->isEnabled());
        QVERIFY(!dryRun->isEnabled());
        QVERIFY2(dryRun->toolTip().startsWith(QStringLiteral("Nothing pending")),
                 qPrintable(dryRun->toolTip()));
        QVERIFY2(textOf(dialog.get(), QStringLiteral("commandNote"))
                     .contains(QStringLiteral("public.schema_migrations (dbmate)")),
                 qPrintable(textOf(dialog.get(), QStringLiteral("commandNote"))));
        const QList<AuditEntry> entries = migrateEntries(QStringLiteral("stage"));
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0).outcome, AuditOutcome::Ok);
        QCOMPARE(entries.at(0).target, QStringLiteral("20240101000002"));
    }

    // Revert mode (what a drift review opens): the revert SQL instead of pending migrations,
    // ParityDeck's own SQL even where migrations.command applies the migrations, its
    // destructive statements flagged; a read-only environment cannot be reverted and says
    // so, but a dry run still checks the review against the live schema — and finds that
    // it no longer matches.
    void revertModeShowsTheSqlAndDryRunsAgainstTheLiveSchema()
    {
        Setup s = setUp(QStringLiteral("vault"), Protection::ReadOnly, twoMigrations());
        RevertPlan plan;
        plan.environment = QStringLiteral("vault");
        plan.sql = QStringLiteral("DROP TABLE IF EXISTS public.hand_made;\n");
        plan.liveFingerprint = QByteArray(64, '0'); // not the schema vault has
        plan.objects = {QStringLiteral("table public.hand_made")};
        plan.script = [](bool unsafe) {
            return unsafe ? QStringLiteral("DROP TABLE IF EXISTS public.hand_made;\n")
                          : QStringLiteral("-- skipped: DROP TABLE public.hand_made\n");
        };
        plan.includeDestructive = true;
        MigrationDialog dialog(s.controller.get(), plan);
        dialog.show();
        QVERIFY(dialog.isRevert());
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Revert vault to its migrations"));
        QVERIFY(!find<QLabel>(&dialog, QStringLiteral("commandNote"))->isVisible());
        QVERIFY(!find<QTreeWidget>(&dialog, QStringLiteral("pendingList"))->isVisible());
        QCOMPARE(find<QPlainTextEdit>(&dialog, QStringLiteral("sqlText"))->toPlainText(), plan.sql);
        QVERIFY(textOf(&dialog, QStringLiteral("targetLine"))
                    .startsWith(QStringLiteral("vault · app@")));
        QTRY_VERIFY(find<QWidget>(&dialog, QStringLiteral("destructiveWarnings"))->isVisible());
        QVERIFY2(textOf(&dialog, QStringLiteral("destructiveList"))
                     .contains(QStringLiteral("DROP TABLE")),
                 qPrintable(textOf(&dialog, QStringLiteral("destructiveList"))));
        QVERIFY(find<QLineEdit>(&dialog, QStringLiteral("confirmName")) == nullptr);
        QVERIFY(textOf(&dialog, QStringLiteral("protectionNote"))
                    .contains(QStringLiteral("cannot be reverted")));
        QPushButton *apply = find(&dialog, QStringLiteral("applyButton"));
        QPushButton *dryRun = find(&dialog, QStringLiteral("dryRunButton"));
        QTRY_VERIFY(dryRun->isEnabled());
        QVERIFY(!apply->isEnabled());
        QVERIFY2(apply->toolTip().contains(QStringLiteral("read-only")),
                 qPrintable(apply->toolTip()));
        QTest::mouseClick(dryRun, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(textOf(&dialog, QStringLiteral("resultText"))
                                     .startsWith(QStringLiteral("Dry run failed: ")),
                                 kTimeoutMs);
        QVERIFY2(textOf(&dialog, QStringLiteral("resultText"))
                     .contains(QStringLiteral("changed since it was compared")),
                 qPrintable(textOf(&dialog, QStringLiteral("resultText"))));
        // A dry run changes nothing and is not audited.
        AuditFilter filter;
        filter.environment = QStringLiteral("vault");
        filter.action = QStringLiteral("revert");
        QVERIFY(AuditLog().read(filter)->isEmpty());
        // Unticking "Include destructive changes" makes the SQL again: nothing destructive left.
        QCheckBox *unsafe = find<QCheckBox>(&dialog, QStringLiteral("includeDestructive"));
        QVERIFY(unsafe->isChecked());
        unsafe->setChecked(false);
        QTRY_VERIFY(find<QPlainTextEdit>(&dialog, QStringLiteral("sqlText"))
                        ->toPlainText()
                        .startsWith(QStringLiteral("-- skipped")));
        QTRY_VERIFY(!find<QWidget>(&dialog, QStringLiteral("destructiveWarnings"))->isVisible());
    }

    void cancelStopsTheRunningCommand()
    {
        // The second migration sleeps in the database; cancel kills the tool meanwhile.
        QList<QPair<QString, QByteArray>> migrations = {
            {QStringLiteral("20240101000001_create_users.sql"),
             dbmateFile("CREATE TABLE users (id int);", "DROP TABLE users;")},
            {QStringLiteral("20240101000002_slow.sql"),
             dbmateFile("SELECT pg_sleep(60);\nCREATE TABLE after_sleep (id int);",
                        "DROP TABLE after_sleep;")},
        };
        Setup s = setUp(QStringLiteral("qa"), Protection::None, migrations);
        auto dialog = std::make_unique<MigrationDialog>(s.controller.get(), QStringLiteral("qa"));
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        QPushButton *apply = find(dialog.get(), QStringLiteral("applyButton"));
        QPushButton *cancel = find(dialog.get(), QStringLiteral("cancelButton"));
        QVERIFY2(cancel->toolTip().contains(QStringLiteral("process group")),
                 qPrintable(cancel->toolTip()));
        QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), kTimeoutMs);
        QTest::mouseClick(apply, Qt::LeftButton);

        auto *output = find<QPlainTextEdit>(dialog.get(), QStringLiteral("commandOutput"));
        QTRY_VERIFY_WITH_TIMEOUT(output->toPlainText().contains(
                                     QStringLiteral("applying migrations/20240101000002_slow.sql")),
                                 kTimeoutMs);
        // psql is in pg_sleep now.
        const auto sleeping = [&] {
            auto rows = m_pg.exec(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                                 "query LIKE 'SELECT pg_sleep(60)%'"));
            return rows.ok() ? rows->value(0, 0).toInt() : -1;
        };
        QTRY_COMPARE_WITH_TIMEOUT(sleeping(), 1, kTimeoutMs);
        QVERIFY(cancel->isEnabled());
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!cancel->isEnabled());
        QCOMPARE(textOf(dialog.get(), QStringLiteral("resultText")),
                 QStringLiteral("Stopping the migrations command…"));
        QTRY_VERIFY_WITH_TIMEOUT(textOf(dialog.get(), QStringLiteral("resultText"))
                                     .startsWith(QStringLiteral("Cancelled: the migrations command "
                                                                "was stopped.")),
                                 kTimeoutMs);
        // Well before the sleep would have ended.
        QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
        const QString result = textOf(dialog.get(), QStringLiteral("resultText"));
        QVERIFY2(result.contains(QStringLiteral("head none, 2 pending")) &&
                     result.contains(QStringLiteral("after: head 20240101000001, 1 pending")),
                 qPrintable(result));
        // The tool's psql went with it (the server sees its session end), and the migration
        // it was in never committed.
        QTRY_COMPARE_WITH_TIMEOUT(sleeping(), 0, kTimeoutMs);
        auto state = m_pg.exec(QStringLiteral("SELECT to_regclass('public.after_sleep') IS NULL, "
                                              "(SELECT string_agg(version, ',') FROM "
                                              "public.schema_migrations)"),
                               s.database);
        QVERIFY(state.ok());
        QCOMPARE(state->value(0, 0), QStringLiteral("t"));
        QCOMPARE(state->value(0, 1), QStringLiteral("20240101000001"));
        QTRY_COMPARE_WITH_TIMEOUT(textOf(dialog.get(), QStringLiteral("planSummary")),
                                  QStringLiteral("qa: schema 20240101000001 · 1 pending"),
                                  kTimeoutMs);
        QVERIFY(!s.controller->isBusy(QStringLiteral("qa")));
        QTRY_VERIFY(apply->isEnabled());

        const QList<AuditEntry> entries = migrateEntries(QStringLiteral("qa"));
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.at(0).outcome, AuditOutcome::Cancelled);
        QCOMPARE(entries.at(0).target, QStringLiteral("migrations.command"));
    }

private:
    struct Setup
    {
        std::unique_ptr<QTemporaryDir> dir;
        QString database;
        std::unique_ptr<StatusMonitor> monitor;
        std::unique_ptr<EnvironmentController> controller;
    };

    static QList<QPair<QString, QByteArray>> twoMigrations()
    {
        return {
            {QStringLiteral("20240101000001_create_users.sql"),
             dbmateFile("CREATE TABLE users (id int PRIMARY KEY, name text);",
                        "DROP TABLE users;")},
            {QStringLiteral("20240101000002_create_posts.sql"),
             dbmateFile("CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users);",
                        "DROP TABLE posts;")}};
    }

    // A workspace in a fresh folder (the tool, its migrations) and a fresh database owned
    // by the password role, reached over TCP.
    Setup setUp(const QString &environment, Protection protection,
                const QList<QPair<QString, QByteArray>> &migrations)
    {
        Setup s;
        s.dir = std::make_unique<QTemporaryDir>();
        s.database = QStringLiteral("cmd_%1").arg(++m_databases);
        if (!m_pg.exec(QStringLiteral("CREATE DATABASE %1 OWNER app").arg(s.database)).ok())
            qWarning("cannot create %s", qPrintable(s.database));
        Workspace ws;
        ws.project = QStringLiteral("tool");
        ws.rootDir = s.dir->path();
        ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
        ws.migrations.format = QStringLiteral("dbmate");
        ws.migrations.command = QStringLiteral("sh ./migrate.sh");
        QDir(ws.rootDir).mkpath(QStringLiteral("migrations"));
        if (!writeFile(ws.rootDir + QStringLiteral("/migrate.sh"), kTool))
            qWarning("cannot write the tool");
        for (const auto &[name, text] : migrations) {
            if (!writeFile(ws.rootDir + QStringLiteral("/migrations/") + name, text))
                qWarning("cannot write %s", qPrintable(name));
        }
        EnvironmentConfig env;
        env.name = environment;
        env.protection = protection;
        env.database.url = m_pg.url(s.database, QStringLiteral("app"));
        env.database.password =
            SecretRef::parse(QStringLiteral("env:") + QLatin1String(kPasswordVariable)).value();
        env.database.connectTimeoutSeconds = 3;
        ws.environments = {env};
        s.monitor = std::make_unique<StatusMonitor>(ws);
        s.monitor->setIntervalMs(500);
        s.monitor->setAutoRestart(false);
        s.controller = std::make_unique<EnvironmentController>(s.monitor.get());
        s.monitor->start();
        s.controller->refreshAll();
        return s;
    }

    QTemporaryDir m_state;
    const QString m_password = QStringLiteral("t0p/s3cret:pw");
    // Backends of a killed client end at their next check, not after a 60 s sleep.
    PgCluster m_pg{PgCluster::Options{
        true, {QStringLiteral("client_connection_check_interval = '200ms'")}, 5, 60, {}}};
    int m_databases = 0;
};

QTEST_MAIN(TestMigrationDialog)
#include "tst_migrationdialog.moc"
