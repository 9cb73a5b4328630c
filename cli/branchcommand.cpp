// paritydeck branch …: database branches tied to git branches, on the environment's own
// server. Every refusal from core (dirty tree, sessions on the parent, protected parent)
// is printed as it comes: a sentence that says what to do.
#include "audit/auditlog.h"
#include "branches/branchnaming.h"
#include "branches/branchswitcher.h"
#include "branches/cloudbranchactions.h"
#include "branches/cloudbranches.h"
#include "command.h"
#include "common/printable.h"
#include "output.h"
#include "workspace/protection.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pd::cli {

namespace {

const QString BranchUsage = QStringLiteral(
    "Usage: paritydeck branch list [--env ENV] [--json]\n"
    "       paritydeck branch create NAME [--from PARENT] [--env ENV] [--force-disconnect] "
    "[--confirm ENV]\n"
    "       paritydeck branch switch GIT_BRANCH [--create] [--env ENV] [--force-disconnect] "
    "[--confirm ENV]\n"
    "       paritydeck branch reset NAME [--env ENV] [--force-disconnect] [--confirm ENV]\n"
    "       paritydeck branch delete NAME [--env ENV] [--confirm ENV]\n"
    "       paritydeck branch cleanup [--older-than DAYS] [--dry-run] [--env ENV]\n"
    "ENV defaults to the first environment with database branches ('database: template'\n"
    "or 'cloud:'). Cloud branches are created, listed and deleted by the vendor's CLI;\n"
    "switch points the environment at the branch's URL; cleanup is local only.\n"
    "switch checks out the git branch and points the environment at its database branch\n"
    "(created from the main database on first use). NAME may be a database or git branch.\n"
    "--force-disconnect ends other sessions on the parent (e.g. PgBouncer's idle ones).\n"
    "Every change to a 'protection: confirm' environment needs --confirm ENV (its name);\n"
    "a 'read-only' one refuses them. Refusals are audited.\n");

struct BranchArgs
{
    QString action;
    QStringList positional;
    QString environment;
    QString from;
    bool json = false;
    bool create = false;
    bool forceDisconnect = false;
    bool dryRun = false;
    QString confirmation; // --confirm ENV
    int olderThanDays = 0;
};

Result<BranchArgs> parseArgs(const QStringList &args)
{
    BranchArgs parsed;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        auto next = [&]() -> Result<QString> {
            if (i + 1 >= args.size())
                return Error(ErrorCode::Usage, QStringLiteral("%1 needs a value").arg(arg));
            return args.at(++i);
        };
        if (arg == QLatin1String("--json"))
            parsed.json = true;
        else if (arg == QLatin1String("--create"))
            parsed.create = true;
        else if (arg == QLatin1String("--force-disconnect"))
            parsed.forceDisconnect = true;
        else if (arg == QLatin1String("--dry-run"))
            parsed.dryRun = true;
        else if (arg == QLatin1String("--env") || arg == QLatin1String("--from") ||
                 arg == QLatin1String("--older-than") || arg == QLatin1String("--confirm")) {
            auto v = next();
            if (!v)
                return v.error();
            if (arg == QLatin1String("--env"))
                parsed.environment = *v;
            else if (arg == QLatin1String("--confirm"))
                parsed.confirmation = *v;
            else if (arg == QLatin1String("--from"))
                parsed.from = *v;
            else {
                bool ok = false;
                parsed.olderThanDays = v->toInt(&ok);
                if (!ok || parsed.olderThanDays < 0)
                    return Error(ErrorCode::Usage,
                                 QStringLiteral("--older-than needs a whole number of days"));
            }
        } else if (arg.startsWith(QLatin1Char('-')))
            return Error(ErrorCode::Usage, QStringLiteral("branch: unknown option '%1'").arg(arg));
        else
            parsed.positional.append(arg);
    }
    if (parsed.positional.isEmpty())
        return Error(ErrorCode::Usage, QStringLiteral("branch: expected an action"));
    parsed.action = parsed.positional.takeFirst();
    static const QStringList actions{QStringLiteral("list"),   QStringLiteral("create"),
                                     QStringLiteral("switch"), QStringLiteral("reset"),
                                     QStringLiteral("delete"), QStringLiteral("cleanup")};
    if (!actions.contains(parsed.action))
        return Error(ErrorCode::Usage,
                     QStringLiteral("branch: unknown action '%1'").arg(parsed.action));
    const bool needsName =
        parsed.action != QLatin1String("list") && parsed.action != QLatin1String("cleanup");
    if (needsName && parsed.positional.size() != 1)
        return Error(ErrorCode::Usage,
                     QStringLiteral("branch %1: expected one name").arg(parsed.action));
    if (!needsName && !parsed.positional.isEmpty())
        return Error(ErrorCode::Usage, QStringLiteral("branch %1: unexpected argument '%2'")
                                           .arg(parsed.action, parsed.positional.first()));
    // Refused before anything is echoed: the name would otherwise reach the terminal, the
    // audit log and a vendor's command line with its line breaks intact.
    if (needsName) {
        if (auto valid =
                branchnaming::checkName(parsed.positional.first(), QStringLiteral("branch"));
            !valid)
            return Error(ErrorCode::Usage,
                         QStringLiteral("branch %1: %2").arg(parsed.action, valid.error().message));
    }
    if (auto valid = branchnaming::checkName(parsed.from, QStringLiteral("parent branch")); !valid)
        return Error(ErrorCode::Usage,
                     QStringLiteral("branch %1: %2").arg(parsed.action, valid.error().message));
    return parsed;
}

Result<const EnvironmentConfig *> branchEnvironment(const Workspace &workspace,
                                                    const QString &requested)
{
    if (!requested.isEmpty())
        return findEnvironment(workspace, requested);
    for (const EnvironmentConfig &env : workspace.environments) {
        if (env.branches.hasDatabaseBranches())
            return &env;
    }
    return Error(ErrorCode::Usage,
                 QStringLiteral("no environment has database branches enabled "
                                "(branches: { database: template } or branches: { cloud: … }); "
                                "name one with --env"));
}

QString formatAge(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("-");
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h").arg(seconds / 3600);
    return QStringLiteral("%1 d").arg(seconds / 86400);
}

// The verbs for an environment whose branches live at a vendor (branches.cloud).
int cloudBranchCommand(const BranchArgs &args, const Workspace &workspace,
                       const EnvironmentConfig &env)
{
    // The vendor CLI's own secrets (an API key), for its environment only.
    QList<Result<SecretValue>> resolved;
    for (const SecretRef &ref : cloudSecretReferences(env))
        resolved.append(resolveSecret(workspace, ref));
    auto secretEnvironment = cloudSecretEnvironment(env, resolved);
    if (!secretEnvironment)
        return fail(secretEnvironment.error());
    const QMap<QString, QString> &secrets =
        *secretEnvironment; // goes to the child environment only
    const CloudBranches cloud(workspace, env, secrets);

    if (args.action == QLatin1String("list")) {
        auto list = cloud.list();
        if (!list)
            return fail(list.error());
        if (args.json) {
            QJsonArray items;
            for (const CloudBranchListing &b : *list) {
                QJsonObject o;
                o.insert(QStringLiteral("name"), b.branch.name);
                o.insert(QStringLiteral("parent"),
                         b.parent.isEmpty() ? QJsonValue() : QJsonValue(b.parent));
                o.insert(QStringLiteral("created"),
                         b.created.isEmpty() ? QJsonValue() : QJsonValue(b.created));
                o.insert(QStringLiteral("is_parent"), b.isParent);
                o.insert(QStringLiteral("selected"), b.selected);
                items.append(o);
            }
            QJsonObject root;
            root.insert(QStringLiteral("environment"), env.name);
            root.insert(QStringLiteral("cloud"), true);
            root.insert(QStringLiteral("parent_branch"), cloud.parentBranch());
            root.insert(QStringLiteral("branches"), items);
            outJson(QJsonDocument(root));
            return 0;
        }
        QList<QStringList> rows;
        QString current = cloud.parentBranch();
        for (const CloudBranchListing &b : *list) {
            if (b.selected)
                current = b.branch.name;
            rows.append(
                {b.selected ? QStringLiteral("*") : QString(), b.branch.name, b.parent, b.created});
        }
        outLine(QStringLiteral("%1: cloud branches, parent %2, using %3")
                    .arg(oneLine(env.name), oneLine(cloud.parentBranch()), oneLine(current)));
        if (rows.isEmpty())
            outLine(QStringLiteral("the vendor lists no branches"));
        else
            out(formatTable({QString(), QStringLiteral("BRANCH"), QStringLiteral("PARENT"),
                             QStringLiteral("CREATED")},
                            rows));
        return 0;
    }

    if (args.action == QLatin1String("switch")) {
        BranchSwitcher switcher(workspace, env.name, SecretValue());
        switcher.setCloudSecretEnvironment(secrets);
        switcher.setConfirmation(args.confirmation);
        BranchSwitchOptions options;
        options.createGitBranch = args.create;
        auto outcome = switcher.switchTo(args.positional.first(), options);
        recordAudit(env.name, QStringLiteral("branch-switch"), args.positional.first(),
                    outcome ? nullptr : &outcome.error(), outcome ? outcome->creationMs : -1,
                    outcome ? outcome->summary(env.name) : QString());
        if (!outcome)
            return fail(outcome.error());
        outLine(outcome->summary(env.name));
        return 0;
    }

    if (args.action == QLatin1String("cleanup")) {
        BranchSwitcher switcher(workspace, env.name, SecretValue());
        auto report = switcher.cleanup(args.olderThanDays, args.dryRun);
        return fail(report ? Error(ErrorCode::Runtime,
                                   QStringLiteral("unexpected cleanup of cloud branches"))
                           : report.error());
    }

    const CloudBranchAction action =
        args.action == QLatin1String("create")  ? CloudBranchAction::Create
        : args.action == QLatin1String("reset") ? CloudBranchAction::Reset
                                                : CloudBranchAction::Delete;
    const CloudBranchActionOutcome outcome =
        runCloudBranchAction(cloud, action, args.positional.first(), args.from);
    if (outcome.attempted)
        recordAudit(env.name, QStringLiteral("branch-") + args.action, outcome.target,
                    outcome.error ? &*outcome.error : nullptr, outcome.elapsedMs,
                    outcome.auditDetail);
    if (outcome.error)
        return fail(*outcome.error);
    outLine(outcome.sentence);
    return 0;
}

} // namespace

int branchCommand(const CommandContext &context)
{
    if (context.args.contains(QStringLiteral("--help")) ||
        context.args.contains(QStringLiteral("-h"))) {
        out(BranchUsage);
        return 0;
    }
    auto args = parseArgs(context.args);
    if (!args)
        return usageError(args.error().message, BranchUsage);
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    auto env = branchEnvironment(*workspace, args->environment);
    if (!env)
        return fail(env.error());
    // One rule for protected environments (workspace/protection.h), asked before anything
    // is read or changed; the core asks again where it acts.
    const bool changes = args->action != QLatin1String("list") &&
                         !(args->action == QLatin1String("cleanup") && args->dryRun);
    if (changes) {
        if (auto allowed = checkProtection(**env, ProtectedChange::Branches, args->confirmation);
            !allowed) {
            recordAudit((*env)->name, QStringLiteral("branch-") + args->action,
                        args->positional.value(0), &allowed.error(), -1, QString());
            return fail(allowed.error());
        }
    }
    if ((*env)->branches.cloud)
        return cloudBranchCommand(*args, *workspace, **env);
    auto params = connectionFor(*workspace, **env, ConnectionPurpose::BranchAdmin);
    if (!params)
        return fail(params.error());
    BranchSwitcher switcher(*workspace, (*env)->name, params->password);
    switcher.setConfirmation(args->confirmation);
    auto branches = switcher.databaseBranches();
    if (!branches)
        return fail(branches.error());
    BranchCreateOptions createOptions;
    createOptions.forceDisconnect = args->forceDisconnect;

    if (args->action == QLatin1String("list")) {
        auto list = branches->list();
        if (!list)
            return fail(list.error());
        const QString current = effectiveDatabase(*workspace, (*env)->name);
        if (args->json) {
            QJsonArray items;
            for (const DatabaseBranchInfo &b : *list) {
                QJsonObject o;
                o.insert(QStringLiteral("name"), b.name);
                o.insert(QStringLiteral("parent"), b.parent);
                o.insert(QStringLiteral("git_branch"), b.gitBranch);
                o.insert(QStringLiteral("created"), b.created.toString(Qt::ISODate));
                o.insert(QStringLiteral("size_bytes"),
                         b.sizeBytes < 0 ? QJsonValue() : QJsonValue(double(b.sizeBytes)));
                o.insert(QStringLiteral("selected"), b.name == current);
                items.append(o);
            }
            QJsonObject root;
            root.insert(QStringLiteral("environment"), (*env)->name);
            root.insert(QStringLiteral("main_database"), branches->mainDatabase());
            root.insert(QStringLiteral("selected"), current);
            root.insert(QStringLiteral("branches"), items);
            outJson(QJsonDocument(root));
            return 0;
        }
        QList<QStringList> rows;
        for (const DatabaseBranchInfo &b : *list)
            rows.append({b.name == current ? QStringLiteral("*") : QString(), b.name, b.gitBranch,
                         b.parent, formatBytes(b.sizeBytes), formatAge(b.ageSeconds())});
        outLine(
            QStringLiteral("%1: main database %2, using %3")
                .arg(oneLine((*env)->name), oneLine(branches->mainDatabase()), oneLine(current)));
        if (rows.isEmpty())
            outLine(QStringLiteral(
                "no database branches yet (paritydeck branch switch GIT_BRANCH creates one)"));
        else
            out(formatTable({QString(), QStringLiteral("DATABASE"), QStringLiteral("GIT BRANCH"),
                             QStringLiteral("PARENT"), QStringLiteral("SIZE"),
                             QStringLiteral("AGE")},
                            rows));
        return 0;
    }

    if (args->action == QLatin1String("switch")) {
        BranchSwitchOptions options;
        options.createGitBranch = args->create;
        options.forceDisconnect = args->forceDisconnect;
        // Before a copy that may take minutes: a killed run still leaves its start.
        const QString operation = AuditLog().begin((*env)->name, QStringLiteral("branch-switch"),
                                                   args->positional.first());
        auto outcome = switcher.switchTo(args->positional.first(), options);
        recordAudit((*env)->name, QStringLiteral("branch-switch"), args->positional.first(),
                    outcome ? nullptr : &outcome.error(), outcome ? outcome->creationMs : -1,
                    outcome ? outcome->summary((*env)->name) : QString(), operation);
        if (!outcome)
            return fail(outcome.error());
        outLine(outcome->summary((*env)->name));
        return 0;
    }

    if (args->action == QLatin1String("create")) {
        const QString operation = AuditLog().begin((*env)->name, QStringLiteral("branch-create"),
                                                   args->positional.first());
        auto created = branches->create(args->positional.first(), args->from, createOptions);
        recordAudit((*env)->name, QStringLiteral("branch-create"), args->positional.first(),
                    created ? nullptr : &created.error(), created ? created->elapsedMs : -1, {},
                    operation);
        if (!created)
            return fail(created.error());
        outLine(QStringLiteral("created %1 from %2 in %3 s")
                    .arg(oneLine(created->branch.name), oneLine(created->branch.parent))
                    .arg(double(created->elapsedMs) / 1000.0, 0, 'f', 1));
        return 0;
    }

    if (args->action == QLatin1String("cleanup")) {
        auto report = switcher.cleanup(args->olderThanDays, args->dryRun);
        if (!args->dryRun)
            recordAudit((*env)->name, QStringLiteral("branch-cleanup"), QString(),
                        report ? nullptr : &report.error(), -1,
                        report ? report->removed.join(QStringLiteral(", ")) : QString());
        if (!report)
            return fail(report.error());
        for (const BranchCleanupItem &item : report->candidates)
            outLine(
                QStringLiteral("%1 %2: %3")
                    .arg(args->dryRun ? QStringLiteral("would remove") : QStringLiteral("remove"),
                         oneLine(item.branch.name), oneLine(item.reason)));
        for (const QString &failure : report->failures)
            errLine(QStringLiteral("paritydeck: ") + oneLine(failure));
        if (report->candidates.isEmpty())
            outLine(QStringLiteral("nothing to clean up"));
        return report->failures.isEmpty() ? 0 : 3;
    }

    auto name = switcher.resolveBranch(args->positional.first());
    if (!name)
        return fail(name.error());
    if (args->action == QLatin1String("reset")) {
        const QString operation =
            AuditLog().begin((*env)->name, QStringLiteral("branch-reset"), *name);
        auto reset = branches->reset(*name, createOptions);
        recordAudit((*env)->name, QStringLiteral("branch-reset"), *name,
                    reset ? nullptr : &reset.error(), reset ? reset->elapsedMs : -1, {}, operation);
        if (!reset)
            return fail(reset.error());
        outLine(QStringLiteral("reset %1 from %2 in %3 s")
                    .arg(oneLine(reset->branch.name), oneLine(reset->branch.parent))
                    .arg(double(reset->elapsedMs) / 1000.0, 0, 'f', 1));
        return 0;
    }
    auto removed = switcher.remove(*name);
    recordAudit((*env)->name, QStringLiteral("branch-delete"), *name,
                removed ? nullptr : &removed.error(), -1);
    if (!removed)
        return fail(removed.error());
    outLine(QStringLiteral("deleted %1").arg(oneLine(*name)));
    return 0;
}

} // namespace pd::cli
