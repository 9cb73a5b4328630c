// Attribute names are checked by the compiler (schema/schemaobject.h): this file builds with
// Attr keys (pd_attribute_keys_typed, part of every build) and must fail to build once it
// asks for an attribute by string (pd_attribute_keys_by_string, built only by the test
// attribute_keys_checked_at_compile_time, which expects exactly that failure).
#include "schema/schemaobject.h"

namespace pd {

QString typeOf(const SchemaObject &object)
{
#ifdef PD_ATTRIBUTE_BY_STRING
    return object.attribute(QStringLiteral("tpye"));
#else
    return object.attribute(Attr::Type);
#endif
}

} // namespace pd
