// The main window against real PostgreSQL servers: one card per environment follows its
// server, a stopped server shows "Down" and why inline, "Refresh all" checks at once, a
// server that never answers never freezes the window, the toolbar's actions and shortcuts
// open their windows, every disabled card button says why, and the start-minimised and
// autostart settings take effect. Runs offscreen.
#include "aboutdialog.h"
#include "appsettings.h"
#include "audit/sharedhistory.h"
#include "auditview.h"
#include "autostart.h"
#include "branchswitcher.h"
#include "db/connection.h"
#include "elidedlabel.h"
#include "environment/driftwatch.h"
#include "environment/environmentcontroller.h"
#include "environment/statusmonitor.h"
#include "environmentcard.h"
#include "environmentlistmodel.h"
#include "hangingserver.h"
#include "humanformat.h"
#include "mainwindow.h"
#include "parityview.h"
#include "pgcluster.h"
#include "secretsview.h"
#include "settingsdialog.h"
#include "statuslight.h"
#include "theme.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyleOptionButton>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <QToolBar>
#include <cmath>

#include <functional>
#include <memory>

using namespace pd;
using pd::test::PgCluster;
using pd::ui::EnvironmentListModel;
using pd::ui::MainWindow;

namespace {

constexpr int kTimeoutMs = 15000;

// Receives what QDesktopServices would hand to the desktop (Help ▸ Documentation).
class UrlCatcher final : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
    Q_INVOKABLE void open(const QUrl &url) { urls.append(url); }
};

// The most common colour of `image`: the background behind whatever is drawn on it.
QRgb dominantColor(const QImage &image)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            ++counts[image.pixel(x, y)];
    QRgb best = 0;
    int bestCount = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    }
    return best;
}

// The strongest contrast of any pixel of `image` against `background`.
double strongestContrast(const QImage &image, QColor background)
{
    double best = 1;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            best = std::max(best, ui::contrastRatio(QColor(image.pixel(x, y)), background));
    return best;
}

QImage grabOf(QWidget *window)
{
    return window->grab().toImage().convertToFormat(QImage::Format_RGB32);
}

// Where `w` is in a grab of its window (device pixels).
QRect rectIn(const QImage &shot, QWidget *w, int margin = 0)
{
    const double dpr = shot.devicePixelRatio();
    const QRect r(w->mapTo(w->window(), QPoint(-margin, -margin)),
                  w->size() + QSize(2 * margin, 2 * margin));
    return QRect(r.topLeft() * dpr, r.size() * dpr);
}

EnvironmentConfig environmentAt(const QString &name, const QString &url,
                                Protection protection = Protection::None)
{
    EnvironmentConfig env;
    env.name = name;
    env.protection = protection;
    env.database.url = url;
    env.database.connectTimeoutSeconds = 2;
    env.database.statementTimeoutSeconds = 5;
    return env;
}

Workspace workspaceOf(const QList<EnvironmentConfig> &environments)
{
    Workspace ws;
    ws.project = QStringLiteral("podcast");
    ws.rootDir = QDir::tempPath();
    ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
    ws.environments = environments;
    return ws;
}

QLabel *labelOf(const QWidget &window, const QString &objectName)
{
    return window.findChild<QLabel *>(objectName);
}

QString textOf(const QWidget &window, const QString &objectName)
{
    const QLabel *label = labelOf(window, objectName);
    return label ? label->text() : QStringLiteral("<no label %1>").arg(objectName);
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Window geometry goes to ~/.qttest, never to the real user's settings.
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();

        QVERIFY2(m_dev.start().ok(), qPrintable(m_dev.serverLog()));
        QVERIFY2(m_prod.start().ok(), qPrintable(m_prod.serverLog()));
    }

    void init()
    {
        if (!m_prod.isRunning())
            QVERIFY2(m_prod.restart().ok(), qPrintable(m_prod.serverLog()));
    }

    void cardsFollowLiveServersInWorkspaceOrder()
    {
        auto [monitor, controller, window] = startWindow();

        // The workspace first, then the application; never the application twice (Qt adds
        // the display name only to titles that do not already end with it).
        QCOMPARE(window->windowTitle(), QStringLiteral("podcast — ParityDeck"));
        QVERIFY(window->findChild<QScrollArea *>(QStringLiteral("environmentList")));
        const QList<ui::EnvironmentCard *> cards = window->findChildren<ui::EnvironmentCard *>();
        QCOMPARE(cards.size(), 2);
        // Workspace order, top to bottom.
        auto *devCard = window->findChild<QWidget *>(QStringLiteral("card-dev"));
        auto *prodCard = window->findChild<QWidget *>(QStringLiteral("card-prod"));
        QVERIFY(devCard && prodCard);
        QTRY_VERIFY(devCard->y() < prodCard->y());

        for (const QString &env : {QStringLiteral("dev"), QStringLiteral("prod")}) {
            QTRY_COMPARE_WITH_TIMEOUT(textOf(*window, QStringLiteral("status-") + env),
                                      QStringLiteral("Up"), kTimeoutMs);
            QVERIFY2(
                textOf(*window, QStringLiteral("version-") + env).contains(QStringLiteral("15.")),
                qPrintable(textOf(*window, QStringLiteral("version-") + env)));
            QVERIFY2(textOf(*window, QStringLiteral("size-") + env).contains(QStringLiteral("MB")),
                     qPrintable(textOf(*window, QStringLiteral("size-") + env)));
            QVERIFY(textOf(*window, QStringLiteral("checked-") + env)
                        .startsWith(QStringLiteral("checked")));
            // Up: no reason line.
            QVERIFY(!labelOf(*window, QStringLiteral("reason-") + env)->isVisibleTo(window.get()));
            // The light says the state in words, not just in colour.
            auto *light = window->findChild<ui::StatusLight *>(QStringLiteral("light-") + env);
            QVERIFY(light);
            QCOMPARE(light->accessibleName(), env + QStringLiteral(" status: Up"));
            QCOMPARE(light->state(), StatusState::Up);
        }
        QTRY_COMPARE(window->summaryText(), QStringLiteral("All environments up"));
        QCOMPARE(window->aggregateState(), StatusState::Up);

        // Only the protected environment wears a badge.
        QVERIFY(!labelOf(*window, QStringLiteral("badge-dev")));
        QLabel *badge = labelOf(*window, QStringLiteral("badge-prod"));
        QVERIFY(badge);
        QCOMPARE(badge->text(), QStringLiteral("protected · confirm"));
        QVERIFY(badge->isVisibleTo(window.get()));

        // Every control a screen reader can reach has a name it can speak.
        const QList<QAbstractButton *> buttons = window->findChildren<QAbstractButton *>();
        QVERIFY(!buttons.isEmpty());
        for (QAbstractButton *button : buttons) {
            if (!button->isVisibleTo(window.get()))
                continue;
            QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(button);
            QVERIFY(iface);
            QVERIFY2(!iface->text(QAccessible::Name).isEmpty(), qPrintable(button->objectName()));
        }
        QAccessibleInterface *refreshButton = QAccessible::queryAccessibleInterface(
            window->findChild<QToolBar *>(QStringLiteral("mainToolBar"))
                ->widgetForAction(window->findChild<QAction *>(QStringLiteral("actionRefresh"))));
        QVERIFY(refreshButton);
        QCOMPARE(refreshButton->text(QAccessible::Name), QStringLiteral("Refresh all"));
    }

    void modelSignalsOnlyTheRowThatChanged()
    {
        auto [monitor, controller, window] = startWindow();
        EnvironmentListModel *model = window->model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->data(model->index(0), EnvironmentListModel::NameRole).toString(),
                 QStringLiteral("dev"));
        QCOMPARE(
            model->data(model->index(1), EnvironmentListModel::ProtectionRole).value<Protection>(),
            Protection::Confirm);

        QList<int> changedRows;
        QList<int> expectedRows;
        connect(model, &QAbstractItemModel::dataChanged, this,
                [&](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                    QCOMPARE(topLeft.row(), bottomRight.row());
                    changedRows << topLeft.row();
                });
        connect(monitor.get(), &StatusMonitor::statusChanged, this,
                [&](const EnvironmentStatus &status) {
                    expectedRows << model->rowOf(status.environment);
                });
        QTRY_VERIFY_WITH_TIMEOUT(expectedRows.count(0) >= 2 && expectedRows.count(1) >= 2,
                                 kTimeoutMs);
        QCOMPARE(changedRows, expectedRows);

        const QModelIndex dev = model->index(0);
        QCOMPARE(dev.data(EnvironmentListModel::StateRole).value<StatusState>(), StatusState::Up);
        QCOMPARE(dev.data(EnvironmentListModel::StateLabelRole).toString(), QStringLiteral("Up"));
        QVERIFY(dev.data(EnvironmentListModel::ServerVersionRole)
                    .toString()
                    .startsWith(QStringLiteral("15.")));
        QVERIFY(dev.data(EnvironmentListModel::DatabaseSizeRole).toLongLong() > 0);
        QVERIFY(dev.data(EnvironmentListModel::CheckedAtRole).toDateTime().isValid());
        QVERIFY(dev.data(EnvironmentListModel::LatencyRole).toLongLong() >= 0);
        QVERIFY(model->roleNames().values().contains(QByteArrayLiteral("stateLabel")));
    }

    void refreshAllChecksEveryEnvironmentAtOnce()
    {
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        // Quiet the periodic timer so the check below can only come from the action.
        monitor->stop();
        QTRY_COMPARE_WITH_TIMEOUT(monitor->checksInFlight(), 0, kTimeoutMs);

        auto *refresh = window->findChild<QAction *>(QStringLiteral("actionRefresh"));
        QVERIFY(refresh);
        QVERIFY(refresh->shortcuts().contains(QKeySequence(Qt::Key_F5)));
        QSignalSpy busy(monitor.get(), &StatusMonitor::busyChanged);
        QSignalSpy checked(monitor.get(), &StatusMonitor::statusChanged);
        refresh->trigger();
        QCOMPARE(monitor->checksInFlight(), 2);
        QCOMPARE(busy.size(), 1);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        // Said at once, without waiting for the slow-check delay.
        QCOMPARE(window->summaryText(), QStringLiteral("Checking 2 environments…"));
        // Both checks end (the migration status read beside them publishes too).
        QTRY_VERIFY_WITH_TIMEOUT(checked.size() >= 2 && monitor->checksInFlight() == 0, kTimeoutMs);
        QTRY_COMPARE(window->summaryText(), QStringLiteral("All environments up"));

        // F5 reaches the same action from anywhere in the window.
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        busy.clear();
        QTest::keyClick(window.get(), Qt::Key_F5);
        QVERIFY(busy.size() >= 1);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(monitor->checksInFlight(), 0, kTimeoutMs);
    }

    void aCheckThatChangesNothingLeavesTheWidgetsAlone()
    {
        // The idle window's CPU: a poll that only moves the check time must not re-lay out,
        // re-word or re-describe anything (each of those cost a layout pass, a repaint or
        // an accessibility event on every poll of every environment).
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        monitor->stop();
        QTRY_COMPARE_WITH_TIMEOUT(monitor->checksInFlight(), 0, kTimeoutMs);
        QSignalSpy checked(monitor.get(), &StatusMonitor::statusChanged);
        monitor->refreshAll(); // the first check after start may still fill in details
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 2, kTimeoutMs);
        QTest::qWait(50); // let posted layout requests of that round run

        struct Counter : QObject
        {
            QHash<int, int> counts;
            bool eventFilter(QObject *, QEvent *event) override
            {
                ++counts[int(event->type())];
                return false;
            }
        } counter;
        QList<QWidget *> widgets = window->findChildren<QWidget *>();
        widgets << window.get();
        for (QWidget *w : std::as_const(widgets))
            w->installEventFilter(&counter);
        const QDateTime before = window->model()->statusAt(0).checkedAt;

        checked.clear();
        monitor->refreshAll();
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 2, kTimeoutMs);
        monitor->refreshAll();
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 4, kTimeoutMs);
        QTest::qWait(50);
        QVERIFY(window->model()->statusAt(0).checkedAt > before); // the checks did happen
        for (QEvent::Type type :
             {QEvent::LayoutRequest, QEvent::ToolTipChange, QEvent::EnabledChange, QEvent::Paint}) {
            QVERIFY2(counter.counts.value(int(type)) == 0,
                     qPrintable(QStringLiteral("event type %1 seen %2 times")
                                    .arg(int(type))
                                    .arg(counter.counts.value(int(type)))));
        }

        // The exact time is still there when someone hovers the age.
        QLabel *age = labelOf(*window, QStringLiteral("checked-dev"));
        QVERIFY(age);
        QHelpEvent hover(QEvent::ToolTip, QPoint(1, 1), age->mapToGlobal(QPoint(1, 1)));
        QApplication::sendEvent(age, &hover);
        QVERIFY2(age->toolTip().contains(QStringLiteral("answered in")),
                 qPrintable(age->toolTip()));
    }

    void bothThemesKeepEveryTextReadable()
    {
        // Light and dark palettes (Settings ▸ Appearance): every visible text on the window,
        // as rendered, must stand out from what is behind it (WCAG's 4.5:1 for body text).
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        const auto restore = qScopeGuard([] {
            ui::SettingsDialog::setTheme(ui::Theme::System);
            ui::applyTheme(ui::Theme::System);
        });
        // Chosen as a user does: Settings ▸ Appearance.
        ui::SettingsDialog *settings = window->openSettings();
        QVERIFY(settings);
        auto *appearance = settings->findChild<QComboBox *>(QStringLiteral("settingTheme"));
        QVERIFY(appearance);
        const auto luminance = [](QColor c) {
            const auto channel = [](double v) {
                return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
            };
            return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
                   0.0722 * channel(c.blueF());
        };
        const auto contrast = [&luminance](QColor a, QColor b) {
            const double la = luminance(a), lb = luminance(b);
            return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
        };
        for (const ui::Theme theme : {ui::Theme::Light, ui::Theme::Dark}) {
            appearance->setCurrentIndex(appearance->findData(int(theme)));
            QCOMPARE(ui::SettingsDialog::theme(), theme); // remembered for the next start
            QTest::qWait(100); // style and palette changes re-lay out the window
            const QImage shot = window->grab().toImage().convertToFormat(QImage::Format_RGB32);
            const double dpr = shot.devicePixelRatio();
            const double windowLuminance = luminance(window->palette().color(QPalette::Window));
            QVERIFY2(theme == ui::Theme::Dark ? windowLuminance < 0.1 : windowLuminance > 0.6,
                     qPrintable(ui::themeName(theme)));
            int checked = 0;
            QStringList unreadable;
            const QList<QWidget *> texts = window->findChildren<QWidget *>();
            for (QWidget *w : texts) {
                QString text;
                if (auto *label = qobject_cast<QLabel *>(w))
                    text = label->text();
                else if (auto *button = qobject_cast<QAbstractButton *>(w))
                    text = button->text();
                if (text.trimmed().isEmpty() || !w->isVisible() || !w->isEnabled() ||
                    w->window() != window.get())
                    continue;
                const QRect r(w->mapTo(window.get(), QPoint(0, 0)) * dpr, w->size() * dpr);
                const QImage crop = shot.copy(r);
                QHash<QRgb, int> counts;
                for (int y = 0; y < crop.height(); ++y)
                    for (int x = 0; x < crop.width(); ++x)
                        ++counts[crop.pixel(x, y)];
                if (counts.isEmpty())
                    continue;
                QRgb background = counts.constBegin().key();
                for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                    if (it.value() > counts.value(background))
                        background = it.key();
                double best = 1;
                for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                    best = std::max(best, contrast(QColor(background), QColor(it.key())));
                ++checked;
                if (best < 4.5)
                    unreadable << QStringLiteral("%1 \"%2\" %3:1")
                                      .arg(w->objectName(), text)
                                      .arg(best, 0, 'f', 2);
            }
            QVERIFY2(checked >= 10, qPrintable(QString::number(checked)));
            QVERIFY2(unreadable.isEmpty(), qPrintable(ui::themeName(theme) + QStringLiteral(": ") +
                                                      unreadable.join(QStringLiteral("; "))));
        }
    }

    void hangingServerNeverBlocksTheWindow()
    {
        pd::test::HangingServer hanging;
        QVERIFY2(hanging.isListening(), qPrintable(hanging.errorString()));
        const QString hangingUrl =
            QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(hanging.port());
        auto monitor = std::make_unique<StatusMonitor>(
            workspaceOf({environmentAt(QStringLiteral("remote"), hangingUrl),
                         environmentAt(QStringLiteral("dev"), m_dev.url())}));
        monitor->setIntervalMs(60000); // one round of checks is enough here
        auto window = std::make_unique<MainWindow>(monitor.get());
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));

        // Measure the longest stretch the GUI thread went without running its event loop.
        QElapsedTimer sinceTick;
        qint64 longestGapMs = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this,
                [&] { longestGapMs = std::max(longestGapMs, sinceTick.restart()); });

        monitor->start();
        sinceTick.start();
        ticker.start();
        QTRY_VERIFY_WITH_TIMEOUT(hanging.acceptedCount() >= 1, kTimeoutMs);
        QVERIFY(monitor->checksInFlight() > 0);

        // While the client sits connected to a server that never answers, a zero timer on
        // the GUI thread still fires promptly.
        bool fired = false;
        QElapsedTimer firedAfter;
        firedAfter.start();
        QTimer::singleShot(0, this, [&] { fired = true; });
        QTRY_VERIFY_WITH_TIMEOUT(fired, 1000);
        QVERIFY2(firedAfter.elapsed() < 1000, qPrintable(QString::number(firedAfter.elapsed())));
        QVERIFY(monitor->checksInFlight() > 0);

        // The healthy environment is up before the hanging one gives up.
        QTRY_COMPARE_WITH_TIMEOUT(textOf(*window, QStringLiteral("status-dev")),
                                  QStringLiteral("Up"), kTimeoutMs);
        QCOMPARE(textOf(*window, QStringLiteral("status-remote")), QStringLiteral("Checking…"));
        QVERIFY(monitor->checksInFlight() > 0);

        QTRY_COMPARE_WITH_TIMEOUT(textOf(*window, QStringLiteral("status-remote")),
                                  QStringLiteral("Down"), kTimeoutMs);
        QVERIFY2(
            textOf(*window, QStringLiteral("reason-remote")).contains(QStringLiteral("timed out")),
            qPrintable(textOf(*window, QStringLiteral("reason-remote"))));
        QCOMPARE(window->summaryText(), QStringLiteral("1 of 2 up — remote: Down"));
        ticker.stop();
        // The whole connect timeout (2 s) passed; the GUI thread never stalled for anything
        // like it (the bound leaves room for a loaded 2-core CI machine).
        QVERIFY2(longestGapMs < 1000, qPrintable(QString::number(longestGapMs)));
    }

    void closeQuitsWithoutTrayAndHidesWithOne()
    {
        auto [monitor, controller, window] = startWindow();
        QSignalSpy quit(window.get(), &MainWindow::quitRequested);
        auto *hide = window->findChild<QAction *>(QStringLiteral("actionHide"));
        QVERIFY(hide);
        QVERIFY(!hide->isEnabled());

        // No tray: Esc does nothing, closing quits.
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keyClick(window.get(), Qt::Key_Escape);
        QVERIFY(window->isVisible());
        QVERIFY(window->close());
        QCOMPARE(quit.size(), 1);

        // With a tray: closing, Ctrl+W and Esc hide; the monitor keeps running.
        window->setCloseToTray(true);
        QVERIFY(hide->isEnabled());
        window->showAndRaise();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QVERIFY(window->close());
        QVERIFY(!window->isVisible());
        QVERIFY(!window->testAttribute(Qt::WA_QuitOnClose));
        for (const QKeySequence &keys :
             {QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence(Qt::Key_Escape)}) {
            window->showAndRaise();
            QVERIFY(QTest::qWaitForWindowActive(window.get()));
            QTest::keySequence(window.get(), keys);
            QTRY_VERIFY2(!window->isVisible(), qPrintable(keys.toString()));
        }
        QCOMPARE(quit.size(), 1);

        // Ctrl+Q quits from the window whether or not there is a tray.
        window->showAndRaise();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::Key_Q));
        QCOMPARE(quit.size(), 2);

        // A window that hides to the tray still accepts its close event: Qt may close every
        // window before quitting and gives up if one refuses.
        QCloseEvent closeEvent;
        QApplication::sendEvent(window.get(), &closeEvent);
        QVERIFY(closeEvent.isAccepted());
        QCOMPARE(quit.size(), 2); // hid to the tray, did not ask to quit
    }

    void windowGeometryIsRemembered()
    {
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
        const QSize size(720, 430); // wider than the cards need
        {
            auto [monitor, controller, window] = startWindow();
            window->resize(size);
            QTRY_COMPARE(window->size(), size);
            window->close();
        }
        auto [monitor, controller, window] = startWindow();
        QCOMPARE(window->size(), size);
    }

    void stoppedServerShowsDownAndWhyInline()
    {
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        QVERIFY(m_prod.stop().ok());

        QTRY_COMPARE_WITH_TIMEOUT(textOf(*window, QStringLiteral("status-prod")),
                                  QStringLiteral("Down"), kTimeoutMs);
        QLabel *reason = labelOf(*window, QStringLiteral("reason-prod"));
        QVERIFY(reason);
        QVERIFY2(reason->text().contains(QStringLiteral("refused")), qPrintable(reason->text()));
        QVERIFY(reason->isVisibleTo(window.get()));
        QVERIFY(reason->toolTip().contains(QStringLiteral("refused")));
        QVERIFY(window->findChild<QWidget *>(QStringLiteral("card-prod"))
                    ->toolTip()
                    .contains(QStringLiteral("refused")));
        QCOMPARE(
            window->findChild<ui::StatusLight *>(QStringLiteral("light-prod"))->accessibleName(),
            QStringLiteral("prod status: Down"));
        QCOMPARE(textOf(*window, QStringLiteral("status-dev")), QStringLiteral("Up"));
        QTRY_COMPARE(window->summaryText(), QStringLiteral("1 of 2 up — prod: Down"));
        QCOMPARE(window->aggregateState(), StatusState::Down);
        QCOMPARE(window->aggregateState(), monitor->aggregate());
        // Errors are inline: no dialog ever opened.
        QVERIFY(!QApplication::activeModalWidget());

        QVERIFY2(m_prod.restart().ok(), qPrintable(m_prod.serverLog()));
        QTRY_COMPARE_WITH_TIMEOUT(textOf(*window, QStringLiteral("status-prod")),
                                  QStringLiteral("Up"), kTimeoutMs);
        QVERIFY(!reason->isVisibleTo(window.get()));
    }

    void rowsLayoutPutsEachEnvironmentOnOneLineAndIsRemembered()
    {
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
        int cardHeight = 0;
        {
            auto [monitor, controller, window] = startWindow();
            QTRY_COMPARE_WITH_TIMEOUT(textOf(*window, QStringLiteral("status-dev")),
                                      QStringLiteral("Up"), kTimeoutMs);
            auto *card = window->findChild<ui::EnvironmentCard *>(QStringLiteral("card-dev"));
            QVERIFY(card);
            QCOMPARE(card->layoutMode(), ui::EnvironmentCard::LayoutMode::Card);
            QTRY_VERIFY(labelOf(*window, QStringLiteral("version-dev"))->isVisible());
            cardHeight = card->height();

            QVERIFY(QTest::qWaitForWindowActive(window.get()));
            auto *rows = window->findChild<QAction *>(QStringLiteral("actionRows"));
            QVERIFY(rows);
            QVERIFY(rows->toolTip().contains(
                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R).toString(QKeySequence::NativeText)));
            QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
            QVERIFY(window->compactRows());
            QVERIFY(rows->isChecked());
            QCOMPARE(card->layoutMode(), ui::EnvironmentCard::LayoutMode::Row);

            // Light, name, state and the actions share one line; the card got shorter.
            QTRY_VERIFY(card->height() < cardHeight);
            const auto lineOf = [card](const char *prefix) {
                auto *w = card->findChild<QWidget *>(QLatin1String(prefix) + QStringLiteral("dev"));
                return w && w->isVisible() ? w->geometry().center().y() : -1;
            };
            const int line = lineOf("name-");
            QVERIFY(line >= 0);
            for (const char *prefix : {"light-", "status-", "start-", "stop-", "diff-", "apply-"})
                QVERIFY2(qAbs(lineOf(prefix) - line) <= 4, prefix);
            // Columns line up across rows, with and without a protection badge.
            const auto xOf = [&window](const QString &name) {
                auto *w = window->findChild<QWidget *>(name);
                return w ? w->mapTo(window.get(), QPoint(0, 0)).x() : -1;
            };
            QTRY_COMPARE(xOf(QStringLiteral("status-dev")), xOf(QStringLiteral("status-prod")));
            QCOMPARE(xOf(QStringLiteral("start-dev")), xOf(QStringLiteral("start-prod")));
            // The facts left off the line are still there, on the name's tool tip.
            QVERIFY(!labelOf(*window, QStringLiteral("version-dev"))->isVisible());
            QVERIFY2(labelOf(*window, QStringLiteral("name-dev"))
                         ->toolTip()
                         .contains(QStringLiteral("PostgreSQL 15")),
                     qPrintable(labelOf(*window, QStringLiteral("name-dev"))->toolTip()));
            // A new status keeps the row a row.
            QSignalSpy checked(monitor.get(), &StatusMonitor::statusChanged);
            window->refreshAll();
            QTRY_VERIFY_WITH_TIMEOUT(checked.size() >= 2, kTimeoutMs);
            QVERIFY(!labelOf(*window, QStringLiteral("version-dev"))->isVisible());
            window->close();
        }
        auto [monitor, controller, window] = startWindow();
        QVERIFY(window->compactRows());
        auto *card = window->findChild<ui::EnvironmentCard *>(QStringLiteral("card-prod"));
        QVERIFY(card);
        QCOMPARE(card->layoutMode(), ui::EnvironmentCard::LayoutMode::Row);
        // And back: the card shows its facts on their own lines again.
        window->setCompactRows(false);
        QCOMPARE(card->layoutMode(), ui::EnvironmentCard::LayoutMode::Card);
        QTRY_VERIFY_WITH_TIMEOUT(labelOf(*window, QStringLiteral("version-prod"))->isVisible(),
                                 kTimeoutMs);
        QTRY_VERIFY(card->height() >= cardHeight);
        window->close();
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
    }

    void secondaryWindowsReopenAtTheirLastSize()
    {
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
        const QSize size(640, 410);
        QSize firstRunSize;
        {
            auto [monitor, controller, window] = startWindow();
            ui::AuditView *audit = window->openAuditView();
            QVERIFY(audit);
            QVERIFY(QTest::qWaitForWindowExposed(audit));
            firstRunSize = audit->size();
            QVERIFY(firstRunSize != size);
            audit->resize(size);
            QTRY_COMPARE(audit->size(), size);
            audit->close();
        }
        auto [monitor, controller, window] = startWindow();
        ui::AuditView *audit = window->openAuditView();
        QVERIFY(audit);
        QVERIFY(QTest::qWaitForWindowExposed(audit));
        QCOMPARE(audit->size(), size);
        // Each window has its own memory: the secrets view still opens at its own size.
        ui::SecretsView *secrets = window->openSecretsView();
        QVERIFY(secrets);
        QVERIFY(QTest::qWaitForWindowExposed(secrets));
        QVERIFY(secrets->size() != size);
        secrets->close();
        audit->close();
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
    }

    void toolbarActionsHaveShortcutsAndOpenTheirWindows()
    {
        auto [monitor, controller, window] = startWindow();
        auto *toolBar = window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
        QVERIFY(toolBar);
        const QList<QPair<QString, QKeySequence>> expected{
            {QStringLiteral("actionRefresh"), QKeySequence(Qt::Key_F5)},
            {QStringLiteral("actionCompare"), QKeySequence(Qt::CTRL | Qt::Key_D)},
            {QStringLiteral("actionParity"), QKeySequence(Qt::CTRL | Qt::Key_P)},
            {QStringLiteral("actionSecrets"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
            {QStringLiteral("actionAudit"), QKeySequence(Qt::CTRL | Qt::Key_L)},
            {QStringLiteral("actionSettings"), QKeySequence(Qt::CTRL | Qt::Key_Comma)}};
        for (const auto &[name, keys] : expected) {
            auto *action = window->findChild<QAction *>(name);
            QVERIFY2(action, qPrintable(name));
            QVERIFY2(action->shortcuts().contains(keys), qPrintable(name));
            QVERIFY2(toolBar->actions().contains(action), qPrintable(name));
            // The tool tip names the shortcut, for people who hover instead of reading menus.
            QVERIFY2(action->toolTip().contains(keys.toString(QKeySequence::NativeText)),
                     qPrintable(action->toolTip()));
        }

        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QSignalSpy diff(window.get(), &MainWindow::diffRequested);
        QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::Key_D));
        QCOMPARE(diff.size(), 1);
        QCOMPARE(diff.first(), (QList<QVariant>{QString(), QString()}));

        QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::Key_L));
        auto *audit = window->findChild<ui::AuditView *>(QStringLiteral("auditView"));
        QVERIFY(audit);
        QTRY_VERIFY(audit->isVisible());
        audit->close();

        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::Key_P));
        auto *parity = window->findChild<ui::ParityView *>(QStringLiteral("parityView"));
        QVERIFY(parity);
        QVERIFY(parity->isVisible());
        // The comparison runs in the background and the status bar says so.
        QVERIFY(parity->isComputing());
        QVERIFY2(window->backgroundWorkText().contains(QStringLiteral("parity")),
                 qPrintable(window->backgroundWorkText()));
        QVERIFY(window->findChild<QWidget *>(QStringLiteral("backgroundWorkBar"))->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!parity->isComputing(), kTimeoutMs);
        QCOMPARE(window->backgroundWorkText(), QString());
        parity->close();

        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
        auto *secrets = window->findChild<ui::SecretsView *>(QStringLiteral("secretsView"));
        QVERIFY(secrets);
        QVERIFY(secrets->isVisible());
        secrets->close();

        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keySequence(window.get(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        auto *settings = window->findChild<ui::SettingsDialog *>(QStringLiteral("settingsDialog"));
        QVERIFY(settings);
        QVERIFY(settings->isVisible());
        settings->close();
    }

    void cardButtonsSayWhyTheyAreDisabled()
    {
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        auto *diffDev = window->findChild<QPushButton *>(QStringLiteral("diff-dev"));
        auto *branchDev = window->findChild<QPushButton *>(QStringLiteral("switchBranch-dev"));
        auto *drift = window->findChild<QToolButton *>(QStringLiteral("drift-dev"));
        auto *checkDrift = window->findChild<QToolButton *>(QStringLiteral("checkDrift-dev"));
        QVERIFY(diffDev && branchDev && drift && checkDrift);

        // Drift is not measured until asked: unknown, with a way to ask.
        QCOMPARE(drift->text(), QStringLiteral("drift: unknown"));
        QVERIFY(checkDrift->isEnabled());
        QVERIFY(!drift->accessibleName().isEmpty());

        QSignalSpy diff(window.get(), &MainWindow::diffRequested);
        QVERIFY(diffDev->isEnabled());
        QTest::mouseClick(diffDev, Qt::LeftButton);
        QCOMPARE(diff.last(), (QList<QVariant>{QStringLiteral("dev"), QString()}));
        QTest::mouseClick(drift, Qt::LeftButton);
        QCOMPARE(diff.last(),
                 (QList<QVariant>{QStringLiteral("migrations:dev"), QStringLiteral("dev")}));

        // No branches configured here.
        QVERIFY(!branchDev->isEnabled());
        QVERIFY2(branchDev->toolTip().contains(QStringLiteral("no branches configured")),
                 qPrintable(branchDev->toolTip()));
        QVERIFY(!window->findChild<QLabel *>(QStringLiteral("branchLine-dev")));

        // A stopped server: what needs it is disabled, and says so.
        QVERIFY(m_prod.stop().ok());
        QTRY_COMPARE_WITH_TIMEOUT(textOf(*window, QStringLiteral("status-prod")),
                                  QStringLiteral("Down"), kTimeoutMs);
        auto *diffProd = window->findChild<QPushButton *>(QStringLiteral("diff-prod"));
        auto *checkDriftProd = window->findChild<QToolButton *>(QStringLiteral("checkDrift-prod"));
        QVERIFY(!diffProd->isEnabled());
        QCOMPARE(diffProd->toolTip(), QStringLiteral("prod is down: start it first."));
        QVERIFY(!checkDriftProd->isEnabled());
        QCOMPARE(checkDriftProd->toolTip(), QStringLiteral("prod is down: start it first."));

        // Every disabled button on every card has a reason.
        int disabled = 0;
        for (auto *card : window->findChildren<ui::EnvironmentCard *>()) {
            for (QAbstractButton *button : card->findChildren<QAbstractButton *>()) {
                if (!button->isVisibleTo(window.get()) || button->isEnabled())
                    continue;
                ++disabled;
                QVERIFY2(!button->toolTip().isEmpty(), qPrintable(button->objectName()));
            }
        }
        QVERIFY(disabled >= 5);

        QVERIFY2(m_prod.restart().ok(), qPrintable(m_prod.serverLog()));
        QTRY_VERIFY_WITH_TIMEOUT(diffProd->isEnabled(), kTimeoutMs);
    }

    void startMinimisedAndAutostartAreSettings()
    {
        ui::SettingsDialog::setStartMinimised(true);
        {
            auto monitor = std::make_unique<StatusMonitor>(
                workspaceOf({environmentAt(QStringLiteral("dev"), m_dev.url())}));
            EnvironmentController controller(monitor.get());
            MainWindow window(monitor.get(), &controller);
            window.showOnLaunch(true);
            QVERIFY(!window.isVisible()); // the tray brings it back
            window.showOnLaunch(false);   // no tray: never start invisible
            QVERIFY(window.isVisible());
            window.hide();
        }
        ui::SettingsDialog::setStartMinimised(false);

        auto [monitor, controller, window] = startWindow();
        QFile::remove(ui::Autostart::filePath());
        ui::SettingsDialog *settings = window->openSettings();
        auto *minimised = settings->findChild<QCheckBox *>(QStringLiteral("settingStartMinimised"));
        auto *autostart = settings->findChild<QCheckBox *>(QStringLiteral("settingAutostart"));
        QVERIFY(minimised && autostart);
        QVERIFY(!minimised->isChecked());
        minimised->setChecked(true);
        QVERIFY(ui::SettingsDialog::startMinimised());
        minimised->setChecked(false);

        QTRY_VERIFY(autostart->isEnabled()); // its state was read on a worker
        QVERIFY(!autostart->isChecked());
        QSignalSpy written(settings, &ui::SettingsDialog::autostartChanged);
        autostart->setChecked(true);
        QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, kTimeoutMs);
        QVERIFY2(written.first().at(0).toBool(), qPrintable(written.first().at(1).toString()));
        QFile entry(ui::Autostart::filePath());
        QVERIFY(entry.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(entry.readAll());
        entry.close();
        QVERIFY2(text.startsWith(QStringLiteral("[Desktop Entry]\n")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Exec=") + QCoreApplication::applicationFilePath() +
                               QStringLiteral(" --workspace ") + monitor->workspace().filePath),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Type=Application\n")));

        autostart->setChecked(false);
        QTRY_COMPARE_WITH_TIMEOUT(written.size(), 2, kTimeoutMs);
        QVERIFY(!QFile::exists(ui::Autostart::filePath()));
        // Paths with spaces are quoted as the Desktop Entry spec says.
        QCOMPARE(ui::Autostart::entryText(QStringLiteral("/opt/Parity Deck/paritydeck"),
                                          QStringLiteral("/home/a/my app/paritydeck.yaml"))
                     .section(QLatin1Char('\n'), 4, 4),
                 QStringLiteral("Exec=\"/opt/Parity Deck/paritydeck\" --workspace \"/home/a/my "
                                "app/paritydeck.yaml\""));
    }

    void aLongReasonElidesAndNeverWidensTheWindow()
    {
        // A health command that prints a 500-character last line: the kind of reason a real
        // service gives (a stack trace line, a path, a JSON blob).
        QString longLine = QStringLiteral("worker is not ready: ");
        while (longLine.size() < 310)
            longLine += QStringLiteral("waiting for the queue to drain ");
        longLine += QStringLiteral("/var/lib/app/") + QString(200, QLatin1Char('x'));
        longLine = longLine.left(500);
        QCOMPARE(longLine.size(), 500);
        EnvironmentConfig flaky = environmentAt(QStringLiteral("flaky"), m_dev.url());
        ServiceConfig worker;
        worker.name = QStringLiteral("worker");
        // Start fails with the same line: the inline error elides too, whole in Details.
        worker.start = QStringLiteral("echo '%1'; exit 1").arg(longLine);
        worker.stop = QStringLiteral("true");
        worker.health.kind = HealthProbeConfig::Kind::Command;
        worker.health.target = QStringLiteral("echo '%1'; exit 1").arg(longLine);
        flaky.services = {worker};
        auto monitor = std::make_unique<StatusMonitor>(
            workspaceOf({environmentAt(QStringLiteral("dev"), m_dev.url()), flaky}));
        monitor->setIntervalMs(300);
        EnvironmentController controller(monitor.get());
        MainWindow window(monitor.get(), &controller);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(700, 500);
        QTRY_COMPARE(window.width(), 700);
        QTest::qWait(50); // the layout settles before the reason arrives
        const int before = window.width();

        monitor->start();
        QLabel *reason = labelOf(window, QStringLiteral("reason-flaky"));
        QVERIFY(reason);
        QTRY_VERIFY_WITH_TIMEOUT(reason->text().contains(longLine), kTimeoutMs);
        QVERIFY(reason->isVisible());
        // Several rounds of checks, each re-publishing the reason.
        QSignalSpy checked(monitor.get(), &StatusMonitor::statusChanged);
        QTRY_VERIFY_WITH_TIMEOUT(checked.size() >= 4, kTimeoutMs);
        QTest::qWait(50);
        QCOMPARE(window.width(), before);
        QVERIFY2(window.minimumSizeHint().width() <= before,
                 qPrintable(QString::number(window.minimumSizeHint().width())));
        QVERIFY(window.minimumWidth() <= before);
        // Elided on screen; whole in the tool tip and in what a screen reader reads.
        QVERIFY(static_cast<ui::ElidedLabel *>(reason)->isElided());
        QVERIFY(reason->width() < window.width());
        QVERIFY(reason->toolTip().contains(longLine));
        auto *card = window.findChild<ui::EnvironmentCard *>(QStringLiteral("card-flaky"));
        QVERIFY(card);
        QVERIFY(card->accessibleDescription().contains(longLine));
        // A failed action with the long line: elided inline, whole under Details.
        auto *start = window.findChild<QPushButton *>(QStringLiteral("start-flaky"));
        QVERIFY(start && start->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        auto *errorText = window.findChild<ui::ElidedLabel *>(QStringLiteral("errorText-flaky"));
        QVERIFY(errorText);
        QTRY_VERIFY_WITH_TIMEOUT(errorText->isVisible(), kTimeoutMs);
        QVERIFY(errorText->text().contains(longLine));
        QVERIFY(errorText->isElided());
        auto *details = window.findChild<QToolButton *>(QStringLiteral("errorDetails-flaky"));
        QVERIFY(details);
        details->click();
        QLabel *detailText = labelOf(window, QStringLiteral("errorDetailText-flaky"));
        QVERIFY(detailText && detailText->isVisible());
        QVERIFY(detailText->text().contains(longLine));
        QTest::qWait(50);
        QCOMPARE(window.width(), before);
        QVERIFY(window.minimumWidth() <= before);
        window.grab().save(QStringLiteral("/tmp/pd-long-reason-cards.png"));

        // Rows: the reason still elides; the row fits a 1024 px screen.
        window.setCompactRows(true);
        QTest::qWait(50);
        QVERIFY2(window.minimumSizeHint().width() <= 1024,
                 qPrintable(QString::number(window.minimumSizeHint().width())));
        QVERIFY(reason->toolTip().contains(longLine));
        window.resize(1024, 500);
        QTRY_COMPARE(window.width(), 1024);
        QVERIFY(static_cast<ui::ElidedLabel *>(reason)->isElided());
        window.grab().save(QStringLiteral("/tmp/pd-long-reason-rows.png"));
        window.setCompactRows(false);
        window.hide();
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
    }

    void compactRowsFitA1024PixelScreen()
    {
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        // The widest row there is: a protection badge and a reason (the server is down).
        QVERIFY(m_prod.stop().ok());
        QTRY_VERIFY_WITH_TIMEOUT(labelOf(*window, QStringLiteral("reason-prod"))->isVisible(),
                                 kTimeoutMs);
        // And the longest state and a drift badge with its count (the demo's prod).
        DriftStatus drifted;
        drifted.state = DriftStatus::State::Drifted;
        drifted.objects = 12;
        drifted.summary = QStringLiteral("12 changed");
        drifted.checkedAt = QDateTime::currentDateTimeUtc();
        monitor->setDrift(QStringLiteral("dev"), drifted);
        QTRY_VERIFY_WITH_TIMEOUT(window->summaryText().contains(QLatin1String("dev: drift")),
                                 kTimeoutMs);
        const int cardsWidth = window->width();
        window->setCompactRows(true);
        QTRY_VERIFY2(window->minimumWidth() > cardsWidth || window->minimumWidth() < 700,
                     qPrintable(QString::number(window->minimumWidth())));
        QVERIFY2(window->minimumWidth() <= 1024,
                 qPrintable(QString::number(window->minimumWidth())));
        // The window grew to what rows need, not past it.
        QTRY_COMPARE(window->width(), std::max(cardsWidth, window->minimumWidth()));
        window->resize(1024, 400);
        QTRY_COMPARE(window->width(), 1024);
        QVERIFY2(window->minimumSizeHint().width() <= 1024,
                 qPrintable(QString::number(window->minimumSizeHint().width())));
        // Nothing on a row is cut off or pushed past the card's edge.
        for (auto *card : window->findChildren<ui::EnvironmentCard *>()) {
            QVERIFY(card->geometry().right() <= window->width());
            for (QWidget *child : card->findChildren<QWidget *>(Qt::FindDirectChildrenOnly)) {
                if (!child->isVisible())
                    continue;
                QVERIFY2(child->geometry().right() <= card->contentsRect().right(),
                         qPrintable(child->objectName()));
                const int least = child->minimumWidth() > 0 ? child->minimumWidth()
                                                            : child->minimumSizeHint().width();
                QVERIFY2(child->width() >= least, qPrintable(child->objectName()));
                // A button's words are never cut.
                if (auto *button = qobject_cast<QPushButton *>(child))
                    QVERIFY2(child->width() >=
                                 button->fontMetrics().horizontalAdvance(button->text()),
                             qPrintable(child->objectName()));
            }
        }
        window->grab().save(QStringLiteral("/tmp/pd-rows-1024.png"));

        // What the row leaves off is under More, enabled and explained as on the card.
        auto *devCard = window->findChild<ui::EnvironmentCard *>(QStringLiteral("card-dev"));
        auto *more = window->findChild<QToolButton *>(QStringLiteral("more-dev"));
        QVERIFY(devCard && more && more->isVisible() && more->menu());
        QVERIFY(!more->accessibleName().isEmpty());
        Q_EMIT more->menu()->aboutToShow();
        QStringList texts;
        for (QAction *action : more->menu()->actions())
            texts << action->text();
        // (dev's drift is known: checking it is doing it again.)
        QCOMPARE(texts, (QStringList{QStringLiteral("Restart"), QStringLiteral("Switch branch…"),
                                     QStringLiteral("Check again")}));
        QAction *branch = more->menu()->actions().at(1);
        QVERIFY(!branch->isEnabled());
        QVERIFY2(branch->toolTip().contains(QStringLiteral("no branches configured")),
                 qPrintable(branch->toolTip()));
        QAction *checkDrift = more->menu()->actions().at(2);
        QVERIFY(checkDrift->isEnabled());
        QSignalSpy driftAsked(devCard, &ui::EnvironmentCard::driftCheckRequested);
        checkDrift->trigger();
        QCOMPARE(driftAsked.size(), 1);
        window->setCompactRows(false);
        QVERIFY(!more->isVisible());
        QVERIFY(window->findChild<QWidget *>(QStringLiteral("restart-dev"))->isVisible());
        window->close();
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
    }

    void aMaximisedWindowKeepsStatusAndFiguresTogether()
    {
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        window->resize(1920, 1000);
        QTRY_COMPARE(window->width(), 1920);
        QTest::qWait(50);
        QLabel *state = labelOf(*window, QStringLiteral("status-dev"));
        QLabel *version = labelOf(*window, QStringLiteral("version-dev"));
        QLabel *checkedAge = labelOf(*window, QStringLiteral("checked-dev"));
        QVERIFY(state && version && checkedAge && version->isVisible());
        const auto left = [&window](QWidget *w) {
            return w->mapTo(window.get(), QPoint(0, 0)).x();
        };
        // The figures follow the state at a fixed gap instead of at the far side.
        const int gap = left(version) - (left(state) + state->width());
        QVERIFY2(gap > 0 && gap < 60, qPrintable(QString::number(gap)));
        QVERIFY(left(checkedAge) < left(state) + 60 * state->fontMetrics().averageCharWidth());
        // The cards keep a readable width, centred, instead of spanning 1920 px.
        auto *card = window->findChild<ui::EnvironmentCard *>(QStringLiteral("card-dev"));
        QVERIFY(card);
        QVERIFY2(card->width() < 1400, qPrintable(QString::number(card->width())));
        const int leftGap = left(card);
        const int rightGap = window->width() - (left(card) + card->width());
        QVERIFY2(qAbs(leftGap - rightGap) < 40,
                 qPrintable(QStringLiteral("%1 %2").arg(leftGap).arg(rightGap)));
        window->grab().save(QStringLiteral("/tmp/pd-maximised.png"));
        window->close();
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
    }

    // The window's age timer sleeps until the soonest of these: it must be exactly when
    // "checked … ago" changes, not before (a wasted wake) and not after (a stale text).
    void theAgeTextChangesExactlyWhenForetold()
    {
        const QDateTime at = QDateTime::currentDateTimeUtc();
        QCOMPARE(pd::ui::msUntilCheckedAgeChanges(QDateTime(), at), -1);
        for (const qint64 ageMs : {0LL, 1LL, 59'999LL, 60'000LL, 61'500LL, 3'540'000LL}) {
            const QDateTime now = at.addMSecs(ageMs);
            const qint64 wait = pd::ui::msUntilCheckedAgeChanges(at, now);
            QVERIFY2(wait > 0 && wait <= 60'000, qPrintable(QString::number(ageMs)));
            const QString text = pd::ui::formatCheckedAge(at, now);
            QCOMPARE(pd::ui::formatCheckedAge(at, now.addMSecs(wait - 1)), text);
            QVERIFY(pd::ui::formatCheckedAge(at, now.addMSecs(wait)) != text);
        }
        // Past an hour the text names the time of day and stays.
        QCOMPARE(pd::ui::msUntilCheckedAgeChanges(at, at.addSecs(3600)), -1);
    }

    // A check pushes its card's "checked … ago" deadline a minute on: the window's age timer
    // follows it, later too, so that a panel checked more often than a minute never wakes
    // for it (it kept the sooner deadline and woke once a minute for nothing).
    void theAgeTimerFollowsTheNewestChecks()
    {
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        monitor->stop();
        QTRY_COMPARE_WITH_TIMEOUT(monitor->checksInFlight(), 0, kTimeoutMs);
        QElapsedTimer clock;
        clock.start();
        // A coarse timer: a minute give or take its 5 % (it may fire up to 3 s either side).
        const int before = window->msUntilAgeRefresh();
        QVERIFY2(before > 0 && before <= 63'100, qPrintable(QString::number(before)));
        QTest::qWait(7000); // more than the two timers' slack together
        monitor->refreshAll();
        QTRY_COMPARE_WITH_TIMEOUT(monitor->checksInFlight(), 0, kTimeoutMs);
        const qint64 dueBefore = before;
        const qint64 dueAfter = clock.elapsed() + window->msUntilAgeRefresh();
        // Both environments were just checked: a minute from now, not from the first checks.
        QVERIFY2(dueAfter >= dueBefore + 500,
                 qPrintable(QStringLiteral("%1 %2").arg(dueBefore).arg(dueAfter)));
        QVERIFY2(window->msUntilAgeRefresh() > 56'000,
                 qPrintable(QString::number(window->msUntilAgeRefresh())));
    }

    void secondaryWindowsCloseWithEscCtrlWAndClose()
    {
        auto [monitor, controller, window] = startWindow();
        using Opener = std::function<QWidget *()>;
        const QList<QPair<QString, Opener>> windows{
            {QStringLiteral("parity"), [&] { return window->openParityView(); }},
            {QStringLiteral("secrets"), [&] { return window->openSecretsView(); }},
            {QStringLiteral("audit"), [&] { return window->openAuditView(); }},
            {QStringLiteral("settings"), [&] { return window->openSettings(); }},
            {QStringLiteral("branches"),
             [&] { return window->openBranchSwitcher(QStringLiteral("dev")); }},
            {QStringLiteral("about"), [&] { return window->openAbout(); }},
        };
        for (const auto &[name, open] : windows) {
            for (const QKeySequence &keys :
                 {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_W)}) {
                QPointer<QWidget> w = open();
                QVERIFY2(w, qPrintable(name));
                QVERIFY2(QTest::qWaitForWindowExposed(w), qPrintable(name));
                // The window the previous one closed into may take the activation back.
                QTRY_VERIFY2((w->activateWindow(), QApplication::activeWindow() == w.data()),
                             qPrintable(name));
                QTest::keySequence(w, keys);
                // Closed, and gone (each deletes itself on close).
                QTRY_VERIFY2(!w, qPrintable(name + QLatin1Char(' ') + keys.toString()));
                QVERIFY(window->isVisible()); // only the dialog, never the main window
            }
            // And a Close button, the last button at the bottom right.
            QPointer<QWidget> w = open();
            QVERIFY(QTest::qWaitForWindowExposed(w));
            QPushButton *close = nullptr;
            for (QPushButton *b : w->findChildren<QPushButton *>()) {
                if (b->text().remove(QLatin1Char('&')) == QLatin1String("Close") && b->isVisible())
                    close = b;
            }
            QVERIFY2(close, qPrintable(name));
            QVERIFY2(close->mapTo(w, QPoint(0, 0)).y() > w->height() / 2, qPrintable(name));
            QTest::mouseClick(close, Qt::LeftButton);
            QTRY_VERIFY2(!w, qPrintable(name));
        }
    }

    void tabFollowsTheCardsVisualOrder()
    {
        auto [monitor, controller, window] = startWindow();
        for (const bool rows : {false, true}) {
            window->setCompactRows(rows);
            QTest::qWait(50);
            auto *card = window->findChild<ui::EnvironmentCard *>(QStringLiteral("card-dev"));
            QVERIFY(card);
            QList<QWidget *> buttons;
            for (auto *b : card->findChildren<QPushButton *>()) {
                if (b->isVisible())
                    buttons.append(b);
            }
            QVERIFY(buttons.size() >= (rows ? 4 : 6));
            // The order Tab visits them (Qt skips the disabled ones on the same chain) …
            QList<QWidget *> chain;
            for (QWidget *w = card->nextInFocusChain(); w != card && chain.size() < buttons.size();
                 w = w->nextInFocusChain()) {
                if (buttons.contains(w))
                    chain.append(w);
            }
            // … is left to right, as they are drawn.
            QList<QWidget *> drawn = buttons;
            std::sort(drawn.begin(), drawn.end(), [](QWidget *a, QWidget *b) {
                return a->mapToGlobal(QPoint(0, 0)).x() < b->mapToGlobal(QPoint(0, 0)).x();
            });
            QStringList chainNames, drawnNames;
            for (QWidget *w : chain)
                chainNames << w->objectName();
            for (QWidget *w : drawn)
                drawnNames << w->objectName();
            QCOMPARE(chainNames, drawnNames);
            QVERIFY(chainNames.indexOf(QStringLiteral("switchBranch-dev")) <
                    chainNames.indexOf(QStringLiteral("apply-dev")));
        }
        window->setCompactRows(false);
        window->close();
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
    }

    void focusRingAndUncheckedBoxesStandOutInBothPalettes()
    {
        auto [monitor, controller, window] = startWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->summaryText(), QStringLiteral("All environments up"),
                                  kTimeoutMs);
        const auto restore = qScopeGuard([] {
            ui::SettingsDialog::setTheme(ui::Theme::System);
            ui::applyTheme(ui::Theme::System);
        });
        for (const ui::Theme theme : {ui::Theme::Light, ui::Theme::Dark}) {
            ui::applyTheme(theme);
            const QString name = ui::themeName(theme);
            // From the palette: the colours chosen stand 3:1 off both backgrounds.
            const QPalette palette = QApplication::palette();
            for (const QColor &c : {ui::focusRingColor(palette), ui::indicatorEdgeColor(palette)}) {
                QVERIFY2(ui::contrastRatio(c, palette.color(QPalette::Window)) >= 3,
                         qPrintable(name));
                QVERIFY2(ui::contrastRatio(c, palette.color(QPalette::Base)) >= 3,
                         qPrintable(name));
            }

            // As rendered: a card button reached with Tab wears a ring that stands out from
            // the card, where it had none before.
            window->activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(window.get()));
            auto *diff = window->findChild<QPushButton *>(QStringLiteral("diff-dev"));
            QVERIFY(diff && diff->isEnabled());
            window->findChild<QWidget *>(QStringLiteral("environmentList"))->setFocus();
            QTest::qWait(50);
            QImage shot = grabOf(window.get());
            const QRect around = rectIn(shot, diff, 2);
            const QImage unfocused = shot.copy(around);
            // Tab until Diff… has the focus, as a keyboard user gets there.
            for (int i = 0; i < 60 && !diff->hasFocus(); ++i)
                QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget()
                                                            : window.get(),
                                Qt::Key_Tab);
            QVERIFY(diff->hasFocus());
            QTest::qWait(50);
            shot = grabOf(window.get());
            const QImage focused = shot.copy(around);
            shot.save(QStringLiteral("/tmp/pd-focus-%1.png").arg(name));
            const QColor cardBackground = palette.color(QPalette::Base);
            int changed = 0;
            double best = 1;
            for (int y = 0; y < focused.height(); ++y) {
                for (int x = 0; x < focused.width(); ++x) {
                    if (focused.pixel(x, y) == unfocused.pixel(x, y))
                        continue;
                    ++changed;
                    best = std::max(best,
                                    ui::contrastRatio(QColor(focused.pixel(x, y)), cardBackground));
                }
            }
            // At least once around the button's edge, in a colour that stands out.
            QVERIFY2(changed >= diff->width() + diff->height(),
                     qPrintable(QStringLiteral("%1: %2 pixels changed").arg(name).arg(changed)));
            QVERIFY2(best >= 3, qPrintable(QStringLiteral("%1: ring %2:1").arg(name).arg(best)));

            // Unchecked check boxes (Settings) and radio buttons: their box stands 3:1 off
            // the window behind them.
            ui::SettingsDialog *settings = window->openSettings();
            QVERIFY(QTest::qWaitForWindowExposed(settings));
            auto *box = settings->findChild<QCheckBox *>(QStringLiteral("settingStartMinimised"));
            QVERIFY(box && !box->isChecked());
            QWidget radioHost;
            auto *radio = new QRadioButton(QStringLiteral("Only the selection"), &radioHost);
            (new QVBoxLayout(&radioHost))->addWidget(radio);
            radioHost.show();
            QVERIFY(QTest::qWaitForWindowExposed(&radioHost));
            for (QAbstractButton *button :
                 {static_cast<QAbstractButton *>(box), static_cast<QAbstractButton *>(radio)}) {
                QStyleOptionButton option;
                option.initFrom(button);
                const QRect indicator = button->style()->subElementRect(
                    qobject_cast<QRadioButton *>(button) ? QStyle::SE_RadioButtonIndicator
                                                         : QStyle::SE_CheckBoxIndicator,
                    &option, button);
                QVERIFY(!indicator.isEmpty());
                const QImage whole = grabOf(button);
                const double dpr = whole.devicePixelRatio();
                const QColor behind(dominantColor(whole));
                const QImage drawn =
                    whole.copy(QRect(indicator.topLeft() * dpr, indicator.size() * dpr));
                const double edge = strongestContrast(drawn, behind);
                QVERIFY2(edge >= 3,
                         qPrintable(QStringLiteral("%1 %2: %3:1")
                                        .arg(name, QLatin1String(button->metaObject()->className()))
                                        .arg(edge)));
            }
            settings->close();
        }
    }

    void aboutNamesTheVersionsAndLicences()
    {
        auto [monitor, controller, window] = startWindow();
        auto *about = window->findChild<QAction *>(QStringLiteral("actionAbout"));
        QVERIFY(about);
        auto *help = window->findChild<QMenu *>(QStringLiteral("menuHelp"));
        QVERIFY(help && help->actions().contains(about));
        about->trigger();
        auto *dialog = window->findChild<ui::AboutDialog *>(QStringLiteral("aboutDialog"));
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(textOf(*dialog, QStringLiteral("aboutVersion")),
                 QStringLiteral(PARITYDECK_VERSION));
        QVERIFY2(textOf(*dialog, QStringLiteral("aboutQtVersion"))
                     .startsWith(QString::fromLatin1(qVersion())),
                 qPrintable(textOf(*dialog, QStringLiteral("aboutQtVersion"))));
        // The libpq the process loaded: a PostgreSQL 10+ style "major.minor".
        const QString libpq = textOf(*dialog, QStringLiteral("aboutLibpqVersion"));
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("^(\\d+)\\.(\\d+)$")).match(libpq);
        QVERIFY2(m.hasMatch(), qPrintable(libpq));
        QVERIFY(m.captured(1).toInt() >= 10);
        QCOMPARE(libpq, ui::AboutDialog::libpqVersion());
        const QString licences = textOf(*dialog, QStringLiteral("aboutLicences"));
        for (const char *part : {"ParityDeck", "Qt", "LGPL", "libpq", "PostgreSQL Licence",
                                 "yaml-cpp", "Qt Keychain", "libpg_query"})
            QVERIFY2(licences.contains(QLatin1String(part)), part);
        dialog->grab().save(QStringLiteral("/tmp/pd-about.png"));
        dialog->close();
    }

    void documentationOpensTheUserGuide()
    {
        auto [monitor, controller, window] = startWindow();
        const QString guide = ui::userGuidePath();
        QVERIFY(!guide.isEmpty());
        QVERIFY(QFileInfo(guide).isFile());
        QVERIFY(guide.endsWith(QStringLiteral("/user-guide.md")));
        auto *docs = window->findChild<QAction *>(QStringLiteral("actionDocumentation"));
        QVERIFY(docs && docs->isEnabled());
        QVERIFY(docs->shortcuts().contains(QKeySequence(Qt::Key_F1)));
        UrlCatcher catcher;
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &catcher, "open");
        const auto unset =
            qScopeGuard([] { QDesktopServices::unsetUrlHandler(QStringLiteral("file")); });
        docs->trigger();
        QCOMPARE(catcher.urls, QList<QUrl>{QUrl::fromLocalFile(guide)});
    }

    void settingsRoundTripAndTakeEffect()
    {
        QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear();
        const auto cleanup = qScopeGuard(
            [] { QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck")).clear(); });
        {
            auto [monitor, controller, window] = startWindow();
            window->startDriftWatch();
            ui::SettingsDialog *settings = window->openSettings();
            auto *ownRefresh =
                settings->findChild<QCheckBox *>(QStringLiteral("settingOwnRefresh"));
            auto *refresh =
                settings->findChild<QSpinBox *>(QStringLiteral("settingRefreshInterval"));
            auto *ownDrift = settings->findChild<QCheckBox *>(QStringLiteral("settingOwnDrift"));
            auto *drift = settings->findChild<QSpinBox *>(QStringLiteral("settingDriftInterval"));
            QVERIFY(ownRefresh && refresh && ownDrift && drift);
            // Nothing set: the workspace's values are shown and apply.
            QVERIFY(!ownRefresh->isChecked() && !refresh->isEnabled());
            QCOMPARE(refresh->value(), monitor->workspace().refreshIntervalSeconds);
            QCOMPARE(drift->value(), monitor->workspace().driftIntervalSeconds);
            QVERIFY(!ui::localRefreshIntervalSeconds());
            QVERIFY(!window->driftWatch()->intervalOverrideSeconds());

            ownRefresh->setChecked(true);
            refresh->setValue(7);
            QCOMPARE(ui::localRefreshIntervalSeconds().value_or(-1), 7);
            QCOMPARE(monitor->intervalMs(), 7000);
            // Typed digits apply once the value is complete, not one digit at a time.
            refresh->selectAll();
            QTest::keyClicks(refresh, QStringLiteral("45"));
            QCOMPARE(monitor->intervalMs(), 7000);
            QTest::keyClick(refresh, Qt::Key_Return);
            QCOMPARE(monitor->intervalMs(), 45000);
            refresh->setValue(7);
            QCOMPARE(monitor->intervalMs(), 7000);
            ownDrift->setChecked(true);
            drift->setValue(120);
            QCOMPARE(ui::localDriftIntervalSeconds().value_or(-1), 120);
            QCOMPARE(window->driftWatch()->intervalOverrideSeconds().value_or(-1), 120);
            QVERIFY(window->driftWatch()->isStarted());
            // 0: this user's background drift checks are off.
            drift->setValue(0);
            QCOMPARE(drift->text(), QStringLiteral("never (off)"));
            QVERIFY(!window->driftWatch()->isStarted());
            drift->setValue(300);
            QVERIFY(window->driftWatch()->isStarted());

            // Which events notify.
            auto *master = settings->findChild<QCheckBox *>(QStringLiteral("settingNotifications"));
            auto *notifyDrift =
                settings->findChild<QCheckBox *>(QStringLiteral("settingNotifyDrift"));
            auto *notifyDown =
                settings->findChild<QCheckBox *>(QStringLiteral("settingNotifyDown"));
            auto *notifyUp = settings->findChild<QCheckBox *>(QStringLiteral("settingNotifyUp"));
            auto *notifyActions =
                settings->findChild<QCheckBox *>(QStringLiteral("settingNotifyActions"));
            QVERIFY(master && notifyDrift && notifyDown && notifyUp && notifyActions);
            for (QCheckBox *b : {master, notifyDrift, notifyDown, notifyUp, notifyActions})
                QVERIFY2(b->isChecked(), qPrintable(b->objectName())); // all on by default
            QSignalSpy eventsChanged(settings, &ui::SettingsDialog::notifyEventsChanged);
            notifyUp->setChecked(false);
            QCOMPARE(eventsChanged.size(), 1);
            QVERIFY(!ui::notifies(ui::NotifyEvent::EnvironmentBackUp));
            QVERIFY(ui::notifies(ui::NotifyEvent::EnvironmentDown));
            QVERIFY(ui::notifies(ui::NotifyEvent::DriftAppeared));
            QVERIFY(ui::notifies(ui::NotifyEvent::ActionFinished));
            master->setChecked(false);
            QVERIFY(!notifyDown->isEnabled());
            for (auto e : {ui::NotifyEvent::DriftAppeared, ui::NotifyEvent::EnvironmentDown,
                           ui::NotifyEvent::EnvironmentBackUp, ui::NotifyEvent::ActionFinished})
                QVERIFY(!ui::notifies(e));
            QVERIFY(ui::notifyEventEnabled(ui::NotifyEvent::EnvironmentDown)); // kept underneath
            master->setChecked(true);
            settings->grab().save(QStringLiteral("/tmp/pd-settings.png"));
            settings->close();
            window->close();
        }
        // A new window (the next launch) reads them back and applies them at once.
        auto [monitor, controller, window] = startWindow();
        QCOMPARE(monitor->intervalMs(), 7000);
        QCOMPARE(window->driftWatch()->intervalOverrideSeconds().value_or(-1), 300);
        ui::SettingsDialog *settings = window->openSettings();
        QVERIFY(settings->findChild<QCheckBox *>(QStringLiteral("settingOwnRefresh"))->isChecked());
        QCOMPARE(settings->findChild<QSpinBox *>(QStringLiteral("settingRefreshInterval"))->value(),
                 7);
        QCOMPARE(settings->findChild<QSpinBox *>(QStringLiteral("settingDriftInterval"))->value(),
                 300);
        QVERIFY(!settings->findChild<QCheckBox *>(QStringLiteral("settingNotifyUp"))->isChecked());
        QVERIFY(settings->findChild<QCheckBox *>(QStringLiteral("settingNotifyDown"))->isChecked());
        // Back to the workspace's: unticking forgets the own value.
        settings->findChild<QCheckBox *>(QStringLiteral("settingOwnRefresh"))->setChecked(false);
        QVERIFY(!ui::localRefreshIntervalSeconds());
        QCOMPARE(monitor->intervalMs(), monitor->workspace().refreshIntervalSeconds * 1000);
        settings->close();
    }

    void teamHistoryFromTheDatabaseShowsOnTheCardAndInTheAuditView()
    {
        // A teammate applied 0042 to prod: a row in prod's own paritydeck.history.
        auto prodDb = m_prod.connect();
        QVERIFY(prodDb.ok());
        SharedHistoryEntry ana;
        ana.environment = QStringLiteral("prod");
        ana.who = QStringLiteral("ana@laptop");
        ana.kind = QStringLiteral("migration");
        ana.what = QStringLiteral("0042");
        ana.result = QStringLiteral("applied");
        QVERIFY(sharedhistory::write(prodDb.value(), ana).ok());

        EnvironmentConfig prod =
            environmentAt(QStringLiteral("prod"), m_prod.url(), Protection::Confirm);
        prod.history = HistoryStore::Database;
        StatusMonitor monitor(
            workspaceOf({environmentAt(QStringLiteral("dev"), m_dev.url()), prod}));
        monitor.setIntervalMs(300);
        EnvironmentController controller(&monitor);
        MainWindow window(&monitor, &controller);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        monitor.start();
        auto *line = window.findChild<QLabel *>(QStringLiteral("sharedHistory-prod"));
        QVERIFY(line);
        QTRY_COMPARE_WITH_TIMEOUT(
            line->text(), QStringLiteral("prod: 0042 applied by ana@laptop just now"), kTimeoutMs);
        QVERIFY(line->isVisible());
        QVERIFY(line->toolTip().contains(QStringLiteral("paritydeck.history")));
        // dev keeps its history locally: no line, and its database gets no table.
        QVERIFY(!window.findChild<QLabel *>(QStringLiteral("sharedHistory-dev"))->isVisible());

        ui::AuditView *audit = window.openAuditView();
        auto *table = audit->findChild<QTableWidget *>(QStringLiteral("auditTable"));
        QTRY_VERIFY_WITH_TIMEOUT(!audit->isLoading(), kTimeoutMs);
        bool found = false;
        for (int r = 0; r < table->rowCount(); ++r)
            found = found || (table->item(r, ui::AuditView::DetailColumn)->text() ==
                                  QStringLiteral("from the database: applied") &&
                              table->item(r, ui::AuditView::UserColumn)->text() ==
                                  QStringLiteral("ana@laptop"));
        QVERIFY(found);
        audit->close();
        QVERIFY(prodDb.value().exec(QStringLiteral("DROP SCHEMA paritydeck CASCADE")).ok());
    }

private:
    struct Running
    {
        std::unique_ptr<StatusMonitor> monitor;
        std::unique_ptr<EnvironmentController> controller;
        std::unique_ptr<MainWindow> window; // destroyed before the monitor it watches
    };

    Running startWindow()
    {
        Running r;
        r.monitor = std::make_unique<StatusMonitor>(workspaceOf(
            {environmentAt(QStringLiteral("dev"), m_dev.url()),
             environmentAt(QStringLiteral("prod"), m_prod.url(), Protection::Confirm)}));
        r.monitor->setIntervalMs(300);
        r.controller = std::make_unique<EnvironmentController>(r.monitor.get());
        r.window = std::make_unique<MainWindow>(r.monitor.get(), r.controller.get());
        r.window->show();
        if (!QTest::qWaitForWindowExposed(r.window.get()))
            qWarning("main window was not exposed");
        r.monitor->start();
        return r;
    }

    PgCluster m_dev;
    PgCluster m_prod;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
