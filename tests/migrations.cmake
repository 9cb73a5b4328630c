# Migrations engine (core/migrations): SQL splitting/classification with libpg_query,
# migration folder formats, history tables of ParityDeck and other tools, the planner,
# and the runner against real throwaway servers (tests/support/pgcluster.h).
pd_add_test(tst_sqlscript)
pd_add_test(tst_migrationsource)
pd_add_test(tst_migrationhistory PGMAJOR)
pd_add_test(tst_migrationrunner PGMAJOR TIMEOUT 600)
# migrations.command with real processes, and history tables made by the real tools
# (alembic, sqitch from Debian; dbmate from npm, installed next to the test on first use).
pd_add_test(tst_migrationtools TIMEOUT 600)
# The expected-schema cache: serialisation, keys, and that a second build skips the shadow.
pd_add_test(tst_snapshotcache PGMAJOR TIMEOUT 300)
# The paritydeck binary: migrate apply through migrations.command, the baseline schema
# check, drift from the expected-schema cache.
pd_add_test(tst_migrationcli NEEDS_BINARY PGMAJOR TIMEOUT 600)
