// The pure computations behind the diff review window, run on worker threads: the DDL of
// one object as each side has it, which lines of two DDL texts differ, and the part of a
// diff a selection stands for. QtCore only; nothing here touches a widget.
#pragma once

#include "schema/schemadiff.h"
#include "schema/sqlgenerator.h"

#include <QList>
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

// What a selection in the tree stands for: the selected changes plus, for each selected
// table, the changes to its columns, defaults, constraints, indexes, triggers and
// policies (a table is reviewed as a whole). Ascending diff positions.
QList<int> selectionClosure(const SchemaDiff &diff, const QList<int> &positions);
// The diff restricted to those changes (both snapshots kept: the generator needs them).
SchemaDiff selectionDiff(const SchemaDiff &diff, const QList<int> &positions);

// The options the review uses for its SQL: a header, no BEGIN/COMMIT (migration runners
// wrap each file themselves), destructive statements only when `unsafe`.
SqlOptions reviewSqlOptions(bool unsafe);

} // namespace pd::ui
