#pragma once
// `triage report <out-dir>`: prints a bulk output directory's buckets from its store, runs nothing,
// and rewrites the report files next to the store.
#include <CLI/CLI.hpp>

#include <string>

#include "triage/cli/bucket_output.hpp"

namespace triage::cli {

struct ReportOptions {
  std::string out_dir = "triage-out";
  BucketViewOptions view;
};

/// Declares the options of `report` on its subcommand (cli/subcommands.cpp makes it).
void add_report_options(CLI::App* cmd, ReportOptions& options);
int run_report(const ReportOptions& options);

}  // namespace triage::cli
