# Build-time code generation: EWS WSDL/XSD fragments -> gSOAP C serializers.
#
#   ews_generate(<target>
#                WSDL_DIR <dir>        services.wsdl, messages.xsd, types.xsd
#                TYPEMAP <file>        wsdl2h type map
#                DETAIL_HEADER <file>  soapcpp2 input that #imports "ews.h"
#                OUTPUT_DIR <dir>)     where the generated files go
#
# Creates OBJECT library <target> with soapC.c, and sets in the caller's scope
# <target>_DIR (the generated include directory) and <target>_SERVER_SOURCE
# (the server skeleton, soapServer.c, for programs that serve EWS).
# Every input is a dependency: editing a fragment or the type map
# regenerates; a no-op rebuild runs neither generator.

set(EWS_GSOAP_REQUIRED_VERSION "2.8.124")

function(_ews_find_gsoap_tools)
  find_program(EWS_WSDL2H wsdl2h)
  find_program(EWS_SOAPCPP2 soapcpp2)
  if(NOT EWS_WSDL2H OR NOT EWS_SOAPCPP2 OR NOT EXISTS "${EWS_WSDL2H}" OR NOT EXISTS "${EWS_SOAPCPP2}")
    message(FATAL_ERROR
      "ews-c: gSOAP's code generators were not found (wsdl2h: ${EWS_WSDL2H}, "
      "soapcpp2: ${EWS_SOAPCPP2}). On Debian 12: apt-get install gsoap libgsoap-dev")
  endif()
  foreach(tool IN ITEMS EWS_WSDL2H EWS_SOAPCPP2)
    execute_process(COMMAND ${${tool}} -V
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" ver "${out}${err}")
    if(NOT ver STREQUAL EWS_GSOAP_REQUIRED_VERSION)
      message(FATAL_ERROR
        "ews-c: ${${tool}} reports version '${ver}', but the generated code "
        "must match the gSOAP engine ${EWS_GSOAP_REQUIRED_VERSION} "
        "(Debian 12 packages gsoap and libgsoap-dev).")
    endif()
  endforeach()
  find_path(EWS_GSOAP_IMPORT_DIR NAMES xsd.h stlvector.h
            PATHS /usr/share/gsoap/import /usr/local/share/gsoap/import)
  if(NOT EWS_GSOAP_IMPORT_DIR)
    message(FATAL_ERROR "ews-c: gSOAP's import directory (xsd.h) was not found; install gsoap")
  endif()
endfunction()

function(ews_generate target)
  cmake_parse_arguments(PARSE_ARGV 1 A "" "WSDL_DIR;TYPEMAP;DETAIL_HEADER;OUTPUT_DIR" "")
  foreach(req IN ITEMS WSDL_DIR TYPEMAP DETAIL_HEADER OUTPUT_DIR)
    if(NOT A_${req})
      message(FATAL_ERROR "ews_generate: ${req} is required")
    endif()
  endforeach()
  _ews_find_gsoap_tools()

  foreach(f IN ITEMS services.wsdl messages.xsd types.xsd)
    if(NOT EXISTS "${A_WSDL_DIR}/${f}")
      message(FATAL_ERROR "ews_generate: ${A_WSDL_DIR}/${f} is missing")
    endif()
  endforeach()
  file(GLOB schema_inputs CONFIGURE_DEPENDS "${A_WSDL_DIR}/*.wsdl" "${A_WSDL_DIR}/*.xsd")

  set(out "${A_OUTPUT_DIR}")
  file(MAKE_DIRECTORY "${out}")
  set(header "${out}/ews.h")
  set(generated "${out}/soapC.c" "${out}/soapH.h" "${out}/soapStub.h"
                "${out}/soapClient.c" "${out}/soapServer.c")

  # -c C, -k no mustUnderstand on request headers, -u no unions (choices
  # become sibling pointers). Not -x: it would drop xs:any and with it
  # MessageXml (BackOffMilliseconds).
  add_custom_command(
    OUTPUT "${header}"
    COMMAND ${EWS_WSDL2H} -c -k -u -t "${A_TYPEMAP}" -o "${header}.tmp"
            "${A_WSDL_DIR}/services.wsdl"
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
    COMMAND ${EWS_SOAPCPP2} -c -L -x -w -I${EWS_GSOAP_IMPORT_DIR} -I${out}
            -d "${out}" "${A_DETAIL_HEADER}"
    DEPENDS "${header}" "${A_DETAIL_HEADER}"
    WORKING_DIRECTORY "${out}"
    COMMENT "soapcpp2: ews.h -> C serializers"
    VERBATIM)

  add_custom_target(${target}_sources DEPENDS ${generated})
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
  set_source_files_properties(${generated} PROPERTIES GENERATED TRUE)
endfunction()
