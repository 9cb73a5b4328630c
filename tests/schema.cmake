# Schema engine: introspection, fingerprint, diff and SQL generation against real
# throwaway servers (tests/support/pgcluster.h); the round trip runs the corpus in
# tests/data/schema-pairs in both directions.
pd_add_test(tst_schema PGMAJOR)
# 1800 s: besides the corpus both ways and the published schemas, creationOrder loads every
# corpus schema in two random orders (about three minutes on a shared two-core machine).
pd_add_test(tst_schema_roundtrip PGMAJOR TIMEOUT 1800)

# Real published schemas from Debian's packages (fetched, not committed) for the round trip.
set(PD_PUBLISHED_SCHEMAS_DIR ${CMAKE_BINARY_DIR}/published-schemas)
add_test(NAME fetch_published_schemas
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/support/fetch-published-schemas ${PD_PUBLISHED_SCHEMAS_DIR})
set_tests_properties(fetch_published_schemas PROPERTIES FIXTURES_SETUP published_schemas TIMEOUT 300)
set_tests_properties(tst_schema_roundtrip PROPERTIES FIXTURES_REQUIRED published_schemas)
target_compile_definitions(tst_schema_roundtrip PRIVATE
    PD_PUBLISHED_SCHEMAS_DIR="${PD_PUBLISHED_SCHEMAS_DIR}")

# The same schemas on PostgreSQL 15 and on each other major scripts/test fetched
# (scripts/postgres-majors): the diff between them must be empty.
pd_add_test(tst_schema_crossmajor TIMEOUT 900)
set_tests_properties(tst_schema_crossmajor PROPERTIES FIXTURES_REQUIRED published_schemas)
target_compile_definitions(tst_schema_crossmajor PRIVATE
    PD_PUBLISHED_SCHEMAS_DIR="${PD_PUBLISHED_SCHEMAS_DIR}" PD_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

# Attribute names are an enum (schema/schemaobject.h): a name given as a string, misspelt
# or not, does not compile. tests/schema/attributekeys.cpp builds with Attr keys in every
# build and must fail with a string key (the test builds that variant and expects the
# compiler's complaint about the argument).
add_library(pd_attribute_keys_typed OBJECT ${CMAKE_CURRENT_LIST_DIR}/schema/attributekeys.cpp)
target_link_libraries(pd_attribute_keys_typed PRIVATE paritydeck_core_schema)
add_library(pd_attribute_keys_by_string OBJECT EXCLUDE_FROM_ALL
            ${CMAKE_CURRENT_LIST_DIR}/schema/attributekeys.cpp)
target_link_libraries(pd_attribute_keys_by_string PRIVATE paritydeck_core_schema)
target_compile_definitions(pd_attribute_keys_by_string PRIVATE PD_ATTRIBUTE_BY_STRING)
add_test(NAME attribute_keys_checked_at_compile_time
         COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target pd_attribute_keys_by_string)
set_tests_properties(attribute_keys_checked_at_compile_time PROPERTIES
    PASS_REGULAR_EXPRESSION "cannot convert|no matching (member )?function|no viable conversion")
# …and nothing reads attributes by string around the enum (the snapshot's stored form,
# SchemaObject::attributes(), is for what stores, hashes or compares them whole).
add_test(NAME attribute_keys_not_spelled_as_strings
         COMMAND sh -c "! grep -rnE '(attribute|has|setAttribute|removeAttribute)\\(QString(Literal)?\\(\"' '${CMAKE_SOURCE_DIR}/core' '${CMAKE_SOURCE_DIR}/ui' '${CMAKE_SOURCE_DIR}/cli' '${CMAKE_SOURCE_DIR}/tests' '${CMAKE_SOURCE_DIR}/fuzz' '${CMAKE_SOURCE_DIR}/bench' | grep -v '/tests/schema/attributekeys.cpp:'")
