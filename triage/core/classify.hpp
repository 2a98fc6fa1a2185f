#pragma once
// Classification: which crash kind a snapshot shows, its one-line message and, for panics and asserts,
// the source location that is part of the signature. Tables map handler names, sanitizer descriptions
// and signals to kinds.
#include <optional>
#include <string>

#include "triage/core/crash_kind.hpp"
#include "triage/core/snapshot.hpp"
#include "triage/core/stderr_report.hpp"

namespace triage::core {

struct Classification {
  bool crashed = false;
  CrashKind kind = CrashKind::unknown;
  std::string kind_id;  ///< crash_kind id, or "ubsan-<check>" for UBSan-only findings
  std::string message;
  std::optional<SourceLocation> location;  ///< panic / assert location
};

/// The kind a crash-handler breakpoint name stands for ("__assert_fail" -> assert), if any.
std::optional<CrashKind> kind_for_handler(std::string_view handler);
/// The kind an ASan/LSan/libFuzzer description stands for ("heap-use-after-free" -> use_after_free).
std::optional<CrashKind> kind_for_sanitizer_description(std::string_view description, std::optional<bool> is_write);

Classification classify(const CrashSnapshot& snapshot);

}  // namespace triage::core
