#pragma once
// The crash handlers, as one table: the symbol a breakpoint is set on, what a stop there means for a
// run, which crash kind it names, and what a generated lldb command file breaks on when it was the
// handler of a crash. The debugger sets the breakpoints from it, classification reads kinds from it,
// the command file its breakpoint: one row per handler, read by all three.
#include <optional>
#include <span>
#include <string_view>

#include "triage/core/crash_kind.hpp"

namespace triage::core {

enum class HandlerRole {
  crash,            ///< the crash is happening here: capture frames and state, keep going to the report
  crash_terminal,   ///< as crash, and the runtime has already printed everything: stop the run
  terminal,         ///< the runtime is about to exit: stop the run (crash captured earlier)
  record_throw,     ///< a C++ throw: remember the exception type, continue (it may be caught)
  libfuzzer_death,  ///< libFuzzer printing its death report; a crash of its own for OOMs and exit()
  sanitizer_death,  ///< a sanitizer dying after printing its report: the report is the crash, stop the run
  /// Not a breakpoint: a libFuzzer function seen in the frames of a libfuzzer_death stop that names
  /// the crash (HandleMalloc runs on every malloc, so it cannot be the breakpoint itself).
  cause,
};

struct CrashHandler {
  std::string_view symbol;  ///< breakpoint name (LLDB also matches it as a base name); the handler's name
  HandlerRole role;
  /// Glob over the normalized symbol a stop must be in to count: a by-name breakpoint on `abort` also
  /// lands in every method called abort (a device's `Channel::abort`); those locations are disabled.
  std::string_view accept;
  std::optional<CrashKind> kind;  ///< the kind a crash with this handler is (none: from the report)
  /// What a command file breaks on for a crash with this handler; empty: nothing (LLDB stops itself).
  std::string_view script_breakpoint;
};

std::span<const CrashHandler> crash_handlers();

/// The row of a handler name (a snapshot's `handler`): by symbol, then by accept glob; null if none.
const CrashHandler* find_crash_handler(std::string_view handler);

}  // namespace triage::core
