# Migrations engine (core/migrations): SQL splitting/classification with libpg_query,
# migration folder formats, history tables of ParityDeck and other tools, the planner,
# and the runner against real throwaway servers (tests/support/pgcluster.h).
pd_add_test(tst_sqlscript)
pd_add_test(tst_migrationsource)
pd_add_test(tst_migrationhistory)
pd_add_test(tst_migrationrunner TIMEOUT 600)
