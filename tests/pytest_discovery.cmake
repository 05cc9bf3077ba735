# Run by ctest (a TEST_INCLUDE_FILES script that CMakeLists.txt's macula_pytest_suite writes):
# collects the pytest tests of suite_dir and adds one CTest test per test function, named
# suite_prefix.FILE.FUNCTION, "test_" dropped and "[param]" as ".param". A collection that fails
# becomes one failing test that shows why, so a broken scenario file cannot vanish silently.
execute_process(
  COMMAND ${suite_python} -m pytest --collect-only -q -p no:cacheprovider .
  WORKING_DIRECTORY ${suite_dir}
  OUTPUT_VARIABLE collected ERROR_VARIABLE collect_errors RESULT_VARIABLE collect_status)

set(environment "${suite_environment}")
if(NOT collect_status EQUAL 0)
  add_test(${suite_prefix}.collect ${suite_python} -m pytest --collect-only -q -p no:cacheprovider .)
  set_tests_properties(${suite_prefix}.collect PROPERTIES WORKING_DIRECTORY ${suite_dir}
                       LABELS "${suite_labels}" ENVIRONMENT "${environment}")
  return()
endif()

string(REPLACE "\n" ";" lines "${collected}")
foreach(node IN LISTS lines)
  if(NOT node MATCHES "^test_([^/]*)\\.py::test_([^ ]+)$")
    continue()  # the summary line, blank lines
  endif()
  set(name "${suite_prefix}.${CMAKE_MATCH_1}.${CMAKE_MATCH_2}")
  string(REPLACE "[" "." name "${name}")
  string(REPLACE "]" "" name "${name}")
  set(file "test_${CMAKE_MATCH_1}")
  add_test(${name} ${suite_python} -m pytest -q -p no:cacheprovider ${node})
  set_tests_properties(${name} PROPERTIES WORKING_DIRECTORY ${suite_dir} LABELS "${suite_labels}"
                       TIMEOUT ${suite_timeout} ENVIRONMENT "${environment}")
  # suite_costs: FILE=SECONDS, the scheduling hint of that file's tests (longest run first)
  foreach(cost IN LISTS suite_costs)
    if(cost MATCHES "^${file}=([0-9]+)$")
      set_tests_properties(${name} PROPERTIES COST ${CMAKE_MATCH_1})
    endif()
  endforeach()
endforeach()
