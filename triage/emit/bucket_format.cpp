#include "triage/emit/bucket_format.hpp"

#include <fmt/format.h>

namespace triage::emit {

std::string summary_line(const std::vector<core::Bucket>& buckets, const CampaignSummary& s) {
  return fmt::format("{} artifacts: {} crashes in {} buckets{}, {} no-repro, {} errors", s.artifacts, s.crashes,
                     buckets.size(), s.flaky ? fmt::format(" ({} flaky)", s.flaky) : "", s.no_repro, s.errors);
}

std::string runs_note(uint32_t runs) { return runs > 1 ? fmt::format("  (no crash in {} runs)", runs) : ""; }

std::string shorten(std::string s, size_t n) {
  if (const auto nl = s.find('\n'); nl != std::string::npos) {
    s = s.substr(0, nl) + " ...";
  }
  if (s.size() > n) {
    s = s.substr(0, n - 3) + "...";
  }
  return s;
}

std::string basename_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string join(const std::set<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& x : items) {
    out += (out.empty() ? "" : separator) + x;
  }
  return out;
}

}  // namespace triage::emit
