#include "gui.h"

#include "audit/auditlog.h"
#include "cli.h"
#include "common/detachedwork.h"
#include "common/heartbeatlog.h"
#include "common/logging.h"
#include "diffreview/diffreviewwindow.h"
#include "environment/environmentcontroller.h"
#include "environment/resolvedconnection.h"
#include "environment/statusmonitor.h"
#include "mainwindow.h"
#include "migrations/shadowdatabase.h"
#include "settingsdialog.h"
#include "singleinstance.h"
#include "statusicons.h"
#include "theme.h"
#include "traycontroller.h"
#include "workspace/workspaceloader.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

namespace pd::app {

namespace {

// Reports how long the first frame took, for the launch benchmark and the closing notes.
// Watches the first paint event of any widget and reports once that event is handled.
class FirstPaintProbe final : public QObject
{
public:
    FirstPaintProbe(const QElapsedTimer &sinceLaunch, QObject *parent)
        : QObject(parent)
        , m_sinceLaunch(sinceLaunch)
    {
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (!m_done && event->type() == QEvent::Paint && watched->isWidgetType()) {
            m_done = true;
            const qint64 ms = m_sinceLaunch.elapsed();
            QTimer::singleShot(0, this, [ms] {
                qInfo("first window painted %lld ms after launch", static_cast<long long>(ms));
                if (qEnvironmentVariableIntValue("PARITYDECK_STARTUP_TRACE") == 1)
                    std::fprintf(stderr, "paritydeck: first paint after %lld ms\n",
                                 static_cast<long long>(ms));
            });
            qApp->removeEventFilter(this);
        }
        return false;
    }

private:
    QElapsedTimer m_sinceLaunch;
    bool m_done = false;
};

int showStartupError(const QString &message)
{
    std::fprintf(stderr, "paritydeck: %s\n", message.toLocal8Bit().constData());
    auto *box = new QMessageBox(
        QMessageBox::Critical, QCoreApplication::translate("pd::Gui", "ParityDeck"),
        QCoreApplication::translate("pd::Gui", "ParityDeck cannot open this workspace."),
        QMessageBox::Close);
    box->setInformativeText(message);
    box->setObjectName(QStringLiteral("startupError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, qApp, [] { QCoreApplication::exit(2); });
    box->show();
    return QApplication::exec();
}

} // namespace

namespace {

// How long quitting waits, in total, for work still running on detached pools.
constexpr int kQuitGraceMs = 1000;

// The panel: its objects live until the event loop ends, and are destroyed before the
// caller decides how long to wait for their detached work.
int runPanel(QApplication &app, SingleInstance &instance, Workspace workspace);

} // namespace

int runGui(int &argc, char **argv, const QStringList &arguments, const QElapsedTimer &sinceLaunch)
{
    QApplication app(argc, argv);
    // untranslated: the product's name
    QApplication::setApplicationDisplayName(QStringLiteral("ParityDeck"));
    QApplication::setDesktopFileName(QStringLiteral("io.paritydeck.ParityDeck"));
    QApplication::setWindowIcon(ui::appIcon());
    // Always, System included: the panel's style keeps the focus ring and check box edges visible.
    ui::applyTheme(ui::SettingsDialog::theme());
    logging::install();
    // Before anything else: a second launch only raises the open panel.
    SingleInstance instance;
    if (instance.claim() == SingleInstance::Role::RaisedOther)
        return 0;
    auto *probe = new FirstPaintProbe(sinceLaunch, &app);
    app.installEventFilter(probe);
    if (const QString heartbeatLog = qEnvironmentVariable("PARITYDECK_HEARTBEAT_LOG");
        !heartbeatLog.isEmpty())
        new HeartbeatLog(heartbeatLog, sinceLaunch, &app);

    QString error;
    const cli::GlobalOptions options = cli::parseGlobalOptions(arguments.mid(1), &error);
    QString path = options.workspace;
    if (path.isEmpty()) {
        auto found = WorkspaceLoader::discover(QDir::currentPath());
        if (!found)
            return showStartupError(found.error().message);
        path = found.value();
    }
    // Reading one small YAML file before the first window exists: there is no frame to
    // freeze yet, and the window needs the environment list to lay out its cards.
    auto workspace = WorkspaceLoader::load(path);
    if (!workspace)
        return showStartupError(workspace.error().message);

    stampAuditEntries(*workspace); // every audit entry says where from, and which database
    const int code = runPanel(app, instance, std::move(workspace).value());
    // Every panel object is gone, and none waited for its workers: a status check or plan
    // read stuck in a connect to a server that never answers is still running, detached.
    // Give them a moment to end (each is bounded by its connect_timeout anyway), then leave
    // without running static destructors beside them: quitting never hangs on a server.
    // A shadow database a drift check or the review window was still building is dropped
    // first (bounded the same way), so it does not outlive the panel; the work building it
    // may still be running, so then the panel leaves the same way.
    const bool gaveUpOnShadows = ShadowDatabase::dropAllBeforeExit(kQuitGraceMs) > 0;
    if (!finishDetachedWork(kQuitGraceMs) || gaveUpOnShadows) {
        qInfo("quitting with work still running against a server that does not answer");
        std::fflush(stdout);
        std::fflush(stderr);
        std::_Exit(code);
    }
    return code;
}

namespace {

int runPanel(QApplication &app, SingleInstance &instance, Workspace workspace)
{
    StatusMonitor monitor(std::move(workspace));
    EnvironmentController controller(&monitor);
    ui::MainWindow window(&monitor, &controller);
    ui::TrayController tray(&monitor);
    tray.attachWindow(&window);
    // With a tray, closing the window keeps ParityDeck running in the tray.
    // At login the panel may start before the desktop's tray: the icon then appears as
    // soon as a tray does, without blocking or failing.
    tray.showWhenAvailable();
    QObject::connect(&window, &ui::MainWindow::quitRequested, &app, &QCoreApplication::quit);
    QObject::connect(&tray, &ui::TrayController::quitRequested, &app, &QCoreApplication::quit);
    // Also when the window was closed to the tray or minimised.
    QObject::connect(&instance, &SingleInstance::raiseRequested, &window, [&window] {
        window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
        window.show();
        window.raise();
        window.activateWindow();
    });

    // Diff…, the drift badge, Compare environments… and the parity view all ask for a
    // comparison; each opens its own review window (it deletes itself when closed). An
    // empty side is for the user to pick; with both sides known the comparison starts.
    QObject::connect(&window, &ui::MainWindow::diffRequested, &window,
                     [&window, &monitor, &controller](const QString &from, const QString &to) {
                         auto *review = new ui::DiffReviewWindow(monitor.workspace(), &window);
                         // Revert ENV to its migrations runs through the migration dialog.
                         review->setEnvironmentController(&controller);
                         // "Save & open in migration dialog": the new file is pending in the
                         // environment the SQL changes; its dialog reviews and applies it.
                         QObject::connect(review,
                                          &ui::DiffReviewWindow::openInMigrationDialogRequested,
                                          &window, [&window](const QString &environment) {
                                              window.openMigrationDialog(environment);
                                          });
                         // A drift reverted from the review: the card's badge is read again now,
                         // not at the watch's next look.
                         QObject::connect(review, &ui::DiffReviewWindow::revertFinished, &window,
                                          [&window](const QString &environment, bool reverted) {
                                              if (reverted)
                                                  window.checkDrift(environment);
                                          });
                         if (!from.isEmpty() && !to.isEmpty())
                             review->compareSides(from, to);
                         else
                             review->setSides(from, to);
                         review->show();
                         review->raise();
                     });

    window.showOnLaunch(tray.isVisible());
    monitor.start();
    controller.refreshAll();
    // Drift known without a click: checked in the background once environments answer.
    window.startDriftWatch();
    return QApplication::exec();
}

} // namespace

} // namespace pd::app
