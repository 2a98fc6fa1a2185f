#include "triage/core/toml_util.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace triage::core::toml_util {

Result<toml::table> parse(std::string_view text, std::string_view origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCode::data_invalid,
                      std::string(origin) + ":" + std::to_string(e.source().begin.line) + ": " +
                          std::string(e.description()));
  }
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::data_invalid, "cannot read " + path);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<void> check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                        std::string_view where) {
  for (const auto& [key, value] : table) {
    bool known = false;
    for (auto a : allowed) {
      known = known || key.str() == a;
    }
    if (!known) {
      return make_error(ErrorCode::data_invalid,
                        std::string(where) + ": unknown key '" + std::string(key.str()) + "'");
    }
  }
  return {};
}

Result<std::string> required_string(const toml::table& table, std::string_view key, std::string_view where) {
  const auto* node = table.get(key);
  if (node == nullptr || !node->is_string()) {
    return make_error(ErrorCode::data_invalid,
                      std::string(where) + ": '" + std::string(key) + "' must be a string");
  }
  return std::string(node->as_string()->get());
}

std::string optional_string(const toml::table& table, std::string_view key) {
  const auto* node = table.get(key);
  if (node == nullptr) {
    return {};
  }
  if (node->is_string()) {
    return std::string(node->as_string()->get());
  }
  if (node->is_integer()) {
    return std::to_string(node->as_integer()->get());
  }
  return {};
}

Result<std::vector<std::string>> string_list(const toml::table& table, std::string_view key,
                                             std::string_view where) {
  std::vector<std::string> out;
  const auto* node = table.get(key);
  if (node == nullptr) {
    return out;
  }
  if (node->is_string()) {
    out.emplace_back(node->as_string()->get());
    return out;
  }
  if (!node->is_array()) {
    return make_error(ErrorCode::data_invalid,
                      std::string(where) + ": '" + std::string(key) + "' must be a list of strings");
  }
  for (const auto& item : *node->as_array()) {
    if (!item.is_string()) {
      return make_error(ErrorCode::data_invalid,
                        std::string(where) + ": '" + std::string(key) + "' must be a list of strings");
    }
    out.emplace_back(item.as_string()->get());
  }
  return out;
}

Result<std::optional<int64_t>> optional_integer(const toml::table& table, std::string_view key,
                                                std::string_view where) {
  const auto* node = table.get(key);
  if (node == nullptr) {
    return std::optional<int64_t>{};
  }
  if (!node->is_integer()) {
    return make_error(ErrorCode::data_invalid,
                      std::string(where) + ": '" + std::string(key) + "' must be an integer");
  }
  return std::optional<int64_t>{node->as_integer()->get()};
}

Result<bool> optional_bool(const toml::table& table, std::string_view key, std::string_view where) {
  const auto* node = table.get(key);
  if (node == nullptr) {
    return false;
  }
  if (!node->is_boolean()) {
    return make_error(ErrorCode::data_invalid, std::string(where) + ": '" + std::string(key) + "' must be true or false");
  }
  return node->as_boolean()->get();
}

Result<void> check_schema_version(const toml::table& root, int64_t expected, std::string_view origin) {
  const auto version = TRIAGE_TRY(optional_integer(root, "schema_version", origin));
  if (!version || *version != expected) {
    return make_error(ErrorCode::data_invalid,
                      std::string(origin) + ": 'schema_version' must be " + std::to_string(expected));
  }
  return {};
}

Result<std::vector<const toml::table*>> array_of_tables(const toml::table& table, std::string_view key,
                                                        std::string_view where) {
  std::vector<const toml::table*> out;
  const auto* node = table.get(key);
  if (node == nullptr) {
    return out;
  }
  const auto bad = [&] {
    return make_error(ErrorCode::data_invalid,
                      std::string(where) + ": '" + std::string(key) + "' must be an array of tables");
  };
  if (!node->is_array()) {
    return bad();
  }
  for (const auto& item : *node->as_array()) {
    if (!item.is_table()) {
      return bad();
    }
    out.push_back(item.as_table());
  }
  return out;
}

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.size() > 2 && text[0] == '0' && (text[1] == 'b' || text[1] == 'B')) {
    base = 2;
    text.remove_prefix(2);
  }
  uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return v;
}

}  // namespace triage::core::toml_util
