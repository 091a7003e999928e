# ampere_warnings(target): the warning set every ampere target compiles with.
function(ampere_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
                                           -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(AMPERE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
