#pragma once
// Regular expressions for every parser of text a fuzz target controls (sanitizer and libFuzzer output,
// panic messages, LLDB's stop descriptions). RE2 matches in time linear in the text and never recurses
// per character: libstdc++'s std::regex did, and one 60 KB stderr line overflowed the stack.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace triage::core {

/// The capture groups of one match; group 0 is the whole match.
class Groups {
 public:
  bool matched(size_t i) const { return i < m_groups.size() && m_groups[i].has_value(); }
  /// The text of group i, empty when it did not take part.
  std::string str(size_t i) const { return matched(i) ? std::string(*m_groups[i]) : std::string(); }
  std::string_view view(size_t i) const { return matched(i) ? *m_groups[i] : std::string_view(); }

 private:
  friend class Pattern;
  std::vector<std::optional<std::string_view>> m_groups;
};

class Pattern {
 public:
  /// An invalid pattern is a programming error: it aborts at start-up (patterns are literals).
  explicit Pattern(std::string_view pattern);
  ~Pattern();
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  /// The whole text matches.
  bool full_match(std::string_view text, Groups& groups) const;
  /// Some part of the text matches (leftmost).
  bool search(std::string_view text, Groups& groups) const;
  bool search(std::string_view text) const;

 private:
  bool match(std::string_view text, bool anchored_both, Groups& groups) const;
  std::unique_ptr<re2::RE2> m_re;
};

}  // namespace triage::core
