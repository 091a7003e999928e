# Tests of lake/ (Delta tables). Included from tests/CMakeLists.txt.
# The Delta tables written by Spark live in the shared folder beside the project (../shared).
set(AMPERE_SHARED_DIR "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH "The shared folder with fixtures/delta-golden")
set(AMPERE_DELTA_GOLDEN_DIR "${AMPERE_SHARED_DIR}/fixtures/delta-golden")
if(NOT EXISTS "${AMPERE_DELTA_GOLDEN_DIR}")
  message(WARNING "Delta golden tables not found at ${AMPERE_DELTA_GOLDEN_DIR}: the conformance tests will fail. "
                  "Set -DAMPERE_SHARED_DIR=<folder holding fixtures/delta-golden>.")
endif()

add_executable(ampere_lake_unit_tests
  unit/lake_schema_test.cpp unit/lake_commit_test.cpp unit/lake_table_test.cpp unit/lake_checkpoint_test.cpp
  unit/lake_compaction_test.cpp unit/lake_vacuum_test.cpp unit/lake_errors_test.cpp unit/lake_file_stats_test.cpp
  unit/lake_last_checkpoint_test.cpp unit/lake_checkpoint_reader_test.cpp
  unit/lake_parquet_file_test.cpp)
target_include_directories(ampere_lake_unit_tests PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
target_link_libraries(ampere_lake_unit_tests PRIVATE ampere_lake ampere_db ampere_util fmt::fmt GTest::gtest_main)
target_compile_definitions(ampere_lake_unit_tests PRIVATE DELTA_GOLDEN_DIR="${AMPERE_DELTA_GOLDEN_DIR}")
ampere_warnings(ampere_lake_unit_tests)
gtest_discover_tests(ampere_lake_unit_tests TEST_PREFIX "lake." DISCOVERY_TIMEOUT 60)

# A writer process for the crash (kill -9) and concurrency tests.
add_executable(lake_writer_tool integration/lake_writer_tool.cpp)
target_link_libraries(lake_writer_tool PRIVATE ampere_lake ampere_db ampere_util fmt::fmt)
ampere_warnings(lake_writer_tool)

add_executable(ampere_lake_integration_tests
  integration/lake_golden_test.cpp integration/lake_crash_test.cpp integration/lake_concurrency_test.cpp
  integration/lake_views_test.cpp integration/lake_cli_test.cpp)
target_include_directories(ampere_lake_integration_tests PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
target_link_libraries(ampere_lake_integration_tests PRIVATE ampere_lake ampere_db ampere_util fmt::fmt
                                                          GTest::gtest_main)
target_compile_definitions(ampere_lake_integration_tests PRIVATE
  DELTA_GOLDEN_DIR="${AMPERE_DELTA_GOLDEN_DIR}"
  LAKE_WRITER_TOOL="$<TARGET_FILE:lake_writer_tool>"
  AMPERE_BINARY="$<TARGET_FILE:ampere>")
add_dependencies(ampere_lake_integration_tests lake_writer_tool ampere)
ampere_warnings(ampere_lake_integration_tests)
gtest_discover_tests(ampere_lake_integration_tests TEST_PREFIX "lake." DISCOVERY_TIMEOUT 60
                     PROPERTIES RESOURCE_LOCK demo_simulator_port)
