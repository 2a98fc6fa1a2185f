#pragma once
// `triage bulk [options] <artifact dirs...>`: triage a whole campaign in parallel into a store, then
// print its buckets. `triage report <out-dir>` prints them again from the store without running.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/cli/tool_config.hpp"

namespace triage::cli {

inline constexpr int k_exit_new_buckets = 3;  ///< bulk: buckets appeared that the store did not have

struct BulkOptions {
  std::vector<std::string> roots;
  std::string bin_dir;
  std::string map_file;
  std::string out_dir = "triage-out";
  std::string format = "table";
  unsigned jobs = 0;  ///< 0: default_jobs()
  uint32_t timeout_seconds = 10;
  bool rerun = false;
  std::string shard;  ///< "K/N"
  std::string lldb_server;
  DataOptions data;
};

struct ReportOptions {
  std::string out_dir = "triage-out";
  std::string format = "table";
};

CLI::App* add_bulk_command(CLI::App& app, BulkOptions& options);
CLI::App* add_report_command(CLI::App& app, ReportOptions& options);
int run_bulk(const BulkOptions& options);
int run_report(const ReportOptions& options);

}  // namespace triage::cli
