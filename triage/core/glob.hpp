#pragma once
// Glob matching for type and function names in data files: `*` matches any run of characters
// (including `::` and template brackets), everything else matches itself.
#include <string_view>

namespace triage::core {

bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace triage::core
