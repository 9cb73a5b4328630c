// The parity matrix as a table: one row per compared fact (config key, secret, migration
// head, schema fingerprint, server version, extension), a first column naming it, then
// one column per environment. Each cell carries its state in words and a symbol
// ("= same · 1a2b3c", "≠ different · 9f8e7d", "✗ missing", "? unknown") as well as a
// background tint, so colour is never the only signal.
#pragma once

#include "parity/paritymatrix.h"

#include <QAbstractTableModel>

namespace pd::ui {

class ParityModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParityModel)

public:
    enum Role {
        CellStateRole = Qt::UserRole + 1, // pd::ParityCellState as int; -1 for the label column
        RowKindRole,                      // pd::ParityRowKind as int
        EnvironmentRole,                  // QString; empty for the label column
    };

    explicit ParityModel(QObject *parent = nullptr);

    void setMatrix(const ParityMatrix &matrix);
    // Config keys and secrets compared by presence only (parity.presence_only): their
    // cells say "set" without a hash, since the values differ by design.
    void setPresenceOnly(const QStringList &keys) { m_presenceOnly = keys; }
    const ParityMatrix &matrix() const noexcept { return m_matrix; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "Config keys", "Secrets", …: the row header of a group's first row.
    static QString groupName(ParityRowKind kind);
    // "= same · 1a2b3c" …: what a cell shows.
    static QString cellText(const ParityCell &cell, bool presenceOnly = false);

private:
    bool isPresenceOnly(const ParityRow &row) const;

    ParityMatrix m_matrix;
    QStringList m_presenceOnly;
};

} // namespace pd::ui
