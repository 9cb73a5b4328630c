// The question every protected change asks in the panel: "prod is protected. Type its name
// to start its services:", a field, and a confirm button that stays disabled until the
// environment's exact name is in the field. Cards (and the tray, which acts through them)
// and the branch switcher use it; the migration dialog and the secrets dialog carry the
// same field inline. Opened with open(), never exec(); confirmed(typed) on accept. The core
// runner checks the typed name again, so the dialog is a convenience, not the guard.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace pd::ui {

class ConfirmNameDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfirmNameDialog)

public:
    // `question` is the sentence above the field; `confirmText` the button ("Start").
    ConfirmNameDialog(const QString &environment, const QString &title, const QString &question,
                      const QString &confirmText, QWidget *parent = nullptr);
    ~ConfirmNameDialog() override;

    QString environment() const { return m_environment; }
    QLineEdit *nameField() const { return m_field; }
    QPushButton *confirmButton() const { return m_confirm; }

Q_SIGNALS:
    void confirmed(const QString &typed);

private:
    void update();

    QString m_environment;
    QLabel *m_question = nullptr;
    QLineEdit *m_field = nullptr;
    QPushButton *m_confirm = nullptr;
};

} // namespace pd::ui
