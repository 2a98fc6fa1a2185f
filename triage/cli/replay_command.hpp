#pragma once
// `triage replay <binary> <artifact>`: run natively (no debugger), classify from the sanitizer report
// symbolized by llvm-symbolizer. Fast check that an artifact still reproduces; no device state.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/cli/tool_config.hpp"

namespace triage::cli {

struct ReplayOptions {
  std::string binary;
  std::string artifact;
  std::string format = "text";
  uint32_t timeout_seconds = 10;
  std::vector<std::string> fuzzer_args;  ///< e.g. -timeout=3 for libFuzzer binaries
  std::vector<std::string> env;
  DataOptions data;
};

/// Declares the options of `replay` on its subcommand (cli/subcommands.cpp makes it).
void add_replay_options(CLI::App* cmd, ReplayOptions& options);
int run_replay(const ReplayOptions& options);

}  // namespace triage::cli
