// Asks for what changing one keyring secret needs: the new value (hidden as it is typed,
// twice) when setting, and — for a protected environment — the environment's name typed
// exactly, before the Set/Delete button enables. Revealing a protected environment's
// secret asks for the typed name alone (Mode::Reveal). Opened with open(), never exec(); the
// owner reads value() and confirmation() on accepted().
#pragma once

#include "environment/secretinventory.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace pd::ui {

class SecretEditDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretEditDialog)

public:
    enum class Mode { Set, Delete, Reveal };
    SecretEditDialog(const SecretEntry &entry, Mode mode, QWidget *parent = nullptr);
    ~SecretEditDialog() override;

    Mode mode() const noexcept { return m_mode; }
    const SecretEntry &entry() const noexcept { return m_entry; }
    SecretValue value() const;
    QString confirmation() const;

private:
    void updateButton();

    SecretEntry m_entry;
    Mode m_mode;
    QLineEdit *m_value = nullptr;
    QLineEdit *m_repeat = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_hint = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace pd::ui
