#pragma once
// Wording shared by the bucket emitters (table, Markdown, HTML, SARIF), so every format says the same.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "triage/core/bucket.hpp"
#include "triage/emit/bucket_emitters.hpp"

namespace triage::emit {

/// "160 artifacts: 158 crashes in 18 buckets (2 flaky), 1 no-repro, 1 errors"
std::string summary_line(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary);
/// "  (no crash in 3 runs)" after a no-repro artifact that was retried; empty for a single run.
std::string runs_note(uint32_t runs);
/// At most `n` code points: the first line, cut with "..." at a code point boundary.
std::string shorten(std::string s, size_t n);
/// At most `n` code points, the end kept: "...CmosRtc::periodic_interval_ticks".
std::string elide_front(std::string s, size_t n);
/// Code points (the terminal columns of text without wide characters).
size_t display_width(std::string_view s);
/// `s`, then spaces to `n` columns.
std::string pad(std::string_view s, size_t n);
std::string basename_of(const std::string& path);
std::string join(const std::set<std::string>& items, const char* separator);

}  // namespace triage::emit
