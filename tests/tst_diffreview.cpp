// The diff review window against two real databases that differ in known ways (a table
// added, a table removed, a column retyped, a column dropped, a column and an index
// added), offscreen: group counts, destructive marking, the filter and the "only
// destructive" toggle, the SQL pane against the generator, the DDL panes, saving a
// migration, saving and opening the migration dialog, a .sql file side and a migrations:ENV side
// (shadow databases), inline errors and cancel. Plus the model alone on a 5,000-table diff built in
// memory: lazy and filterable.
#include "audit/auditlog.h"
#include "diffreview/ddlview.h"
#include "diffreview/diffchangemodel.h"
#include "diffreview/diffreviewwindow.h"
#include "diffreview/diffreviewwork.h"
#include "diffreview/sqlhighlighter.h"
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "migrationdialog.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"
#include "schema/fingerprint.h"
#include "schema/sqlgenerator.h"
#include "theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeView>

#include <cmath>

using namespace pd;
using namespace pd::ui;
using pd::test::PgCluster;

namespace {

constexpr int kTimeoutMs = 30000;

const char *const FromSchema = R"sql(
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id),
                     total numeric(12,2) NOT NULL DEFAULT 0, note text);
CREATE TABLE legacy (id integer PRIMARY KEY, payload text);
)sql";

const char *const ToSchema = R"sql(
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email varchar(200),
                        created_at timestamptz);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id),
                     total numeric(12,2) NOT NULL DEFAULT 0);
CREATE INDEX orders_total_idx ON orders (total);
CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL);
)sql";

template<typename T = QWidget> T *find(const QWidget *root, const QString &name)
{
    return root->findChild<T *>(name);
}

// The change row of `displayName` under its group, or an invalid index.
QModelIndex changeRow(const DiffChangeModel *model, const QString &displayName, ObjectKind kind)
{
    const int group = model->groupRowOf(kind);
    if (group < 0)
        return {};
    const QModelIndex parent = model->index(group, 0);
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data().toString() == displayName)
            return index;
    }
    return {};
}

bool writeText(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text.toUtf8()) >= 0;
}

ObjectChange change(ChangeType type, ObjectKind kind, const QString &id, const QString &name,
                    bool destructive)
{
    ObjectChange c;
    c.type = type;
    c.kind = kind;
    c.id = id;
    c.displayName = name;
    c.destructive = destructive;
    return c;
}

} // namespace

class TestDiffReview final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
        QVERIFY(m_state.isValid());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        // Expected schemas are cached; keep them out of the real ~/.cache.
        qputenv("XDG_CACHE_HOME", (m_state.path() + QStringLiteral("/cache")).toUtf8());
        QVERIFY2(m_pg.start().ok(), qPrintable(m_pg.serverLog()));
        QVERIFY(m_pg.createDatabase(QStringLiteral("from_db")).ok());
        QVERIFY(m_pg.createDatabase(QStringLiteral("to_db")).ok());
        auto loadedFrom = m_pg.exec(QString::fromUtf8(FromSchema), QStringLiteral("from_db"));
        QVERIFY2(loadedFrom.ok(), qPrintable(loadedFrom ? QString() : loadedFrom.error().message));
        auto loadedTo = m_pg.exec(QString::fromUtf8(ToSchema), QStringLiteral("to_db"));
        QVERIFY2(loadedTo.ok(), qPrintable(loadedTo ? QString() : loadedTo.error().message));

        QVERIFY(m_dir.isValid());
        m_workspace.project = QStringLiteral("review");
        m_workspace.rootDir = m_dir.path();
        m_workspace.filePath = m_dir.filePath(QStringLiteral("paritydeck.yaml"));
        for (const auto &[name, db] :
             {std::pair{QStringLiteral("dev"), QStringLiteral("from_db")},
              std::pair{QStringLiteral("prod"), QStringLiteral("to_db")}}) {
            EnvironmentConfig env;
            env.name = name;
            env.database.url = m_pg.url(db);
            env.database.connectTimeoutSeconds = 3;
            m_workspace.environments.append(env);
        }
        m_workspace.environments[1].protection = Protection::Confirm;
    }

    void reviewShowsTheKnownDifferencesGroupedAndMarked()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QVERIFY(window->isBusy());
        QVERIFY(find<QPushButton>(window, QStringLiteral("diffCancel"))->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QVERIFY2(window->errorText().isEmpty(), qPrintable(window->errorText()));
        QVERIFY(!find<QPushButton>(window, QStringLiteral("diffCancel"))->isVisible());

        const DiffChangeModel *model = window->model();
        // Tables: invoices added, legacy removed.
        const int tables = model->groupRowOf(ObjectKind::Table);
        QVERIFY(tables >= 0);
        QCOMPARE(model->groupTotal(tables), 2);
        QCOMPARE(model->index(tables, 0).data().toString(), QStringLiteral("Tables (2)"));
        QCOMPARE(model->index(tables, 1).data().toString(),
                 QStringLiteral("+1 −1 · 1 destructive"));
        QVERIFY(model->index(tables, 0)
                    .data(Qt::AccessibleTextRole)
                    .toString()
                    .contains(QStringLiteral("1 added, 1 removed")));
        // Columns: customers.email retyped, customers.created_at added, orders.note dropped,
        // invoices' two columns added, legacy's two columns removed with it.
        const int columns = model->groupRowOf(ObjectKind::Column);
        QVERIFY(columns >= 0);
        QCOMPARE(model->groupTotal(columns), 7);
        QCOMPARE(model->index(columns, 0).data().toString(), QStringLiteral("Columns (7)"));
        // Indexes: orders_total_idx added (primary keys are constraints).
        const int indexes = model->groupRowOf(ObjectKind::Index);
        QVERIFY(indexes >= 0);
        QCOMPARE(model->groupTotal(indexes), 1);

        // Destructive changes are marked in text, font and colour; harmless ones are not.
        const QModelIndex legacy =
            changeRow(model, QStringLiteral("public.legacy"), ObjectKind::Table);
        QVERIFY(legacy.isValid());
        QVERIFY(legacy.data(DiffChangeModel::DestructiveRole).toBool());
        QVERIFY(
            legacy.siblingAtColumn(1).data().toString().contains(QStringLiteral("destructive")));
        QVERIFY(legacy.data(Qt::ForegroundRole).isValid());
        QVERIFY(legacy.data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(
            legacy.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("destructive")));
        const QModelIndex invoices =
            changeRow(model, QStringLiteral("public.invoices"), ObjectKind::Table);
        QVERIFY(invoices.isValid());
        QVERIFY(!invoices.data(DiffChangeModel::DestructiveRole).toBool());
        QVERIFY(
            !invoices.siblingAtColumn(1).data().toString().contains(QStringLiteral("destructive")));
        QVERIFY(!invoices.data(Qt::ForegroundRole).isValid());
        const QModelIndex email =
            changeRow(model, QStringLiteral("public.customers.email"), ObjectKind::Column);
        QVERIFY(email.isValid());
        QVERIFY(
            email.data(DiffChangeModel::DestructiveRole).toBool()); // a type change casts values
        const QModelIndex created =
            changeRow(model, QStringLiteral("public.customers.created_at"), ObjectKind::Column);
        QVERIFY(created.isValid());
        QVERIFY(!created.data(DiffChangeModel::DestructiveRole).toBool());
        QCOMPARE(created.siblingAtColumn(1).data().toString(), QStringLiteral("added"));
        QCOMPARE(model->index(tables, 1).data(DiffChangeModel::DestructiveRole).toBool(), true);
    }

    void filterAndOnlyDestructiveNarrowTheTree()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        const DiffChangeModel *model = window->model();
        const int total = int(model->diff().changes.size());

        // Ctrl+F puts the cursor in the filter box.
        window->activateWindow();
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        auto *filter = find<QLineEdit>(window, QStringLiteral("diffFilter"));
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("legacy"));
        // Debounced: nothing changes until typing pauses.
        QCOMPARE(model->visibleChangeCount(), total);
        // legacy: the table, its two columns, its primary key.
        QTRY_COMPARE(model->visibleChangeCount(), 4);
        QVERIFY(model->isFiltered());
        const int tables = model->groupRowOf(ObjectKind::Table);
        QCOMPARE(model->groupVisible(tables), 1);
        QCOMPARE(model->index(tables, 0).data().toString(), QStringLiteral("Tables (1 of 2)"));
        QCOMPARE(model->index(0, 0, model->index(tables, 0)).data().toString(),
                 QStringLiteral("public.legacy"));
        QVERIFY(find<QLabel>(window, QStringLiteral("diffSummary"))
                    ->text()
                    .startsWith(QStringLiteral("4 of ")));

        // Two words must both match.
        filter->setText(QStringLiteral("customers added"));
        QTRY_COMPARE(model->visibleChangeCount(), 1);
        QCOMPARE(
            model
                ->changePositions(model->indexOfChange(
                    model->changePositions(model->index(model->groupRowOf(ObjectKind::Column), 0))
                        .value(0, -1)))
                .size(),
            1);

        filter->clear();
        QTRY_COMPARE(model->visibleChangeCount(), total);
        QVERIFY(!model->isFiltered());

        // Only destructive: exactly the diff's destructive changes.
        auto *only = find<QCheckBox>(window, QStringLiteral("diffOnlyDestructive"));
        QTest::mouseClick(only, Qt::LeftButton, {}, QPoint(5, only->height() / 2));
        QVERIFY(only->isChecked());
        QTRY_COMPARE(model->visibleChangeCount(), model->diff().destructiveCount());
        QVERIFY(model->diff().destructiveCount() >= 4); // legacy, its columns, email, orders.note
        for (int group = 0; group < model->groupCount(); ++group) {
            const QModelIndex parent = model->index(group, 0);
            for (int row = 0; row < model->rowCount(parent); ++row)
                QVERIFY(
                    model->index(row, 0, parent).data(DiffChangeModel::DestructiveRole).toBool());
        }
        QVERIFY(!changeRow(model, QStringLiteral("public.invoices"), ObjectKind::Table).isValid());
        QVERIFY(
            changeRow(model, QStringLiteral("public.orders.note"), ObjectKind::Column).isValid());
        QTest::mouseClick(only, Qt::LeftButton, {}, QPoint(5, only->height() / 2));
        QTRY_COMPARE(model->visibleChangeCount(), total);
    }

    void sqlAndDdlFollowTheSelection()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        const DiffChangeModel *model = window->model();
        const SchemaDiff diff = model->diff();
        auto *tree = find<QTreeView>(window, QStringLiteral("diffTree"));
        auto *fromDdl = find<DdlView>(window, QStringLiteral("diffFromDdl"));
        auto *toDdl = find<DdlView>(window, QStringLiteral("diffToDdl"));
        QSignalSpy ddlUpdated(window, &DiffReviewWindow::ddlUpdated);

        // The removed table: its SQL is the generator's for it (and what belongs to it);
        // without "Include destructive changes" the DROP is there, commented out, and the
        // note names that checkbox (not the CLI's flag).
        const QModelIndex legacy =
            changeRow(model, QStringLiteral("public.legacy"), ObjectKind::Table);
        QVERIFY(legacy.isValid());
        const int legacyPosition = legacy.data(DiffChangeModel::ChangePositionRole).toInt();
        tree->selectionModel()->setCurrentIndex(legacy, QItemSelectionModel::ClearAndSelect |
                                                            QItemSelectionModel::Rows);
        const SchemaDiff legacyPart = selectionDiff(diff, selectionClosure(diff, {legacyPosition}));
        QCOMPARE(legacyPart.changes.size(), 4); // table, two columns, primary key
        QTRY_COMPARE(window->sqlText(),
                     presentedSql(generateSql(legacyPart, reviewSqlOptions(false))));
        QVERIFY(window->sqlText().contains(
            QStringLiteral("-- (destructive, skipped: tick 'Include destructive changes' to "
                           "include it) DROP TABLE public.legacy")));
        QVERIFY(!window->sqlText().contains(QStringLiteral("--unsafe")));
        QCOMPARE(find<QCheckBox>(window, QStringLiteral("diffUnsafe"))->text(),
                 QStringLiteral("Include destructive changes"));
        QTRY_VERIFY(!toDdl->isShowingMessage() ||
                    toDdl->toPlainText().contains(QStringLiteral("Not in prod")));
        QTRY_VERIFY(fromDdl->toPlainText().contains(QStringLiteral("CREATE TABLE public.legacy")));
        QVERIFY(toDdl->isShowingMessage());
        QVERIFY(toDdl->toPlainText().contains(QStringLiteral("Not in prod")));

        auto *unsafe = find<QCheckBox>(window, QStringLiteral("diffUnsafe"));
        unsafe->setChecked(true);
        QTRY_COMPARE(window->sqlText(),
                     presentedSql(generateSql(legacyPart, reviewSqlOptions(true))));
        QVERIFY(window->sqlText().contains(QStringLiteral("\nDROP TABLE public.legacy;")));
        unsafe->setChecked(false);

        // A retyped column: both sides show the whole table, the column's line marked.
        const QModelIndex email =
            changeRow(model, QStringLiteral("public.customers.email"), ObjectKind::Column);
        QVERIFY(email.isValid());
        ddlUpdated.clear();
        tree->selectionModel()->setCurrentIndex(email, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
        QTRY_VERIFY(ddlUpdated.count() >= 1);
        QTRY_VERIFY(toDdl->toPlainText().contains(QStringLiteral("CREATE TABLE public.customers")));
        QVERIFY(fromDdl->toPlainText().contains(QStringLiteral("CREATE TABLE public.customers")));
        const QStringList fromChanged = fromDdl->changedLines();
        const QStringList toChanged = toDdl->changedLines();
        QVERIFY2(fromChanged.size() == 1 &&
                     fromChanged.first().contains(QStringLiteral("email text")),
                 qPrintable(fromChanged.join(QLatin1Char('|'))));
        QVERIFY2(toChanged.size() == 2, qPrintable(toChanged.join(QLatin1Char('|'))));
        QVERIFY(toChanged.at(0).contains(QStringLiteral("email character varying(200)")));
        QVERIFY(toChanged.at(1).contains(QStringLiteral("created_at")));
        const int emailPosition = email.data(DiffChangeModel::ChangePositionRole).toInt();
        QTRY_COMPARE(window->sqlText(),
                     presentedSql(generateSql(selectionDiff(diff, {emailPosition}),
                                              reviewSqlOptions(false))));

        // Several rows at once: the SQL covers all of them.
        const QModelIndex created =
            changeRow(model, QStringLiteral("public.customers.created_at"), ObjectKind::Column);
        tree->selectionModel()->select(created,
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QList<int> both{emailPosition, created.data(DiffChangeModel::ChangePositionRole).toInt()};
        std::sort(both.begin(), both.end());
        QTRY_COMPARE(window->sqlText(),
                     presentedSql(generateSql(selectionDiff(diff, both), reviewSqlOptions(false))));
        QVERIFY(window->sqlText().contains(QStringLiteral("ADD COLUMN created_at")));

        // Everything.
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        QTRY_COMPARE(window->sqlText(), presentedSql(generateSql(diff, reviewSqlOptions(false))));
        QVERIFY(window->sqlText().contains(QStringLiteral("CREATE TABLE public.invoices")));

        // Ctrl+C copies it (focus on the tree, not in a text field with its own copy).
        QApplication::clipboard()->clear();
        tree->setFocus();
        QTest::keyClick(tree, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), window->sqlText());
    }

    void saveAsMigrationWritesTheNextFileOfTheWorkspaceFormat()
    {
        Workspace ws = m_workspace;
        QTemporaryDir dir;
        ws.rootDir = dir.path();
        ws.filePath = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        QVERIFY(writeText(dir.filePath(QStringLiteral("migrations/0007_base.sql")),
                          QStringLiteral("SELECT 1;\n")));
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        QSignalSpy saved(window, &DiffReviewWindow::migrationSaved);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        auto *save = find<QPushButton>(window, QStringLiteral("diffSaveMigration"));
        QTRY_VERIFY(save->isEnabled() &&
                    window->sqlText().contains(QStringLiteral("CREATE TABLE public.invoices")));
        QTest::mouseClick(save, Qt::LeftButton);
        QInputDialog *name = nullptr;
        QTRY_VERIFY((name = window->findChild<QInputDialog *>(
                         QStringLiteral("diffMigrationName"))) != nullptr);
        name->setTextValue(QStringLiteral("Add invoices"));
        name->accept();
        QTRY_COMPARE(saved.count(), 1);
        const QString path = saved.first().first().toString();
        QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("0008_add_invoices.sql"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString expected = window->sqlText();
        if (!expected.endsWith(QLatin1Char('\n')))
            expected += QLatin1Char('\n');
        QCOMPARE(QString::fromUtf8(file.readAll()), expected);
        QVERIFY(find<QLabel>(window, QStringLiteral("diffStatus"))
                    ->text()
                    .contains(QStringLiteral("0008_add_invoices.sql")));
    }

    // The SQL turns FROM into TO, so it is applied to FROM: the button saves it as the next
    // migration and asks for FROM's migration dialog, and only exists when FROM is an
    // environment and someone (the main window) opens dialogs.
    void saveAndOpenInMigrationDialogSavesAndNamesTheEnvironment()
    {
        Workspace ws = m_workspace;
        QTemporaryDir dir;
        ws.rootDir = dir.path();
        ws.filePath = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        QVERIFY(writeText(dir.filePath(QStringLiteral("migrations/0003_base.sql")),
                          QStringLiteral("SELECT 1;\n")));

        // Nobody connected: disabled, and the tooltip says why.
        {
            QPointer<DiffReviewWindow> alone = new DiffReviewWindow(ws);
            const auto cleanup = qScopeGuard([&] { delete alone; });
            QSignalSpy sqlUpdated(alone, &DiffReviewWindow::sqlUpdated);
            alone->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
            QTRY_VERIFY_WITH_TIMEOUT(
                sqlUpdated.count() >= 1 &&
                    !alone->sqlText().startsWith(QStringLiteral("-- Generating")),
                kTimeoutMs);
            auto *button = find<QPushButton>(alone, QStringLiteral("diffOpenInMigrationDialog"));
            QVERIFY(find<QPushButton>(alone, QStringLiteral("diffSaveMigration"))->isEnabled());
            QVERIFY(!button->isEnabled());
            QVERIFY2(button->toolTip().contains(QStringLiteral("main window")),
                     qPrintable(button->toolTip()));
        }

        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy requested(window, &DiffReviewWindow::openInMigrationDialogRequested);
        QSignalSpy saved(window, &DiffReviewWindow::migrationSaved);
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        auto *button = find<QPushButton>(window, QStringLiteral("diffOpenInMigrationDialog"));

        // FROM a URL (not an environment): nothing to open, and the tooltip says so.
        window->compareSides(m_pg.url(QStringLiteral("from_db")), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        QTRY_VERIFY(window->sqlText().contains(QStringLiteral("CREATE TABLE public.invoices")));
        QVERIFY(find<QPushButton>(window, QStringLiteral("diffSaveMigration"))->isEnabled());
        QVERIFY(!button->isEnabled());
        QVERIFY2(button->toolTip().contains(QStringLiteral("not an environment")),
                 qPrintable(button->toolTip()));

        // FROM dev: enabled; it asks for a name, writes the next file and names dev.
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeoutMs);
        QTRY_VERIFY(button->isEnabled() &&
                    window->sqlText().contains(QStringLiteral("CREATE TABLE public.invoices")));
        QVERIFY2(button->toolTip().contains(QStringLiteral("migration dialog of dev")),
                 qPrintable(button->toolTip()));
        const QString sql = window->sqlText();
        QTest::mouseClick(button, Qt::LeftButton);
        QInputDialog *name = nullptr;
        QTRY_VERIFY((name = window->findChild<QInputDialog *>(
                         QStringLiteral("diffMigrationName"))) != nullptr);
        QVERIFY(name->labelText().contains(QStringLiteral("dev")));
        name->setTextValue(QStringLiteral("Sync dev"));
        name->accept();
        QTRY_COMPARE_WITH_TIMEOUT(requested.count(), 1, kTimeoutMs);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(requested.first().at(0).toString(), QStringLiteral("dev"));
        const QString path = requested.first().at(1).toString();
        QCOMPARE(path, saved.first().first().toString());
        QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("0004_sync_dev.sql"));
        QCOMPARE(QFileInfo(path).absolutePath(),
                 QDir(dir.filePath(QStringLiteral("migrations"))).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString written = QString::fromUtf8(file.readAll());
        QCOMPARE(written, sql.endsWith(QLatin1Char('\n')) ? sql : sql + QLatin1Char('\n'));
        QVERIFY(written.contains(QStringLiteral("CREATE TABLE public.invoices")));
        // The workspace's migrations now list it as the next one, pending wherever it is not
        // applied.
        const auto source = MigrationSource::load(ws);
        QVERIFY2(source.ok(), qPrintable(source ? QString() : source.error().message));
        QCOMPARE(source->migrations.size(), 2);
        QCOMPARE(source->migrations.last().version, QStringLiteral("0004"));
        QCOMPARE(QString::fromUtf8(source->migrations.last().upSql).trimmed(), sql.trimmed());
    }

    void sqlFileSideIsLoadedIntoAShadowDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("schema.sql"));
        QVERIFY(writeText(
            path,
            QStringLiteral(
                "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text);\n"
                "CREATE TABLE only_in_file (id integer);\n")));
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(path, QStringLiteral("dev"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QVERIFY2(window->errorText().isEmpty(), qPrintable(window->errorText()));
        const DiffChangeModel *model = window->model();
        QVERIFY(
            changeRow(model, QStringLiteral("public.only_in_file"), ObjectKind::Table).isValid());
        QVERIFY(changeRow(model, QStringLiteral("public.orders"), ObjectKind::Table).isValid());
        QVERIFY(changeRow(model, QStringLiteral("public.legacy"), ObjectKind::Table).isValid());
        QVERIFY(!changeRow(model, QStringLiteral("public.customers"), ObjectKind::Table).isValid());
        QCOMPARE(model->groupTotal(model->groupRowOf(ObjectKind::Table)), 3);
        QCOMPARE(find<QLabel>(window, QStringLiteral("diffFromTitle"))->text(),
                 QStringLiteral("From: schema.sql"));
        // The shadow database is gone again.
        auto shadows = m_pg.exec(QStringLiteral(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'paritydeck_shadow%'"));
        QVERIFY(shadows.ok());
        QCOMPARE(shadows->value(0, 0), QStringLiteral("0"));
    }

    // The drift badge's comparison: what the applied migrations say against the live
    // database, which someone changed by hand.
    void expectedFromMigrationsShowsHandMadeChanges()
    {
        QTemporaryDir dir;
        Workspace ws = m_workspace;
        ws.rootDir = dir.path();
        ws.filePath = dir.filePath(QStringLiteral("paritydeck.yaml"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        QVERIFY(writeText(
            dir.filePath(QStringLiteral("migrations/0001_accounts.sql")),
            QStringLiteral("CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n")));
        QVERIFY(m_pg.createDatabase(QStringLiteral("mig_db")).ok());
        auto set = MigrationSource::load(ws);
        QVERIFY2(set.ok(), qPrintable(set ? QString() : set.error().message));
        ApplyOptions options;
        options.environment = QStringLiteral("setup");
        auto applied =
            MigrationRunner::apply(m_pg.connectionParams(QStringLiteral("mig_db")), *set, options);
        QVERIFY2(applied.ok(), qPrintable(applied ? QString() : applied.error().message));
        QVERIFY(
            m_pg.exec(
                    QStringLiteral(
                        "CREATE TABLE hotfix (id int); ALTER TABLE accounts ADD COLUMN note text"),
                    QStringLiteral("mig_db"))
                .ok());
        EnvironmentConfig live;
        live.name = QStringLiteral("live");
        live.database.url = m_pg.url(QStringLiteral("mig_db"));
        ws.environments.append(live);

        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("migrations:live"), QStringLiteral("live"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QVERIFY2(window->errorText().isEmpty(), qPrintable(window->errorText()));
        const DiffChangeModel *model = window->model();
        QCOMPARE(model->groupTotal(model->groupRowOf(ObjectKind::Table)), 1);
        QVERIFY(changeRow(model, QStringLiteral("public.hotfix"), ObjectKind::Table).isValid());
        QVERIFY(
            changeRow(model, QStringLiteral("public.accounts.note"), ObjectKind::Column).isValid());
        QCOMPARE(find<QLabel>(window, QStringLiteral("diffFromTitle"))->text(),
                 QStringLiteral("From: expected from migrations (live)"));
    }

    void errorsAreInlineAndCancelStopsWaiting()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy failed(window, &DiffReviewWindow::compareFailed);
        window->show();
        window->compareSides(QStringLiteral("dev"), QStringLiteral("nosuchenv"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QVERIFY(window->errorText().contains(QStringLiteral("no environment 'nosuchenv'")));
        QVERIFY(find<QLabel>(window, QStringLiteral("diffError"))->isVisible());
        QVERIFY(QApplication::activeModalWidget() == nullptr);
        QVERIFY(!window->isBusy());

        // An unreachable server: the error names the side and arrives without blocking.
        Workspace ws = m_workspace;
        EnvironmentConfig gone;
        gone.name = QStringLiteral("gone");
        gone.database.url = QStringLiteral("postgresql://postgres@127.0.0.1:1/postgres");
        gone.database.connectTimeoutSeconds = 2;
        ws.environments.append(gone);
        QPointer<DiffReviewWindow> second = new DiffReviewWindow(ws);
        const auto cleanupSecond = qScopeGuard([&] { delete second; });
        QSignalSpy secondFailed(second, &DiffReviewWindow::compareFailed);
        second->show();
        second->compareSides(QStringLiteral("gone"), QStringLiteral("dev"));
        QTRY_COMPARE_WITH_TIMEOUT(secondFailed.count(), 1, kTimeoutMs);
        QVERIFY2(second->errorText().startsWith(QStringLiteral("Comparison failed: gone:")),
                 qPrintable(second->errorText()));

        // Cancel: the window is idle at once, says so, and a new comparison works.
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        failed.clear();
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        QVERIFY(window->isBusy());
        QVERIFY(window->errorText().isEmpty());
        QTest::mouseClick(find<QPushButton>(window, QStringLiteral("diffCancel")), Qt::LeftButton);
        QVERIFY(!window->isBusy());
        QCOMPARE(failed.count(), 1);
        QVERIFY(find<QLabel>(window, QStringLiteral("diffStatus"))
                    ->text()
                    .contains(QStringLiteral("cancelled")));
        QTest::qWait(1500); // whatever was running finishes and is discarded
        QCOMPARE(shown.count(), 0);
        window->activateWindow();
        QTRY_VERIFY(window->isActiveWindow());
        QTest::keyClick(window, Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QVERIFY(window->model()->groupRowOf(ObjectKind::Table) >= 0);
    }

    void everyControlHasANameAndEscapeCloses()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        const QList<QWidget *> widgets = window->findChildren<QWidget *>();
        int controls = 0;
        for (QWidget *widget : widgets) {
            if (!widget->focusPolicy() || widget->window() != window ||
                widget->inherits("QScrollBar") || widget->inherits("QHeaderView") ||
                qobject_cast<QLabel *>(widget) || widget->parentWidget()->inherits("QComboBox") ||
                widget->parentWidget()->inherits("QAbstractScrollArea") ||
                widget->objectName().startsWith(QLatin1String("qt_")))
                continue;
            ++controls;
            QVERIFY2(!widget->accessibleName().isEmpty(),
                     qPrintable(QStringLiteral("%1 (%2) has no accessible name")
                                    .arg(widget->objectName(),
                                         QString::fromLatin1(widget->metaObject()->className()))));
        }
        QVERIFY(controls >= 14);
        window->activateWindow();
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY(window.isNull()); // closed and deleted
        // Geometry and splitters are remembered.
        QVERIFY(!QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck"))
                     .value(QStringLiteral("diffReview/mainSplitter"))
                     .toByteArray()
                     .isEmpty());
    }

    // The model alone, on a diff the size of a large production schema: 5,000 tables
    // added with 8 columns, a primary key and an index each, and 500 tables removed.
    void modelIsLazyAndFiltersAFiveThousandTableDiff()
    {
        SchemaDiff diff;
        const auto tableName = [](int i) {
            return QStringLiteral("t%1").arg(i, 5, 10, QLatin1Char('0'));
        };
        for (int i = 1; i <= 5000; ++i)
            diff.changes.append(change(ChangeType::Added, ObjectKind::Table,
                                       QStringLiteral("table public.") + tableName(i),
                                       QStringLiteral("public.") + tableName(i), false));
        for (int i = 5001; i <= 5500; ++i)
            diff.changes.append(change(ChangeType::Removed, ObjectKind::Table,
                                       QStringLiteral("table public.") + tableName(i),
                                       QStringLiteral("public.") + tableName(i), true));
        for (int i = 1; i <= 5000; ++i) {
            for (int c = 1; c <= 8; ++c) {
                const QString name = QStringLiteral("public.%1.c%2").arg(tableName(i)).arg(c);
                diff.changes.append(change(ChangeType::Added, ObjectKind::Column,
                                           QStringLiteral("column ") + name, name, false));
            }
        }
        for (int i = 1; i <= 5000; ++i) {
            const QString name = QStringLiteral("public.%1.%1_pkey").arg(tableName(i));
            diff.changes.append(change(ChangeType::Added, ObjectKind::Constraint,
                                       QStringLiteral("constraint ") + name, name, false));
        }
        for (int i = 1; i <= 5000; ++i) {
            const QString name = QStringLiteral("public.%1_name_idx").arg(tableName(i));
            diff.changes.append(change(ChangeType::Added, ObjectKind::Index,
                                       QStringLiteral("index ") + name, name, false));
        }
        QCOMPARE(diff.changes.size(), 5500 + 40000 + 5000 + 5000);

        DiffChangeModel model;
        model.setDiff(diff);
        QCOMPARE(model.rowCount(), 4);
        const int tables = model.groupRowOf(ObjectKind::Table);
        const int columns = model.groupRowOf(ObjectKind::Column);
        QCOMPARE(model.rowCount(model.index(tables, 0)), 5500);
        QCOMPARE(model.rowCount(model.index(columns, 0)), 40000);
        QCOMPARE(model.index(tables, 0).data().toString(), QStringLiteral("Tables (5500)"));
        QCOMPARE(model.groupDestructive(tables), 500);
        // Nothing was produced per change and nothing is stored per change.
        QCOMPARE(model.changeDataRequests(), 0);
        QCOMPARE(model.storedPositions(), 0);
        // Rows are computed when asked for, from the diff itself.
        QCOMPARE(model.index(4999, 0, model.index(tables, 0)).data().toString(),
                 QStringLiteral("public.t05000"));
        QCOMPARE(model.index(5000, 0, model.index(tables, 0))
                     .data(DiffChangeModel::DestructiveRole)
                     .toBool(),
                 true);
        QCOMPARE(model.changeDataRequests(), 2);

        // A view asks only for what it shows, even with 40,000 rows open.
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setModel(&model);
        view.resize(600, 400);
        view.expand(model.index(columns, 0));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTest::qWait(50);
        QVERIFY2(model.changeDataRequests() < 2000,
                 qPrintable(QString::number(model.changeDataRequests())));

        // Filtering keeps only matching positions.
        model.setFilter(QStringLiteral("t04321"), false);
        QCOMPARE(model.groupVisible(tables), 1);
        QCOMPARE(model.groupVisible(columns), 8);
        QCOMPARE(model.groupVisible(model.groupRowOf(ObjectKind::Constraint)), 1);
        QCOMPARE(model.groupVisible(model.groupRowOf(ObjectKind::Index)), 1);
        QCOMPARE(model.visibleChangeCount(), 11);
        QCOMPARE(model.storedPositions(), 11);
        QCOMPARE(model.index(columns, 0).data().toString(), QStringLiteral("Columns (8 of 40000)"));
        QCOMPARE(model.index(7, 0, model.index(columns, 0)).data().toString(),
                 QStringLiteral("public.t04321.c8"));
        model.setFilter(QStringLiteral("T0432 C3"), false);
        QCOMPARE(model.visibleChangeCount(), 10); // t04320 … t04329, column c3
        model.setFilter(QString(), true);
        QCOMPARE(model.visibleChangeCount(), 500);
        QCOMPARE(model.groupVisible(columns), 0);
        QCOMPARE(model.index(tables, 0).data().toString(), QStringLiteral("Tables (500 of 5500)"));
        model.setFilter(QStringLiteral("removed t0550"), true);
        QCOMPARE(model.visibleChangeCount(), 1);
        model.setFilter(QString(), false);
        QCOMPARE(model.storedPositions(), 0);
        QCOMPARE(model.visibleChangeCount(), int(diff.changes.size()));
        // Positions round-trip between rows and the diff.
        const QModelIndex row = model.indexOfChange(5500 + 12345);
        QVERIFY(row.isValid());
        QCOMPARE(model.changePositions(row), QList<int>{5500 + 12345});
        QCOMPARE(model.changePositions(model.index(tables, 0)).size(), 5500);
    }

    void alignedDdlFacesUnchangedLinesAndPairsChangedOnes()
    {
        const QStringList from{QStringLiteral("CREATE TABLE t ("), QStringLiteral("    id bigint,"),
                               QStringLiteral("    email text,"), QStringLiteral("    old int"),
                               QStringLiteral(");")};
        const QStringList to{QStringLiteral("CREATE TABLE t ("),
                             QStringLiteral("    id bigint,"),
                             QStringLiteral("    email character varying(200),"),
                             QStringLiteral("    created_at date,"),
                             QStringLiteral("    extra int"),
                             QStringLiteral(");")};
        const AlignedDdl a = alignDdl(from, to);
        QCOMPARE(a.from.size(), a.to.size());
        QCOMPARE(a.rowCount(), 6);
        QCOMPARE(a.rows,
                 (QVector<AlignedDdl::Row>{AlignedDdl::Row::Same, AlignedDdl::Row::Same,
                                           AlignedDdl::Row::Changed, AlignedDdl::Row::Changed,
                                           AlignedDdl::Row::Added, AlignedDdl::Row::Same}));
        QCOMPARE(a.from.at(5), QStringLiteral(");"));
        QCOMPARE(a.to.at(5), QStringLiteral(");"));
        QVERIFY(a.fromFiller.at(4));
        QVERIFY(a.from.at(4).isEmpty());
        QVERIFY(!a.toFiller.at(4));
        QCOMPARE(a.hunks, (QVector<int>{2}));
        // Within the paired line only the differing words are marked.
        QStringList fromWords;
        for (const AlignedDdl::Span &span : a.fromSpans.at(2))
            fromWords << a.from.at(2).mid(span.start, span.length);
        QStringList toWords;
        for (const AlignedDdl::Span &span : a.toSpans.at(2))
            toWords << a.to.at(2).mid(span.start, span.length);
        QCOMPARE(fromWords, QStringList{QStringLiteral("text")});
        QCOMPARE(toWords, QStringList{QStringLiteral("character varying(200)")});
        // Two runs of changes are two hunks.
        const AlignedDdl two = alignDdl(
            {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")},
            {QStringLiteral("x"), QStringLiteral("b"), QStringLiteral("c")});
        QCOMPARE(two.hunks, (QVector<int>{0, 3}));
        QCOMPARE(two.rows.at(3), AlignedDdl::Row::Removed);
        QVERIFY(two.toFiller.at(3));
    }

    void ddlPanesLineUpRowForRowAndScrollAsOne()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        auto *tree = find<QTreeView>(window, QStringLiteral("diffTree"));
        auto *fromDdl = find<DdlView>(window, QStringLiteral("diffFromDdl"));
        auto *toDdl = find<DdlView>(window, QStringLiteral("diffToDdl"));
        QSignalSpy ddlUpdated(window, &DiffReviewWindow::ddlUpdated);
        const QModelIndex email = changeRow(
            window->model(), QStringLiteral("public.customers.email"), ObjectKind::Column);
        tree->selectionModel()->setCurrentIndex(email, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
        QTRY_VERIFY(toDdl->toPlainText().contains(QStringLiteral("created_at")));
        QVERIFY(!fromDdl->isShowingMessage());
        // Both panes have the same rows: what is unchanged faces itself, the retyped column
        // faces its new type, and the new column faces a filler row.
        QCOMPARE(fromDdl->rowCount(), toDdl->rowCount());
        QCOMPARE(fromDdl->document()->blockCount(), toDdl->document()->blockCount());
        int same = 0;
        int fillers = 0;
        for (int row = 0; row < fromDdl->rowCount(); ++row) {
            const QString left = fromDdl->rowText(row);
            const QString right = toDdl->rowText(row);
            switch (fromDdl->rowKind(row)) {
            case AlignedDdl::Row::Same: {
                ++same;
                const auto key = [](QString line) {
                    line = line.trimmed();
                    if (line.endsWith(QLatin1Char(',')))
                        line.chop(1);
                    return line;
                };
                QCOMPARE(key(left), key(right));
                break;
            }
            case AlignedDdl::Row::Changed:
                QVERIFY2(left.contains(QStringLiteral("email text")), qPrintable(left));
                QVERIFY2(right.contains(QStringLiteral("email character varying(200)")),
                         qPrintable(right));
                QCOMPARE(fromDdl->changedWords(row), QStringList{QStringLiteral("text")});
                QCOMPARE(toDdl->changedWords(row),
                         QStringList{QStringLiteral("character varying(200)")});
                break;
            case AlignedDdl::Row::Added:
                ++fillers;
                QVERIFY(fromDdl->isFiller(row));
                QVERIFY(left.isEmpty());
                QVERIFY(right.contains(QStringLiteral("created_at")));
                break;
            case AlignedDdl::Row::Removed:
                QFAIL("customers loses no line");
            }
        }
        QVERIFY(same >= 4);
        QCOMPARE(fillers, 1);
        QCOMPARE(toDdl->changedLines().size(), 2);
        QCOMPARE(fromDdl->changedLines().size(), 1);

        // Scrolling one pane scrolls the other, both ways and in both directions. Long
        // lines are shown whole (no wrap, no cut), so the panes scroll sideways.
        QStringList longFrom;
        QStringList longTo;
        for (int i = 0; i < 200; ++i) {
            longFrom << QStringLiteral("line %1 %2").arg(i).arg(QString(300, QLatin1Char('x')));
            longTo << (i % 10 == 0 ? QStringLiteral("other %1").arg(i) : longFrom.constLast());
        }
        const AlignedDdl aligned = alignDdl(longFrom, longTo);
        fromDdl->showAligned(aligned);
        toDdl->showAligned(aligned);
        QCOMPARE(fromDdl->rowText(1).size(), longFrom.at(1).size());
        QTRY_VERIFY(fromDdl->verticalScrollBar()->maximum() > 0 &&
                    fromDdl->horizontalScrollBar()->maximum() > 0);
        fromDdl->verticalScrollBar()->setValue(37);
        QCOMPARE(toDdl->verticalScrollBar()->value(), 37);
        toDdl->verticalScrollBar()->setValue(12);
        QCOMPARE(fromDdl->verticalScrollBar()->value(), 12);
        fromDdl->horizontalScrollBar()->setValue(fromDdl->horizontalScrollBar()->maximum() / 2);
        QCOMPARE(toDdl->horizontalScrollBar()->value(), fromDdl->horizontalScrollBar()->value());
        QVERIFY(toDdl->horizontalScrollBar()->value() > 0);
        toDdl->horizontalScrollBar()->setValue(3);
        QCOMPARE(fromDdl->horizontalScrollBar()->value(), 3);
        QCOMPARE(fromDdl->cursorForPosition(QPoint(2, 2)).blockNumber(),
                 toDdl->cursorForPosition(QPoint(2, 2)).blockNumber());
        QVERIFY(fromDdl->cursorForPosition(QPoint(2, 2)).blockNumber() > 0);
    }

    void f7GoesToTheNextChangeAndShiftF7Back()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        auto *tree = find<QTreeView>(window, QStringLiteral("diffTree"));
        auto *fromDdl = find<DdlView>(window, QStringLiteral("diffFromDdl"));
        auto *toDdl = find<DdlView>(window, QStringLiteral("diffToDdl"));
        const QModelIndex email = changeRow(
            window->model(), QStringLiteral("public.customers.email"), ObjectKind::Column);
        tree->selectionModel()->setCurrentIndex(email, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
        QTRY_VERIFY(toDdl->toPlainText().contains(QStringLiteral("created_at")));
        QCOMPARE(fromDdl->hunks().size(), 1);
        const int hunk = fromDdl->hunks().first();
        QVERIFY(hunk > 0);
        QCOMPARE(fromDdl->currentRow(), 0);

        // F7: to the run of changes, in both panes.
        window->activateWindow();
        QTRY_VERIFY(window->isActiveWindow());
        tree->setFocus();
        QSignalSpy reached(window, &DiffReviewWindow::changeReached);
        QTest::keyClick(window, Qt::Key_F7);
        QCOMPARE(reached.count(), 1);
        QCOMPARE(fromDdl->currentRow(), hunk);
        QCOMPARE(toDdl->currentRow(), hunk);
        QCOMPARE(fromDdl->rowKind(hunk), AlignedDdl::Row::Changed);

        // F7 past the last run: the next change in the tree, at its first run.
        const QModelIndex before = tree->currentIndex();
        QSignalSpy ddlUpdated(window, &DiffReviewWindow::ddlUpdated);
        QTest::keyClick(window, Qt::Key_F7);
        QCOMPARE(reached.count(), 2);
        QVERIFY(tree->currentIndex() != before);
        QCOMPARE(tree->currentIndex(), tree->indexBelow(before));
        QTRY_VERIFY(ddlUpdated.count() >= 1);
        const DdlView *shownSide = fromDdl->isShowingMessage() ? toDdl : fromDdl;
        QVERIFY(!shownSide->hunks().isEmpty());
        QCOMPARE(shownSide->currentRow(), shownSide->hunks().first());

        // Shift+F7 goes back to it, to its last run of changes.
        QTest::keyClick(window, Qt::Key_F7, Qt::ShiftModifier);
        QCOMPARE(tree->currentIndex(), before);
        QTRY_COMPARE(fromDdl->currentRow(), hunk);

        // Into a closed group: from the first column change up to the last table change.
        const DiffChangeModel *model = window->model();
        const QModelIndex tables = model->index(model->groupRowOf(ObjectKind::Table), 0);
        const QModelIndex columns = model->index(model->groupRowOf(ObjectKind::Column), 0);
        tree->collapse(tables);
        ddlUpdated.clear();
        tree->selectionModel()->setCurrentIndex(model->index(0, 0, columns),
                                                QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
        QTRY_VERIFY(ddlUpdated.count() >= 1);
        QCOMPARE(fromDdl->currentRow(), 0);
        QTest::keyClick(window, Qt::Key_F7, Qt::ShiftModifier);
        QVERIFY(tree->isExpanded(tables));
        QCOMPARE(tree->currentIndex(), model->index(model->rowCount(tables) - 1, 0, tables));
    }

    void untickedChangesLeaveTheSql()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        DiffChangeModel *model = window->model();
        const SchemaDiff diff = model->diff();
        auto *tree = find<QTreeView>(window, QStringLiteral("diffTree"));
        const QModelIndex email =
            changeRow(model, QStringLiteral("public.customers.email"), ObjectKind::Column);
        const QModelIndex created =
            changeRow(model, QStringLiteral("public.customers.created_at"), ObjectKind::Column);
        const int emailPosition = email.data(DiffChangeModel::ChangePositionRole).toInt();
        const int createdPosition = created.data(DiffChangeModel::ChangePositionRole).toInt();
        QCOMPARE(email.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        const QModelIndex columns = model->index(model->groupRowOf(ObjectKind::Column), 0);
        QCOMPARE(columns.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        tree->selectionModel()->setCurrentIndex(email, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
        tree->selectionModel()->select(created,
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QTRY_VERIFY(window->sqlText().contains(QStringLiteral("ADD COLUMN created_at")));

        // Unticking created_at (a click on its box) takes its statement out of "SQL for:
        // Selection"; its group shows partly ticked.
        const QRect box = tree->visualRect(created);
        QTest::mouseClick(
            tree->viewport(), Qt::LeftButton, {},
            QPoint(box.left() + tree->style()->pixelMetric(QStyle::PM_IndicatorWidth) / 2 + 4,
                   box.center().y()));
        QTRY_COMPARE(created.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QCOMPARE(columns.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::PartiallyChecked);
        QVERIFY(!model->isIncluded(createdPosition));
        QTRY_COMPARE(window->sqlText(),
                     presentedSql(generateSql(selectionDiff(diff, {emailPosition}),
                                              reviewSqlOptions(false))));
        QVERIFY(!window->sqlText().contains(QStringLiteral("created_at")));
        QVERIFY(find<QLabel>(window, QStringLiteral("diffSummary"))
                    ->text()
                    .contains(QStringLiteral("1 change left out")));

        // "Everything" leaves it out too.
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        QList<int> rest;
        for (int position = 0; position < int(diff.changes.size()); ++position)
            if (position != createdPosition)
                rest << position;
        QTRY_COMPARE(window->sqlText(),
                     presentedSql(generateSql(selectionDiff(diff, rest), reviewSqlOptions(false))));

        // By keyboard: Space on the current row ticks it again, and again unticks it.
        tree->setFocus();
        tree->selectionModel()->setCurrentIndex(created, QItemSelectionModel::NoUpdate);
        QTest::keyClick(tree, Qt::Key_Space);
        QTRY_COMPARE(created.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QTest::keyClick(tree, Qt::Key_Space);
        QTRY_COMPARE(created.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);

        // The group's box ticks every change again.
        QVERIFY(model->setData(columns, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(columns.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QVERIFY(model->isIncluded(createdPosition));
        QTRY_COMPARE(window->sqlText(), presentedSql(generateSql(diff, reviewSqlOptions(false))));
        QVERIFY(model->setData(columns, Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(columns.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QTRY_VERIFY(!window->sqlText().contains(QStringLiteral("ADD COLUMN created_at")));
    }

    // An altered object's privilege changes are rows of their own under it: one per role,
    // named as the statement, tickable (the tick feeds the SQL), with that role's GRANT
    // lines side by side.
    void privilegeChangesAreTheirOwnTickableRows()
    {
        const QString roles = QStringLiteral(
            "DO $$ BEGIN CREATE ROLE reporting; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
            "DO $$ BEGIN CREATE ROLE auditor; EXCEPTION WHEN duplicate_object THEN NULL; END $$;");
        QVERIFY(m_pg.createDatabase(QStringLiteral("grants_from")).ok());
        QVERIFY(m_pg.createDatabase(QStringLiteral("grants_to")).ok());
        QVERIFY(
            m_pg.exec(roles + QStringLiteral(
                                  "CREATE TABLE accounts (id integer PRIMARY KEY, balance numeric);"
                                  "COMMENT ON TABLE accounts IS 'old';"
                                  "GRANT SELECT ON accounts TO reporting;"
                                  "CREATE TABLE ledger (id integer);"),
                      QStringLiteral("grants_from"))
                .ok());
        QVERIFY(
            m_pg.exec(roles +
                          QStringLiteral(
                              "CREATE TABLE accounts (id integer PRIMARY KEY, balance numeric);"
                              "COMMENT ON TABLE accounts IS 'new';"
                              "GRANT SELECT, INSERT ON accounts TO reporting;"
                              "GRANT SELECT ON accounts TO auditor;"
                              "CREATE TABLE ledger (id integer);"
                              "GRANT SELECT ON ledger TO auditor;"
                              "CREATE TABLE audit_log (id integer);"
                              "GRANT SELECT ON audit_log TO reporting;"
                              "CREATE FUNCTION secret() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
                              "REVOKE EXECUTE ON FUNCTION secret() FROM PUBLIC;"),
                      QStringLiteral("grants_to"))
                .ok());
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(m_pg.url(QStringLiteral("grants_from")),
                             m_pg.url(QStringLiteral("grants_to")));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        DiffChangeModel *model = window->model();
        auto *tree = find<QTreeView>(window, QStringLiteral("diffTree"));
        auto *fromDdl = find<DdlView>(window, QStringLiteral("diffFromDdl"));
        auto *toDdl = find<DdlView>(window, QStringLiteral("diffToDdl"));
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        // The pane's script once generated (not "-- Generating SQL…").
        const auto sqlWith = [&window](const char *text) {
            return window->sqlText().contains(QLatin1String(text));
        };

        const QModelIndex accounts =
            changeRow(model, QStringLiteral("public.accounts"), ObjectKind::Table);
        const QModelIndex ledger =
            changeRow(model, QStringLiteral("public.ledger"), ObjectKind::Table);
        QVERIFY(accounts.isValid() && ledger.isValid());
        QCOMPARE(model->rowCount(accounts), 2);
        QCOMPARE(model->rowCount(ledger), 1);
        const QModelIndex auditor = model->index(0, 0, accounts);
        const QModelIndex reporting = model->index(1, 0, accounts);
        QCOMPARE(auditor.data().toString(), QStringLiteral("GRANT SELECT to auditor"));
        QCOMPARE(reporting.data().toString(), QStringLiteral("GRANT INSERT to reporting"));
        QCOMPARE(reporting.data(DiffChangeModel::GranteeRole).toString(),
                 QStringLiteral("reporting"));
        QCOMPARE(model->parent(reporting), accounts);
        QCOMPARE(reporting.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QVERIFY(model->flags(reporting) & Qt::ItemIsUserCheckable);
        QCOMPARE(
            DiffChangeModel::privilegeChangeText(QStringLiteral("PUBLIC"),
                                                 QStringLiteral("SELECT, UPDATE"),
                                                 QStringLiteral("SELECT*")),
            QStringLiteral(
                "GRANT SELECT WITH GRANT OPTION to PUBLIC; REVOKE SELECT, UPDATE from PUBLIC"));

        // Selected: that role's lines of each side, face to face.
        tree->expand(accounts);
        tree->selectionModel()->setCurrentIndex(reporting, QItemSelectionModel::ClearAndSelect |
                                                               QItemSelectionModel::Rows);
        QTRY_COMPARE(fromDdl->toPlainText(),
                     QStringLiteral("GRANT SELECT ON TABLE public.accounts TO reporting;"));
        QTRY_COMPARE(toDdl->toPlainText(),
                     QStringLiteral("GRANT INSERT, SELECT ON TABLE public.accounts TO reporting;"));
        tree->selectionModel()->setCurrentIndex(auditor, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        QTRY_VERIFY(fromDdl->isShowingMessage());
        QVERIFY(
            fromDdl->toPlainText().contains(QStringLiteral("auditor is granted nothing on it")));
        QTRY_COMPARE(toDdl->toPlainText(),
                     QStringLiteral("GRANT SELECT ON TABLE public.accounts TO auditor;"));

        // A new object: what it is granted beyond what every new object holds.
        const QModelIndex auditLog =
            changeRow(model, QStringLiteral("public.audit_log"), ObjectKind::Table);
        const QModelIndex secret =
            changeRow(model, QStringLiteral("public.secret()"), ObjectKind::Function);
        QVERIFY(auditLog.isValid() && secret.isValid());
        QCOMPARE(model->rowCount(auditLog), 1);
        QCOMPARE(model->index(0, 0, auditLog).data().toString(),
                 QStringLiteral("GRANT SELECT to reporting"));
        QCOMPARE(model->rowCount(secret), 1);
        QCOMPARE(model->index(0, 0, secret).data().toString(),
                 QStringLiteral("REVOKE EXECUTE from PUBLIC"));
        QTRY_VERIFY(sqlWith("GRANT SELECT ON TABLE public.audit_log TO reporting;") &&
                    sqlWith("REVOKE ALL ON FUNCTION public.secret() FROM PUBLIC;"));
        QVERIFY(model->setData(model->index(0, 0, auditLog), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(model->setData(model->index(0, 0, secret), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(model->isIncluded(
            auditLog.data(DiffChangeModel::ChangePositionRole).toInt())); // still created
        QTRY_VERIFY(sqlWith("CREATE TABLE public.audit_log") &&
                    !sqlWith("ON TABLE public.audit_log TO reporting"));
        QVERIFY(sqlWith("CREATE OR REPLACE FUNCTION public.secret()"));
        QVERIFY(!sqlWith("public.secret() FROM PUBLIC"));

        // Everything is in the SQL until a role is unticked (a click on its box).
        QTRY_VERIFY(window->sqlText().contains(QStringLiteral("TO auditor;")));
        const QRect box = tree->visualRect(auditor);
        QTest::mouseClick(
            tree->viewport(), Qt::LeftButton, {},
            QPoint(box.left() + tree->style()->pixelMetric(QStyle::PM_IndicatorWidth) / 2 + 4,
                   box.center().y()));
        QTRY_COMPARE(auditor.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QCOMPARE(accounts.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::PartiallyChecked);
        QCOMPARE(model->index(model->groupRowOf(ObjectKind::Table), 0)
                     .data(Qt::CheckStateRole)
                     .value<Qt::CheckState>(),
                 Qt::PartiallyChecked);
        QTRY_VERIFY(sqlWith("COMMENT ON TABLE") && !sqlWith("ON TABLE public.accounts TO auditor"));
        QVERIFY(window->sqlText().contains(
            QStringLiteral("GRANT SELECT ON TABLE public.ledger TO auditor;")));
        QVERIFY(window->sqlText().contains(QStringLiteral("TO reporting;")));
        QVERIFY(window->sqlText().contains(
            QStringLiteral("COMMENT ON TABLE public.accounts IS 'new';")));

        // Both roles unticked: the comment is still a change of its own.
        QVERIFY(model->setData(reporting, Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(model->isIncluded(accounts.data(DiffChangeModel::ChangePositionRole).toInt()));
        QTRY_VERIFY(sqlWith("COMMENT ON TABLE") && !sqlWith("reporting"));
        QVERIFY(window->sqlText().contains(
            QStringLiteral("COMMENT ON TABLE public.accounts IS 'new';")));

        // A change that is only privileges goes out as a whole with its last role.
        const int ledgerPosition = ledger.data(DiffChangeModel::ChangePositionRole).toInt();
        QVERIFY(model->setData(model->index(0, 0, ledger), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!model->isIncluded(ledgerPosition));
        QCOMPARE(ledger.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QTRY_VERIFY(sqlWith("COMMENT ON TABLE") && !sqlWith("public.ledger"));

        // Ticking one role of an unticked change brings the change back with that role only.
        QVERIFY(model->setData(accounts, Qt::Unchecked, Qt::CheckStateRole));
        QTRY_VERIFY(sqlWith("-- ParityDeck") && !sqlWith("public.accounts"));
        QVERIFY(model->setData(auditor, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(auditor.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QCOMPARE(reporting.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QTRY_VERIFY(window->sqlText().contains(
            QStringLiteral("GRANT SELECT ON TABLE public.accounts TO auditor;")));
        QVERIFY(!window->sqlText().contains(QStringLiteral("reporting")));

        // The change's own box takes every role along.
        QVERIFY(model->setData(accounts, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(reporting.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QCOMPARE(accounts.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QTRY_VERIFY(window->sqlText().contains(
            QStringLiteral("GRANT INSERT, SELECT ON TABLE public.accounts TO reporting;")));
    }

    void summaryCountsInWords()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        SchemaDiff one;
        one.changes << change(ChangeType::Added, ObjectKind::Table,
                              QStringLiteral("table public.a"), QStringLiteral("public.a"), false);
        window->showDiff(one, QStringLiteral("x"), QStringLiteral("y"));
        auto *summary = find<QLabel>(window, QStringLiteral("diffSummary"));
        QCOMPARE(summary->text(), QStringLiteral("1 change, 0 destructive"));
        QVERIFY(window->model()
                    ->index(0, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("1 change —")));
        one.changes << change(ChangeType::Removed, ObjectKind::Table,
                              QStringLiteral("table public.b"), QStringLiteral("public.b"), true);
        window->showDiff(one, QStringLiteral("x"), QStringLiteral("y"));
        QCOMPARE(summary->text(), QStringLiteral("2 changes, 1 destructive"));
        QVERIFY(window->model()
                    ->index(0, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("2 changes —")));
    }

    void namesAreShownWholeWhileThePaneHasRoom()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->resize(1400, 860);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        auto *tree = find<QTreeView>(window, QStringLiteral("diffTree"));
        // The left pane is narrower than name and change texts at their widest; the
        // Change column gives way and every name on screen fits its column.
        const auto allFit = [&] {
            const int nameWidth = tree->header()->sectionSize(DiffChangeModel::NameColumn);
            for (QModelIndex row = tree->indexAt(QPoint(1, 1)); row.isValid();
                 row = tree->indexBelow(row)) {
                QFont font = tree->font();
                if (const QVariant f = row.data(Qt::FontRole); f.isValid())
                    font = f.value<QFont>();
                const int depth = row.parent().isValid() ? 2 : 1;
                // Indentation, tick box, icon, text.
                const int needed = depth * tree->indentation() +
                                   tree->style()->pixelMetric(QStyle::PM_IndicatorWidth) +
                                   tree->style()->pixelMetric(QStyle::PM_SmallIconSize) +
                                   QFontMetrics(font).horizontalAdvance(row.data().toString());
                if (needed > nameWidth)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY(allFit());
        QVERIFY(tree->header()->sectionSize(DiffChangeModel::ChangeColumn) >=
                QFontMetrics(tree->font()).horizontalAdvance(QStringLiteral("removed")));
        // Only when the pane really is too narrow is a name shortened.
        auto *splitter = find<QSplitter>(window, QStringLiteral("diffMainSplitter"));
        splitter->setSizes({260, 1100});
        QTRY_VERIFY(!allFit());
        splitter->setSizes({700, 660});
        QTRY_VERIFY(allFit());
    }

    void swapSwapsTheSidesAndComparesAgain()
    {
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QCOMPARE(changeRow(window->model(), QStringLiteral("public.legacy"), ObjectKind::Table)
                     .siblingAtColumn(1)
                     .data(DiffChangeModel::ChangeTypeRole)
                     .toString(),
                 QStringLiteral("removed"));
        auto *swap = find<QPushButton>(window, QStringLiteral("diffSwap"));
        QVERIFY(swap);
        QCOMPARE(swap->accessibleName(), QStringLiteral("Swap From and To"));
        QTest::mouseClick(swap, Qt::LeftButton);
        QCOMPARE(find<QComboBox>(window, QStringLiteral("diffFrom"))->currentText(),
                 QStringLiteral("prod"));
        QCOMPARE(find<QComboBox>(window, QStringLiteral("diffTo"))->currentText(),
                 QStringLiteral("dev"));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeoutMs);
        QCOMPARE(find<QLabel>(window, QStringLiteral("diffFromTitle"))->text(),
                 QStringLiteral("From: prod"));
        QCOMPARE(find<QLabel>(window, QStringLiteral("diffToTitle"))->text(),
                 QStringLiteral("To: dev"));
        QCOMPARE(changeRow(window->model(), QStringLiteral("public.legacy"), ObjectKind::Table)
                     .siblingAtColumn(1)
                     .data(DiffChangeModel::ChangeTypeRole)
                     .toString(),
                 QStringLiteral("added"));
        QVERIFY(window->windowTitle().startsWith(QStringLiteral("prod → dev")));
    }

    void driftReviewOffersCaptureAndRevertThroughTheMigrationDialog()
    {
        QTemporaryDir dir;
        const Workspace ws = driftWorkspace(dir, QStringLiteral("shop"));
        QVERIFY(ws.environment(QStringLiteral("shop")));
        // The panel's monitor and controller, as the app wires them: the migration dialog
        // reads where it acts from the monitor and runs through the controller.
        StatusMonitor monitor(ws);
        EnvironmentController controller(&monitor);
        monitor.refresh(QStringLiteral("shop"));
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        window->setEnvironmentController(&controller);
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("migrations:shop"), QStringLiteral("shop"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QVERIFY2(window->errorText().isEmpty(), qPrintable(window->errorText()));
        QCOMPARE(window->driftEnvironment(), QStringLiteral("shop"));
        auto *capture = find<QPushButton>(window, QStringLiteral("diffCapture"));
        auto *revert = find<QPushButton>(window, QStringLiteral("diffRevert"));
        QVERIFY(capture->isVisible() && capture->isEnabled());
        QVERIFY(revert->isVisible() && revert->isEnabled());
        QCOMPARE(revert->accessibleName(), QStringLiteral("Revert shop to its migrations"));
        QVERIFY(
            !find<QPushButton>(window, QStringLiteral("diffOpenInMigrationDialog"))->isVisible());

        // Capture: the SQL that turns the migrations' schema into the live one, as a file.
        QSignalSpy saved(window, &DiffReviewWindow::migrationSaved);
        QTest::mouseClick(capture, Qt::LeftButton);
        QInputDialog *name = nullptr;
        QTRY_VERIFY((name = window->findChild<QInputDialog *>(
                         QStringLiteral("diffMigrationName"))) != nullptr);
        name->setTextValue(QStringLiteral("capture hotfix"));
        name->accept();
        QTRY_COMPARE(saved.count(), 1);
        const QString capturedPath = saved.first().first().toString();
        QFile captured(capturedPath);
        QVERIFY(captured.open(QIODevice::ReadOnly));
        const QString capturedSql = QString::fromUtf8(captured.readAll());
        QVERIFY2(capturedSql.contains(QStringLiteral("CREATE TABLE public.hotfix")),
                 qPrintable(capturedSql));
        QVERIFY(capturedSql.contains(QStringLiteral("ADD COLUMN note")));
        QVERIFY(QFile::remove(capturedPath)); // the migrations stay as they were for the revert

        // Revert: the migration dialog, in revert mode, shows the SQL and where it acts; on a
        // confirm environment Revert waits for the name.
        QSignalSpy finished(window, &DiffReviewWindow::revertFinished);
        QTest::mouseClick(revert, Qt::LeftButton);
        MigrationDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<MigrationDialog *>(
                         QStringLiteral("migrationDialog"))) != nullptr);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->isRevert());
        QCOMPARE(dialog->environment(), QStringLiteral("shop"));
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Revert shop to its migrations"));
        // The header says where it acts: environment, user@host:port/database, server
        // version (once the monitor has checked), protection.
        auto *target = find<QLabel>(dialog, QStringLiteral("targetLine"));
        const ConnectionParams params = m_pg.connectionParams(QStringLiteral("shop_db"));
        QVERIFY2(target->text().startsWith(QStringLiteral("shop · ")), qPrintable(target->text()));
        QVERIFY2(target->text().contains(QStringLiteral(":%1/shop_db").arg(params.port)),
                 qPrintable(target->text()));
        QVERIFY2(target->text().contains(QStringLiteral("protection: confirm")),
                 qPrintable(target->text()));
        QTRY_VERIFY2_WITH_TIMEOUT(target->text().contains(QStringLiteral("PostgreSQL 1")),
                                  qPrintable(target->text()), kTimeoutMs);
        auto *sql = find<QPlainTextEdit>(dialog, QStringLiteral("sqlText"));
        QVERIFY2(sql->toPlainText().contains(QStringLiteral("DROP TABLE public.hotfix")),
                 qPrintable(sql->toPlainText()));
        QVERIFY(!find<QWidget>(dialog, QStringLiteral("pendingList"))->isVisible());
        auto *apply = find<QPushButton>(dialog, QStringLiteral("applyButton"));
        auto *confirm = find<QLineEdit>(dialog, QStringLiteral("confirmName"));
        QCOMPARE(apply->accessibleName(), QStringLiteral("Revert shop to its migrations"));
        QVERIFY(confirm && confirm->isVisible());
        QTRY_VERIFY(find<QPushButton>(dialog, QStringLiteral("dryRunButton"))->isEnabled());
        QVERIFY(!apply->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("sho"));
        QVERIFY(!apply->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("p"));
        QVERIFY(apply->isEnabled());
        // Without "Include destructive changes" the drops are there, commented out, and the
        // note says which box puts them in; nothing destructive runs, so no warning.
        QVERIFY2(sql->toPlainText().contains(
                     QStringLiteral("-- (destructive, skipped: tick 'Include destructive changes' "
                                    "to include it) DROP TABLE public.hotfix")),
                 qPrintable(sql->toPlainText()));
        QVERIFY(!find<QWidget>(dialog, QStringLiteral("destructiveWarnings"))->isVisible());
        // The dialog's own "Include destructive changes" makes the SQL again with the drops;
        // Revert waits for it and stays tied to the typed name, and the destructive
        // statements are flagged as a migration's are.
        auto *unsafe = find<QCheckBox>(dialog, QStringLiteral("includeDestructive"));
        QVERIFY(unsafe && !unsafe->isChecked());
        unsafe->setChecked(true);
        QVERIFY(!apply->isEnabled());
        QTRY_VERIFY(sql->toPlainText().contains(QStringLiteral("\nDROP TABLE public.hotfix;")));
        QTRY_VERIFY(apply->isEnabled());
        QTRY_VERIFY(find<QWidget>(dialog, QStringLiteral("destructiveWarnings"))->isVisible());
        QVERIFY2(find<QLabel>(dialog, QStringLiteral("destructiveList"))
                     ->text()
                     .contains(QStringLiteral("DROP TABLE")),
                 qPrintable(find<QLabel>(dialog, QStringLiteral("destructiveList"))->text()));
        QVERIFY(find<QCheckBox>(window, QStringLiteral("diffUnsafe"))->isChecked());
        // A dry run checks that shop is as it was compared and lists what would run.
        QTest::mouseClick(find<QPushButton>(dialog, QStringLiteral("dryRunButton")),
                          Qt::LeftButton);
        auto *result = find<QLabel>(dialog, QStringLiteral("resultText"));
        QTRY_COMPARE_WITH_TIMEOUT(result->text(), QStringLiteral("Dry run: nothing was changed."),
                                  kTimeoutMs);
        QVERIFY2(find<QPlainTextEdit>(dialog, QStringLiteral("dryRunOutput"))
                     ->toPlainText()
                     .contains(QStringLiteral("DROP TABLE public.hotfix")),
                 qPrintable(
                     find<QPlainTextEdit>(dialog, QStringLiteral("dryRunOutput"))->toPlainText()));
        QVERIFY(m_pg.exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("shop_db")).ok());
        QTRY_VERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(finished.first().at(1).toBool(), true);
        QVERIFY(!m_pg.exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("shop_db")).ok());
        // The dialog keeps what ran and says it; Revert cannot run twice on the old review.
        QTRY_VERIFY2(result->text().startsWith(QStringLiteral("Reverted shop to its migrations: ")),
                     qPrintable(result->text()));
        auto *progress = find<QListWidget>(dialog, QStringLiteral("progressList"));
        QVERIFY(progress->isVisible() && progress->count() == 1);
        QVERIFY2(progress->item(0)->text().startsWith(QStringLiteral("✓ revert of shop")),
                 qPrintable(progress->item(0)->text()));
        QVERIFY(!apply->isEnabled());
        // Audited as a revert, naming the reviewed schema and the objects.
        AuditFilter filter;
        filter.environment = QStringLiteral("shop");
        filter.action = QStringLiteral("revert");
        auto lines = AuditLog().read(filter);
        QVERIFY(lines.ok());
        QCOMPARE(lines->size(), 2); // started, then ok
        QCOMPARE(lines->constFirst().outcome, AuditOutcome::Started);
        const AuditEntry done = lines->constLast();
        QCOMPARE(done.outcome, AuditOutcome::Ok);
        QCOMPARE(done.operation, lines->constFirst().operation);
        QVERIFY2(done.target.startsWith(QStringLiteral("schema ")) && done.target.size() == 19,
                 qPrintable(done.target));
        QVERIFY2(done.detail.contains(QStringLiteral("public.hotfix")) &&
                     done.detail.contains(QStringLiteral("note")),
                 qPrintable(done.detail));
        // Compared again: in step with the migrations now.
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeoutMs);
        QVERIFY(window->model()->diff().isEmpty());
    }

    void revertWithoutAPanelControllerSaysWhereItWorks()
    {
        QTemporaryDir dir;
        const Workspace ws = driftWorkspace(dir, QStringLiteral("lone"), Protection::None);
        QVERIFY(ws.environment(QStringLiteral("lone")));
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("migrations:lone"), QStringLiteral("lone"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        auto *revert = find<QPushButton>(window, QStringLiteral("diffRevert"));
        QVERIFY(revert->isVisible());
        QVERIFY(!revert->isEnabled());
        QVERIFY2(revert->toolTip().contains(QStringLiteral("main window")),
                 qPrintable(revert->toolTip()));
        QVERIFY(find<QPushButton>(window, QStringLiteral("diffCapture"))->isEnabled());
    }

    void revertOfAnUnprotectedEnvironmentIsRefusedWhenItChangedSinceTheReview()
    {
        QTemporaryDir dir;
        const Workspace ws = driftWorkspace(dir, QStringLiteral("moved"), Protection::None);
        QVERIFY(ws.environment(QStringLiteral("moved")));
        StatusMonitor monitor(ws);
        EnvironmentController controller(&monitor);
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        window->setEnvironmentController(&controller);
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("moved"), QStringLiteral("migrations:moved"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QTest::mouseClick(find<QPushButton>(window, QStringLiteral("diffRevert")), Qt::LeftButton);
        MigrationDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<MigrationDialog *>(
                         QStringLiteral("migrationDialog"))) != nullptr);
        // Unprotected: no name to type.
        QVERIFY(find<QLineEdit>(dialog, QStringLiteral("confirmName")) == nullptr);
        auto *apply = find<QPushButton>(dialog, QStringLiteral("applyButton"));
        QTRY_VERIFY(apply->isEnabled());
        // Someone changes the schema after the review: the reviewed SQL must not run.
        QVERIFY(m_pg.exec(QStringLiteral("CREATE TABLE later (id int)"), QStringLiteral("moved_db"))
                    .ok());
        QSignalSpy finished(window, &DiffReviewWindow::revertFinished);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(finished.first().at(1).toBool(), false);
        auto *result = find<QLabel>(dialog, QStringLiteral("resultText"));
        QVERIFY2(result->text().contains(QStringLiteral("changed since it was compared")),
                 qPrintable(result->text()));
        QVERIFY(m_pg.exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("moved_db")).ok());
        AuditFilter filter;
        filter.environment = QStringLiteral("moved");
        filter.action = QStringLiteral("revert");
        auto lines = AuditLog().read(filter);
        QVERIFY(lines.ok() && !lines->isEmpty());
        QCOMPARE(lines->constLast().outcome, AuditOutcome::Failed);
    }

    void revertIsRefusedOnAReadOnlyEnvironmentAndSaysWhy()
    {
        QTemporaryDir dir;
        const Workspace ws = driftWorkspace(dir, QStringLiteral("vault"), Protection::ReadOnly);
        QVERIFY(ws.environment(QStringLiteral("vault")));
        StatusMonitor monitor(ws);
        EnvironmentController controller(&monitor);
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        window->setEnvironmentController(&controller);
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        // The other way round too: the live side first.
        window->compareSides(QStringLiteral("vault"), QStringLiteral("migrations:vault"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QCOMPARE(window->driftEnvironment(), QStringLiteral("vault"));
        auto *revert = find<QPushButton>(window, QStringLiteral("diffRevert"));
        QVERIFY(revert->isVisible());
        QVERIFY(!revert->isEnabled());
        QVERIFY2(revert->toolTip().contains(QStringLiteral("read-only")),
                 qPrintable(revert->toolTip()));
        // Capture stays available: it only writes a file.
        QVERIFY(find<QPushButton>(window, QStringLiteral("diffCapture"))->isEnabled());
        QTest::mouseClick(revert, Qt::LeftButton);
        QTest::qWait(300);
        QVERIFY(window->findChild<MigrationDialog *>() == nullptr);
        QVERIFY(m_pg.exec(QStringLiteral("SELECT 1 FROM hotfix"), QStringLiteral("vault_db")).ok());
    }

    void highlightedSqlIsReadableInLightAndDarkPalettes()
    {
        const auto luminance = [](const QColor &c) {
            const auto channel = [](double v) {
                v /= 255.0;
                return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
            };
            return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) +
                   0.0722 * channel(c.blue());
        };
        const auto contrast = [&](const QColor &a, const QColor &b) {
            const double la = luminance(a);
            const double lb = luminance(b);
            return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
        };
        using T = SqlHighlighter::Token;
        // The panes' bases (light and dark palettes, ui/theme.cpp) and every changed-line
        // and changed-word tint of both sides.
        QList<QColor> bases{QColor(Qt::white), QColor(32, 33, 36)};
        for (const DdlView::Side side : {DdlView::Side::From, DdlView::Side::To})
            for (const bool words : {false, true})
                for (const bool darkBase : {false, true})
                    bases << DdlView::changeTint(side, words, darkBase);
        for (const QColor &base : std::as_const(bases)) {
            const bool dark = base.lightness() < 128;
            for (T token : {T::Keyword, T::String, T::Comment, T::QuotedIdentifier, T::Number}) {
                const QColor colour =
                    SqlHighlighter::format(token, dark ? QColor(32, 33, 36) : QColor(Qt::white))
                        .foreground()
                        .color();
                QVERIFY2(contrast(colour, base) >= 4.5,
                         qPrintable(QStringLiteral("token %1 on %2: %3")
                                        .arg(int(token))
                                        .arg(base.name())
                                        .arg(contrast(colour, base))));
            }
        }
        // The highlighter marks what it should in a pane.
        QPlainTextEdit edit;
        auto *highlighter = new SqlHighlighter(edit.document());
        Q_UNUSED(highlighter);
        edit.setPlainText(QStringLiteral(
            "CREATE TABLE \"Odd\" (n numeric DEFAULT 42, s text DEFAULT 'it''s'); -- note\n"
            "/* spans\nlines */ SELECT $body$ x\n y $body$;"));
        const auto formatAt = [&edit](int block, int column) {
            const QTextBlock b = edit.document()->findBlockByNumber(block);
            for (const QTextLayout::FormatRange &range : b.layout()->formats())
                if (column >= range.start && column < range.start + range.length)
                    return range.format;
            return QTextCharFormat();
        };
        const QColor white(Qt::white);
        const QColor base = QGuiApplication::palette().color(QPalette::Base);
        Q_UNUSED(white);
        const QString line = edit.document()->firstBlock().text();
        QCOMPARE(formatAt(0, 0).foreground().color(),
                 SqlHighlighter::format(T::Keyword, base).foreground().color());
        QCOMPARE(formatAt(0, int(line.indexOf(QLatin1Char('"')))).foreground().color(),
                 SqlHighlighter::format(T::QuotedIdentifier, base).foreground().color());
        QCOMPARE(formatAt(0, int(line.indexOf(QStringLiteral("42")))).foreground().color(),
                 SqlHighlighter::format(T::Number, base).foreground().color());
        QCOMPARE(formatAt(0, int(line.indexOf(QStringLiteral("'it")) + 3)).foreground().color(),
                 SqlHighlighter::format(T::String, base).foreground().color());
        QCOMPARE(formatAt(0, int(line.indexOf(QStringLiteral("note")))).foreground().color(),
                 SqlHighlighter::format(T::Comment, base).foreground().color());
        QVERIFY(formatAt(0, int(line.indexOf(QStringLiteral("n numeric")))).foreground().style() ==
                Qt::NoBrush);
        QCOMPARE(formatAt(2, 1).foreground().color(),
                 SqlHighlighter::format(T::Comment, base).foreground().color());
        QCOMPARE(formatAt(3, 1).foreground().color(),
                 SqlHighlighter::format(T::String, base).foreground().color());
    }

    void sqlColoursFollowAThemeSwitch()
    {
        applyTheme(Theme::Light);
        const auto restore = qScopeGuard([] { applyTheme(Theme::System); });
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        QTRY_VERIFY(window->sqlText().contains(QStringLiteral("CREATE TABLE public.invoices")));
        auto *sql = find<QPlainTextEdit>(window, QStringLiteral("diffSql"));
        const auto keywordColour = [sql] {
            for (QTextBlock block = sql->document()->firstBlock(); block.isValid();
                 block = block.next()) {
                if (!block.text().startsWith(QLatin1String("CREATE TABLE")))
                    continue;
                for (const QTextLayout::FormatRange &range : block.layout()->formats())
                    if (range.start == 0)
                        return range.format.foreground().color();
            }
            return QColor();
        };
        const QColor lightKeyword =
            SqlHighlighter::format(SqlHighlighter::Token::Keyword, QColor(Qt::white))
                .foreground()
                .color();
        const QColor darkKeyword =
            SqlHighlighter::format(SqlHighlighter::Token::Keyword, QColor(32, 33, 36))
                .foreground()
                .color();
        QVERIFY(lightKeyword != darkKeyword);
        QTRY_COMPARE(keywordColour(), lightKeyword);
        applyTheme(Theme::Dark);
        QTRY_COMPARE(keywordColour(), darkKeyword);
    }

    void screenshotsInLightAndDark()
    {
        const QString out = qEnvironmentVariable("PD_SCREENSHOT_DIR");
        if (out.isEmpty())
            QSKIP("set PD_SCREENSHOT_DIR to write screenshots of the review window");
        for (const Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
            const auto cleanup = qScopeGuard([&] { delete window; });
            QSignalSpy shown(window, &DiffReviewWindow::diffShown);
            window->resize(1280, 800); // the size of docs/screenshots/diff-review*.png
            window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
            window->show();
            QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
            auto *tree = find<QTreeView>(window, QStringLiteral("diffTree"));
            const QModelIndex email = changeRow(
                window->model(), QStringLiteral("public.customers.email"), ObjectKind::Column);
            tree->selectionModel()->setCurrentIndex(email, QItemSelectionModel::ClearAndSelect |
                                                               QItemSelectionModel::Rows);
            QTRY_VERIFY(find<DdlView>(window, QStringLiteral("diffToDdl"))
                            ->toPlainText()
                            .contains(QStringLiteral("created_at")));
            QTRY_VERIFY(window->sqlText().contains(QStringLiteral("ALTER")));
            QTest::qWait(200);
            QVERIFY(window->grab().save(
                QStringLiteral("%1/diff-review-%2.png").arg(out, themeName(theme))));
        }
        applyTheme(Theme::System);
        // A drift review with both remedies, and the revert dialog of a confirm environment.
        QTemporaryDir dir;
        const Workspace ws = driftWorkspace(dir, QStringLiteral("shot"));
        QVERIFY(ws.environment(QStringLiteral("shot")));
        StatusMonitor monitor(ws);
        EnvironmentController controller(&monitor);
        monitor.refresh(QStringLiteral("shot"));
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        window->setEnvironmentController(&controller);
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->resize(1280, 800);
        window->compareSides(QStringLiteral("migrations:shot"), QStringLiteral("shot"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        QTRY_VERIFY(window->sqlText().contains(QStringLiteral("hotfix")));
        QTest::qWait(200); // the highlighter colours the new script on the next turn
        QVERIFY(window->grab().save(QStringLiteral("%1/diff-review-drift.png").arg(out)));
        QTest::mouseClick(find<QPushButton>(window, QStringLiteral("diffRevert")), Qt::LeftButton);
        MigrationDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window->findChild<MigrationDialog *>(
                         QStringLiteral("migrationDialog"))) != nullptr);
        find<QCheckBox>(dialog, QStringLiteral("includeDestructive"))->setChecked(true);
        QTRY_VERIFY(find<QPlainTextEdit>(dialog, QStringLiteral("sqlText"))
                        ->toPlainText()
                        .contains(QStringLiteral("\nDROP TABLE")));
        QTRY_VERIFY(find<QLabel>(dialog, QStringLiteral("targetLine"))
                        ->text()
                        .contains(QStringLiteral("PostgreSQL")));
        QTest::keyClicks(find<QLineEdit>(dialog, QStringLiteral("confirmName")),
                         QStringLiteral("sho"));
        QTest::qWait(200);
        QVERIFY(dialog->grab().save(QStringLiteral("%1/diff-review-revert.png").arg(out)));
    }

    void lineDiffMarksOnlyWhatDiffers()
    {
        const LineDiff d = diffLines(
            {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")},
            {QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("c"), QStringLiteral("d"),
             QStringLiteral("e")});
        QCOMPARE(d.fromChanged, (QVector<bool>{false, true, false, false}));
        QCOMPARE(d.toChanged, (QVector<bool>{false, true, false, false, true}));
        // A column that gains or loses its trailing comma is not a change.
        const LineDiff commas =
            diffLines({QStringLiteral("    a int,"), QStringLiteral("    b text")},
                      {QStringLiteral("    a int,"), QStringLiteral("    b text,"),
                       QStringLiteral("    c date")});
        QCOMPARE(commas.fromChanged, (QVector<bool>{false, false}));
        QCOMPARE(commas.toChanged, (QVector<bool>{false, false, true}));
    }

private:
    // A workspace with one migration and environment `name` (protection: confirm) whose
    // database had it applied and was then changed by hand: a table and a column added.
    // No environment `name` when something failed (the caller checks).
    Workspace driftWorkspace(const QTemporaryDir &dir, const QString &name,
                             Protection protection = Protection::Confirm)
    {
        Workspace ws = m_workspace;
        ws.rootDir = dir.path();
        ws.filePath = dir.filePath(QStringLiteral("paritydeck.yaml"));
        ws.migrations.dir = QStringLiteral("migrations");
        const QString db = name + QStringLiteral("_db");
        if (!QDir(dir.path()).mkpath(QStringLiteral("migrations")) ||
            !writeText(
                dir.filePath(QStringLiteral("migrations/0001_accounts.sql")),
                QStringLiteral("CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n")) ||
            !m_pg.createDatabase(db).ok())
            return {};
        auto set = MigrationSource::load(ws);
        if (!set)
            return {};
        ApplyOptions options;
        options.environment = QStringLiteral("setup");
        if (!MigrationRunner::apply(m_pg.connectionParams(db), *set, options).ok() ||
            !m_pg.exec(
                     QStringLiteral(
                         "CREATE TABLE hotfix (id int); ALTER TABLE accounts ADD COLUMN note text"),
                     db)
                 .ok())
            return {};
        EnvironmentConfig env;
        env.name = name;
        env.database.url = m_pg.url(db);
        env.protection = protection;
        // dev (unprotected) stays first: the expected schema is built on its server.
        ws.environments.append(env);
        return ws;
    }

    QTemporaryDir m_state;
    QTemporaryDir m_dir;
    PgCluster m_pg;
    Workspace m_workspace;
};

QTEST_MAIN(TestDiffReview)
#include "tst_diffreview.moc"
