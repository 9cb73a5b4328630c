# The panel's actions (start/stop, migration status, the migration dialog) against real
# servers and real supervised processes. Runs offscreen.
pd_add_test(tst_panelactions GUI)
