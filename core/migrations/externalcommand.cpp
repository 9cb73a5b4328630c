#include "migrations/externalcommand.h"

#include "db/connection.h"
#include "migrations/migrationhistory.h"
#include "secrets/secretmask.h"
#include "services/shellcommand.h"
#include "workspace/protection.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <csignal>

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace pd {

namespace {

// Enough for the error a tool prints, small enough for an audit line and a JSON field.
constexpr qint64 kKeptOutputBytes = 64 * 1024;

// libpq keywords that may come from the environment's URL and have a libpq variable.
const QList<std::pair<const char *, const char *>> &optionVariables()
{
    static const QList<std::pair<const char *, const char *>> map = {
        {"sslmode", "PGSSLMODE"}, {"sslrootcert", "PGSSLROOTCERT"},
        {"sslcert", "PGSSLCERT"}, {"sslkey", "PGSSLKEY"},
        {"sslcrl", "PGSSLCRL"},   {"target_session_attrs", "PGTARGETSESSIONATTRS"},
        {"options", "PGOPTIONS"}, {"gssencmode", "PGGSSENCMODE"},
    };
    return map;
}

QString inEnvironment(const QString &environment, const QString &message)
{
    return environment.isEmpty() ? message : environment + QStringLiteral(": ") + message;
}

QString planSummary(const MigrationPlan &plan)
{
    return QStringLiteral("head %1, %2 pending%3")
        .arg(plan.headVersion.isEmpty() ? QStringLiteral("none") : plan.headVersion)
        .arg(plan.pendingCount())
        .arg(plan.hasBlockingProblems() ? QStringLiteral(", with problems") : QString());
}

QString lastLines(const QString &text, int count)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(QLatin1Char('\n'));
}

struct CommandOutcome
{
    enum class End { Exited, Crashed, TimedOut, Cancelled } end = End::Exited;
    int exitCode = 0;
    QByteArray output;
};

// How long a stopped command gets to end by itself before its process group is killed.
constexpr int kStopGraceMs = 3000;

void stopGroup(QProcess &process, qint64 pid)
{
    // Its own process group: whatever the tool spawned (a Node or Python child) goes too.
    const pid_t group = pid_t(-pid);
    ::kill(group, SIGTERM);
    QElapsedTimer grace;
    grace.start();
    process.waitForFinished(kStopGraceMs);
    // The shell may end at once while something it started ignores SIGTERM; that one is
    // killed when the grace period is over like the rest.
    while (::kill(group, 0) == 0 && grace.elapsed() < kStopGraceMs)
        QThread::msleep(50);
    if (::kill(group, 0) == 0)
        ::kill(group, SIGKILL);
    if (process.state() != QProcess::NotRunning)
        process.waitForFinished(5000);
}

// Hands complete lines of the growing output file to options.outputLine.
class LineFollower final
{
public:
    LineFollower(const ExternalApplyOptions &options, const QList<SecretValue> &secrets)
        : m_options(options)
        , m_secrets(secrets)
    {
    }
    void poll(const QString &path, bool finished)
    {
        if (!m_options.outputLine)
            return;
        if (!m_file.isOpen()) {
            m_file.setFileName(path);
            if (!m_file.open(QIODevice::ReadOnly))
                return;
        }
        m_pending += m_file.readAll();
        qsizetype newline;
        while ((newline = m_pending.indexOf('\n')) >= 0) {
            emitLine(m_pending.left(newline));
            m_pending.remove(0, newline + 1);
        }
        // A line without end (a progress bar) is shown once it is long or the tool is done.
        if (!m_pending.isEmpty() && (finished || m_pending.size() > 4096)) {
            emitLine(m_pending);
            m_pending.clear();
        }
    }

private:
    void emitLine(QByteArray line)
    {
        if (line.endsWith('\r'))
            line.chop(1);
        m_options.outputLine(maskSecrets(QString::fromUtf8(line), m_secrets));
    }
    const ExternalApplyOptions &m_options;
    const QList<SecretValue> &m_secrets;
    QFile m_file;
    QByteArray m_pending;
};

// `lockSocket`: the socket of the session holding ParityDeck's migration lock, or -1.
Result<CommandOutcome> runCommand(const ExternalApplyOptions &options,
                                  const QProcessEnvironment &environment,
                                  const QList<SecretValue> &secrets, int lockSocket)
{
    // Output goes to a file rather than a pipe: a tool that leaves a process behind would
    // otherwise keep our pipe open.
    QTemporaryDir scratch(QDir::tempPath() + QStringLiteral("/paritydeck-migrate-XXXXXX"));
    if (!scratch.isValid())
        return Error(
            ErrorCode::Runtime, ErrorKind::NoTemporaryFolder,
            {ErrorArg::phraseOf(QStringLiteral("what"),
                                QT_TRANSLATE_NOOP("pd::ErrorMessage", "migrations command")),
             ErrorArg::text(QStringLiteral("detail"), scratch.errorString())});
    const QString outPath = scratch.filePath(QStringLiteral("output"));
    QProcess process;
    process.setProgram(QStringLiteral("/bin/sh"));
    process.setArguments({QStringLiteral("-c"), options.command});
    if (!options.workingDirectory.isEmpty())
        process.setWorkingDirectory(options.workingDirectory);
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(outPath);
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([parent, lockSocket] {
        // Its own process group, so stopping it stops whatever the tool started.
        ::setpgid(0, 0);
        // ParityDeck killed outright (SIGKILL, a crash) cannot stop the group: the shell is
        // told to stop when the thread that started it is gone (it waits in runCommand()
        // for as long as the command runs) …
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::raise(SIGTERM);
        // … and the migration lock lives exactly as long as the command: the command's
        // processes inherit the locking session's socket, so the server ends that session
        // (and releases the lock) only when ParityDeck has ended it or when the last of
        // them, leftovers included, has exited. A second applier waits for an orphan.
        if (lockSocket >= 0) {
            const int flags = ::fcntl(lockSocket, F_GETFD);
            if (flags >= 0)
                ::fcntl(lockSocket, F_SETFD, flags & ~FD_CLOEXEC);
        }
    });
    process.start();
    if (!process.waitForStarted(10000))
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot run the migrations command: %1").arg(process.errorString()));
    const qint64 pid = process.processId();
    CommandOutcome outcome;
    LineFollower follower(options, secrets);
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        follower.poll(outPath, false);
        if (process.waitForFinished(100))
            break;
        if (process.state() == QProcess::NotRunning)
            break;
        if (options.cancel && options.cancel->load()) {
            stopGroup(process, pid);
            outcome.end = CommandOutcome::End::Cancelled;
            break;
        }
        if (options.timeoutMs > 0 && clock.elapsed() >= options.timeoutMs) {
            stopGroup(process, pid);
            outcome.end = CommandOutcome::End::TimedOut;
            break;
        }
    }
    if (outcome.end == CommandOutcome::End::Exited) {
        if (process.exitStatus() == QProcess::CrashExit)
            outcome.end = CommandOutcome::End::Crashed;
        outcome.exitCode = process.exitCode();
    }
    follower.poll(outPath, true);
    outcome.output = readFileTail(outPath, kKeptOutputBytes);
    return outcome;
}

QString percent(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

} // namespace

QStringList ExternalMigrationCommand::variableNames()
{
    return {QStringLiteral("PGHOST"), QStringLiteral("PGPORT"),     QStringLiteral("PGDATABASE"),
            QStringLiteral("PGUSER"), QStringLiteral("PGPASSWORD"), QStringLiteral("DATABASE_URL")};
}

QString ExternalMigrationCommand::databaseUrl(const ConnectionParams &params, bool withPassword)
{
    QString url = QStringLiteral("postgresql://");
    if (!params.user.isEmpty()) {
        url += percent(params.user);
        if (withPassword && !params.password.isEmpty())
            url += QLatin1Char(':') + percent(params.password.revealString());
        url += QLatin1Char('@');
    }
    QStringList query;
    const bool socket = params.host.startsWith(QLatin1Char('/'));
    if (socket) {
        query << QStringLiteral("host=") + percent(params.host)
              << QStringLiteral("port=") + QString::number(params.port);
    } else {
        // IPv6 literals need brackets in a URL.
        url += params.host.contains(QLatin1Char(':'))
                   ? QLatin1Char('[') + params.host + QLatin1Char(']')
                   : params.host;
        url += QLatin1Char(':') + QString::number(params.port);
    }
    url += QLatin1Char('/') + percent(params.dbname);
    for (auto it = params.options.cbegin(); it != params.options.cend(); ++it)
        query << percent(it.key()) + QLatin1Char('=') + percent(it.value());
    if (!query.isEmpty())
        url += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return url;
}

QProcessEnvironment ExternalMigrationCommand::environmentFor(const ConnectionParams &params,
                                                             const QString &environmentName,
                                                             QProcessEnvironment base)
{
    // A service file or a host address inherited from the user's shell would silently
    // point the tool at another server.
    for (const char *overriding : {"PGSERVICE", "PGSERVICEFILE", "PGHOSTADDR", "PGREQUIRESSL"})
        base.remove(QLatin1String(overriding));
    base.insert(QStringLiteral("PGHOST"), params.host);
    base.insert(QStringLiteral("PGPORT"), QString::number(params.port));
    base.insert(QStringLiteral("PGDATABASE"), params.dbname);
    if (params.user.isEmpty())
        base.remove(QStringLiteral("PGUSER"));
    else
        base.insert(QStringLiteral("PGUSER"), params.user);
    if (params.password.isEmpty())
        base.remove(QStringLiteral("PGPASSWORD"));
    else
        base.insert(QStringLiteral("PGPASSWORD"), params.password.revealString());
    base.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QString::number(params.connectTimeoutSeconds));
    for (const auto &[keyword, variable] : optionVariables()) {
        const QString value = params.options.value(QLatin1String(keyword));
        if (!value.isEmpty())
            base.insert(QLatin1String(variable), value);
    }
    base.insert(QStringLiteral("DATABASE_URL"), databaseUrl(params, true));
    if (!environmentName.isEmpty())
        base.insert(QStringLiteral("PARITYDECK_ENVIRONMENT"), environmentName);
    return base;
}

Result<ExternalApplyReport> ExternalMigrationCommand::apply(const ConnectionParams &params,
                                                            const MigrationSet &set,
                                                            const ExternalApplyOptions &options,
                                                            ExternalApplyReport *partial)
{
    const QString &env = options.environment;
    ExternalApplyReport local;
    ExternalApplyReport &report = partial ? (*partial = {}, *partial) : local;
    report.command = options.command;
    report.workingDirectory = options.workingDirectory;
    report.variables = variableNames();
    report.dryRun = options.dryRun;
    // 1. Protection, before anything connects or runs.
    if (!options.dryRun) {
        if (auto allowed =
                checkProtection(env, options.protection, ProtectedChange::ApplyMigrations,
                                options.confirmation, options.confirmationSource);
            !allowed)
            return Error(ErrorCode::Protected, ErrorKind::RefusedCommandNotRun,
                         {allowed.error().asArg(QStringLiteral("reason"))});
    }
    if (options.command.trimmed().isEmpty())
        return Error(ErrorCode::Config, ErrorKind::MigrationsCommandEmpty, {});

    auto opened = Connection::open(params);
    if (!opened)
        return opened.error().inEnvironment(env);
    Connection &connection = opened.value();
    const QString key = QString::number(MigrationRunner::advisoryLockKey());
    bool locked = false;
    const auto unlock = qScopeGuard([&] {
        if (locked && connection.isOpen())
            (void)connection.exec(QStringLiteral("SELECT pg_advisory_unlock($1::bigint)"), {key},
                                  10'000);
    });

    // 2. One applier at a time, as with ParityDeck's own runner.
    if (!options.dryRun) {
        auto tried =
            connection.exec(QStringLiteral("SELECT pg_try_advisory_lock($1::bigint)"), {key});
        if (!tried)
            return tried.error().inEnvironment(env);
        if (tried->value(0, 0) != QLatin1String("t")) {
            if (options.progress) {
                MigrationProgress progress;
                progress.phase = MigrationProgress::Phase::WaitingForLock;
                progress.message = QStringLiteral("another ParityDeck applier holds the migration "
                                                  "lock of this database");
                options.progress(progress);
            }
            auto waited = MigrationRunner::waitForLock(connection, key, options.lockTimeoutMs,
                                                       options.cancel);
            if (!waited) {
                QString why;
                switch (waited.error().code) {
                case ErrorCode::Cancelled:
                    why = QStringLiteral("cancelled while another ParityDeck applier held the "
                                         "migration lock");
                    break;
                case ErrorCode::Timeout:
                    why = QStringLiteral("another ParityDeck applier held the migration lock "
                                         "for more than %1 s")
                              .arg(options.lockTimeoutMs / 1000.0, 0, 'g', 3);
                    break;
                default:
                    why =
                        QStringLiteral("waiting for the migration lock: ") + waited.error().message;
                }
                return Error(waited.error().code,
                             inEnvironment(env, why + QStringLiteral("; the command was not run")));
            }
        }
        locked = true;
    }

    auto before = MigrationRunner::status(connection, set);
    if (!before)
        return before.error().inEnvironment(env);
    report.before = *before;
    report.after = *before;
    report.beforeRead = true;
    report.afterRead = options.dryRun;
    if (options.dryRun)
        return report;

    QList<SecretValue> secrets{params.password};
    if (!params.password.isEmpty())
        secrets << SecretValue(QUrl::toPercentEncoding(params.password.revealString()));

    MigrationProgress progress;
    progress.total = 1;
    progress.version = options.command;
    progress.name = options.command;
    progress.file = options.command;
    if (options.progress)
        options.progress(progress);
    QElapsedTimer clock;
    clock.start();
    const QProcessEnvironment childEnvironment =
        environmentFor(params, env, QProcessEnvironment::systemEnvironment());
    auto ran = runCommand(options, childEnvironment, secrets, PQsocket(connection.native()));
    report.durationMs = clock.elapsed();
    if (!ran)
        return ran.error().inEnvironment(env);
    report.exited = ran->end == CommandOutcome::End::Exited;
    report.output = maskSecrets(QString::fromUtf8(ran->output), secrets);
    report.exitCode = ran->exitCode;

    // 3. What the tool did, from the database itself.
    auto after = MigrationRunner::status(connection, set);
    const QString afterText =
        after ? planSummary(*after) : QStringLiteral("unknown (%1)").arg(after.error().message);
    if (after) {
        report.after = *after;
        report.afterRead = true;
    }
    if (options.progress) {
        progress.phase = MigrationProgress::Phase::Finished;
        progress.durationMs = report.durationMs;
        options.progress(progress);
    }

    QString failure;
    ErrorCode code = ErrorCode::Runtime;
    switch (ran->end) {
    case CommandOutcome::End::Exited:
        if (ran->exitCode != 0)
            failure = QStringLiteral("exited with code %1").arg(ran->exitCode);
        break;
    case CommandOutcome::End::Crashed:
        failure = QStringLiteral("was killed by a signal");
        break;
    case CommandOutcome::End::TimedOut:
        failure = QStringLiteral("did not finish within %1 s and was stopped")
                      .arg((options.timeoutMs + 999) / 1000);
        code = ErrorCode::Timeout;
        break;
    case CommandOutcome::End::Cancelled:
        failure = QStringLiteral("was cancelled and stopped");
        code = ErrorCode::Cancelled;
        break;
    }
    if (!failure.isEmpty()) {
        QString message = QStringLiteral("the migrations command `%1` %2 after %3 ms; history "
                                         "before: %4, after: %5")
                              .arg(maskSecrets(options.command, secrets), failure)
                              .arg(report.durationMs)
                              .arg(planSummary(report.before), afterText);
        const QString tail = lastLines(report.output, 20);
        if (!tail.isEmpty())
            message += QStringLiteral("\n") + tail;
        return Error(code, inEnvironment(env, message));
    }
    if (!after) {
        return Error(after.error().code,
                     inEnvironment(env, QStringLiteral("the migrations command finished, but the "
                                                       "history cannot be read again: %1")
                                            .arg(after.error().message)));
    }
    return report;
}

} // namespace pd
