// The SQL that turns the `from` schema of a diff into its `to` schema.
//
// Order comes from the dependency graphs of both snapshots, not from a fixed list of
// phases: everything that must go (removed, replaced, or depending on something that is
// replaced) is dropped dependents-first along `from`'s graph; then creations and in-place
// alterations follow `to`'s graph, dependencies first. Foreign keys are objects of their
// own, added once both tables exist, so cycles between tables apply cleanly.
#pragma once

#include "schema/schemadiff.h"

#include <QList>
#include <QMap>
#include <QString>

namespace pd {

struct SqlOptions
{
    // Include statements that drop data or objects. Without it the script leaves those
    // objects as they are (and still applies cleanly); the statements a full migration
    // would add are listed at the end, commented out:
    // "-- (destructive, skipped without --unsafe) DROP …".
    bool unsafe = false;
    // Wrap the script in BEGIN/COMMIT.
    bool transaction = false;
    // Leading comment lines naming the change summary.
    bool header = true;
};

struct GeneratedStatement
{
    QString sql; // one statement, terminated by ';'
    QString objectId;
    bool destructive = false;
    QString reason; // for destructive statements: what is lost
};

// The statements in execution order. Without `includeDestructive`, changes that would
// lose data are planned as if they were not there: the objects concerned stay as they
// are and everything else still applies cleanly. (A few destructive statements can
// remain, flagged, where a safe change forces them.)
// What a new object of `kind` holds before any GRANT, as "grant <role>" attributes hold
// it (role → privileges): PUBLIC may execute routines and use types; nothing otherwise.
QMap<QString, QString> builtInPrivileges(ObjectKind kind);

QList<GeneratedStatement> generateStatements(const SchemaDiff &diff,
                                             bool includeDestructive = true);
QString generateSql(const SchemaDiff &diff, const SqlOptions &options = {});

} // namespace pd
