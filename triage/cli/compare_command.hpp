#pragma once
// `triage compare <out-dir>`: the buckets of each artifact's latest build against its build before
// (a rebuilt binary, or bulk --env switching a bug off): new, still crashing, fixed, changed, flaky.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace triage::cli {

struct CompareOptions {
  std::string out_dir;
  std::string format = "table";
  std::vector<std::string> key_state;
};

/// Declares the options of `compare` on its subcommand (cli/subcommands.cpp makes it).
void add_compare_options(CLI::App* cmd, CompareOptions& options);
/// Exit 0, or 3 (k_exit_new_buckets) when a bucket is new on the latest build.
int run_compare(const CompareOptions& options);

}  // namespace triage::cli
