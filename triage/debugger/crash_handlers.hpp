#pragma once
// The crash-handler breakpoints, as one table: which symbol, and what a stop there means for the run.
// Breakpoints are set by name before launch and stay pending until libc/libstdc++ load.
#include <span>
#include <string_view>

namespace triage::debugger {

enum class HandlerRole {
  crash,           ///< the crash is happening here: capture frames and state, keep going to the report
  crash_terminal,  ///< as crash, and the runtime has already printed everything: stop the run
  terminal,        ///< the runtime is about to exit: stop the run (crash captured earlier)
  record_throw,    ///< a C++ throw: remember the exception type, continue (it may be caught)
  libfuzzer_death, ///< libFuzzer printing its death report; a crash of its own for OOMs
  sanitizer_death, ///< a sanitizer dying after printing its report: the report is the crash, stop the run
};

struct HandlerBreakpoint {
  std::string_view symbol;  ///< name the breakpoint is set on (LLDB matches it as a base name too)
  HandlerRole role;
  /// Glob over the normalized symbol a stop must be in to count: a by-name breakpoint on `abort` also
  /// lands in every method called abort (a device's `Channel::abort`); those locations are disabled.
  std::string_view accept;
};

std::span<const HandlerBreakpoint> handler_breakpoints();

}  // namespace triage::debugger
