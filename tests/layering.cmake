# Module edges are enforced by the build (core/CMakeLists.txt, docs/architecture.md):
# the scratch file tests/layering/edges.cpp compiles in a target that links only
# paritydeck_core_services (pd_layering_allowed, part of every build), and fails to compile
# once it includes a header of a module services does not link (pd_layering_forbidden,
# built only by the test, which expects exactly that failure).
add_library(pd_layering_allowed OBJECT ${CMAKE_CURRENT_LIST_DIR}/layering/edges.cpp)
target_link_libraries(pd_layering_allowed PRIVATE paritydeck_core_services)

add_library(pd_layering_forbidden OBJECT EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/layering/edges.cpp)
target_link_libraries(pd_layering_forbidden PRIVATE paritydeck_core_services)
target_compile_definitions(pd_layering_forbidden PRIVATE PD_LAYERING_FORBIDDEN)

add_test(NAME core_module_edges_enforced
         COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target pd_layering_forbidden)
# Passes only on the compiler's "not found" for that header (GCC and Clang wording), so a
# build that fails for another reason fails the test.
set_tests_properties(core_module_edges_enforced PROPERTIES
    PASS_REGULAR_EXPRESSION
    "environment/environmentstatus\\.h(: No such file or directory|' file not found)")

# A relative include would walk around the module boundary ("../environment/x.h").
add_test(NAME core_includes_no_relative_paths
         COMMAND sh -c "! grep -rnE '#include *\"\\.\\./' '${CMAKE_SOURCE_DIR}/core'")

# One watcher helper (core/common/whenfinished.h): nothing in core/ or ui/ hand-rolls a
# QFutureWatcher to receive a worker's result.
add_test(NAME result_watchers_only_in_whenfinished
         COMMAND sh -c "! grep -rn 'QFutureWatcher<' '${CMAKE_SOURCE_DIR}/core' '${CMAKE_SOURCE_DIR}/ui' | grep -v '/core/common/whenfinished.h:'")
