// What of the server outside the current database a statement could change — roles,
// role membership, role and database settings, other databases, tablespaces, comments
// and privileges on shared objects — as one digest per kind. A build in a scratch or shadow
// database, which must leave nothing behind outside it, reads it before and after what it
// runs, inside the same transaction: what no parser can see (a DO block or a function that
// runs CREATE ROLE with EXECUTE) shows as a kind that changed, and the transaction is
// rolled back.
//
// Under REPEATABLE READ a transaction sees one snapshot, so two reads in it differ only by
// what the transaction itself did — never by another session's work on a shared server.
// Rows that belong to the current database itself are left out: they go when it is
// dropped.
#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

namespace pd {

class Connection;

class ServerWideState final
{
public:
    // Blocking: worker threads only. One small query per kind, on `connection`.
    static Result<ServerWideState> read(Connection &connection);

    // The kinds ("roles", "role membership", …) whose digest differs from `before`.
    QStringList changedSince(const ServerWideState &before) const;

private:
    QStringList m_labels;
    QStringList m_digests;
};

} // namespace pd
