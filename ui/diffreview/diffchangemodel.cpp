#include "diffreview/diffchangemodel.h"

#include "schema/sqlgenerator.h"

#include <QFont>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

#include <algorithm>

namespace pd::ui {

namespace {

constexpr quintptr GroupId = 0; // internalId of group rows; change rows carry group + 1
// Privilege rows carry their change's position with this bit set.
constexpr quintptr PrivilegeTag = quintptr(1) << 40;
static_assert(sizeof(quintptr) >= 8, "privilege rows need 64-bit internal ids");

const QString GrantPrefix = QStringLiteral("grant ");

bool darkPalette()
{
    const QPalette palette = QGuiApplication::palette();
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor destructiveColor()
{
    return darkPalette() ? QColor(255, 128, 128) : QColor(168, 20, 32);
}

QString capitalised(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

QString plural(int n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

enum class Shape { Plus, Minus, Tilde, Warning };

QPixmap drawShape(Shape shape, QColor color, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    const qreal stroke = std::max<qreal>(1.5, s / 8.0);
    if (shape == Shape::Warning) {
        QPainterPath triangle;
        triangle.moveTo(s / 2, s * 0.06);
        triangle.lineTo(s * 0.96, s * 0.92);
        triangle.lineTo(s * 0.04, s * 0.92);
        triangle.closeSubpath();
        p.fillPath(triangle, color);
        p.setPen(QPen(Qt::white, stroke, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(s / 2, s * 0.36), QPointF(s / 2, s * 0.62));
        p.drawPoint(QPointF(s / 2, s * 0.78));
        return pixmap;
    }
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92));
    p.setPen(QPen(Qt::white, stroke, Qt::SolidLine, Qt::RoundCap));
    const qreal a = s * 0.28;
    const qreal b = s * 0.72;
    const qreal m = s / 2;
    switch (shape) {
    case Shape::Plus:
        p.drawLine(QPointF(a, m), QPointF(b, m));
        p.drawLine(QPointF(m, a), QPointF(m, b));
        break;
    case Shape::Minus:
        p.drawLine(QPointF(a, m), QPointF(b, m));
        break;
    case Shape::Tilde: {
        QPainterPath wave;
        wave.moveTo(a, m + s * 0.04);
        wave.cubicTo(QPointF(a + s * 0.1, m - s * 0.14), QPointF(m, m - s * 0.06), QPointF(m, m));
        wave.cubicTo(QPointF(m, m + s * 0.06), QPointF(b - s * 0.1, m + s * 0.14),
                     QPointF(b, m - s * 0.04));
        p.setBrush(Qt::NoBrush);
        p.drawPath(wave);
        break;
    }
    case Shape::Warning:
        break;
    }
    return pixmap;
}

QIcon drawnIcon(Shape shape, QColor color)
{
    QIcon icon;
    for (int size : {16, 24, 32, 48})
        icon.addPixmap(drawShape(shape, color, size));
    return icon;
}

QString attributeLine(const AttributeChange &attribute)
{
    const auto shown = [](const QString &value) {
        QString v = value.isEmpty() ? DiffChangeModel::tr("(none)") : value;
        v.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return v.size() > 120 ? v.left(117) + QStringLiteral("…") : v;
    };
    return QStringLiteral("%1: %2 → %3")
        .arg(attribute.name, shown(attribute.from), shown(attribute.to));
}

} // namespace

QIcon changeTypeIcon(ChangeType type)
{
    switch (type) {
    case ChangeType::Added:
        return drawnIcon(Shape::Plus, QColor(38, 133, 62));
    case ChangeType::Removed:
        return drawnIcon(Shape::Minus, QColor(192, 57, 43));
    case ChangeType::Altered:
        return drawnIcon(Shape::Tilde, QColor(53, 110, 190));
    }
    return {};
}

QIcon destructiveIcon()
{
    return drawnIcon(Shape::Warning, QColor(214, 120, 0));
}

DiffChangeModel::DiffChangeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_addedIcon(changeTypeIcon(ChangeType::Added))
    , m_removedIcon(changeTypeIcon(ChangeType::Removed))
    , m_alteredIcon(changeTypeIcon(ChangeType::Altered))
    , m_destructiveIcon(destructiveIcon())
{
}

DiffChangeModel::~DiffChangeModel() = default;

void DiffChangeModel::setDiff(SchemaDiff diff)
{
    beginResetModel();
    m_diff = std::move(diff);
    m_order.clear();
    m_groups.clear();
    m_changeDataRequests = 0;
    ++m_diffSerial;
    const QList<ObjectChange> &changes = m_diff.changes;
    const bool ordered = std::is_sorted(
        changes.cbegin(), changes.cend(),
        [](const ObjectChange &a, const ObjectChange &b) { return a.kind < b.kind; });
    if (!ordered) {
        m_order.resize(changes.size());
        for (int i = 0; i < int(changes.size()); ++i)
            m_order[i] = i;
        std::stable_sort(m_order.begin(), m_order.end(), [&changes](int a, int b) {
            return changes.at(a).kind < changes.at(b).kind;
        });
    }
    for (int row = 0; row < int(changes.size()); ++row) {
        const ObjectChange &change = changes.at(ordered ? row : m_order.at(row));
        if (m_groups.isEmpty() || m_groups.last().kind != change.kind) {
            Group group;
            group.kind = change.kind;
            group.begin = row;
            group.end = row;
            m_groups.append(group);
        }
        Group &group = m_groups.last();
        ++group.end;
        switch (change.type) {
        case ChangeType::Added:
            ++group.added;
            break;
        case ChangeType::Removed:
            ++group.removed;
            break;
        case ChangeType::Altered:
            ++group.altered;
            break;
        }
        if (change.destructive)
            ++group.destructive;
    }
    m_filtered = false;
    m_excluded.clear();
    m_excludedGrants.clear();
    endResetModel();
}

void DiffChangeModel::clear()
{
    setDiff(SchemaDiff());
}

namespace {

bool matches(const ObjectChange &change, const QStringList &words)
{
    for (const QString &word : words) {
        if (!change.displayName.contains(word, Qt::CaseInsensitive) &&
            !change.id.contains(word, Qt::CaseInsensitive) &&
            !changeTypeName(change.type).startsWith(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace

std::function<DiffChangeModel::FilterResult()>
DiffChangeModel::filterJob(const QString &text, bool onlyDestructive) const
{
    QVector<std::pair<int, int>> ranges;
    for (const Group &group : m_groups)
        ranges.append({group.begin, group.end});
    return [diff = m_diff, order = m_order, ranges, text, onlyDestructive, serial = m_diffSerial] {
        FilterResult result;
        result.text = text;
        result.onlyDestructive = onlyDestructive;
        result.diffSerial = serial;
        const QStringList words = text.trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        result.active = !words.isEmpty() || onlyDestructive;
        if (!result.active)
            return result;
        for (const auto &[begin, end] : ranges) {
            QVector<int> visible;
            int destructive = 0;
            for (int row = begin; row < end; ++row) {
                const int position = order.isEmpty() ? row : order.at(row);
                const ObjectChange &change = diff.changes.at(position);
                if (onlyDestructive && !change.destructive)
                    continue;
                if (!words.isEmpty() && !matches(change, words))
                    continue;
                visible.append(position);
                if (change.destructive)
                    ++destructive;
            }
            result.visible.append(std::move(visible));
            result.visibleDestructive.append(destructive);
        }
        return result;
    };
}

void DiffChangeModel::applyFilter(FilterResult result)
{
    if (result.diffSerial != m_diffSerial)
        return;
    m_filterText = result.text;
    m_onlyDestructive = result.onlyDestructive;
    if (!result.active && !m_filtered)
        return;
    beginResetModel();
    m_filtered = result.active;
    for (int i = 0; i < int(m_groups.size()); ++i) {
        Group &group = m_groups[i];
        group.visible.reset();
        group.visibleDestructive = 0;
        if (result.active && i < result.visible.size()) {
            group.visible = std::move(result.visible[i]);
            group.visibleDestructive = result.visibleDestructive.value(i);
        }
    }
    endResetModel();
}

void DiffChangeModel::setFilter(const QString &text, bool onlyDestructive)
{
    applyFilter(filterJob(text, onlyDestructive)());
}

int DiffChangeModel::groupVisible(int group) const
{
    const Group &g = m_groups.at(group);
    return g.visible ? int(g.visible->size()) : g.end - g.begin;
}

int DiffChangeModel::groupRowOf(ObjectKind kind) const
{
    for (int i = 0; i < int(m_groups.size()); ++i)
        if (m_groups.at(i).kind == kind)
            return i;
    return -1;
}

int DiffChangeModel::visibleChangeCount() const
{
    int total = 0;
    for (int i = 0; i < int(m_groups.size()); ++i)
        total += groupVisible(i);
    return total;
}

qsizetype DiffChangeModel::storedPositions() const
{
    qsizetype total = m_order.size();
    for (const Group &group : m_groups)
        total += group.visible ? group.visible->size() : 0;
    return total;
}

int DiffChangeModel::positionAt(const Group &group, int row) const
{
    if (group.visible)
        return group.visible->at(row);
    const int at = group.begin + row;
    return m_order.isEmpty() ? at : m_order.at(at);
}

QList<int> DiffChangeModel::changePositions(const QModelIndex &index) const
{
    QList<int> positions;
    if (!index.isValid() || index.model() != this)
        return positions;
    if (isPrivilegeRow(index)) {
        positions.append(privilegePosition(index));
        return positions;
    }
    if (index.internalId() == GroupId) {
        const Group &group = m_groups.at(index.row());
        const int count = groupVisible(index.row());
        positions.reserve(count);
        for (int row = 0; row < count; ++row)
            positions.append(positionAt(group, row));
        return positions;
    }
    const Group &group = m_groups.at(int(index.internalId() - 1));
    positions.append(positionAt(group, index.row()));
    return positions;
}

QModelIndex DiffChangeModel::indexOfChange(int position) const
{
    if (position < 0 || position >= int(m_diff.changes.size()))
        return {};
    const int groupRow = groupRowOf(m_diff.changes.at(position).kind);
    if (groupRow < 0)
        return {};
    const Group &group = m_groups.at(groupRow);
    int row = -1;
    if (group.visible) {
        const auto it = std::lower_bound(group.visible->cbegin(), group.visible->cend(), position);
        if (it != group.visible->cend() && *it == position)
            row = int(it - group.visible->cbegin());
    } else if (m_order.isEmpty()) {
        row = position - group.begin;
    } else {
        for (int r = group.begin; r < group.end; ++r)
            if (m_order.at(r) == position)
                row = r - group.begin;
    }
    return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(groupRow + 1));
}

bool DiffChangeModel::isPrivilegeRow(const QModelIndex &index) const
{
    return index.isValid() && (index.internalId() & PrivilegeTag) != 0;
}

int DiffChangeModel::privilegePosition(const QModelIndex &index) const
{
    return int(index.internalId() & ~PrivilegeTag);
}

QStringList DiffChangeModel::grantees(int position) const
{
    QStringList result;
    if (position < 0 || position >= int(m_diff.changes.size()))
        return result;
    const ObjectChange &change = m_diff.changes.at(position);
    if (change.kind == ObjectKind::DefaultPrivileges)
        return result; // a default-privileges entry is a privilege change as a whole
    if (change.type == ChangeType::Added) {
        // What the new object is granted besides what every new object has.
        const SchemaObject *object = m_diff.to.find(change.id);
        if (!object)
            return result;
        const QMap<QString, QString> builtIn = builtInPrivileges(change.kind);
        QStringList roles = builtIn.keys() + object->grants().keys();
        roles.removeDuplicates();
        std::sort(roles.begin(), roles.end());
        for (const QString &role : std::as_const(roles))
            if (object->grant(role) != builtIn.value(role))
                result << role;
        return result;
    }
    if (change.type != ChangeType::Altered)
        return result;
    for (const AttributeChange &attribute : change.attributes)
        if (attribute.name.startsWith(GrantPrefix))
            result << attribute.name.mid(GrantPrefix.size());
    return result;
}

bool DiffChangeModel::hasOwnPart(int position) const
{
    const ObjectChange &change = m_diff.changes.at(position);
    if (change.type != ChangeType::Altered)
        return true;
    return std::any_of(
        change.attributes.cbegin(), change.attributes.cend(),
        [](const AttributeChange &attribute) { return !attribute.name.startsWith(GrantPrefix); });
}

bool DiffChangeModel::isGrantIncluded(int position, const QString &grantee) const
{
    return !m_excluded.contains(position) && !m_excludedGrants.value(position).contains(grantee);
}

void DiffChangeModel::setGrantIncluded(int position, const QString &grantee, bool included)
{
    const int groupRow = groupOfPosition(position);
    const QStringList all = grantees(position);
    if (groupRow < 0 || !all.contains(grantee))
        return;
    if (included) {
        if (m_excluded.contains(position)) {
            // The change comes back with this role's privileges (and what else of the
            // object changes), the other roles' left out.
            setIncludedIn(groupRow, position, true);
            QSet<QString> others(all.cbegin(), all.cend());
            others.remove(grantee);
            if (!others.isEmpty())
                m_excludedGrants.insert(position, others);
        } else {
            const auto it = m_excludedGrants.find(position);
            if (it == m_excludedGrants.end() || !it->remove(grantee))
                return;
            if (it->isEmpty())
                m_excludedGrants.erase(it);
        }
    } else {
        if (m_excluded.contains(position) || m_excludedGrants.value(position).contains(grantee))
            return;
        QSet<QString> &left = m_excludedGrants[position];
        left.insert(grantee);
        if (!hasOwnPart(position) && left.size() == all.size())
            setIncludedIn(groupRow, position, false); // nothing of it is left: out as a whole
    }
    emitChangeRowChanged(position);
}

void DiffChangeModel::emitChangeRowChanged(int position)
{
    const int groupRow = groupOfPosition(position);
    const QModelIndex group = index(groupRow, NameColumn);
    Q_EMIT dataChanged(group, group, {Qt::CheckStateRole});
    if (const QModelIndex row = indexOfChange(position); row.isValid()) {
        Q_EMIT dataChanged(row, row, {Qt::CheckStateRole});
        if (const int children = rowCount(row); children > 0)
            Q_EMIT dataChanged(index(0, NameColumn, row), index(children - 1, NameColumn, row),
                               {Qt::CheckStateRole});
    }
    Q_EMIT inclusionChanged();
}

QString DiffChangeModel::privilegeChangeText(const QString &grantee, const QString &from,
                                             const QString &to)
{
    const QStringList before = from.split(QStringLiteral(", "), Qt::SkipEmptyParts);
    const QStringList after = to.split(QStringLiteral(", "), Qt::SkipEmptyParts);
    // untranslated: GRANT, REVOKE and WITH GRANT OPTION are SQL, as in the DDL beside it
    const auto spelled = [](const QStringList &privileges) {
        QStringList words;
        for (const QString &privilege : privileges)
            words << (privilege.endsWith(QLatin1Char('*'))
                          ? privilege.chopped(1) +
                                QStringLiteral(" WITH GRANT OPTION") // untranslated: SQL
                          : privilege);
        return words.join(QStringLiteral(", "));
    };
    QStringList granted;
    QStringList revoked;
    for (const QString &privilege : after)
        if (!before.contains(privilege))
            granted << privilege;
    for (const QString &privilege : before)
        if (!after.contains(privilege))
            revoked << privilege;
    QStringList parts;
    if (!granted.isEmpty()) // untranslated: SQL keywords (see above)
        parts << QStringLiteral("GRANT %1 to %2").arg(spelled(granted), grantee);
    if (!revoked.isEmpty()) // untranslated: SQL keywords
        parts << QStringLiteral("REVOKE %1 from %2").arg(spelled(revoked), grantee);
    return parts.join(QStringLiteral("; "));
}

QModelIndex DiffChangeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < groupCount() ? createIndex(row, column, GroupId) : QModelIndex();
    if (isPrivilegeRow(parent))
        return {};
    if (parent.internalId() != GroupId) {
        const int position = changePositions(parent).value(0, -1);
        if (position < 0 || row >= int(grantees(position).size()))
            return {};
        return createIndex(row, column, PrivilegeTag | quintptr(position));
    }
    if (parent.row() >= groupCount())
        return {};
    if (row >= groupVisible(parent.row()))
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex DiffChangeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == GroupId)
        return {};
    if (isPrivilegeRow(child))
        return indexOfChange(privilegePosition(child));
    return createIndex(int(child.internalId() - 1), 0, GroupId);
}

int DiffChangeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return groupCount();
    if (parent.column() != 0 || isPrivilegeRow(parent))
        return 0;
    if (parent.internalId() != GroupId)
        return int(grantees(changePositions(parent).value(0, -1)).size());
    return groupVisible(parent.row());
}

int DiffChangeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool DiffChangeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

Qt::ItemFlags DiffChangeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == NameColumn)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

int DiffChangeModel::groupOfPosition(int position) const
{
    if (position < 0 || position >= int(m_diff.changes.size()))
        return -1;
    const ObjectKind kind = m_diff.changes.at(position).kind;
    return groupRowOf(kind);
}

bool DiffChangeModel::setIncludedIn(int groupRow, int position, bool included)
{
    if (groupRow < 0 || groupRow >= groupCount())
        return false;
    // Ticking or unticking a change takes its roles' privileges along.
    const bool partly = m_excludedGrants.remove(position) > 0;
    if (included ? !m_excluded.remove(position) : m_excluded.contains(position))
        return partly;
    if (included) {
        --m_groups[groupRow].excluded;
    } else {
        m_excluded.insert(position);
        ++m_groups[groupRow].excluded;
    }
    return true;
}

void DiffChangeModel::setIncluded(int position, bool included)
{
    const int groupRow = groupOfPosition(position);
    if (!setIncludedIn(groupRow, position, included))
        return;
    emitChangeRowChanged(position);
}

bool DiffChangeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !index.isValid() || index.model() != this ||
        index.column() != NameColumn)
        return false;
    const bool included = value.value<Qt::CheckState>() != Qt::Unchecked;
    if (isPrivilegeRow(index)) {
        setGrantIncluded(privilegePosition(index),
                         grantees(privilegePosition(index)).value(index.row()), included);
        return true;
    }
    if (index.internalId() != GroupId) {
        setIncluded(changePositions(index).value(0, -1), included);
        return true;
    }
    // A group's box: every change it shows (a filter narrows what it ticks).
    bool changed = false;
    for (int position : changePositions(index))
        changed = setIncludedIn(index.row(), position, included) || changed;
    if (!changed)
        return true;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    if (const int rows = rowCount(index); rows > 0)
        Q_EMIT dataChanged(this->index(0, NameColumn, index),
                           this->index(rows - 1, NameColumn, index), {Qt::CheckStateRole});
    Q_EMIT inclusionChanged();
    return true;
}

QVariant DiffChangeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Object") : tr("Change");
}

QVariant DiffChangeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (index.internalId() == GroupId)
        return groupData(index.row(), index.column(), role);
    if (isPrivilegeRow(index)) {
        const int position = privilegePosition(index);
        const QStringList roles = grantees(position);
        if (index.row() >= roles.size())
            return {};
        return privilegeData(position, roles.at(index.row()), index.column(), role);
    }
    const int groupRow = int(index.internalId() - 1);
    if (groupRow >= groupCount() || index.row() >= groupVisible(groupRow))
        return {};
    ++m_changeDataRequests;
    return changeData(positionAt(m_groups.at(groupRow), index.row()), index.column(), role);
}

QVariant DiffChangeModel::groupData(int groupRow, int column, int role) const
{
    const Group &group = m_groups.at(groupRow);
    const int total = group.end - group.begin;
    const int visible = groupVisible(groupRow);
    const int destructive = group.visible ? group.visibleDestructive : group.destructive;
    const QString name = capitalised(objectKindPlural(group.kind));
    const QString count =
        m_filtered ? tr("%1 of %2").arg(visible).arg(total) : QString::number(total);
    // Words for tooltips and screen readers; the column itself is short, in the signs the
    // change icons use: "+3 −2 ~7 · 2 destructive".
    QStringList parts;
    QStringList signs;
    if (group.added) {
        parts << tr("%1 added").arg(group.added);
        signs << QStringLiteral("+%1").arg(group.added);
    }
    if (group.removed) {
        parts << tr("%1 removed").arg(group.removed);
        signs << QStringLiteral("−%1").arg(group.removed);
    }
    if (group.altered) {
        parts << tr("%1 altered").arg(group.altered);
        signs << QStringLiteral("~%1").arg(group.altered);
    }
    QString compact = signs.join(QLatin1Char(' '));
    if (group.destructive) {
        parts << plural(group.destructive, tr("destructive"), tr("destructive"));
        compact += tr(" · %1 destructive").arg(group.destructive);
    }
    const QString breakdown = parts.join(QStringLiteral(", "));
    switch (role) {
    case Qt::DisplayRole:
        return column == NameColumn ? QStringLiteral("%1 (%2)").arg(name, count) : compact;
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        return QStringLiteral("%1: %2 %3%4 — %5%6")
            .arg(name, count, (m_filtered ? visible : total) == 1 ? tr("change") : tr("changes"),
                 m_filtered ? tr(" shown") : QString(), breakdown,
                 group.excluded > 0 ? tr("; %1 left out of the SQL").arg(group.excluded)
                                    : QString());
    case Qt::CheckStateRole:
        if (column != NameColumn)
            return {};
        if (group.excluded == 0) {
            for (auto it = m_excludedGrants.cbegin(); it != m_excludedGrants.cend(); ++it)
                if (groupOfPosition(it.key()) == groupRow)
                    return Qt::PartiallyChecked;
            return Qt::Checked;
        }
        return group.excluded >= total ? Qt::Unchecked : Qt::PartiallyChecked;
    case Qt::DecorationRole:
        return column == ChangeColumn && destructive > 0 ? QVariant(m_destructiveIcon) : QVariant();
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::ForegroundRole:
        return column == ChangeColumn && destructive > 0 ? QVariant(destructiveColor())
                                                         : QVariant();
    case ChangePositionRole:
        return -1;
    case IsGroupRole:
        return true;
    case DestructiveRole:
        return destructive > 0;
    default:
        return {};
    }
}

QVariant DiffChangeModel::changeData(int position, int column, int role) const
{
    const ObjectChange &change = m_diff.changes.at(position);
    const QString type = changeTypeName(change.type);
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn)
            return change.displayName;
        {
            QString text = type;
            if (change.recreate)
                text += tr(" (drop and create)");
            if (change.destructive)
                text += tr(" — destructive");
            return text;
        }
    case Qt::DecorationRole:
        if (column == NameColumn) {
            switch (change.type) {
            case ChangeType::Added:
                return m_addedIcon;
            case ChangeType::Removed:
                return m_removedIcon;
            case ChangeType::Altered:
                return m_alteredIcon;
            }
        }
        return change.destructive ? QVariant(m_destructiveIcon) : QVariant();
    case Qt::ToolTipRole: {
        QStringList lines;
        lines << QStringLiteral("%1 %2 %3")
                     .arg(objectKindName(change.kind), change.displayName, type);
        if (change.destructive)
            lines << tr("Destructive: applying it drops data or objects.");
        for (const AttributeChange &attribute : change.attributes)
            lines << attributeLine(attribute);
        return lines.join(QLatin1Char('\n'));
    }
    case Qt::AccessibleTextRole:
        return QStringLiteral("%1 %2, %3%4%5")
            .arg(objectKindName(change.kind), change.displayName, type,
                 change.destructive ? tr(", destructive") : QString(),
                 m_excluded.contains(position) ? tr(", left out of the SQL") : QString());
    case Qt::CheckStateRole:
        if (column != NameColumn)
            return {};
        return m_excluded.contains(position)         ? Qt::Unchecked
               : m_excludedGrants.contains(position) ? Qt::PartiallyChecked
                                                     : Qt::Checked;
    case Qt::ForegroundRole:
        return change.destructive ? QVariant(destructiveColor()) : QVariant();
    case Qt::FontRole:
        if (change.destructive) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case ChangePositionRole:
        return position;
    case IsGroupRole:
        return false;
    case DestructiveRole:
        return change.destructive;
    case ObjectIdRole:
        return change.id;
    case ChangeTypeRole:
        return type;
    default:
        return {};
    }
}

QVariant DiffChangeModel::privilegeData(int position, const QString &grantee, int column,
                                        int role) const
{
    const ObjectChange &change = m_diff.changes.at(position);
    QString from;
    QString to;
    if (change.type == ChangeType::Added) {
        from = builtInPrivileges(change.kind).value(grantee);
        if (const SchemaObject *object = m_diff.to.find(change.id))
            to = object->grant(grantee);
    }
    for (const AttributeChange &attribute : change.attributes) {
        if (attribute.name == GrantPrefix + grantee) {
            from = attribute.from;
            to = attribute.to;
        }
    }
    const QString text = privilegeChangeText(grantee, from, to);
    const bool included = isGrantIncluded(position, grantee);
    switch (role) {
    case Qt::DisplayRole:
        return column == NameColumn ? text : tr("privileges");
    case Qt::ToolTipRole:
        return tr("Privileges of %1 on %2 %3\n%4 → %5")
            .arg(grantee, objectKindName(change.kind), change.displayName,
                 from.isEmpty() ? tr("(none)") : from, to.isEmpty() ? tr("(none)") : to);
    case Qt::AccessibleTextRole:
        return tr("%1 on %2 %3%4")
            .arg(text, objectKindName(change.kind), change.displayName,
                 included ? QString() : tr(", left out of the SQL"));
    case Qt::CheckStateRole:
        return column == NameColumn ? QVariant(included ? Qt::Checked : Qt::Unchecked) : QVariant();
    case ChangePositionRole:
        return position;
    case IsGroupRole:
        return false;
    case DestructiveRole:
        return false;
    case ObjectIdRole:
        return change.id;
    case ChangeTypeRole:
        return changeTypeName(change.type);
    case GranteeRole:
        return grantee;
    default:
        return {};
    }
}

} // namespace pd::ui
