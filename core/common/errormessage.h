// What an error says, as data: which sentence (ErrorKind) and its named parameters
// (ErrorArg). Core fills them; the sentence is composed in one place, here, from one
// template per kind: in English for Error::message (what the CLI prints and logs keep),
// and by the panel through its translator (ui/errortext.h). Templates name their
// parameters, "{address}", so a translation may reorder them.
//
// An Error without a kind (ErrorKind::Unspecified) is free text: its message is all
// there is. Kinds exist for the errors people meet most: connection failures, workspace
// (config) errors with file:line:column, protection refusals, migration failures, query
// failures, health probes and services (the reasons on the cards), environment lookups,
// operations still running and cancellations. Sentences core says in several places are
// built by one function each (common/errors.h).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <functional>
#include <memory>

namespace pd {

enum class ErrorKind {
    Unspecified, // free text: Error::message
    // Connecting (core/db/pgerror.cpp). address, user, role, database, host, detail, seconds.
    ConnectTimedOut,
    PasswordRejected,
    PasswordMissing,
    RoleMissing,
    DatabaseMissing,
    AuthenticationFailed,
    ConnectionRefused,
    NoServerSocket,
    HostUnresolved,
    ServerRefused,
    HostUnreachable,
    ConnectFailed,
    // Workspace file (core/workspace/workspaceloader.cpp). file, line, column, detail.
    ConfigAtPosition,
    ConfigAtLine,
    ConfigInFile,
    ConfigUnlocated,
    // Protection (core/workspace/protection.cpp). environment, change (a phrase), advice.
    ProtectedNeedsName,
    ProtectedRefused,
    ReadOnlyNeedsName,
    ReadOnlyRefused,
    UnknownProtection,
    // Migrations (core/migrations/migrationrunner.cpp). version, where, statement, detail,
    // applied.
    MigrationFailedRolledBack,
    MigrationFailedOutsideTransaction,
    // A migration stopped by a cancellation (Ctrl-C, SIGTERM, the panel's Cancel) while it
    // ran. version, where, statement, applied; outside a transaction also ran (a phrase:
    // what of it stays applied) and unconfirmed (a phrase or empty).
    MigrationCancelledRolledBack,
    MigrationCancelledOutsideTransaction,
    // Environments and operations (common/errors.h). environment, operation.
    NoEnvironment,
    StillRunning,
    NoServicesConfigured,
    // Cancellations (common/errors.h).
    Cancelled,
    OperationAbandoned,
    DriftCheckCancelled,
    ComparisonCancelled,
    RevertCancelled,
    MigrationsCancelledPending,
    ShuttingDown,
    // Queries (core/db/connection.cpp, pgerror.cpp). primary, context, hint (phrases or
    // empty), milliseconds, address, when (a phrase), detail.
    QueryFailed,
    QueryTimedOut,
    QueryTimedOutOnServer,
    QueryTimedOutAndClosed,
    QueryCancelled,
    QueryCancelledAndClosed,
    ConnectionLost,
    QueryReturnedNoRows,
    // Health probes (core/services/healthprobe.cpp): the reasons on the cards. where (a
    // phrase "port {port}" on this machine, else host:port), host, seconds, path, status,
    // exitCode, output (": {line}" or empty), detail.
    ProbeRefused,
    ProbeHostNotFound,
    ProbeNoAnswer,
    ProbeNoAnswerWithin,
    ProbeFailed,
    HttpClosedWithoutAnswer,
    HttpNoAnswerWithin,
    HttpNotHttp,
    HttpStatus,
    HealthCommandKilled,
    HealthCommandExited,
    PasswordUnreadable,
    // Services (core/services). environment, service, services, seconds, exitCode, output,
    // detail, what, command, pid.
    NoSuchService,
    ProcessExitedDuringStart,
    NotHealthyWithin,
    StopCommandExited,
    CommandCannotRun,
    CommandTimedOut,
    ProcessForkFailed,
    ProcessCannotSignal,
    // Secrets (core/secrets): the reasons a password could not be read. reference (as
    // written: "env:DB_PASSWORD"), name, key, file, exitCode, detail, folder, bytes,
    // milliseconds.
    SecretVariableUnset,
    SecretKeyUnset,
    SecretCommandKilled,
    SecretCommandExited,
    SecretCommandNotStarted,
    SecretCommandTooMuchOutput,
    SecretCommandTimedOut,
    SecretReferenceUnsupported,
    NoKeyringEntry,
    KeyringRefusedAtPrompt,
    // Environments (core/environment). environment, file, environments, reference, secret,
    // command.
    NoEnvironmentIn,
    NoDatabaseUrl,
    NoDatabaseToCompare,
    LookupAbandoned,
    NoSecretValueGiven,
    MigrationsCommandTakesNoTarget,
    NoMigrationsCommand,
    CancelledBeforeMigrationsCommand,
    ParityCheckAbandoned,
    // The audit log (core/audit). folder, file, detail.
    AuditFolderNotCreated,
    AuditNotWritten,
    // Branches (core/branches). branch, parent, address, folder, commit, detail.
    BranchMissing,
    BranchParentMissing,
    BranchResetParentGone,
    BranchIsMainDatabase,
    BranchOwnParent,
    GitNotRunnable,
    GitDetachedHead,
    GitBranchNameEmpty,
    // Migration files (core/migrations). file, where, statement, marker, first, second,
    // version, zeros, line, change, revisions, folder, reason (a nested error), name, formats.
    ParserOutputUnreadable,
    StatementControlsTransaction,
    MigrationUnreadable,
    DuplicateMigrationVersion,
    GolangVersionTooLarge,
    SqitchDeployScriptMissing,
    AlembicCycle,
    NoMigrationsFolder,
    BadMigrationsFormat,
    UnknownMigrationsFormat,
    // Applying migrations (core/migrations/migrationrunner.cpp). reason (text, a phrase or a
    // nested error), tool, table, version, file, detail, applied, seconds, holder.
    NothingApplied,
    RefusedNothingApplied,
    CommitOutcomeUnknown,
    BaselineNotRecorded,
    LockWaitCancelled,
    LockNotFree,
    LockTryFailed,
    CancelledWaitingForHolder,
    LockHeldTooLong,
    LockWaitFailed,
    HistoryTableNotCreated,
    NoMigrationWithVersion,
    // Files and commands (core/migrations, core/services, core/branches). reason (a nested
    // error), what, detail, folder, file, version, last, change.
    RefusedCommandNotRun,
    MigrationsCommandEmpty,
    NoTemporaryFolder,
    FolderNotCreated,
    FileNotCreated,
    FileNotWritten,
    NewPlainMigrationWouldNotSortLast,
    SqitchNeedsPlanEntry,
    ShadowDatabaseDropped,
    CacheFolderNotCreated,
    ServiceFolderNotCreated,
    // Branch switching (core/branches). environment, file, value, setting, folder, detail,
    // branch, reason (a nested error).
    NoEnvironmentNamed,
    BranchesDatabaseUnsupported,
    CloudBranchesNotOnServer,
    NoBranchesConfigured,
    CloudCleanupUnavailable,
    FileUnreadable,
    BranchSelectionsNotJson,
    PrivateFolderNotCreated,
    FileLockedByOtherProcess,
    RecordedBranchUrlUnusable,
    // Cloud branches (core/branches). environment, branch, parent, verb (as the command is
    // configured: create, delete, list), source, setting, reason (a nested error), detail,
    // exitCode, megabytes, seconds, offset, arrays, entry, field.
    CloudParentBranchRefused,
    CloudBranchFromItself,
    NoCloudBranch,
    CloudResetParentMissing,
    CloudBranchNoUrl,
    CloudBranchUrlUnusable,
    CloudCommandMissing,
    CloudCommandNotStarted,
    CloudCommandTooMuchOutput,
    CloudCommandTimedOut,
    CloudCommandFailed,
    CloudBranchListNotJson,
    CloudBranchListArrays,
    CloudBranchEntryNameless,
    CloudBranchNeedsName,
    CloudBranchToDeleteUnnamed,
    // Database and git branches (core/branches). what (as the caller names it: branch,
    // parent), name, environment, action (as the caller names it: drop, reset), branch,
    // protection, parent, others, count, sessions, folder, command, seconds, known, branches,
    // why, codePoint, position, expected, got.
    NameEmpty,
    NameTooLong,
    UrlNamesNoDatabase,
    ProtectedMainDatabaseNotBranch,
    MainDatabaseNotBranch,
    ResetParentInUse,
    GitFolderMissing,
    GitTimedOut,
    GitBranchMissing,
    GitBranchNameInvalid,
    NameHasControlCharacter,
    SecretEnvCountMismatch,
    // Dotenv files and the keyring (core/secrets). file, reference, operation (a phrase),
    // detail (" [{backend}]" or empty), backend.
    FileMissing,
    DotenvIsFolder,
    DotenvNotRegularFile,
    DotenvTooLarge,
    NoKeyringAvailable,
    KeyringAccessDenied,
    KeyringOperationFailed,
    // Environments (core/environment). file, reason (a nested error or a phrase), environment,
    // version, folder, nothing (a phrase), gates.
    SchemaFileDoesNotLoad,
    PasswordNotRead,
    ScratchUrlInvalid,
    HeadMigrationHasNoFile,
    RefusedNothingDone,
    NotPromoted,
    RefusedNothingRun,
    // Services, secrets and the workspace file. environment, service, file, folder, what (a
    // phrase), detail, target, verb (set, delete), secret, reference.
    ServicesWaitForEachOther,
    NotRestartedMeanwhile,
    EnvironmentHasNoServices,
    ServiceHasNoLog,
    ChildSetupFailed,
    TcpTargetNotHostPort,
    SecretOnlyRead,
    StartFolderMissing,
    NoWorkspaceFile,
    // Connections, promotion, reverts (core/db, core/environment, core/services). address,
    // detail, environment, file, upstream, seconds.
    ConnectWaitFailed,
    NonBlockingFailed,
    CopyFromStdinUnsupported,
    CopyToStdoutUnsupported,
    ReplicationCopyUnsupported,
    NotPromotedFromAnother,
    UpstreamNotAnEnvironment,
    RevertNeedsTransaction,
    SecretResolverNoAnswer,
    // Not a kind: one past the last. New kinds go above it, so a loop over the kinds
    // (tests/tst_result.cpp) meets them all.
    EndOfKinds,
};

struct NestedError;

// One named parameter: plain text (a name, an address, the server's own words), a
// phrase, a template of its own (translated like the sentence) filled from the same
// error's parameters, or a whole error of its own (the reason inside "nothing was
// applied: {reason}"; Error::asArg()), composed from its own kind and parameters.
struct ErrorArg
{
    QString name;
    QString value; // for a nested error, its English message
    const char *phrase = nullptr;
    std::shared_ptr<const NestedError> nested = {}; // set only when the inner error is structured

    static ErrorArg text(QString name, QString value)
    {
        return {std::move(name), std::move(value)};
    }
    static ErrorArg number(QString name, qint64 value)
    {
        return {std::move(name), QString::number(value)};
    }
    // `phrase` must be a string literal marked QT_TRANSLATE_NOOP("pd::ErrorMessage", …).
    static ErrorArg phraseOf(QString name, const char *phrase)
    {
        return {std::move(name), {}, phrase};
    }
};

// An error inside another one's sentence: what an Error holds beyond its code and message.
struct NestedError
{
    ErrorKind kind = ErrorKind::Unspecified;
    QList<ErrorArg> args;
    QStringList within;
};

// The English template of `kind`, "{name}" for each parameter (null for Unspecified and
// EndOfKinds).
// Marked with QT_TRANSLATE_NOOP in the context "pd::ErrorMessage".
const char *errorTemplate(ErrorKind kind);

// Turns a template (English or translated) into text: "{name}" becomes the parameter's
// value, or its phrase passed through `translate` and filled the same way. A name
// without a parameter stays as written, so a mistake shows rather than vanishes.
using TemplateTranslator = std::function<QString(const char *)>;
QString composeErrorText(const QString &templateText, const QList<ErrorArg> &args,
                         const TemplateTranslator &translate);

// A whole structured error through `translate`: its template filled with `args`, each of
// `within` ("staging", outermost first) written before it through errorPrefixTemplate().
QString composeError(ErrorKind kind, const QList<ErrorArg> &args, const QStringList &within,
                     const TemplateTranslator &translate);

// The English sentence (what Error::message holds for a structured error).
QString englishErrorText(ErrorKind kind, const QList<ErrorArg> &args);

// "{environment}: ", the prefix an error gets for the environment (or service, or schema
// side) it happened in (Error::inEnvironment()). Marked like the templates.
const char *errorPrefixTemplate();

// The names a template (and the phrases among `args`) asks for that `args` lacks: empty
// when the sentence is complete. For tests.
QStringList missingErrorParameters(ErrorKind kind, const QList<ErrorArg> &args);

} // namespace pd
