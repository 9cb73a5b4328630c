#include "db/connectionfactory.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QSet>

namespace pd {

namespace {

QMutex s_gssMutex;
QSet<QString> s_withoutGss; // targets whose next connection skips the GSSAPI attempt
QSet<QString> s_gssSeen;    // targets ever seen using GSSAPI encryption

QMutex s_sslMutex;
QHash<QString, QDeadlineTimer> s_withoutSsl; // targets that said no to TLS, until when
qint64 s_sslMemoryMs = 5 * 60 * 1000;

} // namespace

ConnectionParams connectionParamsFor(ConnectionParams base, const ConnectionTimeouts &timeouts,
                                     ConnectionPurpose purpose, const SecretValue &password)
{
    ConnectionParams params = std::move(base);
    params.connectTimeoutSeconds = timeouts.connectSeconds;
    params.statementTimeoutSeconds = timeouts.statementSeconds;
    params.password = password;
    switch (purpose) {
    case ConnectionPurpose::StatusProbe:
        // Checked every few seconds: the statement timeout rides on the startup packet
        // (options=-c statement_timeout=…) instead of costing a SET round trip after
        // connecting. Connection::open() falls back to the SET where a pooler refuses it.
        params.statementTimeoutAtStartup = true;
        break;
    case ConnectionPurpose::Introspection:
    case ConnectionPurpose::Migration:
    case ConnectionPurpose::BranchAdmin:
        break;
    }
    if (gssattempt::skippedFor(params))
        skipGssAttemptUnlessChosen(params);
    if (purpose == ConnectionPurpose::StatusProbe && sslattempt::skippedFor(params)) {
        params.options.insert(QStringLiteral("sslmode"), QStringLiteral("disable"));
        params.sslRequestSkipped = true;
    }
    return params;
}

bool gssEncModeChosenFor(const ConnectionParams &params)
{
    // A service file's gssencmode would be overridden by an explicit keyword.
    return params.options.contains(QStringLiteral("gssencmode")) ||
           params.options.contains(QStringLiteral("service")) ||
           !qEnvironmentVariableIsEmpty("PGGSSENCMODE") ||
           !qEnvironmentVariableIsEmpty("PGSERVICE");
}

void skipGssAttemptUnlessChosen(ConnectionParams &params)
{
    if (!gssEncModeChosenFor(params))
        params.options.insert(QStringLiteral("gssencmode"), QStringLiteral("disable"));
}

namespace gssattempt {

void record(const ConnectionParams &params, Outcome outcome)
{
    const QString target = params.displayTarget();
    const QMutexLocker locker(&s_gssMutex);
    switch (outcome) {
    case Outcome::ConnectedWithGss:
        s_gssSeen.insert(target);
        s_withoutGss.remove(target);
        break;
    case Outcome::ConnectedWithoutGss:
        s_withoutGss.insert(target);
        break;
    case Outcome::Unreachable:
        if (s_gssSeen.contains(target))
            s_withoutGss.remove(target);
        else
            s_withoutGss.insert(target);
        break;
    case Outcome::Failed:
        s_withoutGss.remove(target);
        break;
    }
}

bool skippedFor(const ConnectionParams &params)
{
    const QString target = params.displayTarget();
    const QMutexLocker locker(&s_gssMutex);
    return s_withoutGss.contains(target);
}

void forgetAll()
{
    const QMutexLocker locker(&s_gssMutex);
    s_withoutGss.clear();
    s_gssSeen.clear();
}

} // namespace gssattempt

namespace sslattempt {

bool sslModeChosenFor(const ConnectionParams &params)
{
    for (auto it = params.options.cbegin(); it != params.options.cend(); ++it) {
        if (it.key().startsWith(QLatin1String("ssl")) || it.key() == QLatin1String("requiressl") ||
            it.key() == QLatin1String("service"))
            return true;
    }
    return !qEnvironmentVariableIsEmpty("PGSSLMODE") ||
           !qEnvironmentVariableIsEmpty("PGREQUIRESSL") ||
           !qEnvironmentVariableIsEmpty("PGSSLROOTCERT") ||
           !qEnvironmentVariableIsEmpty("PGSERVICE");
}

void record(const ConnectionParams &params, bool sslInUse)
{
    if (params.sslRequestSkipped || params.overUnixSocket() || sslModeChosenFor(params))
        return;
    const QString target = params.displayTarget();
    const QMutexLocker locker(&s_sslMutex);
    if (sslInUse)
        s_withoutSsl.remove(target);
    else
        s_withoutSsl.insert(target, QDeadlineTimer(s_sslMemoryMs));
}

void forget(const ConnectionParams &params)
{
    const QString target = params.displayTarget();
    const QMutexLocker locker(&s_sslMutex);
    s_withoutSsl.remove(target);
}

bool skippedFor(const ConnectionParams &params)
{
    if (params.overUnixSocket() || sslModeChosenFor(params))
        return false;
    const QString target = params.displayTarget();
    const QMutexLocker locker(&s_sslMutex);
    const auto found = s_withoutSsl.constFind(target);
    return found != s_withoutSsl.cend() && !found->hasExpired();
}

void setMemoryMs(qint64 ms)
{
    const QMutexLocker locker(&s_sslMutex);
    s_sslMemoryMs = ms;
}

void forgetAll()
{
    const QMutexLocker locker(&s_sslMutex);
    s_withoutSsl.clear();
}

} // namespace sslattempt

} // namespace pd
