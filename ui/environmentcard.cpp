#include "environmentcard.h"

#include "elidedlabel.h"
#include "environmentlistmodel.h"
#include "humanformat.h"
#include "statuslight.h"

#include <QAbstractItemModel>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace pd::ui {
namespace {

using Role = EnvironmentListModel::Role;

QLabel *plainLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    // Everything shown here comes from servers and config files: never interpret it as HTML.
    label->setTextFormat(Qt::PlainText);
    return label;
}

// Badge colours: a translucent tint with a saturated border over the palette's own
// background and text, so the badge reads on light and dark themes without hard-coding
// either background.
QString badgeStyle(Protection protection)
{
    const char *rgb = protection == Protection::ReadOnly ? "59, 130, 196" : "217, 119, 6";
    return QStringLiteral("QLabel { border: 1px solid rgba(%1, 0.9); background: rgba(%1, 0.16);"
                          " border-radius: 4px; padding: 0px 6px; }")
        .arg(QLatin1String(rgb));
}

} // namespace

EnvironmentCard::EnvironmentCard(QAbstractItemModel *model, int row, QWidget *parent)
    : QFrame(parent)
    , m_index(model->index(row, 0))
    , m_environment(m_index.data(Role::NameRole).toString())
{
    setObjectName(QStringLiteral("card-") + m_environment);
    setFrameShape(QFrame::StyledPanel);
    // Base (the palette's "document" colour) lifts the card off the window background in
    // both light and dark palettes without choosing a colour ourselves.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    setAccessibleName(m_environment + QStringLiteral(" environment"));

    m_name = plainLabel(QStringLiteral("name-") + m_environment, this);
    m_name->setText(m_environment);
    QFont bold = m_name->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_name->setFont(bold);

    auto *header = new QHBoxLayout;
    header->addWidget(m_name);
    header->addStretch(1);
    const auto protection = m_index.data(Role::ProtectionRole).value<Protection>();
    if (protection != Protection::None) {
        m_badge = plainLabel(QStringLiteral("badge-") + m_environment, this);
        m_badge->setText(protectionBadgeText(protection));
        m_badge->setStyleSheet(badgeStyle(protection));
        m_badge->setToolTip(protection == Protection::ReadOnly
                                ? QStringLiteral("ParityDeck never writes to this environment.")
                                : QStringLiteral("Changes need the environment's name typed "
                                                 "to confirm."));
        header->addWidget(m_badge);
    }

    m_light = new StatusLight(this);
    m_light->setObjectName(QStringLiteral("light-") + m_environment);
    m_state = plainLabel(QStringLiteral("status-") + m_environment, this);
    m_version = plainLabel(QStringLiteral("version-") + m_environment, this);
    m_size = plainLabel(QStringLiteral("size-") + m_environment, this);
    m_checked = plainLabel(QStringLiteral("checked-") + m_environment, this);

    auto *statusRow = new QHBoxLayout;
    statusRow->setSpacing(6);
    statusRow->addWidget(m_light);
    statusRow->addWidget(m_state);
    statusRow->addSpacing(14);
    statusRow->addStretch(1);
    // Spacing rather than separators: each fact stays its own label for screen readers.
    statusRow->addWidget(m_version);
    statusRow->addSpacing(14);
    statusRow->addWidget(m_size);
    statusRow->addSpacing(14);
    statusRow->addWidget(m_checked);

    m_reason = new ElidedLabel(this);
    m_reason->setObjectName(QStringLiteral("reason-") + m_environment);
    auto *reasonRow = new QHBoxLayout;
    // Indented under the state's text, past the light.
    reasonRow->addSpacing(m_light->sizeHint().width() + statusRow->spacing());
    reasonRow->addWidget(m_reason, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(4);
    layout->addLayout(header);
    layout->addLayout(statusRow);
    layout->addLayout(reasonRow);

    connect(model, &QAbstractItemModel::dataChanged, this, &EnvironmentCard::onDataChanged);
    updateFromModel();
}

void EnvironmentCard::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    if (!m_index.isValid() || m_index.row() < topLeft.row() || m_index.row() > bottomRight.row())
        return;
    updateFromModel();
}

void EnvironmentCard::updateFromModel()
{
    if (!m_index.isValid())
        return;
    const auto state = m_index.data(Role::StateRole).value<StatusState>();
    const QString stateLabel = m_index.data(Role::StateLabelRole).toString();
    const QString reason = m_index.data(Role::ReasonRole).toString();
    const QString version = m_index.data(Role::ServerVersionRole).toString();
    const QString size = m_index.data(Role::DatabaseSizeTextRole).toString();
    const qint64 latency = m_index.data(Role::LatencyRole).toLongLong();
    m_checkedAt = m_index.data(Role::CheckedAtRole).toDateTime();

    m_light->setState(state, m_environment);
    m_state->setText(stateLabel);

    // The reason is inline whenever the environment is not up (errors never go to a
    // dialog); when up, a reason (if any) is only a hover detail.
    const QString reasonTip = reason.isEmpty() ? QString() : plainToolTip(reason);
    m_reason->setText(reason);
    m_reason->setToolTip(reasonTip);
    m_reason->setVisible(state != StatusState::Up && !reason.isEmpty());
    m_light->setToolTip(reasonTip);
    m_state->setToolTip(reasonTip);
    setToolTip(reasonTip);

    m_version->setText(version.isEmpty() ? QString() : QStringLiteral("PostgreSQL ") + version);
    m_version->setVisible(!version.isEmpty());
    m_size->setText(size);
    m_size->setToolTip(size.isEmpty() ? QString() : QStringLiteral("Database size"));
    m_size->setVisible(!size.isEmpty());

    refreshAge(QDateTime::currentDateTimeUtc());
    QString checkedTip;
    if (m_checkedAt.isValid()) {
        checkedTip = QLocale().toString(m_checkedAt.toLocalTime(), QLocale::LongFormat);
        if (latency >= 0)
            checkedTip += QStringLiteral(" (answered in %1 ms)").arg(latency);
    }
    m_checked->setToolTip(checkedTip);

    QStringList description{stateLabel};
    if (!reason.isEmpty())
        description << reason;
    if (!version.isEmpty())
        description << m_version->text();
    if (!size.isEmpty())
        description << size;
    setAccessibleDescription(description.join(QStringLiteral("; ")));
}

void EnvironmentCard::refreshAge(const QDateTime &now)
{
    const QString text = formatCheckedAge(m_checkedAt, now);
    if (m_checked->text() != text)
        m_checked->setText(text);
}

} // namespace pd::ui
