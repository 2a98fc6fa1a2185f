#pragma once
// Small helpers shared by the TOML data-file loaders (schemas, wrapper rules, ignore lists):
// strict key checking and typed field access with errors that name the file and the table.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "triage/core/error.hpp"

namespace triage::core::toml_util {

/// Parses TOML text; the error names `origin` and the line.
Result<toml::table> parse(std::string_view text, std::string_view origin);
/// Reads a whole file as text (data files are small).
Result<std::string> read_text_file(const std::string& path);

/// Fails when `table` has a key not in `allowed` (typos in user files must not be silently ignored).
Result<void> check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                        std::string_view where);

Result<std::string> required_string(const toml::table& table, std::string_view key, std::string_view where);
std::string optional_string(const toml::table& table, std::string_view key);
/// A string list; a single string is accepted as a one-element list.
Result<std::vector<std::string>> string_list(const toml::table& table, std::string_view key,
                                             std::string_view where);
Result<std::optional<int64_t>> optional_integer(const toml::table& table, std::string_view key,
                                                std::string_view where);
/// A boolean; false when absent, an error when not a boolean.
Result<bool> optional_bool(const toml::table& table, std::string_view key, std::string_view where);
/// Fails unless `schema_version` is present and equals `expected`.
Result<void> check_schema_version(const toml::table& root, int64_t expected, std::string_view origin);
/// The tables of an array-of-tables key (`[[key]]`); empty when absent, an error when not tables.
Result<std::vector<const toml::table*>> array_of_tables(const toml::table& table, std::string_view key,
                                                        std::string_view where);

/// Parses "12", "0x1f", "0b101" into an unsigned value.
std::optional<uint64_t> parse_unsigned(std::string_view text);

}  // namespace triage::core::toml_util
