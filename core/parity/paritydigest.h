// The digests parity compares and shows a prefix of ("set · 1a2b3c"): HMAC-SHA-256 of a
// config value or secret under a random key of this user, not a plain SHA-256. A plain
// hash prefix lets anyone who sees the matrix (a screenshot, a CI log) test guesses for a
// value offline; without the key a prefix confirms nothing. Equal values still get equal
// digests on this machine, which is all the matrix needs.
//
// The key is 32 random bytes in stateDir()/parity.key (0600, folder 0700), made on first
// use. When it cannot be read or written, a key for this process alone is used, so the
// matrix still compares, only its prefixes change from one run to the next.
#pragma once

#include "secrets/secretvalue.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace pd::paritydigest {

// Lower-case hex HMAC-SHA-256 of `value` under the user's parity key.
QByteArray hex(QByteArrayView value);
QByteArray hex(const SecretValue &secret);

// Where the key lives.
QString keyFile();

} // namespace pd::paritydigest
