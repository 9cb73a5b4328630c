// paritydeck parity [--json]: the parity matrix across every environment — dotenv keys,
// secrets (compared by hash), migration head, server version and extensions — with a
// score per pair and overall. Values of config keys and secrets are never printed.
#include "command.h"
#include "common/printable.h"
#include "db/connection.h"
#include "environment/paritycheck.h"
#include "output.h"
#include "parity/paritycollector.h"
#include "parity/paritymatrix.h"
#include "secrets/secretresolver.h"

#include <QJsonObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace pd::cli {

namespace {

const QString ParityUsage = QStringLiteral(
    "Usage: paritydeck parity [--json]\n"
    "Compares every environment's dotenv keys, secrets (by hash), migration head, server\n"
    "version, extensions and the workspace's parity.probes. The score is weighted by the\n"
    "probes' weights. Exit code 0 when every row matches (with parity.target: when the score\n"
    "reaches the target), 1 otherwise.\n");

// What only a live server can tell: its version, extensions and migration head.
void addServerFacts(const Workspace &workspace, const std::optional<MigrationSet> &migrations,
                    const EnvironmentConfig &env, ParityEnvironmentInput &input)
{
    const Result<ConnectionParams> params =
        env.database.url.isEmpty()
            ? Result<ConnectionParams>(ConnectionParams())
            : connectionFor(workspace, env, ConnectionPurpose::Introspection);
    pd::addServerFacts(params, workspace, env, migrations, input);
}

QString cellSymbol(const ParityCell &cell)
{
    switch (cell.state) {
    case ParityCellState::Same:
        return QStringLiteral("= ") + cell.text;
    case ParityCellState::Different:
        return QStringLiteral("≠ ") + cell.text;
    case ParityCellState::Missing:
        return QStringLiteral("✗ missing");
    case ParityCellState::Unknown:
        return QStringLiteral("? unknown");
    }
    return {};
}

} // namespace

int parityCommand(const CommandContext &context)
{
    bool json = false;
    for (const QString &arg : context.args) {
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(ParityUsage);
            return 0;
        }
        if (arg == QLatin1String("--json"))
            json = true;
        else
            return usageError(QStringLiteral("parity: unexpected argument '%1'").arg(arg),
                              ParityUsage);
    }
    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);

    SecretResolver *resolver = createResolver(*workspace);
    QFuture<QList<ParityEnvironmentInput>> collected =
        ParityCollector::collect(*workspace, *resolver);
    collected.waitForFinished();
    QList<ParityEnvironmentInput> inputs = collected.result();
    resolver->deleteLater();

    std::optional<MigrationSet> migrations;
    if (auto set = MigrationSource::load(*workspace))
        migrations = *set;
    // Servers are asked in parallel: one unreachable environment costs its connect timeout once.
    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, int(inputs.size())));
    QList<QFuture<void>> queries;
    for (ParityEnvironmentInput &input : inputs) {
        const EnvironmentConfig *env = workspace->environment(input.name);
        if (env)
            queries.append(QtConcurrent::run(
                &pool, [&, env] { addServerFacts(*workspace, migrations, *env, input); }));
    }
    for (QFuture<void> &q : queries)
        q.waitForFinished();

    ParityOptions options;
    options.presenceOnly = workspace->parityPresenceOnly;
    options.migrationsKnown = migrations.has_value();
    options.target = workspace->parityTarget;
    const ParityMatrix matrix = ParityMatrix::build(inputs, options);
    if (json) {
        outJson(QJsonDocument(matrix.toJson()));
    } else {
        QStringList header{QStringLiteral("ROW")};
        header += matrix.environments();
        QList<QStringList> rows;
        for (const ParityRow &row : matrix.rows()) {
            QString label = row.label();
            if (row.weight != 1)
                label += QStringLiteral(" ×%1").arg(row.weight);
            if (row.gate)
                label += QStringLiteral(" [gate]");
            QStringList line{label};
            for (const QString &env : matrix.environments())
                line.append(cellSymbol(row.cells.value(env)));
            rows.append(line);
        }
        out(formatTable(header, rows));
        outLine();
        outLine(QStringLiteral("score: %1 of %2 rows match (%3)")
                    .arg(matrix.matchingRows())
                    .arg(matrix.totalRows())
                    .arg(matrix.scoreText()));
        if (const QString unchecked = matrix.uncheckedSummary(); !unchecked.isEmpty())
            outLine(QStringLiteral("  ") + unchecked);
        for (const ParityPairScore &pair : matrix.pairs())
            outLine(QStringLiteral("  %1 ↔ %2: %3/%4 (%5 %)")
                        .arg(pair.first, pair.second)
                        .arg(pair.matching)
                        .arg(pair.total)
                        .arg(qRound(pair.score() * 100)));
        if (!matrix.mismatches().isEmpty()) {
            outLine();
            outLine(QStringLiteral("mismatches:"));
            for (const ParityMismatch &m : matrix.mismatches())
                outLine(QStringLiteral("  - ") + oneLine(m.message));
        }
        for (const QString &note : matrix.notes())
            outLine(QStringLiteral("note: ") + note);
    }
    return matrix.meetsTarget() ? 0 : 1;
}

} // namespace pd::cli
