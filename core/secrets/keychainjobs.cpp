#include "keychainjobs.h"

#include <qt6keychain/keychain.h>

#include <QStringList>

#include <algorithm>

namespace pd::keychain {

namespace {

enum class Operation { Read, Write, Delete };

ErrorArg verb(Operation op)
{
    const QString name = QStringLiteral("operation");
    switch (op) {
    case Operation::Read:
        return ErrorArg::phraseOf(name, QT_TRANSLATE_NOOP("pd::ErrorMessage", "reading"));
    case Operation::Write:
        return ErrorArg::phraseOf(name, QT_TRANSLATE_NOOP("pd::ErrorMessage", "writing"));
    case Operation::Delete:
        return ErrorArg::phraseOf(name, QT_TRANSLATE_NOOP("pd::ErrorMessage", "deleting"));
    }
    return ErrorArg::phraseOf(name, QT_TRANSLATE_NOOP("pd::ErrorMessage", "using"));
}

// Qt Keychain's libsecret backend reports "nobody answers on the bus" and "no Secret
// Service on the bus" as OtherError with GLib's message; the KWallet backend uses
// NoBackendAvailable or a QDBusError name. These fragments are the stable parts of those
// messages (GIO and D-Bus error names are not translated).
bool meansNoSecretService(const QString &message)
{
    static const QStringList fragments = {
        QStringLiteral("org.freedesktop.DBus.Error.ServiceUnknown"),
        QStringLiteral("org.freedesktop.DBus.Error.NoServer"),
        QStringLiteral("org.freedesktop.DBus.Error.Spawn"),
        QStringLiteral("org.freedesktop.DBus.Error.FileNotFound"),
        QStringLiteral("org.freedesktop.DBus.Error.Disconnected"),
        QStringLiteral("org.freedesktop.DBus.Error.NameHasNoOwner"),
        QStringLiteral("not provided by any .service files"),
        QStringLiteral("Could not connect"),
        QStringLiteral("Cannot autolaunch D-Bus"),
        QStringLiteral("Cannot spawn a message bus"),
        QStringLiteral("D-Bus is not running"),
        QStringLiteral("No keychain service available"),
        QStringLiteral("No keyring daemon"),
    };
    if (std::any_of(fragments.cbegin(), fragments.cend(), [&message](const QString &f) {
            return message.contains(f, Qt::CaseInsensitive);
        }))
        return true;
    // gnome-keyring without a login keyring (never set up, and no prompter to create one):
    // writes to the default collection fail with "Object does not exist at path
    // /org/freedesktop/secrets/collection/login".
    return message.contains(QStringLiteral("/org/freedesktop/secrets/collection/")) &&
           message.contains(QStringLiteral("does not exist"));
}

// The keyring's own words after the sentence, " [detail]", or nothing: parameters
// "reference", "detail" and "backend".
QList<ErrorArg> withDetail(const QString &ref, const QString &detail)
{
    QList<ErrorArg> args{ErrorArg::text(QStringLiteral("reference"), ref)};
    if (detail.isEmpty())
        return args << ErrorArg::text(QStringLiteral("detail"), QString());
    return args << ErrorArg::phraseOf(QStringLiteral("detail"),
                                      QT_TRANSLATE_NOOP("pd::ErrorMessage", " [{backend}]"))
                << ErrorArg::text(QStringLiteral("backend"), detail);
}

// The job's errorString comes from the backend (GLib/D-Bus); it describes the failure,
// never the secret, so it is safe to show.
Error mapJobError(const QKeychain::Job &job, Operation op)
{
    const QString ref = referenceText(job.service(), job.key());
    const QString detail = job.errorString().trimmed();
    switch (job.error()) {
    case QKeychain::NoError:
        break;
    case QKeychain::EntryNotFound:
        return Error(ErrorCode::NotFound, ErrorKind::NoKeyringEntry,
                     {ErrorArg::text(QStringLiteral("reference"), ref)});
    case QKeychain::NoBackendAvailable:
        return Error(ErrorCode::NoKeyring, ErrorKind::NoKeyringAvailable, withDetail(ref, detail));
    case QKeychain::AccessDenied:
        // libsecret says this for a locked collection; the fix is the same as for a
        // missing service: get an unlocked keyring.
        return Error(ErrorCode::NoKeyring, ErrorKind::KeyringAccessDenied, withDetail(ref, detail));
    case QKeychain::AccessDeniedByUser:
        return Error(ErrorCode::Cancelled, ErrorKind::KeyringRefusedAtPrompt,
                     {ErrorArg::text(QStringLiteral("reference"), ref)});
    case QKeychain::OtherError:
        if (meansNoSecretService(detail))
            return Error(ErrorCode::NoKeyring, ErrorKind::NoKeyringAvailable,
                         withDetail(ref, detail));
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NotImplemented:
        break;
    }
    QList<ErrorArg> args = withDetail(ref, detail);
    if (detail.isEmpty())
        args = {ErrorArg::text(QStringLiteral("reference"), ref),
                ErrorArg::phraseOf(QStringLiteral("detail"),
                                   QT_TRANSLATE_NOOP("pd::ErrorMessage", " [unknown error]"))};
    return Error(ErrorCode::Runtime, ErrorKind::KeyringOperationFailed, args << verb(op));
}

template<typename JobType> JobType *newJob(const QString &service, const QString &key)
{
    // Unparented and self-deleting: a running job must outlive whoever started it,
    // because the backend calls back into it (see header).
    auto *job = new JobType(service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text QSettings copy of a secret
    job->setKey(key);
    return job;
}

void deleteEntry(const QString &service, const QString &key, std::function<void(Result<bool>)> done)
{
    auto *job = newJob<QKeychain::DeletePasswordJob>(service, key);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [done = std::move(done)](QKeychain::Job *finished) {
                         if (finished->error() == QKeychain::NoError)
                             done(true);
                         else if (finished->error() == QKeychain::EntryNotFound)
                             done(false);
                         else
                             done(mapJobError(*finished, Operation::Delete));
                     });
    job->start();
}

// Text when the bytes survive a UTF-8 round trip (so `secret-tool lookup` shows what the
// user typed), binary (stored base64) otherwise; libsecret's C strings would cut a
// value at its first NUL byte.
void setData(QKeychain::WritePasswordJob &job, const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    if (!bytes.contains('\0') && text.toUtf8() == bytes)
        job.setTextData(text);
    else
        job.setBinaryData(bytes);
}

} // namespace

QString referenceText(const QString &service, const QString &key)
{
    return QStringLiteral("keychain:%1/%2").arg(service, key);
}

QString noKeyringSentence()
{
    return QStringLiteral("no keyring available (is a Secret Service such as gnome-keyring "
                          "running and unlocked?)");
}

void read(const QString &service, const QString &key, std::function<void(Result<SecretValue>)> done)
{
    auto *job = newJob<QKeychain::ReadPasswordJob>(service, key);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [done = std::move(done)](QKeychain::Job *finished) {
                         if (finished->error() != QKeychain::NoError) {
                             done(mapJobError(*finished, Operation::Read));
                             return;
                         }
                         auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(finished);
                         done(SecretValue(readJob->binaryData()));
                     });
    job->start();
}

void write(const QString &service, const QString &key, const SecretValue &value,
           std::function<void(Result<bool>)> done)
{
    auto *job = newJob<QKeychain::WritePasswordJob>(service, key);
    setData(*job, value.reveal()); // the value legitimately leaves the process here
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [done = std::move(done)](QKeychain::Job *finished) {
                         if (finished->error() == QKeychain::NoError)
                             done(true);
                         else
                             done(mapJobError(*finished, Operation::Write));
                     });
    job->start();
}

void remove(const QString &service, const QString &key, std::function<void(Result<bool>)> done)
{
    // The libsecret backend reports success whether or not something was deleted, so
    // look first: "there was nothing to remove" is an answer the UI shows, not an error.
    read(service, key,
         [service, key, done = std::move(done)](Result<SecretValue> existing) mutable {
             if (!existing) {
                 if (existing.error().code == ErrorCode::NotFound)
                     done(false);
                 else
                     done(existing.error());
                 return;
             }
             deleteEntry(service, key, std::move(done));
         });
}

} // namespace pd::keychain
