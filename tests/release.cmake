# Release quality (issue 8): `paritydeck init`, the documentation checked against the code,
# the Debian package, shell completion and bounded fuzzing of the parsers.
pd_add_test(tst_init NEEDS_BINARY)
pd_add_test(tst_docs NEEDS_BINARY)
target_compile_definitions(tst_docs PRIVATE PD_DOCS_DIR="${CMAKE_SOURCE_DIR}/docs")
pd_add_test(tst_fuzz TIMEOUT 600 SOURCES tst_fuzz.cpp ${CMAKE_SOURCE_DIR}/fuzz/fuzztargets.cpp)
target_include_directories(tst_fuzz PRIVATE ${CMAKE_SOURCE_DIR}/fuzz)

# Bash completion, by sourcing the installed script and calling it the way bash does.
add_test(NAME bash_completion
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/completion.sh
                 ${CMAKE_SOURCE_DIR}/packaging/paritydeck.bash $<TARGET_FILE:paritydeck>)
set_tests_properties(bash_completion PROPERTIES TIMEOUT 120 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# The .deb: built with cpack from this build tree, inspected, unpacked and run.
add_test(NAME packaging_deb
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/packaging.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
set_tests_properties(packaging_deb PROPERTIES TIMEOUT 600 RUN_SERIAL TRUE
                     ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
