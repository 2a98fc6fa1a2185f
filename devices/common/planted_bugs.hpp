#pragma once
// Planted-bug switches for artifact regeneration: `TRIAGE_FIXED_BUGS=IDE-04,RTC-03` makes the named
// planted bugs behave as fixed, so a campaign that keeps finding a shallow bug can go on to deeper ones,
// as a real campaign does once its first findings are fixed (fuzz_targets/regenerate_artifacts.py).
// Unset (always, outside that script), every planted bug is live. No allocation: it is called inside
// recursions that overflow the stack.
#include <cstdlib>
#include <string_view>

namespace devices {

/// True when `id` is listed in TRIAGE_FIXED_BUGS (read once).
inline bool bug_fixed(std::string_view id) {
  static const char* const k_fixed = std::getenv("TRIAGE_FIXED_BUGS");
  if (k_fixed == nullptr) {
    return false;
  }
  std::string_view list(k_fixed);
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (list.substr(0, comma) == id) {
      return true;
    }
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

}  // namespace devices
