// The "expected schema" of DESIGN.md §4: a throwaway database on a server the user already
// has, where every migration is applied from scratch. Snapshotting it (core/schema) gives
// the schema the migrations describe; comparing that with a live database shows drift
// (hand-made changes, edited migrations). Blocking: use it on a worker thread.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "migrations/migrationrunner.h"

#include <QString>

namespace pd {

class ShadowDatabase final
{
public:
    // Creates an empty database "paritydeck_shadow_<random>" from template0 on the server
    // `server` connects to (its user needs CREATEDB). The shadow is dropped again by
    // drop() or, at the latest, by the destructor.
    static Result<ShadowDatabase> create(const ConnectionParams &server);

    ShadowDatabase(ShadowDatabase &&other) noexcept;
    ShadowDatabase &operator=(ShadowDatabase &&other) noexcept;
    ShadowDatabase(const ShadowDatabase &) = delete;
    ShadowDatabase &operator=(const ShadowDatabase &) = delete;
    ~ShadowDatabase();

    const QString &name() const noexcept { return m_name; }
    // A connection to the shadow database (same server, user and password as `server`).
    const ConnectionParams &params() const noexcept { return m_shadow; }

    // Applies every migration of `set` with ParityDeck's runner. The shadow is ours, so
    // protection does not apply; the history lands in the shadow's paritydeck schema.
    Result<ApplyReport> apply(const MigrationSet &set, const ApplyOptions &options = {});

    // DROP DATABASE … WITH (FORCE): connections someone left open do not keep it alive.
    Result<void> drop();

private:
    ShadowDatabase(ConnectionParams server, ConnectionParams shadow, QString name);

    ConnectionParams m_server;
    ConnectionParams m_shadow;
    QString m_name; // empty once dropped or moved from
};

} // namespace pd
