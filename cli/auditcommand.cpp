// paritydeck audit: the append-only record of what ParityDeck changed, and recordAudit(),
// which the other commands use to add to it.
#include "audit/auditlog.h"
#include "command.h"
#include "output.h"

#include <QJsonArray>

namespace pd::cli {

namespace {

const QString AuditUsage = QStringLiteral(
    "Usage: paritydeck audit [--env ENV] [--action ACTION] [--limit N] [--json]\n"
    "Prints the audit log (oldest first): every start/stop, migration apply or baseline,\n"
    "branch change, secret change and refusal, with who, when, outcome and duration.\n");

} // namespace

void recordAudit(const QString &environment, const QString &action, const QString &target,
                 const Error *error, qint64 durationMs, const QString &detail,
                 const QString &operation)
{
    AuditEntry entry = auditEntryFor(environment, action, target, error, durationMs, detail);
    entry.operation = operation;
    if (auto written = AuditLog().append(entry); !written)
        errLine(QStringLiteral("paritydeck: could not write the audit log: ") +
                written.error().message);
}

int auditCommand(const CommandContext &context)
{
    AuditFilter filter;
    bool json = false;
    const QStringList &args = context.args;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(AuditUsage);
            return 0;
        }
        const bool takesValue = arg == QLatin1String("--env") || arg == QLatin1String("--action") ||
                                arg == QLatin1String("--limit");
        if (takesValue && i + 1 >= args.size())
            return usageError(QStringLiteral("audit: %1 needs a value").arg(arg), AuditUsage);
        if (arg == QLatin1String("--json")) {
            json = true;
        } else if (arg == QLatin1String("--env")) {
            filter.environment = args.at(++i);
        } else if (arg == QLatin1String("--action")) {
            filter.action = args.at(++i);
        } else if (arg == QLatin1String("--limit")) {
            bool ok = false;
            filter.limit = args.at(++i).toInt(&ok);
            if (!ok || filter.limit <= 0)
                return usageError(QStringLiteral("audit: --limit needs a positive number"),
                                  AuditUsage);
        } else {
            return usageError(QStringLiteral("audit: unexpected argument '%1'").arg(arg),
                              AuditUsage);
        }
    }
    AuditLog log;
    auto entries = log.read(filter);
    if (!entries)
        return fail(entries.error());
    if (json) {
        QJsonArray items;
        for (const AuditEntry &e : *entries)
            items.append(e.toJson());
        outJson(QJsonDocument(items));
        return 0;
    }
    if (entries->isEmpty())
        outLine(QStringLiteral("no audit entries yet (%1)").arg(log.path()));
    for (const AuditEntry &e : *entries)
        outLine(e.toText());
    return 0;
}

} // namespace pd::cli
