// paritydeck: with a subcommand (or --help/--version) it is the CLI on a QCoreApplication;
// without one it opens the control panel.
#include "cli.h"
#include "common/logging.h"
#include "gui.h"

#include <QCoreApplication>
#include <QElapsedTimer>

int main(int argc, char **argv)
{
    QElapsedTimer sinceLaunch;
    sinceLaunch.start();

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

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
