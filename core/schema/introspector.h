// Reads one database's schema into a SchemaSnapshot: one REPEATABLE READ READ ONLY
// transaction (a consistent picture even while migrations run), a fixed handful of bulk
// catalog queries whatever the number of objects, and the server's own deparse functions
// (pg_get_*def, format_type) for every definition — the text pg_dump would print.
#pragma once

#include "common/result.h"
#include "schema/schemasnapshot.h"

namespace pd {

class Connection;

// Blocking: worker threads only. Leaves the connection idle (the transaction is always
// ended), and search_path as it was.
Result<SchemaSnapshot> introspect(Connection &connection, const SchemaFilter &filter = {});

} // namespace pd
