#pragma once
// Normalises function names for signatures and ignore-list matching: no argument lists, no template
// arguments, no Rust hashes (`::h0123456789abcdef`), no legacy-mangling escapes, no addresses.
#include <string>
#include <string_view>

namespace triage::core {

/// "devices::ide::Channel::write_data_port(unsigned short, unsigned int)" -> "devices::ide::Channel::write_data_port"
/// "std::vector<int, std::allocator<int> >::at(unsigned long)"           -> "std::vector::at"
/// "fuzz_ide_rs::channel::Channel::read_data::h5d5b2a6e0c1e8f3a"          -> "fuzz_ide_rs::channel::Channel::read_data"
/// "core::option::Option$LT$T$GT$::unwrap"                               -> "core::option::Option::unwrap"
std::string normalize_function_name(std::string_view name);

/// A name as LLDB or a symbolizer displays it, without the return type that function templates
/// demangle with: "char const* ns::parse<char>(char const*)" -> "ns::parse<char>(char const*)".
/// Arguments and template arguments stay.
std::string display_function_name(std::string_view name);

}  // namespace triage::core
