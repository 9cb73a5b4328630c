# The window and the tray (owned by the ui work). tst_mainwindow runs offscreen;
# tst_tray needs a real X display with a system tray (scripts/test starts trayer).
pd_add_test(tst_mainwindow GUI)
pd_add_test(tst_tray DISPLAY)
# Without a tray the test skips itself; say so in ctest's summary instead of "Passed".
set_tests_properties(tst_tray PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP   : TestTray::initTestCase")
# The panel's other windows (owned by the ui work): parity, secrets (Set/Delete need the
# session keyring that scripts/test provides; skipped without a D-Bus session), branches
# (real git + server) and the audit log. All offscreen.
pd_add_test(tst_parityview GUI)
pd_add_test(tst_secretsview GUI)
pd_add_test(tst_branchswitcher GUI)
pd_add_test(tst_auditview GUI)
# The panel's words for core errors (ui/errortext.h): templates, phrases and prefixes all
# through the translator.
pd_add_test(tst_errortext GUI)
