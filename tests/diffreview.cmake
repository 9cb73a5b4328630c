# The schema diff review window (ui/diffreview) against real servers, offscreen, and its
# model alone on a 5,000-table diff built in memory.
pd_add_test(tst_diffreview GUI)
# The comparison service behind it (core/environment/schemacomparison), without widgets.
pd_add_test(tst_schemacomparison)
