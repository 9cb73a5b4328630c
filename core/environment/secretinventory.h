// Every secret reference of a workspace, per environment, for the panel's secrets view:
// the database password ("password") and each entry under an environment's `secrets:`.
// Presence is checked by resolving the reference (the value is dropped at once); reveal
// resolves it again on demand; set and delete write the keyring through SecretStore, for
// keychain: references only (the others live where ParityDeck only reads), exactly as
// `paritydeck secret set|delete` does, and are audited as "secret-set" / "secret-delete".
//
// Protection applies: a read-only environment's secrets are never changed, a confirm
// environment's only with its name typed. Refusals are audited too.
//
// Asynchronous throughout: keyring jobs run on this object's thread's event loop, the audit
// line is written on panelWorkPool().
#pragma once

#include "audit/auditlog.h"

#include "common/result.h"
#include "secrets/secretref.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QList>
#include <QObject>

namespace pd {

class SecretResolver;
class SecretStore;

struct SecretEntry
{
    QString environment;
    QString name; // "password" for the database password, else the key under secrets:
    SecretRef reference;
    Protection protection = Protection::None;

    bool isKeychain() const noexcept { return reference.kind == SecretRef::Kind::Keychain; }
    QString label() const { return environment + QLatin1Char('/') + name; }
};

class SecretInventory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretInventory)

public:
    explicit SecretInventory(Workspace workspace, QObject *parent = nullptr);
    // Resolves secrets with `resolver` (not owned; it must outlive this object) instead
    // of the SecretResolver this object made itself: tests substitute one. Call it before
    // the first request.
    void setSecretResolver(SecretResolver &resolver);
    // Writes its audit entries to `log` instead of the default one (AuditLog()).
    void setAuditLog(const AuditLog &log) { m_audit = log; }
    const AuditLog &auditLog() const noexcept { return m_audit; }
    ~SecretInventory() override;

    // In workspace order; within an environment the password first, then by name.
    const QList<SecretEntry> &entries() const noexcept { return m_entries; }
    const SecretEntry *entry(const QString &environment, const QString &name) const;

    // Why `entry` cannot be set or deleted from the panel; empty when it can.
    static QString whyNotWritable(const SecretEntry &entry);

    // The value (for presence or a timed reveal). NotFound when the entry is missing.
    QFuture<Result<SecretValue>> resolve(const SecretEntry &entry);
    // `confirmation`: the environment's name, typed, for confirm-protected environments.
    QFuture<Result<void>> set(const SecretEntry &entry, const SecretValue &value,
                              const QString &confirmation = {});
    // True when an entry was deleted, false when there was none.
    QFuture<Result<bool>> remove(const SecretEntry &entry, const QString &confirmation = {});

private:
    Result<void> permitted(const SecretEntry &entry, const QString &confirmation,
                           const char *verb) const;

    Workspace m_workspace;
    QList<SecretEntry> m_entries;
    SecretResolver *m_resolver;
    AuditLog m_audit;
    SecretStore *m_store;
};

} // namespace pd
