#include "branches/gitrepository.h"
#include "common/errors.h"
#include "common/result.h"
#include "db/pgerror.h"
#include "environment/environmentstatus.h"
#include "migrations/migrationsource.h"
#include "migrations/sqlscript.h"
#include "secrets/dotenv.h"
#include "secrets/secretvalue.h"
#include "services/healthprobe.h"
#include "workspace/migrationformat.h"
#include "workspace/protection.h"
#include "workspace/workspaceloader.h"

#include <QMap>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pd;

class TestResult final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valueAndErrorAreDistinct()
    {
        Result<int> good(42);
        QVERIFY(good.ok());
        QCOMPARE(good.value(), 42);
        Result<int> bad(Error(ErrorCode::Config, QStringLiteral("broken")));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().message, QStringLiteral("broken"));
        QCOMPARE(exitCodeFor(bad.error().code), 2);
        QCOMPARE(exitCodeFor(ErrorCode::Refused), 3);
    }
    void defaultResultIsAnError()
    {
        Result<QString> r;
        QVERIFY(!r.ok());
    }
    void aggregatePrecedenceErrorWins()
    {
        QCOMPARE(aggregateState({StatusState::Up, StatusState::Down}), StatusState::Down);
        QCOMPARE(aggregateState({StatusState::Down, StatusState::Error, StatusState::Up}),
                 StatusState::Error);
        QCOMPARE(aggregateState({StatusState::Up, StatusState::Up}), StatusState::Up);
        QCOMPARE(aggregateState({StatusState::Up, StatusState::Unknown}), StatusState::Unknown);
        QCOMPARE(aggregateState({StatusState::Down, StatusState::Unknown}), StatusState::Down);
        QCOMPARE(aggregateState({}), StatusState::Unknown);
    }
    void secretValueNeverPrints()
    {
        SecretValue v = SecretValue::fromString(QStringLiteral("hunter2-top"));
        QString printed;
        QDebug(&printed) << v;
        QVERIFY(!printed.contains(QStringLiteral("hunter2")));
        QVERIFY(printed.contains(SecretValue::masked()));
        QCOMPARE(v.toString(), SecretValue::masked());
        QCOMPARE(v.revealString(), QStringLiteral("hunter2-top"));
        SecretValue copy = v;
        v.clear();
        QCOMPARE(copy.revealString(), QStringLiteral("hunter2-top"));
    }

    // Structured errors (common/errormessage.h): the sentence is data, composed once.
    void templatesFillNamedParametersOncePerPass()
    {
        const QList<ErrorArg> args{
            ErrorArg::text(QStringLiteral("address"), QStringLiteral("{user}")),
            ErrorArg::text(QStringLiteral("user"), QStringLiteral("app"))};
        const auto english = [](const char *text) { return QString::fromUtf8(text); };
        // A value holding "{…}" (a server's words) is copied, not expanded; an unknown
        // name stays visible.
        QCOMPARE(composeErrorText(QStringLiteral("{user} at {address}, {nope}"), args, english),
                 QStringLiteral("app at {user}, {nope}"));
    }

    void connectionFailuresKeepTheirSentenceAndCarryTheirParameters()
    {
        ConnectionParams params;
        params.user = QStringLiteral("app");
        const Error refused = pgerror::connectError(
            params, QStringLiteral("127.0.0.1:5433"),
            QStringLiteral("connection to server at \"127.0.0.1\", port 5433 failed: Connection "
                           "refused\n\tIs the server running on that host?"));
        QCOMPARE(refused.code, ErrorCode::Refused);
        QCOMPARE(refused.message, QStringLiteral("connection refused at 127.0.0.1:5433"));
        QCOMPARE(refused.kind, ErrorKind::ConnectionRefused);
        QVERIFY(refused.isStructured());
        QCOMPARE(refused.args.size(), 1);
        QCOMPARE(refused.args.first().value, QStringLiteral("127.0.0.1:5433"));

        const Error timeout = pgerror::connectTimeout(params, QStringLiteral("db:5432"), 7);
        QCOMPARE(timeout.message, QStringLiteral("timed out after 7s connecting to db:5432"));
        QCOMPARE(timeout.kind, ErrorKind::ConnectTimedOut);

        // A message rewritten after the fact is free text again: nobody composes a stale one.
        Error rewritten = refused;
        rewritten.message.prepend(QStringLiteral("dev: "));
        QVERIFY(!rewritten.isStructured());
    }

    void configErrorsKeepFileLineAndColumnApart()
    {
        const Error at =
            ConfigError{QStringLiteral("a.yaml"), 3, 7, QStringLiteral("bad")}.toError();
        QCOMPARE(at.code, ErrorCode::Config);
        QCOMPARE(at.kind, ErrorKind::ConfigAtPosition);
        QCOMPARE(at.message, QStringLiteral("a.yaml:3:7: bad"));
        // A file or folder name with a line break or an escape stays on the error's one
        // line; the detail (a parser's or a server's message) keeps its own lines.
        const Error odd =
            ConfigError{QStringLiteral("a\nb/\x1b[2Jw.yaml"), 3, 7, QStringLiteral("bad\nhint")}
                .toError();
        QCOMPARE(odd.message, QStringLiteral("a\\nb/\\x1b[2Jw.yaml:3:7: bad\nhint"));
        QCOMPARE(
            (ConfigError{QStringLiteral("a.yaml"), 0, 0, QStringLiteral("bad")}.toError().kind),
            ErrorKind::ConfigInFile);
        const Error parsed =
            WorkspaceLoader::parse("version: 1\nproject: [\n", QStringLiteral("w.yaml")).error();
        QVERIFY(parsed.isStructured());
        QVERIFY(parsed.message.startsWith(QStringLiteral("w.yaml:")));
    }

    // Every kind has a template, and an example of it as core builds it fills every name the
    // template and its phrases ask for: no "{name}" is left in the sentence. A new kind
    // fails here until it has both.
    void everyKindHasATemplateAndItsExamplesFillIt()
    {
        QMap<ErrorKind, QList<Error>> examples;
        const auto add = [&examples](const Error &error) { examples[error.kind].append(error); };
        const auto ready = [&add](const Result<void> &result) {
            QVERIFY(!result.ok());
            add(result.error());
        };
        ConnectionParams params;
        params.user = QStringLiteral("app");
        const QString address = QStringLiteral("127.0.0.1:5433");
        for (const char *libpq :
             {"connection to server at \"127.0.0.1\", port 5433 failed: Connection refused",
              "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  password "
              "authentication failed for user \"app\"",
              "connection to server at \"127.0.0.1\", port 5433 failed: fe_sendauth: no "
              "password supplied",
              "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  role \"app\" "
              "does not exist",
              "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  database "
              "\"app\" does not exist",
              "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  no "
              "pg_hba.conf entry for host",
              "connection to server on socket \"/tmp/.s.PGSQL.5433\" failed: No such file or "
              "directory",
              "could not translate host name \"db.invalid\" to address: Name or service not "
              "known",
              "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  the database "
              "system is starting up",
              "connection to server at \"10.0.0.1\", port 5433 failed: No route to host",
              "something libpq never says"})
            add(pgerror::connectError(params, address, QString::fromUtf8(libpq)));
        add(pgerror::connectTimeout(params, address, 7));
        for (int line : {0, 3})
            for (int column : {0, 7})
                add(ConfigError{QStringLiteral("a.yaml"), line, column, QStringLiteral("bad")}
                        .toError());
        add(ConfigError{QString(), 0, 0, QStringLiteral("bad")}.toError());
        for (Protection level : {Protection::Confirm, Protection::ReadOnly})
            for (const QString &typed : {QString(), QStringLiteral("wrong")})
                for (ConfirmationSource source :
                     {ConfirmationSource::Dialog, ConfirmationSource::CommandLine})
                    for (ProtectedChange change :
                         {ProtectedChange::ApplyMigrations, ProtectedChange::ScratchDatabase,
                          ProtectedChange::RevealSecret})
                        ready(
                            checkProtection(QStringLiteral("prod"), level, change, typed, source));
        ready(checkProtection(QStringLiteral("prod"), Protection(42),
                              ProtectedChange::ApplyMigrations, QString(),
                              ConfirmationSource::Dialog));
        add(errors::noEnvironment(QStringLiteral("qa")));
        add(errors::stillRunning(QStringLiteral("dev"), QStringLiteral("Applying migrations")));
        add(errors::cancelled());
        add(errors::operationAbandoned());
        add(errors::driftCheckCancelled());
        add(errors::comparisonCancelled());
        add(errors::revertCancelled());
        add(errors::migrationsCancelledPending());
        add(errors::shuttingDown());
        // Health probes, really run: a closed port on this machine, a command that fails.
        const auto probe = [&add](HealthProbeConfig::Kind kind, const QString &target) {
            HealthProbeConfig config;
            config.kind = kind;
            config.target = target;
            config.timeoutSeconds = 5;
            const Result<void> checked = checkHealth(config, HealthContext());
            QVERIFY(!checked.ok());
            add(checked.error());
        };
        probe(HealthProbeConfig::Kind::Tcp, QStringLiteral("127.0.0.1:1"));
        probe(HealthProbeConfig::Kind::Command, QStringLiteral("echo broken; exit 3"));
        probe(HealthProbeConfig::Kind::Command, QStringLiteral("exit 4"));
        probe(HealthProbeConfig::Kind::Command, QStringLiteral("kill -9 $$"));
        HealthContext unreadable;
        unreadable.database.url = QStringLiteral("postgresql://app@127.0.0.1:1/app");
        unreadable.databasePassword = Result<SecretValue>(errors::shuttingDown());
        {
            HealthProbeConfig config;
            config.kind = HealthProbeConfig::Kind::Postgres;
            const Result<void> checked = checkHealth(config, unreadable);
            QVERIFY(!checked.ok());
            add(checked.error());
        }

        // The rest need a server or a process misbehaving on cue: built here with the
        // parameters their one site passes (named in errormessage.h). That each site's
        // sentence is complete is also seen by the tests comparing their English text
        // (tst_connection, tst_services, tst_migrationrunner), where a "{name}" would show.
        const auto text = [](const char *name, const char *value) {
            return ErrorArg::text(QString::fromLatin1(name), QString::fromUtf8(value));
        };
        const auto number = [](const char *name, qint64 value) {
            return ErrorArg::number(QString::fromLatin1(name), value);
        };
        const auto phrase = [](const char *name, const char *value) {
            return ErrorArg::phraseOf(QString::fromLatin1(name), value);
        };
        const auto none = [](const char *name) {
            return ErrorArg::text(QString::fromLatin1(name), QString());
        };
        add(Error(ErrorCode::NotFound, ErrorKind::NoServicesConfigured,
                  {text("environment", "dev")}));
        add(Error(ErrorCode::Runtime, ErrorKind::QueryFailed,
                  {text("primary", "syntax error"), text("sqlstate", "42601"), number("line", 2),
                   number("column", 3),
                   phrase("context", " (SQLSTATE {sqlstate}, line {line}, column {column})"),
                   phrase("hint", "; hint: {hintText}"), text("hintText", "look")}));
        add(Error(ErrorCode::Runtime, ErrorKind::QueryFailed,
                  {phrase("primary", "the server reported an error without a message"),
                   none("sqlstate"), none("context"), none("hint")}));
        add(Error(ErrorCode::Timeout, ErrorKind::QueryTimedOut, {number("milliseconds", 50)}));
        add(Error(ErrorCode::Timeout, ErrorKind::QueryTimedOutOnServer,
                  {number("milliseconds", 50)}));
        add(Error(ErrorCode::Timeout, ErrorKind::QueryTimedOutAndClosed,
                  {number("milliseconds", 50), text("address", "db:5432")}));
        add(Error(ErrorCode::Cancelled, ErrorKind::QueryCancelled, {}));
        add(Error(ErrorCode::Cancelled, ErrorKind::QueryCancelledAndClosed,
                  {text("address", "db:5432")}));
        add(Error(ErrorCode::Runtime, ErrorKind::ConnectionLost,
                  {text("address", "db:5432"), phrase("when", "while sending the query"),
                   phrase("detail", ": {libpqDetail}"), text("libpqDetail", "server closed")}));
        add(Error(ErrorCode::NotFound, ErrorKind::QueryReturnedNoRows, {}));
        add(Error(ErrorCode::NotFound, ErrorKind::ProbeHostNotFound, {text("host", "db.invalid")}));
        add(Error(ErrorCode::Timeout, ErrorKind::ProbeNoAnswer, {text("where", "10.0.0.1:80")}));
        add(Error(ErrorCode::Timeout, ErrorKind::ProbeNoAnswerWithin,
                  {phrase("where", "port {port}"), number("port", 80), number("seconds", 3)}));
        add(Error(ErrorCode::Refused, ErrorKind::ProbeFailed,
                  {text("where", "10.0.0.1:80"), text("detail", "Network unreachable")}));
        add(Error(ErrorCode::Refused, ErrorKind::HttpClosedWithoutAnswer, {text("path", "/")}));
        add(Error(ErrorCode::Timeout, ErrorKind::HttpNoAnswerWithin,
                  {text("path", "/"), number("seconds", 3)}));
        add(Error(ErrorCode::Runtime, ErrorKind::HttpNotHttp, {text("path", "/")}));
        add(Error(ErrorCode::Runtime, ErrorKind::HttpStatus,
                  {text("path", "/health"), number("status", 503)}));
        add(Error(ErrorCode::NotFound, ErrorKind::NoSuchService,
                  {text("environment", "dev"), text("service", "web"),
                   phrase("services", "no services")}));
        add(Error(ErrorCode::Runtime, ErrorKind::ProcessExitedDuringStart,
                  errors::outputTail(QStringLiteral("output"), QStringLiteral("bind failed"))));
        add(Error(ErrorCode::Timeout, ErrorKind::NotHealthyWithin,
                  {number("seconds", 30), text("detail", "port 6432 refused")}));
        add(Error(ErrorCode::Runtime, ErrorKind::StopCommandExited,
                  QList<ErrorArg>{number("exitCode", 1)}
                      << errors::outputTail(QStringLiteral("output"), QString())));
        add(Error(ErrorCode::Runtime, ErrorKind::CommandCannotRun,
                  {text("what", "start command"), text("detail", "No such file")}));
        add(Error(ErrorCode::Timeout, ErrorKind::CommandTimedOut,
                  {text("what", "stop command"), number("seconds", 30)}));
        add(Error(ErrorCode::Runtime, ErrorKind::ProcessForkFailed, {text("command", "sleep 9")}));
        add(Error(ErrorCode::Runtime, ErrorKind::ProcessCannotSignal,
                  {number("pid", 42), text("detail", "Operation not permitted")}));
        for (const ErrorKind kind :
             {ErrorKind::MigrationFailedRolledBack, ErrorKind::MigrationFailedOutsideTransaction})
            add(Error(ErrorCode::Runtime, kind,
                      {phrase("inEnvironment", "{environment}: "), text("environment", "dev"),
                       text("version", "2"), text("where", "2_b.sql:1:1"),
                       phrase("statement", " ({summary})"), text("summary", "CREATE TABLE b"),
                       text("detail", "boom"),
                       text("applied", "1 applied before it stay applied")}));
        const QList<ErrorArg> cancelledAt{phrase("inEnvironment", "{environment}: "),
                                          text("environment", "prod"),
                                          text("version", "8"),
                                          text("where", "8_last.sql:2:1"),
                                          phrase("statement", " ({summary})"),
                                          text("summary", "CREATE INDEX CONCURRENTLY i"),
                                          text("applied", "no migration was applied in this run")};
        add(Error(ErrorCode::Cancelled, ErrorKind::MigrationCancelledRolledBack, cancelledAt));
        add(Error(ErrorCode::Cancelled, ErrorKind::MigrationCancelledOutsideTransaction,
                  QList<ErrorArg>(cancelledAt)
                      << phrase("unconfirmed", " (the server did not confirm the cancellation: "
                                               "that statement may still complete)")
                      << phrase("ran", "the statements before that one stay applied "
                                       "({statements}) and {version} is recorded as failed — "
                                       "check the database, repair by hand if needed, then "
                                       "delete its history row")
                      << text("statements", "8_last.sql:1:1 (CREATE TABLE a)")));
        const ErrorArg reference = text("reference", "command:pass show db");
        add(Error(ErrorCode::NotFound, ErrorKind::SecretVariableUnset, {text("name", "DB_PW")}));
        add(Error(
            ErrorCode::NotFound, ErrorKind::SecretKeyUnset,
            {text("reference", "dotenv:.env#PW"), text("key", "PW"), text("file", "/w/.env")}));
        add(Error(ErrorCode::Runtime, ErrorKind::SecretCommandKilled,
                  {reference, phrase("detail", "(nothing on stderr)")}));
        add(Error(ErrorCode::Runtime, ErrorKind::SecretCommandExited,
                  {reference, number("exitCode", 1), text("detail", "not found")}));
        add(Error(ErrorCode::Runtime, ErrorKind::SecretCommandNotStarted,
                  {reference, text("folder", "/w"), text("detail", "No such file")}));
        add(Error(ErrorCode::Runtime, ErrorKind::SecretCommandTooMuchOutput,
                  {reference, number("bytes", 1024)}));
        add(Error(ErrorCode::Timeout, ErrorKind::SecretCommandTimedOut,
                  {reference, number("milliseconds", 5000)}));
        add(Error(ErrorCode::Runtime, ErrorKind::SecretReferenceUnsupported, {reference}));
        add(Error(ErrorCode::NotFound, ErrorKind::NoKeyringEntry, {reference}));
        add(Error(ErrorCode::Cancelled, ErrorKind::KeyringRefusedAtPrompt, {reference}));
        add(Error(ErrorCode::Usage, ErrorKind::NoEnvironmentIn,
                  {text("environment", "qa"), text("file", "/w/paritydeck.yaml"),
                   text("environments", "dev, prod")}));
        add(Error(ErrorCode::Config, ErrorKind::NoDatabaseUrl,
                  {text("environment", "dev"), text("file", "/w/paritydeck.yaml")}));
        add(Error(ErrorCode::Config, ErrorKind::NoDatabaseToCompare, {text("environment", "dev")}));
        add(Error(ErrorCode::Cancelled, ErrorKind::LookupAbandoned, {reference}));
        add(Error(ErrorCode::Usage, ErrorKind::NoSecretValueGiven,
                  {text("secret", "dev password")}));
        add(Error(ErrorCode::Runtime, ErrorKind::AuditFolderNotCreated, {text("folder", "/s")}));
        add(Error(ErrorCode::Runtime, ErrorKind::AuditNotWritten,
                  {text("file", "/s/audit.jsonl"), text("detail", "No space left on device")}));
        add(Error(ErrorCode::Usage, ErrorKind::MigrationsCommandTakesNoTarget,
                  {text("environment", "dev"), text("command", "alembic upgrade head")}));
        add(Error(ErrorCode::Config, ErrorKind::NoMigrationsCommand,
                  {text("file", "/w/paritydeck.yaml")}));
        add(Error(ErrorCode::Cancelled, ErrorKind::CancelledBeforeMigrationsCommand,
                  {text("environment", "dev")}));
        add(Error(ErrorCode::Runtime, ErrorKind::ParityCheckAbandoned, {}));
        const ErrorArg server = text("address", "127.0.0.1:5432");
        add(Error(ErrorCode::NotFound, ErrorKind::BranchMissing,
                  {text("branch", "app__x"), server}));
        add(Error(ErrorCode::NotFound, ErrorKind::BranchParentMissing,
                  {text("parent", "app"), server}));
        add(Error(ErrorCode::NotFound, ErrorKind::BranchResetParentGone,
                  {text("branch", "app__x"), text("parent", "app"), server}));
        add(Error(ErrorCode::Usage, ErrorKind::BranchIsMainDatabase, {text("branch", "app")}));
        add(Error(ErrorCode::Usage, ErrorKind::BranchOwnParent, {text("branch", "app")}));
        add(Error(ErrorCode::NotFound, ErrorKind::GitNotRunnable, {text("detail", "not found")}));
        add(Error(ErrorCode::Runtime, ErrorKind::GitDetachedHead,
                  {text("folder", "/w"), text("commit", "1a2b3c4")}));
        add(Error(ErrorCode::Usage, ErrorKind::GitBranchNameEmpty, {}));
        // Migration files, dotenv files and git branch names, really checked.
        const auto failed = [&add](const auto &result) {
            QVERIFY(!result.ok());
            add(result.error());
        };
        failed(SqlScript::parse(QByteArray("SELECT 1;\0", 10), QStringLiteral("1_a.sql")));
        failed(SqlScript::parse(QByteArray("SELECT '\xff';"), QStringLiteral("1_a.sql")));
        failed(SqlScript::parse(QByteArray("SELECT 1;\nSELEC 2;"), QStringLiteral("1_a.sql")));
        {
            auto script = SqlScript::parse(QByteArray("CREATE TABLE a (id int);\nCOMMIT;"),
                                           QStringLiteral("1_a.sql"));
            QVERIFY(script.ok());
            failed(script->executableStatements());
        }
        failed(DotenvFile::parse(QByteArrayView("A='open\n"), QStringLiteral(".env")));
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        failed(DotenvFile::read(scratch.filePath(QStringLiteral("missing.env"))));
        failed(DotenvFile::read(scratch.path()));
        failed(DotenvFile::read(QStringLiteral("/dev/null")));
        failed(MigrationSource::load(scratch.filePath(QStringLiteral("nowhere")),
                                     MigrationFormat::Auto));
        failed(migrationFormatFromName(QStringLiteral("liquibase")));
        failed(GitRepository::validateBranchName(QStringLiteral("-x")));
        failed(GitRepository(scratch.filePath(QStringLiteral("nowhere"))).currentBranch());
        add(errors::noMigrationWithVersion(QStringLiteral("7"), QStringLiteral("/w/migrations")));
        add(errors::inFile(ErrorCode::Config, QStringLiteral("sqitch.plan"), 3, 1,
                           {text("detail", "bad")}));
        add(errors::inFile(ErrorCode::Config, QStringLiteral("sqitch.plan"), 3, 0,
                           {text("detail", "bad")}));

        // Built here as their sites build them (a server, a vendor CLI or a process that
        // misbehaves on cue is needed to meet them for real).
        const Error inner = errors::noEnvironment(QStringLiteral("qa"));
        const ErrorArg reason = inner.asArg(QStringLiteral("reason"));
        const ErrorArg file = text("file", "/w/a.sql");
        const ErrorArg folder = text("folder", "/w/migrations");
        const ErrorArg environment = text("environment", "dev");
        const ErrorArg branch = text("branch", "feature");
        const ErrorArg verb = text("verb", "create");
        const ErrorArg detail = text("detail", "No such file");
        add(Error(ErrorCode::Runtime, ErrorKind::ParserOutputUnreadable, {file, detail}));
        add(Error(ErrorCode::NotFound, ErrorKind::MigrationUnreadable, {file, detail}));
        add(Error(ErrorCode::Config, ErrorKind::DuplicateMigrationVersion,
                  {text("first", "1_a.sql"), text("second", "01_b.sql"), text("version", "1"),
                   phrase("zeros", " (leading zeros do not make another version)")}));
        add(Error(ErrorCode::Config, ErrorKind::GolangVersionTooLarge,
                  {file, text("version", "99999999999999999999")}));
        add(Error(ErrorCode::NotFound, ErrorKind::SqitchDeployScriptMissing,
                  {number("line", 4), text("change", "users"), file}));
        add(Error(ErrorCode::Config, ErrorKind::AlembicCycle, {text("revisions", "a1, b2")}));
        add(Error(ErrorCode::Config, ErrorKind::BadMigrationsFormat, {file, reason}));
        add(Error(ErrorCode::Runtime, ErrorKind::NothingApplied,
                  {phrase("reason", "{tool} in {table}"), text("tool", "Flyway"),
                   text("table", "flyway_schema_history")}));
        add(Error(ErrorCode::Protected, ErrorKind::RefusedNothingApplied, {reason}));
        add(Error(ErrorCode::Runtime, ErrorKind::CommitOutcomeUnknown,
                  {text("version", "2"), file, inner.asArg(QStringLiteral("detail")),
                   text("applied", "1 applied before it")}));
        add(Error(ErrorCode::Runtime, ErrorKind::BaselineNotRecorded, {reason}));
        add(Error(ErrorCode::Cancelled, ErrorKind::LockWaitCancelled, {}));
        add(Error(ErrorCode::Timeout, ErrorKind::LockNotFree, {text("seconds", "2.5")}));
        add(Error(ErrorCode::Runtime, ErrorKind::LockTryFailed, {reason}));
        add(Error(ErrorCode::Cancelled, ErrorKind::CancelledWaitingForHolder,
                  {text("holder", "pid 42")}));
        add(Error(ErrorCode::Timeout, ErrorKind::LockHeldTooLong,
                  {text("holder", "pid 42"), number("seconds", 30)}));
        add(Error(ErrorCode::Runtime, ErrorKind::LockWaitFailed, {reason}));
        add(Error(ErrorCode::Runtime, ErrorKind::HistoryTableNotCreated,
                  {text("table", "paritydeck_migrations"), reason}));
        add(Error(ErrorCode::Protected, ErrorKind::RefusedCommandNotRun, {reason}));
        add(Error(ErrorCode::Config, ErrorKind::MigrationsCommandEmpty, {}));
        add(Error(ErrorCode::Runtime, ErrorKind::NoTemporaryFolder,
                  {phrase("what", "migrations command"), detail}));
        add(Error(ErrorCode::Runtime, ErrorKind::FolderNotCreated, {folder}));
        add(Error(ErrorCode::Runtime, ErrorKind::FileNotCreated, {file, detail}));
        add(Error(ErrorCode::Runtime, ErrorKind::FileNotWritten, {file, detail}));
        add(Error(ErrorCode::Refused, ErrorKind::NewPlainMigrationWouldNotSortLast,
                  {text("version", "10_x"), text("last", "9_y")}));
        add(Error(ErrorCode::Refused, ErrorKind::SqitchNeedsPlanEntry, {text("change", "users")}));
        add(Error(ErrorCode::Runtime, ErrorKind::ShadowDatabaseDropped, {}));
        add(Error(ErrorCode::Runtime, ErrorKind::CacheFolderNotCreated, {folder}));
        add(Error(ErrorCode::Runtime, ErrorKind::ServiceFolderNotCreated, {folder}));
        add(Error(ErrorCode::NotFound, ErrorKind::NoEnvironmentNamed, {environment, file}));
        add(Error(ErrorCode::Config, ErrorKind::BranchesDatabaseUnsupported,
                  {environment, text("value", "copy")}));
        add(Error(ErrorCode::Config, ErrorKind::CloudBranchesNotOnServer, {environment}));
        add(Error(ErrorCode::Config, ErrorKind::NoBranchesConfigured,
                  {environment, text("setting", "{ git: true, database: template }"), file}));
        add(Error(ErrorCode::Usage, ErrorKind::CloudCleanupUnavailable, {environment}));
        add(Error(ErrorCode::Runtime, ErrorKind::FileUnreadable, {file, detail}));
        add(Error(ErrorCode::Runtime, ErrorKind::DotenvTooLarge, {file, text("limit", "4 MiB")}));
        add(Error(ErrorCode::Runtime, ErrorKind::BranchSelectionsNotJson, {file, detail}));
        add(Error(ErrorCode::Runtime, ErrorKind::PrivateFolderNotCreated, {folder}));
        add(Error(ErrorCode::Timeout, ErrorKind::FileLockedByOtherProcess, {file}));
        add(Error(ErrorCode::Config, ErrorKind::RecordedBranchUrlUnusable,
                  {environment, branch, file, reason}));
        add(Error(ErrorCode::Protected, ErrorKind::CloudParentBranchRefused,
                  {environment, branch, verb}));
        add(Error(ErrorCode::Usage, ErrorKind::CloudBranchFromItself, {branch}));
        add(Error(ErrorCode::NotFound, ErrorKind::NoCloudBranch, {environment, branch}));
        add(Error(ErrorCode::NotFound, ErrorKind::CloudResetParentMissing,
                  {branch, text("parent", "main")}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudBranchNoUrl,
                  {text("source", "the create command"), branch, text("setting", "url_field"),
                   environment}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudBranchUrlUnusable,
                  {text("source", "the create command"), branch, reason}));
        add(Error(ErrorCode::Config, ErrorKind::CloudCommandMissing, {verb}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudCommandNotStarted, {verb, detail}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudCommandTooMuchOutput,
                  {verb, number("megabytes", 16)}));
        add(Error(ErrorCode::Timeout, ErrorKind::CloudCommandTimedOut,
                  {verb, number("seconds", 60)}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudCommandFailed,
                  {verb, phrase("detail", "it exited with code {exitCode} and printed nothing"),
                   number("exitCode", 1)}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudBranchListNotJson,
                  {detail, number("offset", 3)}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudBranchListArrays, {number("arrays", 2)}));
        add(Error(ErrorCode::Runtime, ErrorKind::CloudBranchEntryNameless,
                  {number("entry", 2), text("field", "name")}));
        add(Error(ErrorCode::Usage, ErrorKind::CloudBranchNeedsName, {}));
        add(Error(ErrorCode::Usage, ErrorKind::CloudBranchToDeleteUnnamed, {}));
        add(Error(ErrorCode::Usage, ErrorKind::NameEmpty, {text("what", "branch")}));
        add(Error(ErrorCode::Usage, ErrorKind::NameTooLong,
                  {text("what", "branch"), text("name", "x")}));
        add(Error(ErrorCode::Config, ErrorKind::UrlNamesNoDatabase, {environment}));
        add(Error(ErrorCode::Protected, ErrorKind::ProtectedMainDatabaseNotBranch,
                  {text("action", "drop"), branch, text("protection", "confirm")}));
        add(Error(ErrorCode::Usage, ErrorKind::MainDatabaseNotBranch,
                  {text("action", "drop"), branch}));
        add(Error(ErrorCode::Runtime, ErrorKind::ResetParentInUse,
                  {branch, text("parent", "app"), phrase("others", "{count} other sessions are"),
                   number("count", 2), text("sessions", "psql (pid 1), psql (pid 2)")}));
        add(Error(ErrorCode::Timeout, ErrorKind::GitTimedOut,
                  {text("command", "checkout"), text("seconds", "60"), folder}));
        add(Error(ErrorCode::NotFound, ErrorKind::GitBranchMissing,
                  {branch, folder, phrase("known", " (local branches: {branches})"),
                   text("branches", "main")}));
        add(Error(ErrorCode::Usage, ErrorKind::NameHasControlCharacter,
                  {text("what", "branch"), text("codePoint", "0007"), number("position", 3)}));
        add(Error(ErrorCode::Runtime, ErrorKind::SecretEnvCountMismatch,
                  {environment, number("expected", 2), number("got", 1)}));
        const QList<ErrorArg> keyring{reference, phrase("detail", " [{backend}]"),
                                      text("backend", "org.freedesktop.DBus.Error.NoServer")};
        add(Error(ErrorCode::NoKeyring, ErrorKind::NoKeyringAvailable, keyring));
        add(Error(ErrorCode::NoKeyring, ErrorKind::KeyringAccessDenied, keyring));
        add(Error(ErrorCode::Runtime, ErrorKind::KeyringOperationFailed,
                  QList<ErrorArg>(keyring) << phrase("operation", "reading")));
        add(Error(ErrorCode::Config, ErrorKind::SchemaFileDoesNotLoad, {file, reason}));
        add(Error(ErrorCode::NotFound, ErrorKind::PasswordNotRead, {})
                .inEnvironment(QStringLiteral("dev")));
        add(Error(ErrorCode::Config, ErrorKind::ScratchUrlInvalid, {reason}));
        add(Error(ErrorCode::NotFound, ErrorKind::HeadMigrationHasNoFile,
                  {environment, text("version", "3"), folder}));
        add(Error(ErrorCode::Protected, ErrorKind::RefusedNothingDone,
                  {reason, phrase("nothing", "Nothing was started.")}));
        add(Error(ErrorCode::Protected, ErrorKind::NotPromoted, {text("gates", "drift")}));
        add(Error(ErrorCode::Protected, ErrorKind::RefusedNothingRun, {reason}));
        add(Error(ErrorCode::Config, ErrorKind::ServicesWaitForEachOther, {environment}));
        add(Error(ErrorCode::Cancelled, ErrorKind::NotRestartedMeanwhile, {})
                .inEnvironment(QStringLiteral("web")));
        add(Error(ErrorCode::NotFound, ErrorKind::EnvironmentHasNoServices, {environment}));
        add(Error(ErrorCode::NotFound, ErrorKind::ServiceHasNoLog, {text("service", "web"), file}));
        add(Error(ErrorCode::Runtime, ErrorKind::ChildSetupFailed,
                  {phrase("what", "cannot enter the folder {folder}"), folder, detail}));
        add(Error(ErrorCode::Config, ErrorKind::TcpTargetNotHostPort, {text("target", "db")}));
        add(Error(ErrorCode::Usage, ErrorKind::SecretOnlyRead,
                  {text("verb", "set"), text("secret", "dev password"), reference}));
        add(Error(ErrorCode::Config, ErrorKind::StartFolderMissing, {folder}));
        add(Error(ErrorCode::Config, ErrorKind::NoWorkspaceFile,
                  {text("file", "paritydeck.yaml"), folder}));
        const ErrorArg dbAddress = text("address", "db:5432");
        add(Error(ErrorCode::Runtime, ErrorKind::ConnectWaitFailed, {dbAddress, detail}));
        add(Error(ErrorCode::Runtime, ErrorKind::NonBlockingFailed, {dbAddress}));
        add(Error(ErrorCode::Runtime, ErrorKind::CopyFromStdinUnsupported, {}));
        add(Error(ErrorCode::Runtime, ErrorKind::CopyToStdoutUnsupported, {}));
        add(Error(ErrorCode::Runtime, ErrorKind::ReplicationCopyUnsupported, {}));
        add(Error(ErrorCode::Config, ErrorKind::NotPromotedFromAnother,
                  {text("environment", "prod"), file}));
        add(Error(ErrorCode::NotFound, ErrorKind::UpstreamNotAnEnvironment,
                  {text("environment", "prod"), text("upstream", "stage"), file}));
        add(Error(ErrorCode::Runtime, ErrorKind::RevertNeedsTransaction, {}));
        add(Error(ErrorCode::Timeout, ErrorKind::SecretResolverNoAnswer, {number("seconds", 120)}));
        QVERIFY(examples.value(ErrorKind::NoEnvironment)
                    .constFirst()
                    .message.startsWith(QStringLiteral("no environment 'qa'")));

        QStringList withoutExample;
        for (int k = int(ErrorKind::Unspecified) + 1; k < int(ErrorKind::EndOfKinds); ++k) {
            const auto kind = ErrorKind(k);
            QVERIFY2(errorTemplate(kind),
                     qPrintable(QStringLiteral("kind %1 has no template").arg(k)));
            if (!examples.contains(kind)) {
                withoutExample.append(QString::number(k));
                continue;
            }
            for (const Error &e : examples.value(kind)) {
                const QStringList missing = missingErrorParameters(e.kind, e.args);
                QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("kind %1 lacks %2: %3")
                                                           .arg(k)
                                                           .arg(missing.join(u','), e.message)));
                QVERIFY2(!e.message.contains(QRegularExpression(QStringLiteral("\\{\\w+\\}"))),
                         qPrintable(e.message));
                QVERIFY2(e.isStructured(), qPrintable(e.message));
            }
        }
        QVERIFY2(withoutExample.isEmpty(),
                 qPrintable(QStringLiteral("kinds without an example here: ") +
                            withoutExample.join(u',')));
        QVERIFY(!errorTemplate(ErrorKind::Unspecified));
        QVERIFY(!errorTemplate(ErrorKind::EndOfKinds));
        // A kind's own words, checked once against the sentence core always printed.
        QCOMPARE(examples.value(ErrorKind::ProbeRefused).constFirst().message,
                 QStringLiteral("port 1 refused"));
        QCOMPARE(examples.value(ErrorKind::HealthCommandExited).constFirst().message,
                 QStringLiteral("health command exited 3: broken"));
        QCOMPARE(examples.value(ErrorKind::HealthCommandExited).constLast().message,
                 QStringLiteral("health command exited 4"));
        QCOMPARE(examples.value(ErrorKind::QueryFailed).constFirst().message,
                 QStringLiteral("syntax error (SQLSTATE 42601, line 2, column 3); hint: look"));
    }

    // An error prefixed with where it happened keeps its kind; the panel composes the prefix
    // through its translator as well.
    void inEnvironmentKeepsTheKindAndPrefixesTheSentence()
    {
        const Error inner = errors::stillRunning(QStringLiteral("dev"), QStringLiteral("Stopping"));
        const Error prefixed = inner.inEnvironment(QStringLiteral("staging"))
                                   .inEnvironment(QStringLiteral("migrations:prod"));
        QCOMPARE(prefixed.message,
                 QStringLiteral("migrations:prod: staging: dev: Stopping is still running"));
        QCOMPARE(prefixed.kind, ErrorKind::StillRunning);
        QCOMPARE(prefixed.code, inner.code);
        QVERIFY(prefixed.isStructured());
        QCOMPARE(prefixed.within,
                 (QStringList{QStringLiteral("migrations:prod"), QStringLiteral("staging")}));
        QCOMPARE(inner.inEnvironment(QString()).message, inner.message);
        // Free text is prefixed the same way and stays free text.
        const Error free =
            Error(ErrorCode::Runtime, QStringLiteral("boom")).inEnvironment(QStringLiteral("dev"));
        QCOMPARE(free.message, QStringLiteral("dev: boom"));
        QVERIFY(!free.isStructured());
        // A message rewritten by hand after the prefix: free text again.
        Error rewritten = prefixed;
        rewritten.message += QStringLiteral(".");
        QVERIFY(!rewritten.isStructured());
    }

    // An error inside another one ("{reason}; nothing was applied") keeps its own kind: the
    // English text is the one the sites always glued together, and the panel translates the
    // inner sentence (and its prefixes) as well. Free text inside stays as it is.
    void nestedErrorsKeepTheirKind()
    {
        const Result<MigrationFormat> unknown = migrationFormatFromName(QStringLiteral("x"));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().kind, ErrorKind::UnknownMigrationsFormat);
        const Error inner = unknown.error().inEnvironment(QStringLiteral("dev"));
        const Error outer(ErrorCode::Protected, ErrorKind::RefusedNothingApplied,
                          {inner.asArg(QStringLiteral("reason"))});
        QCOMPARE(outer.message, inner.message + QStringLiteral("; nothing was applied"));
        QVERIFY(outer.isStructured());
        QVERIFY(missingErrorParameters(outer.kind, outer.args).isEmpty());
        const auto bracket = [](const char *text) -> QString {
            return QLatin1Char('[') + QString::fromUtf8(text) + QLatin1Char(']');
        };
        QCOMPARE(composeError(outer.kind, outer.args, outer.within, bracket),
                 QStringLiteral("[[dev: ][unknown migrations format \"x\"; use one of ") +
                     unknown.error().args.at(1).value + QStringLiteral("]; nothing was applied]"));
        // A nested error that lacks a parameter is reported as incomplete.
        const Error broken(ErrorCode::Config, ErrorKind::UnknownMigrationsFormat,
                           {ErrorArg::text(QStringLiteral("name"), QStringLiteral("x"))});
        QVERIFY(!missingErrorParameters(ErrorKind::RefusedNothingApplied,
                                        {broken.asArg(QStringLiteral("reason"))})
                     .isEmpty());
        // Free text nested: its message, as written, in either language.
        const Error free(ErrorCode::Runtime, QStringLiteral("boom {x}"));
        const Error wrapped(ErrorCode::Runtime, ErrorKind::LockTryFailed,
                            {free.asArg(QStringLiteral("reason"))});
        QCOMPARE(wrapped.message, QStringLiteral("trying the migration lock: boom {x}"));
        QVERIFY(wrapped.isStructured());
        QCOMPARE(composeError(wrapped.kind, wrapped.args, wrapped.within, bracket),
                 QStringLiteral("[trying the migration lock: boom {x}]"));
    }

    void protectionRefusalsTranslateTheirPhrasesToo()
    {
        const Result<void> refused = checkProtection(QStringLiteral("prod"), Protection::Confirm,
                                                     ProtectedChange::ApplyMigrations, QString(),
                                                     ConfirmationSource::Dialog);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::ProtectedNeedsName);
        QCOMPARE(
            refused.error().message,
            QStringLiteral("prod is protected (protection: confirm): migrations cannot be "
                           "applied without its name typed to confirm (type prod to confirm)"));
        // What the panel does with its translator: every template and phrase goes through it.
        const auto bracket = [](const char *text) -> QString {
            return QLatin1Char('[') + QString::fromUtf8(text) + QLatin1Char(']');
        };
        const Error &e = refused.error();
        QCOMPARE(composeErrorText(bracket(errorTemplate(e.kind)), e.args, bracket),
                 QStringLiteral("[prod is protected (protection: confirm): [migrations cannot be "
                                "applied] without its name typed to confirm[ (type prod to "
                                "confirm)]]"));
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
