#pragma once
// `triage merge <out-dir> <shard-dir>...`: combines the stores of sharded bulk runs (`--shard K/N`,
// one output directory each, possibly on other machines) into <out-dir>/campaign.db and prints the
// merged buckets like `triage report`. The shard stores are only read.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/cli/bucket_output.hpp"

namespace triage::cli {

struct MergeOptions {
  std::string out_dir;
  std::vector<std::string> shard_dirs;
  BucketViewOptions view;
};

/// Declares the options of `merge` on its subcommand (cli/subcommands.cpp makes it).
void add_merge_options(CLI::App* cmd, MergeOptions& options);
int run_merge(const MergeOptions& options);

}  // namespace triage::cli
