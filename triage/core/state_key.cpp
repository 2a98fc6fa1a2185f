#include "triage/core/state_key.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace triage::core {
namespace {

bool ends_at_component(std::string_view name, std::string_view key) {
  if (key.empty() || !name.ends_with(key)) {
    return false;
  }
  return name.size() == key.size() || name[name.size() - key.size() - 1] == '.';
}

std::string register_value(const DecodedRegister& decoded) {
  const auto space = decoded.text.find(' ');
  return space == std::string::npos ? decoded.text : decoded.text.substr(0, space);
}

std::string field_value(const DecodedField& f) {
  if (!f.value_name.empty()) {
    return f.value_name;
  }
  return fmt::format("{}", f.value);
}

}  // namespace

std::vector<StateValue> state_values_of(const Report& report) {
  std::vector<StateValue> out;
  for (const auto& d : report.devices) {
    for (const auto& reg : d.registers) {
      const std::string path = d.name + "." + reg.name;
      out.push_back({path, reg.register_name, register_value(reg.decoded)});
      for (const auto& f : reg.decoded.fields) {
        out.push_back({path + "." + f.name, reg.register_name + "." + f.name, field_value(f)});
      }
    }
  }
  if (report.action) {
    out.push_back({"action", "action", action_kind(*report.action)});  // --key-state action
  }
  return out;
}

std::optional<StateValue> parse_state_fact(std::string_view fact) {
  const auto colon = fact.find(": ");
  const auto eq = fact.find(" = ");
  if (colon == std::string_view::npos || eq == std::string_view::npos || eq < colon) {
    return std::nullopt;
  }
  std::string_view value = fact.substr(eq + 3);
  value = value.substr(0, value.find(' '));
  return StateValue{std::string(fact.substr(0, colon)) + "." + std::string(fact.substr(colon + 2, eq - colon - 2)), "",
                    std::string(value)};
}

bool state_key_matches(const StateValue& value, std::string_view key) {
  return ends_at_component(value.path, key) || ends_at_component(value.register_name, key);
}

std::string state_key_label(const std::vector<StateValue>& values, const std::vector<std::string>& keys) {
  std::string label;
  for (const auto& key : keys) {
    std::string found;
    for (const auto& v : values) {
      if (state_key_matches(v, key)) {
        found += (found.empty() ? "" : "/") + v.value;
      }
    }
    if (!found.empty()) {
      label += fmt::format("{}{}={}", label.empty() ? "" : ",", key, found);
    }
  }
  return label;
}

nlohmann::json state_values_to_json(const std::vector<StateValue>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : values) {
    out.push_back({v.path, v.register_name, v.value});
  }
  return out;
}

std::vector<StateValue> state_values_from_json(const nlohmann::json& json) {
  std::vector<StateValue> out;
  if (!json.is_array()) {
    return out;
  }
  for (const auto& v : json) {
    if (v.is_array() && v.size() == 3 && v[0].is_string() && v[1].is_string() && v[2].is_string()) {
      out.push_back({v[0].get<std::string>(), v[1].get<std::string>(), v[2].get<std::string>()});
    }
  }
  return out;
}

}  // namespace triage::core
