// A view's definition as every PostgreSQL major prints it.
//
// pg_get_viewdef deparses the stored query. Up to PostgreSQL 15 a view's query held two
// hidden range table entries (OLD and NEW), so the server qualified every column
// ("SELECT t.id FROM public.t"); from 16 on they are gone, and a query level with a single
// relation prints its columns bare ("SELECT id FROM public.t"). The same view then reads
// differently on dev (17) and prod (15), and would show as drift that is not there.
//
// The definition ParityDeck keeps is the newer form on every server: in the outermost
// query level, when its FROM has exactly one relation (table, subquery or function with a
// name) and it is not a set operation, a column qualified by that relation's name loses the
// qualifier. Nested queries (subqueries, CTEs, set-operation arms) keep theirs, as the server
// keeps them. The text is edited at the parser's token positions (libpg_query), never by
// pattern; a column in ORDER BY / DISTINCT ON whose name is also an output alias keeps its
// qualifier (unqualified, it would mean the output column). Anything unexpected — a parse
// error, a qualifier not spelled where the parser says it is — leaves the text unchanged.
#pragma once

#include <QString>

namespace pd {

QString versionIndependentViewDefinition(const QString &definition);

} // namespace pd
