// Qt Keychain jobs with ParityDeck's error mapping, shared by SecretResolver and
// SecretStore so both describe a missing entry or a missing keyring in the same words.
//
// Threading: Qt Keychain serialises all jobs of the process through one executor object
// and, on Linux, completes them from the GLib main context of the thread that started
// them. Call these functions only on the one thread that owns the resolver/store (the
// main thread in the app and the CLI), with its event loop running; `done` runs there.
// Jobs are never deleted while running (libsecret keeps a raw pointer to them), so there
// is no keychain timeout: a job that hangs is a keyring waiting for the user's prompt.
#pragma once

#include "common/result.h"
#include "secrets/secretvalue.h"

#include <QString>

#include <functional>

namespace pd::keychain {

// The reference text messages use: keychain:SERVICE/KEY.
QString referenceText(const QString &service, const QString &key);

// The sentence every "no Secret Service" error carries.
QString noKeyringSentence();

// NotFound when there is no entry.
void read(const QString &service, const QString &key,
          std::function<void(Result<SecretValue>)> done);
// Creates or replaces the entry; finishes with true.
void write(const QString &service, const QString &key, const SecretValue &value,
           std::function<void(Result<bool>)> done);
// True when an entry was deleted, false when there was none.
void remove(const QString &service, const QString &key, std::function<void(Result<bool>)> done);

} // namespace pd::keychain
