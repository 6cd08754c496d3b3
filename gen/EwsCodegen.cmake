# Build-time code generation: EWS WSDL/XSD fragments -> gSOAP C serializers.
#
#   ews_generate(<target>
#                WSDL_DIR <dir>        services.wsdl, messages.xsd, types.xsd
#                TYPEMAP <file>        wsdl2h type map
#                DETAIL_HEADER <file>  soapcpp2 input that #imports "ews.h"
#                OUTPUT_DIR <dir>      where the generated files go
#                [SCHEMA_DIR <dir>]    a full schema to cut at build time
#                [OPERATIONS <ops>])   with SCHEMA_DIR: ALL or a ;-list
#
# SCHEMA_DIR and OPERATIONS default to the cache variables EWS_SCHEMA_DIR
# and EWS_OPERATIONS. With a schema directory, gen/cut_fragments.py cuts it
# at build time into <OUTPUT_DIR>/wsdl and that cut is generated from instead
# of WSDL_DIR. The cut always keeps the operations of WSDL_DIR/operations.txt
# too, because the runtime's own requests and parsers are written against
# them.
#
# Creates OBJECT library <target> with soapC.c, and sets in the caller's scope
# <target>_DIR (the generated include directory), <target>_SERVER_SOURCE
# (the server skeleton, soapServer.c, for programs that serve EWS), and what
# gen/gen_operations.py makes of the generated service: <target>_OP_TABLE
# (ews_op_table.c: one descriptor and one typed call per operation, for the
# runtime), <target>_PUBLIC_DIR (include/ews/operations.h and
# generated_types.h, installed) and <target>_MOCK_FALLBACK (a service
# function per operation, for servers built on the skeleton).
# Every input is a dependency: editing a fragment or the type map
# regenerates; a no-op rebuild runs neither generator.

# The release CI builds and tests with (Debian 12). Any 2.8 release is
# accepted as long as wsdl2h, soapcpp2 and the engine are that one release.
set(EWS_GSOAP_TESTED_VERSION "2.8.124")

set(EWS_SCHEMA_DIR "" CACHE PATH
    "Generate from this full EWS schema (services.wsdl, messages.xsd, types.xsd), cut at build time, instead of the committed wsdl/ fragments")
set(EWS_OPERATIONS "" CACHE STRING
    "With EWS_SCHEMA_DIR: ALL, or a ;-list of operations to generate besides the runtime's own")
set(_EWS_CUTTER "${CMAKE_CURRENT_LIST_DIR}/cut_fragments.py")
set(_EWS_OPGEN "${CMAKE_CURRENT_LIST_DIR}/gen_operations.py")
set(_EWS_RUN_QUIET "${CMAKE_CURRENT_LIST_DIR}/run_quiet.cmake")

# gSOAP release "2.8.124" of GSOAP_VERSION 208124 in a stdsoap2.h.
function(_ews_gsoap_engine_release result header)
  set(${result} "unknown" PARENT_SCOPE)
  if(NOT EXISTS "${header}")
    return()
  endif()
  file(STRINGS "${header}" line REGEX "^#[ \t]*define[ \t]+GSOAP_VERSION[ \t]+[0-9]+" LIMIT_COUNT 1)
  if(line MATCHES "GSOAP_VERSION[ \t]+([0-9]+)")
    set(v "${CMAKE_MATCH_1}")
    math(EXPR major "${v} / 100000")
    math(EXPR minor "(${v} / 1000) % 100")
    math(EXPR patch "${v} % 1000")
    set(${result} "${major}.${minor}.${patch}" PARENT_SCOPE)
  endif()
endfunction()

# The generated serializers are compiled against the engine and #error on
# any other release, and what wsdl2h writes is soapcpp2's input: all three
# must be one release. 2.8 only: the type map and options are 2.8's.
function(_ews_check_gsoap_release)
  foreach(tool IN ITEMS WSDL2H SOAPCPP2)
    execute_process(COMMAND ${EWS_${tool}} -V
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" ver "${out}${err}")
    if(NOT ver)
      set(ver "unknown")
    endif()
    set(${tool} "${ver}")
  endforeach()
  _ews_gsoap_engine_release(ENGINE "${EWS_GSOAP_STDSOAP2_H}")
  if(NOT WSDL2H STREQUAL ENGINE OR NOT SOAPCPP2 STREQUAL ENGINE OR NOT ENGINE MATCHES "^2\\.8\\.")
    message(FATAL_ERROR
      "ews-c: wsdl2h, soapcpp2 and the engine library must be one gSOAP 2.8 release, "
      "but wsdl2h is ${WSDL2H} (${EWS_WSDL2H}), soapcpp2 is ${SOAPCPP2} (${EWS_SOAPCPP2}) "
      "and the engine is ${ENGINE} (GSOAP_VERSION in ${EWS_GSOAP_STDSOAP2_H}). "
      "Install the generators and the library of one release (Debian/Ubuntu: gsoap and "
      "libgsoap-dev; Fedora/RHEL: gsoap-devel), or point EWS_WSDL2H, EWS_SOAPCPP2 and "
      "EWS_GSOAP_STDSOAP2_H at one installation. Tested release: ${EWS_GSOAP_TESTED_VERSION}.")
  endif()
  set(note "")
  if(NOT ENGINE STREQUAL EWS_GSOAP_TESTED_VERSION)
    set(note " (ews-c is tested with ${EWS_GSOAP_TESTED_VERSION})")
  endif()
  message(STATUS "ews-c: gSOAP ${ENGINE}: wsdl2h, soapcpp2 and engine agree${note}")
endfunction()

function(_ews_find_gsoap_tools)
  find_program(EWS_WSDL2H wsdl2h)
  find_program(EWS_SOAPCPP2 soapcpp2)
  if(NOT EWS_WSDL2H OR NOT EWS_SOAPCPP2 OR NOT EXISTS "${EWS_WSDL2H}" OR NOT EXISTS "${EWS_SOAPCPP2}")
    message(FATAL_ERROR
      "ews-c: gSOAP's code generators were not found (wsdl2h: ${EWS_WSDL2H}, "
      "soapcpp2: ${EWS_SOAPCPP2}). On Debian 12: apt-get install gsoap libgsoap-dev")
  endif()
  _ews_check_gsoap_release()
  find_path(EWS_GSOAP_IMPORT_DIR NAMES xsd.h stlvector.h
            PATHS /usr/share/gsoap/import /usr/local/share/gsoap/import)
  if(NOT EWS_GSOAP_IMPORT_DIR)
    message(FATAL_ERROR "ews-c: gSOAP's import directory (xsd.h) was not found; install gsoap")
  endif()
endfunction()

# The operations file the cutter reads: ALL, or the union of the runtime's
# list and the requested one, rewritten only when it changes so that a
# re-configure does not re-cut.
function(_ews_operations_file result runtime_list requested dir)
  if(requested STREQUAL "ALL")
    set(${result} "ALL" PARENT_SCOPE)
    return()
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${runtime_list}")
  file(STRINGS "${runtime_list}" ops REGEX "^[ \t]*[A-Za-z]")
  list(TRANSFORM ops REPLACE "#.*" "")
  list(TRANSFORM ops STRIP)
  list(TRANSFORM ops REPLACE "[ \t].*" "")  # the minimum-version column
  list(APPEND ops ${requested})
  list(REMOVE_DUPLICATES ops)
  list(JOIN ops "\n" text)
  set(path "${dir}/operations.txt")
  file(WRITE "${path}.new" "${text}\n")
  file(COPY_FILE "${path}.new" "${path}" ONLY_IF_DIFFERENT)
  file(REMOVE "${path}.new")
  set(${result} "${path}" PARENT_SCOPE)
endfunction()

# Adds the build-time cut of a full schema; sets <var> to the cut's
# directory and <var>_INPUTS to its files.
function(_ews_cut_schema var schema_dir operations wsdl_dir out)
  foreach(f IN ITEMS messages.xsd types.xsd)
    if(NOT EXISTS "${schema_dir}/${f}")
      message(FATAL_ERROR "ews_generate: EWS_SCHEMA_DIR ${schema_dir} has no ${f}")
    endif()
  endforeach()
  file(GLOB schema_files CONFIGURE_DEPENDS "${schema_dir}/*.wsdl" "${schema_dir}/*.xsd")
  set(cut "${out}/wsdl")
  file(MAKE_DIRECTORY "${cut}")
  _ews_operations_file(ops_file "${wsdl_dir}/operations.txt" "${operations}" "${cut}")
  set(ops_dep "")
  if(NOT ops_file STREQUAL "ALL")
    set(ops_dep "${ops_file}")
  endif()
  set(cut_files "${cut}/services.wsdl" "${cut}/messages.xsd" "${cut}/types.xsd")
  # The cutter keeps the mtime of unchanged files; touching them marks the
  # cut as done so a no-op build does not run it again.
  add_custom_command(
    OUTPUT ${cut_files}
    COMMAND ${Python3_EXECUTABLE} "${_EWS_CUTTER}" --schema-dir "${schema_dir}"
            --operations "${ops_file}" --out-dir "${cut}"
    COMMAND ${CMAKE_COMMAND} -E touch_nocreate ${cut_files}
    DEPENDS ${schema_files} ${ops_dep} "${_EWS_CUTTER}"
    COMMENT "cut_fragments: ${schema_dir} -> ${cut}"
    VERBATIM)
  set(${var} "${cut}" PARENT_SCOPE)
  set(${var}_INPUTS ${cut_files} PARENT_SCOPE)
endfunction()

function(ews_generate target)
  cmake_parse_arguments(PARSE_ARGV 1 A ""
                        "WSDL_DIR;TYPEMAP;DETAIL_HEADER;OUTPUT_DIR;SCHEMA_DIR" "OPERATIONS")
  foreach(req IN ITEMS WSDL_DIR TYPEMAP DETAIL_HEADER OUTPUT_DIR)
    if(NOT A_${req})
      message(FATAL_ERROR "ews_generate: ${req} is required")
    endif()
  endforeach()
  if(NOT DEFINED A_SCHEMA_DIR)
    set(A_SCHEMA_DIR "${EWS_SCHEMA_DIR}")
  endif()
  if(NOT DEFINED A_OPERATIONS)
    set(A_OPERATIONS "${EWS_OPERATIONS}")
  endif()
  if(A_OPERATIONS AND NOT A_SCHEMA_DIR)
    message(FATAL_ERROR "ews_generate: EWS_OPERATIONS needs EWS_SCHEMA_DIR (a full schema to cut)")
  endif()
  _ews_find_gsoap_tools()
  find_package(Python3 REQUIRED COMPONENTS Interpreter)

  set(out "${A_OUTPUT_DIR}")
  file(MAKE_DIRECTORY "${out}")
  if(A_SCHEMA_DIR)
    _ews_cut_schema(cut "${A_SCHEMA_DIR}" "${A_OPERATIONS}" "${A_WSDL_DIR}" "${out}")
    set(wsdl_dir "${cut}")
    set(schema_inputs ${cut_INPUTS})
  else()
    set(wsdl_dir "${A_WSDL_DIR}")
    foreach(f IN ITEMS services.wsdl messages.xsd types.xsd)
      if(NOT EXISTS "${wsdl_dir}/${f}")
        message(FATAL_ERROR "ews_generate: ${wsdl_dir}/${f} is missing")
      endif()
    endforeach()
    file(GLOB schema_inputs CONFIGURE_DEPENDS "${wsdl_dir}/*.wsdl" "${wsdl_dir}/*.xsd")
  endif()
  set(header "${out}/ews.h")
  set(generated "${out}/soapC.c" "${out}/soapH.h" "${out}/soapStub.h"
                "${out}/soapClient.c" "${out}/soapServer.c")

  # -c C, -k no mustUnderstand on request headers, -u no unions (choices
  # become sibling pointers). Not -x: it would drop xs:any and with it
  # MessageXml (BackOffMilliseconds).
  add_custom_command(
    OUTPUT "${header}"
    COMMAND ${CMAKE_COMMAND} -DLOG=${out}/wsdl2h.log -P "${_EWS_RUN_QUIET}"
            ${EWS_WSDL2H} -c -k -u -t "${A_TYPEMAP}" -o "${header}.tmp"
            "${wsdl_dir}/services.wsdl"
    COMMAND ${CMAKE_COMMAND} -E rename "${header}.tmp" "${header}"
    DEPENDS ${schema_inputs} "${A_TYPEMAP}"
    WORKING_DIRECTORY "${out}"
    COMMENT "wsdl2h: EWS fragments -> ews.h"
    VERBATIM)

  # -L no soapClientLib/soapServerLib, -x no sample messages, -w no
  # WSDL/XSD copies. Client stubs and the server skeleton are both written;
  # the library compiles only the serializers.
  add_custom_command(
    OUTPUT ${generated}
    COMMAND ${CMAKE_COMMAND} -DLOG=${out}/soapcpp2.log -P "${_EWS_RUN_QUIET}"
            ${EWS_SOAPCPP2} -c -L -x -w -I${EWS_GSOAP_IMPORT_DIR} -I${out}
            -d "${out}" "${A_DETAIL_HEADER}"
    DEPENDS "${header}" "${A_DETAIL_HEADER}"
    WORKING_DIRECTORY "${out}"
    COMMENT "soapcpp2: ews.h -> C serializers"
    VERBATIM)

  # The operation table and the typed calls, from what the two wrote;
  # operations.txt gives the minimum versions.
  set(ops_txt "${A_WSDL_DIR}/operations.txt")
  set(op_outputs "${out}/ews_op_table.c" "${out}/ews_op_table.h" "${out}/ews_mock_fallback.c"
                 "${out}/include/ews/operations.h" "${out}/include/ews/generated_types.h")
  add_custom_command(
    OUTPUT ${op_outputs}
    COMMAND ${Python3_EXECUTABLE} "${_EWS_OPGEN}" --ews-h "${header}" --stub "${out}/soapStub.h"
            --operations "${ops_txt}" --out-dir "${out}"
    DEPENDS "${header}" "${out}/soapStub.h" "${ops_txt}" "${_EWS_OPGEN}"
    COMMENT "gen_operations: operation table and typed calls"
    VERBATIM)

  add_custom_target(${target}_sources DEPENDS ${generated} ${op_outputs})
  add_library(${target} OBJECT "${out}/soapC.c")
  add_dependencies(${target} ${target}_sources)
  target_include_directories(${target} PUBLIC "${out}")
  # Generated code is not ours to lint: keep warnings quiet and cheap
  # (-Wmisleading-indentation alone doubles its compile time).
  target_compile_options(${target} PRIVATE -w)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET hidden)
  set(${target}_DIR "${out}" PARENT_SCOPE)
  set(${target}_SERVER_SOURCE "${out}/soapServer.c" PARENT_SCOPE)
  set(${target}_WSDL_DIR "${wsdl_dir}" PARENT_SCOPE)
  set(${target}_OP_TABLE "${out}/ews_op_table.c" PARENT_SCOPE)
  set(${target}_PUBLIC_DIR "${out}/include" PARENT_SCOPE)
  set(${target}_MOCK_FALLBACK "${out}/ews_mock_fallback.c" PARENT_SCOPE)
  set_source_files_properties(${generated} ${op_outputs} PROPERTIES GENERATED TRUE)
endfunction()
