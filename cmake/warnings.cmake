# Warnings for all first-party code, linked as an INTERFACE target (ccache's standard_warnings).
add_library(project_warnings INTERFACE)
target_compile_options(project_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  -Wno-gnu-zero-variadic-macro-arguments
  # TRIAGE_TRY is a statement expression, as ccache's TRY.
  -Wno-gnu-statement-expression-from-macro-expansion)
