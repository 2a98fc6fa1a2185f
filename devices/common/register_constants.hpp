#pragma once
// Each device exports the register bit constants its code actually uses, so a unit test can check them
// against the device's TOML register schema (devices/schemas/<device>.toml).
#include <cstdint>
#include <span>
#include <string_view>

namespace devices {

struct RegisterConstant {
  std::string_view reg;    ///< register name as in the schema, e.g. "status"
  std::string_view field;  ///< field name as in the schema, e.g. "DRQ"
  uint64_t mask;           ///< the constant the code uses, e.g. 0x08
};

}  // namespace devices
