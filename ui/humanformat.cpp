#include "humanformat.h"

#include <QLocale>
#include <QTextDocument> // Qt::mightBeRichText

namespace pd::ui {

QString formatDataSize(qint64 bytes)
{
    if (bytes < 0)
        return {};
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString formatCheckedAge(const QDateTime &checkedAt, const QDateTime &now)
{
    if (!checkedAt.isValid())
        return QStringLiteral("not checked yet");
    const qint64 seconds = checkedAt.secsTo(now);
    // Clocks may disagree by a little (or the check finished "in the future" by a few ms).
    if (seconds < 2)
        return QStringLiteral("checked just now");
    if (seconds < 60)
        return QStringLiteral("checked %1 s ago").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("checked %1 min ago").arg(seconds / 60);
    return QStringLiteral("checked at %1")
        .arg(QLocale().toString(checkedAt.toLocalTime().time(), QLocale::ShortFormat));
}

QString protectionBadgeText(Protection protection)
{
    switch (protection) {
    case Protection::None:
        return {};
    case Protection::Confirm:
        return QStringLiteral("protected · confirm");
    case Protection::ReadOnly:
        return QStringLiteral("read-only");
    }
    return {};
}

QString plainToolTip(const QString &plain)
{
    if (!Qt::mightBeRichText(plain))
        return plain;
    return QStringLiteral("<p style='white-space:pre-wrap'>") + plain.toHtmlEscaped() +
           QStringLiteral("</p>");
}

} // namespace pd::ui
