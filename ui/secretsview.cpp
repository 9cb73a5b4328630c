#include "secretsview.h"
#include "closecontrols.h"

#include "audit/auditlog.h"
#include "environment/resolvedconnection.h"
#include "errortext.h"
#include "humanformat.h"
#include "secreteditdialog.h"
#include "whenfinished.h"
#include "workspace/protection.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pd::ui {
namespace {

const QString kMasked = QStringLiteral("••••••••");

QTableWidgetItem *item(const QString &text)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return cell;
}

} // namespace

SecretsView::SecretsView(const Workspace &workspace, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_inventory(new SecretInventory(workspace, this))
{
    setObjectName(QStringLiteral("secretsView"));
    setWindowTitle(tr("Secrets — ParityDeck"));
    setAttribute(Qt::WA_DeleteOnClose);

    auto *intro =
        new QLabel(tr("Secret references of every environment. Values stay masked; Reveal "
                      "shows one for a few seconds."),
                   this);
    intro->setObjectName(QStringLiteral("secretsIntro"));
    intro->setWordWrap(true);

    const QList<SecretEntry> &entries = m_inventory->entries();
    m_table = new QTableWidget(int(entries.size()), 5, this);
    m_table->setObjectName(QStringLiteral("secretsTable"));
    m_table->setAccessibleName(tr("Secrets"));
    m_table->setHorizontalHeaderLabels(
        {tr("Environment"), tr("Secret"), tr("Reference"), tr("State"), tr("Value")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (int row = 0; row < entries.size(); ++row) {
        const SecretEntry &entry = entries.at(row);
        m_table->setItem(row, EnvironmentColumn, item(entry.environment));
        m_table->setItem(row, NameColumn, item(entry.name));
        m_table->setItem(row, ReferenceColumn, item(entry.reference.toString()));
        m_table->setItem(row, StateColumn, item(tr("not checked")));
        m_table->setItem(row, ValueColumn, item(QString()));
        m_present.append(-2);
    }
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &SecretsView::updateButtons);

    m_reveal = new QPushButton(tr("&Reveal"), this);
    m_reveal->setObjectName(QStringLiteral("secretReveal"));
    m_set = new QPushButton(tr("&Set…"), this);
    m_set->setObjectName(QStringLiteral("secretSet"));
    m_delete = new QPushButton(tr("&Delete…"), this);
    m_delete->setObjectName(QStringLiteral("secretDelete"));
    m_recheck = new QPushButton(tr("&Check again"), this);
    m_recheck->setObjectName(QStringLiteral("secretsRecheck"));
    m_recheck->setToolTip(tr("Look every reference up again"));
    connect(m_reveal, &QPushButton::clicked, this, &SecretsView::revealSelected);
    connect(m_set, &QPushButton::clicked, this, &SecretsView::setSelected);
    connect(m_delete, &QPushButton::clicked, this, &SecretsView::deleteSelected);
    connect(m_recheck, &QPushButton::clicked, this, &SecretsView::checkAll);

    m_countdown = new QLabel(this);
    m_countdown->setObjectName(QStringLiteral("secretRevealCountdown"));
    m_countdown->setTextFormat(Qt::PlainText);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("secretsMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_reveal);
    buttons->addWidget(m_countdown);
    buttons->addStretch(1);
    buttons->addWidget(m_set);
    buttons->addWidget(m_delete);
    buttons->addWidget(m_recheck);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    addCloseControls(this); // Esc, Ctrl+W and a Close button

    m_revealTimer.setInterval(1000);
    connect(&m_revealTimer, &QTimer::timeout, this, [this] {
        if (--m_revealLeft <= 0) {
            mask();
            return;
        }
        m_countdown->setText(tr("hidden again in %1 s").arg(m_revealLeft));
    });

    if (entries.isEmpty())
        showMessage(tr("No environment has secret references (a database password "
                       "or \"secrets:\" in paritydeck.yaml)."),
                    false);
    m_table->resizeColumnsToContents();
    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 120, fm.height() * 22);
    // The first secret selected: the buttons show at once what can be done with it.
    if (!entries.isEmpty())
        m_table->selectRow(0);
    updateButtons();
    checkAll();
}

SecretsView::~SecretsView() = default;

void SecretsView::checkAll()
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        check(row);
}

void SecretsView::check(int row)
{
    m_table->item(row, StateColumn)->setText(tr("checking…"));
    ++m_pending;
    const SecretEntry entry = m_inventory->entries().at(row);
    whenFinished(
        this, m_inventory->resolve(entry), [this, row](const QFuture<Result<SecretValue>> &future) {
            --m_pending;
            showState(row, future.resultCount() > 0
                               ? future.result()
                               : Result<SecretValue>(
                                     Error(ErrorCode::Cancelled, tr("the lookup was abandoned"))));
            if (m_pending == 0)
                Q_EMIT checksFinished();
        });
}

void SecretsView::showState(int row, const Result<SecretValue> &result)
{
    QString state;
    QString tip;
    if (result) {
        m_present[row] = 1;
        state = tr("✓ present");
    } else if (result.error().code == ErrorCode::NotFound) {
        m_present[row] = 0;
        state = tr("✗ missing");
        tip = errorText(result.error());
    } else {
        m_present[row] = -1;
        state = tr("⚠ cannot read");
        tip = errorText(result.error());
    }
    // The value never reaches the table here, only whether there is one.
    QTableWidgetItem *stateItem = m_table->item(row, StateColumn);
    stateItem->setText(state);
    stateItem->setToolTip(tip.isEmpty() ? QString() : plainToolTip(tip));
    stateItem->setForeground(m_present[row] == 1
                                 ? palette().text()
                                 : QBrush(QColor(m_present[row] == 0 ? 0xdc2626 : 0xd97706)));
    if (row != m_revealedRow)
        m_table->item(row, ValueColumn)
            ->setText(m_present[row] == 1 ? kMasked : QStringLiteral("—"));
    updateButtons();
}

int SecretsView::selectedRow() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    return items.isEmpty() ? -1 : items.first()->row();
}

void SecretsView::selectEntry(const QString &environment, const QString &name)
{
    const QList<SecretEntry> &entries = m_inventory->entries();
    for (int row = 0; row < entries.size(); ++row) {
        if (entries.at(row).environment == environment && entries.at(row).name == name) {
            m_table->selectRow(row);
            return;
        }
    }
}

void SecretsView::updateButtons()
{
    const int row = selectedRow();
    if (row < 0) {
        const QString why = tr("Select a secret first.");
        for (QPushButton *button : {m_reveal, m_set, m_delete}) {
            button->setEnabled(false);
            button->setToolTip(why);
        }
        return;
    }
    const SecretEntry &entry = m_inventory->entries().at(row);
    QString revealWhy;
    if (m_present.at(row) == 0)
        revealWhy = tr("%1 is missing: there is nothing to reveal.").arg(entry.label());
    else if (m_present.at(row) == -2)
        revealWhy = tr("Still looking %1 up…").arg(entry.label());
    else if (m_present.at(row) < 0)
        revealWhy = tr("%1 could not be read.").arg(entry.label());
    m_reveal->setEnabled(revealWhy.isEmpty());
    QString revealTip = tr("Show the value for %1 s").arg(m_revealSeconds);
    if (protectionDecision(entry.environment, entry.protection, ProtectedChange::RevealSecret)
            .verdict == ProtectionVerdict::NeedsTypedName)
        revealTip += tr(", once you have typed %1 (protected)").arg(entry.environment);
    m_reveal->setToolTip(revealWhy.isEmpty() ? revealTip : revealWhy);
    const QString writeWhy = SecretInventory::whyNotWritable(entry);
    m_set->setEnabled(writeWhy.isEmpty());
    m_set->setToolTip(writeWhy.isEmpty() ? tr("Store a new value in the keyring")
                                         : plainToolTip(writeWhy));
    QString deleteWhy = writeWhy;
    if (deleteWhy.isEmpty() && m_present.at(row) == 0)
        deleteWhy = tr("%1 is not in the keyring.").arg(entry.label());
    m_delete->setEnabled(deleteWhy.isEmpty());
    m_delete->setToolTip(deleteWhy.isEmpty() ? tr("Delete it from the keyring")
                                             : plainToolTip(deleteWhy));
}

void SecretsView::revealSelected()
{
    const int row = selectedRow();
    if (row < 0 || m_dialog)
        return;
    // Whoever stands at an unlocked screen should not read production's password with
    // one click: a protected environment's value needs its name typed first.
    const SecretEntry &entry = m_inventory->entries().at(row);
    if (protectionDecision(entry.environment, entry.protection, ProtectedChange::RevealSecret)
            .verdict != ProtectionVerdict::Allowed) {
        openDialog(SecretEditDialog::Mode::Reveal, row);
        return;
    }
    reveal(row);
}

void SecretsView::reveal(int row)
{
    mask();
    const quint64 serial = ++m_revealSerial;
    const SecretEntry entry = m_inventory->entries().at(row);
    whenFinished(this, m_inventory->resolve(entry),
                 [this, row, serial, entry](const QFuture<Result<SecretValue>> &future) {
                     // A newer reveal or a mask() since: this value is not wanted any more.
                     if (serial != m_revealSerial || !isVisible() || future.resultCount() == 0)
                         return;
                     const Result<SecretValue> result = future.result();
                     if (!result) {
                         showState(row, result);
                         return;
                     }
                     // Which secret was shown, by whom and when; never the value.
                     const AuditEntry line = auditEntryFor(
                         entry.environment, QStringLiteral("secret-reveal"),
                         entry.reference.toString(), nullptr, -1,
                         tr("shown in the secrets view for %1 s").arg(m_revealSeconds));
                     panelWorkPool()->start([line, log = m_inventory->auditLog()] {
                         if (auto written = log.append(line); !written)
                             qWarning("could not write the audit log: %s",
                                      qPrintable(written.error().message));
                     });
                     m_revealedRow = row;
                     QTableWidgetItem *value = m_table->item(row, ValueColumn);
                     value->setText(result->revealString());
                     value->setToolTip(QString());
                     m_revealLeft = m_revealSeconds;
                     m_countdown->setText(tr("hidden again in %1 s").arg(m_revealLeft));
                     m_revealTimer.start();
                 });
}

void SecretsView::mask()
{
    ++m_revealSerial;
    m_revealTimer.stop();
    m_countdown->clear();
    if (m_revealedRow >= 0) {
        m_table->item(m_revealedRow, ValueColumn)
            ->setText(m_present.value(m_revealedRow) == 1 ? kMasked : QStringLiteral("—"));
        m_revealedRow = -1;
    }
}

void SecretsView::hideEvent(QHideEvent *event)
{
    mask();
    QWidget::hideEvent(event);
}

void SecretsView::openDialog(SecretEditDialog::Mode mode, int row)
{
    m_dialog = new SecretEditDialog(m_inventory->entries().at(row), mode, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, &SecretsView::onDialogAccepted);
    m_dialog->open();
}

void SecretsView::setSelected()
{
    const int row = selectedRow();
    if (row < 0 || m_dialog)
        return;
    openDialog(SecretEditDialog::Mode::Set, row);
}

void SecretsView::deleteSelected()
{
    const int row = selectedRow();
    if (row < 0 || m_dialog)
        return;
    openDialog(SecretEditDialog::Mode::Delete, row);
}

void SecretsView::onDialogAccepted()
{
    SecretEditDialog *dialog = m_dialog.data();
    m_dialog.clear();
    if (!dialog)
        return;
    const SecretEntry entry = dialog->entry();
    int row = -1;
    const QList<SecretEntry> &entries = m_inventory->entries();
    for (int r = 0; r < entries.size(); ++r) {
        if (entries.at(r).environment == entry.environment && entries.at(r).name == entry.name)
            row = r;
    }
    const QString confirmation = dialog->confirmation();
    if (dialog->mode() == SecretEditDialog::Mode::Reveal) {
        if (row >= 0 && confirmation == entry.environment)
            reveal(row);
        return;
    }
    if (row == m_revealedRow)
        mask();
    if (dialog->mode() == SecretEditDialog::Mode::Set) {
        showMessage(tr("Storing %1…").arg(entry.label()), false);
        whenFinished(this, m_inventory->set(entry, dialog->value(), confirmation),
                     [this, entry, row](const QFuture<Result<void>> &future) {
                         const Result<void> result =
                             future.resultCount() > 0
                                 ? future.result()
                                 : Result<void>(Error(ErrorCode::Cancelled, tr("abandoned")));
                         const QString text =
                             result ? tr("Stored %1 in the keyring.").arg(entry.label())
                                    : tr("Could not store %1: %2")
                                          .arg(entry.label(), errorText(result.error()));
                         showMessage(text, !result);
                         if (row >= 0)
                             check(row);
                         Q_EMIT changeFinished(result.ok(), text);
                     });
    } else {
        showMessage(tr("Deleting %1…").arg(entry.label()), false);
        whenFinished(this, m_inventory->remove(entry, confirmation),
                     [this, entry, row](const QFuture<Result<bool>> &future) {
                         const Result<bool> result =
                             future.resultCount() > 0
                                 ? future.result()
                                 : Result<bool>(Error(ErrorCode::Cancelled, tr("abandoned")));
                         const QString text =
                             !result ? tr("Could not delete %1: %2")
                                           .arg(entry.label(), errorText(result.error()))
                             : *result ? tr("Deleted %1 from the keyring.").arg(entry.label())
                                       : tr("%1 was not in the keyring.").arg(entry.label());
                         showMessage(text, !result);
                         if (row >= 0)
                             check(row);
                         Q_EMIT changeFinished(result.ok(), text);
                     });
    }
}

void SecretsView::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { color: #dc2626; }") : QString());
    m_message->setAccessibleName(error ? tr("Error") : tr("Message"));
    m_message->show();
}

} // namespace pd::ui
