#include "environmentstatus.h"

#include <algorithm>

namespace pd {

QString statusStateName(StatusState state)
{
    switch (state) {
    case StatusState::Unknown:
        return QStringLiteral("unknown");
    case StatusState::Up:
        return QStringLiteral("up");
    case StatusState::Down:
        return QStringLiteral("down");
    case StatusState::Starting:
        return QStringLiteral("starting");
    case StatusState::Degraded:
        return QStringLiteral("degraded");
    case StatusState::Error:
        return QStringLiteral("error");
    case StatusState::Attention:
        return QStringLiteral("attention");
    }
    return QStringLiteral("unknown");
}

QString statusStateLabel(StatusState state)
{
    switch (state) {
    case StatusState::Unknown:
        return QStringLiteral("Checking…");
    case StatusState::Up:
        return QStringLiteral("Up");
    case StatusState::Down:
        return QStringLiteral("Down");
    case StatusState::Starting:
        return QStringLiteral("Starting");
    case StatusState::Degraded:
        return QStringLiteral("Degraded");
    case StatusState::Error:
        return QStringLiteral("Error");
    case StatusState::Attention:
        return QStringLiteral("Needs attention");
    }
    return QStringLiteral("Unknown");
}

int statusPrecedence(StatusState state)
{
    // The enum's values are stable (settings, icon caches); the ranking is this table.
    switch (state) {
    case StatusState::Unknown:
        return 0;
    case StatusState::Up:
        return 1;
    case StatusState::Attention:
        return 2;
    case StatusState::Down:
        return 3;
    case StatusState::Starting:
        return 4;
    case StatusState::Degraded:
        return 5;
    case StatusState::Error:
        return 6;
    }
    return 0;
}

StatusState aggregateState(const QList<StatusState> &states)
{
    if (states.isEmpty())
        return StatusState::Unknown;
    StatusState worst = StatusState::Up;
    bool anyKnown = false;
    for (StatusState s : states) {
        if (s == StatusState::Unknown)
            continue;
        anyKnown = true;
        if (statusPrecedence(s) > statusPrecedence(worst))
            worst = s;
    }
    // While some environments are still unchecked and the rest are fine, say "checking".
    if (!anyKnown || (worst == StatusState::Up && states.contains(StatusState::Unknown)))
        return StatusState::Unknown;
    return worst;
}

QString driftStateName(DriftStatus::State state)
{
    switch (state) {
    case DriftStatus::State::Unknown:
        return QStringLiteral("unknown");
    case DriftStatus::State::None:
        return QStringLiteral("none");
    case DriftStatus::State::Drifted:
        return QStringLiteral("drifted");
    case DriftStatus::State::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("unknown");
}

QString driftText(const DriftStatus &drift)
{
    switch (drift.state) {
    case DriftStatus::State::None:
        return QStringLiteral("drift: none");
    case DriftStatus::State::Drifted:
        return drift.objects == 1 ? QStringLiteral("drift: 1 object")
                                  : QStringLiteral("drift: %1 objects").arg(drift.objects);
    case DriftStatus::State::Error:
        return QStringLiteral("drift: error");
    case DriftStatus::State::Unknown:
        break;
    }
    return QStringLiteral("drift: unknown");
}

QString attentionKindName(AttentionKind kind)
{
    switch (kind) {
    case AttentionKind::UnreadableSecret:
        return QStringLiteral("unreadable-secret");
    case AttentionKind::FailedMigrations:
        return QStringLiteral("failed-migrations");
    case AttentionKind::ChangedMigrations:
        return QStringLiteral("changed-migrations");
    case AttentionKind::MissingMigrations:
        return QStringLiteral("missing-migrations");
    case AttentionKind::UnknownMigrationStatus:
        return QStringLiteral("unknown-migration-status");
    case AttentionKind::Drift:
        return QStringLiteral("drift");
    case AttentionKind::DriftError:
        return QStringLiteral("drift-error");
    case AttentionKind::PendingMigrations:
        return QStringLiteral("pending-migrations");
    }
    return QString();
}

namespace {

QString counted(int n, const char *one, const char *many)
{
    return QString::number(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? one : many);
}

} // namespace

bool operator==(const ReasonErrors &a, const ReasonErrors &b)
{
    return std::equal(a.parts.cbegin(), a.parts.cend(), b.parts.cbegin(), b.parts.cend(),
                      [](const Error &x, const Error &y) { return x.message == y.message; });
}

void setReason(ServiceStatus &status, Error reason)
{
    status.reason = reason.message;
    status.reasonErrors.parts = {std::move(reason)};
}

void setReason(EnvironmentStatus &status, QList<Error> parts)
{
    QStringList texts;
    for (const Error &part : std::as_const(parts))
        texts.append(part.message);
    status.reason = texts.join(QStringLiteral("; "));
    status.reasonErrors.parts = std::move(parts);
}

void setReason(EnvironmentStatus &status, const QString &text)
{
    setReason(status,
              text.isEmpty() ? QList<Error>() : QList<Error>{Error(ErrorCode::Runtime, text)});
}

bool sameFactsShown(const EnvironmentStatus &a, const EnvironmentStatus &b)
{
    // Only when, and how fast: whether it was checked at all still counts.
    const auto facts = [](EnvironmentStatus s) {
        s.checkedAt =
            s.checkedAt.isValid() ? QDateTime::fromSecsSinceEpoch(0, Qt::UTC) : QDateTime();
        s.latencyMs = -1;
        s.lastSeenAt = QDateTime();
        return s;
    };
    return facts(a) == facts(b);
}

bool sameStateShown(const EnvironmentStatus &a, const EnvironmentStatus &b)
{
    const auto withoutSize = [](EnvironmentStatus s) {
        s.databaseSizeBytes = s.databaseSizeBytes < 0 ? -1 : 0;
        s.lastSeenSizeBytes = s.lastSeenSizeBytes < 0 ? -1 : 0;
        return s;
    };
    return sameFactsShown(withoutSize(a), withoutSize(b));
}

QString unreadableSecretLabel(const QString &name, const SecretRef &reference)
{
    return name + QStringLiteral(" (") + reference.toString() + QLatin1Char(')');
}

QList<AttentionItem> attentionItems(const EnvironmentStatus &status)
{
    QList<AttentionItem> items;
    if (status.secretUnreadable)
        items.append({AttentionKind::UnreadableSecret, 1, QStringLiteral("password unreadable")});
    if (!status.unreadableSecrets.isEmpty())
        items.append(
            {AttentionKind::UnreadableSecret, int(status.unreadableSecrets.size()),
             (status.unreadableSecrets.size() == 1 ? QStringLiteral("secret unreadable: ")
                                                   : QStringLiteral("secrets unreadable: ")) +
                 status.unreadableSecrets.join(QStringLiteral(", "))});
    const SchemaFacts &schema = status.schema;
    // Only where the database answered: a server that is down cannot be read either, and
    // its state already says so.
    const bool reached = status.state == StatusState::Up || status.state == StatusState::Degraded;
    if (!schema.known && !schema.noMigrations && !schema.error.isEmpty() && reached)
        items.append({AttentionKind::UnknownMigrationStatus, 0,
                      QStringLiteral("migration status unknown: ") + schema.error});
    if (schema.known) {
        if (schema.failed > 0)
            items.append({AttentionKind::FailedMigrations, schema.failed,
                          counted(schema.failed, "failed migration", "failed migrations")});
        if (schema.changed > 0)
            items.append({AttentionKind::ChangedMigrations, schema.changed,
                          counted(schema.changed, "changed migration", "changed migrations")});
        if (schema.missing > 0)
            items.append(
                {AttentionKind::MissingMigrations, schema.missing,
                 counted(schema.missing, "missing migration file", "missing migration files")});
        if (schema.pending > 0)
            items.append({AttentionKind::PendingMigrations, schema.pending,
                          counted(schema.pending, "pending migration", "pending migrations")});
    }
    if (status.drift.state == DriftStatus::State::Drifted)
        items.append(
            {AttentionKind::Drift, status.drift.objects,
             QStringLiteral("drift, ") + counted(status.drift.objects, "object", "objects")});
    else if (status.drift.state == DriftStatus::State::Error)
        items.append({AttentionKind::DriftError, 0,
                      QStringLiteral("drift check failed: ") + status.drift.reason});
    std::stable_sort(items.begin(), items.end(),
                     [](const AttentionItem &a, const AttentionItem &b) {
                         return static_cast<int>(a.kind) < static_cast<int>(b.kind);
                     });
    return items;
}

QString attentionText(const QList<AttentionItem> &items)
{
    QStringList parts;
    for (const AttentionItem &item : items)
        parts.append(item.text);
    return parts.join(QStringLiteral(", "));
}

StatusState shownState(const EnvironmentStatus &status)
{
    if (status.state == StatusState::Up && !attentionItems(status).isEmpty())
        return StatusState::Attention;
    return status.state;
}

bool schemaFactsCurrent(const EnvironmentStatus &status)
{
    return status.state == StatusState::Up || status.state == StatusState::Degraded;
}

QString problemLine(const EnvironmentStatus &status)
{
    const StatusState shown = shownState(status);
    if (shown == StatusState::Up)
        return QString();
    if (shown == StatusState::Attention)
        return status.environment + QStringLiteral(": ") + attentionText(attentionItems(status));
    QString line = status.environment + QStringLiteral(": ") + statusStateLabel(shown);
    // Degraded (a service down, the database answering): its problems still count.
    const QString more = attentionText(attentionItems(status));
    if (!more.isEmpty() && schemaFactsCurrent(status))
        line += QStringLiteral(", ") + more;
    return line;
}

} // namespace pd
