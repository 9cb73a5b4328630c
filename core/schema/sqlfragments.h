// The SQL text of one object (its name as COMMENT ON or GRANT spells it, a column's
// definition, a sequence's options, …), for the planner (planner.h). Internal to the schema
// module.
#pragma once

#include "schema/schemaobject.h"

#include <QString>
#include <QStringList>

namespace pd::sqlplan {

// The argument list of a routine in DROP, COMMENT, GRANT: an aggregate without
// arguments is written f(*).
QString routineSignature(const SchemaObject &object);

QString stripSemicolon(QString text);

QString commentTarget(const SchemaObject &object);

// How GRANT names the object ("TABLE public.t", "FUNCTION public.f(integer)"); empty for
// kinds without privileges.
QString grantTarget(const SchemaObject &object);

QString commentStatement(const SchemaObject &object, const QString &comment);

QString alterTable(const SchemaObject &object);

QString columnDefinition(const SchemaObject &column, const QString &defaultExpression);

QString sequenceOptions(const SchemaObject &sequence);

QString triggerEnableStatement(const SchemaObject &trigger);

QString eventTriggerEnableStatement(const SchemaObject &trigger);

QStringList optionKeys(const QString &options);

} // namespace pd::sqlplan
