#pragma once
// Frame filtering: ignore lists (data file triage/data/ignore_frames.toml, users add their own) mark
// runtime, sanitizer, libFuzzer, standard-library, Rust panic machinery and harness-glue frames; the
// blamed frame is the first frame that survives.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "triage/core/error.hpp"
#include "triage/core/snapshot.hpp"

namespace triage::core {

struct IgnoreRule {
  std::string group;  ///< e.g. "libc", "sanitizers", "rust-std"
  std::vector<std::string> functions;  ///< globs on the normalized function name
  std::vector<std::string> modules;    ///< globs on the module file name
  std::vector<std::string> files;      ///< globs on the source file path
  /// Frames of this group are blamed, and sign the crash, when no other frame survives (the harness:
  /// an assert in LLVMFuzzerTestOneInput is the harness's own finding).
  bool blame_when_alone = false;
};

class IgnoreList {
 public:
  void add(IgnoreRule rule) { m_rules.push_back(std::move(rule)); }
  const std::vector<IgnoreRule>& rules() const { return m_rules; }
  /// The first rule that ignores the frame, or null when it survives.
  const IgnoreRule* rule_for(const Frame& frame) const;
  /// The group of the first rule that ignores the frame, or nullopt when it survives.
  std::optional<std::string> ignored_by(const Frame& frame) const;

 private:
  std::vector<IgnoreRule> m_rules;
};

Result<IgnoreList> parse_ignore_list(std::string_view toml_text, std::string_view origin);
Result<IgnoreList> load_ignore_list(const std::filesystem::path& path);
/// Appends the rules of `more` to `into` (user files extend the shipped list).
void merge_into(IgnoreList& into, const IgnoreList& more);

struct FilteredFrame {
  Frame frame;
  std::string normalized;  ///< normalize_function_name(frame.function)
  bool ignored = false;
  std::string ignored_by;
  bool blame_when_alone = false;  ///< ignored by a group that is blamed when nothing else survives
};

struct FilteredStack {
  std::vector<FilteredFrame> frames;
  std::optional<size_t> blamed;  ///< index into frames of the first surviving frame
  bool blamed_alone = false;     ///< no frame survived: the blamed one is of a blame_when_alone group
};

/// Filters the frames and picks the blamed one. Display names lose their return type
/// (display_function_name) and consecutive frames of one function (a recursion, an inlined call of a
/// function into itself) are kept, but only the first of them can be blamed.
FilteredStack filter_frames(const std::vector<Frame>& frames, const IgnoreList& ignore);

}  // namespace triage::core
