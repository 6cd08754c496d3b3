# The allocation wraps stay inside the library. In the internal archive
# (nm), every malloc call is already bound to the
# library's wrappers, and those are local: a program linking it needs no
# --wrap option and cannot bind its own calls to them. At run time (the
# probe), the program's own mallocs bypass the guard, the engine's reach it.
#
# cmake -DPROBE= -DARCHIVE= -DNM= -P alloc_wrap_scope.cmake
foreach(v PROBE ARCHIVE NM)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "alloc_wrap_scope.cmake: -D${v}= is required")
  endif()
endforeach()

execute_process(COMMAND "${NM}" "${ARCHIVE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm ${ARCHIVE} failed: ${err}")
endif()
string(REGEX MATCHALL "[ \t][A-Z][ \t]+__wrap_[A-Za-z_]+" global "${out}")
if(global)
  message(FATAL_ERROR "${ARCHIVE} has global wrappers a program would bind to: ${global}")
endif()
string(REGEX MATCHALL "[ \t]U[ \t]+malloc\n" unwrapped "${out}")
if(unwrapped)
  message(FATAL_ERROR "${ARCHIVE} calls the allocator unwrapped, for its linker to wrap: ${unwrapped}")
endif()
if(NOT out MATCHES "[ \t]t[ \t]+__wrap_malloc")
  message(FATAL_ERROR "no __wrap_malloc in ${ARCHIVE}; is nm output parsed right?\n${out}")
endif()

execute_process(COMMAND "${PROBE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROBE} failed (${rc}):\n${out}${err}")
endif()
message(STATUS "${out}")
