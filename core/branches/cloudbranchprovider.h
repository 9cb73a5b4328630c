// Database branches of hosted PostgreSQL vendors (Neon, Supabase, Xata, …) through the
// vendor's own command line tool, configured as command templates:
//
//   create: neonctl branches create --project-id P --name {name} --parent {parent} --output json
//   delete: neonctl branches delete --project-id P {name}
//   list:   neonctl branches list --project-id P --output json      (listFormat: json,
//   jsonNameField: name)
//
// {name} and {parent} are replaced by the values single-quoted for /bin/sh, so a branch
// name can never inject a command; write the placeholders without quotes of your own.
// The vendor CLI keeps its own login (API key in its config or environment); ParityDeck
// never sees it.
//
// Blocking: call from worker threads. Each command is bounded by timeoutSeconds and
// killed with its whole process group when it overruns.
#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pd {

struct CloudBranchProviderConfig
{
    enum class ListFormat { Json, Lines };

    QString create; // template with {name} and {parent}
    QString remove; // "delete:" in the workspace file; template with {name}
    QString list;   // template without placeholders
    ListFormat listFormat = ListFormat::Json;
    // Json: the field holding a branch's name in each object; a dotted path ("branch.name")
    // reaches into nested objects.
    QString jsonNameField = QStringLiteral("name");
    QString workingDirectory;           // where the commands run (the workspace folder)
    QMap<QString, QString> environment; // extra variables for the commands
    int timeoutSeconds = 120;
};

struct CloudBranch
{
    QString name;
    QJsonObject
        details; // the whole object for JSON output (ids, parent, timestamps); empty for lines
};

class CloudBranchProvider final
{
public:
    explicit CloudBranchProvider(CloudBranchProviderConfig config);

    const CloudBranchProviderConfig &config() const noexcept { return m_config; }

    // Returns the command's standard output (vendor CLIs print the new branch's details).
    Result<QString> create(const QString &name, const QString &parent) const;
    Result<void> remove(const QString &name) const;
    Result<QList<CloudBranch>> list() const;
    // Runs an already expanded command (reset, connection) with the same folder,
    // environment, timeout and error reporting; `what` completes "the command to … cloud
    // branches failed". Returns its standard output.
    Result<QString> runExpanded(const QString &what, const QString &command) const;

    // Template expansion: every {key} replaced by the shell-quoted value. Unknown
    // placeholders stay as written.
    static QString expand(const QString &commandTemplate, const QMap<QString, QString> &values);
    static QString shellQuote(const QString &value);

    // Output parsers. JSON: a top-level array of objects, or an object holding one
    // (neonctl prints a bare array; REST-style tools print {"branches":[…]}).
    static Result<QList<CloudBranch>> parseJsonList(const QByteArray &output,
                                                    const QString &nameField);
    // Lines: one name per non-empty line; lines starting with '#' are comments.
    static QList<CloudBranch> parseLines(const QByteArray &output);

private:
    Result<QByteArray> run(const QString &what, const QString &command) const;

    CloudBranchProviderConfig m_config;
};

} // namespace pd
