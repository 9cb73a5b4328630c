#include "diffreview/revertdialog.h"

#include "diffreview/diffreviewwork.h"
#include "diffreview/sqlhighlighter.h"
#include "workspace/protection.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pd::ui {

RevertDialog::RevertDialog(const EnvironmentConfig &environment, const QString &sql,
                           const QByteArray &liveFingerprint, bool includeDestructive,
                           QWidget *parent)
    : QDialog(parent)
    , m_environment(environment.name)
    , m_sql(sql)
    , m_liveFingerprint(liveFingerprint)
{
    setObjectName(QStringLiteral("diffRevertDialog"));
    setWindowTitle(tr("Revert %1 to its migrations").arg(m_environment));
    const ProtectionDecision decision =
        protectionDecision(environment, ProtectedChange::ApplyMigrations);
    m_verdict = decision.verdict;

    auto *layout = new QVBoxLayout(this);
    // The server, not the URL: the user part is not needed to recognise it.
    auto *intro =
        new QLabel(tr("This SQL is applied to %1 (%2) in one transaction, so that its schema "
                      "matches what its migrations produce again. Its migration history is "
                      "not changed. Nothing runs if %1 changed since it was compared.")
                       .arg(m_environment, environment.database.url.section(QLatin1Char('@'), -1)),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("diffRevertSql"));
    m_preview->setAccessibleName(tr("SQL that reverts %1").arg(m_environment));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new SqlHighlighter(m_preview->document());
    m_preview->setPlainText(m_sql);
    layout->addWidget(m_preview, 1);
    auto *unsafe = new QCheckBox(includeDestructiveLabel(), this);
    unsafe->setObjectName(QStringLiteral("diffRevertUnsafe"));
    unsafe->setAccessibleName(includeDestructiveLabel());
    unsafe->setToolTip(tr("Undoing what was made by hand usually drops it: without this, those "
                          "statements are listed commented out and do not run"));
    unsafe->setChecked(includeDestructive);
    layout->addWidget(unsafe);
    connect(unsafe, &QCheckBox::toggled, this, [this](bool on) {
        m_waitingForScript = true;
        updateApply();
        Q_EMIT includeDestructiveChanged(on);
    });

    auto *note = new QLabel(this);
    note->setObjectName(QStringLiteral("diffRevertNote"));
    note->setWordWrap(true);
    m_confirm = new QLineEdit(this);
    m_confirm->setObjectName(QStringLiteral("diffRevertConfirm"));
    if (m_verdict == ProtectionVerdict::NeedsTypedName) {
        note->setText(tr("%1 is protected. Type its name to revert it:").arg(m_environment));
        note->setBuddy(m_confirm);
        // Named as the migration dialog names its field: one phrase for screen readers.
        m_confirm->setAccessibleName(tr("Type the environment name to confirm"));
        m_confirm->setPlaceholderText(m_environment);
    } else {
        note->setText(m_verdict == ProtectionVerdict::Refused ? decision.reason : QString());
        note->setVisible(m_verdict == ProtectionVerdict::Refused);
        m_confirm->hide();
    }
    layout->addWidget(note);
    layout->addWidget(m_confirm);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("diffRevertError"));
    m_error->setAccessibleName(tr("Error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(this);
    m_apply = buttons->addButton(tr("Revert %1").arg(m_environment), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("diffRevertApply"));
    // Enter in the name field must not revert by accident: only a click or Space does.
    m_apply->setAutoDefault(false);
    auto *close = buttons->addButton(QDialogButtonBox::Cancel);
    close->setObjectName(QStringLiteral("diffRevertCancel"));
    layout->addWidget(buttons);

    connect(m_confirm, &QLineEdit::textChanged, this, &RevertDialog::updateApply);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        RevertRequest request;
        request.environment = m_environment;
        request.sql = m_sql;
        request.reviewedFingerprint = m_liveFingerprint;
        request.confirmation = m_confirm->text();
        m_error->hide();
        Q_EMIT revertRequested(request);
    });
    updateApply();
    resize(720, 480);
}

void RevertDialog::setScript(const QString &sql, const QByteArray &liveFingerprint)
{
    m_sql = sql;
    m_liveFingerprint = liveFingerprint;
    m_preview->setPlainText(m_sql);
    m_waitingForScript = false;
    updateApply();
}

void RevertDialog::setRunning(bool running)
{
    m_running = running;
    updateApply();
}

void RevertDialog::showFailure(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void RevertDialog::updateApply()
{
    m_apply->setEnabled(
        !m_running && !m_waitingForScript &&
        (m_verdict == ProtectionVerdict::Allowed ||
         (m_verdict == ProtectionVerdict::NeedsTypedName && m_confirm->text() == m_environment)));
}

} // namespace pd::ui
