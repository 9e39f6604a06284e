# tandem_module(NAME SOURCES ... DEPENDS ... [EXTERNAL ...])
# Declares the CMake library tandem_<NAME> and enforces the module order of DESIGN.md:
# a module may depend only on modules declared before it.
set(TANDEM_MODULE_ORDER base domain engine store ingest api app)

function(tandem_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPENDS;EXTERNAL" ${ARGN})
  list(FIND TANDEM_MODULE_ORDER ${name} self_index)
  if(self_index EQUAL -1)
    message(FATAL_ERROR "unknown module ${name}")
  endif()
  foreach(dep IN LISTS M_DEPENDS)
    list(FIND TANDEM_MODULE_ORDER ${dep} dep_index)
    if(dep_index EQUAL -1 OR NOT dep_index LESS self_index)
      message(FATAL_ERROR "module ${name} may not depend on ${dep} (see DESIGN.md)")
    endif()
  endforeach()
  add_library(tandem_${name} STATIC ${M_SOURCES})
  target_include_directories(tandem_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  list(TRANSFORM M_DEPENDS PREPEND tandem_ OUTPUT_VARIABLE deps)
  target_link_libraries(tandem_${name} PUBLIC ${deps} ${M_EXTERNAL})
endfunction()

# tandem_module_test(NAME SOURCES ...): one test binary per module, run by ctest.
function(tandem_module_test name)
  add_executable(${name}_test ${ARGN})
  target_link_libraries(${name}_test PRIVATE tandem_${name} GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 300)
endfunction()
