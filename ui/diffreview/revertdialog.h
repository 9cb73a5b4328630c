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

class QCheckBox;
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
    // `includeDestructive`: whether `sql` runs the destructive statements (a drift revert
    // mostly drops what was made by hand) or leaves them commented out.
    RevertDialog(const EnvironmentConfig &environment, const QString &sql,
                 const QByteArray &liveFingerprint, bool includeDestructive,
                 QWidget *parent = nullptr);

    // The script for the new "Include destructive changes" state; Revert waits for it.
    void setScript(const QString &sql, const QByteArray &liveFingerprint);
    QString script() const { return m_sql; }

    // While a revert runs, Revert stays disabled.
    void setRunning(bool running);
    void showFailure(const QString &message);

Q_SIGNALS:
    void revertRequested(const pd::RevertRequest &request);
    // The user ticked or unticked "Include destructive changes": answer with setScript().
    void includeDestructiveChanged(bool include);

private:
    void updateApply();

    QString m_environment;
    QString m_sql;
    QByteArray m_liveFingerprint;
    ProtectionVerdict m_verdict = ProtectionVerdict::Allowed;
    bool m_running = false;
    bool m_waitingForScript = false;
    QPlainTextEdit *m_preview = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_apply = nullptr;
};

} // namespace pd::ui
