# The allocation wraps of libews (runtime/src/soap/memory.h): the library's
# and the gSOAP engine's malloc calls go through __wrap_malloc & co, and
# nothing else's does.
#
#   EWS_ALLOC_WRAP   link options for a shared library made of those objects
#
#   ews_add_wrapped_archive(<target> OBJECT_LIBRARIES <objlib>...
#                           ARCHIVES <static library>...)
#     A static library holding one relocatable object, partially linked
#     (`cc -r`) from the object libraries and the whole archives with the
#     wraps applied there: the calls of the objects inside are bound to the
#     wrappers once and for all, the wrappers are made local, and a program
#     that links <target> needs no --wrap option, so its own calls (and its
#     other libraries') reach the C library's malloc untouched.

set(EWS_ALLOC_WRAPPED malloc free realloc)
set(EWS_ALLOC_WRAP "")
foreach(fn IN LISTS EWS_ALLOC_WRAPPED)
  list(APPEND EWS_ALLOC_WRAP "LINKER:--wrap=${fn}")
endforeach()

function(ews_add_wrapped_archive target)
  cmake_parse_arguments(PARSE_ARGV 1 A "" "" "OBJECT_LIBRARIES;ARCHIVES")
  if(NOT CMAKE_OBJCOPY)
    message(FATAL_ERROR "ews_add_wrapped_archive: objcopy not found (binutils)")
  endif()
  set(wrap "")
  set(localize "")
  foreach(fn IN LISTS EWS_ALLOC_WRAPPED)
    list(APPEND wrap "-Wl,--wrap=${fn}")
    list(APPEND localize "--localize-symbol=__wrap_${fn}")
  endforeach()
  set(objects "")
  foreach(lib IN LISTS A_OBJECT_LIBRARIES)
    list(APPEND objects "$<TARGET_OBJECTS:${lib}>")
  endforeach()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}.o")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${CMAKE_C_COMPILER}" -r -nostdlib ${wrap} -o "${out}.tmp" ${objects}
            -Wl,--whole-archive ${A_ARCHIVES} -Wl,--no-whole-archive
    COMMAND "${CMAKE_OBJCOPY}" ${localize} "${out}.tmp" "${out}"
    COMMAND "${CMAKE_COMMAND}" -E remove "${out}.tmp"
    DEPENDS ${A_OBJECT_LIBRARIES} ${objects} ${A_ARCHIVES}
    COMMENT "${target}: the library's objects with their allocation calls wrapped"
    COMMAND_EXPAND_LISTS
    VERBATIM)
  add_library(${target} STATIC "${out}")
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
endfunction()
