#include "migrations/migrationrunner.h"

#include "common/errors.h"
#include "db/connection.h"
#include "workspace/protection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QThread>
#include <QtEndian>

#include <algorithm>
#include <climits>

namespace pd {

namespace {

Q_LOGGING_CATEGORY(lcMigrations, "paritydeck.migrations")

QString joinVersions(const QList<MigrationStep> &steps)
{
    QStringList versions;
    for (const MigrationStep &s : steps)
        versions << s.version;
    return versions.join(QStringLiteral(", "));
}

// What was applied before a failure, for the end of the error sentence.
QString appliedBefore(const QList<MigrationStep> &steps)
{
    if (steps.isEmpty())
        return QStringLiteral("no migration was applied in this run");
    return QStringLiteral("%1 applied before it stay applied").arg(joinVersions(steps));
}

// `reason`: the parameter "reason" (text or a phrase) and whatever its phrase asks for.
Error refusal(const QString &environment, QList<ErrorArg> reason)
{
    return Error(ErrorCode::Runtime, ErrorKind::NothingApplied, std::move(reason))
        .inEnvironment(environment);
}

// Releases the session-level advisory lock on every way out of a run. Closing the
// connection would release it as well; saying so explicitly keeps the lock's lifetime
// visible in the server's log and independent of when the connection object dies.
class AdvisoryLockRelease final
{
public:
    AdvisoryLockRelease(Connection &connection, QString key)
        : m_connection(connection)
        , m_key(std::move(key))
    {
    }
    ~AdvisoryLockRelease()
    {
        if (m_held && m_connection.isOpen())
            (void)m_connection.exec(QStringLiteral("SELECT pg_advisory_unlock($1::bigint)"),
                                    {m_key}, 10'000);
    }
    AdvisoryLockRelease(const AdvisoryLockRelease &) = delete;
    AdvisoryLockRelease &operator=(const AdvisoryLockRelease &) = delete;
    void held() { m_held = true; }

private:
    Connection &m_connection;
    QString m_key;
    bool m_held = false;
};

// Checks the plan for anything that should stop an apply; the message carries the remedy.
Result<void> checkPlan(const MigrationPlan &plan, const ApplyOptions &options)
{
    QStringList blocking;
    for (const MigrationProblem &p : plan.problems) {
        switch (p.kind) {
        case MigrationProblem::Kind::ChecksumChanged:
            if (!options.allowChanged)
                blocking << p.message;
            break;
        case MigrationProblem::Kind::OutOfOrder:
            if (!options.allowOutOfOrder)
                blocking << p.message;
            break;
        case MigrationProblem::Kind::Failed:
        case MigrationProblem::Kind::Dirty:
            blocking << p.message;
            break;
        case MigrationProblem::Kind::Missing:
        case MigrationProblem::Kind::Warning:
            break;
        }
    }
    if (!blocking.isEmpty())
        return refusal(options.environment, {ErrorArg::text(QStringLiteral("reason"),
                                                            blocking.join(QStringLiteral("; ")))});
    return {};
}

QString lockHolder(Connection &connection, qint64 key)
{
    // Advisory lock keys show up split into two 32-bit halves in pg_locks.
    auto holder = connection.exec(
        QStringLiteral(
            "SELECT l.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, '') "
            "FROM pg_catalog.pg_locks l "
            "LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "  AND l.database = (SELECT oid FROM pg_catalog.pg_database "
            "                    WHERE datname = current_database()) "
            "  AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint "
            "LIMIT 1"),
        {QString::number(key)});
    if (!holder || holder->rowCount() == 0)
        return QStringLiteral("another session");
    QStringList who;
    if (const QString user = holder->value(0, 2); !user.isEmpty())
        who << QStringLiteral("user ") + user;
    if (const QString application = holder->value(0, 1); !application.isEmpty())
        who << QStringLiteral("application ") + application;
    QString text = QStringLiteral("backend pid ") + holder->value(0, 0);
    if (!who.isEmpty())
        text += QStringLiteral(" (") + who.join(QStringLiteral(", ")) + QLatin1Char(')');
    return text;
}

struct Prepared
{
    const Migration *migration = nullptr;
    SqlScript script;
    MigrationStep step;
};

// Parses every migration that is about to run, so a syntax error anywhere stops the run
// before the first statement.
Result<QList<Prepared>> prepare(const MigrationSet &set, const QList<PlannedMigration> &targets)
{
    QList<Prepared> list;
    for (const PlannedMigration &p : targets) {
        const Migration *m = set.find(p.version);
        Q_ASSERT(m);
        const QString file = MigrationRunner::displayPath(set, *m);
        auto script = SqlScript::parse(m->upSql, file, m->upFirstLine);
        if (!script)
            return script.error();
        if (m->noTransaction)
            script->setNoTransactionMarker(true);
        auto statements = script->executableStatements();
        if (!statements)
            return statements.error();
        Prepared prepared;
        prepared.migration = m;
        prepared.step.version = m->version;
        prepared.step.name = m->name;
        prepared.step.file = file;
        prepared.step.transactional = !script->runsOutsideTransaction();
        prepared.step.statements = *statements;
        prepared.step.warnings = script->warnings();
        for (const SqlStatement &s : std::as_const(*statements)) {
            if (s.destructive)
                prepared.step.destructive
                    << script->locate(s) + QStringLiteral(": ") + s.destructiveReason;
        }
        prepared.script = std::move(script).value();
        list << prepared;
    }
    return list;
}

QString recordSql(bool repeatable)
{
    // Repeatable migrations are recorded again on every run; versioned ones exactly once
    // (a conflict means someone applied it without the lock, and must fail loudly).
    QString sql = QStringLiteral(
        "INSERT INTO paritydeck.schema_migrations (version, name, checksum, duration_ms, success) "
        "VALUES ($1, $2, $3, $4::integer, $5::boolean)");
    if (repeatable) {
        sql += QStringLiteral(" ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, "
                              "checksum = EXCLUDED.checksum, applied_at = now(), "
                              "applied_by = current_user, duration_ms = EXCLUDED.duration_ms, "
                              "success = EXCLUDED.success");
    }
    return sql;
}

class Applier final
{
public:
    Applier(Connection &connection, const ApplyOptions &options)
        : m_connection(connection)
        , m_options(options)
    {
    }

    // Runs one migration; on failure the error names the file position and what remains.
    // A cancellation (options.cancel) while it runs cancels the running statement; the
    // error (ErrorCode::Cancelled) then says what of the migration stays.
    Result<void> run(Prepared &p, const QList<MigrationStep> &done)
    {
        QElapsedTimer timer;
        timer.start();
        if (p.step.transactional) {
            if (auto begin = exec(QStringLiteral("BEGIN")); !begin)
                return failure(p, nullptr, begin.error(), done, true);
            // One statement of the migration; a failure rolls the whole migration back.
            const auto runStatement = [&](const SqlStatement &s) -> Result<void> {
                auto r = execCancellable(s.sql);
                if (r)
                    return {};
                rollback();
                if (cancelled(r.error()))
                    return cancellation(p, &s, done, true, 0, false);
                return failure(p, &s, r.error(), done, true);
            };
            // The migration's own SET TRANSACTION (its isolation level) is only valid before
            // the transaction's first query: it runs before the opening hook's.
            const QList<SqlStatement> &statements = p.step.statements;
            const qsizetype settings = transactionSettingsAtStart(statements);
            for (qsizetype i = 0; i < settings; ++i) {
                if (auto ran = runStatement(statements.at(i)); !ran)
                    return ran;
            }
            if (auto opened = hook(m_options.opening, true); !opened) {
                rollback();
                return failure(p, nullptr, opened.error(), done, true);
            }
            for (qsizetype i = settings; i < statements.size(); ++i) {
                if (auto ran = runStatement(statements.at(i)); !ran)
                    return ran;
            }
            if (auto closed = hook(m_options.closing, true); !closed) {
                rollback();
                return failure(p, nullptr, closed.error(), done, true);
            }
            if (auto r = execCancellable(recordSql(p.migration->repeatable),
                                         recordParams(p, timer.elapsed(), true));
                !r) {
                rollback();
                if (cancelled(r.error()))
                    return cancellation(p, nullptr, done, true, 0, false);
                return failure(p, nullptr, r.error(), done, true);
            }
            // The last moment a cancellation can still keep the migration out: COMMIT
            // itself is never cancelled, its outcome would be unknown.
            if (isCancelled()) {
                rollback();
                return cancellation(p, nullptr, done, true, 0, false);
            }
            if (auto commit = exec(QStringLiteral("COMMIT")); !commit) {
                if (m_connection.isOpen())
                    return failure(p, nullptr, commit.error(), done, true);
                // The COMMIT may have reached the server before the connection went: the
                // outcome is unknown here, but the history row shares the transaction, so
                // the database itself knows.
                return Error(ErrorCode::Runtime, ErrorKind::CommitOutcomeUnknown,
                             {ErrorArg::text(QStringLiteral("version"), p.step.version),
                              ErrorArg::text(QStringLiteral("file"), p.step.file),
                              commit.error().asArg(QStringLiteral("detail")),
                              ErrorArg::text(QStringLiteral("applied"), appliedBefore(done))})
                    .inEnvironment(m_options.environment);
            }
        } else {
            if (auto opened = hook(m_options.opening, false); !opened)
                return failure(p, nullptr, opened.error(), done, false);
            for (qsizetype i = 0; i < p.step.statements.size(); ++i) {
                const SqlStatement &s = p.step.statements.at(i);
                auto r = execCancellable(s.sql);
                if (!r && cancelled(r.error())) {
                    // Confirmed: that statement did not happen; the ones before it did.
                    const bool unconfirmed = !m_connection.isOpen();
                    Error e = cancellation(p, &s, done, false, int(i), unconfirmed);
                    if (i > 0 || unconfirmed) {
                        if (auto recorded = record(p, timer.elapsed(), false); !recorded) {
                            e.message += QStringLiteral("; it could not be recorded as failed "
                                                        "(%1)")
                                             .arg(recorded.error().message);
                        }
                    }
                    return e;
                }
                if (!r)
                    return failureRecorded(p, &s, r.error(), done, timer.elapsed());
            }
            if (auto closed = hook(m_options.closing, false); !closed)
                return failureRecorded(p, nullptr, closed.error(), done, timer.elapsed());
            if (auto r = record(p, timer.elapsed(), true); !r)
                return failure(p, nullptr, r.error(), done, false);
        }
        p.step.durationMs = timer.elapsed();
        return {};
    }

private:
    Result<QueryResult> exec(const QString &sql, const QStringList &params = {})
    {
        return m_connection.exec(sql, params, m_options.statementTimeoutMs);
    }

    // A migration's own statements: a cancellation stops them where they are.
    Result<QueryResult> execCancellable(const QString &sql, const QStringList &params = {})
    {
        return m_connection.exec(sql, params, m_options.statementTimeoutMs, m_options.cancel);
    }

    bool isCancelled() const { return m_options.cancel && m_options.cancel->load(); }

    Result<void> hook(const ApplyOptions::MigrationHook &call, bool inTransaction)
    {
        return call ? call(m_connection, inTransaction) : Result<void>();
    }

    // The statement failed because the run was cancelled (not a cancel from elsewhere,
    // such as pg_cancel_backend(), which stays a failure).
    bool cancelled(const Error &error) const
    {
        return error.code == ErrorCode::Cancelled && isCancelled();
    }

    void rollback()
    {
        // After a lost connection there is nothing to roll back: the server already did.
        if (m_connection.isOpen())
            (void)m_connection.exec(QStringLiteral("ROLLBACK"), {}, 10'000);
    }

    static QStringList recordParams(const Prepared &p, qint64 ms, bool success)
    {
        const Migration &m = *p.migration;
        return {m.version, m.name, m.checksum, QString::number(qMin<qint64>(ms, INT_MAX)),
                success ? QStringLiteral("true") : QStringLiteral("false")};
    }

    Result<QueryResult> record(const Prepared &p, qint64 ms, bool success)
    {
        return exec(recordSql(p.migration->repeatable), recordParams(p, ms, success));
    }

    // What a failure and a cancellation both say first: the environment (as a prefix), the
    // migration, where it stopped, and the statement there (`at`; null: none).
    QList<ErrorArg> statementArgs(const Prepared &p, const QString &where,
                                  const SqlStatement *at) const
    {
        const QString &env = m_options.environment;
        return {env.isEmpty()
                    ? ErrorArg::text(QStringLiteral("inEnvironment"), QString())
                    : ErrorArg::phraseOf(QStringLiteral("inEnvironment"),
                                         QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment}: ")),
                ErrorArg::text(QStringLiteral("environment"), env),
                ErrorArg::text(QStringLiteral("version"), p.step.version),
                ErrorArg::text(QStringLiteral("where"), where),
                at ? ErrorArg::phraseOf(QStringLiteral("statement"),
                                        QT_TRANSLATE_NOOP("pd::ErrorMessage", " ({summary})"))
                   : ErrorArg::text(QStringLiteral("statement"), QString()),
                ErrorArg::text(QStringLiteral("summary"), at ? at->summary() : QString())};
    }

    // A migration stopped by a cancellation at `at` (null: after its statements, before
    // COMMIT). Outside a transaction, the `ran` statements before `at` stay applied, and
    // `unconfirmed` says the server never confirmed the cancel of `at`.
    Error cancellation(const Prepared &p, const SqlStatement *at, const QList<MigrationStep> &done,
                       bool transactional, int ran, bool unconfirmed) const
    {
        QList<ErrorArg> args = statementArgs(p, at ? p.script.locate(*at) : p.step.file, at);
        args << ErrorArg::text(QStringLiteral("applied"), appliedBefore(done));
        if (transactional)
            return Error(ErrorCode::Cancelled, ErrorKind::MigrationCancelledRolledBack,
                         std::move(args));
        args << (unconfirmed
                     ? ErrorArg::phraseOf(QStringLiteral("unconfirmed"),
                                          QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                            " (the server did not confirm the "
                                                            "cancellation: that statement may "
                                                            "still complete)"))
                     : ErrorArg::text(QStringLiteral("unconfirmed"), QString()));
        if (ran == 0 && !unconfirmed) {
            args << ErrorArg::phraseOf(QStringLiteral("ran"),
                                       QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                         "none of its statements was applied, "
                                                         "and it stays pending"));
        } else {
            QStringList before;
            for (int i = 0; i < ran; ++i) {
                const SqlStatement &s = p.step.statements.at(i);
                before << p.script.locate(s) + QStringLiteral(" (") + s.summary() +
                              QLatin1Char(')');
            }
            args << ErrorArg::phraseOf(
                        QStringLiteral("ran"),
                        QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                          "the statements before that one stay applied "
                                          "({statements}) and {version} is recorded as failed — "
                                          "check the database, repair by hand if needed, then "
                                          "delete its history row"))
                 << ErrorArg::text(QStringLiteral("statements"),
                                   before.isEmpty() ? QStringLiteral("none")
                                                    : before.join(QStringLiteral(", ")));
        }
        return Error(ErrorCode::Cancelled, ErrorKind::MigrationCancelledOutsideTransaction,
                     std::move(args));
    }

    // A migration outside a transaction failed after statements of it may have committed:
    // it is recorded as failed, so the next apply stops until someone has looked at the
    // database.
    Error failureRecorded(const Prepared &p, const SqlStatement *at, const Error &cause,
                          const QList<MigrationStep> &done, qint64 ms)
    {
        const auto recorded = record(p, ms, false);
        Error e = failure(p, at, cause, done, false);
        if (!recorded) {
            e.message += QStringLiteral("; it could not be recorded as failed either (%1)")
                             .arg(recorded.error().message);
        }
        return e;
    }

    Error failure(const Prepared &p, const SqlStatement *at, const Error &cause,
                  const QList<MigrationStep> &done, bool transactional) const
    {
        QString where = p.step.file;
        QString detail = cause.message;
        if (at) {
            where = p.script.locate(*at);
            // The server's position is relative to the statement; point into the file.
            static const QRegularExpression relative(
                QStringLiteral(", line (\\d+), column (\\d+)\\)"));
            const auto m = relative.match(detail);
            if (m.hasMatch()) {
                const int line = m.captured(1).toInt();
                const int column = m.captured(2).toInt();
                where = QStringLiteral("%1:%2:%3")
                            .arg(p.step.file)
                            .arg(at->line + line - 1)
                            .arg(line == 1 ? at->column + column - 1 : column);
                detail.replace(m.capturedStart(), m.capturedLength(), QStringLiteral(")"));
            }
        }
        QList<ErrorArg> args = statementArgs(p, where, at);
        // The server's words and the list of what was applied stay as they are.
        args << ErrorArg::text(QStringLiteral("detail"), detail)
             << ErrorArg::text(QStringLiteral("applied"), appliedBefore(done));
        const ErrorCode code =
            cause.code == ErrorCode::Timeout ? ErrorCode::Timeout : ErrorCode::Runtime;
        return Error(code,
                     transactional ? ErrorKind::MigrationFailedRolledBack
                                   : ErrorKind::MigrationFailedOutsideTransaction,
                     std::move(args));
    }

    Connection &m_connection;
    const ApplyOptions &m_options;
};

} // namespace

namespace {

// Baseline: history rows for migrations whose effect is already in the database, in one
// transaction, without running them.
Result<ApplyReport> recordAsApplied(Connection &connection, const MigrationSet &set,
                                    const MigrationPlan &plan,
                                    const QList<PlannedMigration> &targets,
                                    const ApplyOptions &options, ApplyReport report)
{
    for (const PlannedMigration &p : targets) {
        MigrationStep step;
        step.version = p.version;
        step.name = p.name;
        step.file = MigrationRunner::displayPath(set, *p.migration);
        report.steps << step;
    }
    if (options.dryRun || targets.isEmpty())
        return report;
    QStringList script;
    if (!plan.historyExists)
        script << MigrationHistoryReader::parityDeckTableDdl();
    script << QStringLiteral("BEGIN;");
    auto result = connection.exec(script.join(QLatin1Char('\n')), {}, options.statementTimeoutMs);
    for (qsizetype i = 0; result && i < targets.size(); ++i) {
        const Migration &m = *targets.at(i).migration;
        result = connection.exec(
            recordSql(m.repeatable),
            {m.version, m.name, m.checksum, QStringLiteral("0"), QStringLiteral("true")},
            options.statementTimeoutMs);
    }
    if (result)
        result = connection.exec(QStringLiteral("COMMIT"), {}, options.statementTimeoutMs);
    if (!result) {
        if (connection.isOpen())
            (void)connection.exec(QStringLiteral("ROLLBACK"), {}, 10'000);
        return Error(result.error().code, ErrorKind::BaselineNotRecorded,
                     {result.error().asArg(QStringLiteral("reason"))})
            .inEnvironment(options.environment);
    }
    return report;
}

} // namespace

Result<void> MigrationRunner::waitForLock(Connection &connection, const QString &keyText,
                                          int timeoutMs, const std::atomic_bool *cancel)
{
    constexpr qint64 kPollMs = 200;
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        if (cancel && cancel->load())
            return Error(ErrorCode::Cancelled, ErrorKind::LockWaitCancelled, {});
        const qint64 left = timeoutMs > 0 ? timeoutMs - clock.elapsed() : kPollMs;
        if (left <= 0)
            return Error(ErrorCode::Timeout, ErrorKind::LockNotFree,
                         {ErrorArg::text(QStringLiteral("seconds"),
                                         QString::number(timeoutMs / 1000.0, 'g', 3))});
        QThread::msleep(quint64(std::min(kPollMs, left)));
        auto tried = connection.exec(QStringLiteral("SELECT pg_try_advisory_lock($1::bigint)"),
                                     {keyText}, 10'000);
        if (!tried) {
            // Not the lock's timeout: the server did not answer one try (Runtime, so it is
            // never reported as "held the lock for more than …").
            return Error(tried.error().code == ErrorCode::Timeout ? ErrorCode::Runtime
                                                                  : tried.error().code,
                         ErrorKind::LockTryFailed, {tried.error().asArg(QStringLiteral("reason"))});
        }
        if (tried->value(0, 0) == QLatin1String("t"))
            return {};
    }
}

qint64 MigrationRunner::advisoryLockKey()
{
    static const qint64 key = [] {
        const QByteArray digest =
            QCryptographicHash::hash(QByteArrayLiteral("paritydeck"), QCryptographicHash::Sha256);
        return qFromBigEndian<qint64>(digest.constData());
    }();
    return key;
}

QString MigrationRunner::displayPath(const MigrationSet &set, const Migration &migration)
{
    const QString folder = QFileInfo(set.dir).fileName();
    return folder.isEmpty() ? migration.relativePath
                            : folder + QLatin1Char('/') + migration.relativePath;
}

Result<MigrationPlan> MigrationRunner::status(Connection &connection, const MigrationSet &set)
{
    auto histories = MigrationHistoryReader::readAll(connection);
    if (!histories)
        return histories.error();
    return MigrationPlanner::plan(set, *histories);
}

Result<MigrationPlan> MigrationRunner::status(const ConnectionParams &params,
                                              const MigrationSet &set)
{
    auto connection = Connection::open(params);
    if (!connection)
        return connection.error();
    return status(connection.value(), set);
}

Result<ApplyReport> MigrationRunner::apply(const ConnectionParams &params, const MigrationSet &set,
                                           const ApplyOptions &options, ApplyReport *partial)
{
    ApplyReport local;
    return run(params, set, options, Mode::Apply, partial ? (*partial = {}, *partial) : local);
}

Result<ApplyReport> MigrationRunner::baseline(const ConnectionParams &params,
                                              const MigrationSet &set, const ApplyOptions &options,
                                              ApplyReport *partial)
{
    ApplyReport local;
    return run(params, set, options, Mode::Baseline, partial ? (*partial = {}, *partial) : local);
}

Result<ApplyReport> MigrationRunner::run(const ConnectionParams &params, const MigrationSet &set,
                                         const ApplyOptions &options, Mode mode,
                                         ApplyReport &report)
{
    report.dryRun = options.dryRun;
    // 1. Protection, before a connection exists: a refusal executes nothing at all.
    if (!options.dryRun) {
        const ProtectedChange change =
            mode == Mode::Baseline ? ProtectedChange::Baseline : ProtectedChange::ApplyMigrations;
        if (auto allowed = checkProtection(options.environment, options.protection, change,
                                           options.confirmation, options.confirmationSource);
            !allowed)
            return Error(ErrorCode::Protected, ErrorKind::RefusedNothingApplied,
                         {allowed.error().asArg(QStringLiteral("reason"))});
    }

    auto opened = Connection::open(params);
    if (!opened)
        return opened.error().inEnvironment(options.environment);
    Connection &connection = opened.value();
    const qint64 key = advisoryLockKey();
    const QString keyText = QString::number(key);

    // 2. The lock. The first query also lifts the session's statement_timeout to the
    // migration timeout while the session is idle (Connection raises it only then).
    AdvisoryLockRelease lock(connection, keyText);
    if (!options.dryRun) {
        auto tried = connection.exec(QStringLiteral("SELECT pg_try_advisory_lock($1::bigint)"),
                                     {keyText}, options.statementTimeoutMs);
        if (!tried)
            return tried.error().inEnvironment(options.environment);
        if (tried->value(0, 0) != QLatin1String("t")) {
            const QString holder = lockHolder(connection, key);
            if (options.progress) {
                MigrationProgress progress;
                progress.phase = MigrationProgress::Phase::WaitingForLock;
                progress.message = QStringLiteral("waiting for %1, which is applying "
                                                  "migrations to this database")
                                       .arg(holder);
                options.progress(progress);
            }
            auto waited = waitForLock(connection, keyText, options.lockTimeoutMs, options.cancel);
            if (!waited && waited.error().code == ErrorCode::Cancelled) {
                return Error(ErrorCode::Cancelled, ErrorKind::CancelledWaitingForHolder,
                             {ErrorArg::text(QStringLiteral("holder"), holder)})
                    .inEnvironment(options.environment);
            }
            if (!waited && waited.error().code == ErrorCode::Timeout) {
                return Error(ErrorCode::Timeout, ErrorKind::LockHeldTooLong,
                             {ErrorArg::text(QStringLiteral("holder"), holder),
                              ErrorArg::number(QStringLiteral("seconds"),
                                               options.lockTimeoutMs / 1000)})
                    .inEnvironment(options.environment);
            }
            if (!waited) {
                return Error(waited.error().code, ErrorKind::LockWaitFailed,
                             {waited.error().asArg(QStringLiteral("reason"))})
                    .inEnvironment(options.environment);
            }
        }
        lock.held();
    }

    // 3. The plan, read under the lock.
    auto plan = status(connection, set);
    if (!plan)
        return plan.error().inEnvironment(options.environment);
    report.plan = *plan;
    report.planRead = true;

    if (auto ok = checkPlan(*plan, options); !ok)
        return ok.error();

    QList<PlannedMigration> targets;
    int targetIndex = set.migrations.size() - 1;
    if (!options.targetVersion.isEmpty()) {
        targetIndex = set.indexOfTarget(options.targetVersion);
        if (targetIndex < 0) {
            return errors::noMigrationWithVersion(options.targetVersion, set.dir);
        }
    }
    for (const PlannedMigration &p : plan->migrations) {
        if (p.state != MigrationState::Pending)
            continue;
        const int index = set.indexOf(p.version);
        // Repeatables run after every versioned migration, so a target stops them too.
        if (index <= targetIndex)
            targets << p;
    }
    if (!targets.isEmpty() && !plan->writable()) {
        return refusal(
            options.environment,
            {ErrorArg::phraseOf(QStringLiteral("reason"),
                                QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                  "this database's migrations are tracked by "
                                                  "{tool} in {table}; ParityDeck reads that "
                                                  "history but writes only its own. Apply them "
                                                  "with {tool} (or set migrations.command in "
                                                  "paritydeck.yaml)")),
             ErrorArg::text(QStringLiteral("tool"), historyKindLabel(plan->historyKind)),
             ErrorArg::text(QStringLiteral("table"), plan->historyTable)});
    }
    if (mode == Mode::Baseline)
        return recordAsApplied(connection, set, *plan, targets, options, report);
    if (!targets.isEmpty() && set.format == MigrationFormat::Alembic) {
        return refusal(options.environment,
                       {ErrorArg::phraseOf(QStringLiteral("reason"),
                                           QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                             "Alembic revisions are Python and "
                                                             "ParityDeck does not run them; use "
                                                             "`alembic upgrade head` (or set "
                                                             "migrations.command in "
                                                             "paritydeck.yaml)"))});
    }

    // 4. Parse everything that will run before running anything.
    auto prepared = prepare(set, targets);
    if (!prepared) {
        Error e = prepared.error();
        e.message += QStringLiteral("; nothing was applied");
        return e;
    }
    if (options.dryRun) {
        for (const Prepared &p : std::as_const(*prepared))
            report.steps << p.step;
        return report;
    }
    if (prepared->isEmpty())
        return report;

    // 5. Apply.
    if (!plan->historyExists) {
        if (auto created = connection.exec(MigrationHistoryReader::parityDeckTableDdl(), {},
                                           options.statementTimeoutMs);
            !created) {
            return Error(created.error().code, ErrorKind::HistoryTableNotCreated,
                         {ErrorArg::text(QStringLiteral("table"),
                                         MigrationHistoryReader::parityDeckTable()),
                          created.error().asArg(QStringLiteral("reason"))})
                .inEnvironment(options.environment);
        }
    }
    // ParityDeck's own session settings, which every migration starts with.
    const auto ownSettings = [&]() -> Result<void> {
        if (options.tableLockTimeoutMs > 0) {
            // Session-wide, so it covers non-transactional migrations too; a migration may
            // still SET its own.
            auto timeout = connection.exec(
                QStringLiteral("SET lock_timeout = %1").arg(options.tableLockTimeoutMs));
            if (!timeout)
                return timeout.error();
        }
        return {};
    };
    if (auto settings = ownSettings(); !settings)
        return settings.error().inEnvironment(options.environment);
    Applier applier(connection, options);
    const int total = int(prepared->size());
    for (int i = 0; i < total; ++i) {
        if (options.cancel && options.cancel->load()) {
            report.cancelled = true;
            break;
        }
        // 6. Every migration starts from the session the first one had: a SET search_path,
        // SET ROLE, temporary table or statement_timeout left by the one before must not
        // change what this one does, or an environment migrated in one run would get
        // another schema than one migrated a step at a time (and the expected schema,
        // built in one run, would differ from both).
        if (i > 0) {
            auto reset = connection.resetSession(options.statementTimeoutMs);
            if (reset)
                reset = ownSettings();
            if (!reset) {
                Error e = reset.error().inEnvironment(options.environment);
                e.message += QStringLiteral(" (while resetting the session before %1; %2)")
                                 .arg(prepared->at(i).step.file, appliedBefore(report.steps));
                return e;
            }
        }
        Prepared &p = prepared.value()[i];
        MigrationProgress progress;
        progress.index = i;
        progress.total = total;
        progress.version = p.step.version;
        progress.name = p.step.name;
        progress.file = p.step.file;
        if (options.progress)
            options.progress(progress);
        qCDebug(lcMigrations).noquote()
            << "applying" << p.step.file << "to" << params.displayTarget();
        if (auto ran = applier.run(p, report.steps); !ran) {
            return ran.error();
        }
        report.steps << p.step;
        if (options.progress) {
            progress.phase = MigrationProgress::Phase::Finished;
            progress.durationMs = p.step.durationMs;
            options.progress(progress);
        }
    }
    return report;
}

} // namespace pd
