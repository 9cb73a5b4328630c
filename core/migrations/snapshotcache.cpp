#include "migrations/snapshotcache.h"

#include "common/errors.h"
#include "db/connection.h"
#include "schema/introspector.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSaveFile>

#include <optional>

namespace pd {

namespace {

Q_LOGGING_CATEGORY(lcSnapshotCache, "paritydeck.migrations.cache")

// Bumped whenever the file layout below changes.
// 2: aggregates, collations, range types, event triggers, inheritance, privileges.
constexpr int kFormat = 2;

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

std::optional<QStringList> toStringList(const QJsonValue &value)
{
    if (value.isUndefined())
        return QStringList();
    if (!value.isArray())
        return std::nullopt;
    QStringList list;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString())
            return std::nullopt;
        list << item.toString();
    }
    return list;
}

std::optional<ObjectKind> kindFromName(const QString &name)
{
    for (ObjectKind kind : allObjectKinds()) {
        if (objectKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace

SnapshotCache::SnapshotCache(QString dir)
    : m_dir(dir.isEmpty() ? defaultDir() : std::move(dir))
{
}

QString SnapshotCache::defaultDir()
{
    QString base = qEnvironmentVariable("XDG_CACHE_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QStringLiteral("/.cache");
    return QDir::cleanPath(base + QStringLiteral("/paritydeck/expected-schemas"));
}

QString SnapshotCache::key(const MigrationSet &set, const QString &upTo, int serverMajor,
                           const SchemaFilter &filter)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto add = [&hash](const QString &part) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\0", 1)); // separator no part can contain
    };
    add(QStringLiteral("paritydeck-expected-schema/%1").arg(kFormat));
    add(QStringLiteral(PARITYDECK_VERSION));
    add(QString::number(serverMajor));
    add(migrationFormatName(set.format));
    add(filter.includeSchemas.join(QLatin1Char('\x1f')));
    add(filter.excludeSchemas.join(QLatin1Char('\x1f')));
    add(filter.excludeExtensionObjects ? QStringLiteral("ext-excluded")
                                       : QStringLiteral("ext-included"));
    if (!upTo.isEmpty()) {
        const int last = set.indexOf(upTo);
        add(QStringLiteral("up-to:") + upTo);
        for (int i = 0; i <= last && i < set.migrations.size(); ++i) {
            add(set.migrations.at(i).version);
            add(set.migrations.at(i).checksum);
        }
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString SnapshotCache::pathFor(const QString &key) const
{
    return m_dir + QLatin1Char('/') + key + QStringLiteral(".json");
}

QJsonObject SnapshotCache::toJson(const SchemaSnapshot &snapshot)
{
    QJsonArray objects;
    for (const SchemaObject &o : snapshot.objects) {
        QJsonObject j;
        j.insert(QStringLiteral("kind"), objectKindName(o.kind));
        if (!o.schema.isEmpty())
            j.insert(QStringLiteral("schema"), o.schema);
        if (!o.table.isEmpty())
            j.insert(QStringLiteral("table"), o.table);
        j.insert(QStringLiteral("name"), o.name);
        if (!o.signature.isEmpty())
            j.insert(QStringLiteral("signature"), o.signature);
        // Under the names attributeKey() gives them: the file format (kFormat) depends on
        // those names never changing.
        if (!o.attributes().isEmpty()) {
            QJsonObject attributes;
            for (auto it = o.attributes().cbegin(); it != o.attributes().cend(); ++it)
                attributes.insert(it.key(), it.value());
            j.insert(QStringLiteral("attributes"), attributes);
        }
        if (!o.elements.isEmpty())
            j.insert(QStringLiteral("elements"), toArray(o.elements));
        if (o.position != 0)
            j.insert(QStringLiteral("position"), o.position);
        if (o.inherited)
            j.insert(QStringLiteral("inherited"), true);
        if (!o.local)
            j.insert(QStringLiteral("local"), false);
        if (!o.dependsOn.isEmpty())
            j.insert(QStringLiteral("dependsOn"), toArray(o.dependsOn));
        objects.append(j);
    }
    QJsonObject notCompared;
    for (auto it = snapshot.notCompared.cbegin(); it != snapshot.notCompared.cend(); ++it)
        notCompared.insert(it.key(), it.value());
    QJsonObject root;
    root.insert(QStringLiteral("format"), kFormat);
    root.insert(QStringLiteral("serverVersionNumber"), snapshot.serverVersionNumber);
    root.insert(QStringLiteral("serverVersion"), snapshot.serverVersion);
    root.insert(QStringLiteral("database"), snapshot.database);
    root.insert(QStringLiteral("queryCount"), snapshot.queryCount);
    root.insert(QStringLiteral("notCompared"), notCompared);
    root.insert(QStringLiteral("objects"), objects);
    return root;
}

std::optional<SchemaSnapshot> SnapshotCache::fromJson(const QJsonObject &root)
{
    if (root.value(QStringLiteral("format")).toInt() != kFormat ||
        !root.value(QStringLiteral("objects")).isArray())
        return std::nullopt;
    SchemaSnapshot snapshot;
    snapshot.serverVersionNumber = root.value(QStringLiteral("serverVersionNumber")).toInt();
    snapshot.serverVersion = root.value(QStringLiteral("serverVersion")).toString();
    snapshot.database = root.value(QStringLiteral("database")).toString();
    snapshot.queryCount = root.value(QStringLiteral("queryCount")).toInt();
    const QJsonObject notCompared = root.value(QStringLiteral("notCompared")).toObject();
    for (auto it = notCompared.constBegin(); it != notCompared.constEnd(); ++it)
        snapshot.notCompared.insert(it.key(), it.value().toInt());
    for (const QJsonValue &value : root.value(QStringLiteral("objects")).toArray()) {
        if (!value.isObject())
            return std::nullopt;
        const QJsonObject j = value.toObject();
        const auto kind = kindFromName(j.value(QStringLiteral("kind")).toString());
        if (!kind)
            return std::nullopt;
        SchemaObject o;
        o.kind = *kind;
        o.schema = j.value(QStringLiteral("schema")).toString();
        o.table = j.value(QStringLiteral("table")).toString();
        o.name = j.value(QStringLiteral("name")).toString();
        o.signature = j.value(QStringLiteral("signature")).toString();
        const QJsonObject attributes = j.value(QStringLiteral("attributes")).toObject();
        QMap<QString, QString> values;
        for (auto it = attributes.constBegin(); it != attributes.constEnd(); ++it) {
            if (!it.value().isString())
                return std::nullopt;
            values.insert(it.key(), it.value().toString());
        }
        o.setAttributes(std::move(values));
        const auto elements = toStringList(j.value(QStringLiteral("elements")));
        const auto dependsOn = toStringList(j.value(QStringLiteral("dependsOn")));
        if (!elements || !dependsOn)
            return std::nullopt;
        o.elements = *elements;
        o.dependsOn = *dependsOn;
        o.position = j.value(QStringLiteral("position")).toInt();
        o.inherited = j.value(QStringLiteral("inherited")).toBool(false);
        o.local = j.value(QStringLiteral("local")).toBool(true);
        snapshot.objects.insert(o.id(), std::move(o));
    }
    return snapshot;
}

std::optional<SchemaSnapshot> SnapshotCache::load(const QString &key) const
{
    QFile file(pathFor(key));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    file.close();
    std::optional<SchemaSnapshot> snapshot;
    if (error.error == QJsonParseError::NoError && document.isObject())
        snapshot = fromJson(document.object());
    if (!snapshot) {
        qCWarning(lcSnapshotCache).noquote() << "ignoring unreadable cache file" << file.fileName();
        QFile::remove(file.fileName());
    }
    return snapshot;
}

Result<void> SnapshotCache::store(const QString &key, const SchemaSnapshot &snapshot) const
{
    if (!QDir().mkpath(m_dir))
        return Error(ErrorCode::Runtime, ErrorKind::CacheFolderNotCreated,
                     {ErrorArg::text(QStringLiteral("folder"), m_dir)});
    QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // Written to a temporary file and renamed: a reader never sees half a snapshot, and
    // two processes storing the same key at once both leave a whole file.
    QSaveFile file(pathFor(key));
    if (!file.open(QIODevice::WriteOnly))
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    file.write(QJsonDocument(toJson(snapshot)).toJson(QJsonDocument::Compact));
    if (!file.commit())
        return Error(
            ErrorCode::Runtime,
            QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    prune();
    return {};
}

int SnapshotCache::prune(int keep) const
{
    const QFileInfoList files =
        QDir(m_dir).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Time);
    int removed = 0;
    for (qsizetype i = keep; i < files.size(); ++i) {
        if (QFile::remove(files.at(i).absoluteFilePath()))
            ++removed;
    }
    return removed;
}

Result<ExpectedSchema> buildExpectedSchema(
    const MigrationSet &set, const QString &upTo, int serverMajor, const SchemaFilter &filter,
    const std::function<Result<ShadowDatabase>()> &createShadow, const SnapshotCache *cache)
{
    if (!upTo.isEmpty() && set.indexOf(upTo) < 0) {
        return errors::noMigrationWithVersion(upTo, set.dir);
    }
    ExpectedSchema expected;
    expected.upTo = upTo;
    expected.key = SnapshotCache::key(set, upTo, serverMajor, filter);
    if (cache) {
        if (auto cached = cache->load(expected.key)) {
            expected.snapshot = std::move(*cached);
            expected.fromCache = true;
            return expected;
        }
    }
    // Refused before a shadow exists, so there is nothing to drop (apply() checks again).
    if (!upTo.isEmpty()) {
        if (auto contained = ShadowDatabase::checkContained(set, upTo); !contained)
            return Error(contained.error().code,
                         QStringLiteral("building the expected schema (migrations up to %1) "
                                        "refused: %2")
                             .arg(upTo, contained.error().message));
    }
    auto shadow = createShadow();
    if (!shadow)
        return shadow.error();
    if (!upTo.isEmpty()) {
        ApplyOptions options;
        options.environment = QStringLiteral("shadow database");
        options.targetVersion = upTo;
        // Every migration up to the target, in file order, as a fresh database gets them.
        options.allowOutOfOrder = true;
        auto applied = shadow->apply(set, options);
        if (!applied) {
            return Error(
                applied.error().code,
                QStringLiteral("building the expected schema (migrations up to %1) failed: %2")
                    .arg(upTo, applied.error().message));
        }
    }
    Result<SchemaSnapshot> snapshot = [&]() -> Result<SchemaSnapshot> {
        // Closed before the shadow is dropped.
        auto connection = Connection::open(shadow->params());
        if (!connection)
            return connection.error();
        return introspect(*connection, filter);
    }();
    if (auto dropped = shadow->drop(); !dropped)
        qCWarning(lcSnapshotCache).noquote() << dropped.error().message;
    if (!snapshot)
        return snapshot.error();
    expected.snapshot = std::move(snapshot).value();
    // A shadow on a server of another major version describes that version's catalog: keep
    // it out of the cache rather than file it under the wrong key.
    if (cache && expected.snapshot.serverVersionNumber / 10000 == serverMajor) {
        if (auto stored = cache->store(expected.key, expected.snapshot); !stored)
            qCWarning(lcSnapshotCache).noquote() << stored.error().message;
    }
    return expected;
}

} // namespace pd
