// parity/: how alike the environments are. Rows are things that should agree (config
// keys of each environment's dotenv file, its secret references, migration head, schema
// fingerprint, server version, extensions); columns are environments; each cell says
// whether that environment agrees with the others.
//
// Values never reach a cell's text: config values are compared by SHA-256 and shown as
// "set · 1a2b3c" (a hash prefix, so equal values are visibly equal), secrets only as
// "set"/"missing". Migration heads, fingerprints, versions and extension versions are not
// secret and are shown as they are.
//
// A cell is `same` when its value is the row's reference value: the most common value
// among the environments that have one (ties go to the environment listed first; when
// every environment has a value of its own there is no reference and all are
// `different`); `different` when it has another value; `missing` when the environment lacks it;
// `unknown` when it could not be determined (no dotenv file configured, input not provided).
//
// Probes (parity.probes) add rows of their own: a command's trimmed output, pg settings,
// roles, privileges and reference-data checksums. A secret probe is compared by keyed hash
// and its cells say only whether the hashes match.
//
// Scores are weighted (every row weighs 1 unless its probe says otherwise): a row matches
// for a pair of environments when both cells are present and equal; the pair's score is
// the weight of matching rows / the weight of all rows. Overall, a row matches when every
// cell is present and all are equal; the score is weighted the same way (1 with no rows).
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace pd {

enum class ParityRowKind {
    ConfigKey,
    Secret,
    MigrationHead,
    SchemaFingerprint,
    ServerVersion,
    Extension,
    Probe,        // a parity.probes command
    Setting,      // built-in: a pg_settings value
    Roles,        // built-in: the roles the app connects as, their attributes and memberships
    Privileges,   // built-in: grants on the compared schemas
    ReferenceData // built-in: a checksum of a lookup table's rows
};
enum class ParityCellState { Same, Different, Missing, Unknown };

QString parityRowKindName(ParityRowKind kind);      // "config", "secret", "migration-head", …
QString parityCellStateName(ParityCellState state); // "same", "different", "missing", "unknown"

// A secret reference of one environment after resolution: only whether it resolved and the
// hash of its value, never the value.
struct ParitySecretState
{
    bool resolved = false;
    QByteArray sha256Hex; // keyed: paritydigest::hex(), never a plain SHA-256 of the value
    QString note;         // why it did not resolve (names the reference, never a value)
};

// One environment's result of a probe (parity.probes): a command's trimmed output, a
// setting, a digest of roles, grants or a table's rows.
struct ParityProbeValue
{
    enum class State { Value, Missing, Unknown };
    ParityRowKind kind = ParityRowKind::Probe;
    QString key; // probe name, setting name, table; "" for roles and privileges
    State state = State::Unknown;
    QString value; // what equality is decided on; a keyed digest for secret probes
    QString text;  // safe to show; empty for secret probes
    QString note;  // why missing or unknown
    bool secret = false;
    int weight = 1;
    bool gate = false;
};

// What is known about one environment. Optional members left empty are "unknown".
struct ParityEnvironmentInput
{
    QString name;
    // Config keys → keyed digest (paritydigest::hex) of each value; nullopt when no dotenv file is
    // configured or it could not be read (dotenvNote says which).
    std::optional<QMap<QString, QByteArray>> dotenvHashes;
    QString dotenvNote;
    // The plain values of the keys listed in parity.show_values (not secret by the
    // workspace's word): shown in their cells instead of a hash prefix.
    QMap<QString, QString> shownValues;
    // Every secret reference of the environment (EnvironmentConfig::secrets), by name.
    QMap<QString, ParitySecretState> secrets;
    // From the migrations engine: the latest applied version; "" when none is applied.
    std::optional<QString> migrationHead;
    // From schema introspection.
    std::optional<QString> schemaFingerprint;
    std::optional<QString> serverVersion;
    // extension name → version.
    std::optional<QMap<QString, QString>> extensions;
    // Why a server fact above is unknown, for its cells and the summary ("prod: cannot read
    // the database password: keyring locked", "environment variable PD_X is not set").
    // serverNote covers version and extensions, and the other two when they have none.
    QString serverNote;
    QString migrationNote;
    QString schemaNote;
    // parity.probes results, in the workspace's order.
    QList<ParityProbeValue> probes;
};

struct ParityOptions
{
    // Config keys and secret names compared by presence only: values that differ by design
    // (DATABASE_URL, SENTRY_DSN) would otherwise never match.
    QStringList presenceOnly;
    // The workspace's migrations could be read: without them there is no migration head
    // to compare, and the row is left out rather than shown unknown everywhere.
    bool migrationsKnown = true;
    // parity.target: the weighted score, in percent, the matrix should reach.
    std::optional<int> target;
};

struct ParityCell
{
    ParityCellState state = ParityCellState::Unknown;
    QString text; // safe to display
    QString note; // why missing/unknown, when known

    bool operator==(const ParityCell &) const = default;
};

struct ParityRow
{
    int weight = 1;      // its weight in the scores (parity.probes weight:, 1 otherwise)
    bool secret = false; // a secret probe: cells say only whether hashes match
    ParityRowKind kind = ParityRowKind::ConfigKey;
    QString key;                     // config key, secret name, extension name; "" for single rows
    QMap<QString, ParityCell> cells; // by environment name
    bool matches = false;            // every cell present and equal
    bool gate = false;

    QString label() const; // "config key LOG_LEVEL", "migration head", …
};

struct ParityPairScore
{
    QString first;
    QString second;
    int matching = 0; // rows
    int total = 0;
    int matchingWeight = 0; // the same, weighted
    int totalWeight = 0;
    double score() const
    {
        return totalWeight == 0 ? 1.0 : double(matchingWeight) / double(totalWeight);
    }
};

struct ParityMismatch
{
    ParityRowKind kind = ParityRowKind::ConfigKey;
    QString key;
    QString message; // one sentence, never a value of a config key or secret
};

class ParityMatrix final
{
public:
    static ParityMatrix build(const QList<ParityEnvironmentInput> &environments,
                              const ParityOptions &options = {});

    const QStringList &environments() const noexcept { return m_environments; }
    const QList<ParityRow> &rows() const noexcept { return m_rows; }
    // nullptr when there is no such row.
    const ParityRow *row(ParityRowKind kind, const QString &key = {}) const;
    const QList<ParityPairScore> &pairs() const noexcept { return m_pairs; }
    std::optional<ParityPairScore> pair(const QString &a, const QString &b) const;
    int matchingRows() const noexcept { return m_matching; }
    int totalRows() const noexcept { return int(m_rows.size()); }
    // Weighted: the weights of matching rows / the weights of all rows (1 with none).
    double score() const
    {
        return m_totalWeight == 0 ? 1.0 : double(m_matchingWeight) / double(m_totalWeight);
    }
    int matchingWeight() const noexcept { return m_matchingWeight; }
    int totalWeight() const noexcept { return m_totalWeight; }
    // parity.target in percent, when the workspace sets one.
    std::optional<int> target() const noexcept { return m_target; }
    // The score reaches the target; without a target, every row matches.
    bool meetsTarget() const;
    // "85 %" or "85 %, target 95 %".
    QString scoreText() const;
    const QList<ParityMismatch> &mismatches() const noexcept { return m_mismatches; }
    // Rows with at least one cell that could not be checked (state unknown), and per
    // environment how many of its cells could not be, with the first reason met.
    int uncheckedRows() const noexcept { return m_unchecked; }
    struct Unchecked
    {
        int cells = 0;
        QString reason;
    };
    const QMap<QString, Unchecked> &uncheckedByEnvironment() const noexcept
    {
        return m_uncheckedByEnvironment;
    }
    // "4 rows not checked in prod (cannot read the database password: keyring locked)";
    // empty when every cell was checked.
    QString uncheckedSummary() const;
    // Problems met while collecting (unreadable dotenv files, …), one sentence each.
    const QStringList &notes() const noexcept { return m_notes; }

    // The document `paritydeck parity --json` prints (docs/parity.md).
    QJsonObject toJson() const;

private:
    QStringList m_environments;
    QList<ParityRow> m_rows;
    QList<ParityPairScore> m_pairs;
    QList<ParityMismatch> m_mismatches;
    QStringList m_notes;
    int m_matching = 0;
    int m_matchingWeight = 0;
    int m_totalWeight = 0;
    std::optional<int> m_target;
    int m_unchecked = 0;
    QMap<QString, Unchecked> m_uncheckedByEnvironment;
};

} // namespace pd
