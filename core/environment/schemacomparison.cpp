#include "environment/schemacomparison.h"

#include "audit/auditlog.h"
#include "common/errors.h"
#include "db/connection.h"
#include "environment/resolvedconnection.h"
#include "migrations/migrationrunner.h"
#include "migrations/sqlscript.h"
#include "schema/fingerprint.h"
#include "schema/introspector.h"
#include "schema/sqlgenerator.h"
#include "secrets/secretresolver.h"
#include "workspace/protection.h"

#include <QElapsedTimer>
#include <QPromise>
#include <QSet>
#include <QThreadPool>
#include <QtConcurrent>

namespace pd {

namespace {

Error cancelledComparison()
{
    return errors::comparisonCancelled();
}

const QString RevertAction = QStringLiteral("revert");

// `operation`: the id of the "started" entry this one ends (empty for a refusal, which
// never started). `secrets`: values masked out of the line.
void auditRevert(const AuditLog &audit, const RevertRequest &request, const Error *error,
                 qint64 durationMs, const QString &detail, const QString &operation = {},
                 const QList<SecretValue> &secrets = {})
{
    AuditEntry entry =
        auditEntryFor(request.environment, RevertAction,
                      revertAuditTarget(request.reviewedFingerprint), error, durationMs, detail);
    // A failure says what went wrong and still names what it was to revert.
    if (error && !detail.isEmpty())
        entry.detail = error->message + QStringLiteral(" — ") + detail;
    entry.operation = operation;
    if (auto written = audit.append(entry, secrets); !written)
        qWarning("could not write the audit log: %s", qPrintable(written.error().message));
}

// "table public.hotfix, column public.accounts.note": what the entry reverts.
QString revertedObjects(const RevertRequest &request)
{
    return request.objects.isEmpty() ? QStringLiteral("(objects not named)")
                                     : request.objects.join(QStringLiteral(", "));
}

// The passwords a set of environments needs, in a form resolveAll() takes and a lookup
// can be built from afterwards.
struct PasswordRefs
{
    QStringList environments;
    QList<SecretRef> references;

    void add(const Workspace &workspace, const QString &name)
    {
        const EnvironmentConfig *env = workspace.environment(name);
        if (env && env->database.password && !environments.contains(name)) {
            environments.append(name);
            references.append(*env->database.password);
        }
    }
    QHash<QString, Result<SecretValue>> passwords(const QList<Result<SecretValue>> &resolved) const
    {
        QHash<QString, Result<SecretValue>> byName;
        for (qsizetype i = 0; i < environments.size() && i < resolved.size(); ++i)
            byName.insert(environments.at(i), resolved.at(i));
        return byName;
    }
};

} // namespace

QString ComparedSchemas::fromEnvironment() const
{
    return from.kind == SchemaSide::Kind::Environment ? from.environment : QString();
}

QString ComparedSchemas::toEnvironment() const
{
    return to.kind == SchemaSide::Kind::Environment ? to.environment : QString();
}

QString ComparedSchemas::driftEnvironment() const
{
    const auto isDriftPair = [](const SchemaSide &live, const SchemaSide &expected) {
        return live.kind == SchemaSide::Kind::Environment &&
               expected.kind == SchemaSide::Kind::Migrations &&
               live.environment == expected.environment;
    };
    if (isDriftPair(from, to))
        return from.environment;
    if (isDriftPair(to, from))
        return to.environment;
    return {};
}

Result<SchemaDiff> compareSchemaSides(const Workspace &workspace, const SchemaSide &from,
                                      const SchemaSide &to, const ConnectionLookup &lookup,
                                      const std::atomic_bool *cancel, std::atomic_bool *fromRead,
                                      std::atomic_bool *toRead)
{
    const SchemaFilter filter = schemaFilterFor(workspace);
    // Both sides at once: usually two servers. A local pool, so this never waits for a
    // thread of the pool it runs on.
    QThreadPool local;
    QFuture<Result<SchemaSnapshot>> fromFuture = QtConcurrent::run(&local, [&] {
        auto snapshot = resolveSchemaSide(workspace, from, filter, lookup, cancel);
        if (fromRead)
            *fromRead = true;
        return snapshot;
    });
    const Result<SchemaSnapshot> toSnapshot =
        resolveSchemaSide(workspace, to, filter, lookup, cancel);
    if (toRead)
        *toRead = true;
    fromFuture.waitForFinished();
    const Result<SchemaSnapshot> fromSnapshot = fromFuture.result();
    if (!fromSnapshot)
        return fromSnapshot.error().inEnvironment(from.spec);
    if (!toSnapshot)
        return toSnapshot.error().inEnvironment(to.spec);
    if (cancel && *cancel)
        return cancelledComparison();
    return diff(*fromSnapshot, *toSnapshot);
}

QString revertSql(const SchemaSnapshot &live, const SchemaSnapshot &expected, bool unsafe,
                  const QStringList &onlyIds)
{
    SchemaDiff reverting = diff(live, expected);
    if (!onlyIds.isEmpty()) {
        const QSet<QString> keep(onlyIds.cbegin(), onlyIds.cend());
        reverting.changes.removeIf(
            [&keep](const ObjectChange &change) { return !keep.contains(change.id); });
    }
    SqlOptions options;
    options.unsafe = unsafe;
    options.transaction = false;
    options.header = true;
    return generateSql(reverting, options);
}

QString revertAuditTarget(const QByteArray &reviewedFingerprint)
{
    return QStringLiteral("schema ") + QString::fromLatin1(reviewedFingerprint.left(12));
}

Result<RevertReport>
revertToMigrations(const Workspace &workspace, const RevertRequest &request,
                   const ConnectionLookup &lookup, const AuditLog &audit,
                   const std::atomic_bool *cancel,
                   const std::function<void(const MigrationProgress &)> &progress)
{
    QElapsedTimer clock;
    clock.start();
    const EnvironmentConfig *env = workspace.environment(request.environment);
    if (!env)
        return errors::noEnvironment(request.environment);
    QString operation; // the "started" entry, once it runs
    QList<SecretValue> secrets;
    const auto fail = [&](const Error &error) -> Result<RevertReport> {
        // A dry run changes nothing: nothing to audit.
        if (!request.dryRun)
            auditRevert(audit, request, &error, clock.elapsed(), revertedObjects(request),
                        operation, secrets);
        return error;
    };
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    const Error cancelledError = errors::revertCancelled();
    if (!request.dryRun) {
        if (auto allowed = checkProtection(*env, ProtectedChange::ApplyMigrations,
                                           request.confirmation, request.confirmationSource);
            !allowed)
            return fail(allowed.error());
    }
    auto script =
        SqlScript::parse(request.sql.toUtf8(), QStringLiteral("revert of %1").arg(env->name));
    if (!script)
        return fail(script.error());
    auto statements = script->executableStatements();
    if (!statements)
        return fail(statements.error());
    if (script->runsOutsideTransaction())
        return fail(Error(ErrorCode::Runtime, ErrorKind::RevertNeedsTransaction, {}));
    auto params = lookup(*env);
    if (!params)
        return fail(params.error());
    secrets.append(params->password);
    // Before it runs: a revert killed half-way still leaves its start.
    if (!request.dryRun)
        operation =
            audit.begin(env->name, RevertAction, revertAuditTarget(request.reviewedFingerprint),
                        revertedObjects(request));
    auto connection = Connection::open(*params);
    if (!connection)
        return fail(connection.error());
    MigrationProgress step;
    step.total = 1;
    step.version = QStringLiteral("revert");
    step.name = QStringLiteral("revert to migrations");
    step.file = QStringLiteral("revert of %1").arg(env->name);
    if (!request.dryRun) {
        // The runner's lock: a revert never runs beside an apply of the same database.
        const QString key = QString::number(MigrationRunner::advisoryLockKey());
        auto locked =
            connection->scalar(QStringLiteral("SELECT pg_try_advisory_lock($1::bigint)"), {key});
        if (!locked)
            return fail(locked.error());
        if (*locked != QLatin1String("t")) {
            if (progress) {
                MigrationProgress waiting = step;
                waiting.phase = MigrationProgress::Phase::WaitingForLock;
                waiting.message = QStringLiteral("another applier holds the migration lock");
                progress(waiting);
            }
            if (auto waited = MigrationRunner::waitForLock(*connection, key, 120 * 1000, cancel);
                !waited)
                return fail(waited.error());
        }
    }
    if (cancelled())
        return fail(cancelledError);
    // What was reviewed must still be what is there: SQL made for another schema could do
    // something nobody looked at.
    auto live = introspect(*connection, schemaFilterFor(workspace));
    if (!live)
        return fail(live.error());
    if (fingerprint(*live) != request.reviewedFingerprint)
        return fail(Error(
            ErrorCode::Runtime,
            QStringLiteral("%1 changed since it was compared; nothing was changed. Compare again "
                           "and review the new SQL.")
                .arg(env->name)));
    RevertReport report;
    report.environment = env->name;
    report.dryRun = request.dryRun;
    report.statements = int(statements->size());
    for (const SqlStatement &statement : std::as_const(*statements))
        report.summaries.append(statement.position() + QStringLiteral("  ") + statement.summary());
    if (request.dryRun) {
        report.durationMs = clock.elapsed();
        return report;
    }
    if (progress) {
        step.phase = MigrationProgress::Phase::Started;
        progress(step);
    }
    QElapsedTimer ran;
    ran.start();
    if (auto begun = connection->exec(QStringLiteral("BEGIN")); !begun)
        return fail(begun.error());
    for (const SqlStatement &statement : std::as_const(*statements)) {
        // One transaction: stopping half-way rolls everything back.
        if (cancelled()) {
            (void)connection->exec(QStringLiteral("ROLLBACK"));
            return fail(cancelledError);
        }
        if (auto done = connection->exec(statement.sql); !done) {
            (void)connection->exec(QStringLiteral("ROLLBACK"));
            return fail(Error(done.error().code, QStringLiteral("%1 (line %2); nothing was changed")
                                                     .arg(done.error().message)
                                                     .arg(statement.line)));
        }
    }
    if (auto committed = connection->exec(QStringLiteral("COMMIT")); !committed)
        return fail(committed.error());
    if (progress) {
        step.phase = MigrationProgress::Phase::Finished;
        step.durationMs = ran.elapsed();
        progress(step);
    }
    report.durationMs = clock.elapsed();
    auditRevert(audit, request, nullptr, report.durationMs,
                QStringLiteral("%1 %2 applied to match the migrations: %3")
                    .arg(report.statements)
                    .arg(report.statements == 1 ? QStringLiteral("statement")
                                                : QStringLiteral("statements"),
                         revertedObjects(request)),
                operation, secrets);
    return report;
}

struct SchemaComparison::Job
{
    std::atomic_bool cancel = false;
    std::atomic<Stage> stage = Stage::Parsing;
    std::atomic_bool fromRead = false;
    std::atomic_bool toRead = false;
};

SchemaComparison::SchemaComparison(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
{
}

void SchemaComparison::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
}

SchemaComparison::~SchemaComparison()
{
    cancel();
}

void SchemaComparison::cancel()
{
    if (m_job)
        m_job->cancel = true;
}

SchemaComparison::Progress SchemaComparison::progress() const
{
    if (!m_job)
        return {};
    return {m_job->stage.load(), m_job->fromRead.load(), m_job->toRead.load()};
}

QFuture<Result<ComparedSchemas>> SchemaComparison::compare(const QString &fromSpec,
                                                           const QString &toSpec)
{
    cancel();
    auto job = std::make_shared<Job>();
    m_job = job;
    // Finished by the last step; when this object goes first, a continuation that never
    // runs drops its copy and the promise finishes cancelled.
    auto promise = std::make_shared<QPromise<Result<ComparedSchemas>>>();
    QFuture<Result<ComparedSchemas>> future = promise->future();
    promise->start();
    const auto finish = [promise](Result<ComparedSchemas> result) {
        promise->addResult(std::move(result));
        promise->finish();
    };
    struct Sides
    {
        Result<SchemaSide> from;
        Result<SchemaSide> to;
    };
    // Classifying a side may ask the file system whether a path exists: not on this thread.
    QtConcurrent::run(panelWorkPool(), [workspace = m_workspace, fromSpec, toSpec] {
        return Sides{parseSchemaSide(workspace, fromSpec), parseSchemaSide(workspace, toSpec)};
    }).then(this, [this, job, finish](const Sides &sides) {
        if (job->cancel)
            return finish(cancelledComparison());
        if (!sides.from)
            return finish(sides.from.error());
        if (!sides.to)
            return finish(sides.to.error());
        PasswordRefs refs;
        for (const SchemaSide &side : {*sides.from, *sides.to})
            for (const QString &name : environmentsNeededFor(m_workspace, side))
                refs.add(m_workspace, name);
        job->stage = Stage::Passwords;
        resolveAll(*m_resolver, refs.references)
            .then(this, [this, job, finish, refs, from = *sides.from,
                         to = *sides.to](const QList<Result<SecretValue>> &resolved) {
                if (job->cancel)
                    return finish(cancelledComparison());
                job->stage = Stage::Reading;
                const ConnectionLookup lookup =
                    connectionLookupWith(m_workspace, refs.passwords(resolved));
                (void)QtConcurrent::run(panelWorkPool(), [workspace = m_workspace, from, to, lookup,
                                                          job, finish] {
                    auto compared = compareSchemaSides(workspace, from, to, lookup, &job->cancel,
                                                       &job->fromRead, &job->toRead);
                    job->stage = Stage::Done;
                    if (!compared)
                        return finish(compared.error());
                    ComparedSchemas result;
                    result.from = from;
                    result.to = to;
                    result.fromLabel = schemaSideLabel(from);
                    result.toLabel = schemaSideLabel(to);
                    result.diff = std::move(compared).value();
                    finish(std::move(result));
                });
            });
    });
    return future;
}

QFuture<Result<RevertReport>> SchemaComparison::revert(const RevertRequest &request)
{
    const EnvironmentConfig *env = m_workspace.environment(request.environment);
    if (!env)
        return QtFuture::makeReadyFuture(
            Result<RevertReport>(errors::noEnvironment(request.environment)));
    // A refusal needs no password: the core function audits it and touches nothing.
    const bool allowed =
        request.dryRun ||
        bool(checkProtection(*env, ProtectedChange::ApplyMigrations, request.confirmation));
    PasswordRefs refs;
    if (allowed)
        refs.add(m_workspace, env->name);
    return resolveAll(*m_resolver, refs.references)
        .then(panelWorkPool(), [workspace = m_workspace, request, refs,
                                audit = m_audit](const QList<Result<SecretValue>> &resolved) {
            return revertToMigrations(workspace, request,
                                      connectionLookupWith(workspace, refs.passwords(resolved)),
                                      audit);
        });
}

} // namespace pd
