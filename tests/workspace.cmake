# Workspace file loading (core/workspace) and secret reference parsing (core/secrets).
pd_add_test(tst_workspaceloader)
pd_add_test(tst_secretref)
pd_add_test(tst_protection)
