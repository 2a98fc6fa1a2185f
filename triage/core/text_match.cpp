#include "triage/core/text_match.hpp"

#include <re2/re2.h>

#include <cstdio>
#include <cstdlib>

namespace triage::core {

Pattern::Pattern(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  // Text from a target is bytes, not necessarily UTF-8: match byte-wise (Latin-1), as std::regex did.
  options.set_encoding(RE2::Options::EncodingLatin1);
  m_re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!m_re->ok()) {
    std::fprintf(stderr, "triage: internal error: bad pattern %.*s: %s\n", static_cast<int>(pattern.size()),
                 pattern.data(), m_re->error().c_str());
    std::abort();
  }
}

Pattern::~Pattern() = default;

bool Pattern::match(std::string_view text, bool anchored_both, Groups& groups) const {
  const int n = m_re->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> found(static_cast<size_t>(n));
  const re2::StringPiece input(text.data(), text.size());
  if (!m_re->Match(input, 0, input.size(), anchored_both ? RE2::ANCHOR_BOTH : RE2::UNANCHORED, found.data(), n)) {
    return false;
  }
  groups.m_groups.assign(static_cast<size_t>(n), std::nullopt);
  for (int i = 0; i < n; ++i) {
    if (found[static_cast<size_t>(i)].data() != nullptr) {
      groups.m_groups[static_cast<size_t>(i)] = std::string_view(found[static_cast<size_t>(i)].data(),
                                                                 found[static_cast<size_t>(i)].size());
    }
  }
  return true;
}

bool Pattern::full_match(std::string_view text, Groups& groups) const { return match(text, true, groups); }

bool Pattern::search(std::string_view text, Groups& groups) const { return match(text, false, groups); }

bool Pattern::search(std::string_view text) const {
  return m_re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, nullptr, 0);
}

}  // namespace triage::core
