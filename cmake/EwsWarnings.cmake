# Warning flags for our own targets (generated code gets none: see gen/).
function(ews_target_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wformat=2 -Wcast-qual -Wpointer-arith -Wvla)
  if(EWS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
