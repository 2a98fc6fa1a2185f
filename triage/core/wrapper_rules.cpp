#include "triage/core/wrapper_rules.hpp"

#include <array>

#include <fmt/format.h>

#include "triage/core/glob.hpp"
#include "triage/core/register_schema.hpp"
#include "triage/core/toml_util.hpp"

namespace triage::core {
namespace {

namespace tu = toml_util;

constexpr std::array<std::pair<std::string_view, WrapperStrategy>, 7> k_strategies{{
    {"path", WrapperStrategy::path},
    {"leaf", WrapperStrategy::leaf},
    {"libstdcxx-variant", WrapperStrategy::libstdcxx_variant},
    {"libstdcxx-vector", WrapperStrategy::libstdcxx_vector},
    {"rust-enum", WrapperStrategy::rust_enum},
    {"rust-vec", WrapperStrategy::rust_vec},
    {"data-len", WrapperStrategy::rust_vec},  // the same: elements at `data`, `len` of them, typed by template argument 0
}};

Result<MemberPath> path_key(const toml::table& t, std::string_view key, std::string_view where) {
  const std::string text = tu::optional_string(t, key);
  if (text.empty()) {
    return MemberPath{};
  }
  auto path = parse_member_path(text);
  if (!path) {
    return make_error(ErrorCode::data_invalid, fmt::format("{}: '{}': {}", where, key, path.error().message));
  }
  return *path;
}

}  // namespace

Result<MemberPath> parse_member_path(std::string_view text) {
  MemberPath out;
  size_t i = 0;
  auto bad = [&](std::string_view why) {
    return make_error(ErrorCode::data_invalid, fmt::format("bad member path \"{}\": {}", text, why));
  };
  while (i < text.size()) {
    if (text[i] == '.') {
      ++i;
      continue;
    }
    if (text.compare(i, 2, "->") == 0) {
      out.push_back({PathStep::Kind::deref, "", 0});
      i += 2;
      continue;
    }
    if (text[i] == '*') {
      out.push_back({PathStep::Kind::deref, "", 0});
      ++i;
      continue;
    }
    if (text[i] == '@') {
      size_t j = i + 1;
      size_t n = 0;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
        n = n * 10 + static_cast<size_t>(text[j] - '0');
        ++j;
      }
      if (j == i + 1) {
        return bad("'@' must be followed by a child index");
      }
      out.push_back({PathStep::Kind::child_index, "", n});
      i = j;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] != '.' && text.compare(j, 2, "->") != 0 && text[j] != '@' && text[j] != '*') {
      ++j;
    }
    out.push_back({PathStep::Kind::member, std::string(text.substr(i, j - i)), 0});
    i = j;
  }
  if (out.empty()) {
    return bad("empty");
  }
  return out;
}

void WrapperRules::prepend(const WrapperRules& more) {
  m_rules.insert(m_rules.begin(), more.m_rules.begin(), more.m_rules.end());
  m_actions.insert(m_actions.begin(), more.m_actions.begin(), more.m_actions.end());
}

std::vector<const WrapperRule*> WrapperRules::candidates(std::string_view type_name) const {
  const std::string bare = bare_type_name(type_name);
  std::vector<const WrapperRule*> out;
  for (const auto& r : m_rules) {
    for (const auto& p : r.types) {
      if (glob_match(p, bare)) {
        out.push_back(&r);
        break;
      }
    }
  }
  return out;
}

Result<WrapperRules> parse_wrapper_rules(std::string_view toml_text, std::string_view origin) {
  const auto root = TRIAGE_TRY(tu::parse(toml_text, origin));
  TRIAGE_TRY(tu::check_keys(root, {"schema_version", "wrapper", "action"}, origin));
  TRIAGE_TRY(tu::check_schema_version(root, 1, origin));
  WrapperRules rules;
  for (const toml::table* entry : TRIAGE_TRY(tu::array_of_tables(root, "wrapper", origin))) {
    const auto& t = *entry;
    TRIAGE_TRY(tu::check_keys(t,
                              {"name", "language", "types", "strategy", "inner", "present", "data", "end", "len",
                               "start", "capacity", "facts", "description"},
                              fmt::format("{}: wrapper", origin)));
    WrapperRule rule;
    rule.name = TRIAGE_TRY(tu::required_string(t, "name", fmt::format("{}: wrapper", origin)));
    const std::string where = fmt::format("{}: wrapper '{}'", origin, rule.name);
    rule.types = TRIAGE_TRY(tu::string_list(t, "types", where));
    if (rule.types.empty()) {
      return make_error(ErrorCode::data_invalid, where + ": 'types' must list at least one type pattern");
    }
    const std::string strategy = tu::optional_string(t, "strategy");
    bool known = strategy.empty();
    for (const auto& [name, s] : k_strategies) {
      if (name == strategy) {
        rule.strategy = s;
        known = true;
      }
    }
    if (!known) {
      return make_error(ErrorCode::data_invalid, fmt::format("{}: unknown strategy '{}'", where, strategy));
    }
    rule.inner = TRIAGE_TRY(path_key(t, "inner", where));
    rule.present = TRIAGE_TRY(path_key(t, "present", where));
    rule.data = TRIAGE_TRY(path_key(t, "data", where));
    rule.end = TRIAGE_TRY(path_key(t, "end", where));
    rule.len = TRIAGE_TRY(path_key(t, "len", where));
    rule.start = TRIAGE_TRY(path_key(t, "start", where));
    rule.capacity = TRIAGE_TRY(path_key(t, "capacity", where));
    if (rule.strategy == WrapperStrategy::path && rule.inner.empty()) {
      return make_error(ErrorCode::data_invalid, where + ": strategy 'path' needs 'inner'");
    }
    if ((rule.strategy == WrapperStrategy::libstdcxx_vector && (rule.data.empty() || rule.end.empty())) ||
        (rule.strategy == WrapperStrategy::rust_vec && (rule.data.empty() || rule.len.empty()))) {
      return make_error(ErrorCode::data_invalid, where + ": vector strategies need 'data' and 'end' or 'len'");
    }
    if (const auto* facts = t.get("facts")) {
      if (!facts->is_table()) {
        return make_error(ErrorCode::data_invalid, where + ": 'facts' must be a table of name = \"path\"");
      }
      for (const auto& [k, v] : *facts->as_table()) {
        if (!v.is_string()) {
          return make_error(ErrorCode::data_invalid, where + ": 'facts' must be a table of name = \"path\"");
        }
        auto p = parse_member_path(v.as_string()->get());
        if (!p) {
          return make_error(ErrorCode::data_invalid, fmt::format("{}: fact '{}': {}", where, k.str(), p.error().message));
        }
        rule.facts.emplace_back(std::string(k.str()), std::move(*p));
      }
    }
    rules.add(std::move(rule));
  }
  for (const toml::table* entry : TRIAGE_TRY(tu::array_of_tables(root, "action", origin))) {
    const auto& t = *entry;
    const std::string where = fmt::format("{}: action", origin);
    TRIAGE_TRY(tu::check_keys(t, {"name", "frames", "value", "index", "description"}, where));
    ActionRule rule;
    rule.name = TRIAGE_TRY(tu::required_string(t, "name", where));
    rule.frames = TRIAGE_TRY(tu::string_list(t, "frames", where));
    rule.value = TRIAGE_TRY(tu::required_string(t, "value", where));
    rule.index = tu::optional_string(t, "index");
    if (rule.frames.empty()) {
      return make_error(ErrorCode::data_invalid, fmt::format("{} '{}': 'frames' must list at least one function", where, rule.name));
    }
    rules.add_action(std::move(rule));
  }
  return rules;
}

Result<WrapperRules> load_wrapper_rules(const std::filesystem::path& path) {
  const auto text = TRIAGE_TRY(tu::read_text_file(path.string()));
  return parse_wrapper_rules(text, path.string());
}

}  // namespace triage::core
