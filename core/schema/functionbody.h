// What a function body written as a string names. The server keeps no pg_depend edge for
// a LANGUAGE sql body given as a string or for a PL/pgSQL body (only SQL-standard
// BEGIN ATOMIC bodies have them), so creating such a function before the table it queries
// succeeds (check_function_bodies off) — and then fails the first time the function runs
// while the script is still creating things: a materialized view WITH DATA, a CHECK
// constraint or a column default evaluated over existing rows, an expression index.
//
// The body is read with PostgreSQL's own parsers (libpg_query: the SQL grammar, and the
// PL/pgSQL one for PL/pgSQL bodies, whose embedded queries go through the SQL grammar in
// turn); names are never picked out of the text by hand. What it finds is a superset of
// what the body can reach, minus what is only built at run time (EXECUTE of a string).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pd {

struct BodyReference
{
    enum class Kind { Relation, Function, Type };
    Kind kind = Kind::Relation;
    QString schema; // empty: unqualified, resolved along the function's search path
    QString name;
    bool operator==(const BodyReference &other) const = default;
};

struct FunctionBody
{
    QString language;                // "sql", "plpgsql", "c", … (lower case)
    bool read = false;               // the body was parsed (an unknown language or syntax: false)
    bool setsSearchPath = false;     // the definition has SET search_path
    QStringList searchPath;          // its schemas, as given ("$user" and pg_temp left out)
    QList<BodyReference> references; // each once, in no particular order
};

// `definition` is pg_get_functiondef's CREATE FUNCTION statement. Bodies of other languages
// than sql and plpgsql, and BEGIN ATOMIC bodies (the server records what those use), give
// no references.
FunctionBody readFunctionBody(const QString &definition);

} // namespace pd
