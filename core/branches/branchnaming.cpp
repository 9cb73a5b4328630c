#include "branchnaming.h"

#include <QCryptographicHash>

namespace pd::branchnaming {

QString slug(const QString &gitBranch)
{
    QString out;
    out.reserve(gitBranch.size());
    for (const QChar c : gitBranch.toLower()) {
        const bool keep = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
        const QChar next = keep ? c : QChar(u'_');
        if (next == u'_' && out.endsWith(u'_'))
            continue;
        out.append(next);
    }
    while (out.startsWith(u'_'))
        out.remove(0, 1);
    while (out.endsWith(u'_'))
        out.chop(1);
    return out;
}

QString shortHash(const QString &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex().left(8));
}

namespace {

// Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character.
QString cutToBytes(const QString &text, int bytes)
{
    QString out;
    int used = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const int width = text.at(i).isHighSurrogate() ? 4 : QString(text.at(i)).toUtf8().size();
        const qsizetype units = text.at(i).isHighSurrogate() ? 2 : 1;
        if (used + width > bytes)
            break;
        out.append(text.mid(i, units));
        used += width;
        i += units - 1;
    }
    return out;
}

QString expand(QString pattern, const QString &db, const QString &branch)
{
    return pattern.replace(QStringLiteral("{db}"), db).replace(QStringLiteral("{branch}"), branch);
}

} // namespace

Result<void> checkName(const QString &name, const QString &what)
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
            return Error(ErrorCode::Usage, ErrorKind::NameHasControlCharacter,
                         {ErrorArg::text(QStringLiteral("what"), what),
                          ErrorArg::text(QStringLiteral("codePoint"),
                                         QString::number(c, 16).toUpper().rightJustified(4, u'0')),
                          ErrorArg::number(QStringLiteral("position"), i + 1)});
        }
    }
    return {};
}

QString databaseName(const QString &pattern, const QString &mainDatabase, const QString &gitBranch)
{
    const QString effectivePattern = pattern.contains(QStringLiteral("{branch}"))
                                         ? pattern
                                         : QString(pattern + QStringLiteral("__{branch}"));
    const QString branchSlug = slug(gitBranch);
    const QString full = expand(effectivePattern, mainDatabase, branchSlug);
    if (full.toUtf8().size() <= kMaxIdentifierBytes && !branchSlug.isEmpty())
        return full;

    const QString suffix = QString(QLatin1Char('_') + shortHash(gitBranch));
    // Room left for the slug once the rest of the pattern and the hash are in place.
    const int fixedBytes = int(expand(effectivePattern, mainDatabase, QString()).toUtf8().size());
    const int room = kMaxIdentifierBytes - fixedBytes - int(suffix.size());
    if (room >= 1) {
        QString cut = branchSlug.left(room);
        while (cut.endsWith(u'_'))
            cut.chop(1);
        return expand(effectivePattern, mainDatabase, QString(cut + suffix));
    }
    // A main database name too long to leave room for any slug: cut the whole name.
    return QString(cutToBytes(full, kMaxIdentifierBytes - int(suffix.size())) + suffix);
}

} // namespace pd::branchnaming
