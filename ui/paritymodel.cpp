#include "paritymodel.h"

#include <QBrush>
#include <QColor>

namespace pd::ui {

ParityModel::ParityModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ParityModel::setMatrix(const ParityMatrix &matrix)
{
    beginResetModel();
    m_matrix = matrix;
    endResetModel();
}

int ParityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_matrix.rows().size());
}

int ParityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_matrix.environments().size()) + 1;
}

bool ParityModel::isPresenceOnly(const ParityRow &row) const
{
    return (row.kind == ParityRowKind::ConfigKey || row.kind == ParityRowKind::Secret) &&
           m_presenceOnly.contains(row.key);
}

QString ParityModel::cellText(const ParityCell &cell, bool presenceOnly)
{
    const QString value = presenceOnly          ? tr(" · set")
                          : cell.text.isEmpty() ? QString()
                                                : QStringLiteral(" · ") + cell.text;
    switch (cell.state) {
    case ParityCellState::Same:
        return tr("= same%1").arg(value);
    case ParityCellState::Different:
        return tr("≠ different%1").arg(value);
    case ParityCellState::Missing:
        return tr("✗ missing");
    case ParityCellState::Unknown:
        return tr("? unknown");
    }
    return {};
}

QVariant ParityModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_matrix.rows().size())
        return {};
    const ParityRow &row = m_matrix.rows().at(index.row());
    if (role == RowKindRole)
        return int(row.kind);
    if (index.column() == 0) {
        switch (role) {
        case Qt::DisplayRole:
            // The group (the row header) says the kind; the row says which one.
            return row.key.isEmpty() ? row.label() : row.key;
        case Qt::AccessibleTextRole:
            return row.label();
        case Qt::ToolTipRole: {
            QString tip =
                row.matches ? tr("Every environment agrees") : tr("Not every environment agrees");
            if (row.weight != 1)
                tip += tr("\nWeight %1 in the score").arg(row.weight);
            if (row.gate)
                tip += tr("\nA promotion gate: must match to promote");
            if (row.secret)
                tip += tr("\nSecret: compared by hash, never shown");
            return tip;
        }
        case Qt::DecorationRole:
            return {};
        case CellStateRole:
            return -1;
        default:
            return {};
        }
    }
    const QString env = m_matrix.environments().value(index.column() - 1);
    const ParityCell cell = row.cells.value(env);
    switch (role) {
    case Qt::DisplayRole:
        return cellText(cell, isPresenceOnly(row));
    case Qt::AccessibleTextRole:
        // A screen reader hears why a cell is unknown, as the tooltip shows it.
        return QString(env + QStringLiteral(": ") + cellText(cell, isPresenceOnly(row)) +
                       (cell.state == ParityCellState::Unknown && !cell.note.isEmpty()
                            ? QString(QStringLiteral(" — ") + cell.note)
                            : QString()));
    case Qt::ToolTipRole: {
        QString tip = env + QStringLiteral(" — ") + row.label() + QStringLiteral(": ") +
                      parityCellStateName(cell.state);
        if (!cell.note.isEmpty())
            tip += QStringLiteral("\n") + cell.note;
        if (isPresenceOnly(row))
            tip += tr("\nCompared by presence only: its values differ by design "
                      "(parity.presence_only).");
        if (row.kind == ParityRowKind::SchemaFingerprint &&
            cell.state == ParityCellState::Different)
            tip += tr("\nDouble-click to review the schema difference.");
        return tip;
    }
    case Qt::BackgroundRole: {
        // Translucent tints over the palette's base: readable on light and dark themes.
        switch (cell.state) {
        case ParityCellState::Same:
            return QBrush(QColor(22, 163, 74, 40));
        case ParityCellState::Different:
            return QBrush(QColor(217, 119, 6, 70));
        case ParityCellState::Missing:
            return QBrush(QColor(220, 38, 38, 60));
        case ParityCellState::Unknown:
            return QBrush(QColor(128, 128, 128, 40));
        }
        return {};
    }
    case CellStateRole:
        return int(cell.state);
    case EnvironmentRole:
        return env;
    default:
        return {};
    }
}

QString ParityModel::groupName(ParityRowKind kind)
{
    switch (kind) {
    case ParityRowKind::ConfigKey:
        return tr("Config keys");
    case ParityRowKind::Secret:
        return tr("Secrets");
    case ParityRowKind::MigrationHead:
        return tr("Migrations");
    case ParityRowKind::SchemaFingerprint:
        return tr("Schema");
    case ParityRowKind::ServerVersion:
        return tr("Server");
    case ParityRowKind::Extension:
        return tr("Extensions");
    case ParityRowKind::Probe:
        return tr("Probes");
    case ParityRowKind::Setting:
        return tr("Settings");
    case ParityRowKind::Roles:
        return tr("Roles");
    case ParityRowKind::Privileges:
        return tr("Privileges");
    case ParityRowKind::ReferenceData:
        return tr("Reference data");
    }
    return {};
}

QVariant ParityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical) {
        // Rows come grouped by kind: the kind is named once, on the group's first row.
        const QList<ParityRow> &rows = m_matrix.rows();
        if (section < 0 || section >= rows.size())
            return {};
        if (section > 0 && rows.at(section - 1).kind == rows.at(section).kind)
            return QString();
        return groupName(rows.at(section).kind);
    }
    if (section == 0)
        return tr("Compared");
    return m_matrix.environments().value(section - 1);
}

} // namespace pd::ui
