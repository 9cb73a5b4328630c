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

} // namespace pd
