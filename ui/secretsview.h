// Every secret reference of the workspace, per environment: where it lives, whether it is
// there (present / missing / could not be read), and its value masked. Reveal shows the
// selected value for a few seconds and masks it again by itself (and whenever the view is
// hidden); on a protected environment only once its name is typed, and every reveal is
// audited (which secret, never the value). Set… and Delete… change keychain: entries through
// core/secrets, with the environment's name typed for protected environments; other kinds are
// read-only here and the buttons say why. Every keyring job is asynchronous: the view never waits
// for it.
#pragma once

#include "environment/secretinventory.h"
#include "secreteditdialog.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace pd::ui {

class SecretsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretsView)

public:
    enum Column { EnvironmentColumn, NameColumn, ReferenceColumn, StateColumn, ValueColumn };

    explicit SecretsView(const Workspace &workspace, QWidget *parent = nullptr);
    ~SecretsView() override;

    // How long a revealed value stays visible (default 10 s).
    void setRevealSeconds(int seconds) { m_revealSeconds = seconds; }
    int revealSeconds() const noexcept { return m_revealSeconds; }
    // The row showing its value, -1 when everything is masked.
    int revealedRow() const noexcept { return m_revealedRow; }
    int pendingChecks() const noexcept { return m_pending; }
    SecretEditDialog *editDialog() const { return m_dialog; }

public Q_SLOTS:
    void checkAll();
    void selectEntry(const QString &environment, const QString &name);
    void revealSelected();
    void mask();
    void setSelected();
    void deleteSelected();

Q_SIGNALS:
    void checksFinished();
    // A set or delete finished; `ok` false with the error in `message`.
    void changeFinished(bool ok, const QString &message);

protected:
    void hideEvent(QHideEvent *event) override;

private:
    void check(int row);
    void showState(int row, const Result<SecretValue> &result);
    void updateButtons();
    void showMessage(const QString &text, bool error);
    void onDialogAccepted();
    void openDialog(SecretEditDialog::Mode mode, int row);
    void reveal(int row);
    int selectedRow() const;

    SecretInventory *m_inventory;
    QTableWidget *m_table = nullptr;
    QPushButton *m_reveal = nullptr;
    QPushButton *m_set = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_recheck = nullptr;
    QLabel *m_countdown = nullptr;
    QLabel *m_message = nullptr;
    QPointer<SecretEditDialog> m_dialog; // the open Set/Delete dialog, if any
    QList<int> m_present; // per row: 1 present, 0 missing, -1 unreadable, -2 not checked yet
    int m_pending = 0;
    int m_revealSeconds = 10;
    int m_revealedRow = -1;
    int m_revealLeft = 0;
    quint64 m_revealSerial = 0;
    QTimer m_revealTimer; // ticks once a second while a value is shown
};

} // namespace pd::ui
