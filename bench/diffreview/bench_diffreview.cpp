// GUI-thread stalls and peak memory while the diff review window loads a large diff.
//
// A 10 ms heartbeat timer runs on the GUI thread the whole time; the longest gap between
// two beats beyond its interval is the worst stall the user could feel. Phases measured:
//   load      from compareSides()/showDiff() until the tree, the DDL panes and the SQL of
//             the first selection are shown
//   all-sql   switching the SQL pane to "everything" until that SQL is shown
//   filter    typing a filter (debounced), toggling "only destructive" and back
// Prints one JSON line: stalls per phase (ms), wall times (ms), change count, peak RSS (MB).
//
//   bench_diffreview [--tables N]            synthetic: an empty schema against N tables
//                                             (8 columns, defaults, PK, index, FK, comment),
//                                             diffed on a worker as compareSides would
//   bench_diffreview --from URL --to URL      two real databases through compareSides()
//   --hold SECONDS --select NAME               keep the window open (screenshots), with the
//                                             change named NAME selected
#include "diffreview/diffchangemodel.h"
#include "diffreview/diffreviewwindow.h"
#include "diffreview/diffreviewwork.h"
#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>
#include <ctime>
#include <functional>

using namespace pd;

namespace {

double statusMb(const QByteArray &key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

double peakRssMb()
{
    return statusMb("VmHWM:");
}

double rssMb()
{
    return statusMb("VmRSS:");
}

SchemaObject object(ObjectKind kind, const QString &table, const QString &name,
                    const QMap<Attr, QString> &attributes)
{
    SchemaObject o;
    o.kind = kind;
    o.schema = QStringLiteral("public");
    o.table = table;
    o.name = name;
    for (auto it = attributes.cbegin(); it != attributes.cend(); ++it)
        o.setAttribute(it.key(), it.value());
    return o;
}

// The synthetic schema of bench/schema, built as values.
SchemaSnapshot syntheticSchema(int tables)
{
    SchemaSnapshot s;
    s.serverVersion = QStringLiteral("15");
    s.serverVersionNumber = 150000;
    s.database = QStringLiteral("synthetic");
    SchemaObject schema;
    schema.kind = ObjectKind::Schema;
    schema.name = QStringLiteral("public");
    s.insert(schema);
    const QList<std::pair<QString, QString>> columns = {
        {QStringLiteral("id"), QStringLiteral("bigint")},
        {QStringLiteral("parent_id"), QStringLiteral("bigint")},
        {QStringLiteral("name"), QStringLiteral("text")},
        {QStringLiteral("amount"), QStringLiteral("numeric(12,2)")},
        {QStringLiteral("qty"), QStringLiteral("integer")},
        {QStringLiteral("code"), QStringLiteral("character varying(32)")},
        {QStringLiteral("active"), QStringLiteral("boolean")},
        {QStringLiteral("updated_at"), QStringLiteral("timestamp with time zone")}};
    for (int i = 1; i <= tables; ++i) {
        const QString t = QStringLiteral("t%1").arg(i, 5, 10, QLatin1Char('0'));
        const QString tableId = objectId(ObjectKind::Table, QStringLiteral("public"), {}, t);
        SchemaObject table = object(ObjectKind::Table, {}, t,
                                    {{Attr::Comment, QStringLiteral("synthetic table %1").arg(i)}});
        table.dependsOn << schema.id();
        s.insert(table);
        int position = 0;
        for (const auto &[name, type] : columns) {
            QMap<Attr, QString> attributes{{Attr::Type, type}};
            if (name != QLatin1String("parent_id") && name != QLatin1String("code") &&
                name != QLatin1String("active"))
                attributes.insert(Attr::NotNull, QStringLiteral("true"));
            SchemaObject column = object(ObjectKind::Column, t, name, attributes);
            column.position = ++position;
            column.dependsOn << tableId;
            s.insert(column);
            if (name == QLatin1String("qty") || name == QLatin1String("active")) {
                SchemaObject def = object(
                    ObjectKind::ColumnDefault, t, name,
                    {{Attr::Expression, name == QLatin1String("qty") ? QStringLiteral("1")
                                                                     : QStringLiteral("true")}});
                def.dependsOn << column.id();
                s.insert(def);
            }
        }
        SchemaObject pk = object(ObjectKind::Constraint, t, t + QStringLiteral("_pkey"),
                                 {{Attr::Type, QStringLiteral("primary key")},
                                  {Attr::Definition, QStringLiteral("PRIMARY KEY (id)")}});
        pk.dependsOn << tableId;
        s.insert(pk);
        SchemaObject check = object(ObjectKind::Constraint, t, t + QStringLiteral("_qty_check"),
                                    {{Attr::Type, QStringLiteral("check")},
                                     {Attr::Definition, QStringLiteral("CHECK ((qty >= 0))")}});
        check.dependsOn << tableId;
        s.insert(check);
        if (i > 1) {
            const QString parent = QStringLiteral("t%1").arg(i - 1, 5, 10, QLatin1Char('0'));
            SchemaObject fk = object(
                ObjectKind::Constraint, t, t + QStringLiteral("_parent_id_fkey"),
                {{Attr::Type, QStringLiteral("foreign key")},
                 {Attr::Definition,
                  QStringLiteral("FOREIGN KEY (parent_id) REFERENCES %1(id) ON DELETE SET NULL")
                      .arg(parent)}});
            fk.dependsOn << tableId
                         << objectId(ObjectKind::Table, QStringLiteral("public"), {}, parent);
            s.insert(fk);
        }
        SchemaObject index = object(
            ObjectKind::Index, t, t + QStringLiteral("_name_idx"),
            {{Attr::Definition,
              QStringLiteral("CREATE INDEX %1_name_idx ON public.%1 USING btree (name)").arg(t)}});
        index.dependsOn << tableId;
        s.insert(index);
    }
    return s;
}

class Bench final : public QObject
{
public:
    Bench(ui::DiffReviewWindow *window)
        : m_window(window)
    {
        m_heartbeat.setTimerType(Qt::PreciseTimer);
        m_heartbeat.setInterval(10);
        connect(&m_heartbeat, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            if (m_last > 0) {
                const double stall = (now - m_last) / 1e6 - 10.0;
                if (stall > m_worst) {
                    m_worst = stall;
                    // How much of that gap the GUI thread itself was running: the rest it
                    // spent waiting for a core (machine load), not in our code.
                    m_worstBusy = (cpu - m_lastCpu) / 1e6;
                }
            }
            m_last = now;
            m_lastCpu = cpu;
        });
    }

    static qint64 threadCpuNs()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }

    void beginPhase()
    {
        m_worst = 0;
        m_worstBusy = 0;
        m_last = 0;
        m_phaseClock.start();
        m_clock.start();
        m_heartbeat.start();
    }
    std::pair<double, double> endPhase() // worst stall, wall time (ms)
    {
        m_heartbeat.stop();
        return {std::max(0.0, m_worst), m_phaseClock.nsecsElapsed() / 1e6};
    }
    double worstBusy() const { return m_worstBusy; }

    ui::DiffReviewWindow *m_window;
    QTimer m_heartbeat;
    QElapsedTimer m_clock;
    QElapsedTimer m_phaseClock;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    double m_worst = 0;
    double m_worstBusy = 0;
};

// Calls `then` once `count` emissions of `signal` have arrived.
template<typename Signal>
void after(ui::DiffReviewWindow *window, Signal signal, std::function<void()> then)
{
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(window, signal, window, [connection, then] {
        QObject::disconnect(*connection);
        then();
    });
}

} // namespace

int main(int argc, char **argv)
{
    // Remembered geometry and splitters must neither come from nor go to the user's own.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ParityDeckBench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_diffreview"));
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("tables"), QStringLiteral("synthetic table count"),
                      QStringLiteral("N"), QStringLiteral("5000")});
    parser.addOption(
        {QStringLiteral("from"), QStringLiteral("FROM database URL"), QStringLiteral("URL")});
    parser.addOption(
        {QStringLiteral("to"), QStringLiteral("TO database URL"), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("hold"), QStringLiteral("seconds to keep the window open"),
                      QStringLiteral("S"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("select"), QStringLiteral("change to select (display name)"),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("no-phases"), QStringLiteral("measure the load only")});
    parser.addHelpOption();
    parser.process(app);

    QTemporaryDir dir;
    Workspace workspace;
    workspace.project = QStringLiteral("bench");
    workspace.rootDir = dir.path();
    workspace.filePath = dir.filePath(QStringLiteral("paritydeck.yaml"));
    const bool real = parser.isSet(QStringLiteral("from")) && parser.isSet(QStringLiteral("to"));
    if (real) {
        for (const auto &[name, url] :
             {std::pair{QStringLiteral("staging"), parser.value(QStringLiteral("from"))},
              std::pair{QStringLiteral("prod"), parser.value(QStringLiteral("to"))}}) {
            EnvironmentConfig env;
            env.name = name;
            env.database.url = url;
            env.database.statementTimeoutSeconds = 600;
            workspace.environments.append(env);
        }
    }

    auto *window = new ui::DiffReviewWindow(workspace);
    window->setAttribute(Qt::WA_DeleteOnClose, false);
    window->move(0, 0);
    window->resize(1600, 1000);
    window->show();
    Bench bench(window);
    QJsonObject out;
    out.insert(QStringLiteral("mode"),
               real ? QStringLiteral("servers") : QStringLiteral("synthetic"));
    const int tables = parser.value(QStringLiteral("tables")).toInt();
    const double rssBefore = peakRssMb();

    std::function<void()> finish = [&] {
        out.insert(QStringLiteral("changes"), int(window->model()->diff().changes.size()));
        out.insert(QStringLiteral("peak_rss_mb"), peakRssMb());
        out.insert(QStringLiteral("rss_end_mb"), rssMb());
        // Counted only now: sqlText() decodes the whole script into a QString (megabytes
        // for thousands of tables) that showing it does not need, and the peak above must
        // not include the bench's own bookkeeping. With "everything" in scope, filtering
        // does not change the SQL.
        if (out.contains(QStringLiteral("all_sql_ms"))) {
            const QString sql = window->sqlText();
            out.insert(QStringLiteral("all_sql_lines"), sql.count(QLatin1Char('\n')));
            // What Copy and the Save buttons get must be the generator's script to the
            // byte (as the review words it), and the pane its first PaneLines lines and a note
            // saying how many more there are (or all of it, when shorter).
            const QString expected =
                ui::presentedSql(generateSql(window->model()->diff(), ui::reviewSqlOptions(false)));
            out.insert(QStringLiteral("all_sql_identical"),
                       sql == expected && sql.toUtf8() == expected.toUtf8());
            constexpr int PaneLines = 5000;
            const qsizetype lines = expected.count(QLatin1Char('\n')) + 1;
            QString pane = expected;
            if (lines > PaneLines) {
                qsizetype cut = -1;
                for (int i = 0; i < PaneLines; ++i)
                    cut = expected.indexOf(QLatin1Char('\n'), cut + 1);
                pane = expected.left(cut) +
                       QStringLiteral("\n\n-- … %1 more lines not shown here (%2 in all). ")
                           .arg(lines - PaneLines)
                           .arg(lines);
            }
            const QString shown =
                window->findChild<QPlainTextEdit *>(QStringLiteral("diffSql"))->toPlainText();
            out.insert(QStringLiteral("all_sql_pane_as_expected"),
                       lines > PaneLines
                           ? shown.startsWith(pane) && shown.size() < pane.size() + 100
                           : shown == pane);
        }
        out.insert(QStringLiteral("rss_before_load_mb"), rssBefore);
        out.insert(QStringLiteral("error"), window->errorText());
        std::fprintf(stdout, "%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        const int hold = parser.value(QStringLiteral("hold")).toInt();
        if (parser.isSet(QStringLiteral("select"))) {
            const QString wanted = parser.value(QStringLiteral("select"));
            const ui::DiffChangeModel *model = window->model();
            auto *tree = window->findChild<QTreeView *>(QStringLiteral("diffTree"));
            for (int g = 0; g < model->groupCount(); ++g) {
                const QModelIndex parent = model->index(g, 0);
                for (int r = 0; r < model->rowCount(parent); ++r) {
                    const QModelIndex index = model->index(r, 0, parent);
                    if (index.data().toString() == wanted) {
                        tree->expand(parent);
                        tree->selectionModel()->setCurrentIndex(
                            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                        tree->scrollTo(index);
                    }
                }
            }
        }
        QTimer::singleShot(hold * 1000, &app, &QCoreApplication::quit);
    };

    // Phase 3: filter and toggle.
    std::function<void()> filterPhase = [&] {
        bench.beginPhase();
        auto *filter = window->findChild<QLineEdit *>(QStringLiteral("diffFilter"));
        auto *only = window->findChild<QCheckBox *>(QStringLiteral("diffOnlyDestructive"));
        // One character at a time, 50 ms apart, as a fast typist.
        const QString text = QStringLiteral("t0123");
        for (int i = 0; i < text.size(); ++i)
            QTimer::singleShot(50 * (i + 1), filter,
                               [filter, text, i] { filter->setText(text.left(i + 1)); });
        QTimer::singleShot(50 * text.size() + 400, only, [only] { only->setChecked(true); });
        QTimer::singleShot(50 * text.size() + 800, only, [only] { only->setChecked(false); });
        QTimer::singleShot(50 * text.size() + 1000, filter, [filter] { filter->clear(); });
        QTimer::singleShot(50 * text.size() + 1600, window, [&] {
            const auto [stall, wall] = bench.endPhase();
            out.insert(QStringLiteral("filter_worst_stall_ms"), stall);
            out.insert(QStringLiteral("filter_worst_stall_busy_ms"), bench.worstBusy());
            Q_UNUSED(wall);
            finish();
        });
    };

    // Phase 2: the SQL for everything.
    std::function<void()> allSqlPhase = [&] {
        bench.beginPhase();
        after(window, &ui::DiffReviewWindow::sqlUpdated, [&] {
            const auto [stall, wall] = bench.endPhase();
            out.insert(QStringLiteral("all_sql_worst_stall_ms"), stall);
            out.insert(QStringLiteral("all_sql_worst_stall_busy_ms"), bench.worstBusy());
            out.insert(QStringLiteral("all_sql_ms"), wall);
            filterPhase();
        });
        window->findChild<QRadioButton *>(QStringLiteral("diffScopeAll"))->setChecked(true);
    };

    // Phase 1: load. Done when the diff is shown and its first SQL is in the pane.
    auto loaded = std::make_shared<int>(0);
    const auto onLoadStep = [&, loaded] {
        if (++*loaded < 2)
            return;
        const auto [stall, wall] = bench.endPhase();
        out.insert(QStringLiteral("load_worst_stall_ms"), stall);
        out.insert(QStringLiteral("load_worst_stall_busy_ms"), bench.worstBusy());
        out.insert(QStringLiteral("load_ms"), wall);
        out.insert(QStringLiteral("load_peak_rss_mb"), peakRssMb());
        out.insert(QStringLiteral("load_rss_mb"), rssMb());
        if (parser.isSet(QStringLiteral("no-phases")) || !window->errorText().isEmpty())
            finish();
        else
            QTimer::singleShot(200, window, allSqlPhase);
    };
    QObject::connect(window, &ui::DiffReviewWindow::compareFailed, window, [&] {
        bench.endPhase();
        finish();
    });

    QTimer::singleShot(300, window, [&, onLoadStep] {
        bench.beginPhase();
        after(window, &ui::DiffReviewWindow::diffShown, [&, onLoadStep] {
            onLoadStep();
            after(window, &ui::DiffReviewWindow::sqlUpdated, onLoadStep);
        });
        if (real) {
            window->compareSides(QStringLiteral("staging"), QStringLiteral("prod"));
            return;
        }
        // As compareSides does: the snapshots and the diff on a worker, then the window.
        auto *watcher = new QFutureWatcher<SchemaDiff>(window);
        QObject::connect(watcher, &QFutureWatcherBase::finished, window, [window, watcher] {
            window->showDiff(watcher->result(), QStringLiteral("empty"),
                             QStringLiteral("synthetic"));
            watcher->deleteLater();
        });
        watcher->setFuture(QtConcurrent::run(
            [tables] { return diff(SchemaSnapshot(), syntheticSchema(tables)); }));
    });
    const int rc = app.exec();
    delete window;
    return rc;
}
