#include "common/errormessage.h"

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
        else
            out += found->value;
        i = close + 1;
    }
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
