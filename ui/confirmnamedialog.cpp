#include "confirmnamedialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pd::ui {

ConfirmNameDialog::ConfirmNameDialog(const QString &environment, const QString &title,
                                     const QString &question, const QString &confirmText,
                                     QWidget *parent)
    : QDialog(parent)
    , m_environment(environment)
{
    setObjectName(QStringLiteral("confirmName-") + environment);
    setWindowTitle(title);
    setAttribute(Qt::WA_DeleteOnClose);

    m_question = new QLabel(question, this);
    m_question->setObjectName(QStringLiteral("confirmNameQuestion"));
    m_question->setTextFormat(Qt::PlainText);
    m_question->setWordWrap(true);

    m_field = new QLineEdit(this);
    m_field->setObjectName(QStringLiteral("confirmNameField"));
    m_field->setAccessibleName(tr("Type %1 to confirm").arg(environment));
    m_field->setPlaceholderText(environment);
    m_question->setBuddy(m_field);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(confirmText, QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmNameOk"));
    // Enter in the field must not confirm a half-typed name: only the exact name enables it.
    m_confirm->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!m_confirm->isEnabled())
            return;
        const QString typed = m_field->text();
        accept();
        Q_EMIT confirmed(typed);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_field, &QLineEdit::textChanged, this, &ConfirmNameDialog::update);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_question);
    layout->addWidget(m_field);
    layout->addWidget(buttons);
    update();
    m_field->setFocus();
}

ConfirmNameDialog::~ConfirmNameDialog() = default;

void ConfirmNameDialog::update()
{
    const bool exact = m_field->text() == m_environment;
    m_confirm->setEnabled(exact);
    m_confirm->setToolTip(
        exact ? QString() : tr("Type \"%1\" exactly to enable this button.").arg(m_environment));
}

} // namespace pd::ui
