#include "driftrecords.h"

#include "common/paths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QMutex>
#include <QSaveFile>

namespace pd {

namespace {

DriftStatus::State stateNamed(const QString &name)
{
    for (const auto state :
         {DriftStatus::State::None, DriftStatus::State::Drifted, DriftStatus::State::Error}) {
        if (driftStateName(state) == name)
            return state;
    }
    return DriftStatus::State::Unknown;
}

QJsonObject toJson(const DriftRecord &record)
{
    QJsonObject o;
    o.insert(QStringLiteral("state"), driftStateName(record.drift.state));
    o.insert(QStringLiteral("objects"), record.drift.objects);
    o.insert(QStringLiteral("summary"), record.drift.summary);
    o.insert(QStringLiteral("reason"), record.drift.reason);
    o.insert(QStringLiteral("checked_at"), record.drift.checkedAt.toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("target"), record.target);
    o.insert(QStringLiteral("head"), record.head);
    o.insert(QStringLiteral("digest"), QString::fromLatin1(record.digest));
    return o;
}

DriftRecord fromJson(const QJsonObject &o)
{
    DriftRecord record;
    record.drift.state = stateNamed(o.value(QStringLiteral("state")).toString());
    record.drift.objects = o.value(QStringLiteral("objects")).toInt();
    record.drift.summary = o.value(QStringLiteral("summary")).toString();
    record.drift.reason = o.value(QStringLiteral("reason")).toString();
    record.drift.checkedAt =
        QDateTime::fromString(o.value(QStringLiteral("checked_at")).toString(), Qt::ISODateWithMs);
    record.drift.checkedAt.setTimeSpec(Qt::UTC);
    record.target = o.value(QStringLiteral("target")).toString();
    record.head = o.value(QStringLiteral("head")).toString();
    record.digest = o.value(QStringLiteral("digest")).toString().toLatin1();
    return record;
}

} // namespace

DriftRecords::DriftRecords(const Workspace &workspace, QString dir)
{
    if (dir.isEmpty())
        dir = paths::stateDir() + QStringLiteral("/drift");
    const QByteArray key =
        QCryptographicHash::hash(workspace.filePath.toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    m_file = dir + QLatin1Char('/') + QString::fromLatin1(key) + QStringLiteral(".json");
}

QHash<QString, DriftRecord> DriftRecords::load() const
{
    QHash<QString, DriftRecord> records;
    QFile file(m_file);
    if (!file.open(QIODevice::ReadOnly))
        return records;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject environments = root.value(QStringLiteral("environments")).toObject();
    for (auto it = environments.begin(); it != environments.end(); ++it) {
        const DriftRecord record = fromJson(it.value().toObject());
        if (record.drift.state != DriftStatus::State::Unknown && record.drift.checkedAt.isValid())
            records.insert(it.key(), record);
    }
    return records;
}

void DriftRecords::store(const QString &environment, const DriftRecord &record) const
{
    // Checks of different environments finish on different threads, and the CLI's status
    // writes the same file: the read-modify-write below must not interleave with another,
    // or one environment's record silently replaces the other's.
    static QMutex inProcess;
    const QMutexLocker locked(&inProcess);
    QDir().mkpath(QFileInfo(m_file).absolutePath());
    QLockFile acrossProcesses(m_file + QStringLiteral(".lock"));
    acrossProcesses.setStaleLockTime(10'000);
    if (!acrossProcesses.tryLock(5'000)) {
        qWarning("could not lock %s: another process holds it", qPrintable(m_file));
        return;
    }
    QJsonObject root;
    {
        QFile file(m_file);
        if (file.open(QIODevice::ReadOnly))
            root = QJsonDocument::fromJson(file.readAll()).object();
    }
    QJsonObject environments = root.value(QStringLiteral("environments")).toObject();
    environments.insert(environment, toJson(record));
    root.insert(QStringLiteral("version"), 1);
    root.insert(QStringLiteral("environments"), environments);
    QSaveFile out(m_file);
    if (!out.open(QIODevice::WriteOnly)) {
        qWarning("could not write %s: %s", qPrintable(m_file), qPrintable(out.errorString()));
        return;
    }
    out.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
    if (!out.commit())
        qWarning("could not write %s: %s", qPrintable(m_file), qPrintable(out.errorString()));
}

DriftRecord DriftRecords::recordOf(const Result<DriftReport> &report)
{
    DriftRecord record;
    record.drift = driftStatusOf(report);
    if (report) {
        record.target = report->target;
        record.head = report->head;
        record.digest = report->liveDigest;
    }
    return record;
}

} // namespace pd
