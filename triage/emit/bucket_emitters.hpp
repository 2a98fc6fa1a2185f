#pragma once
// Bucket reports: a terminal table, Markdown for an issue tracker, JSON. Untrusted strings (panic
// messages, file names) are escaped for each format.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "triage/core/bucket.hpp"

namespace triage::emit {

struct CampaignSummary {
  size_t artifacts = 0;
  size_t crashes = 0;
  size_t no_repro = 0;
  size_t errors = 0;
  std::vector<std::string> no_repro_artifacts;
  std::vector<std::pair<std::string, std::string>> error_artifacts;  ///< artifact, error
  std::vector<std::pair<std::string, std::string>> unmapped;         ///< artifact, reason
};

CampaignSummary summarize(const std::vector<core::TriageRecord>& records);

std::string buckets_table(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary);
std::string buckets_markdown(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary);
nlohmann::json buckets_json(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary);

/// Control characters shown as \xNN (terminal).
std::string printable(std::string_view s);
/// Markdown table-cell safe: pipes, backticks, angle brackets and newlines escaped.
std::string markdown_cell(std::string_view s);

}  // namespace triage::emit
