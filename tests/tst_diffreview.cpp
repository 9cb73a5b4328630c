// The diff review window against two real databases that differ in known ways (a table
// added, a table removed, a column retyped, a column dropped, a column and an index
// added), offscreen: group counts, destructive marking, the filter and the "only
// destructive" toggle, the SQL pane against the generator, the DDL panes, saving a
// migration, saving and opening the migration dialog, a .sql file side and a migrations:ENV side (shadow databases), inline errors
// and cancel. Plus the
// model alone on a 5,000-table diff built in memory: lazy and filterable.
#include "diffreview/ddlview.h"
#include "diffreview/diffchangemodel.h"
#include "diffreview/diffreviewwindow.h"
#include "diffreview/diffreviewwork.h"
#include "migrations/migrationrunner.h"
#include "migrations/migrationsource.h"
#include "pgcluster.h"
#include "schema/sqlgenerator.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

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

ObjectChange change(ChangeType type, ObjectKind kind, const QString &id, const QString &name, bool destructive)
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
        for (const auto &[name, db] : {std::pair{QStringLiteral("dev"), QStringLiteral("from_db")},
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
        QCOMPARE(model->index(tables, 1).data().toString(), QStringLiteral("+1 −1 · 1 destructive"));
        QVERIFY(model->index(tables, 0).data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("1 added, 1 removed")));
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
        const QModelIndex legacy = changeRow(model, QStringLiteral("public.legacy"), ObjectKind::Table);
        QVERIFY(legacy.isValid());
        QVERIFY(legacy.data(DiffChangeModel::DestructiveRole).toBool());
        QVERIFY(legacy.siblingAtColumn(1).data().toString().contains(QStringLiteral("destructive")));
        QVERIFY(legacy.data(Qt::ForegroundRole).isValid());
        QVERIFY(legacy.data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(legacy.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("destructive")));
        const QModelIndex invoices = changeRow(model, QStringLiteral("public.invoices"), ObjectKind::Table);
        QVERIFY(invoices.isValid());
        QVERIFY(!invoices.data(DiffChangeModel::DestructiveRole).toBool());
        QVERIFY(!invoices.siblingAtColumn(1).data().toString().contains(QStringLiteral("destructive")));
        QVERIFY(!invoices.data(Qt::ForegroundRole).isValid());
        const QModelIndex email = changeRow(model, QStringLiteral("public.customers.email"), ObjectKind::Column);
        QVERIFY(email.isValid());
        QVERIFY(email.data(DiffChangeModel::DestructiveRole).toBool()); // a type change casts values
        const QModelIndex created = changeRow(model, QStringLiteral("public.customers.created_at"), ObjectKind::Column);
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
        QCOMPARE(model->index(0, 0, model->index(tables, 0)).data().toString(), QStringLiteral("public.legacy"));
        QVERIFY(find<QLabel>(window, QStringLiteral("diffSummary"))->text().startsWith(QStringLiteral("4 of ")));

        // Two words must both match.
        filter->setText(QStringLiteral("customers added"));
        QTRY_COMPARE(model->visibleChangeCount(), 1);
        QCOMPARE(model->changePositions(model->indexOfChange(model->changePositions(
                     model->index(model->groupRowOf(ObjectKind::Column), 0)).value(0, -1))).size(), 1);

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
                QVERIFY(model->index(row, 0, parent).data(DiffChangeModel::DestructiveRole).toBool());
        }
        QVERIFY(!changeRow(model, QStringLiteral("public.invoices"), ObjectKind::Table).isValid());
        QVERIFY(changeRow(model, QStringLiteral("public.orders.note"), ObjectKind::Column).isValid());
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
        // without "Include destructive statements" the DROP is there, commented out.
        const QModelIndex legacy = changeRow(model, QStringLiteral("public.legacy"), ObjectKind::Table);
        QVERIFY(legacy.isValid());
        const int legacyPosition = legacy.data(DiffChangeModel::ChangePositionRole).toInt();
        tree->selectionModel()->setCurrentIndex(legacy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const SchemaDiff legacyPart = selectionDiff(diff, selectionClosure(diff, {legacyPosition}));
        QCOMPARE(legacyPart.changes.size(), 4); // table, two columns, primary key
        QTRY_COMPARE(window->sqlText(), generateSql(legacyPart, reviewSqlOptions(false)));
        QVERIFY(window->sqlText().contains(QStringLiteral("-- (destructive, skipped without --unsafe) DROP TABLE public.legacy")));
        QTRY_VERIFY(!toDdl->isShowingMessage() || toDdl->toPlainText().contains(QStringLiteral("Not in prod")));
        QTRY_VERIFY(fromDdl->toPlainText().contains(QStringLiteral("CREATE TABLE public.legacy")));
        QVERIFY(toDdl->isShowingMessage());
        QVERIFY(toDdl->toPlainText().contains(QStringLiteral("Not in prod")));

        auto *unsafe = find<QCheckBox>(window, QStringLiteral("diffUnsafe"));
        unsafe->setChecked(true);
        QTRY_COMPARE(window->sqlText(), generateSql(legacyPart, reviewSqlOptions(true)));
        QVERIFY(window->sqlText().contains(QStringLiteral("\nDROP TABLE public.legacy;")));
        unsafe->setChecked(false);

        // A retyped column: both sides show the whole table, the column's line marked.
        const QModelIndex email = changeRow(model, QStringLiteral("public.customers.email"), ObjectKind::Column);
        QVERIFY(email.isValid());
        ddlUpdated.clear();
        tree->selectionModel()->setCurrentIndex(email, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTRY_VERIFY(ddlUpdated.count() >= 1);
        QTRY_VERIFY(toDdl->toPlainText().contains(QStringLiteral("CREATE TABLE public.customers")));
        QVERIFY(fromDdl->toPlainText().contains(QStringLiteral("CREATE TABLE public.customers")));
        const QStringList fromChanged = fromDdl->changedLines();
        const QStringList toChanged = toDdl->changedLines();
        QVERIFY2(fromChanged.size() == 1 && fromChanged.first().contains(QStringLiteral("email text")),
                 qPrintable(fromChanged.join(QLatin1Char('|'))));
        QVERIFY2(toChanged.size() == 2, qPrintable(toChanged.join(QLatin1Char('|'))));
        QVERIFY(toChanged.at(0).contains(QStringLiteral("email character varying(200)")));
        QVERIFY(toChanged.at(1).contains(QStringLiteral("created_at")));
        const int emailPosition = email.data(DiffChangeModel::ChangePositionRole).toInt();
        QTRY_COMPARE(window->sqlText(), generateSql(selectionDiff(diff, {emailPosition}), reviewSqlOptions(false)));

        // Several rows at once: the SQL covers all of them.
        const QModelIndex created = changeRow(model, QStringLiteral("public.customers.created_at"), ObjectKind::Column);
        tree->selectionModel()->select(created, QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QList<int> both{emailPosition, created.data(DiffChangeModel::ChangePositionRole).toInt()};
        std::sort(both.begin(), both.end());
        QTRY_COMPARE(window->sqlText(), generateSql(selectionDiff(diff, both), reviewSqlOptions(false)));
        QVERIFY(window->sqlText().contains(QStringLiteral("ADD COLUMN created_at")));

        // Everything.
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        QTRY_COMPARE(window->sqlText(), generateSql(diff, reviewSqlOptions(false)));
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
        QVERIFY(writeText(dir.filePath(QStringLiteral("migrations/0007_base.sql")), QStringLiteral("SELECT 1;\n")));
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(ws);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        QSignalSpy saved(window, &DiffReviewWindow::migrationSaved);
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        find<QRadioButton>(window, QStringLiteral("diffScopeAll"))->setChecked(true);
        auto *save = find<QPushButton>(window, QStringLiteral("diffSaveMigration"));
        QTRY_VERIFY(save->isEnabled() && window->sqlText().contains(QStringLiteral("CREATE TABLE public.invoices")));
        QTest::mouseClick(save, Qt::LeftButton);
        QInputDialog *name = nullptr;
        QTRY_VERIFY((name = window->findChild<QInputDialog *>(QStringLiteral("diffMigrationName"))) != nullptr);
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
        QVERIFY(find<QLabel>(window, QStringLiteral("diffStatus"))->text().contains(QStringLiteral("0008_add_invoices.sql")));
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
        QVERIFY(writeText(dir.filePath(QStringLiteral("migrations/0003_base.sql")), QStringLiteral("SELECT 1;\n")));

        // Nobody connected: disabled, and the tooltip says why.
        {
            QPointer<DiffReviewWindow> alone = new DiffReviewWindow(ws);
            const auto cleanup = qScopeGuard([&] { delete alone; });
            QSignalSpy sqlUpdated(alone, &DiffReviewWindow::sqlUpdated);
            alone->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
            QTRY_VERIFY_WITH_TIMEOUT(sqlUpdated.count() >= 1 && !alone->sqlText().startsWith(QStringLiteral("-- Generating")),
                                     kTimeoutMs);
            auto *button = find<QPushButton>(alone, QStringLiteral("diffOpenInMigrationDialog"));
            QVERIFY(find<QPushButton>(alone, QStringLiteral("diffSaveMigration"))->isEnabled());
            QVERIFY(!button->isEnabled());
            QVERIFY2(button->toolTip().contains(QStringLiteral("main window")), qPrintable(button->toolTip()));
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
        QVERIFY2(button->toolTip().contains(QStringLiteral("not an environment")), qPrintable(button->toolTip()));

        // FROM dev: enabled; it asks for a name, writes the next file and names dev.
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kTimeoutMs);
        QTRY_VERIFY(button->isEnabled() && window->sqlText().contains(QStringLiteral("CREATE TABLE public.invoices")));
        QVERIFY2(button->toolTip().contains(QStringLiteral("migration dialog of dev")), qPrintable(button->toolTip()));
        const QString sql = window->sqlText();
        QTest::mouseClick(button, Qt::LeftButton);
        QInputDialog *name = nullptr;
        QTRY_VERIFY((name = window->findChild<QInputDialog *>(QStringLiteral("diffMigrationName"))) != nullptr);
        QVERIFY(name->labelText().contains(QStringLiteral("dev")));
        name->setTextValue(QStringLiteral("Sync dev"));
        name->accept();
        QTRY_COMPARE_WITH_TIMEOUT(requested.count(), 1, kTimeoutMs);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(requested.first().at(0).toString(), QStringLiteral("dev"));
        const QString path = requested.first().at(1).toString();
        QCOMPARE(path, saved.first().first().toString());
        QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("0004_sync_dev.sql"));
        QCOMPARE(QFileInfo(path).absolutePath(), QDir(dir.filePath(QStringLiteral("migrations"))).absolutePath());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString written = QString::fromUtf8(file.readAll());
        QCOMPARE(written, sql.endsWith(QLatin1Char('\n')) ? sql : sql + QLatin1Char('\n'));
        QVERIFY(written.contains(QStringLiteral("CREATE TABLE public.invoices")));
        // The workspace's migrations now list it as the next one, pending wherever it is not applied.
        const auto source = MigrationSource::load(ws);
        QVERIFY2(source.ok(), qPrintable(source ? QString() : source.error().message));
        QCOMPARE(source->migrations.size(), 2);
        QCOMPARE(source->migrations.last().version, QStringLiteral("0004"));
        QCOMPARE(QString::fromUtf8(source->migrations.last().upSql).trimmed(), sql.trimmed());
    }

    void sqlFileSideIsLoadedIntoAShadowDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("schema.sql"));
        QVERIFY(writeText(path, QStringLiteral("CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text);\n"
                                               "CREATE TABLE only_in_file (id integer);\n")));
        QPointer<DiffReviewWindow> window = new DiffReviewWindow(m_workspace);
        const auto cleanup = qScopeGuard([&] { delete window; });
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        window->compareSides(path, QStringLiteral("dev"));
        window->show();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kTimeoutMs);
        QVERIFY2(window->errorText().isEmpty(), qPrintable(window->errorText()));
        const DiffChangeModel *model = window->model();
        QVERIFY(changeRow(model, QStringLiteral("public.only_in_file"), ObjectKind::Table).isValid());
        QVERIFY(changeRow(model, QStringLiteral("public.orders"), ObjectKind::Table).isValid());
        QVERIFY(changeRow(model, QStringLiteral("public.legacy"), ObjectKind::Table).isValid());
        QVERIFY(!changeRow(model, QStringLiteral("public.customers"), ObjectKind::Table).isValid());
        QCOMPARE(model->groupTotal(model->groupRowOf(ObjectKind::Table)), 3);
        QCOMPARE(find<QLabel>(window, QStringLiteral("diffFromTitle"))->text(), QStringLiteral("From: schema.sql"));
        // The shadow database is gone again.
        auto shadows = m_pg.exec(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname LIKE 'paritydeck_shadow%'"));
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
        QVERIFY(writeText(dir.filePath(QStringLiteral("migrations/0001_accounts.sql")),
                          QStringLiteral("CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n")));
        QVERIFY(m_pg.createDatabase(QStringLiteral("mig_db")).ok());
        auto set = MigrationSource::load(ws);
        QVERIFY2(set.ok(), qPrintable(set ? QString() : set.error().message));
        ApplyOptions options;
        options.environment = QStringLiteral("setup");
        auto applied = MigrationRunner::apply(m_pg.connectionParams(QStringLiteral("mig_db")), *set, options);
        QVERIFY2(applied.ok(), qPrintable(applied ? QString() : applied.error().message));
        QVERIFY(m_pg.exec(QStringLiteral("CREATE TABLE hotfix (id int); ALTER TABLE accounts ADD COLUMN note text"),
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
        QVERIFY(changeRow(model, QStringLiteral("public.accounts.note"), ObjectKind::Column).isValid());
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
        QVERIFY2(second->errorText().startsWith(QStringLiteral("Comparison failed: gone:")), qPrintable(second->errorText()));

        // Cancel: the window is idle at once, says so, and a new comparison works.
        QSignalSpy shown(window, &DiffReviewWindow::diffShown);
        failed.clear();
        window->compareSides(QStringLiteral("dev"), QStringLiteral("prod"));
        QVERIFY(window->isBusy());
        QVERIFY(window->errorText().isEmpty());
        QTest::mouseClick(find<QPushButton>(window, QStringLiteral("diffCancel")), Qt::LeftButton);
        QVERIFY(!window->isBusy());
        QCOMPARE(failed.count(), 1);
        QVERIFY(find<QLabel>(window, QStringLiteral("diffStatus"))->text().contains(QStringLiteral("cancelled")));
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
            if (!widget->focusPolicy() || widget->window() != window || widget->inherits("QScrollBar") || widget->inherits("QHeaderView") ||
                qobject_cast<QLabel *>(widget) || widget->parentWidget()->inherits("QComboBox") ||
                widget->parentWidget()->inherits("QAbstractScrollArea") || widget->objectName().startsWith(QLatin1String("qt_")))
                continue;
            ++controls;
            QVERIFY2(!widget->accessibleName().isEmpty(),
                     qPrintable(QStringLiteral("%1 (%2) has no accessible name")
                                    .arg(widget->objectName(), QString::fromLatin1(widget->metaObject()->className()))));
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
        const auto tableName = [](int i) { return QStringLiteral("t%1").arg(i, 5, 10, QLatin1Char('0')); };
        for (int i = 1; i <= 5000; ++i)
            diff.changes.append(change(ChangeType::Added, ObjectKind::Table, QStringLiteral("table public.") + tableName(i),
                                       QStringLiteral("public.") + tableName(i), false));
        for (int i = 5001; i <= 5500; ++i)
            diff.changes.append(change(ChangeType::Removed, ObjectKind::Table, QStringLiteral("table public.") + tableName(i),
                                       QStringLiteral("public.") + tableName(i), true));
        for (int i = 1; i <= 5000; ++i) {
            for (int c = 1; c <= 8; ++c) {
                const QString name = QStringLiteral("public.%1.c%2").arg(tableName(i)).arg(c);
                diff.changes.append(change(ChangeType::Added, ObjectKind::Column, QStringLiteral("column ") + name, name, false));
            }
        }
        for (int i = 1; i <= 5000; ++i) {
            const QString name = QStringLiteral("public.%1.%1_pkey").arg(tableName(i));
            diff.changes.append(change(ChangeType::Added, ObjectKind::Constraint, QStringLiteral("constraint ") + name, name, false));
        }
        for (int i = 1; i <= 5000; ++i) {
            const QString name = QStringLiteral("public.%1_name_idx").arg(tableName(i));
            diff.changes.append(change(ChangeType::Added, ObjectKind::Index, QStringLiteral("index ") + name, name, false));
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
        QCOMPARE(model.index(4999, 0, model.index(tables, 0)).data().toString(), QStringLiteral("public.t05000"));
        QCOMPARE(model.index(5000, 0, model.index(tables, 0)).data(DiffChangeModel::DestructiveRole).toBool(), true);
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
        QVERIFY2(model.changeDataRequests() < 2000, qPrintable(QString::number(model.changeDataRequests())));

        // Filtering keeps only matching positions.
        model.setFilter(QStringLiteral("t04321"), false);
        QCOMPARE(model.groupVisible(tables), 1);
        QCOMPARE(model.groupVisible(columns), 8);
        QCOMPARE(model.groupVisible(model.groupRowOf(ObjectKind::Constraint)), 1);
        QCOMPARE(model.groupVisible(model.groupRowOf(ObjectKind::Index)), 1);
        QCOMPARE(model.visibleChangeCount(), 11);
        QCOMPARE(model.storedPositions(), 11);
        QCOMPARE(model.index(columns, 0).data().toString(), QStringLiteral("Columns (8 of 40000)"));
        QCOMPARE(model.index(7, 0, model.index(columns, 0)).data().toString(), QStringLiteral("public.t04321.c8"));
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

    void lineDiffMarksOnlyWhatDiffers()
    {
        const LineDiff d = diffLines({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")},
                                     {QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("c"), QStringLiteral("d"),
                                      QStringLiteral("e")});
        QCOMPARE(d.fromChanged, (QVector<bool>{false, true, false, false}));
        QCOMPARE(d.toChanged, (QVector<bool>{false, true, false, false, true}));
        // A column that gains or loses its trailing comma is not a change.
        const LineDiff commas = diffLines({QStringLiteral("    a int,"), QStringLiteral("    b text")},
                                          {QStringLiteral("    a int,"), QStringLiteral("    b text,"),
                                           QStringLiteral("    c date")});
        QCOMPARE(commas.fromChanged, (QVector<bool>{false, false}));
        QCOMPARE(commas.toChanged, (QVector<bool>{false, false, true}));
    }

private:
    QTemporaryDir m_state;
    QTemporaryDir m_dir;
    PgCluster m_pg;
    Workspace m_workspace;
};

QTEST_MAIN(TestDiffReview)
#include "tst_diffreview.moc"
