// The history a team shares. With `history: database` on an environment, migration
// applies, promotions and drift findings are also written to the table paritydeck.history
// in that environment's own database — who (OS user@host), when, what and the result —
// so every teammate's panel can read them ("prod: 0042 applied by ana@laptop 2 h ago").
// The database is the shared store; there is no server of ParityDeck's own. The local
// audit log (audit/auditlog.h) stays the complete record; this is its shared summary.
//
// Nothing secret is written: callers pass versions, names and results, and every text is
// masked against the connection's password before it leaves the process.
//
// A read-only environment is never written to (the protection rule refuses it, and the
// loader refuses `history: database` there). Everything here blocks: worker threads only.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace pd {

class Connection;

struct SharedHistoryEntry
{
    qint64 id = 0;
    QDateTime at; // UTC, the server's clock
    QString environment;
    QString who;    // "ana@laptop"
    QString kind;   // "migration", "promotion", "drift"
    QString what;   // "0042_add_search", "staging → prod: 0004", "3 objects"
    QString result; // "applied", "failed: …", "drift found"

    bool operator==(const SharedHistoryEntry &) const = default;
};

namespace sharedhistory {

// The OS user and host name of this process: "ana@laptop".
QString who();
// "prod: 0042_add_search applied by ana@laptop 2 h ago".
QString describe(const SharedHistoryEntry &entry, const QDateTime &now);
// "just now", "5 min ago", "2 h ago", "3 d ago".
QString age(const QDateTime &at, const QDateTime &now);

// Creates schema paritydeck and table paritydeck.history when missing, then inserts.
Result<void> write(Connection &connection, const SharedHistoryEntry &entry);
// The newest `limit` entries, newest first; a database without the table has none.
Result<QList<SharedHistoryEntry>> read(Connection &connection, int limit = 20);
// The newest entry of `kind` for `environment`, if any.
Result<std::optional<SharedHistoryEntry>> latest(Connection &connection, const QString &environment,
                                                 const QString &kind);

} // namespace sharedhistory

// Writes one entry for `env` when it keeps its history in the database (`history:
// database`); does nothing (and succeeds) when it does not. Refused for read-only
// environments. Opens its own connection with `params`. For migration applies,
// promotions and drift findings; `kind` is "migration", "promotion" or "drift".
Result<void> recordSharedHistory(const EnvironmentConfig &env, const ConnectionParams &params,
                                 const QString &kind, const QString &what, const QString &result);
// The same on a connection already open; `secrets` are masked out of every text.
Result<void> recordSharedHistory(const EnvironmentConfig &env, Connection &connection,
                                 const QString &kind, const QString &what, const QString &result,
                                 const QList<SecretValue> &secrets);

} // namespace pd
