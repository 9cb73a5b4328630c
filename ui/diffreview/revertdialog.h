// "Revert ENV to its migrations": what will run and the confirmation, nothing more. The
// dialog shows the SQL (coloured) that turns the environment's live schema back into the
// one its migrations produce, says where it runs and what it leaves alone, and applies
// the one protection rule (workspace/protection.h, ProtectedChange::ApplyMigrations):
// Revert is enabled at once on unprotected environments, only once the name is typed on
// `confirm` ones, never on `read-only` ones (the reason is shown). Pressing Revert emits
// revertRequested(); the caller runs it (core's SchemaComparison::revert) and reports
// back with showFailure() or by closing the dialog, so a result still arrives when the
// dialog was closed first. Opened with open(), never exec().
#pragma once

#include "environment/schemacomparison.h"
#include "workspace/protection.h"
#include "workspace/workspace.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace pd::ui {

class RevertDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RevertDialog)

public:
    // `sql` turns the live schema whose fingerprint is `liveFingerprint` into the expected one.
    RevertDialog(const EnvironmentConfig &environment, const QString &sql, const QByteArray &liveFingerprint,
                 QWidget *parent = nullptr);

    // While a revert runs, Revert stays disabled.
    void setRunning(bool running);
    void showFailure(const QString &message);

Q_SIGNALS:
    void revertRequested(const pd::RevertRequest &request);

private:
    void updateApply();

    QString m_environment;
    QString m_sql;
    QByteArray m_liveFingerprint;
    ProtectionVerdict m_verdict = ProtectionVerdict::Allowed;
    bool m_running = false;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_apply = nullptr;
};

} // namespace pd::ui
