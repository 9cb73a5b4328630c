#include "migrationdialog.h"

#include "diffreview/diffreviewwork.h"
#include "diffreview/sqlhighlighter.h"
#include "environment/statusmonitor.h"
#include "errortext.h"
#include "humanformat.h"
#include "migrations/sqlscript.h"
#include "whenfinished.h"
#include "workspace/protection.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace pd::ui {

namespace {

// What a finished run delivered; a future that ended without a result was abandoned.
template<typename T> Result<T> outcomeOf(const QFuture<Result<T>> &future)
{
    return future.resultCount() > 0
               ? future.result()
               : Result<T>(Error(ErrorCode::Cancelled, MigrationDialog::tr("abandoned")));
}

QLabel *plainLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QString stateText(const PlannedMigration &m)
{
    switch (m.state) {
    case MigrationState::Pending:
        return m.outOfOrder ? MigrationDialog::tr("pending (out of order)")
                            : MigrationDialog::tr("pending");
    case MigrationState::ChecksumChanged:
        return MigrationDialog::tr("checksum changed");
    case MigrationState::Failed:
        return MigrationDialog::tr("failed");
    case MigrationState::Missing:
        return MigrationDialog::tr("missing file");
    case MigrationState::Applied:
        return MigrationDialog::tr("applied");
    }
    return {};
}

// "prod · app@db.internal:5432/app_prod · PostgreSQL 15.4 · protected: type its name to
// apply". The database is the one in use (a branch) when the status knows it.
QString targetText(EnvironmentController *controller, const QString &environment)
{
    QStringList parts{environment};
    const EnvironmentConfig *env = controller->workspace().environment(environment);
    const EnvironmentStatus status = controller->monitor()->status(environment);
    if (env) {
        if (auto params = ConnectionParams::fromUrl(env->database.url)) {
            if (!status.database.isEmpty())
                params->dbname = status.database;
            parts.append(params->displayTarget());
        }
    }
    parts.append(status.serverVersion.isEmpty()
                     ? MigrationDialog::tr("server version not known yet")
                     : MigrationDialog::tr("PostgreSQL %1").arg(status.serverVersion));
    if (env) {
        const ProtectionDecision protection =
            protectionDecision(*env, ProtectedChange::ApplyMigrations);
        parts.append(
            protection.verdict == ProtectionVerdict::Allowed
                ? MigrationDialog::tr("not protected")
                : MigrationDialog::tr("protection: %1").arg(protectionName(env->protection)));
    }
    return parts.join(QStringLiteral(" · "));
}

// "850 ms", "2.4 s", "3 min 05 s"
QString formatDuration(qint64 ms)
{
    if (ms < 1000)
        return MigrationDialog::tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return MigrationDialog::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 seconds = ms / 1000;
    return MigrationDialog::tr("%1 min %2 s")
        .arg(seconds / 60)
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

MigrationDialog::MigrationDialog(EnvironmentController *controller, const QString &environment,
                                 QWidget *parent)
    : MigrationDialog(controller, environment, std::nullopt, parent)
{
}

MigrationDialog::MigrationDialog(EnvironmentController *controller, RevertPlan plan,
                                 QWidget *parent)
    : MigrationDialog(controller, QString(), std::move(plan), parent)
{
}

MigrationDialog::MigrationDialog(EnvironmentController *controller, const QString &name,
                                 std::optional<RevertPlan> plan, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_environment(plan ? plan->environment : name)
    , m_revert(std::move(plan))
{
    Q_ASSERT(controller);
    const QString &environment = m_environment;
    const bool revert = m_revert.has_value();
    setObjectName(QStringLiteral("migrationDialog"));
    setWindowTitle(tr("Apply migrations — %1").arg(environment));
    if (const EnvironmentConfig *env = controller->workspace().environment(environment))
        m_protection = env->protection;
    // A revert is ParityDeck's own SQL, whatever tool applies the migrations.
    if (!revert)
        m_command = controller->migrationsCommand();
    if (!m_command.isEmpty())
        setWindowTitle(tr("Run the migrations command — %1").arg(environment));
    if (revert)
        setWindowTitle(tr("Revert %1 to its migrations").arg(environment));

    // Where it acts, before anything else: a dialog that applies to prod must say so at a
    // glance. The URL is parsed (no I/O); the database in use and the server version come
    // from the last status check.
    m_target = plainLabel(QStringLiteral("targetLine"), this);
    m_target->setWordWrap(true);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_target->setText(targetText(controller, environment));
    m_target->setAccessibleDescription(revert ? tr("Where the revert is applied")
                                              : tr("Where the migrations are applied"));

    m_summary = plainLabel(QStringLiteral("planSummary"), this);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);

    // Who applies: the workspace's own tool, with the connection in its environment.
    m_commandNote = plainLabel(QStringLiteral("commandNote"), this);
    m_commandNote->setWordWrap(true);
    m_commandNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_commandNote->setVisible(!m_command.isEmpty());

    m_pending = new QTreeWidget(this);
    m_pending->setObjectName(QStringLiteral("pendingList"));
    m_pending->setAccessibleName(tr("Migrations not applied"));
    m_pending->setHeaderLabels({tr("Version"), tr("Name"), tr("State"), tr("Flags")});
    m_pending->setRootIsDecorated(false);
    m_pending->setUniformRowHeights(true);
    m_pending->header()->setStretchLastSection(true);
    m_pending->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_sql = new QPlainTextEdit(this);
    m_sql->setObjectName(QStringLiteral("sqlText"));
    m_sql->setAccessibleName(tr("SQL of the selected migration"));
    m_sql->setReadOnly(true);
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sql->setPlaceholderText(tr("Select a migration to see its SQL."));
    m_sql->setLineWrapMode(QPlainTextEdit::NoWrap); // SQL reads as written, scrolled sideways
    m_sqlHighlighter = new SqlHighlighter(m_sql->document()); // as in the diff review
    if (revert) {
        // One script, no list of migrations: the SQL is what is reviewed.
        m_pending->hide();
        m_sql->setAccessibleName(tr("SQL that reverts %1").arg(environment));
        m_sql->setPlaceholderText(tr("Making the SQL…"));
        m_includeDestructive = new QCheckBox(includeDestructiveLabel(), this);
        m_includeDestructive->setObjectName(QStringLiteral("includeDestructive"));
        m_includeDestructive->setAccessibleName(includeDestructiveLabel());
        m_includeDestructive->setToolTip(
            tr("Undoing what was made by hand usually drops it: without this, those "
               "statements are listed commented out and do not run"));
        m_includeDestructive->setChecked(m_revert->includeDestructive);
    }

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_pending);
    splitter->addWidget(m_sql);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);

    // Warning panel: a tinted frame, a "Warning:" caption and the list (not colour alone).
    auto *warnings = new QFrame(this);
    warnings->setObjectName(QStringLiteral("destructiveWarnings"));
    warnings->setFrameShape(QFrame::StyledPanel);
    warnings->setStyleSheet(
        QStringLiteral("#destructiveWarnings { border: 1px solid rgba(217, 119, 6, 0.9);"
                       " background: rgba(217, 119, 6, 0.12); border-radius: 4px; }"));
    auto *warningCaption = plainLabel(QStringLiteral("destructiveCaption"), warnings);
    warningCaption->setText(tr("⚠ Warning: these statements lose data or break "
                               "readers"));
    warningCaption->setFont(bold);
    m_warningList = plainLabel(QStringLiteral("destructiveList"), warnings);
    m_warningList->setWordWrap(true);
    m_warningList->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *warningLayout = new QVBoxLayout(warnings);
    warningLayout->setContentsMargins(8, 6, 8, 6);
    warningLayout->addWidget(warningCaption);
    warningLayout->addWidget(m_warningList);
    warnings->setAccessibleName(tr("Destructive statements"));
    warnings->hide();
    m_warnings = warnings;

    m_protectionNote = plainLabel(QStringLiteral("protectionNote"), this);
    m_protectionNote->setWordWrap(true);
    auto *confirmRow = new QHBoxLayout;
    const ProtectionVerdict verdict =
        protectionDecision(environment, m_protection, ProtectedChange::ApplyMigrations).verdict;
    if (verdict == ProtectionVerdict::NeedsTypedName) {
        m_protectionNote->setText(
            tr("%1 is protected. Type its name to enable Apply:").arg(environment));
        m_confirmName = new QLineEdit(this);
        m_confirmName->setObjectName(QStringLiteral("confirmName"));
        m_confirmName->setAccessibleName(tr("Type the environment name to confirm"));
        m_confirmName->setPlaceholderText(environment);
        m_confirmName->setClearButtonEnabled(true);
        connect(m_confirmName, &QLineEdit::textChanged, this, &MigrationDialog::updateButtons);
        // One line: the sentence in full, the field as wide as a long environment name.
        m_protectionNote->setWordWrap(false);
        m_confirmName->setMinimumWidth(fontMetrics().averageCharWidth() * 24);
        confirmRow->addWidget(m_protectionNote);
        confirmRow->addWidget(m_confirmName, 1);
        // Typing the name is the one thing to do before Apply: start there.
        m_confirmName->setFocus();
        if (revert)
            m_protectionNote->setText(
                tr("%1 is protected. Type its name to enable Revert:").arg(environment));
    } else if (verdict == ProtectionVerdict::Refused && revert) {
        m_protectionNote->setText(tr("%1 is read-only: ParityDeck never writes to it, so it "
                                     "cannot be reverted here. A dry run still checks the SQL.")
                                      .arg(environment));
        confirmRow->addWidget(m_protectionNote, 1);
    } else if (verdict == ProtectionVerdict::Refused) {
        m_protectionNote->setText(
            tr("%1 is read-only: ParityDeck never writes to it, so migrations cannot "
               "be applied here. A dry run still shows what would run.")
                .arg(environment));
        confirmRow->addWidget(m_protectionNote, 1);
    } else {
        m_protectionNote->hide();
    }

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("applyProgress"));
    m_progress->setAccessibleName(tr("Migrations applied"));
    m_progress->setFormat(tr("%v of %m"));
    m_progress->hide();
    m_progressList = new QListWidget(this);
    m_progressList->setObjectName(QStringLiteral("progressList"));
    m_progressList->setAccessibleName(tr("Apply progress"));
    m_progressList->setMaximumHeight(fontMetrics().height() * 6);
    m_progressList->hide();
    m_dryRunOutput = new QPlainTextEdit(this);
    m_dryRunOutput->setObjectName(QStringLiteral("dryRunOutput"));
    m_dryRunOutput->setAccessibleName(tr("Dry run output"));
    m_dryRunOutput->setReadOnly(true);
    m_dryRunOutput->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_dryRunOutput->setMaximumHeight(fontMetrics().height() * 8);
    m_dryRunOutput->hide();
    m_commandOutput = new QPlainTextEdit(this);
    m_commandOutput->setObjectName(QStringLiteral("commandOutput"));
    m_commandOutput->setAccessibleName(tr("Output of the migrations command"));
    m_commandOutput->setReadOnly(true);
    m_commandOutput->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_commandOutput->setMaximumBlockCount(5000);
    m_commandOutput->setMaximumHeight(fontMetrics().height() * 10);
    m_commandOutput->hide();
    m_result = plainLabel(QStringLiteral("resultText"), this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();

    m_dryRun = new QPushButton(tr("&Dry run"), this);
    m_dryRun->setObjectName(QStringLiteral("dryRunButton"));
    m_dryRun->setAccessibleName(tr("Dry run"));
    m_apply = new QPushButton(tr("&Apply"), this);
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_apply->setAccessibleName(tr("Apply migrations"));
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setAccessibleName(tr("Cancel the running migration"));
    m_cancel->setToolTip(tr("Cancel the statement that is running now: its migration is "
                            "rolled back and the rest stay pending"));
    if (!m_command.isEmpty()) {
        m_cancel->setAccessibleName(tr("Stop the migrations command"));
        m_cancel->setToolTip(tr("Stop the migrations command now (its whole process "
                                "group); what it has already committed stays "
                                "applied"));
        m_apply->setAccessibleName(tr("Run the migrations command"));
    }
    if (revert) {
        m_apply->setText(tr("&Revert"));
        m_apply->setAccessibleName(tr("Revert %1 to its migrations").arg(environment));
        m_cancel->setAccessibleName(tr("Cancel the revert"));
        m_cancel->setToolTip(tr("Stop the revert: its one transaction is rolled back "
                                "and nothing changes"));
        m_progress->setAccessibleName(tr("Revert progress"));
        m_progressList->setAccessibleName(tr("Revert progress"));
    }
    m_close = new QPushButton(tr("Close"), this);
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_close->setAccessibleName(tr("Close"));
    m_close->setAutoDefault(false);
    m_apply->setAutoDefault(false);
    m_dryRun->setAutoDefault(false);
    m_cancel->setAutoDefault(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_dryRun);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_apply);
    buttons->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_target);
    layout->addWidget(m_summary);
    layout->addWidget(m_commandNote);
    layout->addWidget(splitter, 1);
    if (m_includeDestructive)
        layout->addWidget(m_includeDestructive);
    layout->addWidget(m_warnings);
    layout->addLayout(confirmRow);
    layout->addWidget(m_dryRunOutput);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressList);
    layout->addWidget(m_commandOutput);
    layout->addWidget(m_result);
    layout->addLayout(buttons);

    connect(m_pending, &QTreeWidget::currentItemChanged, this, &MigrationDialog::showSelectedSql);
    connect(m_dryRun, &QPushButton::clicked, this, [this] { runApply(true); });
    connect(m_apply, &QPushButton::clicked, this, [this] { runApply(false); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_controller->cancel(m_environment);
        m_result->setText(m_revert              ? tr("Cancelling the revert…")
                          : m_command.isEmpty() ? tr("Cancelling after the current migration…")
                                                : tr("Stopping the migrations command…"));
        m_result->show();
        updateButtons();
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);
    connect(controller->monitor(), &StatusMonitor::statusChanged, this,
            [this](const EnvironmentStatus &status) {
                if (status.environment == m_environment)
                    m_target->setText(targetText(m_controller, m_environment));
            });
    connect(m_controller, &EnvironmentController::migrationPlanChanged, this,
            [this](const QString &env) {
                if (env == m_environment && !m_revert)
                    showPlan();
            });
    connect(m_controller, &EnvironmentController::migrationProgress, this,
            &MigrationDialog::onProgress);
    connect(m_controller, &EnvironmentController::migrationOutput, this,
            &MigrationDialog::onOutput);
    connect(m_controller, &EnvironmentController::operationStarted, this,
            &MigrationDialog::updateButtons);
    connect(m_controller, &EnvironmentController::operationFinished, this,
            &MigrationDialog::updateButtons);

    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 100, fm.height() * 34);

    if (revert) {
        // The summary says what runs, where, and what it leaves alone.
        m_summary->setText(
            tr("%1 differs from what its migrations produce in %2. This SQL undoes "
               "that in one transaction; its migration history is not changed, and "
               "nothing runs if %1 changed since it was compared.")
                .arg(environment)
                .arg(m_revert->objects.size() == 1
                         ? QStringLiteral("1 object")
                         : QStringLiteral("%1 objects").arg(m_revert->objects.size())));
        m_summary->setWordWrap(true);
        m_summary->setToolTip(m_revert->objects.join(QLatin1Char('\n')));
        connect(m_includeDestructive, &QCheckBox::toggled, this, [this](bool on) {
            Q_EMIT includeDestructiveChanged(on);
            m_revert->includeDestructive = on;
            m_waitingForScript = true;
            updateButtons();
            const quint64 serial = ++m_scriptSerial;
            whenFinished(this, QtConcurrent::run([script = m_revert->script, on] {
                             return script ? script(on) : QString();
                         }),
                         [this, serial](const QFuture<QString> &future) {
                             if (serial != m_scriptSerial || future.resultCount() == 0)
                                 return;
                             m_waitingForScript = false;
                             showRevertSql(future.result());
                         });
        });
        showRevertSql(m_revert->sql);
        return;
    }
    showPlan();
    // Always review against a fresh plan, not the one read at startup.
    m_controller->migrationStatus(m_environment);
}

MigrationDialog::~MigrationDialog() = default;

void MigrationDialog::showPlan()
{
    const auto plan = m_controller->latestPlan(m_environment);
    if (!plan) {
        m_summary->setText(tr("Reading the migration status of %1…").arg(m_environment));
        showCommandNote(nullptr);
        updateButtons();
        return;
    }
    if (!*plan) {
        m_summary->setText(
            tr("The migration status could not be read: %1").arg(errorText(plan->error())));
        m_pending->clear();
        showCommandNote(nullptr);
        updateButtons();
        return;
    }
    const MigrationPlan &p = plan->value();
    m_summary->setText(m_environment + QStringLiteral(": ") + formatSchemaState(p));
    showCommandNote(&p);
    const QString selected =
        m_pending->currentItem() ? m_pending->currentItem()->text(0) : QString();
    m_pending->clear();
    QTreeWidgetItem *select = nullptr;
    for (const PlannedMigration &m : p.migrations) {
        if (m.state == MigrationState::Applied)
            continue;
        auto *item = new QTreeWidgetItem(m_pending, {m.version, m.name, stateText(m), QString()});
        item->setToolTip(2, m.detail);
        if (m.version == selected || !select)
            select = item;
    }
    if (select)
        m_pending->setCurrentItem(select);
    m_sql->setPlaceholderText(select ? tr("Select a migration to see its SQL.")
                                     : tr("Nothing pending: the schema is up to "
                                          "date."));
    analyse(p);
    updateButtons();
}

void MigrationDialog::analyse(const MigrationPlan &plan)
{
    QList<Migration> pending;
    for (const PlannedMigration &m : plan.migrations) {
        if (m.state != MigrationState::Applied && m.migration)
            pending.append(*m.migration);
    }
    const QString folder = QFileInfo(plan.migrationsDir).fileName();
    // A refreshed plan with the same pending files (the read the dialog asks for when it
    // opens, the one after an apply) keeps the analysis it has: no flicker of Apply.
    QStringList key{folder};
    for (const Migration &m : std::as_const(pending))
        key << m.version + u':' + m.checksum;
    const QString analysisKey = key.join(u'\n');
    if (analysisKey == m_analysisKey) {
        if (!m_analysing)
            showAnalysis(m_analysis); // onto the list's new rows
        return;
    }
    m_analysisKey = analysisKey;
    const quint64 serial = ++m_analysisSerial;
    m_analysing = true;
    // Parsing (libpg_query) and decoding can take a moment for big files: off this thread.
    QFuture<Analysis> analysing = QtConcurrent::run([pending, folder] {
        Analysis analysis;
        for (const Migration &m : pending) {
            const QString file =
                folder.isEmpty() ? m.relativePath : folder + QLatin1Char('/') + m.relativePath;
            analysis.sql.insert(m.version, QString::fromUtf8(m.upSql));
            QStringList flags;
            if (!m.executable) {
                flags.append(tr("not SQL"));
                analysis.flags.insert(m.version, flags);
                continue;
            }
            auto script = SqlScript::parse(m.upSql, file, m.upFirstLine);
            if (!script) {
                analysis.parseErrors.append(errorText(script.error()));
                flags.append(tr("syntax error"));
                analysis.flags.insert(m.version, flags);
                continue;
            }
            analysis.warnings.append(script->warnings());
            if (m.noTransaction || script->runsOutsideTransaction())
                flags.append(tr("no transaction"));
            if (script->hasDestructiveStatements())
                flags.append(tr("destructive"));
            for (const SqlStatement &statement : script->statements()) {
                if (statement.destructive)
                    analysis.destructive.append(script->locate(statement) + QStringLiteral(": ") +
                                                statement.destructiveReason +
                                                QStringLiteral(" — ") + statement.summary());
            }
            analysis.flags.insert(m.version, flags);
        }
        return analysis;
    });
    whenFinished(this, analysing, [this, serial](const QFuture<Analysis> &future) {
        if (serial != m_analysisSerial || future.resultCount() == 0)
            return;
        m_analysing = false;
        showAnalysis(future.result());
    });
}

void MigrationDialog::showAnalysis(const Analysis &analysis)
{
    m_analysis = analysis;
    for (int i = 0; i < m_pending->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_pending->topLevelItem(i);
        QStringList flags = analysis.flags.value(item->text(0));
        if (item->text(2) == tr("checksum changed"))
            flags.prepend(tr("checksum changed"));
        item->setText(3, flags.join(QStringLiteral(", ")));
    }
    QStringList lines = analysis.destructive;
    for (const QString &warning : analysis.warnings)
        lines.append(tr("warning: %1").arg(warning));
    for (const QString &error : analysis.parseErrors)
        lines.append(tr("syntax error: %1").arg(error));
    m_warningList->setText(lines.join(QLatin1Char('\n')));
    m_warnings->setVisible(!lines.isEmpty());
    showSelectedSql();
    updateButtons();
}

void MigrationDialog::showSelectedSql()
{
    const QTreeWidgetItem *item = m_pending->currentItem();
    const QString sql = item ? m_analysis.sql.value(item->text(0)) : QString();
    if (m_sql->toPlainText() != sql)
        m_sql->setPlainText(sql);
}

void MigrationDialog::updateButtons()
{
    if (m_revert) {
        updateRevertButtons();
        return;
    }
    const bool busy = m_controller->isBusy(m_environment);
    const auto plan = m_controller->latestPlan(m_environment);
    const bool planOk = plan && *plan;
    const int pending = planOk ? plan->value().pendingCount() : 0;

    const ProtectionDecision protection =
        protectionDecision(m_environment, m_protection, ProtectedChange::ApplyMigrations);
    QString why;
    if (protection.verdict == ProtectionVerdict::Refused)
        why = protection.reason + QLatin1Char('.');
    else if (busy)
        why = tr("%1 is running.").arg(m_controller->runningOperation(m_environment));
    else if (!planOk)
        why = tr("The migration status is not known.");
    else if (pending == 0)
        why = tr("Nothing pending.");
    else if (m_command.isEmpty() && plan->value().hasBlockingProblems())
        // With migrations.command the tool decides, as `paritydeck migrate apply` lets it.
        why = tr("The history has problems to resolve first (see the list).");
    else if (m_analysing)
        why = tr("Reading the pending migrations…");
    else if (protection.verdict == ProtectionVerdict::NeedsTypedName &&
             (!m_confirmName || m_confirmName->text() != m_environment))
        why = tr("Type \"%1\" to confirm.").arg(m_environment);
    m_apply->setEnabled(why.isEmpty());
    if (!why.isEmpty())
        m_apply->setToolTip(why);
    else if (m_command.isEmpty())
        m_apply->setToolTip(tr("Apply %1 pending migration(s)").arg(pending));
    else
        m_apply->setToolTip(
            tr("Run `%1` against %2 (%3 pending)").arg(m_command, m_environment).arg(pending));

    QString whyNoDryRun;
    if (busy)
        whyNoDryRun = tr("%1 is running.").arg(m_controller->runningOperation(m_environment));
    else if (!planOk)
        whyNoDryRun = tr("The migration status is not known.");
    else if (pending == 0)
        whyNoDryRun = tr("Nothing pending: a dry run would have nothing to show.");
    m_dryRun->setEnabled(whyNoDryRun.isEmpty());
    if (!whyNoDryRun.isEmpty())
        m_dryRun->setToolTip(whyNoDryRun);
    else if (m_command.isEmpty())
        m_dryRun->setToolTip(tr("Show what would run, without changing anything"));
    else
        // The tool has no dry run ParityDeck can ask for; ParityDeck's own is what the CLI's
        // --dry-run does: connect, read the history, say what would run, run nothing.
        m_dryRun->setToolTip(tr("Check the connection and show what `%1` would be "
                                "run against, without running it")
                                 .arg(m_command));
    m_cancel->setEnabled(busy && m_running && m_controller->isCancellable(m_environment) &&
                         !m_controller->isCancelling(m_environment));
    if (m_confirmName)
        m_confirmName->setEnabled(!busy);
}

void MigrationDialog::runApply(bool dryRun)
{
    if (m_revert) {
        runRevert(dryRun);
        return;
    }
    if (!m_command.isEmpty()) {
        runCommand(dryRun);
        return;
    }
    const MigrationRequest request = beginRun(dryRun);
    if (!dryRun) {
        m_progress->setRange(
            0, std::max(1, m_controller->latestPlan(m_environment)->value().pendingCount()));
        m_progress->setValue(0);
        m_progress->show();
    }
    m_running = true;
    whenFinished(this, m_controller->applyMigrations(m_environment, request),
                 [this, dryRun](const QFuture<Result<ApplyReport>> &future) {
                     m_running = false;
                     onApplyFinished(outcomeOf(future), dryRun);
                 });
    updateButtons();
}

MigrationRequest MigrationDialog::beginRun(bool dryRun)
{
    MigrationRequest request;
    request.dryRun = dryRun;
    if (m_confirmName)
        request.confirmation = m_confirmName->text();
    m_result->hide();
    if (dryRun) {
        m_dryRunOutput->clear();
    } else {
        m_dryRunOutput->hide(); // a preview from before is not what runs now
        m_progressList->clear();
        m_progressList->show();
    }
    return request;
}

void MigrationDialog::showCommandNote(const MigrationPlan *plan)
{
    if (m_command.isEmpty())
        return;
    QString text = tr("Applied by the workspace's migrations command: `%1`, run in %2 with the "
                      "connection of %3 in %4 (never on its command line).")
                       .arg(m_command, m_controller->workspace().rootDir, m_environment,
                            ExternalMigrationCommand::variableNames().join(QStringLiteral(", ")));
    if (plan) {
        text += plan->historyExists
                    ? tr(" Pending is read from its history, %1 (%2).")
                          .arg(plan->historyTable, historyKindLabel(plan->historyKind))
                    : tr(" The database has no migration history yet.");
        QStringList blocking;
        for (const MigrationProblem &problem : plan->problems) {
            if (problem.blocking())
                blocking.append(problem.message);
        }
        if (!blocking.isEmpty())
            text += tr("\nThe history has problems; the command decides whether to "
                       "go ahead: ") +
                    blocking.join(QStringLiteral(" "));
    }
    m_commandNote->setText(text);
}

void MigrationDialog::runCommand(bool dryRun)
{
    const MigrationRequest request = beginRun(dryRun);
    if (!dryRun) {
        m_progressList->setMaximumHeight(fontMetrics().height() * 2 +
                                         2 * m_progressList->frameWidth() + 4);
        m_progress->setRange(0, 0); // one command, of unknown length: busy until it ends
        m_progress->setFormat(QString());
        m_progress->show();
        m_commandOutput->clear();
        m_commandOutput->show();
    }
    m_running = true;
    m_commandStarted = false;
    whenFinished(this, m_controller->applyWithCommand(m_environment, request),
                 [this, dryRun](const QFuture<Result<ExternalApplyReport>> &future) {
                     m_running = false;
                     onCommandFinished(outcomeOf(future), dryRun);
                 });
    updateButtons();
}

void MigrationDialog::onOutput(const QString &environment, const QString &line)
{
    if (environment != m_environment || !m_running)
        return;
    m_commandOutput->appendPlainText(line);
}

void MigrationDialog::onCommandFinished(const Result<ExternalApplyReport> &report, bool dryRun)
{
    m_progress->setRange(0, 1);
    m_progress->setFormat(tr("%v of %m"));
    m_progress->setValue(report ? 1 : 0);
    if (!report) {
        if (report.error().code == ErrorCode::Cancelled)
            // Cancelled while it ran, or before it started (waiting for another applier).
            m_result->setText((m_commandStarted
                                   ? tr("Cancelled: the migrations command was stopped. %1")
                                   : tr("Cancelled: %1"))
                                  .arg(errorText(report.error())));
        else
            m_result->setText((dryRun ? tr("Dry run failed: %1") : tr("Apply failed: %1"))
                                  .arg(errorText(report.error())));
        m_progress->hide();
    } else if (dryRun) {
        const MigrationPlan &plan = report->before;
        QStringList lines;
        lines.append(tr("Would run `%1` in %2 with the connection of %3 in %4.")
                         .arg(report->command, report->workingDirectory, m_environment,
                              report->variables.join(QStringLiteral(", "))));
        const QList<PlannedMigration> pending = plan.pending();
        lines.append(tr("%1 pending (head %2):")
                         .arg(pending.size())
                         .arg(plan.headVersion.isEmpty() ? tr("none") : plan.headVersion));
        for (const PlannedMigration &m : pending)
            lines.append(QStringLiteral("    %1  %2").arg(m.version, m.name));
        lines.append(tr("The command itself was not run: the statements are the "
                        "tool's to choose."));
        m_dryRunOutput->setPlainText(lines.join(QLatin1Char('\n')));
        m_dryRunOutput->show();
        m_result->setText(tr("Dry run: nothing was run or changed."));
    } else {
        // The live lines are the output; fill in only if none arrived (an empty log).
        if (m_commandOutput->document()->isEmpty() && !report->output.isEmpty())
            m_commandOutput->setPlainText(report->output);
        QStringList applied;
        for (const PlannedMigration &after : report->after.migrations) {
            if (after.state != MigrationState::Applied)
                continue;
            for (const PlannedMigration &before : report->before.migrations) {
                if (before.version == after.version && before.state != MigrationState::Applied)
                    applied.append(after.version);
            }
        }
        const auto head = [](const MigrationPlan &plan) {
            return plan.headVersion.isEmpty() ? tr("none") : plan.headVersion;
        };
        QString text = tr("Ran `%1` in %2: head %3 → %4")
                           .arg(report->command, formatDuration(report->durationMs),
                                head(report->before), head(report->after));
        text += applied.isEmpty() ? tr(", no migration applied")
                                  : tr(", applied %1: %2")
                                        .arg(applied.size())
                                        .arg(applied.join(QStringLiteral(", ")));
        const int left = report->after.pendingCount();
        text += left == 0 ? tr("; up to date.") : tr("; %1 still pending.").arg(left);
        m_result->setText(text);
        // A further run needs the name typed again.
        if (m_confirmName)
            m_confirmName->clear();
    }
    m_result->show();
    updateButtons();
}

void MigrationDialog::onProgress(const QString &environment, const MigrationProgress &progress)
{
    if (environment != m_environment || !m_running)
        return;
    if (!m_command.isEmpty()) {
        // One step: the command. Its output is the detail.
        switch (progress.phase) {
        case MigrationProgress::Phase::WaitingForLock:
            m_progressList->addItem(tr("Waiting for another applier: %1").arg(progress.message));
            break;
        case MigrationProgress::Phase::Started:
            m_commandStarted = true;
            m_progressList->addItem(tr("▶ `%1` running…").arg(progress.file));
            break;
        case MigrationProgress::Phase::Finished:
            if (QListWidgetItem *item = m_progressList->item(m_progressList->count() - 1))
                item->setText(tr("■ `%1` ended after %2")
                                  .arg(progress.file, formatDuration(progress.durationMs)));
            break;
        }
        return;
    }
    switch (progress.phase) {
    case MigrationProgress::Phase::WaitingForLock:
        m_progressList->addItem(tr("Waiting for another applier: %1").arg(progress.message));
        break;
    case MigrationProgress::Phase::Started: {
        m_progress->setRange(0, std::max(1, progress.total));
        auto *item = new QListWidgetItem(tr("▶ %1 running…").arg(progress.file));
        item->setData(Qt::UserRole, progress.version);
        m_progressList->addItem(item);
        m_progressList->scrollToItem(item);
        break;
    }
    case MigrationProgress::Phase::Finished:
        for (int i = m_progressList->count() - 1; i >= 0; --i) {
            QListWidgetItem *item = m_progressList->item(i);
            if (item->data(Qt::UserRole).toString() == progress.version) {
                item->setText(
                    tr("✓ %1 applied in %2 ms").arg(progress.file).arg(progress.durationMs));
                break;
            }
        }
        m_progress->setValue(progress.index + 1);
        break;
    }
}

void MigrationDialog::onApplyFinished(const Result<ApplyReport> &report, bool dryRun)
{
    if (!report && report.error().code == ErrorCode::Cancelled) {
        // Cancelled while a migration ran (rolled back; the error says what stays) or
        // before the first one (waiting for another applier's lock).
        m_result->setText(tr("Cancelled: %1").arg(errorText(report.error())));
    } else if (!report) {
        m_result->setText((dryRun ? tr("Dry run failed: %1") : tr("Apply failed: %1"))
                              .arg(errorText(report.error())));
    } else if (dryRun) {
        QStringList lines;
        for (const MigrationStep &step : report->steps) {
            // Singular and plural spelled out: no English translation is loaded, so a %n
            // plural would print "1 statement(s)".
            const QString statements = step.statements.size() == 1
                                           ? tr("1 statement")
                                           : tr("%1 statements").arg(step.statements.size());
            lines.append(tr("would apply %1 (%2%3)")
                             .arg(step.file, statements,
                                  step.transactional ? QString() : tr(", no transaction")));
            for (const SqlStatement &statement : step.statements)
                lines.append(QStringLiteral("    ") + statement.position() + QStringLiteral("  ") +
                             statement.summary());
            for (const QString &warning : step.destructive)
                lines.append(tr("    destructive: %1").arg(warning));
        }
        if (lines.isEmpty())
            lines.append(tr("Nothing to do: no pending migrations."));
        m_dryRunOutput->setPlainText(lines.join(QLatin1Char('\n')));
        m_dryRunOutput->show();
        m_result->setText(tr("Dry run: nothing was changed."));
    } else {
        QStringList versions;
        for (const MigrationStep &step : report->steps)
            versions.append(step.version);
        if (report->cancelled) {
            m_result->setText(tr("Cancelled after %1: the remaining migrations stay pending.")
                                  .arg(versions.isEmpty() ? tr("no migration")
                                                          : versions.join(QStringLiteral(", "))));
        } else if (versions.isEmpty()) {
            m_result->setText(tr("Nothing to do: no pending migrations."));
        } else {
            // A further apply needs the name typed again.
            if (m_confirmName)
                m_confirmName->clear();
            // What ran stays readable after the list of pending ones empties: each
            // migration with its time.
            QStringList ran;
            for (const MigrationStep &step : report->steps)
                ran.append(
                    QStringLiteral("%1 (%2)").arg(step.file, formatDuration(step.durationMs)));
            const QString ranText = ran.join(QStringLiteral(", "));
            m_result->setText(
                versions.size() == 1
                    ? tr("Applied 1 migration to %1: %2.").arg(m_environment, ranText)
                    : tr("Applied %1 migrations to %2: %3.")
                          .arg(QString::number(versions.size()), m_environment, ranText));
        }
    }
    m_result->show();
    updateButtons();
}

void MigrationDialog::showRevertSql(const QString &sql)
{
    m_revert->sql = sql;
    m_sql->setPlainText(sql);
    // The statements that would run, read as a migration's are: destructive ones listed
    // before Apply. Commented-out (skipped) statements are not statements.
    const quint64 serial = ++m_analysisSerial;
    m_analysing = true;
    updateButtons();
    const QString file = tr("revert of %1").arg(m_environment);
    whenFinished(this, QtConcurrent::run([sql, file] {
                     Analysis analysis;
                     analysis.sql.insert(QStringLiteral("revert"), sql);
                     auto script = SqlScript::parse(sql.toUtf8(), file);
                     if (!script) {
                         analysis.parseErrors.append(script.error().message);
                         return analysis;
                     }
                     for (const SqlStatement &statement : script->statements()) {
                         if (statement.destructive)
                             analysis.destructive.append(
                                 script->locate(statement) + QStringLiteral(": ") +
                                 statement.destructiveReason + QStringLiteral(" — ") +
                                 statement.summary());
                     }
                     return analysis;
                 }),
                 [this, serial](const QFuture<Analysis> &future) {
                     if (serial != m_analysisSerial || future.resultCount() == 0)
                         return;
                     m_analysing = false;
                     m_analysis = future.result();
                     QStringList lines = m_analysis.destructive;
                     for (const QString &error : std::as_const(m_analysis.parseErrors))
                         lines.append(tr("syntax error: %1").arg(error));
                     m_warningList->setText(lines.join(QLatin1Char('\n')));
                     m_warnings->setVisible(!lines.isEmpty());
                     updateButtons();
                 });
}

void MigrationDialog::updateRevertButtons()
{
    const bool busy = m_controller->isBusy(m_environment);
    const ProtectionDecision protection =
        protectionDecision(m_environment, m_protection, ProtectedChange::ApplyMigrations);
    QString notReady; // what keeps both Dry run and Revert from running
    if (busy)
        notReady = tr("%1 is running.").arg(m_controller->runningOperation(m_environment));
    else if (m_reverted)
        notReady = tr("Reverted. Compare again to review anything newer.");
    else if (m_waitingForScript)
        notReady = tr("Making the SQL…");
    else if (m_analysing)
        notReady = tr("Reading the SQL…");
    else if (!m_analysis.parseErrors.isEmpty())
        notReady = tr("The SQL has a syntax error (see the list).");
    QString why;
    if (protection.verdict == ProtectionVerdict::Refused)
        why = protection.reason + QLatin1Char('.');
    else if (!notReady.isEmpty())
        why = notReady;
    else if (protection.verdict == ProtectionVerdict::NeedsTypedName &&
             (!m_confirmName || m_confirmName->text() != m_environment))
        why = tr("Type \"%1\" to confirm.").arg(m_environment);
    m_apply->setEnabled(why.isEmpty());
    m_apply->setToolTip(
        why.isEmpty() ? tr("Apply the SQL to %1 in one transaction").arg(m_environment) : why);
    m_dryRun->setEnabled(notReady.isEmpty());
    m_dryRun->setToolTip(notReady.isEmpty()
                             ? tr("Check that %1 is still as it was compared and show "
                                  "what would run, without changing anything")
                                   .arg(m_environment)
                             : notReady);
    m_cancel->setEnabled(busy && m_running && m_controller->isCancellable(m_environment) &&
                         !m_controller->isCancelling(m_environment));
    m_includeDestructive->setEnabled(!busy && !m_reverted);
    if (m_confirmName)
        m_confirmName->setEnabled(!busy && !m_reverted);
}

void MigrationDialog::runRevert(bool dryRun)
{
    RevertRequest request;
    request.environment = m_environment;
    request.sql = m_revert->sql;
    request.reviewedFingerprint = m_revert->liveFingerprint;
    request.objects = m_revert->objects;
    request.dryRun = dryRun;
    request.confirmationSource = ConfirmationSource::Dialog;
    const MigrationRequest run = beginRun(dryRun);
    request.confirmation = run.confirmation;
    if (!dryRun) {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->show();
    }
    m_running = true;
    const QFuture<Result<RevertReport>> future = m_controller->revertToMigrations(request);
    whenFinished(this, future, [this, dryRun](const QFuture<Result<RevertReport>> &finished) {
        m_running = false;
        onRevertFinished(outcomeOf(finished), dryRun);
    });
    if (!dryRun)
        Q_EMIT revertStarted(future);
    updateButtons();
}

void MigrationDialog::onRevertFinished(const Result<RevertReport> &report, bool dryRun)
{
    if (!report) {
        const QString reason = ui::errorText(report.error());
        m_result->setText(report.error().code == ErrorCode::Cancelled
                              ? tr("Cancelled: %1").arg(reason)
                          : dryRun ? tr("Dry run failed: %1").arg(reason)
                                   : tr("Revert failed: %1").arg(reason));
        m_progress->hide();
    } else if (dryRun) {
        QStringList lines{tr("%1 is still as it was compared; would run %2 in one "
                             "transaction:")
                              .arg(m_environment)
                              .arg(report->statements == 1
                                       ? tr("1 statement")
                                       : tr("%1 statements").arg(report->statements))};
        for (const QString &summary : report->summaries)
            lines.append(QStringLiteral("    ") + summary);
        for (const QString &warning : std::as_const(m_analysis.destructive))
            lines.append(tr("    destructive: %1").arg(warning));
        m_dryRunOutput->setPlainText(lines.join(QLatin1Char('\n')));
        m_dryRunOutput->show();
        m_result->setText(tr("Dry run: nothing was changed."));
    } else {
        m_reverted = true;
        m_progress->setValue(1);
        if (m_confirmName)
            m_confirmName->clear();
        // The progress list keeps what ran; the result says it in one sentence.
        m_result->setText(tr("Reverted %1 to its migrations: %2 in %3.")
                              .arg(m_environment,
                                   report->statements == 1
                                       ? tr("1 statement")
                                       : tr("%1 statements").arg(report->statements),
                                   formatDuration(report->durationMs)));
    }
    m_result->show();
    updateButtons();
}

} // namespace pd::ui
