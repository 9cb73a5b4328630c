#include "secreteditdialog.h"

#include "workspace/protection.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pd::ui {

SecretEditDialog::SecretEditDialog(const SecretEntry &entry, Mode mode, QWidget *parent)
    : QDialog(parent)
    , m_entry(entry)
    , m_mode(mode)
{
    setObjectName(QStringLiteral("secretEditDialog"));
    setWindowTitle(mode == Mode::Set      ? tr("Set %1").arg(entry.label())
                   : mode == Mode::Delete ? tr("Delete %1").arg(entry.label())
                                          : tr("Reveal %1").arg(entry.label()));
    auto *intro = new QLabel(this);
    intro->setObjectName(QStringLiteral("secretEditIntro"));
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    switch (mode) {
    case Mode::Set:
        intro->setText(tr("Store a new value for %1 in the keyring (%2).")
                           .arg(entry.label(), entry.reference.toString()));
        break;
    case Mode::Delete:
        intro->setText(tr("Delete %1 from the keyring (%2)? Whatever uses it will "
                          "no longer find it.")
                           .arg(entry.label(), entry.reference.toString()));
        break;
    case Mode::Reveal:
        intro->setText(tr("Show the value of %1 (%2), a secret of the protected "
                          "environment %3? The audit log records that it was "
                          "shown, never the value.")
                           .arg(entry.label(), entry.reference.toString(), entry.environment));
        break;
    }

    auto *form = new QFormLayout;
    if (mode == Mode::Set) {
        m_value = new QLineEdit(this);
        m_value->setObjectName(QStringLiteral("secretValue"));
        m_value->setEchoMode(QLineEdit::Password);
        m_value->setAccessibleName(tr("New value"));
        m_repeat = new QLineEdit(this);
        m_repeat->setObjectName(QStringLiteral("secretRepeat"));
        m_repeat->setEchoMode(QLineEdit::Password);
        m_repeat->setAccessibleName(tr("Repeat the value"));
        form->addRow(tr("&Value:"), m_value);
        form->addRow(tr("&Repeat:"), m_repeat);
        connect(m_value, &QLineEdit::textChanged, this, &SecretEditDialog::updateButton);
        connect(m_repeat, &QLineEdit::textChanged, this, &SecretEditDialog::updateButton);
    }
    // Changing needs the name on 'confirm' environments ('read-only' ones refuse before
    // this dialog); showing a value needs it on every protected environment.
    const ProtectedChange change =
        mode == Mode::Reveal ? ProtectedChange::RevealSecret : ProtectedChange::Secrets;
    if (protectionDecision(entry.environment, entry.protection, change).verdict ==
        ProtectionVerdict::NeedsTypedName) {
        m_confirm = new QLineEdit(this);
        m_confirm->setObjectName(QStringLiteral("secretConfirm"));
        m_confirm->setAccessibleName(tr("Type %1 to confirm").arg(entry.environment));
        m_confirm->setPlaceholderText(entry.environment);
        form->addRow(tr("Type \"%1\" to confirm:").arg(entry.environment), m_confirm);
        connect(m_confirm, &QLineEdit::textChanged, this, &SecretEditDialog::updateButton);
    }
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("secretEditHint"));
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setWordWrap(true);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *ok = m_buttons->addButton(mode == Mode::Set      ? tr("&Store")
                                           : mode == Mode::Delete ? tr("&Delete")
                                                                  : tr("&Reveal"),
                                           QDialogButtonBox::AcceptRole);
    ok->setObjectName(QStringLiteral("secretEditOk"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(m_buttons);
    updateButton();
}

SecretEditDialog::~SecretEditDialog()
{
    // The typed value lives in the line edits' buffers; empty them before they go.
    if (m_value)
        m_value->clear();
    if (m_repeat)
        m_repeat->clear();
}

SecretValue SecretEditDialog::value() const
{
    return m_value ? SecretValue::fromString(m_value->text()) : SecretValue();
}

QString SecretEditDialog::confirmation() const
{
    return m_confirm ? m_confirm->text() : QString();
}

void SecretEditDialog::updateButton()
{
    QString why;
    if (m_value && m_value->text().isEmpty())
        why = tr("Type the new value.");
    else if (m_value && m_repeat->text() != m_value->text())
        why = tr("The two values differ.");
    else if (m_confirm && m_confirm->text() != m_entry.environment)
        why = tr("%1 is protected: type its name exactly to confirm.").arg(m_entry.environment);
    QPushButton *ok = findChild<QPushButton *>(QStringLiteral("secretEditOk"));
    ok->setEnabled(why.isEmpty());
    ok->setToolTip(why);
    m_hint->setText(why);
}

} // namespace pd::ui
