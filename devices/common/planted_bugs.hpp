#pragma once
// Planted-bug switches for artifact regeneration: `TRIAGE_FIXED_BUGS=IDE-04,RTC-03` makes the named
// planted bugs behave as fixed, so a campaign that keeps finding a shallow bug can go on to deeper ones,
// as a real campaign does once its first findings are fixed (fuzz_targets/regenerate_artifacts.py).
// Unset (always, outside that script), every planted bug is live.
#include <cstdlib>
#include <string>
#include <string_view>

namespace devices {

/// True when `id` is listed in TRIAGE_FIXED_BUGS (read once).
inline bool bug_fixed(std::string_view id) {
  static const std::string fixed = [] {
    const char* v = std::getenv("TRIAGE_FIXED_BUGS");
    return "," + std::string(v != nullptr ? v : "") + ",";
  }();
  return fixed.find("," + std::string(id) + ",") != std::string::npos;
}

}  // namespace devices
