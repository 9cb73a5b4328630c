#include "paritymatrix.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace pd {

namespace {

enum class Presence { Present, Absent, Unknown };

// One environment's value for one row, before the row decides same/different.
struct RawCell
{
    Presence presence = Presence::Unknown;
    QString compare; // equality is decided on this (a hash for config values and secrets)
    QString text;
    QString note;
};

struct RawRow
{
    ParityRowKind kind;
    QString key;
    QList<RawCell> cells;     // in environment order
    bool valuesShown = false; // a config key listed in parity.show_values
    int weight = 1;
    bool gate = false;
    bool secret = false; // a secret probe: values never shown, not even a prefix
};

// Kinds whose values are not secret and may appear in messages.
bool showsValues(const RawRow &row)
{
    return row.kind != ParityRowKind::ConfigKey && row.kind != ParityRowKind::Secret && !row.secret;
}

QString hashPrefix(const QByteArray &sha256Hex)
{
    return QString::fromLatin1(sha256Hex.left(6));
}

QString joinNames(const QStringList &names)
{
    if (names.size() <= 1)
        return names.value(0);
    return QString(names.mid(0, names.size() - 1).join(QStringLiteral(", ")) +
                   QStringLiteral(" and ") + names.last());
}

RawCell unknownCell(const QString &note)
{
    return {Presence::Unknown, {}, QStringLiteral("unknown"), note};
}

RawCell singleValueCell(const std::optional<QString> &value, const QString &noneText,
                        const QString &whyUnknown)
{
    if (!value)
        return unknownCell(whyUnknown.isEmpty() ? QStringLiteral("not checked") : whyUnknown);
    if (value->isEmpty())
        return {Presence::Absent, {}, noneText, {}};
    return {Presence::Present, *value, *value, {}};
}

QString missingPhrase(ParityRowKind kind)
{
    switch (kind) {
    case ParityRowKind::ConfigKey:
        return QStringLiteral("is absent in %1");
    case ParityRowKind::Secret:
        return QStringLiteral("does not resolve in %1");
    case ParityRowKind::MigrationHead:
        return QStringLiteral("is empty in %1 (no migration applied)");
    case ParityRowKind::Extension:
        return QStringLiteral("is not installed in %1");
    default:
        return QStringLiteral("is missing in %1");
    }
}

} // namespace

QString parityRowKindName(ParityRowKind kind)
{
    switch (kind) {
    case ParityRowKind::ConfigKey:
        return QStringLiteral("config");
    case ParityRowKind::Secret:
        return QStringLiteral("secret");
    case ParityRowKind::MigrationHead:
        return QStringLiteral("migration-head");
    case ParityRowKind::SchemaFingerprint:
        return QStringLiteral("schema-fingerprint");
    case ParityRowKind::ServerVersion:
        return QStringLiteral("server-version");
    case ParityRowKind::Extension:
        return QStringLiteral("extension");
    case ParityRowKind::Probe:
        return QStringLiteral("probe");
    case ParityRowKind::Setting:
        return QStringLiteral("setting");
    case ParityRowKind::Roles:
        return QStringLiteral("roles");
    case ParityRowKind::Privileges:
        return QStringLiteral("privileges");
    case ParityRowKind::ReferenceData:
        return QStringLiteral("reference-data");
    }
    return QStringLiteral("config");
}

QString parityCellStateName(ParityCellState state)
{
    switch (state) {
    case ParityCellState::Same:
        return QStringLiteral("same");
    case ParityCellState::Different:
        return QStringLiteral("different");
    case ParityCellState::Missing:
        return QStringLiteral("missing");
    case ParityCellState::Unknown:
        return QStringLiteral("unknown");
    }
    return QStringLiteral("unknown");
}

QString ParityRow::label() const
{
    switch (kind) {
    case ParityRowKind::ConfigKey:
        return QStringLiteral("config key %1").arg(key);
    case ParityRowKind::Secret:
        return QStringLiteral("secret %1").arg(key);
    case ParityRowKind::MigrationHead:
        return QStringLiteral("migration head");
    case ParityRowKind::SchemaFingerprint:
        return QStringLiteral("schema fingerprint");
    case ParityRowKind::ServerVersion:
        return QStringLiteral("server version");
    case ParityRowKind::Extension:
        return key.isEmpty() ? QStringLiteral("extensions")
                             : QStringLiteral("extension %1").arg(key);
    case ParityRowKind::Probe:
        return QStringLiteral("probe %1").arg(key);
    case ParityRowKind::Setting:
        return QStringLiteral("setting %1").arg(key);
    case ParityRowKind::Roles:
        return QStringLiteral("roles");
    case ParityRowKind::Privileges:
        return QStringLiteral("privileges");
    case ParityRowKind::ReferenceData:
        return QStringLiteral("reference data %1").arg(key);
    }
    return key;
}

ParityMatrix ParityMatrix::build(const QList<ParityEnvironmentInput> &environments,
                                 const ParityOptions &options)
{
    ParityMatrix m;
    m.m_target = options.target;
    for (const ParityEnvironmentInput &env : environments) {
        m.m_environments.append(env.name);
        if (!env.dotenvNote.isEmpty())
            m.m_notes.append(QStringLiteral("%1: %2").arg(env.name, env.dotenvNote));
    }

    QList<RawRow> raw;

    // Config keys: the union over every environment whose dotenv file could be read.
    QStringList configKeys;
    for (const ParityEnvironmentInput &env : environments) {
        if (env.dotenvHashes)
            configKeys += env.dotenvHashes->keys();
    }
    configKeys.removeDuplicates();
    configKeys.sort();
    for (const QString &key : configKeys) {
        RawRow row{ParityRowKind::ConfigKey, key, {}};
        const bool presenceOnly = options.presenceOnly.contains(key);
        row.valuesShown = !presenceOnly && std::any_of(environments.cbegin(), environments.cend(),
                                                       [&key](const ParityEnvironmentInput &env) {
                                                           return env.shownValues.contains(key);
                                                       });
        for (const ParityEnvironmentInput &env : environments) {
            if (!env.dotenvHashes) {
                row.cells.append(unknownCell(env.dotenvNote.isEmpty()
                                                 ? QStringLiteral("no dotenv file is configured")
                                                 : env.dotenvNote));
            } else if (const auto it = env.dotenvHashes->constFind(key);
                       it != env.dotenvHashes->cend()) {
                row.cells.append({Presence::Present,
                                  presenceOnly ? QStringLiteral("set") : QString::fromLatin1(*it),
                                  row.valuesShown ? env.shownValues.value(key)
                                                  : QStringLiteral("set · %1").arg(hashPrefix(*it)),
                                  {}});
            } else {
                row.cells.append({Presence::Absent, {}, QStringLiteral("absent"), {}});
            }
        }
        raw.append(row);
    }

    // Secret references, by name.
    QStringList secretNames;
    for (const ParityEnvironmentInput &env : environments)
        secretNames += env.secrets.keys();
    secretNames.removeDuplicates();
    secretNames.sort();
    for (const QString &name : secretNames) {
        RawRow row{ParityRowKind::Secret, name, {}};
        const bool presenceOnly = options.presenceOnly.contains(name);
        for (const ParityEnvironmentInput &env : environments) {
            const auto it = env.secrets.constFind(name);
            if (it == env.secrets.cend())
                row.cells.append(
                    {Presence::Absent,
                     {},
                     QStringLiteral("missing"),
                     QStringLiteral("no secret reference named %1 is configured").arg(name)});
            else if (!it->resolved)
                row.cells.append({Presence::Absent, {}, QStringLiteral("missing"), it->note});
            else
                row.cells.append(
                    {Presence::Present,
                     presenceOnly ? QStringLiteral("set") : QString::fromLatin1(it->sha256Hex),
                     QStringLiteral("set"),
                     {}});
        }
        raw.append(row);
    }

    // Single-valued rows appear once any environment provides them or says why it could
    // not: a row nobody could check is shown unknown, never dropped.
    const auto whyUnknown = [](const ParityEnvironmentInput &env, const QString &own) {
        return own.isEmpty() ? env.serverNote : own;
    };
    auto addSingle = [&](ParityRowKind kind, auto member, auto note, const QString &noneText) {
        const bool any = std::any_of(
            environments.cbegin(), environments.cend(), [&](const ParityEnvironmentInput &env) {
                return (env.*member).has_value() || !whyUnknown(env, env.*note).isEmpty();
            });
        if (!any)
            return;
        RawRow row{kind, {}, {}};
        for (const ParityEnvironmentInput &env : environments)
            row.cells.append(singleValueCell(env.*member, noneText, whyUnknown(env, env.*note)));
        raw.append(row);
    };
    if (options.migrationsKnown)
        addSingle(ParityRowKind::MigrationHead, &ParityEnvironmentInput::migrationHead,
                  &ParityEnvironmentInput::migrationNote, QStringLiteral("none applied"));
    addSingle(ParityRowKind::SchemaFingerprint, &ParityEnvironmentInput::schemaFingerprint,
              &ParityEnvironmentInput::schemaNote, QStringLiteral("none"));
    addSingle(ParityRowKind::ServerVersion, &ParityEnvironmentInput::serverVersion,
              &ParityEnvironmentInput::serverNote, QStringLiteral("none"));

    // Extensions. plpgsql is part of every database and would only inflate the score.
    QStringList extensionNames;
    for (const ParityEnvironmentInput &env : environments) {
        if (env.extensions)
            extensionNames += env.extensions->keys();
    }
    extensionNames.removeDuplicates();
    extensionNames.removeAll(QStringLiteral("plpgsql"));
    extensionNames.sort();
    // No environment could list its extensions: one row says so rather than none.
    const bool extensionsUnchecked = std::any_of(
        environments.cbegin(), environments.cend(), [](const ParityEnvironmentInput &env) {
            return !env.extensions && !env.serverNote.isEmpty();
        });
    if (extensionNames.isEmpty() && extensionsUnchecked)
        extensionNames.append(QString());
    for (const QString &name : extensionNames) {
        RawRow row{ParityRowKind::Extension, name, {}};
        for (const ParityEnvironmentInput &env : environments) {
            if (!env.extensions)
                row.cells.append(unknownCell(
                    env.serverNote.isEmpty() ? QStringLiteral("not checked") : env.serverNote));
            else if (name.isEmpty())
                row.cells.append({Presence::Absent, {}, QStringLiteral("none"), {}});
            else if (const auto it = env.extensions->constFind(name); it != env.extensions->cend())
                row.cells.append({Presence::Present, *it, *it, {}});
            else
                row.cells.append({Presence::Absent, {}, QStringLiteral("not installed"), {}});
        }
        raw.append(row);
    }

    // Probe rows, in the order the first environment that ran them lists them.
    QList<QPair<ParityRowKind, QString>> probeRows;
    for (const ParityEnvironmentInput &env : environments) {
        for (const ParityProbeValue &p : env.probes) {
            if (!probeRows.contains(qMakePair(p.kind, p.key)))
                probeRows.append(qMakePair(p.kind, p.key));
        }
    }
    for (const auto &probeRow : probeRows) {
        const ParityRowKind kind = probeRow.first;
        const QString &key = probeRow.second;
        RawRow row{kind, key, {}};
        bool described = false;
        for (const ParityEnvironmentInput &env : environments) {
            const auto it = std::find_if(
                env.probes.cbegin(), env.probes.cend(),
                [&](const ParityProbeValue &p) { return p.kind == kind && p.key == key; });
            if (it == env.probes.cend()) {
                row.cells.append(unknownCell(QStringLiteral("not checked")));
                continue;
            }
            if (!described) {
                row.weight = it->weight;
                row.gate = it->gate;
                row.secret = it->secret;
                described = true;
            }
            switch (it->state) {
            case ParityProbeValue::State::Value:
                row.cells.append({Presence::Present, it->value, it->text, {}});
                break;
            case ParityProbeValue::State::Missing:
                row.cells.append({Presence::Absent, {}, QStringLiteral("missing"), it->note});
                break;
            case ParityProbeValue::State::Unknown:
                row.cells.append(unknownCell(it->note));
                break;
            }
        }
        raw.append(row);
    }

    // Cells, matches, mismatch sentences.
    const QStringList &names = m.m_environments;
    for (const RawRow &r : raw) {
        // Reference value: the most common present value, ties to the first environment.
        QMap<QString, int> counts;
        for (const RawCell &c : r.cells) {
            if (c.presence == Presence::Present)
                ++counts[c.compare];
        }
        QString reference;
        int best = 0;
        int present = 0;
        for (const RawCell &c : r.cells) {
            if (c.presence != Presence::Present)
                continue;
            ++present;
            if (counts.value(c.compare) > best) {
                best = counts.value(c.compare);
                reference = c.compare;
            }
        }
        // When every environment has a value of its own, none of them is the reference.
        const bool hasReference = best >= 2 || present == 1;

        ParityRow row;
        row.kind = r.kind;
        row.key = r.key;
        row.weight = r.weight;
        row.gate = r.gate;
        row.secret = r.secret;
        row.matches = !r.cells.isEmpty();
        QStringList missing, unknown;
        QList<QStringList> groups; // environments by value, in order of first appearance
        QStringList groupValues, groupTexts;
        for (qsizetype i = 0; i < r.cells.size(); ++i) {
            const RawCell &c = r.cells.at(i);
            ParityCell cell;
            cell.text = c.text;
            cell.note = c.note;
            switch (c.presence) {
            case Presence::Present: {
                cell.state = hasReference && c.compare == reference ? ParityCellState::Same
                                                                    : ParityCellState::Different;
                // A secret probe's cell says only how its hash compares.
                if (r.secret)
                    cell.text = cell.state == ParityCellState::Same
                                    ? QStringLiteral("hash matches")
                                    : QStringLiteral("hash differs");
                qsizetype g = groupValues.indexOf(c.compare);
                if (g < 0) {
                    groupValues.append(c.compare);
                    groupTexts.append(c.text);
                    groups.append(QStringList());
                    g = groups.size() - 1;
                }
                groups[g].append(names.at(i));
                break;
            }
            case Presence::Absent:
                cell.state = ParityCellState::Missing;
                missing.append(c.note.isEmpty()
                                   ? names.at(i)
                                   : QStringLiteral("%1 (%2)").arg(names.at(i), c.note));
                break;
            case Presence::Unknown:
                cell.state = ParityCellState::Unknown;
                if (Unchecked &u = m.m_uncheckedByEnvironment[names.at(i)]; ++u.cells == 1)
                    u.reason = c.note;
                unknown.append(c.note.isEmpty()
                                   ? names.at(i)
                                   : QStringLiteral("%1 (%2)").arg(names.at(i), c.note));
                break;
            }
            if (cell.state != ParityCellState::Same)
                row.matches = false;
            row.cells.insert(names.at(i), cell);
        }
        if (!unknown.isEmpty())
            ++m.m_unchecked;
        m.m_totalWeight += r.weight;
        if (row.matches) {
            ++m.m_matching;
            m.m_matchingWeight += r.weight;
        } else {
            QStringList parts;
            if (!missing.isEmpty())
                parts.append(missingPhrase(r.kind).arg(joinNames(missing)));
            if (groups.size() > 1) {
                QStringList described;
                for (qsizetype g = 0; g < groups.size(); ++g) {
                    if (showsValues(r) || r.valuesShown) {
                        described.append(QStringLiteral("%1 in %2")
                                             .arg(groupTexts.at(g), joinNames(groups.at(g))));
                    } else {
                        const bool several = groups.at(g).size() > 1;
                        const QString which = g == 0 ? QStringLiteral("one value")
                                                     : (g == 1 ? QStringLiteral("another")
                                                               : QStringLiteral("yet another"));
                        described.append(
                            QStringLiteral("%1 %2 %3")
                                .arg(joinNames(groups.at(g)),
                                     several ? QStringLiteral("share") : QStringLiteral("has"),
                                     which));
                    }
                }
                parts.append(
                    QStringLiteral("differs: %1").arg(described.join(QStringLiteral("; "))));
            }
            if (!unknown.isEmpty())
                parts.append(QStringLiteral("could not be compared in %1").arg(joinNames(unknown)));
            QString sentence =
                QString(row.label() + QLatin1Char(' ') + parts.join(QStringLiteral("; ")));
            sentence[0] = sentence.at(0).toUpper();
            m.m_mismatches.append({row.kind, row.key, sentence});
        }
        m.m_rows.append(row);
    }

    // Pair scores.
    for (qsizetype a = 0; a < names.size(); ++a) {
        for (qsizetype b = a + 1; b < names.size(); ++b) {
            ParityPairScore pair;
            pair.first = names.at(a);
            pair.second = names.at(b);
            for (const RawRow &r : raw) {
                const RawCell &x = r.cells.at(a);
                const RawCell &y = r.cells.at(b);
                ++pair.total;
                pair.totalWeight += r.weight;
                if (x.presence == Presence::Present && y.presence == Presence::Present &&
                    x.compare == y.compare) {
                    ++pair.matching;
                    pair.matchingWeight += r.weight;
                }
            }
            m.m_pairs.append(pair);
        }
    }
    return m;
}

const ParityRow *ParityMatrix::row(ParityRowKind kind, const QString &key) const
{
    for (const ParityRow &r : m_rows) {
        if (r.kind == kind && r.key == key)
            return &r;
    }
    return nullptr;
}

std::optional<ParityPairScore> ParityMatrix::pair(const QString &a, const QString &b) const
{
    for (const ParityPairScore &p : m_pairs) {
        if ((p.first == a && p.second == b) || (p.first == b && p.second == a))
            return p;
    }
    return std::nullopt;
}

QString ParityMatrix::uncheckedSummary() const
{
    if (m_unchecked == 0)
        return {};
    QStringList where;
    for (auto it = m_uncheckedByEnvironment.cbegin(); it != m_uncheckedByEnvironment.cend(); ++it)
        where.append(QStringLiteral("%1 (%2 %3: %4)")
                         .arg(it.key())
                         .arg(it->cells)
                         .arg(it->cells == 1 ? QStringLiteral("cell") : QStringLiteral("cells"),
                              it->reason));
    return QStringLiteral("%1 %2 not checked in %3")
        .arg(m_unchecked)
        .arg(m_unchecked == 1 ? QStringLiteral("row") : QStringLiteral("rows"), joinNames(where));
}

bool ParityMatrix::meetsTarget() const
{
    if (!m_target)
        return m_matching == totalRows();
    // Compared in whole percent as shown, so "95 %, target 95 %" never fails.
    return qRound(score() * 100) >= *m_target;
}

QString ParityMatrix::scoreText() const
{
    QString text = QStringLiteral("%1 %").arg(qRound(score() * 100));
    if (m_target)
        text += QStringLiteral(", target %1 %").arg(*m_target);
    return text;
}

QJsonObject ParityMatrix::toJson() const
{
    QJsonObject root;
    root.insert(QStringLiteral("environments"), QJsonArray::fromStringList(m_environments));
    QJsonObject score;
    score.insert(QStringLiteral("matching"), m_matching);
    score.insert(QStringLiteral("total"), totalRows());
    score.insert(QStringLiteral("weight_matching"), m_matchingWeight);
    score.insert(QStringLiteral("weight_total"), m_totalWeight);
    score.insert(QStringLiteral("ratio"), this->score());
    score.insert(QStringLiteral("unchecked"), m_unchecked);
    root.insert(QStringLiteral("score"), score);
    root.insert(QStringLiteral("target"), m_target ? QJsonValue(*m_target) : QJsonValue());
    root.insert(QStringLiteral("meets_target"), meetsTarget());
    QJsonObject unchecked;
    for (auto it = m_uncheckedByEnvironment.cbegin(); it != m_uncheckedByEnvironment.cend(); ++it)
        unchecked.insert(it.key(), QJsonObject{{QStringLiteral("cells"), it->cells},
                                               {QStringLiteral("reason"), it->reason}});
    root.insert(QStringLiteral("unchecked"), unchecked);

    QJsonArray pairs;
    for (const ParityPairScore &p : m_pairs) {
        QJsonObject o;
        o.insert(QStringLiteral("environments"), QJsonArray{p.first, p.second});
        o.insert(QStringLiteral("matching"), p.matching);
        o.insert(QStringLiteral("total"), p.total);
        o.insert(QStringLiteral("weight_matching"), p.matchingWeight);
        o.insert(QStringLiteral("weight_total"), p.totalWeight);
        o.insert(QStringLiteral("ratio"), p.score());
        pairs.append(o);
    }
    root.insert(QStringLiteral("pairs"), pairs);

    QJsonArray rows;
    for (const ParityRow &r : m_rows) {
        QJsonObject o;
        o.insert(QStringLiteral("kind"), parityRowKindName(r.kind));
        if (!r.key.isEmpty())
            o.insert(QStringLiteral("key"), r.key);
        o.insert(QStringLiteral("label"), r.label());
        o.insert(QStringLiteral("matches"), r.matches);
        o.insert(QStringLiteral("weight"), r.weight);
        o.insert(QStringLiteral("gate"), r.gate);
        if (r.secret)
            o.insert(QStringLiteral("secret"), true);
        QJsonObject cells;
        for (const QString &env : m_environments) {
            const ParityCell cell = r.cells.value(env);
            QJsonObject c;
            c.insert(QStringLiteral("state"), parityCellStateName(cell.state));
            c.insert(QStringLiteral("text"), cell.text);
            if (!cell.note.isEmpty())
                c.insert(QStringLiteral("note"), cell.note);
            cells.insert(env, c);
        }
        o.insert(QStringLiteral("cells"), cells);
        rows.append(o);
    }
    root.insert(QStringLiteral("rows"), rows);

    QJsonArray mismatches;
    for (const ParityMismatch &mm : m_mismatches) {
        QJsonObject o;
        o.insert(QStringLiteral("kind"), parityRowKindName(mm.kind));
        if (!mm.key.isEmpty())
            o.insert(QStringLiteral("key"), mm.key);
        o.insert(QStringLiteral("message"), mm.message);
        mismatches.append(o);
    }
    root.insert(QStringLiteral("mismatches"), mismatches);
    root.insert(QStringLiteral("notes"), QJsonArray::fromStringList(m_notes));
    return root;
}

} // namespace pd
