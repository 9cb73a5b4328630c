// One entry point per parser that reads user-controlled text, shared by the bounded
// mutation test in ctest (tests/tst_fuzz.cpp) and the libFuzzer harnesses (fuzz/run).
// Each takes arbitrary bytes, runs the parser and checks what must hold for every input:
// it returns a value or an error with a clear message, and the value is self-consistent.
// A broken invariant aborts (qFatal), which both drivers report as a failure with the input.
#pragma once

#include <QByteArrayView>

namespace pd::fuzz {

// paritydeck.yaml: WorkspaceLoader::parse. Errors are Config errors "FILE:LINE:COL: …"
// with a line inside the file (or 0 for the file as a whole).
void workspaceLoader(QByteArrayView data);
// Dotenv files: DotenvFile::parse. Errors are Config errors that never quote a value.
void dotenv(QByteArrayView data);
// One migration's SQL: SqlScript::parse (libpg_query). Statements lie inside the text, in
// order; errors are Config errors with a position.
void sqlScript(QByteArrayView data);
// Migration folders: the bytes become file names (one per line; "name\tcontents") in a
// fresh folder, read in every format; versions compare antisymmetrically.
void migrationSource(QByteArrayView data);

// Object names in generated SQL: the bytes become the names (split at 0x1f) of a schema,
// table, columns, enum and its labels, sequence, constraint, index, view and comments; the
// SQL turning that schema into an empty one, back, and into a changed one, safe and
// --unsafe, parsed by libpg_query, must hold exactly the planned statements (same count,
// same kinds) whatever the names hold: no name can end a comment or a quoted identifier.
void generatedSql(QByteArrayView data);

} // namespace pd::fuzz
