// The pure computations behind the diff review window, run on worker threads: the DDL of
// one object as each side has it, which lines of two DDL texts differ, and the part of a
// diff a selection stands for. QtCore only; nothing here touches a widget.
#pragma once

#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

namespace pd::ui {

// The object whose DDL represents `id` in the side-by-side view: sub-objects (columns,
// defaults, constraints, indexes, triggers, policies) show their whole relation, so a
// changed column appears as a changed line of its table.
QString ddlSubjectId(const SchemaDiff &diff, const QString &id);

// CREATE statements for `id` (a relation with all its sub-objects) as `snapshot` has it,
// produced by the SQL generator from an empty schema; empty when the object is absent.
QString objectDdl(const SchemaSnapshot &snapshot, const QString &id);

// Which lines of `from` and `to` are not part of their longest common subsequence
// (compared without surrounding blanks and a trailing comma).
struct LineDiff
{
    QVector<bool> fromChanged;
    QVector<bool> toChanged;
};
LineDiff diffLines(const QStringList &from, const QStringList &to);

// Two DDL texts laid out side by side: row r of one pane faces row r of the other.
// Unchanged lines face each other; a run of changed lines on one side is paired with the
// run facing it (a changed line beside its new version, with the words that differ
// marked), and what one side has more is faced by a filler row on the other.
struct AlignedDdl
{
    enum class Row { Same, Changed, Removed, Added };
    struct Span // characters [start, start + length) of a line that differ from its pair
    {
        int start = 0;
        int length = 0;
    };
    QStringList from; // one entry per row; a filler row is an empty line
    QStringList to;
    QVector<Row> rows;
    QVector<bool> fromFiller; // per row
    QVector<bool> toFiller;
    QVector<QVector<Span>> fromSpans; // per row, for Changed rows
    QVector<QVector<Span>> toSpans;
    QVector<int> hunks; // first row of each run of rows that are not Same

    int rowCount() const { return int(rows.size()); }
};
AlignedDdl alignDdl(const QStringList &from, const QStringList &to);

// The parts of `from` and `to` (one line each) that are not common, by word: runs of
// letters/digits/underscore, runs of blanks, and single other characters.
void diffWords(const QString &from, const QString &to, QVector<AlignedDdl::Span> *fromSpans,
               QVector<AlignedDdl::Span> *toSpans);

// What a selection in the tree stands for: the selected changes plus, for each selected
// table, the changes to its columns, defaults, constraints, indexes, triggers and
// policies (a table is reviewed as a whole). Ascending diff positions.
QList<int> selectionClosure(const SchemaDiff &diff, const QList<int> &positions);
// The diff restricted to those changes (both snapshots kept: the generator needs them).
SchemaDiff selectionDiff(const SchemaDiff &diff, const QList<int> &positions);
// `positions` without those in `excluded` (changes unticked in the tree).
QList<int> withoutExcluded(const QList<int> &positions, const QSet<int> &excluded);

// The generator's script as the review shows it: a statement left out for being
// destructive names the checkbox beside the pane that puts it in, not a CLI flag.
QString presentedSql(QString script);
// The label of that checkbox.
QString includeDestructiveLabel();

// Privileges unticked in the tree: diff position → roles whose privileges on that
// change's object stay as they are (DiffChangeModel::excludedGrants()).
using ExcludedGrants = QHash<int, QSet<QString>>;

// `diff` with the privileges of `grantees` on `id` left as `diff.from` has them (a new
// object: as every new object of its kind has them): the attribute changes go, and the
// change with them when nothing else of it is left.
void keepGrants(SchemaDiff &diff, const QString &id, const QSet<QString> &grantees);

// The lines of `ddl` (objectDdl()) that grant `grantee` something or take it back.
QString privilegeDdl(const QString &ddl, const QString &grantee);

// The SQL pane's script: for everything or for what `positions` (rows of the tree) stand
// for (selectionClosure), without the `excluded` (unticked) changes and the unticked
// roles' privileges, as presentedSql().
QString reviewScript(const SchemaDiff &diff, const QList<int> &positions, const QSet<int> &excluded,
                     bool everything, bool unsafe, const ExcludedGrants &excludedGrants = {});

// The two remedies of a drift review (`diff` between an environment and its migrations;
// `liveIsTo`: the environment is TO): Capture turns the migrations' schema into the live
// one, Revert the live one into the migrations'. Ticked changes only, as presentedSql().
enum class DriftRemedy { Capture, Revert };
QString driftScript(const SchemaDiff &diff, const QSet<int> &excluded, bool unsafe, bool liveIsTo,
                    DriftRemedy remedy, const ExcludedGrants &excludedGrants = {});

// The same bytes as text.toUtf8(), in a buffer of exactly their size (toUtf8() keeps
// three bytes per character of capacity: 11 MB for a 3.6 MB script).
QByteArray toUtf8Exact(QStringView text);

// The options the review uses for its SQL: a header, no BEGIN/COMMIT (migration runners
// wrap each file themselves), destructive statements only when `unsafe`.
SqlOptions reviewSqlOptions(bool unsafe);

} // namespace pd::ui
