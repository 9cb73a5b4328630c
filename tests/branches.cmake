# Git branches, database branches, the switch that ties them, cloud branch providers
# (core/branches) and the parity matrix (core/parity). Real git repositories, real
# throwaway PostgreSQL clusters, a shell script standing in for a vendor CLI.
pd_add_test(tst_git)
pd_add_test(tst_branches TIMEOUT 600)
# `paritydeck branch` for cloud branches, against a script standing in for neonctl.
pd_add_test(tst_cloudbranches NEEDS_BINARY)
pd_add_test(tst_parity)
