#pragma once
// Runs the fuzz binary on an artifact without a debugger (LeakSanitizer refuses to run under ptrace),
// with a timeout, capturing stdout+stderr.
#include <optional>
#include <string>
#include <vector>

#include "triage/core/error.hpp"

namespace triage::debugger {

struct NativeRunResult {
  std::optional<int> exit_status;  ///< set when the process exited
  std::optional<int> signal;       ///< set when it was killed by a signal
  bool timed_out = false;
  std::string output;
  double elapsed_ms = 0;
};

struct NativeRunOptions {
  std::string cwd;          ///< working directory of the process; empty: ours
  bool allow_core = false;  ///< raise RLIMIT_CORE to the hard limit for the child (core files)
};

core::Result<NativeRunResult> run_native(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                         const std::string& output_path, uint32_t timeout_seconds,
                                         const NativeRunOptions& options = {});

/// Reads a whole file (the captured output); empty when missing.
std::string read_file(const std::string& path);

}  // namespace triage::debugger
