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
    const QString value = presenceOnly ? QStringLiteral(" · set")
                          : cell.text.isEmpty() ? QString()
                                                : QStringLiteral(" · ") + cell.text;
    switch (cell.state) {
    case ParityCellState::Same: return QStringLiteral("= same") + value;
    case ParityCellState::Different: return QStringLiteral("≠ different") + value;
    case ParityCellState::Missing: return QStringLiteral("✗ missing");
    case ParityCellState::Unknown: return QStringLiteral("? unknown");
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
        case Qt::AccessibleTextRole:
            return row.label();
        case Qt::ToolTipRole:
            return row.matches ? QStringLiteral("Every environment agrees")
                               : QStringLiteral("Not every environment agrees");
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
            tip += QStringLiteral("\nCompared by presence only: its values differ by design "
                                  "(parity.presence_only).");
        if (row.kind == ParityRowKind::SchemaFingerprint && cell.state == ParityCellState::Different)
            tip += QStringLiteral("\nDouble-click to review the schema difference.");
        return tip;
    }
    case Qt::BackgroundRole: {
        // Translucent tints over the palette's base: readable on light and dark themes.
        switch (cell.state) {
        case ParityCellState::Same: return QBrush(QColor(22, 163, 74, 40));
        case ParityCellState::Different: return QBrush(QColor(217, 119, 6, 70));
        case ParityCellState::Missing: return QBrush(QColor(220, 38, 38, 60));
        case ParityCellState::Unknown: return QBrush(QColor(128, 128, 128, 40));
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

QVariant ParityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (section == 0)
        return QStringLiteral("Compared");
    return m_matrix.environments().value(section - 1);
}

} // namespace pd::ui
