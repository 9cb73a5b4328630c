pd_add_test(tst_result)
