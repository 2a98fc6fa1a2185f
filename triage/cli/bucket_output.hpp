#pragma once
// How bulk, report and merge show a campaign's buckets: one format on stdout, and every format
// written next to the store (buckets.json, buckets.md, buckets.html, buckets.sarif).
#include <CLI/CLI.hpp>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "triage/core/build_compare.hpp"
#include "triage/store/campaign_store.hpp"

namespace triage::cli {

struct BucketViewOptions {
  std::string format = "table";  ///< table | markdown | json | html | sarif
  std::vector<std::string> key_state;  ///< --key-state REG_OR_FIELD (repeatable)
  std::string source_root = ".";       ///< SARIF locations are relative to it; HTML links files under it
  std::string source_url;              ///< HTML source links: this URL + the path under the root + #L<line>
};

/// The store of a bulk output directory; an error when it has none (bulk never ran there).
core::Result<store::CampaignStore> open_output_store(const std::string& out_dir);

/// Adds -f/--format, --key-state, --source-root and --source-url to a subcommand.
void add_bucket_view_options(CLI::App& cmd, BucketViewOptions& options);

/// How emit_bucket_reports runs: `print` the chosen format on stdout (else the files only), and have
/// the HTML page reload itself every `refresh_seconds` (a watched campaign).
struct ReportEmission {
  bool print = true;
  unsigned refresh_seconds = 0;
  /// The build comparison of the store, when the caller made it already (null: made here).
  const std::optional<std::vector<core::BucketComparison>>* comparison = nullptr;
  /// The bucket ids the store had before this run: the others are marked new (null: only a bucket the
  /// build comparison calls new is).
  const std::set<std::string>* known_before = nullptr;
};

/// Buckets the store's records, writes the four report files into `out_dir` (each written whole, then
/// renamed into place) and prints `format`. Returns 0, or the exit code of an error (already reported).
int emit_bucket_reports(store::CampaignStore& store, const std::string& out_dir, const BucketViewOptions& view,
                        const std::vector<std::pair<std::string, std::string>>& unmapped,
                        const ReportEmission& emission = {});

}  // namespace triage::cli
