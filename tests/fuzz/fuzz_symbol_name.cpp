// Names from debug info and sanitizer stacks (demangled C++ and Rust, with templates, closures and
// hashes), member paths in wrapper rules, and the globs that match them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "triage/core/glob.hpp"
#include "triage/core/symbol_name.hpp"
#include "triage/core/wrapper_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace triage::core;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)normalize_function_name(text);
  (void)parse_member_path(text);
  const auto split = text.find('\n');
  if (split != std::string_view::npos) {
    (void)glob_match(text.substr(0, split), text.substr(split + 1));
  }
  return 0;
}
