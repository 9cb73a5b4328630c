#include "environmentcard.h"

#include "confirmnamedialog.h"
#include "elidedlabel.h"
#include "environment/actionpolicy.h"
#include "environmentlistmodel.h"
#include "errortext.h"
#include "humanformat.h"
#include "statuslight.h"

#include <QAbstractItemModel>
#include <QEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSpacerItem>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace pd::ui {
namespace {

// Between a status light and its words, and between the actions.
constexpr int kRowSpacing = 6;

using Role = EnvironmentListModel::Role;

QLabel *plainLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    // Everything shown here comes from servers and config files: never interpret it as HTML.
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

EnvironmentCard::EnvironmentCard(QAbstractItemModel *model, int row,
                                 EnvironmentController *controller, QWidget *parent)
    : QFrame(parent)
    , m_index(model->index(row, 0))
    , m_environment(m_index.data(Role::NameRole).toString())
    , m_controller(controller)
{
    setObjectName(QStringLiteral("card-") + m_environment);
    setFrameShape(QFrame::StyledPanel);
    // Base (the palette's "document" colour) lifts the card off the window background in
    // both light and dark palettes without choosing a colour ourselves.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    setAccessibleName(tr("%1 environment").arg(m_environment));

    m_name = plainLabel(QStringLiteral("name-") + m_environment, this);
    m_name->setText(m_environment);
    QFont bold = m_name->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_name->setFont(bold);

    const auto protection = m_index.data(Role::ProtectionRole).value<Protection>();
    if (const QString badge = protectionBadgeText(protection); !badge.isEmpty()) {
        m_badge = plainLabel(QStringLiteral("badge-") + m_environment, this);
        m_badge->setText(badge);
        m_badge->setStyleSheet(protectionBadgeStyle(protection));
        m_badge->setToolTip(protectionBadgeToolTip(protection));
    }

    m_light = new StatusLight(this);
    m_light->setObjectName(QStringLiteral("light-") + m_environment);
    m_state = plainLabel(QStringLiteral("status-") + m_environment, this);
    m_version = plainLabel(QStringLiteral("version-") + m_environment, this);
    m_size = plainLabel(QStringLiteral("size-") + m_environment, this);
    m_checked = plainLabel(QStringLiteral("checked-") + m_environment, this);
    m_checked->installEventFilter(this);

    m_reason = new ElidedLabel(this);
    m_reason->setObjectName(QStringLiteral("reason-") + m_environment);

    // What the environment is made of: the database in use, its schema, its services.
    m_database = plainLabel(QStringLiteral("database-") + m_environment, this);
    m_database->setToolTip(tr("The database ParityDeck checks and migrates: the "
                              "selected branch, or the one in the URL"));
    m_schema = plainLabel(QStringLiteral("schema-") + m_environment, this);
    m_sharedHistory = plainLabel(QStringLiteral("sharedHistory-") + m_environment, this);
    m_sharedHistory->setToolTip(
        tr("From the table paritydeck.history in this environment's database "
           "(history: database): what the team did there"));
    m_sharedHistory->hide();
    // The drift badge: a button, because it opens the review of what drifted.
    m_driftBadge = new QToolButton(this);
    m_driftBadge->setObjectName(QStringLiteral("drift-") + m_environment);
    m_driftBadge->setAutoRaise(true);
    m_driftBadge->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_driftCheck = new QToolButton(this);
    m_driftCheck->setObjectName(QStringLiteral("checkDrift-") + m_environment);
    m_driftCheck->setText(tr("Check drift"));
    m_driftCheck->setAccessibleName(tr("Check %1 for schema drift").arg(m_environment));

    // git branch ↔ database branch, for environments that tie the two.
    bool hasBranches = false;
    if (m_controller) {
        if (const EnvironmentConfig *env = m_controller->workspace().environment(m_environment))
            hasBranches = env->branches.git || !env->branches.database.isEmpty();
    }
    if (hasBranches) {
        m_branchLine = plainLabel(QStringLiteral("branchLine-") + m_environment, this);
        m_branchLine->setToolTip(tr("The checked-out git branch and the database "
                                    "branch this environment uses"));
    }

    m_services = new QWidget(this);
    m_services->setObjectName(QStringLiteral("services-") + m_environment);
    m_services->setAccessibleName(tr("%1 services").arg(m_environment));
    m_servicesLayout = new QHBoxLayout(m_services);
    m_servicesLayout->setContentsMargins(m_light->sizeHint().width() + kRowSpacing, 0, 0, 0);
    m_servicesLayout->setSpacing(6);
    m_servicesLayout->addStretch(1);

    // Operations: progress on the left, actions on the right.
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("busy-") + m_environment);
    m_busy->setRange(0, 0); // busy, no percentage
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(fontMetrics().averageCharWidth() * 8);
    m_busy->setMaximumHeight(fontMetrics().height() / 2 + 2);
    m_busy->setAccessibleName(tr("%1 operation in progress").arg(m_environment));
    // Elided: a migration's name can be long, and a progress text must never widen the window.
    m_progress = new ElidedLabel(this);
    m_progress->setObjectName(QStringLiteral("progress-") + m_environment);
    m_progress->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel-") + m_environment);
    m_cancel->setAccessibleName(tr("Cancel %1 operation").arg(m_environment));
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("start-") + m_environment);
    m_start->setAccessibleName(tr("Start %1 services").arg(m_environment));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stop-") + m_environment);
    m_stop->setAccessibleName(tr("Stop %1 services").arg(m_environment));
    m_restart = new QPushButton(tr("Restart"), this);
    m_restart->setObjectName(QStringLiteral("restart-") + m_environment);
    m_restart->setAccessibleName(tr("Restart %1 services").arg(m_environment));
    m_apply = new QPushButton(tr("Apply migrations…"), this);
    m_apply->setObjectName(QStringLiteral("apply-") + m_environment);
    m_apply->setAccessibleName(tr("Apply migrations to %1").arg(m_environment));
    if (const EnvironmentConfig *config =
            m_controller ? m_controller->workspace().environment(m_environment) : nullptr)
        m_upstream = config->promotesFrom;
    m_promote = new QPushButton(tr("Promote from %1").arg(m_upstream), this);
    m_promote->setObjectName(QStringLiteral("promote-") + m_environment);
    m_promote->setAccessibleName(tr("Promote %1 from %2").arg(m_environment, m_upstream));
    m_promote->setVisible(!m_upstream.isEmpty());
    m_switchBranch = new QPushButton(tr("Switch branch…"), this);
    m_switchBranch->setObjectName(QStringLiteral("switchBranch-") + m_environment);
    m_switchBranch->setAccessibleName(tr("Switch the branch of %1").arg(m_environment));
    m_diff = new QPushButton(tr("Diff…"), this);
    m_diff->setObjectName(QStringLiteral("diff-") + m_environment);
    m_diff->setAccessibleName(tr("Compare the schema of %1").arg(m_environment));
    // Rows show Start, Stop, Apply… and Diff…; the rest is one click further, each item
    // enabled and explained exactly as its card button (read when the menu opens).
    m_more = new QToolButton(this);
    m_more->setObjectName(QStringLiteral("more-") + m_environment);
    m_more->setText(tr("More"));
    m_more->setAccessibleName(tr("More actions for %1").arg(m_environment));
    m_more->setToolTip(tr("Restart, Switch branch…, Check drift"));
    m_more->setPopupMode(QToolButton::InstantPopup);
    m_more->setMenu(new QMenu(m_more));
    m_more->menu()->setObjectName(QStringLiteral("moreMenu-") + m_environment);
    m_more->menu()->setToolTipsVisible(true);
    connect(m_more->menu(), &QMenu::aboutToShow, this, &EnvironmentCard::fillMoreMenu);
    m_more->hide();
    m_busy->hide();
    m_progress->hide();
    m_cancel->hide();
    // Tab follows the buttons as they are laid out (Switch branch… before Apply migrations…),
    // not the order they were created in.
    setTabOrder(m_restart, m_switchBranch);
    setTabOrder(m_switchBranch, m_apply);
    setTabOrder(m_apply, m_diff);

    // The last error of an operation, inline; Details shows the whole message.
    m_error = new QFrame(this);
    m_error->setObjectName(QStringLiteral("error-") + m_environment);
    m_error->setFrameShape(QFrame::StyledPanel);
    m_errorText = new ElidedLabel(m_error);
    m_errorText->setObjectName(QStringLiteral("errorText-") + m_environment);
    m_errorDetailsButton = new QToolButton(m_error);
    m_errorDetailsButton->setObjectName(QStringLiteral("errorDetails-") + m_environment);
    m_errorDetailsButton->setText(tr("Details"));
    m_errorDetailsButton->setCheckable(true);
    m_errorDetailsButton->setArrowType(Qt::RightArrow);
    m_errorDetailsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_errorDetailsButton->setAccessibleName(tr("Show error details"));
    auto *dismiss = new QToolButton(m_error);
    dismiss->setObjectName(QStringLiteral("errorDismiss-") + m_environment);
    dismiss->setText(tr("Dismiss"));
    dismiss->setAccessibleName(tr("Dismiss error"));
    m_errorDetails = plainLabel(QStringLiteral("errorDetailText-") + m_environment, m_error);
    m_errorDetails->setWordWrap(true);
    // A word-wrapped label is at least as wide as its longest word (a path, a URL): an
    // explicit minimum lets it break such a word instead of widening the window.
    m_errorDetails->setMinimumWidth(m_errorDetails->fontMetrics().averageCharWidth() * 20);
    m_errorDetails->setTextInteractionFlags(Qt::TextSelectableByMouse |
                                            Qt::TextSelectableByKeyboard);
    m_errorDetails->hide();
    // The octagon says "error" by shape as well as colour, before the words do.
    m_errorLight = new StatusLight(m_error);
    m_errorLight->setObjectName(QStringLiteral("errorLight-") + m_environment);
    // Details under the summary's text, past the light.
    m_errorDetails->setIndent(m_errorLight->sizeHint().width() + 6);
    auto *errorTop = new QHBoxLayout;
    errorTop->setSpacing(6);
    errorTop->addWidget(m_errorLight);
    errorTop->addWidget(m_errorText, 1);
    errorTop->addWidget(m_errorDetailsButton);
    errorTop->addWidget(dismiss);
    auto *errorLayout = new QVBoxLayout(m_error);
    errorLayout->setContentsMargins(8, 4, 4, 4);
    errorLayout->addLayout(errorTop);
    errorLayout->addWidget(m_errorDetails);
    m_error->hide();
    connect(m_errorDetailsButton, &QToolButton::toggled, this, [this](bool on) {
        m_errorDetailsButton->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_errorDetailsButton->setAccessibleName(on ? tr("Hide error details")
                                                   : tr("Show error details"));
        m_errorDetails->setVisible(on);
    });
    connect(dismiss, &QToolButton::clicked, m_error, &QWidget::hide);

    buildLayout();

    connect(model, &QAbstractItemModel::dataChanged, this, &EnvironmentCard::onDataChanged);
    if (m_controller) {
        connect(m_start, &QPushButton::clicked, this,
                [this] { requestServiceAction(ServiceAction::Start); });
        connect(m_stop, &QPushButton::clicked, this,
                [this] { requestServiceAction(ServiceAction::Stop); });
        connect(m_restart, &QPushButton::clicked, this,
                [this] { requestServiceAction(ServiceAction::Restart); });
        connect(m_apply, &QPushButton::clicked, this,
                [this] { Q_EMIT applyRequested(m_environment); });
        connect(m_switchBranch, &QPushButton::clicked, this,
                [this] { Q_EMIT branchSwitchRequested(m_environment); });
        connect(m_promote, &QPushButton::clicked, this, &EnvironmentCard::requestPromotion);
        connect(m_diff, &QPushButton::clicked, this,
                [this] { Q_EMIT diffRequested(m_environment, QString()); });
        connect(m_driftBadge, &QToolButton::clicked, this, [this] {
            Q_EMIT diffRequested(QStringLiteral("migrations:") + m_environment, m_environment);
        });
        connect(m_driftCheck, &QToolButton::clicked, this,
                [this] { Q_EMIT driftCheckRequested(m_environment); });
        connect(m_cancel, &QPushButton::clicked, this, [this] {
            m_controller->cancel(m_environment);
            m_progress->setText(tr("Cancelling after the current step…"));
            m_cancel->setEnabled(false);
        });
        connect(m_controller, &EnvironmentController::operationStarted, this,
                &EnvironmentCard::onOperationStarted);
        connect(m_controller, &EnvironmentController::operationFinished, this,
                &EnvironmentCard::onOperationFinished);
        connect(m_controller, &EnvironmentController::migrationProgress, this,
                &EnvironmentCard::onMigrationProgress);
        connect(m_controller, &EnvironmentController::migrationPlanChanged, this,
                [this](const QString &environment) {
                    if (environment == m_environment)
                        updateSchema();
                });
        if (m_controller->isBusy(m_environment))
            onOperationStarted(m_environment, m_controller->runningOperation(m_environment),
                               m_controller->isCancellable(m_environment));
    } else {
        // Without a controller the card only watches.
        m_schema->hide();
        m_start->hide();
        m_stop->hide();
        m_restart->hide();
        m_apply->hide();
        m_switchBranch->hide();
        m_diff->hide();
        m_promote->hide();
        m_driftBadge->hide();
        m_driftCheck->hide();
    }
    updateFromModel();
    updateSchema();
    updateDriftBadge();
}

void EnvironmentCard::setLayoutMode(LayoutMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    // The widgets stay (and with them the drift badge, a running operation's progress and an
    // inline error); only their arrangement is rebuilt. Deleting the layout leaves the
    // widgets to the card.
    delete layout();
    buildLayout();
    m_shown.reset(); // visibility depends on the mode
    updateFromModel();
}

QSize EnvironmentCard::rowColumnHints() const
{
    return {m_name->sizeHint().width(), m_badge ? m_badge->sizeHint().width() : 0};
}

void EnvironmentCard::setRowColumns(int nameWidth, int badgeWidth)
{
    if (m_mode != LayoutMode::Row)
        return;
    m_name->setMinimumWidth(nameWidth);
    if (m_badge)
        m_badge->setMinimumWidth(badgeWidth);
    else if (m_badgeGap)
        // A box layout puts no spacing next to a spacer: add what the badge would have had.
        m_badgeGap->changeSize(badgeWidth > 0 ? badgeWidth + kRowSpacing : 0, 0, QSizePolicy::Fixed,
                               QSizePolicy::Minimum);
    layout()->invalidate();
}

void EnvironmentCard::buildLayout()
{
    const bool row = m_mode == LayoutMode::Row;
    const int indent = m_light->sizeHint().width() + kRowSpacing;
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(4);

    if (row) {
        // One line: who and how it is, the schema facts, then the actions. The facts a
        // card shows on lines of their own (server, size, database, services, branches)
        // are in the name's tool tip and the accessible description.
        layout->setContentsMargins(10, 4, 10, 4);
        auto *line = new QHBoxLayout;
        line->setSpacing(kRowSpacing);
        line->addWidget(m_light);
        line->addWidget(m_name);
        // Columns line up from row to row: the window gives every row the same name and
        // badge widths (setRowColumns), and the state is as wide as its longest word.
        // The layout owns the gap; rows with a badge have none.
        if (m_badge) {
            line->addWidget(m_badge);
        } else {
            m_badgeGap = new QSpacerItem(0, 0, QSizePolicy::Fixed, QSizePolicy::Minimum);
            line->addItem(m_badgeGap);
        }
        line->addSpacing(8);
        int stateWidth = 0;
        for (const StatusState state :
             {StatusState::Unknown, StatusState::Up, StatusState::Down, StatusState::Starting,
              StatusState::Degraded, StatusState::Error, StatusState::Attention})
            stateWidth =
                qMax(stateWidth, m_state->fontMetrics().horizontalAdvance(statusStateLabel(state)));
        m_state->setMinimumWidth(stateWidth);
        line->addWidget(m_state);
        // The why of a state is the point of the panel: room for the start of a reason
        // (the whole of it on hover); the row still fits a 1024 px screen.
        m_reason->setMinimumWidth(m_reason->fontMetrics().averageCharWidth() * 14);
        line->addWidget(m_reason, 4);
        line->addStretch(1);
        line->addSpacing(8);
        line->addWidget(m_schema);
        line->addWidget(m_driftBadge);
        line->addSpacing(8);
        line->addWidget(m_start);
        line->addWidget(m_stop);
        line->addWidget(m_apply);
        line->addWidget(m_promote);
        line->addWidget(m_diff);
        line->addWidget(m_more);
        layout->addLayout(line);
        if (m_controller) {
            for (QWidget *inMenu :
                 {static_cast<QWidget *>(m_restart), static_cast<QWidget *>(m_switchBranch),
                  static_cast<QWidget *>(m_driftCheck)})
                inMenu->hide();
            m_more->show();
        }
        // A running operation gets a line of its own, under the name: beside the actions
        // it made the row (and the window) wider for as long as it ran.
        auto *progressLine = new QHBoxLayout;
        progressLine->setSpacing(kRowSpacing);
        progressLine->addSpacing(indent);
        progressLine->addWidget(m_busy);
        progressLine->addWidget(m_progress, 1);
        progressLine->addWidget(m_cancel);
        layout->addLayout(progressLine);
        layout->addWidget(m_error);
        // The actions in short, as narrow as their words (styles make a text button at
        // least 80 px wide): the row fits a 1024 px screen. Names and tips stay in full.
        m_apply->setText(tr("Apply…"));
        for (QPushButton *button : {m_cancel, m_start, m_stop, m_apply, m_diff})
            button->setMinimumWidth(button->fontMetrics().horizontalAdvance(button->text()) +
                                    2 * button->fontMetrics().averageCharWidth() + 8);
        if (m_badge)
            m_badge->setText(m_index.data(Role::ProtectionRole).value<Protection>() ==
                                     Protection::ReadOnly
                                 ? tr("read-only")
                                 : tr("protected"));
        for (QWidget *fact :
             {static_cast<QWidget *>(m_version), static_cast<QWidget *>(m_size),
              static_cast<QWidget *>(m_checked), static_cast<QWidget *>(m_database), m_services})
            fact->hide();
        if (m_branchLine)
            m_branchLine->hide();
        return;
    }

    layout->setContentsMargins(12, 8, 12, 8);
    m_badgeGap = nullptr; // deleted with the row's layout
    m_apply->setText(tr("Apply migrations…"));
    for (QPushButton *button : {m_cancel, m_start, m_stop, m_apply, m_diff})
        button->setMinimumWidth(0);
    m_more->hide();
    if (m_controller) {
        m_restart->show();
        m_switchBranch->show();
        m_driftCheck->show();
    }
    if (m_badge)
        m_badge->setText(
            protectionBadgeText(m_index.data(Role::ProtectionRole).value<Protection>()));
    for (QWidget *w : {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_badge),
                       static_cast<QWidget *>(m_state), static_cast<QWidget *>(m_reason)}) {
        if (w)
            w->setMinimumWidth(0);
    }
    auto *header = new QHBoxLayout;
    header->addWidget(m_name);
    header->addStretch(1);
    if (m_badge)
        header->addWidget(m_badge);

    auto *statusRow = new QHBoxLayout;
    statusRow->setSpacing(kRowSpacing);
    statusRow->addWidget(m_light);
    statusRow->addWidget(m_state);
    statusRow->addSpacing(14);
    // Spacing rather than separators: each fact stays its own label for screen readers.
    // The figures follow the state (a wide window must not pull them apart).
    statusRow->addWidget(m_version);
    statusRow->addSpacing(14);
    statusRow->addWidget(m_size);
    statusRow->addSpacing(14);
    statusRow->addWidget(m_checked);
    statusRow->addStretch(1);
    m_checked->show();

    auto *reasonRow = new QHBoxLayout;
    // Indented under the state's text, past the light.
    reasonRow->addSpacing(indent);
    reasonRow->addWidget(m_reason, 1);

    auto *factsRow = new QHBoxLayout;
    factsRow->setSpacing(kRowSpacing);
    factsRow->addSpacing(indent);
    factsRow->addWidget(m_database);
    factsRow->addSpacing(14);
    factsRow->addWidget(m_schema);
    factsRow->addSpacing(14);
    factsRow->addWidget(m_driftBadge);
    factsRow->addWidget(m_driftCheck);
    factsRow->addStretch(1);

    // A running operation on its own line above the actions: beside them it made the card
    // (and the window) wider for as long as it ran.
    auto *progressRow = new QHBoxLayout;
    progressRow->setSpacing(kRowSpacing);
    progressRow->addWidget(m_busy);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    auto *actionsRow = new QHBoxLayout;
    actionsRow->setSpacing(kRowSpacing);
    actionsRow->addStretch(1);
    actionsRow->addWidget(m_start);
    actionsRow->addWidget(m_stop);
    actionsRow->addWidget(m_restart);
    actionsRow->addWidget(m_switchBranch);
    actionsRow->addWidget(m_apply);
    actionsRow->addWidget(m_promote);
    actionsRow->addWidget(m_diff);

    layout->addLayout(header);
    layout->addLayout(statusRow);
    layout->addLayout(reasonRow);
    layout->addLayout(factsRow);
    if (m_branchLine) {
        auto *branchRow = new QHBoxLayout;
        branchRow->addSpacing(indent);
        branchRow->addWidget(m_branchLine);
        branchRow->addStretch(1);
        layout->addLayout(branchRow);
        m_branchLine->show();
    }
    auto *historyRow = new QHBoxLayout;
    historyRow->addSpacing(indent);
    historyRow->addWidget(m_sharedHistory);
    historyRow->addStretch(1);
    layout->addLayout(historyRow);
    layout->addWidget(m_services);
    layout->addLayout(progressRow);
    layout->addLayout(actionsRow);
    layout->addWidget(m_error);
}

void EnvironmentCard::fillMoreMenu()
{
    QMenu *menu = m_more->menu();
    menu->clear();
    for (QAbstractButton *button :
         {static_cast<QAbstractButton *>(m_restart), static_cast<QAbstractButton *>(m_switchBranch),
          static_cast<QAbstractButton *>(m_driftCheck)}) {
        QAction *action = menu->addAction(button->text(), button, &QAbstractButton::click);
        action->setObjectName(QStringLiteral("moreAction-") + button->objectName());
        action->setEnabled(button->isEnabled());
        action->setToolTip(button->toolTip());
    }
}

namespace {

struct ServiceWords
{
    QString title; // "Start": the button and the question's title
    QString verb;  // "start": inside the question
};

ServiceWords wordsFor(EnvironmentCard::ServiceAction action)
{
    switch (action) {
    case EnvironmentCard::ServiceAction::Start:
        return {EnvironmentCard::tr("Start"), EnvironmentCard::tr("start")};
    case EnvironmentCard::ServiceAction::Stop:
        return {EnvironmentCard::tr("Stop"), EnvironmentCard::tr("stop")};
    case EnvironmentCard::ServiceAction::Restart:
        break;
    }
    return {EnvironmentCard::tr("Restart"), EnvironmentCard::tr("restart")};
}

} // namespace

void EnvironmentCard::requestServiceAction(ServiceAction action)
{
    if (!m_controller)
        return;
    const ActionDecision decision =
        decide(action == ServiceAction::Start  ? EnvironmentAction::Start
               : action == ServiceAction::Stop ? EnvironmentAction::Stop
                                               : EnvironmentAction::Restart);
    if (!decision.offered())
        return;
    if (decision.verdict == ProtectionVerdict::NeedsTypedName)
        askConfirmation(action);
    else
        runServiceAction(action, QString());
}

ActionDecision EnvironmentCard::decide(EnvironmentAction action) const
{
    return m_controller->decide(m_environment, action);
}

void EnvironmentCard::runServiceAction(ServiceAction action, const QString &confirmation)
{
    // The controller runs it as any operation (busy, progress, inline error); the service
    // controller checks the typed name and audits a wrong one.
    switch (action) {
    case ServiceAction::Start:
        m_controller->start(m_environment, confirmation);
        break;
    case ServiceAction::Stop:
        m_controller->stop(m_environment, confirmation);
        break;
    case ServiceAction::Restart:
        m_controller->restart(m_environment, confirmation);
        break;
    }
}

void EnvironmentCard::requestPromotion()
{
    const ActionDecision decision = decide(EnvironmentAction::Promote);
    if (!decision.offered())
        return;
    if (decision.verdict != ProtectionVerdict::NeedsTypedName) {
        m_controller->promote(m_environment);
        return;
    }
    if (m_confirmDialog)
        m_confirmDialog->close();
    const QString upstream = m_upstream;
    auto *dialog = new ConfirmNameDialog(
        m_environment, tr("Promote %1 from %2").arg(m_environment, upstream),
        tr("%1 is protected. Type its name to apply what %2 has applied and it has "
           "not (only if every gate passes):")
            .arg(m_environment, upstream),
        tr("Promote"), this);
    dialog->setObjectName(QStringLiteral("confirmPromote-") + m_environment);
    connect(dialog, &ConfirmNameDialog::confirmed, this,
            [this](const QString &typed) { m_controller->promote(m_environment, typed); });
    m_confirmDialog = dialog;
    dialog->open();
}

void EnvironmentCard::askConfirmation(ServiceAction action)
{
    if (m_confirmDialog)
        m_confirmDialog->close();
    const ServiceWords words = wordsFor(action);
    auto *dialog = new ConfirmNameDialog(
        m_environment, tr("%1 %2's services").arg(words.title, m_environment),
        tr("%1 is protected. Type its name to %2 its services:").arg(m_environment, words.verb),
        words.title, this);
    dialog->setObjectName(QStringLiteral("confirmServices-") + m_environment);
    connect(dialog, &ConfirmNameDialog::confirmed, this,
            [this, action](const QString &typed) { runServiceAction(action, typed); });
    m_confirmDialog = dialog;
    dialog->open();
}

void EnvironmentCard::setDrift(Drift drift, int changes, const QString &detail)
{
    m_driftState = drift;
    m_driftChanges = changes;
    m_driftDetail = detail;
    updateDriftBadge();
    updateActions();
}

void EnvironmentCard::showDrift(const DriftStatus &drift)
{
    Drift shown = Drift::Unknown;
    QString detail = drift.reason;
    switch (drift.state) {
    case DriftStatus::State::Unknown:
        shown = Drift::Unknown;
        break;
    case DriftStatus::State::None:
        shown = Drift::InSync;
        break;
    case DriftStatus::State::Drifted:
        shown = Drift::Drifted;
        detail = drift.summary;
        break;
    case DriftStatus::State::Error:
        shown = Drift::Failed;
        break;
    }
    if (drift.checking)
        shown = Drift::Checking;
    m_driftCheckedAt = drift.checkedAt;
    setDrift(shown, drift.objects, detail);
}

void EnvironmentCard::updateDriftBadge()
{
    QString text;
    QString tip;
    StatusState tone = StatusState::Unknown;
    switch (m_driftState) {
    case Drift::Unknown:
        text = tr("drift: unknown");
        tip = m_driftDetail.isEmpty()
                  ? tr("Not compared with the migrations yet. Check drift compares the live "
                       "schema with what its migrations produce. Click to review the "
                       "differences.")
                  : tr("Not known: %1. Check drift compares the live schema with what its "
                       "migrations produce. Click to review the differences.")
                        .arg(m_driftDetail);
        break;
    case Drift::Checking:
        text = tr("drift: checking…");
        tip = tr("Building the schema the migrations describe and comparing…");
        tone = StatusState::Starting;
        break;
    case Drift::InSync:
        text = tr("✓ in sync");
        tip = tr("The live schema matches what the applied migrations produce.");
        tone = StatusState::Up;
        break;
    case Drift::Drifted:
        text = m_driftChanges == 1 ? tr("⚠ drift: 1 object")
                                   : tr("⚠ drift: %1 objects").arg(m_driftChanges);
        tip = tr("The live schema differs from its migrations (%1). Click to "
                 "review.")
                  .arg(m_driftDetail);
        tone = StatusState::Degraded;
        break;
    case Drift::Failed:
        text = tr("drift: error");
        tip = tr("The drift check failed: %1").arg(m_driftDetail);
        tone = StatusState::Error;
        break;
    }
    if (m_driftCheckedAt.isValid() && m_driftState != Drift::Checking)
        tip += tr("\nChecked %1.")
                   .arg(QLocale().toString(m_driftCheckedAt.toLocalTime(), QLocale::ShortFormat));
    if (!m_factsCurrent && m_driftState != Drift::Unknown && m_driftState != Drift::Checking) {
        // Greyed, untinted and not clickable: the database does not answer now.
        text = tr("last seen: %1").arg(text);
        tip = tr("What the drift check found when the database last answered.\n") + tip;
        tone = StatusState::Unknown;
    }
    m_driftBadge->setText(text);
    m_driftBadge->setToolTip(plainToolTip(tip));
    m_driftBadge->setAccessibleName(tr("%1 %2, review differences").arg(m_environment, text));
    // The words carry the state; the tint only repeats it.
    const char *rgb = nullptr;
    switch (tone) {
    case StatusState::Up:
        rgb = "22, 163, 74";
        break;
    case StatusState::Degraded:
        rgb = "217, 119, 6";
        break;
    case StatusState::Error:
        rgb = "220, 38, 38";
        break;
    default:
        break;
    }
    m_driftBadge->setStyleSheet(
        rgb ? QStringLiteral("QToolButton { border: 1px solid rgba(%1, 0.9); background: "
                             "rgba(%1, 0.14); border-radius: 4px; padding: 0px 6px; }")
                  .arg(QLatin1String(rgb))
            : QStringLiteral("QToolButton { border: 1px solid palette(mid); border-radius: 4px;"
                             " padding: 0px 6px; }"));
}

void EnvironmentCard::setGitBranch(const QString &branch)
{
    m_gitBranch = branch;
    updateBranchLine();
}

void EnvironmentCard::updateBranchLine()
{
    if (!m_branchLine)
        return;
    const QString database = m_index.data(Role::DatabaseRole).toString();
    const QString git = m_gitBranch.isEmpty() ? QStringLiteral("?") : m_gitBranch;
    m_branchLine->setText(
        tr("git %1 ↔ database %2").arg(git, database.isEmpty() ? QStringLiteral("?") : database));
}

void EnvironmentCard::updateServices()
{
    const auto services = m_index.data(Role::ServicesRole).value<QList<ServiceStatus>>();
    QStringList names;
    for (const ServiceStatus &service : services)
        names.append(service.name);
    if (names != m_serviceNames) {
        // The set of services only changes with the workspace; rebuild then.
        while (QLayoutItem *item = m_servicesLayout->takeAt(0)) {
            delete item->widget();
            delete item;
        }
        auto *caption = plainLabel(QStringLiteral("servicesCaption-") + m_environment, m_services);
        caption->setText(tr("Services:"));
        m_servicesLayout->addWidget(caption);
        for (const QString &name : std::as_const(names)) {
            auto *light = new StatusLight(m_services);
            light->setObjectName(QStringLiteral("serviceLight-") + m_environment +
                                 QLatin1Char('-') + name);
            auto *label = plainLabel(
                QStringLiteral("service-") + m_environment + QLatin1Char('-') + name, m_services);
            m_servicesLayout->addWidget(light);
            m_servicesLayout->addWidget(label);
            m_servicesLayout->addSpacing(10);
        }
        m_servicesLayout->addStretch(1);
        m_serviceNames = names;
    }
    for (const ServiceStatus &service : services) {
        const QString suffix = m_environment + QLatin1Char('-') + service.name;
        auto *light =
            m_services->findChild<StatusLight *>(QStringLiteral("serviceLight-") + suffix);
        auto *label = m_services->findChild<QLabel *>(QStringLiteral("service-") + suffix);
        if (!light || !label)
            continue;
        light->setState(service.state, service.name);
        // The state in words beside the shape: colour is never the only signal.
        label->setText(service.name + QStringLiteral(": ") + statusStateLabel(service.state));
        const QString tip =
            service.reason.isEmpty() ? QString() : plainToolTip(reasonText(service));
        light->setToolTip(tip);
        label->setToolTip(tip);
    }
    m_services->setVisible(m_mode == LayoutMode::Card && !services.isEmpty());
}

void EnvironmentCard::updateSchema()
{
    if (!m_controller)
        return;
    const auto plan = m_controller->latestPlan(m_environment);
    QString text;
    QString tip;
    if (!plan) {
        text = m_controller->isPlanLoading(m_environment) ? tr("schema: checking…")
                                                          : tr("schema unknown");
    } else if (!*plan) {
        text = tr("schema unknown");
        tip = errorText(plan->error());
    } else {
        text = formatSchemaState(plan->value());
        QStringList problems;
        for (const MigrationProblem &problem : plan->value().problems)
            problems.append(problem.message);
        tip = problems.isEmpty()
                  ? QString(tr("Migration history: %1").arg(plan->value().historyTable))
                  : problems.join(QLatin1Char('\n'));
    }
    if (!m_factsCurrent && plan && *plan) {
        text = tr("last seen: %1").arg(text);
        tip = tr("What its migration history said when the database last answered.") +
              (tip.isEmpty() ? QString() : QStringLiteral("\n") + tip);
    }
    m_schema->setText(text);
    m_schema->setToolTip(tip.isEmpty() ? QString() : plainToolTip(tip));
    m_schema->setEnabled(m_factsCurrent);
    // Pending or broken migrations need attention: bold, with the attention colour's edge
    // (the words say it; the edge only repeats it).
    const bool attention = m_factsCurrent && plan && *plan &&
                           (plan->value().pendingCount() > 0 || !plan->value().isUpToDate());
    m_schema->setStyleSheet(
        attention ? QStringLiteral("QLabel { font-weight: bold; border-left: 3px "
                                   "solid rgba(37, 99, 235, 0.9); padding-left: 4px; }")
                  : QString());
    updateActions();
}

void EnvironmentCard::updateActions()
{
    if (!m_controller)
        return;
    // Enabled or not, and why, as core's action policy says (the tray asks the same).
    const QMap<EnvironmentAction, ActionDecision> decisions =
        m_controller->decideAll(m_environment);
    const auto show = [this, &decisions](QAbstractButton *button, EnvironmentAction action,
                                         const QString &offeredTip) {
        const ActionDecision decision = decisions.value(action);
        button->setEnabled(decision.offered());
        QString tip = decision.offered() ? offeredTip : decision.reason;
        if (decision.verdict == ProtectionVerdict::NeedsTypedName)
            tip += tr(" (%1 is protected: its name is asked for first)").arg(m_environment);
        button->setToolTip(plainToolTip(tip));
    };
    show(m_start, EnvironmentAction::Start, tr("Start every service of %1").arg(m_environment));
    show(m_stop, EnvironmentAction::Stop, tr("Stop every service of %1").arg(m_environment));
    show(m_restart, EnvironmentAction::Restart,
         tr("Stop, then start again, every service of %1").arg(m_environment));
    show(m_apply, EnvironmentAction::ApplyMigrations,
         tr("Review and apply the pending migrations"));
    show(m_promote, EnvironmentAction::Promote,
         tr("Check the gates, then apply what %1 has applied and %2 has not")
             .arg(m_upstream, m_environment));
    show(m_switchBranch, EnvironmentAction::SwitchBranch,
         tr("Pick, create, reset or delete the branch this environment works on"));
    show(m_diff, EnvironmentAction::Diff,
         tr("Compare the schema of %1 with another environment, its migrations or a file")
             .arg(m_environment));
    show(m_driftCheck, EnvironmentAction::CheckDrift,
         tr("Compare the live schema with what its applied migrations produce "
            "(builds a throwaway database)"));
    // A drift check already running (the drift watch's or a click's) is not started twice.
    if (m_driftState == Drift::Checking) {
        m_driftCheck->setEnabled(false);
        m_driftCheck->setToolTip(tr("The drift check is running."));
    }
    const EnvironmentConfig *config = m_controller->workspace().environment(m_environment);
    const bool hasDatabase = config && !config->database.url.isEmpty();
    m_driftCheck->setText(m_driftState == Drift::Unknown || m_driftState == Drift::Checking
                              ? tr("Check drift")
                              : tr("Check again"));
    m_driftBadge->setEnabled(hasDatabase && m_factsCurrent);
}

void EnvironmentCard::onOperationStarted(const QString &environment, const QString &description,
                                         bool cancellable)
{
    if (environment != m_environment)
        return;
    m_error->hide();
    m_busy->show();
    m_progress->setText(description + QStringLiteral("…"));
    m_progress->show();
    m_cancel->setVisible(cancellable);
    m_cancel->setEnabled(cancellable);
    updateActions();
}

void EnvironmentCard::onMigrationProgress(const QString &environment,
                                          const MigrationProgress &progress)
{
    if (environment != m_environment || !m_cancel->isEnabled())
        return;
    switch (progress.phase) {
    case MigrationProgress::Phase::WaitingForLock:
        m_progress->setText(tr("Waiting for another applier…"));
        m_progress->setToolTip(progress.message);
        break;
    case MigrationProgress::Phase::Started:
        m_progress->setText(tr("Applying %1 (%2 of %3)…")
                                .arg(progress.version)
                                .arg(progress.index + 1)
                                .arg(progress.total));
        m_progress->setToolTip(progress.file);
        break;
    case MigrationProgress::Phase::Finished:
        break;
    }
}

void EnvironmentCard::onOperationFinished(const QString &environment, const QString &description,
                                          const Result<void> &result)
{
    if (environment != m_environment)
        return;
    m_busy->hide();
    m_progress->hide();
    m_progress->setToolTip(QString());
    m_cancel->hide();
    if (!result) {
        const bool cancelled = result.error().code == ErrorCode::Cancelled;
        // A cancellation is the user's own doing: a warning, not an error.
        showError(cancelled ? tr("%1: cancelled").arg(description)
                            : tr("%1 failed: %2").arg(description, errorText(result.error())),
                  errorText(result.error()),
                  cancelled ? StatusState::Degraded : StatusState::Error);
    }
    updateActions();
}

void EnvironmentCard::showError(const QString &summary, const QString &details,
                                StatusState severity)
{
    m_errorLight->setState(severity, tr("%1 operation").arg(m_environment));
    m_errorText->setText(summary);
    m_errorText->setToolTip(plainToolTip(summary));
    m_errorDetails->setText(details);
    m_errorDetailsButton->setChecked(false);
    m_error->setAccessibleName(tr("%1 error").arg(m_environment));
    m_error->setAccessibleDescription(details);
    m_error->show();
}

void EnvironmentCard::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                    const QList<int> &roles)
{
    if (!m_index.isValid() || m_index.row() < topLeft.row() || m_index.row() > bottomRight.row())
        return;
    const bool onlyTheCheckMoved =
        !roles.isEmpty() && std::all_of(roles.cbegin(), roles.cend(), [](int role) {
            return role == Role::CheckedAtRole || role == Role::LatencyRole;
        });
    if (onlyTheCheckMoved) {
        m_checkedAt = m_index.data(Role::CheckedAtRole).toDateTime();
        updateCheckedTime(m_index.data(Role::LatencyRole).toLongLong());
        return;
    }
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
    updateCheckedTime(latency);
    updateSharedHistory();

    // Most checks only move the check time: leave every other widget as it is. Setting
    // equal texts, tool tips and accessible names still sent change events, re-laid out
    // the card and fed the accessibility bridge on every poll (callgrind, idle window).
    const QString lastSeen = m_index.data(Role::LastSeenRole).toString();
    const auto drift = m_index.data(Role::DriftRole).value<DriftStatus>();
    Shown shown{state,
                reason,
                version,
                size,
                m_index.data(Role::DatabaseRole).toString(),
                m_index.data(Role::ServicesRole).value<QList<ServiceStatus>>(),
                lastSeen,
                drift};
    if (m_shown && *m_shown == shown)
        return;
    const bool driftChanged = !m_shown || !(m_shown->drift == drift);
    m_shown = std::move(shown);
    // A card never mixes states: with the database not answering, what is known of its
    // schema and drift is greyed as "last seen", like its version and size.
    const bool current = state == StatusState::Up || state == StatusState::Attention ||
                         state == StatusState::Degraded;
    const bool currentChanged = current != m_factsCurrent;
    m_factsCurrent = current;
    if (driftChanged)
        showDrift(drift);
    else if (currentChanged)
        updateDriftBadge();
    if (currentChanged)
        updateSchema();

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

    // Not answering: what it was when it last did, greyed, so it never reads as current.
    const bool stale = version.isEmpty() && !lastSeen.isEmpty();
    m_version->setText(stale               ? lastSeen
                       : version.isEmpty() ? QString()
                                           : tr("PostgreSQL %1").arg(version));
    m_version->setEnabled(!stale);
    m_version->setToolTip(stale ? tr("What the server said when it last answered") : QString());
    m_version->setVisible(m_mode == LayoutMode::Card && (!version.isEmpty() || stale));
    m_size->setText(size);
    m_size->setToolTip(size.isEmpty() ? QString() : tr("Database size"));
    m_size->setVisible(m_mode == LayoutMode::Card && !size.isEmpty());

    const QString database = m_index.data(Role::DatabaseRole).toString();
    m_database->setText(database.isEmpty() ? QString() : tr("database %1").arg(database));
    m_database->setVisible(m_mode == LayoutMode::Card && !database.isEmpty());
    updateBranchLine();
    updateServices();
    updateActions();

    QStringList description{stateLabel};
    if (!reason.isEmpty())
        description << reason;
    if (!version.isEmpty())
        description << m_version->text();
    if (!size.isEmpty())
        description << size;
    setAccessibleDescription(description.join(QStringLiteral("; ")));
    // Rows leave the server, size and database off the line: hovering the name shows them.
    if (!database.isEmpty())
        description << m_database->text();
    m_name->setToolTip(description.join(QLatin1Char('\n')));
}

void EnvironmentCard::updateSharedHistory()
{
    const auto status = m_index.data(Role::StatusRole).value<EnvironmentStatus>();
    // Rows have no line for it; the audit view lists every entry.
    if (m_mode == LayoutMode::Row || status.sharedHistory.isEmpty()) {
        m_sharedHistory->hide();
        return;
    }
    const QString text =
        sharedhistory::describe(status.sharedHistory.first(), QDateTime::currentDateTimeUtc());
    if (m_sharedHistory->text() != text) {
        m_sharedHistory->setText(text);
        m_sharedHistory->setAccessibleName(text);
    }
    m_sharedHistory->show();
}

void EnvironmentCard::updateCheckedTime(qint64 latencyMs)
{
    m_latencyMs = latencyMs;
    refreshAge(QDateTime::currentDateTimeUtc());
}

QString EnvironmentCard::checkedToolTip() const
{
    if (!m_checkedAt.isValid())
        return {};
    QString tip = QLocale().toString(m_checkedAt.toLocalTime(), QLocale::LongFormat);
    if (m_latencyMs >= 0)
        tip += tr(" (answered in %1 ms)").arg(m_latencyMs);
    return tip;
}

bool EnvironmentCard::eventFilter(QObject *watched, QEvent *event)
{
    // The exact check time is worded when someone hovers it, not on every poll (formatting
    // a long date each time was a sixth of the idle window's work).
    if (watched == m_checked && event->type() == QEvent::ToolTip)
        m_checked->setToolTip(checkedToolTip());
    return QFrame::eventFilter(watched, event);
}

void EnvironmentCard::refreshAge(const QDateTime &now)
{
    const QString text = formatCheckedAge(m_checkedAt, now);
    if (m_checked->text() != text)
        m_checked->setText(text);
}

} // namespace pd::ui
