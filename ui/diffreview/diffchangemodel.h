// The changes of a SchemaDiff as a tree: one group per object class (tables, columns,
// indexes, …) with its counts, the changes of that class under it, and under an altered
// or added object each role whose privileges on it change ("GRANT INSERT to reporting"),
// tickable on its own.
//
// Lazy by construction: the model keeps the diff (implicitly shared) plus, per group, the
// range of change positions it covers — no item objects, no strings per row. Text, icons
// and colours are produced in data() for the rows a view actually asks about, so a
// 5,000-table diff (tens of thousands of changes) loads in one pass over the change list.
//
// Filtering happens inside the model, not in a QSortFilterProxyModel: a proxy re-asks
// data() for every row on each change and cannot give "3 of 1,200" per group cheaply.
// filterJob() returns a function that computes, per group, the positions that match (one
// linear pass over plain strings, safe on a worker thread); applyFilter() swaps them in
// with one reset. The window debounces keystrokes and runs the pass off the GUI thread.
// With no filter active nothing at all is stored per change.
#pragma once

#include "schema/schemadiff.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QIcon>
#include <QList>
#include <QSet>
#include <QVector>

#include <functional>
#include <optional>

namespace pd::ui {

class DiffChangeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffChangeModel)

public:
    enum Column { NameColumn, ChangeColumn, ColumnCount };
    enum Role {
        ChangePositionRole = Qt::UserRole + 1, // int: index into diff().changes; -1 for groups
        IsGroupRole,                           // bool
        DestructiveRole,                       // bool: the change (a group: any visible change)
        ObjectIdRole,                          // QString: the change's object id
        ChangeTypeRole,                        // QString: "added", "removed", "altered"
        GranteeRole,                           // QString: a privilege row's role; empty otherwise
    };

    explicit DiffChangeModel(QObject *parent = nullptr);
    ~DiffChangeModel() override;

    void setDiff(SchemaDiff diff);
    const SchemaDiff &diff() const noexcept { return m_diff; }
    void clear();

    // What a filter keeps, per group: computed by filterJob()'s function on any thread
    // (it holds its own copy of the diff), applied with applyFilter() on the model's.
    struct FilterResult
    {
        QString text;
        bool onlyDestructive = false;
        bool active = false;
        quint64 diffSerial = 0;
        QVector<QVector<int>> visible; // per group, when active
        QVector<int> visibleDestructive;
    };
    // Case-insensitive; every whitespace-separated word must occur in the object's name,
    // id or change type.
    std::function<FilterResult()> filterJob(const QString &text, bool onlyDestructive) const;
    // Resets the model once; ignored when the diff changed since the job was made.
    void applyFilter(FilterResult result);
    // Both at once, on this thread (tests; small diffs).
    void setFilter(const QString &text, bool onlyDestructive);
    QString filterText() const { return m_filterText; }
    bool onlyDestructive() const noexcept { return m_onlyDestructive; }
    bool isFiltered() const noexcept { return m_filtered; }

    // Groups in the order of the diff (by object class); empty groups are not shown.
    int groupCount() const { return int(m_groups.size()); }
    ObjectKind groupKind(int group) const { return m_groups.at(group).kind; }
    int groupTotal(int group) const { return m_groups.at(group).end - m_groups.at(group).begin; }
    int groupVisible(int group) const;
    int groupDestructive(int group) const { return m_groups.at(group).destructive; }
    int groupRowOf(ObjectKind kind) const; // -1 when the diff has no change of that class
    int visibleChangeCount() const;

    // Positions (into diff().changes) of the changes visible under `index`: a group gives
    // all its visible changes, a change itself.
    QList<int> changePositions(const QModelIndex &index) const;
    QModelIndex indexOfChange(int position) const; // invalid when filtered out

    // Which changes the SQL includes: every one, until unticked in the tree (a group row's
    // box ticks or unticks its visible changes and shows partly ticked groups as such).
    // Kept as the set left out, so a large diff stores nothing per change.
    bool isIncluded(int position) const { return !m_excluded.contains(position); }
    void setIncluded(int position, bool included);
    const QSet<int> &excludedPositions() const noexcept { return m_excluded; }
    int includedChangeCount() const { return int(m_diff.changes.size() - m_excluded.size()); }

    // Privilege rows: the roles (quoted, or PUBLIC) whose privileges on the object of an
    // altered change differ — or, for an added object, differ from what every new object
    // holds (PUBLIC's EXECUTE on functions, USAGE on types) — each a child row of the change.
    // Unticking one leaves that role's GRANT/REVOKE out of the SQL; ticking one under an unticked
    // change ticks the change with that role's privileges only. A change whose every part is
    // unticked is excluded as a whole (excludedPositions()).
    QStringList grantees(int position) const;
    bool isGrantIncluded(int position, const QString &grantee) const;
    void setGrantIncluded(int position, const QString &grantee, bool included);
    // Included changes with some of their roles' privileges left out: position → roles.
    const QHash<int, QSet<QString>> &excludedGrants() const noexcept { return m_excludedGrants; }
    // "GRANT INSERT to reporting", "REVOKE UPDATE from PUBLIC", or both joined by "; ".
    static QString privilegeChangeText(const QString &grantee, const QString &from,
                                       const QString &to);

    // For tests of laziness: how many change rows data() has been asked about since the
    // last setDiff(), and how many positions the active filter keeps (0 without a filter).
    qint64 changeDataRequests() const noexcept { return m_changeDataRequests; }
    qsizetype storedPositions() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    // A change was ticked or unticked (by the user or setIncluded()).
    void inclusionChanged();

private:
    struct Group
    {
        ObjectKind kind = ObjectKind::Table;
        int begin = 0; // positions [begin, end) in m_order (or in the diff when m_order is empty)
        int end = 0;
        int added = 0;
        int removed = 0;
        int altered = 0;
        int destructive = 0;
        // Only while a filter is active: the positions that match, ascending.
        std::optional<QVector<int>> visible;
        int visibleDestructive = 0;
        int excluded = 0; // changes of the group left out of the SQL
    };

    int positionAt(const Group &group, int row) const;
    int groupOfPosition(int position) const;
    bool setIncludedIn(int groupRow, int position, bool included); // no signals
    QVariant groupData(int group, int column, int role) const;
    QVariant changeData(int position, int column, int role) const;
    QVariant privilegeData(int position, const QString &grantee, int column, int role) const;
    bool isPrivilegeRow(const QModelIndex &index) const;
    int privilegePosition(const QModelIndex &index) const;
    // Whether anything of the change besides its roles' privileges is altered.
    bool hasOwnPart(int position) const;
    void emitChangeRowChanged(int position);

    SchemaDiff m_diff;
    // Diff positions grouped by kind, when the diff's changes are not already ordered by
    // kind (SchemaDiff documents that they are; this keeps the model right if not).
    QVector<int> m_order;
    QVector<Group> m_groups;
    quint64 m_diffSerial = 0;
    QSet<int> m_excluded;
    QHash<int, QSet<QString>> m_excludedGrants;
    QString m_filterText;
    bool m_onlyDestructive = false;
    bool m_filtered = false;
    mutable qint64 m_changeDataRequests = 0;

    QIcon m_addedIcon;
    QIcon m_removedIcon;
    QIcon m_alteredIcon;
    QIcon m_destructiveIcon;
};

// The change-type artwork, drawn (not loaded) so it is crisp at any scale factor; shapes
// differ as well as colours: plus, minus, tilde, warning triangle.
QIcon changeTypeIcon(ChangeType type);
QIcon destructiveIcon();

} // namespace pd::ui
