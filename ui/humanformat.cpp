#include "humanformat.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTextDocument> // Qt::mightBeRichText

#include <algorithm>

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
        return QCoreApplication::translate("pd::ui::HumanFormat", "not checked yet");
    const qint64 seconds = checkedAt.secsTo(now);
    // Clocks may disagree by a little (or the check finished "in the future" by a few ms).
    // Coarse on purpose: every change of this text re-lays out and repaints the window.
    // Once a second was 75 % of the idle CPU (callgrind); a "just now" bucket still
    // flipped back and forth with every poll of an environment that is down (polled
    // every 20 s). Polls are closer than a minute, so a window that keeps up shows one
    // steady text. The exact time is in the tool tip.
    if (seconds < 60)
        return QCoreApplication::translate("pd::ui::HumanFormat", "checked under a minute ago");
    if (seconds < 3600)
        return QCoreApplication::translate("pd::ui::HumanFormat", "checked %1 min ago")
            .arg(seconds / 60);
    return QCoreApplication::translate("pd::ui::HumanFormat", "checked at %1")
        .arg(QLocale().toString(checkedAt.toLocalTime().time(), QLocale::ShortFormat));
}

qint64 msUntilCheckedAgeChanges(const QDateTime &checkedAt, const QDateTime &now)
{
    if (!checkedAt.isValid())
        return -1;
    const qint64 age = std::max<qint64>(0, checkedAt.msecsTo(now));
    // The text moves at each whole minute of age up to an hour, then names the time.
    if (age >= 3600 * 1000)
        return -1;
    return (age / 60000 + 1) * 60000 - age;
}

QString protectionBadgeText(Protection protection)
{
    switch (protection) {
    case Protection::None:
        return {};
    case Protection::Confirm:
        return QCoreApplication::translate("pd::ui::HumanFormat", "protected · confirm");
    case Protection::ReadOnly:
        return QCoreApplication::translate("pd::ui::HumanFormat", "read-only");
    }
    return {};
}

QString protectionBadgeToolTip(Protection protection)
{
    switch (protection) {
    case Protection::None:
        return {};
    case Protection::Confirm:
        return QCoreApplication::translate("pd::ui::HumanFormat",
                                           "Changes need the environment's name typed to confirm.");
    case Protection::ReadOnly:
        return QCoreApplication::translate("pd::ui::HumanFormat",
                                           "ParityDeck never writes to this environment.");
    }
    return {};
}

// A translucent tint with a saturated border over the palette's own background and text,
// so the badge reads on light and dark themes without hard-coding either background.
QString protectionBadgeStyle(Protection protection)
{
    QLatin1String rgb("217, 119, 6");
    switch (protection) {
    case Protection::None:
        return {};
    case Protection::Confirm:
        break;
    case Protection::ReadOnly:
        rgb = QLatin1String("59, 130, 196");
        break;
    }
    return QStringLiteral("QLabel { border: 1px solid rgba(%1, 0.9); background: rgba(%1, 0.16);"
                          " border-radius: 4px; padding: 0px 6px; }")
        .arg(rgb);
}

QString plainToolTip(const QString &plain)
{
    if (!Qt::mightBeRichText(plain))
        return plain;
    // untranslated: markup around the text, no words
    return QStringLiteral("<p style='white-space:pre-wrap'>") + plain.toHtmlEscaped() +
           QStringLiteral("</p>");
}

QString formatSchemaState(const MigrationPlan &plan)
{
    auto versionsIn = [&plan](MigrationState state) {
        QStringList versions;
        for (const PlannedMigration &m : plan.migrations) {
            if (m.state == state)
                versions.append(m.version);
        }
        return versions.join(QStringLiteral(", "));
    };
    // What stops an apply comes first: it is what the user must look at.
    if (plan.count(MigrationState::ChecksumChanged) > 0)
        return QCoreApplication::translate("pd::ui::HumanFormat", "checksum changed: %1")
            .arg(versionsIn(MigrationState::ChecksumChanged));
    if (plan.count(MigrationState::Failed) > 0 || plan.dirty)
        return QCoreApplication::translate("pd::ui::HumanFormat", "migration failed: %1")
            .arg(plan.count(MigrationState::Failed) > 0 ? versionsIn(MigrationState::Failed)
                                                        : plan.headVersion);
    const QString head = plan.headVersion.isEmpty()
                             ? QCoreApplication::translate("pd::ui::HumanFormat", "none")
                             : plan.headVersion;
    QString text = QCoreApplication::translate("pd::ui::HumanFormat", "schema %1").arg(head) +
                   QStringLiteral(" · ");
    const int pending = plan.pendingCount();
    if (pending > 0)
        text += QCoreApplication::translate("pd::ui::HumanFormat", "%1 pending").arg(pending);
    else
        text += QCoreApplication::translate("pd::ui::HumanFormat", "up to date");
    if (const int missing = plan.count(MigrationState::Missing); missing > 0)
        text += QCoreApplication::translate("pd::ui::HumanFormat", " · %1 missing").arg(missing);
    return text;
}

} // namespace pd::ui
