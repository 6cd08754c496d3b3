# Installs the build tree into a scratch prefix and builds and runs a
# consumer against it twice - through find_package(ews) and through
# pkg-config - then checks that libews exports nothing but ews_* symbols,
# that the package's version rule holds (0.x: same minor), and that the
# installed ews-imlist runs on the installed libews.so.
#
# cmake -DBUILD_DIR= -DCONSUMER_DIR= -DWORK_DIR= -DLIBDIR= -DVERSION=
#       -DC_COMPILER= -DPKG_CONFIG= -DNM= [-DREADELF= -DIMLIST= -DBINDIR=]
#       -P run_package_test.cmake

foreach(v BUILD_DIR CONSUMER_DIR WORK_DIR LIBDIR VERSION C_COMPILER PKG_CONFIG NM)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_package_test.cmake: -D${v}= is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(libdir "${prefix}/${LIBDIR}")
# The consumer also parses a response and reads the generated struct behind
# it through the installed <ews/generated_types.h>.
string(REPLACE "." "\\." version_re "${VERSION}")
set(expected_output "^ews ${version_re}: operation timed out; [0-9]+ operations; group Installed$")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# Runs an installed consumer program with only the prefix to find libews in.
function(run_consumer what program)
  run("${what}" ${CMAKE_COMMAND} -E env "LD_LIBRARY_PATH=${libdir}" "${program}")
  string(STRIP "${run_output}" out)
  if(NOT out MATCHES "${expected_output}")
    message(FATAL_ERROR "${what} printed '${out}', expected '${expected_output}'")
  endif()
  message(STATUS "${what}: ${out}")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
run("cmake --install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
# The engine is linked privately and its header is not installed: no public
# header may need it (an application may have another gSOAP release or none).
file(GLOB headers "${prefix}/include/ews/*.h")
foreach(h IN LISTS headers)
  file(STRINGS "${h}" engine REGEX "^#[ \t]*include[ \t]*[<\"]stdsoap2\\.h")
  if(engine)
    message(FATAL_ERROR "${h} includes the gSOAP engine's header: ${engine}")
  endif()
endforeach()

# 1. find_package(ews CONFIG) + ews::ews
# It asks for this major.minor: what an application built against this
# release would ask for.
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" major_minor "${VERSION}")
set(major "${CMAKE_MATCH_1}")
set(minor "${CMAKE_MATCH_2}")
run("configuring the CMake consumer" ${CMAKE_COMMAND} -S "${CONSUMER_DIR}"
    -B "${WORK_DIR}/cmake-consumer" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_C_COMPILER=${C_COMPILER}" -DCMAKE_BUILD_TYPE=Release
    "-DEWS_REQUEST_VERSION=${major_minor}")
run("building the CMake consumer" ${CMAKE_COMMAND} --build "${WORK_DIR}/cmake-consumer")
run_consumer("find_package consumer" "${WORK_DIR}/cmake-consumer/ews_consumer")

# 2. pkg-config. The .pc file carries the configured prefix; a staged
# install overrides it the usual way, through the prefix variable.
set(pc_env "PKG_CONFIG_PATH=${libdir}/pkgconfig")
run("pkg-config --modversion ews" ${CMAKE_COMMAND} -E env ${pc_env}
    "${PKG_CONFIG}" --modversion ews)
string(STRIP "${run_output}" pc_version)
if(NOT pc_version STREQUAL VERSION)
  message(FATAL_ERROR "ews.pc says version '${pc_version}', expected '${VERSION}'")
endif()
run("pkg-config --cflags --libs ews" ${CMAKE_COMMAND} -E env ${pc_env}
    "${PKG_CONFIG}" "--define-variable=prefix=${prefix}" --cflags --libs ews)
separate_arguments(pc_flags UNIX_COMMAND "${run_output}")
run("compiling the pkg-config consumer" "${C_COMPILER}" -std=c11 -Wall -Wextra -Werror
    "${CONSUMER_DIR}/main.c" ${pc_flags} -o "${WORK_DIR}/pc_consumer")
run_consumer("pkg-config consumer" "${WORK_DIR}/pc_consumer")

# 3. Only the API is exported: everything else (our internals, the gSOAP
# engine) stays hidden so applications cannot clash with it.
run("nm -D" "${NM}" -D --defined-only "${libdir}/libews.so")
string(REPLACE "\n" ";" lines "${run_output}")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-fA-F]* *[A-Za-z] +([^ ]+)$")
    set(sym "${CMAKE_MATCH_1}")
    if(NOT sym MATCHES "^ews_")
      message(FATAL_ERROR "libews.so exports '${sym}', which is not an ews_* symbol")
    endif()
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count LESS 10)
  message(FATAL_ERROR "libews.so exports only ${count} symbols; is nm output parsed right?\n${run_output}")
endif()
message(STATUS "libews.so exports ${count} symbols, all ews_*")

# 4. An application written for an older 0.x minor release is refused: at
# 0.x every minor release may break it (the same configure, now asking for
# the previous minor).
if(major EQUAL 0 AND minor GREATER 0)
  math(EXPR older "${minor} - 1")
  execute_process(COMMAND ${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/cmake-consumer"
                          "-DEWS_REQUEST_VERSION=0.${older}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "find_package(ews 0.${older}) accepted ews ${VERSION}")
  endif()
  if(NOT err MATCHES "0\\.${older}")
    message(FATAL_ERROR "find_package(ews 0.${older}) failed, but not over the version:\n${err}")
  endif()
  message(STATUS "find_package(ews 0.${older}) refuses ews ${VERSION}")
endif()

# 5. The installed ews-imlist links the installed shared libews, finds it
# relative to itself (no LD_LIBRARY_PATH, no run path into the build tree),
# carries no copy of the library (no allocation wrappers) and runs its demo
# against the installed ews-mock-server.
if(NOT IMLIST)
  return()
endif()
set(tool "${prefix}/${BINDIR}/ews-imlist")
run("readelf -d ews-imlist" "${READELF}" -d "${tool}")
if(NOT run_output MATCHES "NEEDED[^\n]*\\[libews\\.so[.0-9]*\\]")
  message(FATAL_ERROR "the installed ews-imlist does not link libews.so:\n${run_output}")
endif()
string(FIND "${run_output}" "${BUILD_DIR}" build_path)
if(NOT build_path EQUAL -1)
  message(FATAL_ERROR "the installed ews-imlist looks into the build tree:\n${run_output}")
endif()
run("nm ews-imlist" "${NM}" "${tool}")
if(run_output MATCHES "__wrap_")
  message(FATAL_ERROR "the installed ews-imlist carries allocation wrappers (a library copy)")
endif()
file(SIZE "${tool}" tool_size)
message(STATUS "installed ews-imlist: ${tool_size} bytes, links libews.so")

run("ews-imlist --version" "${tool}" --version)
if(NOT run_output MATCHES "ews-c library ${VERSION}")
  message(FATAL_ERROR "ews-imlist --version printed '${run_output}'")
endif()
run("installed ews-imlist --demo" "${tool}" --demo)
set(installed_demo "${run_output}")
run("build tree ews-imlist --demo" "${IMLIST}" --demo)
if(NOT installed_demo STREQUAL run_output OR NOT installed_demo MATCHES "[A-Za-z]+\n.*\n.*\n")
  message(FATAL_ERROR "the installed ews-imlist --demo printed\n${installed_demo}\n"
                      "the build tree's\n${run_output}")
endif()
message(STATUS "installed ews-imlist --demo lists the demo mailbox")
