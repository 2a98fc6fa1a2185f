#pragma once
// `triage bulk [options] <artifact dirs...>`: triage a whole campaign in parallel into a store, then
// print its buckets (report_command.hpp prints them again, merge_command.hpp combines shards).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/cli/bucket_output.hpp"
#include "triage/cli/tool_config.hpp"

namespace triage::cli {

inline constexpr int k_exit_new_buckets = 3;  ///< bulk: buckets appeared that the store did not have

struct BulkOptions {
  std::vector<std::string> roots;
  std::string bin_dir;
  std::string map_file;
  std::vector<std::string> include;  ///< --include GLOB: file names taken as artifacts besides libFuzzer's
  std::vector<std::string> exclude;  ///< --exclude GLOB: file names never taken
  std::string out_dir = "triage-out";
  BucketViewOptions view;
  unsigned jobs = 0;  ///< 0: default_jobs()
  uint32_t timeout_seconds = 10;
  std::vector<std::string> env;  ///< --env NAME=VALUE for every target
  unsigned retries = 0;  ///< --retries: extra runs of an artifact that did not crash
  bool rerun = false;
  bool watch = false;  ///< --watch: follow the directories until SIGINT/SIGTERM
  bool no_pin = false;  ///< --no-pin: workers are not pinned to CPUs
  std::string shard;  ///< "K/N"
  std::string lldb_server;
  DataOptions data;
};

/// Declares the options of `bulk` on its subcommand (cli/subcommands.cpp makes it).
void add_bulk_options(CLI::App* cmd, BulkOptions& options);
int run_bulk(const BulkOptions& options);

}  // namespace triage::cli
