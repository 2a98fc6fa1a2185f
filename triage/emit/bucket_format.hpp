#pragma once
// Wording shared by the bucket emitters (table, Markdown, HTML, SARIF), so every format says the same.
#include <cstdint>
#include <optional>
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
/// RFC 3986 path: unreserved characters and '/' as they are, every other byte %XX.
std::string uri_path(std::string_view path);
/// `dir` lexically normal, ending in '/'.
std::string directory_with_slash(const std::string& dir);
/// A source file's path under `root` (a directory_with_slash, or empty): the part below it, or the
/// path itself when relative (compilers record paths relative to the build's root); nullopt when it
/// lies elsewhere. SARIF locations and HTML source links.
std::optional<std::string> source_path_under(const std::string& file, const std::string& root);

}  // namespace triage::emit
