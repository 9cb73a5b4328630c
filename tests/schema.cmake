# Schema engine: introspection, fingerprint, diff and SQL generation against real
# throwaway servers (tests/support/pgcluster.h); the round trip runs the corpus in
# tests/data/schema-pairs in both directions.
pd_add_test(tst_schema)
pd_add_test(tst_schema_roundtrip TIMEOUT 900)
