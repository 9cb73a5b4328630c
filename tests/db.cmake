# Database layer: libpq wrapper against real throwaway servers (tests/support/pgcluster.h).
pd_add_test(tst_pgcluster)
pd_add_test(tst_connection)
pd_add_test(tst_connectionfactory)
