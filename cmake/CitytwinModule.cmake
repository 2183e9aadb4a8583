# One helper creates every module library, so warnings, sanitizers and include
# roots are set in one place (the Valhalla pattern). Sources are listed explicitly.
#
#   citytwin_module(NAME core_traffic SOURCES a.cpp b.cpp DEPENDS citytwin::core_model TBB::tbb)
#
# creates the static library citytwin_<NAME> with the alias citytwin::<NAME>.
# Headers are included by their path from the repository root, e.g. "core/traffic/bpr.hpp".

function(citytwin_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers>)
  if(CITYTWIN_WERROR)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
  endif()
  if(CITYTWIN_SANITIZE)
    # No recovery: undefined behaviour ends the test with an error instead of a printed line.
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer>)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(CITYTWIN_FUZZ)
    # Coverage for libFuzzer in everything; only the fuzz targets link its main (tests/fuzz).
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=fuzzer-no-link>)
  endif()
endfunction()

function(citytwin_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  set(target citytwin_${M_NAME})
  add_library(${target} STATIC ${M_SOURCES})
  add_library(citytwin::${M_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${M_DEPENDS} PRIVATE ${M_PRIVATE_DEPENDS})
  citytwin_warnings(${target})
endfunction()

# citytwin_test(NAME test_x SOURCES a.cpp DEPENDS citytwin::core LABELS core)
function(citytwin_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPENDS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPENDS} GTest::gtest GTest::gtest_main)
  # Tests include shared test headers by path ("tests/support/run_cli.hpp").
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${T_NAME} PRIVATE
    CITYTWIN_REFERENCE_DATA="${CITYTWIN_REFERENCE_DATA}"
    # The old name, for tests written on branches from before datasets/reference; remove once unused.
    CITYTWIN_SHARED_DATA="${CITYTWIN_REFERENCE_DATA}"
    CITYTWIN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CITYTWIN_TEST_FIXTURES="${PROJECT_SOURCE_DIR}/tests/fixtures")
  citytwin_warnings(${T_NAME})
  # Several labels must reach ctest as one ;-list value, not as extra property names.
  string(REPLACE ";" "\\;" labels "${T_LABELS}")
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${labels}")
endfunction()
