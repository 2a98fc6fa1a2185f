#include "triage/core/frame_filter.hpp"

#include <fmt/format.h>

#include "triage/core/glob.hpp"
#include "triage/core/symbol_name.hpp"
#include "triage/core/toml_util.hpp"

namespace triage::core {
namespace {

namespace tu = toml_util;

bool any_match(const std::vector<std::string>& patterns, std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const auto& p : patterns) {
    if (glob_match(p, text)) {
      return true;
    }
  }
  return false;
}

}  // namespace

const IgnoreRule* IgnoreList::rule_for(const Frame& frame) const {
  const std::string normalized = normalize_function_name(frame.function);
  for (const auto& rule : m_rules) {
    if (any_match(rule.functions, normalized) || any_match(rule.modules, frame.module) ||
        any_match(rule.files, frame.file)) {
      return &rule;
    }
  }
  return nullptr;
}

std::optional<std::string> IgnoreList::ignored_by(const Frame& frame) const {
  const IgnoreRule* rule = rule_for(frame);
  return rule != nullptr ? std::optional(rule->group) : std::nullopt;
}

Result<IgnoreList> parse_ignore_list(std::string_view toml_text, std::string_view origin) {
  const auto root = TRIAGE_TRY(tu::parse(toml_text, origin));
  TRIAGE_TRY(tu::check_keys(root, {"schema_version", "ignore"}, origin));
  TRIAGE_TRY(tu::check_schema_version(root, 1, origin));
  IgnoreList list;
  for (const toml::table* group : TRIAGE_TRY(tu::array_of_tables(root, "ignore", origin))) {
    const auto& t = *group;
    const std::string where = fmt::format("{}: ignore group", origin);
    TRIAGE_TRY(tu::check_keys(t, {"group", "functions", "modules", "files", "description", "blame_when_alone"}, where));
    IgnoreRule rule;
    rule.group = TRIAGE_TRY(tu::required_string(t, "group", where));
    rule.functions = TRIAGE_TRY(tu::string_list(t, "functions", where));
    rule.modules = TRIAGE_TRY(tu::string_list(t, "modules", where));
    rule.files = TRIAGE_TRY(tu::string_list(t, "files", where));
    rule.blame_when_alone = TRIAGE_TRY(tu::optional_bool(t, "blame_when_alone", where));
    list.add(std::move(rule));
  }
  return list;
}

Result<IgnoreList> load_ignore_list(const std::filesystem::path& path) {
  const auto text = TRIAGE_TRY(tu::read_text_file(path.string()));
  return parse_ignore_list(text, path.string());
}

void merge_into(IgnoreList& into, const IgnoreList& more) {
  for (const auto& r : more.rules()) {
    into.add(r);
  }
}

FilteredStack filter_frames(const std::vector<Frame>& frames, const IgnoreList& ignore) {
  FilteredStack out;
  out.frames.reserve(frames.size());
  for (const auto& f : frames) {
    FilteredFrame ff{f, normalize_function_name(f.function), false, "", false};
    ff.frame.function = display_function_name(f.function);
    if (const IgnoreRule* rule = ignore.rule_for(f)) {
      ff.ignored = true;
      ff.ignored_by = rule->group;
      ff.blame_when_alone = rule->blame_when_alone;
    }
    if (!ff.ignored && !out.blamed) {
      out.blamed = out.frames.size();
    }
    out.frames.push_back(std::move(ff));
  }
  if (!out.blamed) {
    for (size_t i = 0; i < out.frames.size(); ++i) {
      if (out.frames[i].blame_when_alone && !out.frames[i].normalized.empty()) {
        out.blamed = i;
        out.blamed_alone = true;
        break;
      }
    }
  }
  return out;
}

}  // namespace triage::core
