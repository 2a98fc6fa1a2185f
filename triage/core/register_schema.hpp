#pragma once
// Register schemas (TOML, format in triage/data/schemas/FORMAT.md): which types hold device state and
// registers, and how a register's raw bits decode into named bits and fields.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "triage/core/error.hpp"

namespace triage::core {

inline constexpr int k_register_schema_version = 1;

struct RegisterField {
  std::string name;
  unsigned lsb = 0;
  unsigned msb = 0;
  std::map<uint64_t, std::string> values;  ///< named values of a multi-bit field
  std::string description;

  bool is_bit() const { return lsb == msb; }
  uint64_t mask() const;
  uint64_t extract(uint64_t raw) const { return (raw & mask()) >> lsb; }
};

struct RegisterSchema {
  std::string name;
  unsigned width_bits = 8;
  std::vector<std::string> type_patterns;
  std::vector<RegisterField> fields;
  std::string port;
  std::string description;

  const RegisterField* find_field(std::string_view field_name) const;
};

struct DeviceSchema {
  std::string device;
  std::string description;
  std::vector<std::string> device_types;
  std::vector<RegisterSchema> registers;
  std::string origin;  ///< file it came from

  const RegisterSchema* find_register(std::string_view register_name) const;
};

/// One decoded field: `name` and its value, with the named value when the schema has one.
struct DecodedField {
  std::string name;
  uint64_t value = 0;
  std::string value_name;
  bool is_bit = false;
};

struct DecodedRegister {
  uint64_t raw = 0;
  std::vector<DecodedField> fields;  ///< every field of the schema, in schema order
  std::string text;                  ///< "0x58 [DRQ|DSC|DRDY]"
};

DecodedRegister decode_register(const RegisterSchema& schema, uint64_t raw);

/// All schemas in use; lookups by type name (globs) and by device type.
class SchemaSet {
 public:
  void add(DeviceSchema schema) { m_schemas.push_back(std::move(schema)); }
  const std::vector<DeviceSchema>& schemas() const { return m_schemas; }

  struct RegisterBinding {
    const DeviceSchema* device;
    const RegisterSchema* reg;
  };
  std::optional<RegisterBinding> register_for_type(std::string_view type_name) const;
  const DeviceSchema* device_for_type(std::string_view type_name) const;
  const DeviceSchema* find_device(std::string_view device) const;

 private:
  std::vector<DeviceSchema> m_schemas;
};

Result<DeviceSchema> parse_device_schema(std::string_view toml_text, std::string_view origin);
Result<DeviceSchema> load_device_schema(const std::filesystem::path& path);
/// Loads every `*.toml` in `dir` (sorted by name).
Result<std::vector<DeviceSchema>> load_schema_dir(const std::filesystem::path& dir);

/// Strips cv-qualifiers, references and pointers from a type name ("const Foo *" -> "Foo").
std::string bare_type_name(std::string_view type_name);

}  // namespace triage::core
