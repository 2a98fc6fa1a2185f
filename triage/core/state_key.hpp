#pragma once
// Device-state values a bucket key can be split by (`triage bulk --key-state REG_OR_FIELD`): every
// decoded register of a result and every field of it, under the names a user may type: a suffix of
// the register's path ("status", "regs.status", "ide.channels[0].drives[0].state.regs.status"), its
// schema register name ("control" for the member m_control), or a field ("BSY", "status.BSY").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "triage/core/report.hpp"

namespace triage::core {

struct StateValue {
  std::string path;           ///< device + register path: "battery.m_control"; a field adds ".UNIT_MA"
  std::string register_name;  ///< schema register name: "control"; a field: "control.UNIT_MA"
  std::string value;          ///< register: "0x09"; bit field: "0" / "1"; multi-bit field: "3" or its value name

  bool operator==(const StateValue&) const = default;
};

/// Every decoded register of the report's devices, then its fields, in report order.
std::vector<StateValue> state_values_of(const Report& report);

/// For records stored before state values were kept: "battery: m_control = 0x09 [UNIT_MA]" gives
/// path "battery.m_control" and value "0x09" (no register name, no fields).
std::optional<StateValue> parse_state_fact(std::string_view fact);

/// True when `key` names `value`: a suffix of its path or of its register name, at a '.' boundary.
bool state_key_matches(const StateValue& value, std::string_view key);

/// "status=0x58,control=0x09": for each key found in `values`, its value(s) in order (several matches
/// joined by '/'); keys not found are left out. Empty when none is found.
std::string state_key_label(const std::vector<StateValue>& values, const std::vector<std::string>& keys);

nlohmann::json state_values_to_json(const std::vector<StateValue>& values);
std::vector<StateValue> state_values_from_json(const nlohmann::json& json);

}  // namespace triage::core
