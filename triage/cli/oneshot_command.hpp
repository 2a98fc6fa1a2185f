#pragma once
// `triage <fuzz-binary> <artifact>`: one artifact, one report.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/core/signature.hpp"
#include "triage/cli/tool_config.hpp"

namespace triage::debugger {
class SessionPool;
}

namespace triage::cli {

struct OneShotOptions {
  std::string binary;
  std::string artifact;
  std::string format = "text";
  std::string output;  ///< file to write the report to; stdout when empty
  uint32_t timeout_seconds = 10;
  size_t signature_frames = core::k_default_signature_frames;
  uint64_t max_artifact_bytes = 0;
  std::string lldb_server;
  std::vector<std::string> roots;
  std::vector<std::string> env;
  bool no_devices = false;
  std::string snapshot_out;   ///< write the raw CrashSnapshot JSON here (test fixtures, bug reports)
  std::string from_snapshot;  ///< analyse a saved snapshot instead of running anything
  bool dev = false;           ///< also run the artifact on the -O0 build and report both
  std::string dev_binary;     ///< the -O0 build (default: <binary>_dev next to the binary)
  DataOptions data;
  bool no_server = false;     ///< run here even when a `triage serve` answers (the front end reads it)
  /// Set by `triage serve`: its warm sessions (and its LLDB, already initialized) run the capture.
  debugger::SessionPool* sessions = nullptr;
};

void add_oneshot_options(CLI::App& app, OneShotOptions& options);
int run_oneshot(const OneShotOptions& options);

}  // namespace triage::cli
