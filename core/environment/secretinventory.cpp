#include "secretinventory.h"

#include "audit/auditlog.h"
#include "environment/resolvedconnection.h"
#include "secrets/secretresolver.h"
#include "workspace/protection.h"

#include <QtConcurrent>

namespace pd {
namespace {

void audit(const AuditLog &log, const SecretEntry &entry, const QString &action, const Error *error,
           const QString &detail)
{
    const AuditEntry line =
        auditEntryFor(entry.environment, action, entry.reference.toString(), error, -1, detail);
    // A file append: off the caller's thread.
    panelWorkPool()->start([log, line] {
        if (auto written = log.append(line); !written)
            qWarning("could not write the audit log: %s", qPrintable(written.error().message));
    });
}

template<typename T> QFuture<Result<T>> ready(Result<T> result)
{
    return QtFuture::makeReadyFuture(std::move(result));
}

} // namespace

SecretInventory::SecretInventory(Workspace workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(std::move(workspace))
    , m_resolver(new SecretResolver(m_workspace.rootDir, this))
    , m_store(new SecretStore(this))
{
    for (const EnvironmentConfig &env : m_workspace.environments) {
        if (env.database.password)
            m_entries.append(
                {env.name, QStringLiteral("password"), *env.database.password, env.protection});
        for (auto it = env.secrets.cbegin(); it != env.secrets.cend(); ++it)
            m_entries.append({env.name, it.key(), it.value(), env.protection});
    }
}

void SecretInventory::setSecretResolver(SecretResolver &resolver)
{
    m_resolver = &resolver;
}

SecretInventory::~SecretInventory() = default;

const SecretEntry *SecretInventory::entry(const QString &environment, const QString &name) const
{
    for (const SecretEntry &e : m_entries) {
        if (e.environment == environment && e.name == name)
            return &e;
    }
    return nullptr;
}

QString SecretInventory::whyNotWritable(const SecretEntry &entry)
{
    if (const ProtectionDecision decision =
            protectionDecision(entry.environment, entry.protection, ProtectedChange::Secrets);
        decision.verdict == ProtectionVerdict::Refused)
        return decision.reason + QLatin1Char('.');
    if (!entry.isKeychain())
        return QStringLiteral("%1 refers to %2, which ParityDeck only reads; change it where it "
                              "lives.")
            .arg(entry.label(), entry.reference.toString());
    return {};
}

Result<void> SecretInventory::permitted(const SecretEntry &entry, const QString &confirmation,
                                        const char *verb) const
{
    if (!entry.isKeychain())
        return Error(ErrorCode::Usage, ErrorKind::SecretOnlyRead,
                     {ErrorArg::text(QStringLiteral("verb"), QLatin1String(verb)),
                      ErrorArg::text(QStringLiteral("secret"), entry.label()),
                      ErrorArg::text(QStringLiteral("reference"), entry.reference.toString())});
    return checkProtection(entry.environment, entry.protection, ProtectedChange::Secrets,
                           confirmation, ConfirmationSource::Dialog);
}

QFuture<Result<SecretValue>> SecretInventory::resolve(const SecretEntry &entry)
{
    return m_resolver->resolve(entry.reference);
}

QFuture<Result<void>> SecretInventory::set(const SecretEntry &entry, const SecretValue &value,
                                           const QString &confirmation)
{
    const QString action = QStringLiteral("secret-set");
    if (value.isEmpty())
        return ready(
            Result<void>(Error(ErrorCode::Usage, ErrorKind::NoSecretValueGiven,
                               {ErrorArg::text(QStringLiteral("secret"), entry.label())})));
    if (auto ok = permitted(entry, confirmation, "set"); !ok) {
        audit(m_audit, entry, action, &ok.error(), {});
        return ready(Result<void>(ok.error()));
    }
    return m_store->write(entry.reference.service, entry.reference.key, value)
        .then(this, [log = m_audit, entry, action](const Result<bool> &written) -> Result<void> {
            if (!written) {
                audit(log, entry, action, &written.error(), {});
                return written.error();
            }
            audit(log, entry, action, nullptr, QStringLiteral("stored in the keyring"));
            return {};
        });
}

QFuture<Result<bool>> SecretInventory::remove(const SecretEntry &entry, const QString &confirmation)
{
    const QString action = QStringLiteral("secret-delete");
    if (auto ok = permitted(entry, confirmation, "delete"); !ok) {
        audit(m_audit, entry, action, &ok.error(), {});
        return ready(Result<bool>(ok.error()));
    }
    return m_store->remove(entry.reference.service, entry.reference.key)
        .then(this, [log = m_audit, entry, action](const Result<bool> &removed) -> Result<bool> {
            audit(log, entry, action, removed ? nullptr : &removed.error(),
                  removed && *removed ? QStringLiteral("deleted from the keyring")
                                      : QStringLiteral("was not in the keyring"));
            return removed;
        });
}

} // namespace pd
