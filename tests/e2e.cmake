# End-to-end accessibility test: the real paritydeck control panel driven over AT-SPI by
# the names a screen reader announces (start an environment, diff, apply migrations, type
# a protected environment's name). Needs a display and a D-Bus session: labelled "display",
# so scripts/test runs it under its Xvfb session. See tests/e2e/README.md.
# Debian's python3 has python3-gi; a python3 earlier on PATH (pyenv, venv) usually has not.
find_program(PD_E2E_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT PD_E2E_PYTHON)
    find_program(PD_E2E_PYTHON python3)
endif()
if(PD_E2E_PYTHON)
    add_test(NAME e2e_gui_accessibility
             COMMAND ${PD_E2E_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/gui_a11y_e2e.py
                     $<TARGET_FILE:paritydeck>)
    # 77: no display, no session bus or no AT-SPI bindings (the script says which).
    # RUN_SERIAL: typed keys go to the window with the X input focus, which another display
    # test's window could take (there is no window manager to give it back).
    set_tests_properties(e2e_gui_accessibility PROPERTIES
        LABELS display
        TIMEOUT 240
        RUN_SERIAL TRUE
        SKIP_RETURN_CODE 77
        ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
else()
    message(STATUS "python3 not found: the AT-SPI end-to-end test (tests/e2e) is not registered")
endif()
