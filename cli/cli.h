// Entry points of the command-line interface. app/main.cpp decides between GUI and CLI
// with isCliInvocation() and hands the arguments over.
#pragma once

#include <QStringList>

namespace pd::cli {

// True when the arguments name a subcommand, --help or --version (anything but the GUI).
bool isCliInvocation(const QStringList &arguments);

// Runs the command on a running QCoreApplication and returns the process exit code:
// 0 ok, 1 something not in order (not up / drift / pending), 2 usage or config error,
// 3 runtime failure.
int run(const QStringList &arguments);

// Global options shared with the GUI: --workspace PATH. Returns the remaining arguments.
struct GlobalOptions
{
    QString workspace;
    bool help = false;
    bool version = false;
    QStringList rest; // subcommand and its arguments
};
GlobalOptions parseGlobalOptions(const QStringList &arguments, QString *error);

QString usageText();

} // namespace pd::cli
