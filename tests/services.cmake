# Services and the audit log (core/services, core/audit): real detached processes, real
# sockets and throwaway PostgreSQL servers (tests/support).
pd_add_test(tst_audit)
pd_add_test(tst_services TIMEOUT 300)
# The control panel is single-instance per user: the real binary launched twice offscreen.
pd_add_test(tst_singleinstance NEEDS_BINARY TIMEOUT 180)
# start/stop/restart of protected environments: --confirm ENV, read-only refusals, audit.
pd_add_test(tst_serviceprotection NEEDS_BINARY)
