#include "secrets/secretmask.h"

#include <algorithm>

namespace pd {

namespace {

constexpr qsizetype kShortestMaskedSecret = 4;

// Longest first, so a secret that contains another is masked whole.
QList<SecretValue> longestFirst(const QList<SecretValue> &secrets)
{
    QList<SecretValue> sorted = secrets;
    std::sort(sorted.begin(), sorted.end(),
              [](const SecretValue &a, const SecretValue &b) { return a.size() > b.size(); });
    return sorted;
}

} // namespace

QString maskSecrets(QString text, const QList<SecretValue> &secrets)
{
    for (const SecretValue &secret : longestFirst(secrets)) {
        if (secret.size() < kShortestMaskedSecret)
            continue;
        text.replace(secret.revealString(), SecretValue::masked());
    }
    return text;
}

QByteArray maskSecrets(QByteArray text, const QList<SecretValue> &secrets)
{
    const QByteArray mask = SecretValue::masked().toUtf8();
    for (const SecretValue &secret : longestFirst(secrets)) {
        if (secret.size() < kShortestMaskedSecret)
            continue;
        text.replace(secret.reveal(), mask);
    }
    return text;
}

} // namespace pd
