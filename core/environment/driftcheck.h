// Drift for the panel: does an environment's live schema still match what its applied
// migrations produce? The same comparison as `paritydeck drift ENV`: the expected schema
// is built by applying the migrations up to the environment's head in a throwaway shadow
// database (on the first unprotected environment's server, dropped afterwards) and
// compared with the live one.
//
// That costs a CREATE DATABASE and a full migration run, so it is never polled: the card
// shows "unknown" until the user asks (or an apply finished), and check() runs on
// panelWorkPool(). Passwords are resolved asynchronously first; nothing here blocks the
// caller's thread.
#pragma once

#include "common/result.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>

namespace pd {

class SecretResolver;

struct DriftReport
{
    QString environment;
    QString head;          // newest applied migration; "" when none is applied
    int changes = 0;       // objects that differ between expected and live
    int destructive = 0;   // of those, how many reconciling would drop something
    QString summary;       // SchemaDiff::summaryText(), "identical" when in sync
    QString liveFingerprint;
    QDateTime checkedAt;   // UTC

    bool inSync() const noexcept { return changes == 0; }
};

class DriftCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftCheck)

public:
    explicit DriftCheck(Workspace workspace, QObject *parent = nullptr);
    ~DriftCheck() override;

    // Call on the check's thread. NotFound for an unknown environment, Config when it has
    // no database URL; errors from the servers and migrations as they come.
    QFuture<Result<DriftReport>> check(const QString &environment);

private:
    Workspace m_workspace;
    SecretResolver *m_resolver;
};

} // namespace pd
