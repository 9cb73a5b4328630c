// Defense in depth for text that leaves the process (audit lines, status reasons, service
// logs written by ParityDeck): known secret values are replaced by the mask. The normal
// path never puts a value into such text in the first place (SecretValue prints "••••");
// this catches what a child process echoes back, e.g. a start command that prints its
// DATABASE_URL in an error message.
#pragma once

#include "secrets/secretvalue.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pd {

// Replaces every occurrence of every non-trivial value in `secrets` by SecretValue::masked().
// Values shorter than 4 bytes are left alone: masking "1" or "ab" would shred ordinary text
// and protects nothing.
QString maskSecrets(QString text, const QList<SecretValue> &secrets);
QByteArray maskSecrets(QByteArray text, const QList<SecretValue> &secrets);

// For text that may quote what a user typed (an argument echoed in an error): masks the
// values of libpq password parameters — "password=…" and "sslpassword=…" in a
// keyword/value string (quoted or not) or a URL's query — and the password of a URL's
// "user:password@". The values are unknown here, so they are found by their shape.
QString maskPasswordParameters(QString text);

} // namespace pd
