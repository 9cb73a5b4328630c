#include "common/errormessage.h"

#include "common/printable.h"

#include <QCoreApplication>

#include <algorithm>

namespace pd {

const char *errorTemplate(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Unspecified:
        return nullptr;
    case ErrorKind::ConnectTimedOut:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "timed out after {seconds}s connecting to {address}");
    case ErrorKind::PasswordRejected:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "password authentication failed for user {user} at {address}");
    case ErrorKind::PasswordMissing:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "the server at {address} requires a password for user {user}, but none was given");
    case ErrorKind::RoleMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "role \"{role}\" does not exist at {address}");
    case ErrorKind::DatabaseMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "database \"{database}\" does not exist at {address}");
    case ErrorKind::AuthenticationFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "authentication failed for user {user} at {address}: {detail}");
    case ErrorKind::ConnectionRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "connection refused at {address}");
    case ErrorKind::NoServerSocket:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "connection refused at {address} (no server socket there)");
    case ErrorKind::HostUnresolved:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "host name \"{host}\" could not be resolved: {detail}");
    case ErrorKind::ServerRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the server at {address} refused the connection: {detail}");
    case ErrorKind::HostUnreachable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot reach {address}: {detail}");
    case ErrorKind::ConnectFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "could not connect to {address}: {detail}");
    case ErrorKind::ConfigAtPosition:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file}:{line}:{column}: {detail}");
    case ErrorKind::ConfigAtLine:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file}:{line}: {detail}");
    case ErrorKind::ConfigInFile:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file}: {detail}");
    case ErrorKind::ConfigUnlocated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{detail}");
    case ErrorKind::ProtectedNeedsName:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is protected (protection: confirm): {change} "
                                 "without its name typed to confirm{advice}");
    case ErrorKind::ProtectedRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is protected (protection: confirm): {change}");
    case ErrorKind::ReadOnlyNeedsName:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is read-only (protection: read-only): {change} "
                                 "without its name typed to confirm{advice}");
    case ErrorKind::ReadOnlyRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is read-only (protection: read-only): {change}");
    case ErrorKind::UnknownProtection:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment}: unknown protection");
    case ErrorKind::MigrationFailedRolledBack:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{inEnvironment}migration {version} failed at {where}{statement}: {detail}; its "
            "transaction was rolled back, so nothing of {version} was kept; {applied}");
    case ErrorKind::MigrationFailedOutsideTransaction:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{inEnvironment}migration {version} failed at {where}{statement}: {detail}; it ran "
            "outside a transaction, so the statements before that one stay applied and {version} "
            "is recorded as failed — repair by hand, then delete its history row; {applied}");
    case ErrorKind::MigrationCancelledRolledBack:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{inEnvironment}migration {version} was cancelled at {where}{statement}; its "
            "transaction was rolled back, so nothing of {version} was kept; {applied}; the "
            "remaining migrations stay pending");
    case ErrorKind::MigrationCancelledOutsideTransaction:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{inEnvironment}migration {version} was cancelled at {where}{statement}{unconfirmed}; "
            "it runs outside a transaction: {ran}; {applied}; the remaining migrations stay "
            "pending");
    case ErrorKind::NoEnvironment:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "no environment '{environment}'");
    case ErrorKind::StillRunning:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment}: {operation} is still running");
    case ErrorKind::NoServicesConfigured:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment} has no services configured");
    case ErrorKind::Cancelled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cancelled");
    case ErrorKind::OperationAbandoned:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the operation was abandoned");
    case ErrorKind::DriftCheckCancelled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the drift check was cancelled");
    case ErrorKind::ComparisonCancelled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the comparison was cancelled");
    case ErrorKind::RevertCancelled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the revert was cancelled; nothing was changed");
    case ErrorKind::MigrationsCancelledPending:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "Cancelled: the remaining migrations stay pending.");
    case ErrorKind::ShuttingDown:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cancelled because ParityDeck is shutting down");
    case ErrorKind::QueryFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{primary}{context}{hint}");
    case ErrorKind::QueryTimedOut:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "query timed out after {milliseconds} ms");
    case ErrorKind::QueryTimedOutOnServer:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "query timed out after {milliseconds} ms (server statement_timeout)");
    case ErrorKind::QueryTimedOutAndClosed:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "query timed out after {milliseconds} ms; the server did not confirm the cancellation, "
            "so the connection to {address} was closed");
    case ErrorKind::QueryCancelled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the statement was cancelled");
    case ErrorKind::QueryCancelledAndClosed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the statement was cancelled; the server did not confirm the "
                                 "cancellation, so the connection to {address} was closed");
    case ErrorKind::ConnectionLost:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the connection to {address} was lost {when}{detail}");
    case ErrorKind::QueryReturnedNoRows:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the query returned no rows");
    case ErrorKind::ProbeRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{where} refused");
    case ErrorKind::ProbeHostNotFound:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "host {host} not found");
    case ErrorKind::ProbeNoAnswer:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "no answer from {where}");
    case ErrorKind::ProbeNoAnswerWithin:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "no answer from {where} within {seconds} s");
    case ErrorKind::ProbeFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{where}: {detail}");
    case ErrorKind::HttpClosedWithoutAnswer:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "GET {path} closed the connection without an answer");
    case ErrorKind::HttpNoAnswerWithin:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "GET {path} got no answer within {seconds} s");
    case ErrorKind::HttpNotHttp:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "GET {path} did not answer HTTP");
    case ErrorKind::HttpStatus:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "GET {path} answered {status}");
    case ErrorKind::HealthCommandKilled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "health command was killed by a signal");
    case ErrorKind::HealthCommandExited:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "health command exited {exitCode}{output}");
    case ErrorKind::PasswordUnreadable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot read the database password: {detail}");
    case ErrorKind::NoSuchService:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "environment {environment} has no service named {service}; it has: {services}");
    case ErrorKind::ProcessExitedDuringStart:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "process exited during start{output}");
    case ErrorKind::NotHealthyWithin:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "did not become healthy within {seconds} s: {detail}");
    case ErrorKind::StopCommandExited:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "stop command exited {exitCode}{output}");
    case ErrorKind::CommandCannotRun:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot run the {what}: {detail}");
    case ErrorKind::CommandTimedOut:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{what} did not finish within {seconds} s and was stopped");
    case ErrorKind::ProcessForkFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot start {command}: fork failed");
    case ErrorKind::ProcessCannotSignal:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot signal process {pid}: {detail}");
    case ErrorKind::SecretVariableUnset:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "environment variable {name} is not set");
    case ErrorKind::SecretKeyUnset:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{reference}: {key} is not set in {file}");
    case ErrorKind::SecretCommandKilled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{reference} was killed by a signal: {detail}");
    case ErrorKind::SecretCommandExited:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{reference} exited {exitCode}: {detail}");
    case ErrorKind::SecretCommandNotStarted:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{reference} could not be started in {folder}: {detail}");
    case ErrorKind::SecretCommandTooMuchOutput:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{reference} printed more than {bytes} bytes on stdout; expected "
                                 "a single secret and stopped it");
    case ErrorKind::SecretCommandTimedOut:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{reference} did not finish within {milliseconds} ms and was stopped");
    case ErrorKind::SecretReferenceUnsupported:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{reference}: unsupported secret reference");
    case ErrorKind::NoKeyringEntry:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "no keyring entry for {reference}");
    case ErrorKind::KeyringRefusedAtPrompt:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{reference}: access to the keyring was refused at its prompt");
    case ErrorKind::NoEnvironmentIn:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "no environment '{environment}' in {file} (environments: {environments})");
    case ErrorKind::NoDatabaseUrl:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment}: no database URL in {file}");
    case ErrorKind::NoDatabaseToCompare:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment} has no database to compare");
    case ErrorKind::LookupAbandoned:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{reference}: the lookup was abandoned");
    case ErrorKind::NoSecretValueGiven:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "no value given for {secret}");
    case ErrorKind::MigrationsCommandTakesNoTarget:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment}: migrations.command runs `{command}` as it is; a "
                                 "target version does not apply to it");
    case ErrorKind::NoMigrationsCommand:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file} sets no migrations.command");
    case ErrorKind::CancelledBeforeMigrationsCommand:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{environment}: cancelled before the migrations command started; nothing was run");
    case ErrorKind::ParityCheckAbandoned:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the parity check was abandoned");
    case ErrorKind::AuditFolderNotCreated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cannot create the folder {folder} for the audit log");
    case ErrorKind::AuditNotWritten:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cannot write to the audit log {file}: {detail}");
    case ErrorKind::BranchMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "database branch \"{branch}\" does not exist on {address}");
    case ErrorKind::BranchParentMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cannot branch from \"{parent}\": no such database on {address}");
    case ErrorKind::BranchResetParentGone:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "cannot reset \"{branch}\": its parent \"{parent}\" no longer exists on {address}");
    case ErrorKind::BranchIsMainDatabase:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "\"{branch}\" is the environment's main database; a branch needs a name of its own");
    case ErrorKind::BranchOwnParent:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "a branch cannot be its own parent (\"{branch}\")");
    case ErrorKind::GitNotRunnable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "could not run git ({detail}); is git installed and on PATH?");
    case ErrorKind::GitDetachedHead:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "HEAD in {folder} is detached at {commit}, not on a branch; check out a branch first");
    case ErrorKind::GitBranchNameEmpty:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "a git branch name cannot be empty");
    case ErrorKind::ParserOutputUnreadable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{file}: could not read the parser's output ({detail})");
    case ErrorKind::StatementControlsTransaction:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{where}: {statement} controls the transaction, but ParityDeck runs each migration in "
            "its own transaction and records it in the same one; remove it, or add the line "
            "\"{marker}\" to run the file statement by statement without a transaction");
    case ErrorKind::MigrationUnreadable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot read the migration {file}: {detail}");
    case ErrorKind::DuplicateMigrationVersion:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{first} and {second} both have version {version}{zeros}; give "
                                 "one of them a new version");
    case ErrorKind::GolangVersionTooLarge:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{file}: version {version} does not fit golang-migrate's unsigned "
                                 "64-bit version number");
    case ErrorKind::SqitchDeployScriptMissing:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "sqitch.plan line {line} lists change {change}, but {file} does not exist");
    case ErrorKind::AlembicCycle:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "the Alembic revisions {revisions} form a cycle through their down_revision values");
    case ErrorKind::NoMigrationsFolder:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the migrations folder {folder} does not exist; create it or set "
                                 "migrations.dir in paritydeck.yaml");
    case ErrorKind::BadMigrationsFormat:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file}: migrations.format: {reason}");
    case ErrorKind::UnknownMigrationsFormat:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "unknown migrations format \"{name}\"; use one of {formats}");
    case ErrorKind::NothingApplied:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "nothing was applied: {reason}");
    case ErrorKind::RefusedNothingApplied:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{reason}; nothing was applied");
    case ErrorKind::CommitOutcomeUnknown:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "the connection was lost while committing migration {version} ({file}): {detail}; "
            "whether it was applied is unknown — its history row was written in the same "
            "transaction, so `migrate status` shows the truth; {applied}");
    case ErrorKind::BaselineNotRecorded:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "could not record the baseline, nothing was recorded: {reason}");
    case ErrorKind::LockWaitCancelled:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cancelled while waiting for the migration lock");
    case ErrorKind::LockNotFree:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the migration lock was not free after {seconds} s");
    case ErrorKind::LockTryFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "trying the migration lock: {reason}");
    case ErrorKind::CancelledWaitingForHolder:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cancelled while waiting for {holder}; nothing was applied");
    case ErrorKind::LockHeldTooLong:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{holder} held the migration lock for more than {seconds} s; "
                                 "nothing was applied. Try again when that apply has finished");
    case ErrorKind::LockWaitFailed:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "while waiting for the migration lock: {reason}; nothing was applied");
    case ErrorKind::HistoryTableNotCreated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cannot create {table}: {reason}; nothing was applied");
    case ErrorKind::NoMigrationWithVersion:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "there is no migration with version {version} in {folder}");
    case ErrorKind::RefusedCommandNotRun:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{reason}; the migrations command was not run");
    case ErrorKind::MigrationsCommandEmpty:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "migrations.command is empty");
    case ErrorKind::NoTemporaryFolder:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cannot run the {what}: no temporary folder ({detail})");
    case ErrorKind::FolderNotCreated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot create {folder}");
    case ErrorKind::FileNotCreated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot create {file}: {detail}");
    case ErrorKind::FileNotWritten:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot write {file}: {detail}");
    case ErrorKind::NewPlainMigrationWouldNotSortLast:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "this plain migrations folder applies files in name order, and "
                                 "{version}.sql would come before {last}: name the new file "
                                 "yourself so it sorts last (zero-padded numbers keep the order)");
    case ErrorKind::SqitchNeedsPlanEntry:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "sqitch migrations need a plan entry: add the change with `sqitch "
                                 "add {change}` and paste the SQL into its deploy script");
    case ErrorKind::ShadowDatabaseDropped:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the shadow database was already dropped");
    case ErrorKind::CacheFolderNotCreated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot create the cache folder {folder}");
    case ErrorKind::ServiceFolderNotCreated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cannot create the service state folder {folder}");
    case ErrorKind::NoEnvironmentNamed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "there is no environment named {environment} in {file}");
    case ErrorKind::BranchesDatabaseUnsupported:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{environment}: branches.database is \"{value}\"; the supported value is \"template\"");
    case ErrorKind::CloudBranchesNotOnServer:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{environment} has cloud branches (branches.cloud), not branches on its own server");
    case ErrorKind::NoBranchesConfigured:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{environment} has no branches configured; add branches: {setting} to it in {file}");
    case ErrorKind::CloudCleanupUnavailable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment}: cleanup is not available for cloud branches "
                                 "(ParityDeck cannot tell its own branches from the rest of the "
                                 "vendor project); remove them with paritydeck branch delete NAME");
    case ErrorKind::FileUnreadable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot read {file}: {detail}");
    case ErrorKind::BranchSelectionsNotJson:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{file} is not valid JSON ({detail}); fix it or delete it to "
                                 "forget the branch selections");
    case ErrorKind::PrivateFolderNotCreated:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "cannot create the folder {folder}");
    case ErrorKind::FileLockedByOtherProcess:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{file} is locked by another ParityDeck process; try again");
    case ErrorKind::RecordedBranchUrlUnusable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment}: the URL recorded for cloud branch {branch} in "
                                 "{file} is not usable ({reason}); switch to the branch again");
    case ErrorKind::CloudParentBranchRefused:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment}: {branch} is the parent branch (the environment's "
                                 "own database); ParityDeck does not {verb} it");
    case ErrorKind::CloudBranchFromItself:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "a branch cannot be created from itself ({branch})");
    case ErrorKind::NoCloudBranch:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment} has no cloud branch {branch}");
    case ErrorKind::CloudResetParentMissing:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "cannot reset {branch}: its parent branch {parent} is not in the vendor's branch list");
    case ErrorKind::CloudBranchNoUrl:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{source} gave no postgresql:// URL for cloud branch {branch}; "
                                 "check the '{setting}' setting of {environment}");
    case ErrorKind::CloudBranchUrlUnusable:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "the URL {source} gave for cloud branch {branch} is not usable: {reason}");
    case ErrorKind::CloudCommandMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "no command is configured to {verb} cloud branches");
    case ErrorKind::CloudCommandNotStarted:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "could not start /bin/sh to {verb} cloud branches: {detail}");
    case ErrorKind::CloudCommandTooMuchOutput:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the command to {verb} cloud branches printed "
                                                     "more than {megabytes} MB and was stopped");
    case ErrorKind::CloudCommandTimedOut:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the command to {verb} cloud branches did not "
                                                     "finish within {seconds} s and was stopped");
    case ErrorKind::CloudCommandFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the command to {verb} cloud branches failed: {detail}");
    case ErrorKind::CloudBranchListNotJson:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the branch list is not valid JSON ({detail} at byte {offset}); "
                                 "check the list command's output format");
    case ErrorKind::CloudBranchListArrays:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the branch list is a JSON object with {arrays} arrays; expected "
                                 "an array of branches or an object holding exactly one");
    case ErrorKind::CloudBranchEntryNameless:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "entry {entry} of the branch list has no text field \"{field}\"; "
                                 "set jsonNameField to the field that holds the branch name");
    case ErrorKind::CloudBranchNeedsName:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "a cloud branch needs a name");
    case ErrorKind::CloudBranchToDeleteUnnamed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "name the cloud branch to delete");
    case ErrorKind::NameEmpty:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the {what} name cannot be empty");
    case ErrorKind::NameTooLong:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "the {what} name \"{name}\" is longer than PostgreSQL's 63-byte limit");
    case ErrorKind::UrlNamesNoDatabase:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment}: the database URL names no database, so there is "
                                 "no parent to branch from");
    case ErrorKind::ProtectedMainDatabaseNotBranch:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "cannot {action} \"{branch}\": it is the main database of a "
                                 "protected environment (protection: {protection}), not a branch");
    case ErrorKind::MainDatabaseNotBranch:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "cannot {action} \"{branch}\": it is the environment's main database, not a branch");
    case ErrorKind::ResetParentInUse:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "cannot reset \"{branch}\": its parent \"{parent}\" must be copied while nobody else "
            "is connected to it, and {others} connected: {sessions}; close them, or allow "
            "ParityDeck to disconnect them (--force-disconnect)");
    case ErrorKind::GitFolderMissing:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "the folder {folder} does not exist, so it holds no git repository");
    case ErrorKind::GitTimedOut:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "git {command} did not finish within {seconds} s in {folder} and was stopped");
    case ErrorKind::GitBranchMissing:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "git branch {branch} does not exist in {folder}{known}; create it first");
    case ErrorKind::GitBranchNameInvalid:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "\"{branch}\" is not a valid git branch name: {why}");
    case ErrorKind::NameHasControlCharacter:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the {what} name contains the control character U+{codePoint} at "
                                 "position {position}; expected printable characters only");
    case ErrorKind::SecretEnvCountMismatch:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{environment}: expected {expected} resolved secret_env values, got {got}");
    case ErrorKind::FileMissing:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file} does not exist");
    case ErrorKind::DotenvIsFolder:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file} is a directory, not a dotenv file");
    case ErrorKind::DotenvNotRegularFile:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{file} is not a regular file; a dotenv file must be one");
    case ErrorKind::DotenvTooLarge:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{file} is larger than {limit}; a dotenv file is expected to "
                                 "hold a few kilobytes");
    case ErrorKind::NoKeyringAvailable:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{reference}: no keyring available (is a Secret Service such as "
                                 "gnome-keyring running and unlocked?){detail}");
    case ErrorKind::KeyringAccessDenied:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{reference}: access to the keyring was denied (is it unlocked?){detail}");
    case ErrorKind::KeyringOperationFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{operation} {reference} failed{detail}");
    case ErrorKind::SchemaFileDoesNotLoad:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{file} does not load: {reason}");
    case ErrorKind::PasswordNotRead:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the database password was not read");
    case ErrorKind::ScratchUrlInvalid:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "the scratch server URL: {reason}");
    case ErrorKind::HeadMigrationHasNoFile:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{environment}'s newest applied migration {version} has no file in {folder}");
    case ErrorKind::RefusedNothingDone:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{reason}. {nothing}");
    case ErrorKind::NotPromoted:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "not promoted, nothing ran: {gates}");
    case ErrorKind::RefusedNothingRun:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{reason}. Nothing was run.");
    case ErrorKind::ServicesWaitForEachOther:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "services of {environment} wait for each other in 'after'");
    case ErrorKind::NotRestartedMeanwhile:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "not restarted; it was stopped or started meanwhile");
    case ErrorKind::EnvironmentHasNoServices:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "environment {environment} has no services");
    case ErrorKind::ServiceHasNoLog:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "service {service} has no log yet ({file}); it is written once "
                                 "ParityDeck starts the service");
    case ErrorKind::ChildSetupFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{what}: {detail}");
    case ErrorKind::TcpTargetNotHostPort:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "tcp probe target {target} is not HOST:PORT");
    case ErrorKind::SecretOnlyRead:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "cannot {verb} {secret}: it refers to {reference}, which ParityDeck only reads");
    case ErrorKind::StartFolderMissing:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{folder}: no such folder; expected a folder inside a ParityDeck workspace");
    case ErrorKind::NoWorkspaceFile:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "no {file} in {folder} or any folder above it; expected a "
                                 "workspace file there, or --workspace PATH");
    case ErrorKind::ConnectWaitFailed:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "could not wait for {address}: {detail}");
    case ErrorKind::NonBlockingFailed:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "could not switch the connection to {address} to non-blocking mode");
    case ErrorKind::CopyFromStdinUnsupported:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "COPY … FROM STDIN is not supported here");
    case ErrorKind::CopyToStdoutUnsupported:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage", "COPY … TO STDOUT is not supported here");
    case ErrorKind::ReplicationCopyUnsupported:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "replication COPY is not supported here; the connection was closed");
    case ErrorKind::NotPromotedFromAnother:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "{environment} is not promoted from another environment; set "
                                 "environments.{environment}.promotes_from in {file}");
    case ErrorKind::UpstreamNotAnEnvironment:
        return QT_TRANSLATE_NOOP(
            "pd::ErrorMessage",
            "{environment} is promoted from {upstream}, which is not an environment of {file}");
    case ErrorKind::RevertNeedsTransaction:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "the revert has a statement that cannot run in a transaction; "
                                 "save it as a migration instead");
    case ErrorKind::SecretResolverNoAnswer:
        return QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                 "no answer from the secret resolver within {seconds} s");
    case ErrorKind::EndOfKinds:
        return nullptr;
    }
    return nullptr;
}

const char *errorPrefixTemplate()
{
    return QT_TRANSLATE_NOOP("pd::ErrorMessage", "{environment}: ");
}

namespace {

void collectMissing(const QString &templateText, const QList<ErrorArg> &args, int depth,
                    QStringList *missing)
{
    qsizetype i = 0;
    while (depth < 8) {
        const qsizetype open = templateText.indexOf(u'{', i);
        const qsizetype close = open < 0 ? -1 : templateText.indexOf(u'}', open + 1);
        if (open < 0 || close < 0)
            return;
        const QString name = templateText.mid(open + 1, close - open - 1);
        const auto found = std::find_if(args.cbegin(), args.cend(),
                                        [&name](const ErrorArg &arg) { return arg.name == name; });
        if (found == args.cend()) {
            if (!missing->contains(name))
                missing->append(name);
        } else if (found->phrase) {
            collectMissing(QString::fromUtf8(found->phrase), args, depth + 1, missing);
        } else if (found->nested) {
            if (const char *inner = errorTemplate(found->nested->kind))
                collectMissing(QString::fromUtf8(inner), found->nested->args, depth + 1, missing);
        }
        i = close + 1;
    }
}

} // namespace

QStringList missingErrorParameters(ErrorKind kind, const QList<ErrorArg> &args)
{
    QStringList missing;
    if (const char *text = errorTemplate(kind))
        collectMissing(QString::fromUtf8(text), args, 0, &missing);
    return missing;
}

namespace {

// Parameters that name a file or folder: a name may hold a line break or an escape sequence
// (a folder called "a\nb"), which would split "file:line:col: …" over two lines of the
// terminal or drive it. Such a value is shown on one line (common/printable.h); a
// parameter holding a server's or a tool's own message keeps its lines.
bool isPathParameter(const QString &name)
{
    return name == u"file" || name == u"folder" || name == u"path";
}

} // namespace

QString composeErrorText(const QString &templateText, const QList<ErrorArg> &args,
                         const TemplateTranslator &translate)
{
    // One pass over the template only: a value that itself contains "{…}" (a server's
    // message, a file name) is copied, never expanded.
    QString out;
    out.reserve(templateText.size() + 64);
    qsizetype i = 0;
    while (i < templateText.size()) {
        const qsizetype open = templateText.indexOf(u'{', i);
        const qsizetype close = open < 0 ? -1 : templateText.indexOf(u'}', open + 1);
        if (open < 0 || close < 0) {
            out += QStringView(templateText).mid(i);
            break;
        }
        out += QStringView(templateText).mid(i, open - i);
        const QStringView name = QStringView(templateText).mid(open + 1, close - open - 1);
        const ErrorArg *found = nullptr;
        for (const ErrorArg &arg : args) {
            if (arg.name == name) {
                found = &arg;
                break;
            }
        }
        if (!found)
            out += QStringView(templateText).mid(open, close - open + 1);
        else if (found->phrase)
            out += composeErrorText(translate(found->phrase), args, translate);
        else if (found->nested)
            out += composeError(found->nested->kind, found->nested->args, found->nested->within,
                                translate);
        else if (isPathParameter(found->name))
            out += oneLine(found->value);
        else
            out += found->value;
        i = close + 1;
    }
    return out;
}

QString composeError(ErrorKind kind, const QList<ErrorArg> &args, const QStringList &within,
                     const TemplateTranslator &translate)
{
    const char *text = errorTemplate(kind);
    if (!text)
        return {};
    QString out = composeErrorText(translate(text), args, translate);
    // Innermost last: "migrations:prod: staging: " before the sentence.
    for (auto it = within.crbegin(); it != within.crend(); ++it)
        out.prepend(composeErrorText(translate(errorPrefixTemplate()),
                                     {ErrorArg::text(QStringLiteral("environment"), *it)},
                                     translate));
    return out;
}

QString englishErrorText(ErrorKind kind, const QList<ErrorArg> &args)
{
    const char *text = errorTemplate(kind);
    if (!text)
        return {};
    return composeErrorText(QString::fromUtf8(text), args,
                            [](const char *phrase) { return QString::fromUtf8(phrase); });
}

} // namespace pd
