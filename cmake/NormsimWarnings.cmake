# normsim_warnings: one interface target that carries the warning flags, linked PRIVATE by every
# normsim target so that the flags never leak into code that includes our headers.
add_library(normsim_warnings INTERFACE)
add_library(normsim::warnings ALIAS normsim_warnings)
target_compile_options(normsim_warnings INTERFACE
  -Wall -Wextra          # the common set
  -Wpedantic             # stay within ISO C++20: the code must build with any conforming compiler
  -Wconversion           # narrowing between integer widths and double->int loses counts silently
  -Wsign-conversion      # size_t <-> int mix-ups are the classic off-by-2^64 bug in index code
  -Wshadow               # a shadowed stock or rate in a model step is a wrong-number bug, not style
  -Wold-style-cast       # casts must be greppable and say which kind they are
  -Wnon-virtual-dtor     # the sink is an interface deleted through a base pointer
  -Wdouble-promotion     # float->double promotion hides precision assumptions in the numerics
  -Woverloaded-virtual   # a sink overload that hides the base member is never what was meant
  -Wnull-dereference
)
if(NORMSIM_WARNINGS_AS_ERRORS)
  target_compile_options(normsim_warnings INTERFACE -Werror)
endif()
