#include "environment/keptconnections.h"

#include <QMutexLocker>

#include <algorithm>
#include <iterator>
#include <utility>

namespace pd {

bool sameTarget(const ConnectionParams &a, const ConnectionParams &b)
{
    if (a.host != b.host || a.port != b.port || a.dbname != b.dbname || a.user != b.user ||
        a.applicationName != b.applicationName || !(a.password == b.password))
        return false;
    // What connectionParamsFor() decides for itself (whether to skip the GSSAPI attempt or
    // the TLS request) is not the user's target.
    const auto ownOptions = [](const ConnectionParams &p) {
        QMap<QString, QString> options = p.options;
        options.remove(QStringLiteral("gssencmode"));
        if (p.sslRequestSkipped)
            options.remove(QStringLiteral("sslmode"));
        return options;
    };
    return ownOptions(a) == ownOptions(b);
}

KeptConnections::KeptConnections(qint64 maxAgeMs)
    : m_maxAgeMs(maxAgeMs)
{
    m_clock.start();
}

KeptConnections::~KeptConnections() = default;

qint64 KeptConnections::nowMs() const
{
    return m_clock.elapsed();
}

int KeptConnections::count() const
{
    const QMutexLocker locker(&m_mutex);
    return int(m_entries.size());
}

namespace {

// Moves the entries `drop` picks from `entries` to the end of `out`.
template<typename Entry, typename Predicate>
void moveOut(std::vector<Entry> &entries, std::vector<Entry> &out, Predicate drop)
{
    const auto kept = std::stable_partition(entries.begin(), entries.end(),
                                            [&drop](const Entry &e) { return !drop(e); });
    out.insert(out.end(), std::make_move_iterator(kept), std::make_move_iterator(entries.end()));
    entries.erase(kept, entries.end());
}

} // namespace

std::vector<KeptConnections::Entry> KeptConnections::takeExpiredLocked(qint64 now)
{
    std::vector<Entry> expired;
    moveOut(m_entries, expired,
            [this, now](const Entry &e) { return now - e.kept.openedAtMs >= m_maxAgeMs; });
    return expired;
}

// In each function below, the connections to close are moved into a vector declared before
// the lock: they are destroyed (PQfinish writes a last message to the socket) after the
// mutex is released.

std::optional<KeptConnections::Kept> KeptConnections::take(const QString &environment,
                                                           const ConnectionParams &params)
{
    std::vector<Entry> closing;
    const QMutexLocker locker(&m_mutex);
    closing = takeExpiredLocked(nowMs());
    const auto found = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry &e) {
        return e.environment == environment && sameTarget(e.kept.connection.params(), params);
    });
    if (found == m_entries.end())
        return std::nullopt;
    std::optional<Kept> kept(std::move(found->kept));
    m_entries.erase(found);
    return kept;
}

void KeptConnections::giveBack(const QString &environment, Connection connection, qint64 openedAtMs)
{
    std::vector<Entry> closing;
    const QMutexLocker locker(&m_mutex);
    if (m_closedForGood || !connection.isIdle() || nowMs() - openedAtMs >= m_maxAgeMs) {
        closing.push_back(Entry{environment, Kept{std::move(connection), openedAtMs}});
        return;
    }
    moveOut(m_entries, closing, [&](const Entry &e) {
        return e.environment == environment &&
               sameTarget(e.kept.connection.params(), connection.params());
    });
    m_entries.push_back(Entry{environment, Kept{std::move(connection), openedAtMs}});
}

void KeptConnections::close(const QString &environment, bool forGood)
{
    std::vector<Entry> closing;
    const QMutexLocker locker(&m_mutex);
    if (forGood)
        m_closedForGood = true;
    moveOut(m_entries, closing,
            [&](const Entry &e) { return environment.isEmpty() || e.environment == environment; });
}

} // namespace pd
