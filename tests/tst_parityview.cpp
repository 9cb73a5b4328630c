// The parity view against two real databases with different schemas and different dotenv
// files: the matrix arrives from worker threads while the GUI thread keeps ticking, each
// cell says its state in words and carries a tint, the overall and per-pair scores are the
// matrix's, "only differences" hides matching rows, and activating a schema cell asks for
// that diff. Runs offscreen.
#include "paritymodel.h"
#include "parityview.h"
#include "pgcluster.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace pd;
using pd::test::PgCluster;
using pd::ui::ParityModel;
using pd::ui::ParityView;

namespace {

constexpr int kTimeoutMs = 30000;

EnvironmentConfig environmentAt(const QString &name, const QString &url, const QString &dotenv)
{
    EnvironmentConfig env;
    env.name = name;
    env.database.url = url;
    env.database.connectTimeoutSeconds = 2;
    env.dotenv = dotenv;
    return env;
}

void write(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

int rowOf(const ParityModel &model, ParityRowKind kind, const QString &key = {})
{
    for (int r = 0; r < model.rowCount(); ++r) {
        const ParityRow &row = model.matrix().rows().at(r);
        if (row.kind == kind && row.key == key)
            return r;
    }
    return -1;
}

} // namespace

class TestParityView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_pg.start().ok(), qPrintable(m_pg.serverLog()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("app_a")).ok());
        QVERIFY(m_pg.createDatabase(QStringLiteral("app_b")).ok());
        QVERIFY(m_pg.exec(QStringLiteral("CREATE TABLE episodes (id int PRIMARY KEY, title text)"),
                          QStringLiteral("app_a"))
                    .ok());
        QVERIFY(m_pg.exec(QStringLiteral("CREATE TABLE episodes (id int PRIMARY KEY, title text, "
                                         "hidden_by_hand boolean)"),
                          QStringLiteral("app_b"))
                    .ok());
        write(m_dir.filePath(QStringLiteral(".env.a")), "LOG_LEVEL=debug\nFEATURE_X=on\n");
        write(m_dir.filePath(QStringLiteral(".env.b")), "LOG_LEVEL=debug\n");
    }

    void matrixArrivesWithoutBlockingAndSaysItsStatesInWords()
    {
        ParityView view(workspace());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *table = view.findChild<QTableView *>(QStringLiteral("parityTable"));
        auto *score = view.findChild<QLabel *>(QStringLiteral("parityScore"));
        auto *pairs = view.findChild<QTableWidget *>(QStringLiteral("parityPairs"));
        auto *refresh = view.findChild<QPushButton *>(QStringLiteral("parityRefresh"));
        QVERIFY(table && score && pairs && refresh);

        // A heartbeat on the GUI thread: its longest gap is how long the thread was stuck.
        QElapsedTimer beat;
        qint64 longestGap = 0;
        QTimer heartbeat;
        heartbeat.setInterval(10);
        connect(&heartbeat, &QTimer::timeout, this,
                [&] { longestGap = std::max(longestGap, beat.restart()); });
        QSignalSpy computed(&view, &ParityView::computed);
        beat.start();
        heartbeat.start();
        view.refresh();
        QVERIFY(view.isComputing());
        QVERIFY(!refresh->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(computed.size(), 1, kTimeoutMs);
        heartbeat.stop();
        qInfo("parity computed; longest GUI-thread gap %lld ms",
              static_cast<long long>(longestGap));
        QVERIFY2(longestGap < 150, qPrintable(QString::number(longestGap)));
        QVERIFY(refresh->isEnabled());

        const ParityModel &model = *view.model();
        const ParityMatrix &matrix = model.matrix();
        QCOMPARE(matrix.environments(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(model.columnCount(), 3);

        // The hand-added column makes the schemas differ; the fingerprints say so.
        const int schema = rowOf(model, ParityRowKind::SchemaFingerprint);
        QVERIFY(schema >= 0);
        const QModelIndex aSchema = model.index(schema, 1);
        QCOMPARE(aSchema.data(ParityModel::CellStateRole).toInt(), int(ParityCellState::Different));
        QVERIFY2(aSchema.data().toString().startsWith(QStringLiteral("≠ different · ")),
                 qPrintable(aSchema.data().toString()));
        QVERIFY(aSchema.data(Qt::BackgroundRole).isValid());

        // A config key only a has: present there, missing in b — in words and in colour.
        const int feature = rowOf(model, ParityRowKind::ConfigKey, QStringLiteral("FEATURE_X"));
        QVERIFY(feature >= 0);
        QCOMPARE(model.index(feature, 2).data().toString(), QStringLiteral("✗ missing"));
        QVERIFY(model.index(feature, 1).data().toString().startsWith(QStringLiteral("= same")));
        QVERIFY(model.index(feature, 2).data(Qt::BackgroundRole) !=
                model.index(feature, 1).data(Qt::BackgroundRole));
        // Grouped by kind: the row says the key, the group's header the kind; a screen
        // reader hears the whole label.
        QCOMPARE(model.index(feature, 0).data().toString(), QStringLiteral("FEATURE_X"));
        QCOMPARE(model.index(feature, 0).data(Qt::AccessibleTextRole).toString(),
                 matrix.rows().at(feature).label());
        QStringList groups;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QString header = model.headerData(r, Qt::Vertical).toString();
            if (!header.isEmpty())
                groups.append(header);
        }
        QCOMPARE(groups.first(), QStringLiteral("Config keys"));
        QCOMPARE(groups.count(QStringLiteral("Config keys")), 1);
        QVERIFY(groups.contains(QStringLiteral("Server")));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("parityLegend"))
                    ->text()
                    .contains(QStringLiteral("reference value")));
        // The same value in both: same, no value shown but a hash prefix.
        const int log = rowOf(model, ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL"));
        QVERIFY(model.index(log, 1).data().toString().startsWith(QStringLiteral("= same")));
        QVERIFY(!model.index(log, 1).data().toString().contains(QStringLiteral("debug")));
        // Both on the same server: the version row matches.
        const int version = rowOf(model, ParityRowKind::ServerVersion);
        QVERIFY(version >= 0);
        QVERIFY(matrix.rows().at(version).matches);

        QCOMPARE(score->text(), QStringLiteral("Overall: %1 % · %2 of %3 rows match")
                                    .arg(qRound(matrix.score() * 100))
                                    .arg(matrix.matchingRows())
                                    .arg(matrix.totalRows()));
        QVERIFY(matrix.matchingRows() < matrix.totalRows());
        QCOMPARE(pairs->rowCount(), 1);
        QCOMPARE(pairs->item(0, 0)->text(), QStringLiteral("a ↔ b"));
        const ParityPairScore pair = matrix.pairs().first();
        QCOMPARE(pairs->item(0, 1)->text(),
                 QStringLiteral("%1 of %2").arg(pair.matching).arg(pair.total));

        // Only differences: the matching rows go, the differing stay.
        auto *only = view.findChild<QCheckBox *>(QStringLiteral("parityOnlyDifferences"));
        QVERIFY(only);
        only->setChecked(true);
        QVERIFY(table->isRowHidden(log));
        QVERIFY(table->isRowHidden(version));
        QVERIFY(!table->isRowHidden(feature));
        QVERIFY(!table->isRowHidden(schema));
        only->setChecked(false);
        QVERIFY(!table->isRowHidden(log));

        // A schema cell opens the diff of that environment against the other (activated:
        // Enter, or a double click where the platform activates on double click).
        QSignalSpy diff(&view, &ParityView::diffRequested);
        table->setFocus();
        table->setCurrentIndex(model.index(schema, 2));
        QTest::keyClick(table, Qt::Key_Return);
        QCOMPARE(diff.size(), 1);
        QCOMPARE(diff.first().at(1).toString(), QStringLiteral("b"));
        QCOMPARE(diff.first().at(0).toString(), QStringLiteral("a"));
        // Other rows do not.
        table->setCurrentIndex(model.index(log, 2));
        QTest::keyClick(table, Qt::Key_Return);
        QCOMPARE(diff.size(), 1);
    }

    void anUnreachableEnvironmentIsUnknownNotAnError()
    {
        Workspace ws = workspace();
        ws.environments.append(
            environmentAt(QStringLiteral("gone"),
                          QStringLiteral("postgresql://postgres@127.0.0.1:1/app"), QString()));
        ParityView view(ws);
        view.show();
        QSignalSpy computed(&view, &ParityView::computed);
        view.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(computed.size(), 1, kTimeoutMs);
        const ParityModel &model = *view.model();
        const int version = rowOf(model, ParityRowKind::ServerVersion);
        QCOMPARE(model.index(version, 3).data().toString(), QStringLiteral("? unknown"));
        QCOMPARE(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("gone"));
        // Why it is unknown is said, in the cell and to a screen reader, and the score
        // says how much could not be checked where.
        const QString why = model.index(version, 3).data(Qt::ToolTipRole).toString();
        QVERIFY2(why.contains(QStringLiteral("127.0.0.1")), qPrintable(why));
        QVERIFY2(model.index(version, 3)
                     .data(Qt::AccessibleTextRole)
                     .toString()
                     .startsWith(QStringLiteral("gone: ? unknown — ")),
                 qPrintable(model.index(version, 3).data(Qt::AccessibleTextRole).toString()));
        const int fingerprint = rowOf(model, ParityRowKind::SchemaFingerprint);
        QVERIFY(fingerprint >= 0);
        QCOMPARE(model.index(fingerprint, 3).data().toString(), QStringLiteral("? unknown"));
        auto *score = view.findChild<QLabel *>(QStringLiteral("parityScore"));
        QVERIFY2(score->text().endsWith(QStringLiteral("not checked")), qPrintable(score->text()));
        QVERIFY2(score->toolTip().contains(QStringLiteral("not checked in gone")),
                 qPrintable(score->toolTip()));
    }

    void probeRowsAndTheTargetAreShown()
    {
        Workspace ws = workspace();
        ParityProbeConfig runtime;
        runtime.name = QStringLiteral("runtime");
        runtime.command = QStringLiteral("echo Python 3.11.4");
        runtime.weight = 4;
        ParityProbeConfig token;
        token.name = QStringLiteral("token");
        token.command = QStringLiteral("echo v1ew-t0ken-{env}");
        token.secret = true;
        token.gate = true;
        ParityProbeConfig settings;
        settings.kind = ParityProbeConfig::Kind::Settings;
        settings.names = {QStringLiteral("max_connections")};
        ws.parityProbes = {runtime, token, settings};
        ws.parityTarget = 95;
        ParityView view(ws);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy computed(&view, &ParityView::computed);
        view.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(computed.size(), 1, kTimeoutMs);
        const ParityModel &model = *view.model();
        const ParityMatrix &matrix = model.matrix();

        const int probe = rowOf(model, ParityRowKind::Probe, QStringLiteral("runtime"));
        QVERIFY(probe >= 0);
        QCOMPARE(model.headerData(probe, Qt::Vertical).toString(), QStringLiteral("Probes"));
        QCOMPARE(model.index(probe, 0).data().toString(), QStringLiteral("runtime"));
        QCOMPARE(model.index(probe, 1).data().toString(), QStringLiteral("= same · Python 3.11.4"));
        QVERIFY(model.index(probe, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Weight 4")));
        const int secret = rowOf(model, ParityRowKind::Probe, QStringLiteral("token"));
        QCOMPARE(model.index(secret, 1).data().toString(),
                 QStringLiteral("≠ different · hash differs"));
        QVERIFY(model.index(secret, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("promotion gate")));
        for (int r = 0; r < model.rowCount(); ++r)
            for (int c = 0; c < model.columnCount(); ++c)
                for (int role :
                     {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::AccessibleTextRole)})
                    QVERIFY(!model.index(r, c).data(role).toString().contains(
                        QStringLiteral("v1ew-t0ken")));
        const int setting = rowOf(model, ParityRowKind::Setting, QStringLiteral("max_connections"));
        QVERIFY(setting >= 0);
        QCOMPARE(model.headerData(setting, Qt::Vertical).toString(), QStringLiteral("Settings"));
        QVERIFY(matrix.rows().at(setting).matches); // both on the same server

        auto *score = view.findChild<QLabel *>(QStringLiteral("parityScore"));
        QVERIFY(!matrix.meetsTarget());
        QCOMPARE(score->text(),
                 QStringLiteral("Overall: %1 %, target 95 % · %2 of %3 rows match · below target")
                     .arg(qRound(matrix.score() * 100))
                     .arg(matrix.matchingRows())
                     .arg(matrix.totalRows()));
        // Weighted: the runtime row counts four times.
        QCOMPARE(matrix.totalWeight(), matrix.totalRows() + 3);
        auto *pairs = view.findChild<QTableWidget *>(QStringLiteral("parityPairs"));
        QCOMPARE(pairs->item(0, 2)->text(),
                 QStringLiteral("%1%").arg(qRound(matrix.pairs().first().score() * 100)));
    }

private:
    Workspace workspace() const
    {
        Workspace ws;
        ws.project = QStringLiteral("parity");
        ws.rootDir = m_dir.path();
        ws.filePath = m_dir.filePath(QStringLiteral("paritydeck.yaml"));
        ws.environments = {environmentAt(QStringLiteral("a"), m_pg.url(QStringLiteral("app_a")),
                                         QStringLiteral(".env.a")),
                           environmentAt(QStringLiteral("b"), m_pg.url(QStringLiteral("app_b")),
                                         QStringLiteral(".env.b"))};
        return ws;
    }

    QTemporaryDir m_dir;
    PgCluster m_pg;
};

QTEST_MAIN(TestParityView)
#include "tst_parityview.moc"
