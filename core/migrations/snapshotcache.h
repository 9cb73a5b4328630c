// The expected schema (migrations applied into a shadow database, then introspected) is
// the slow half of `drift` and `diff migrations:ENV`: seconds for a few hundred migrations.
// It depends only on the migration files, the server's major version and ParityDeck
// itself, so it is kept in a cache file keyed by exactly those:
//
//   key = SHA-256 over: cache format, ParityDeck version, server major version, the schema
//         filter, and (version, checksum) of every migration up to the target, in order
//
// Editing any applied migration, adding one below the target, upgrading ParityDeck or
// comparing against another major version gives another key; nothing is ever invalidated
// by time. Files live in $XDG_CACHE_HOME/paritydeck/expected-schemas (default
// ~/.cache/paritydeck/…), one JSON file per key, folder mode 0700; the newest 64 are kept.
// A file that cannot be read back is a miss (and is removed), never an error.
#pragma once

#include "common/result.h"
#include "migrations/migrationsource.h"
#include "migrations/shadowdatabase.h"
#include "schema/schemasnapshot.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace pd {

class SnapshotCache final
{
public:
    // `dir` empty: defaultDir().
    explicit SnapshotCache(QString dir = {});

    static QString defaultDir(); // $XDG_CACHE_HOME/paritydeck/expected-schemas
    const QString &dir() const noexcept { return m_dir; }

    // The key of the expected schema of `set` up to and including `upTo` (empty: no
    // migration at all) on a server of major version `serverMajor` (15 for 15.4).
    static QString key(const MigrationSet &set, const QString &upTo, int serverMajor,
                       const SchemaFilter &filter);

    std::optional<SchemaSnapshot> load(const QString &key) const;
    Result<void> store(const QString &key, const SchemaSnapshot &snapshot) const;
    // Removes all but the `keep` most recently written files; returns how many went.
    int prune(int keep = 64) const;

    // Lossless: fromJson(toJson(s)) has the same objects, attributes, order-relevant lists,
    // server version and counts as `s`.
    static QJsonObject toJson(const SchemaSnapshot &snapshot);
    static std::optional<SchemaSnapshot> fromJson(const QJsonObject &object);

private:
    QString pathFor(const QString &key) const;
    QString m_dir;
};

struct ExpectedSchema
{
    SchemaSnapshot snapshot;
    QString upTo;           // the last migration it includes; empty: none
    QString key;            // SnapshotCache::key
    bool fromCache = false; // no shadow database was created
};

// The expected schema of `set` up to `upTo` (a version of the set, or empty for none):
// from `cache` when it has it; otherwise a shadow database from `createShadow`, the
// migrations applied there with ParityDeck's runner, introspected with `filter`, dropped,
// and the snapshot stored in `cache` (when its server has major version `serverMajor`).
// `cache` may be null (no caching). Blocking: worker threads only.
Result<ExpectedSchema> buildExpectedSchema(
    const MigrationSet &set, const QString &upTo, int serverMajor, const SchemaFilter &filter,
    const std::function<Result<ShadowDatabase>()> &createShadow, const SnapshotCache *cache);

} // namespace pd
