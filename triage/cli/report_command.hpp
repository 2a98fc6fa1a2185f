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

CLI::App* add_report_command(CLI::App& app, ReportOptions& options);
int run_report(const ReportOptions& options);

}  // namespace triage::cli
