#include "triage/emit/bucket_format.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace triage::emit {

std::string summary_line(const std::vector<core::Bucket>& buckets, const CampaignSummary& s) {
  return fmt::format("{} artifacts: {} crashes in {} buckets{}, {} no-repro, {} errors", s.artifacts, s.crashes,
                     buckets.size(), s.flaky ? fmt::format(" ({} flaky)", s.flaky) : "", s.no_repro, s.errors);
}

std::string runs_note(uint32_t runs) { return runs > 1 ? fmt::format("  (no crash in {} runs)", runs) : ""; }

namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// The byte offset where the `n`-th code point starts (the size when there are fewer).
size_t offset_of_code_point(std::string_view s, size_t n) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(s[i]) && seen++ == n) {
      return i;
    }
  }
  return s.size();
}

}  // namespace

size_t display_width(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return !is_continuation(c); }));
}

std::string shorten(std::string s, size_t n) {
  if (const auto nl = s.find('\n'); nl != std::string::npos) {
    s = s.substr(0, nl) + " ...";
  }
  if (display_width(s) > n) {
    s = s.substr(0, offset_of_code_point(s, n > 3 ? n - 3 : 0)) + "...";
  }
  return s;
}

std::string elide_front(std::string s, size_t n) {
  const size_t w = display_width(s);
  if (w <= n) {
    return s;
  }
  const size_t keep = n > 3 ? n - 3 : 0;
  return "..." + s.substr(offset_of_code_point(s, w - keep));
}

std::string pad(std::string_view s, size_t n) {
  const size_t w = display_width(s);
  return std::string(s) + std::string(w < n ? n - w : 0, ' ');
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

std::string uri_path(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string directory_with_slash(const std::string& dir) {
  std::string d = std::filesystem::path(dir).lexically_normal().string();
  return d.ends_with('/') ? d : d + "/";
}

std::optional<std::string> source_path_under(const std::string& file, const std::string& root) {
  const std::string normal = std::filesystem::path(file).lexically_normal().string();
  if (!root.empty() && normal.starts_with(root)) {
    return normal.substr(root.size());
  }
  if (!normal.starts_with('/')) {
    return normal;
  }
  return std::nullopt;
}

}  // namespace triage::emit
