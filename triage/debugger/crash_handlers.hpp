#pragma once
// The crash-handler breakpoints, as one table: which symbol, and what a stop there means for the run.
// Breakpoints are set by name before launch and stay pending until libc/libstdc++ load.
#include <span>

#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>
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

/// True when a breakpoint stop is in the handler itself; a location in another function of the same
/// base name (a device method called `abort`) is disabled for the rest of the session.
bool is_handler_location(lldb::SBThread& thread, lldb::break_id_t bp_id, const HandlerBreakpoint& h);

/// Disables LLDB's UBSan plugin breakpoint (see the definition); `last` carries the id found last time.
void disable_ubsan_report_breakpoint(lldb::SBTarget& target, lldb::break_id_t& last);

}  // namespace triage::debugger
