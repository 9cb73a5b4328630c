// The secrets view against real references: environment variables and a dotenv file
// (present, missing), the timed reveal that masks itself again, buttons that say why they
// are disabled, and — with the session's real keyring (scripts/test runs an unlocked
// gnome-keyring) — Set and Delete of a keychain secret on a protected environment, with its
// name typed wrong and then right, audited. Runs offscreen.
#include "audit/auditlog.h"
#include "secreteditdialog.h"
#include "secretsview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace pd;
using pd::ui::SecretEditDialog;
using pd::ui::SecretsView;

namespace {

constexpr int kTimeoutMs = 15000;
const QString kApiValue = QStringLiteral("api-value-7f3a");
const QString kTokenValue = QStringLiteral("dotenv-token-19c2");

SecretRef ref(const QString &text)
{
    auto parsed = SecretRef::parse(text);
    if (!parsed)
        qFatal("bad reference %s", qPrintable(text));
    return *parsed;
}

int rowOf(QTableWidget *table, const QString &environment, const QString &name)
{
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, SecretsView::EnvironmentColumn)->text() == environment &&
            table->item(r, SecretsView::NameColumn)->text() == name)
            return r;
    }
    return -1;
}

QString cell(QTableWidget *table, int row, int column)
{
    return row < 0 ? QStringLiteral("<no row>") : table->item(row, column)->text();
}

} // namespace

class TestSecretsView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_state.isValid());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        qputenv("PD_TEST_SECRETS_VIEW_API", kApiValue.toUtf8());
        qunsetenv("PD_TEST_SECRETS_VIEW_UNSET");
        QFile env(m_dir.filePath(QStringLiteral(".env.dev")));
        QVERIFY(env.open(QIODevice::WriteOnly));
        env.write("TOKEN=" + kTokenValue.toUtf8() + "\n");
        env.close();
        m_service =
            QStringLiteral("paritydeck-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
    }

    void presenceIsShownAndValuesStayMasked()
    {
        SecretsView view(workspace());
        view.show();
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("secretsTable"));
        QVERIFY(table);
        const int api = rowOf(table, QStringLiteral("dev"), QStringLiteral("API_KEY"));
        const int token = rowOf(table, QStringLiteral("dev"), QStringLiteral("TOKEN"));
        const int unset = rowOf(table, QStringLiteral("dev"), QStringLiteral("UNSET"));
        QVERIFY(api >= 0 && token >= 0 && unset >= 0);
        QTRY_COMPARE_WITH_TIMEOUT(view.pendingChecks(), 0, kTimeoutMs);
        QCOMPARE(cell(table, api, SecretsView::StateColumn), QStringLiteral("✓ present"));
        QCOMPARE(cell(table, token, SecretsView::StateColumn), QStringLiteral("✓ present"));
        QCOMPARE(cell(table, unset, SecretsView::StateColumn), QStringLiteral("✗ missing"));
        QVERIFY(table->item(unset, SecretsView::StateColumn)
                    ->toolTip()
                    .contains(QStringLiteral("PD_TEST_SECRETS_VIEW_UNSET")));
        QCOMPARE(cell(table, api, SecretsView::ReferenceColumn),
                 QStringLiteral("env:PD_TEST_SECRETS_VIEW_API"));
        // Masked: no value anywhere in the table.
        for (int r = 0; r < table->rowCount(); ++r) {
            for (int c = 0; c < table->columnCount(); ++c) {
                QVERIFY(!cell(table, r, c).contains(kApiValue));
                QVERIFY(!cell(table, r, c).contains(kTokenValue));
            }
        }
        QCOMPARE(cell(table, api, SecretsView::ValueColumn), QStringLiteral("••••••••"));
        QCOMPARE(cell(table, unset, SecretsView::ValueColumn), QStringLiteral("—"));
    }

    void buttonsSayWhyTheyAreDisabled()
    {
        SecretsView view(workspace());
        view.show();
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("secretsTable"));
        auto *reveal = view.findChild<QPushButton *>(QStringLiteral("secretReveal"));
        auto *set = view.findChild<QPushButton *>(QStringLiteral("secretSet"));
        auto *remove = view.findChild<QPushButton *>(QStringLiteral("secretDelete"));
        QVERIFY(table && reveal && set && remove);
        QTRY_COMPARE_WITH_TIMEOUT(view.pendingChecks(), 0, kTimeoutMs);

        // The first entry is selected at once; with nothing selected, nothing is possible.
        QCOMPARE(table->selectedItems().value(0)->row(), 0);
        table->clearSelection();
        QVERIFY(!reveal->isEnabled());
        QCOMPARE(reveal->toolTip(), QStringLiteral("Select a secret first."));

        // A missing env: reference: nothing to reveal, and ParityDeck only reads env vars.
        view.selectEntry(QStringLiteral("dev"), QStringLiteral("UNSET"));
        QVERIFY(!reveal->isEnabled());
        QVERIFY2(reveal->toolTip().contains(QStringLiteral("missing")),
                 qPrintable(reveal->toolTip()));
        QVERIFY(!set->isEnabled());
        QVERIFY2(set->toolTip().contains(QStringLiteral("only reads")), qPrintable(set->toolTip()));
        QVERIFY(!remove->isEnabled());

        // A read-only environment's keychain secret: never changed from here.
        view.selectEntry(QStringLiteral("audit"), QStringLiteral("password"));
        QVERIFY(!set->isEnabled());
        QVERIFY2(set->toolTip().contains(QStringLiteral("read-only")), qPrintable(set->toolTip()));
        QVERIFY(!remove->isEnabled());
        QVERIFY(remove->toolTip().contains(QStringLiteral("read-only")));

        // A present env: reference can be revealed.
        view.selectEntry(QStringLiteral("dev"), QStringLiteral("API_KEY"));
        QVERIFY(reveal->isEnabled());
    }

    void revealShowsTheValueAndMasksItAgainByItself()
    {
        SecretsView view(workspace());
        view.setRevealSeconds(2);
        view.show();
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("secretsTable"));
        auto *reveal = view.findChild<QPushButton *>(QStringLiteral("secretReveal"));
        auto *countdown = view.findChild<QLabel *>(QStringLiteral("secretRevealCountdown"));
        QVERIFY(table && reveal && countdown);
        QTRY_COMPARE_WITH_TIMEOUT(view.pendingChecks(), 0, kTimeoutMs);
        const int token = rowOf(table, QStringLiteral("dev"), QStringLiteral("TOKEN"));
        view.selectEntry(QStringLiteral("dev"), QStringLiteral("TOKEN"));
        QVERIFY(reveal->isEnabled());

        QTest::mouseClick(reveal, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, token, SecretsView::ValueColumn), kTokenValue,
                                  kTimeoutMs);
        QElapsedTimer shown;
        shown.start();
        QCOMPARE(view.revealedRow(), token);
        QCOMPARE(countdown->text(), QStringLiteral("hidden again in 2 s"));
        // Masked again without anyone asking, after the reveal time and not long before.
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, token, SecretsView::ValueColumn),
                                  QStringLiteral("••••••••"), 6000);
        QVERIFY2(shown.elapsed() >= 1500, qPrintable(QString::number(shown.elapsed())));
        QCOMPARE(view.revealedRow(), -1);
        QVERIFY(countdown->text().isEmpty());

        // Hiding the view masks at once.
        QTest::mouseClick(reveal, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, token, SecretsView::ValueColumn), kTokenValue,
                                  kTimeoutMs);
        view.hide();
        QCOMPARE(cell(table, token, SecretsView::ValueColumn), QStringLiteral("••••••••"));
    }

    // Issue 16, item 6: one click no longer shows a protected environment's secret.
    void revealOnAProtectedEnvironmentNeedsTheTypedNameAndIsAudited()
    {
        SecretsView view(workspace());
        view.show();
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("secretsTable"));
        auto *reveal = view.findChild<QPushButton *>(QStringLiteral("secretReveal"));
        QVERIFY(table && reveal);
        QTRY_COMPARE_WITH_TIMEOUT(view.pendingChecks(), 0, kTimeoutMs);
        const int row = rowOf(table, QStringLiteral("prod"), QStringLiteral("SESSION"));
        QVERIFY(row >= 0);
        view.selectEntry(QStringLiteral("prod"), QStringLiteral("SESSION"));
        QVERIFY(reveal->isEnabled());
        QVERIFY2(reveal->toolTip().contains(QStringLiteral("typed prod")),
                 qPrintable(reveal->toolTip()));

        // Cancelled: nothing shown.
        QTest::mouseClick(reveal, Qt::LeftButton);
        QPointer<SecretEditDialog> dialog = view.editDialog();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->mode(), SecretEditDialog::Mode::Reveal);
        QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("secretValue")));
        dialog->reject();
        QTest::qWait(200);
        QCOMPARE(view.revealedRow(), -1);
        QCOMPARE(cell(table, row, SecretsView::ValueColumn), QStringLiteral("••••••••"));

        // The exact name enables Reveal; then the value shows.
        QTRY_VERIFY(!view.editDialog());
        QTest::mouseClick(reveal, Qt::LeftButton);
        dialog = view.editDialog();
        QVERIFY(dialog);
        auto *confirm = dialog->findChild<QLineEdit *>(QStringLiteral("secretConfirm"));
        auto *ok = dialog->findChild<QPushButton *>(QStringLiteral("secretEditOk"));
        QVERIFY(confirm && ok);
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("Prod"));
        QVERIFY(!ok->isEnabled());
        confirm->clear();
        QTest::keyClicks(confirm, QStringLiteral("prod"));
        QVERIFY(ok->isEnabled());
        QCOMPARE(cell(table, row, SecretsView::ValueColumn), QStringLiteral("••••••••"));
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, row, SecretsView::ValueColumn), kApiValue,
                                  kTimeoutMs);
        QCOMPARE(view.revealedRow(), row);

        // Audited: which secret, never its value.
        AuditFilter filter;
        filter.environment = QStringLiteral("prod");
        QList<AuditEntry> reveals;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                reveals.clear();
                const Result<QList<AuditEntry>> read = AuditLog().read(filter);
                for (const AuditEntry &e : read.value()) {
                    if (e.action == QLatin1String("secret-reveal"))
                        reveals.append(e);
                }
                return reveals.size() == 1;
            }(),
            kTimeoutMs);
        QCOMPARE(reveals.first().target, QStringLiteral("env:PD_TEST_SECRETS_VIEW_API"));
        QCOMPARE(reveals.first().outcome, AuditOutcome::Ok);
        QVERIFY(!reveals.first().toText().contains(kApiValue));
    }

    void keychainSetAndDeleteNeedTheTypedNameOnProtectedEnvironments()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session: run under scripts/test (dbus-run-session + gnome-keyring)");
        SecretsView view(workspace());
        view.show();
        auto *table = view.findChild<QTableWidget *>(QStringLiteral("secretsTable"));
        auto *set = view.findChild<QPushButton *>(QStringLiteral("secretSet"));
        auto *remove = view.findChild<QPushButton *>(QStringLiteral("secretDelete"));
        auto *reveal = view.findChild<QPushButton *>(QStringLiteral("secretReveal"));
        QTRY_COMPARE_WITH_TIMEOUT(view.pendingChecks(), 0, kTimeoutMs);
        const int row = rowOf(table, QStringLiteral("prod"), QStringLiteral("STRIPE"));
        QCOMPARE(cell(table, row, SecretsView::StateColumn), QStringLiteral("✗ missing"));

        view.selectEntry(QStringLiteral("prod"), QStringLiteral("STRIPE"));
        QVERIFY(set->isEnabled());
        QVERIFY(!remove->isEnabled()); // nothing to delete yet
        QTest::mouseClick(set, Qt::LeftButton);
        SecretEditDialog *dialog = view.editDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        auto *value = dialog->findChild<QLineEdit *>(QStringLiteral("secretValue"));
        auto *repeat = dialog->findChild<QLineEdit *>(QStringLiteral("secretRepeat"));
        auto *confirm = dialog->findChild<QLineEdit *>(QStringLiteral("secretConfirm"));
        auto *ok = dialog->findChild<QPushButton *>(QStringLiteral("secretEditOk"));
        QVERIFY(value && repeat && confirm && ok);
        QCOMPARE(value->echoMode(), QLineEdit::Password);
        const QString secret =
            QStringLiteral("sk_live_%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
        QTest::keyClicks(value, secret);
        QTest::keyClicks(repeat, secret);
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("prd"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(ok->toolTip().contains(QStringLiteral("type its name")));
        confirm->clear();
        QTest::keyClicks(confirm, QStringLiteral("prod"));
        QVERIFY(ok->isEnabled());
        QSignalSpy changed(&view, &SecretsView::changeFinished);
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, kTimeoutMs);
        QVERIFY2(changed.first().at(0).toBool(), qPrintable(changed.first().at(1).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, row, SecretsView::StateColumn),
                                  QStringLiteral("✓ present"), kTimeoutMs);
        QVERIFY(
            !view.findChild<QLabel *>(QStringLiteral("secretsMessage"))->text().contains(secret));

        // The stored value is the one typed (prod is protected: its name again).
        view.selectEntry(QStringLiteral("prod"), QStringLiteral("STRIPE"));
        QTest::mouseClick(reveal, Qt::LeftButton);
        QVERIFY(view.editDialog());
        QTest::keyClicks(view.editDialog()->findChild<QLineEdit *>(QStringLiteral("secretConfirm")),
                         QStringLiteral("prod"));
        QTest::mouseClick(
            view.editDialog()->findChild<QPushButton *>(QStringLiteral("secretEditOk")),
            Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, row, SecretsView::ValueColumn), secret, kTimeoutMs);
        view.mask();

        // Delete, confirmed by name too.
        QVERIFY(remove->isEnabled());
        QTest::mouseClick(remove, Qt::LeftButton);
        dialog = view.editDialog();
        QVERIFY(dialog);
        confirm = dialog->findChild<QLineEdit *>(QStringLiteral("secretConfirm"));
        ok = dialog->findChild<QPushButton *>(QStringLiteral("secretEditOk"));
        QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("secretValue")));
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("prod"));
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, kTimeoutMs);
        QVERIFY(changed.last().at(0).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, row, SecretsView::StateColumn),
                                  QStringLiteral("✗ missing"), kTimeoutMs);

        // Both changes are in the audit log, without the value.
        AuditFilter filter;
        filter.environment = QStringLiteral("prod");
        QList<AuditEntry> entries;
        QTRY_VERIFY_WITH_TIMEOUT((entries = AuditLog().read(filter).value()).size() >= 2,
                                 kTimeoutMs);
        QStringList actions;
        for (const AuditEntry &e : std::as_const(entries)) {
            QVERIFY(!e.toText().contains(secret));
            // Other tests audit prod's other secrets in the same log.
            if (e.target == QStringLiteral("keychain:%1/stripe").arg(m_service))
                actions.append(e.action + QLatin1Char(' ') + auditOutcomeName(e.outcome));
        }
        QVERIFY2(actions.contains(QStringLiteral("secret-set ok")), qPrintable(actions.join(u',')));
        QVERIFY2(actions.contains(QStringLiteral("secret-reveal ok")),
                 qPrintable(actions.join(u',')));
        QVERIFY2(actions.contains(QStringLiteral("secret-delete ok")),
                 qPrintable(actions.join(u',')));
    }

private:
    Workspace workspace() const
    {
        Workspace ws;
        ws.project = QStringLiteral("secrets");
        ws.rootDir = m_dir.path();
        ws.filePath = m_dir.filePath(QStringLiteral("paritydeck.yaml"));
        EnvironmentConfig dev;
        dev.name = QStringLiteral("dev");
        dev.secrets.insert(QStringLiteral("API_KEY"),
                           ref(QStringLiteral("env:PD_TEST_SECRETS_VIEW_API")));
        dev.secrets.insert(QStringLiteral("UNSET"),
                           ref(QStringLiteral("env:PD_TEST_SECRETS_VIEW_UNSET")));
        dev.secrets.insert(QStringLiteral("TOKEN"), ref(QStringLiteral("dotenv:.env.dev#TOKEN")));
        EnvironmentConfig prod;
        prod.name = QStringLiteral("prod");
        prod.protection = Protection::Confirm;
        prod.secrets.insert(QStringLiteral("STRIPE"),
                            ref(QStringLiteral("keychain:%1/stripe").arg(m_service)));
        prod.secrets.insert(QStringLiteral("SESSION"),
                            ref(QStringLiteral("env:PD_TEST_SECRETS_VIEW_API")));
        EnvironmentConfig audit;
        audit.name = QStringLiteral("audit");
        audit.protection = Protection::ReadOnly;
        audit.database.url = QStringLiteral("postgresql://auditor@127.0.0.1:1/app");
        audit.database.password = ref(QStringLiteral("keychain:%1/audit").arg(m_service));
        ws.environments = {dev, prod, audit};
        return ws;
    }

    QTemporaryDir m_dir;
    QTemporaryDir m_state;
    QString m_service;
};

QTEST_MAIN(TestSecretsView)
#include "tst_secretsview.moc"
