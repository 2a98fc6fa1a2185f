#include "triage/core/register_schema.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "triage/core/glob.hpp"
#include "triage/core/toml_util.hpp"

namespace triage::core {
namespace {

namespace tu = toml_util;

Result<RegisterField> parse_field(const toml::table& t, const RegisterSchema& reg, std::string_view origin) {
  const std::string where = fmt::format("{}: register '{}'", origin, reg.name);
  TRIAGE_TRY(tu::check_keys(t, {"name", "bit", "bits", "values", "description"}, where));
  RegisterField f;
  f.name = TRIAGE_TRY(tu::required_string(t, "name", where));
  const std::string fwhere = fmt::format("{} field '{}'", where, f.name);
  f.description = tu::optional_string(t, "description");
  const auto bit = TRIAGE_TRY(tu::optional_integer(t, "bit", fwhere));
  const auto* bits = t.get("bits");
  if (bit.has_value() == (bits != nullptr)) {
    return make_error(ErrorCode::data_invalid, fwhere + ": give exactly one of 'bit' or 'bits'");
  }
  if (bit) {
    if (*bit < 0) {
      return make_error(ErrorCode::data_invalid, fwhere + ": 'bit' must not be negative");
    }
    f.lsb = f.msb = static_cast<unsigned>(*bit);
  } else {
    if (!bits->is_string()) {
      return make_error(ErrorCode::data_invalid, fwhere + ": 'bits' must be a string \"msb:lsb\"");
    }
    const std::string_view s = bits->as_string()->get();
    const auto colon = s.find(':');
    const auto msb = colon == std::string_view::npos ? std::nullopt : tu::parse_unsigned(s.substr(0, colon));
    const auto lsb = colon == std::string_view::npos ? std::nullopt : tu::parse_unsigned(s.substr(colon + 1));
    if (!msb || !lsb || *msb < *lsb) {
      return make_error(ErrorCode::data_invalid, fwhere + ": 'bits' must be \"msb:lsb\" with msb >= lsb");
    }
    f.msb = static_cast<unsigned>(*msb);
    f.lsb = static_cast<unsigned>(*lsb);
  }
  if (f.msb >= reg.width_bits) {
    return make_error(ErrorCode::data_invalid,
                      fmt::format("{}: bit {} is outside the {}-bit register", fwhere, f.msb, reg.width_bits));
  }
  if (const auto* values = t.get("values")) {
    if (!values->is_table()) {
      return make_error(ErrorCode::data_invalid, fwhere + ": 'values' must be a table");
    }
    const unsigned width = f.msb - f.lsb + 1;
    for (const auto& [key, name] : *values->as_table()) {
      const auto v = tu::parse_unsigned(key.str());
      if (!v || !name.is_string()) {
        return make_error(ErrorCode::data_invalid,
                          fmt::format("{}: value key '{}' must be a number with a string name", fwhere, key.str()));
      }
      if (width < 64 && *v >= (uint64_t{1} << width)) {
        return make_error(ErrorCode::data_invalid,
                          fmt::format("{}: value {} does not fit in {} bits", fwhere, *v, width));
      }
      f.values[*v] = std::string(name.as_string()->get());
    }
  }
  return f;
}

Result<RegisterSchema> parse_register(const toml::table& t, std::string_view origin) {
  TRIAGE_TRY(tu::check_keys(t, {"name", "width", "types", "port", "description", "fields"},
                            fmt::format("{}: register", origin)));
  RegisterSchema reg;
  reg.name = TRIAGE_TRY(tu::required_string(t, "name", fmt::format("{}: register", origin)));
  const std::string where = fmt::format("{}: register '{}'", origin, reg.name);
  const auto width = TRIAGE_TRY(tu::optional_integer(t, "width", where));
  if (!width || (*width != 8 && *width != 16 && *width != 32 && *width != 64)) {
    return make_error(ErrorCode::data_invalid, where + ": 'width' must be 8, 16, 32 or 64");
  }
  reg.width_bits = static_cast<unsigned>(*width);
  reg.type_patterns = TRIAGE_TRY(tu::string_list(t, "types", where));
  reg.port = tu::optional_string(t, "port");
  reg.description = tu::optional_string(t, "description");
  uint64_t used = 0;
  std::set<std::string> names;
  for (const toml::table* node : TRIAGE_TRY(tu::array_of_tables(t, "fields", where))) {
    auto field = TRIAGE_TRY(parse_field(*node, reg, origin));
    if (!names.insert(field.name).second) {
      return make_error(ErrorCode::data_invalid, fmt::format("{}: field '{}' appears twice", where, field.name));
    }
    if ((used & field.mask()) != 0) {
      return make_error(ErrorCode::data_invalid, fmt::format("{}: field '{}' overlaps another field", where, field.name));
    }
    used |= field.mask();
    reg.fields.push_back(std::move(field));
  }
  return reg;
}

}  // namespace

uint64_t RegisterField::mask() const {
  const unsigned width = msb - lsb + 1;
  const uint64_t ones = width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1);
  return ones << lsb;
}

const RegisterField* RegisterSchema::find_field(std::string_view field_name) const {
  for (const auto& f : fields) {
    if (f.name == field_name) {
      return &f;
    }
  }
  return nullptr;
}

const RegisterSchema* DeviceSchema::find_register(std::string_view register_name) const {
  for (const auto& r : registers) {
    if (r.name == register_name) {
      return &r;
    }
  }
  return nullptr;
}

DecodedRegister decode_register(const RegisterSchema& schema, uint64_t raw) {
  DecodedRegister out;
  const uint64_t width_mask = schema.width_bits >= 64 ? ~uint64_t{0} : ((uint64_t{1} << schema.width_bits) - 1);
  out.raw = raw & width_mask;
  std::vector<std::string> set_bits;
  std::vector<std::string> multi;
  for (const auto& f : schema.fields) {
    DecodedField d{f.name, f.extract(out.raw), "", f.is_bit()};
    if (const auto it = f.values.find(d.value); it != f.values.end()) {
      d.value_name = it->second;
    }
    if (f.is_bit()) {
      if (d.value != 0) {
        set_bits.push_back(f.name);
      }
    } else {
      multi.push_back(d.value_name.empty() ? fmt::format("{}={}", f.name, d.value)
                                           : fmt::format("{}={}({})", f.name, d.value, d.value_name));
    }
    out.fields.push_back(std::move(d));
  }
  const unsigned hex_digits = std::max(2u, schema.width_bits / 4);
  out.text = fmt::format("{:#0{}x}", out.raw, hex_digits + 2);
  std::string inside;
  for (size_t i = 0; i < set_bits.size(); ++i) {
    inside += (i ? "|" : "") + set_bits[i];
  }
  for (const auto& m : multi) {
    inside += (inside.empty() ? "" : " ") + m;
  }
  if (!schema.fields.empty()) {
    out.text += " [" + inside + "]";
  }
  return out;
}

std::string bare_type_name(std::string_view type_name) {
  std::string s(type_name);
  auto strip_prefix = [&](std::string_view p) {
    while (s.starts_with(p)) {
      s.erase(0, p.size());
    }
  };
  strip_prefix("const ");
  strip_prefix("volatile ");
  strip_prefix("struct ");
  strip_prefix("class ");
  while (!s.empty() && (s.back() == '*' || s.back() == '&' || s.back() == ' ')) {
    s.pop_back();
  }
  for (std::string_view suffix : {" const", " volatile"}) {
    while (s.ends_with(suffix)) {
      s.erase(s.size() - suffix.size());
      while (!s.empty() && (s.back() == '*' || s.back() == '&' || s.back() == ' ')) {
        s.pop_back();
      }
    }
  }
  return s;
}

std::optional<SchemaSet::RegisterBinding> SchemaSet::register_for_type(std::string_view type_name) const {
  const std::string bare = bare_type_name(type_name);
  for (const auto& d : m_schemas) {
    for (const auto& r : d.registers) {
      for (const auto& p : r.type_patterns) {
        if (glob_match(p, bare)) {
          return RegisterBinding{&d, &r};
        }
      }
    }
  }
  return std::nullopt;
}

const DeviceSchema* SchemaSet::device_for_type(std::string_view type_name) const {
  const std::string bare = bare_type_name(type_name);
  for (const auto& d : m_schemas) {
    for (const auto& p : d.device_types) {
      if (glob_match(p, bare)) {
        return &d;
      }
    }
  }
  return nullptr;
}

const DeviceSchema* SchemaSet::find_device(std::string_view device) const {
  for (const auto& d : m_schemas) {
    if (d.device == device) {
      return &d;
    }
  }
  return nullptr;
}

Result<DeviceSchema> parse_device_schema(std::string_view toml_text, std::string_view origin) {
  const auto root = TRIAGE_TRY(tu::parse(toml_text, origin));
  TRIAGE_TRY(tu::check_keys(root, {"schema_version", "device", "description", "device_types", "registers"},
                            origin));
  TRIAGE_TRY(tu::check_schema_version(root, k_register_schema_version, origin));
  DeviceSchema schema;
  schema.origin = origin;
  schema.device = TRIAGE_TRY(tu::required_string(root, "device", origin));
  schema.description = tu::optional_string(root, "description");
  schema.device_types = TRIAGE_TRY(tu::string_list(root, "device_types", origin));
  std::set<std::string> names;
  for (const toml::table* node : TRIAGE_TRY(tu::array_of_tables(root, "registers", origin))) {
    auto reg = TRIAGE_TRY(parse_register(*node, origin));
    if (!names.insert(reg.name).second) {
      return make_error(ErrorCode::data_invalid, fmt::format("{}: register '{}' appears twice", origin, reg.name));
    }
    schema.registers.push_back(std::move(reg));
  }
  return schema;
}

Result<DeviceSchema> load_device_schema(const std::filesystem::path& path) {
  const auto text = TRIAGE_TRY(tu::read_text_file(path.string()));
  return parse_device_schema(text, path.string());
}

Result<std::vector<DeviceSchema>> load_schema_dir(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    return make_error(ErrorCode::data_invalid, "cannot list schema directory " + dir.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  std::vector<DeviceSchema> out;
  for (const auto& f : files) {
    out.push_back(TRIAGE_TRY(load_device_schema(f)));
  }
  return out;
}

}  // namespace triage::core
