// Drift for the panel: does an environment's live schema still match what its applied
// migrations produce? The same comparison as `paritydeck drift ENV`: the expected schema
// is built by applying the migrations up to the environment's head in a throwaway shadow
// database (on the first unprotected environment's server, dropped afterwards) and
// compared with the live one.
//
// The expected schema is cached by migration checksums (migrations/snapshotcache.h), so a
// repeated check costs one live introspection. The drift watch (driftwatch.h) avoids even
// that while the live catalog digest (schema/catalogdigest.h) is unchanged. check() runs
// on panelWorkPool(); passwords are resolved asynchronously first; nothing here blocks the
// caller's thread. computeDrift() is the blocking core both use, and the CLI's `status`.
#pragma once

#include "common/result.h"
#include "environment/environmentstatus.h"
#include "environment/schemasides.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>

#include <atomic>

namespace pd {

class Connection;
class KeptConnections;

class SecretResolver;

struct DriftReport
{
    QString environment;
    QString head;        // newest applied migration; "" when none is applied
    int changes = 0;     // objects that differ between expected and live
    int destructive = 0; // of those, how many reconciling would drop something
    QString summary;     // SchemaDiff::summaryText(), "identical" when in sync
    QString liveFingerprint;
    QByteArray liveDigest;   // catalogDigest() of the live database, taken just before reading it
    QByteArray liveCounters; // catalogWriteCounters() taken before the digest; empty if not counted
    QString target;          // the live database's displayTarget()
    QDateTime checkedAt;     // UTC
    // The workspace has no migrations folder: there is nothing to compare with (drift is
    // unknown, not an error and not "none"); nothing else is set.
    bool noMigrations = false;

    bool inSync() const noexcept { return changes == 0; }
};

// Blocking (worker threads only): the whole comparison, as check() runs it. The live
// database is only read (a protected environment stays untouched); the shadow database is
// built on an unprotected server as `paritydeck drift` does. `cancel` is checked between
// the steps.
Result<DriftReport> computeDrift(const Workspace &workspace, const EnvironmentConfig &env,
                                 const ConnectionLookup &lookup,
                                 const std::atomic_bool *cancel = nullptr);

// Blocking: the live database's catalog digest over the workspace's compared schemas.
Result<QByteArray> liveCatalogDigest(const Workspace &workspace, const EnvironmentConfig &env,
                                     const ConnectionLookup &lookup);

// Blocking: what the drift watch asks every minute. The catalog write counters first
// (catalogWriteCounters()); only when they differ from `lastCounters` (or are not kept)
// the digest too, on the same connection. With `kept`, on a connection kept from an
// earlier look or status check when there is one (a look that fails on it is taken again on
// a new connection), and the connection is kept afterwards (environment/keptconnections.h).
struct LiveCatalogLook
{
    QByteArray counters;    // empty when the server does not count
    bool unchanged = false; // counters equal to lastCounters: no digest taken
    QByteArray digest;      // taken when not unchanged
};
Result<LiveCatalogLook> lookAtLiveCatalog(const Workspace &workspace, const EnvironmentConfig &env,
                                          const ConnectionLookup &lookup,
                                          const QByteArray &lastCounters,
                                          KeptConnections *kept = nullptr);
// The same look on a connection already open (the status check's, which the drift watch's
// looks ride on: StatusMonitor::requestCatalogLook()).
Result<LiveCatalogLook> lookAtLiveCatalogOn(Connection &connection, const Workspace &workspace,
                                            const QByteArray &lastCounters);
// That look's two steps, for a caller that answers after the first when it is enough (the
// status check, which sends the answer with its status): the write counters alone, with
// `unchanged` set when they equal `lastCounters`; then, when not unchanged, the digest on
// the same connection.
Result<LiveCatalogLook> lookAtCatalogCountersOn(Connection &connection,
                                                const QByteArray &lastCounters);
Result<LiveCatalogLook> finishCatalogLookOn(Connection &connection, const Workspace &workspace,
                                            LiveCatalogLook counted);

// A finished check as the attention model shows it: none or drifted with the object count,
// or error with the reason (never "none" for a check that failed).
DriftStatus driftStatusOf(const Result<DriftReport> &report);

class DriftCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftCheck)

public:
    explicit DriftCheck(Workspace workspace, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Call it before
    // the first request.
    void setSecretResolver(SecretResolver &resolver);
    ~DriftCheck() override;

    // Call on the check's thread. NotFound for an unknown environment, Config when it has
    // no database URL; errors from the servers and migrations as they come.
    QFuture<Result<DriftReport>> check(const QString &environment);

private:
    Workspace m_workspace;
    SecretResolver *m_resolver;
};

} // namespace pd
