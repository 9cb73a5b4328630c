// What the panel, the tray and `paritydeck status` say about one environment: whether it
// runs (StatusState, from the status monitor's probes), and what about it needs the user's
// attention (pending or broken migrations, schema drift, an unreadable secret). The one
// order in which those are ranked — for the card, the compact row, the tray, the status
// bar and the CLI alike — is defined here and nowhere else.
#pragma once

#include "audit/sharedhistory.h"
#include "common/result.h"
#include "secrets/secretref.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace pd {

// Ordered by precedence for aggregation (higher wins):
// Error > Degraded > Starting > Down > Attention > Up.
// Unknown means "not checked yet" and is shown as such, never as up. Attention is never a
// probe's result: it is an environment that is up (see shownState()) with something in
// attentionItems() — it is reachable, but not in the state its migrations say it should be.
enum class StatusState {
    Unknown = 0,
    Up = 1,
    Down = 2,
    Starting = 3,
    Degraded = 4,
    Error = 5,
    Attention = 6
};

QString statusStateName(StatusState state); // "up", "down", "attention", … (stable: used in JSON)
QString statusStateLabel(StatusState state); // "Up", "Down", "Needs attention", … (for people)
int statusPrecedence(StatusState state);
StatusState aggregateState(const QList<StatusState> &states);

// A reason as data: the errors its text was made of, for the panel to word in its language
// (ui::reasonText()); the text itself (reason) is their English messages, "; " between them.
// Two are equal when their messages are: reason already compares what they say.
struct ReasonErrors
{
    QList<Error> parts;
    friend bool operator==(const ReasonErrors &a, const ReasonErrors &b);
};

struct ServiceStatus
{
    QString name;
    StatusState state = StatusState::Unknown;
    QString reason;
    ReasonErrors reasonErrors; // reason as data, at most one part; set both with setReason()
    friend bool operator==(const ServiceStatus &, const ServiceStatus &) = default;
};
void setReason(ServiceStatus &status, Error reason);

// The environment's migration status as last read (MigrationPlan, summarised).
struct SchemaFacts
{
    bool known = false; // a plan was read
    QString error;      // why it could not be read (known is false)
    // The workspace has no migrations (no migrations.dir, no default folder): there is no
    // status to read, which is not a problem. `error` says "no migrations folder".
    bool noMigrations = false;
    QString head; // newest applied migration; "" when none
    int pending = 0;
    int failed = 0;  // failed or dirty runs in the history
    int changed = 0; // applied migrations whose file changed since
    int missing = 0; // history rows without a file
    friend bool operator==(const SchemaFacts &, const SchemaFacts &) = default;
};

// The environment's drift (live schema vs. the schema its applied migrations produce).
struct DriftStatus
{
    enum class State { Unknown, None, Drifted, Error };
    State state = State::Unknown;
    int objects = 0;       // differing objects (Drifted)
    QString summary;       // SchemaDiff::summaryText() when checked
    QString reason;        // Error: what failed; Unknown: why it is not known
    QDateTime checkedAt;   // UTC; invalid when never checked
    bool checking = false; // a check runs now (the state is the previous one)
    friend bool operator==(const DriftStatus &, const DriftStatus &) = default;
};
QString driftStateName(DriftStatus::State state); // "unknown", "none", "drifted", "error" (JSON)
// "drift: none", "drift: 2 objects", "drift: unknown", "drift: error" (for people).
QString driftText(const DriftStatus &drift);

// What makes an environment need attention, most urgent first: the enum's order is the
// precedence (used to sort attentionItems()).
enum class AttentionKind {
    UnreadableSecret,
    FailedMigrations,
    ChangedMigrations,
    MissingMigrations,
    UnknownMigrationStatus, // reachable, but its migration status could not be read
    Drift,
    DriftError,
    PendingMigrations,
};
QString attentionKindName(AttentionKind kind); // "unreadable-secret", "pending", … (JSON)

struct AttentionItem
{
    AttentionKind kind;
    int count = 0;
    QString text; // "1 pending migration", "drift, 2 objects", "drift check failed: …"
    friend bool operator==(const AttentionItem &, const AttentionItem &) = default;
};

struct EnvironmentStatus
{
    QString environment;
    StatusState state = StatusState::Unknown; // what the probes found (never Attention)
    QString reason; // a sentence when not up ("connection refused at 127.0.0.1:5433")
    // The reason as data, one error per part (a service's within the service's name). Set
    // both with setReason().
    ReasonErrors reasonErrors;
    QString database;      // the database checked: the selected branch, or the URL's
    QString serverVersion; // "15.18" when reachable
    qint64 databaseSizeBytes = -1;
    QDateTime checkedAt; // UTC
    qint64 latencyMs = -1;
    QList<ServiceStatus> services;
    bool secretUnreadable = false; // the database password could not be read
    // Other secrets of the environment (`secrets:`) that could not be read: "api (env:X)",
    // name and reference, never a value. Empty when all were read or none were looked at.
    QStringList unreadableSecrets;
    SchemaFacts schema;
    DriftStatus drift;
    // While not up: what the last check that reached the database saw (the card shows it
    // greyed as "last seen …"); empty/-1 when it never did.
    QString lastSeenVersion;
    qint64 lastSeenSizeBytes = -1;
    QDateTime lastSeenAt;
    // history: database — the newest entries of paritydeck.history in the environment's
    // database (what teammates did), newest first; a note when it could not be read.
    QList<SharedHistoryEntry> sharedHistory;
    QString sharedHistoryNote;
    friend bool operator==(const EnvironmentStatus &, const EnvironmentStatus &) = default;
};

void setReason(EnvironmentStatus &status, QList<Error> parts);
// Free text: one part, no kind.
void setReason(EnvironmentStatus &status, const QString &text);

// Whether two statuses of one environment say the same, apart from when and how fast it
// was checked (the time of checkedAt, latencyMs, lastSeenAt): a routine check that found
// everything as it was changes nothing anyone reads but the age of the check. Every other
// field counts, fields added later included.
bool sameFactsShown(const EnvironmentStatus &a, const EnvironmentStatus &b);
// The same, and the database's size not counted either (now and last seen): a size moves
// with every write and every autovacuum without the environment's state changing. The
// status monitor polls an environment less often while this holds (statusmonitor.h).
bool sameStateShown(const EnvironmentStatus &a, const EnvironmentStatus &b);

// How an unreadable secret is named in EnvironmentStatus::unreadableSecrets and so in every
// summary: "api (env:API_TOKEN)" — the key under `secrets:` and its reference, no value.
QString unreadableSecretLabel(const QString &name, const SecretRef &reference);

// The environment's problems, most urgent first (empty: nothing needs attention).
QList<AttentionItem> attentionItems(const EnvironmentStatus &status);
// "1 pending migration, drift, 2 objects" ("" when nothing needs attention).
QString attentionText(const QList<AttentionItem> &items);
// The state every summary shows: the probe's state, but an environment that is up and has
// attentionItems() needs attention.
StatusState shownState(const EnvironmentStatus &status);
// Whether what is known of the environment's schema and drift describes it now: only while
// its database answers (up, or degraded by a service). Down, starting, failing or not yet
// checked, they are what it was when it last answered: shown as such ("last seen"), and not
// added to its problems — "prod: Down", not "prod: Down, drift, 2 objects".
bool schemaFactsCurrent(const EnvironmentStatus &status);
// One line per environment for summaries: "staging: 1 pending migration", "prod: Down".
// Empty when the environment is up and nothing needs attention.
QString problemLine(const EnvironmentStatus &status);

} // namespace pd

Q_DECLARE_METATYPE(pd::EnvironmentStatus)
Q_DECLARE_METATYPE(pd::DriftStatus)
