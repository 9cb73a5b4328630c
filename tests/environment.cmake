pd_add_test(tst_statusmonitor)
pd_add_test(tst_cli NEEDS_BINARY)
pd_add_test(tst_driftwatch)
pd_add_test(tst_sharedhistory)
