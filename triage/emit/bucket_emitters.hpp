#pragma once
// Bucket reports: a terminal table, Markdown for an issue tracker, JSON, one self-contained HTML page
// (bucket_html.cpp) and SARIF 2.1.0 for code-scanning UIs (bucket_sarif.cpp). Untrusted strings
// (panic messages, file names, frames) are escaped for each format (escape.hpp).
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "triage/core/bucket.hpp"
#include "triage/core/build_compare.hpp"

namespace triage::emit {

struct CampaignSummary {
  size_t artifacts = 0;
  size_t crashes = 0;
  size_t flaky = 0;  ///< crashes that reproduced only on a retry
  size_t no_repro = 0;
  size_t errors = 0;
  std::vector<std::pair<std::string, uint32_t>> no_repro_artifacts;  ///< artifact, runs without a crash
  std::vector<std::pair<std::string, std::string>> error_artifacts;  ///< artifact, error
  std::vector<std::pair<std::string, std::string>> unmapped;         ///< artifact, reason
  unsigned refresh_seconds = 0;  ///< HTML: reload itself this often (a watched campaign); 0: never
  /// Buckets of the build before that this build no longer has: fixed, or changed into others.
  std::vector<core::BucketComparison> gone;
};

CampaignSummary summarize(const std::vector<core::TriageRecord>& records);

struct TableOptions {
  /// Columns to fit in (the terminal's); 0: no limit. Narrower: the representative, then the message,
  /// go on a line of their own under the row, and the blamed frame and message are elided to fit.
  size_t width = 0;
};

std::string buckets_table(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary,
                          const TableOptions& options = {});
std::string buckets_markdown(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary);
nlohmann::json buckets_json(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary);

struct HtmlOptions {
  /// Source files under this directory (a directory_with_slash) are linked; empty: no links.
  std::string source_root;
  /// Links go to source_url + the path under the root + "#L<line>" (a repository browser's URL);
  /// empty: a relative link from report_dir to the file.
  std::string source_url;
  std::string report_dir;    ///< the directory the page is written to
  size_t open_sections = 5;  ///< bucket sections shown open; the rest start collapsed
};

/// One page, no network resources: a summary (counts per target, kind and severity, a bar chart),
/// filters and search, a sortable bucket table, one collapsible section per bucket with its
/// reproduce line and lldb command file, new/fixed markers. Inline CSS and one inline script (a
/// Content Security Policy admits only those, by hash); every untrusted string HTML-escaped.
std::string buckets_html(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary,
                         const HtmlOptions& options = {});

struct SarifOptions {
  /// Blamed files under this directory get URIs relative to it (uriBaseId SRCROOT); empty: none.
  std::string source_root;
  std::string tool_version = "0.1.0";
  /// The tool's page (driver.informationUri): TRIAGE_INFORMATION_URI at build time.
  std::string information_uri = TRIAGE_INFORMATION_URI;
};

/// SARIF 2.1.0: one result per bucket, ruleId = crash kind, level from severity.
nlohmann::json buckets_sarif(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary,
                             const SarifOptions& options);

}  // namespace triage::emit
