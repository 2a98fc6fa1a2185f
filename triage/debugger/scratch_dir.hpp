#pragma once
// The temporary directories a run works in (the target's captured output, lldb-server's fake
// lsb_release): /tmp/triage-<what>-<pid>-XXXXXX. Each is removed when its owner is done, on SIGINT and
// SIGTERM too; those of an owner that can no longer clean up (SIGKILLed, crashed) are removed by the
// next process that makes one of the same kind: its pid is in the name.
#include <string>
#include <string_view>

#include "triage/core/error.hpp"

namespace triage::debugger {

/// A new, empty directory of ours, after removing the abandoned ones of kind `what`.
core::Result<std::string> make_scratch_dir(std::string_view what);

/// Removes a directory made by make_scratch_dir, with everything in it (the target runs there).
void remove_scratch_dir(const std::string& path);

/// Has remove_scratch_dirs_now remove the file `path` too (a server's socket); forget_on_signal undoes it.
void remove_on_signal(const std::string& path);
void forget_on_signal(const std::string& path);

/// Removes every scratch directory this process still has, with the files in it (a subdirectory the
/// target made stays, for the next process's sweep). Async-signal-safe: for a handler about to _exit.
void remove_scratch_dirs_now();

}  // namespace triage::debugger
