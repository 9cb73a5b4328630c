# The window and the tray (owned by the ui work). tst_mainwindow runs offscreen;
# tst_tray needs a real X display with a system tray (scripts/test starts trayer).
pd_add_test(tst_mainwindow GUI)
pd_add_test(tst_tray DISPLAY)
# Without a tray the test skips itself; say so in ctest's summary instead of "Passed".
set_tests_properties(tst_tray PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP   : TestTray::initTestCase")
