#include "secrets/secretmask.h"

#include <QRegularExpression>

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

QString maskPasswordParameters(QString text)
{
    // password = 'it\'s quoted' | password=bare\ word | ?password=x&… (a URL's query). A bare
    // value is masked up to the next space, whatever follows it in a URL or a message's
    // closing quote: a value may hold any of those characters.
    static const QRegularExpression keyword(
        QStringLiteral(R"((\b(?:ssl)?password\s*=\s*)(?:'(?:[^'\\]|\\.)*(?:'|$)|(?:\\.|\S)+))"));
    // scheme://user:password@host
    static const QRegularExpression userInfo(
        QStringLiteral(R"((\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)[^/\s@]*@)"));
    text.replace(keyword, QStringLiteral("\\1") + SecretValue::masked());
    text.replace(userInfo, QStringLiteral("\\1") + SecretValue::masked() + QLatin1Char('@'));
    return text;
}

} // namespace pd
