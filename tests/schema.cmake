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
