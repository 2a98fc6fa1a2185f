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

CLI::App* add_compare_command(CLI::App& app, CompareOptions& options);
/// Exit 0, or 3 (k_exit_new_buckets) when a bucket is new on the latest build.
int run_compare(const CompareOptions& options);

}  // namespace triage::cli
