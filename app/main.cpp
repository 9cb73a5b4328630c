// paritydeck: with a subcommand (or --help/--version) it is the CLI on a QCoreApplication;
// without one it opens the control panel.
#include "cli.h"
#include "common/logging.h"
#include "gui.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <sys/prctl.h>
#include <sys/resource.h>

namespace {

// Every ParityDeck process may hold a database password or a keyring secret in memory, and
// a core file of a crash keeps all of it on disk (a SIGSEGV core held the password 21
// times): no core file, and no other process of this user reading our memory or
// /proc/PID/environ. Set before anything is resolved.
void disableCoreDumps()
{
    const struct rlimit none = {0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

} // namespace

int main(int argc, char **argv)
{
    disableCoreDumps();
    QElapsedTimer sinceLaunch;
    sinceLaunch.start();

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    // untranslated: names the settings folder
    QCoreApplication::setOrganizationName(QStringLiteral("ParityDeck"));
    QCoreApplication::setApplicationName(QStringLiteral("paritydeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PARITYDECK_VERSION));

    if (pd::cli::isCliInvocation(arguments)) {
        QCoreApplication app(argc, argv);
        pd::logging::install();
        return pd::cli::run(arguments);
    }
    return pd::app::runGui(argc, argv, arguments, sinceLaunch);
}
