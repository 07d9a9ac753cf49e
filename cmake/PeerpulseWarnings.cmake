# Compiler flags shared by every peerpulse target.
add_library(peerpulse_flags INTERFACE)
target_compile_options(peerpulse_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
if(PEERPULSE_WERROR)
  target_compile_options(peerpulse_flags INTERFACE -Werror)
endif()
if(PEERPULSE_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  # Sanitizers apply to every target (tests and third-party templates too).
  add_compile_options(${_san})
  add_link_options(${_san})
endif()
# GCC 12 at -O3 reports -Wrestrict on std::string concatenation inside libstdc++
# (a false positive, GCC bug 105651, fixed in GCC 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(peerpulse_flags INTERFACE -Wno-restrict)
endif()
