pd_add_test(tst_result)
# Results posted back from worker threads to an object that may go first.
pd_add_test(tst_returnaddress)
# Escaping of text shown on one line (SQL comments, terminal reports) and name cutting.
pd_add_test(tst_printable)
