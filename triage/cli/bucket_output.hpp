#pragma once
// How bulk, report and merge show a campaign's buckets: one format on stdout, and every format
// written next to the store (buckets.json, buckets.md, buckets.html, buckets.sarif).
#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

#include "triage/store/campaign_store.hpp"

namespace triage::cli {

struct BucketViewOptions {
  std::string format = "table";  ///< table | markdown | json | html | sarif
  std::vector<std::string> key_state;  ///< --key-state REG_OR_FIELD (repeatable)
  std::string source_root = ".";       ///< SARIF locations are relative to it
};

/// Adds -f/--format, --key-state and --source-root to a subcommand.
void add_bucket_view_options(CLI::App& cmd, BucketViewOptions& options);

/// How emit_bucket_reports runs: `print` the chosen format on stdout (else the files only), and have
/// the HTML page reload itself every `refresh_seconds` (a watched campaign).
struct ReportEmission {
  bool print = true;
  unsigned refresh_seconds = 0;
};

/// Buckets the store's records, writes the four report files into `out_dir` (each written whole, then
/// renamed into place) and prints `format`. Returns 0, or the exit code of an error (already reported).
int emit_bucket_reports(store::CampaignStore& store, const std::string& out_dir, const BucketViewOptions& view,
                        const std::vector<std::pair<std::string, std::string>>& unmapped,
                        const ReportEmission& emission = {});

}  // namespace triage::cli
