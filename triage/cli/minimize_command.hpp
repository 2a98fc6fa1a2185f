#pragma once
// `triage minimize BINARY ARTIFACT -o FILE`, or `triage minimize --store OUT_DIR` for every bucket: the
// smallest input that still lands in the same bucket (core/minimize.hpp), each candidate checked by a
// native replay and its signature.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/cli/tool_config.hpp"

namespace triage::cli {

struct MinimizeOptions {
  std::vector<std::string> positionals;  ///< BINARY ARTIFACT
  std::string store_dir;                 ///< --store: every bucket of this bulk output directory
  std::string output;                    ///< -o: the minimized input (one artifact)
  uint32_t timeout_seconds = 10;
  std::vector<std::string> env;
  size_t max_checks = 5000;
  unsigned max_seconds = 300;
  uint32_t libfuzzer_runs = 1000;    ///< libFuzzer's minimizer: -runs per step; 0: not used
  uint32_t libfuzzer_seconds = 30;  ///< at most, for libFuzzer's minimizer steps
  DataOptions data;
};

/// Declares the options of `minimize` on its subcommand (cli/subcommands.cpp makes it).
void add_minimize_options(CLI::App* cmd, MinimizeOptions& options);
int run_minimize(const MinimizeOptions& options);

}  // namespace triage::cli
