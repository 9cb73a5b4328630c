# Services and the audit log (core/services, core/audit): real detached processes, real
# sockets and throwaway PostgreSQL servers (tests/support).
pd_add_test(tst_audit)
pd_add_test(tst_services TIMEOUT 300)
# start/stop/restart of protected environments: --confirm ENV, read-only refusals, audit.
pd_add_test(tst_serviceprotection NEEDS_BINARY)
