# Runs a code generator with its banner and progress chatter kept in a log
# file, showing them only when the generator fails.
#   cmake -DLOG=<file> -P run_quiet.cmake <program> [args...]
set(cmd "")
set(seen_script FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(seen_script)
    list(APPEND cmd "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} MATCHES "run_quiet\\.cmake$")
    set(seen_script TRUE)
  endif()
endforeach()
execute_process(COMMAND ${cmd} OUTPUT_FILE "${LOG}" ERROR_FILE "${LOG}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(READ "${LOG}" text)
  message(FATAL_ERROR "${text}\n'${cmd}' failed (${rc}); its output is in ${LOG}")
endif()
