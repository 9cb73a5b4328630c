#include "secrets/secretref.h"

#include <algorithm>

namespace pd {

namespace {

QString allForms()
{
    return QStringLiteral("keychain:SERVICE/KEY, env:NAME, command:CMD or dotenv:FILE#KEY");
}

Error refError(const QString &message)
{
    return Error(ErrorCode::Config, message);
}

bool isNameStart(QChar c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || c == u'_';
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9');
}

// Index of the first character that cannot appear in a variable name (POSIX portable
// names: letters, digits, '_', not starting with a digit), or -1. `extra` admits more
// characters after the first, for dotenv keys such as "app.db-password".
qsizetype firstInvalidNameChar(const QString &name, QStringView extra = {})
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        const bool ok = i == 0 ? isNameStart(c) : (isNameChar(c) || extra.contains(c));
        if (!ok)
            return i;
    }
    return -1;
}

} // namespace

Result<SecretRef> SecretRef::parse(const QString &text, int *columnOffset)
{
    const auto fail = [&](qsizetype offset, const QString &message) -> Result<SecretRef> {
        if (columnOffset)
            *columnOffset = int(offset);
        return refError(message);
    };

    if (text.isEmpty())
        return fail(0, QStringLiteral("the secret reference is empty; expected ") + allForms());
    const qsizetype colon = text.indexOf(u':');
    if (colon < 0) {
        // Most often the password itself was pasted here, so the text is never echoed.
        return fail(0, QStringLiteral("not a secret reference; expected ") + allForms() +
                           QStringLiteral(", never the secret itself"));
    }

    const QString kind = text.first(colon);
    const QString rest = text.mid(colon + 1);
    const qsizetype restStart = colon + 1;
    SecretRef ref;
    if (kind == u"keychain") {
        ref.kind = Kind::Keychain;
        const qsizetype slash = rest.indexOf(u'/');
        if (rest.isEmpty() || slash == 0)
            return fail(restStart, QStringLiteral("keychain reference has an empty SERVICE; "
                                                  "expected keychain:SERVICE/KEY"));
        if (slash < 0)
            return fail(text.size(), QStringLiteral("keychain reference has no '/KEY'; "
                                                    "expected keychain:SERVICE/KEY"));
        if (slash == rest.size() - 1)
            return fail(text.size(), QStringLiteral("keychain reference has an empty KEY; "
                                                    "expected keychain:SERVICE/KEY"));
        ref.service = rest.first(slash);
        ref.key = rest.mid(slash + 1);
        return ref;
    }
    if (kind == u"env") {
        ref.kind = Kind::Env;
        if (rest.isEmpty())
            return fail(restStart, QStringLiteral("env reference has no variable name; "
                                                  "expected env:NAME"));
        const qsizetype bad = firstInvalidNameChar(rest);
        if (bad >= 0)
            return fail(restStart + bad,
                        QStringLiteral("env reference names '%1', which is not a valid variable "
                                       "name; expected letters, digits and '_', not starting "
                                       "with a digit")
                            .arg(rest));
        ref.name = rest;
        return ref;
    }
    if (kind == u"command") {
        ref.kind = Kind::Command;
        if (rest.trimmed().isEmpty())
            return fail(restStart, QStringLiteral("command reference has no command; "
                                                  "expected command:CMD"));
        ref.command = rest.trimmed();
        return ref;
    }
    if (kind == u"dotenv") {
        ref.kind = Kind::Dotenv;
        // The last '#' splits: keys never hold one, file names occasionally do.
        const qsizetype hash = rest.lastIndexOf(u'#');
        if (rest.isEmpty() || hash == 0)
            return fail(restStart, QStringLiteral("dotenv reference has an empty FILE; "
                                                  "expected dotenv:FILE#KEY"));
        if (hash < 0)
            return fail(text.size(), QStringLiteral("dotenv reference has no '#KEY'; "
                                                    "expected dotenv:FILE#KEY"));
        const QString key = rest.mid(hash + 1);
        if (key.isEmpty())
            return fail(text.size(), QStringLiteral("dotenv reference has an empty KEY; "
                                                    "expected dotenv:FILE#KEY"));
        const qsizetype bad = firstInvalidNameChar(key, u".-");
        if (bad >= 0)
            return fail(restStart + hash + 1 + bad,
                        QStringLiteral("dotenv reference names '%1', which is not a valid key; "
                                       "expected letters, digits, '_', '.' or '-', not starting "
                                       "with a digit")
                            .arg(key));
        ref.file = rest.first(hash);
        ref.key = key;
        return ref;
    }

    const QString folded = kind.toLower();
    if (folded == u"keychain" || folded == u"env" || folded == u"command" || folded == u"dotenv")
        return fail(
            0, QStringLiteral("unknown secret kind '%1'; did you mean '%2'?").arg(kind, folded));
    // A prefix made only of letters is a kind name; anything else may be part of a secret
    // that happens to hold a ':' and is not repeated.
    const bool looksLikeKind = !kind.isEmpty() && kind.size() <= 16 &&
                               std::all_of(kind.cbegin(), kind.cend(), [](QChar c) {
                                   return c.isLetter() || c == u'-' || c == u'_';
                               });
    if (looksLikeKind)
        return fail(0,
                    QStringLiteral("unknown secret kind '%1'; expected ").arg(kind) + allForms());
    return fail(0, QStringLiteral("not a secret reference; expected ") + allForms() +
                       QStringLiteral(", never the secret itself"));
}

QString SecretRef::toString() const
{
    switch (kind) {
    case Kind::Keychain:
        return QStringLiteral("keychain:") + service + u'/' + key;
    case Kind::Env:
        return QStringLiteral("env:") + name;
    case Kind::Command:
        return QStringLiteral("command:") + command;
    case Kind::Dotenv:
        return QStringLiteral("dotenv:") + file + u'#' + key;
    }
    return {};
}

QString SecretRef::kindName() const
{
    switch (kind) {
    case Kind::Keychain:
        return QStringLiteral("keychain");
    case Kind::Env:
        return QStringLiteral("env");
    case Kind::Command:
        return QStringLiteral("command");
    case Kind::Dotenv:
        return QStringLiteral("dotenv");
    }
    return {};
}

} // namespace pd
