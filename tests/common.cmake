pd_add_test(tst_result)
# Escaping of text shown on one line (SQL comments, terminal reports) and name cutting.
pd_add_test(tst_printable)
