#include "triage/core/crash_kind.hpp"

#include <array>

namespace triage::core {
namespace {

using enum CrashKind;
using enum Severity;

constexpr std::array k_crash_kinds{
    CrashKindInfo{heap_buffer_overflow_read, "heap-buffer-overflow-read", probably_exploitable,
                  "read past the bounds of a heap allocation"},
    CrashKindInfo{heap_buffer_overflow_write, "heap-buffer-overflow-write", exploitable,
                  "write past the bounds of a heap allocation"},
    CrashKindInfo{stack_buffer_overflow, "stack-buffer-overflow", exploitable,
                  "access past the bounds of a stack object"},
    CrashKindInfo{global_buffer_overflow, "global-buffer-overflow", probably_exploitable,
                  "access past the bounds of a global"},
    CrashKindInfo{use_after_free, "use-after-free", exploitable, "access to freed heap memory"},
    CrashKindInfo{double_free, "double-free", exploitable, "heap memory freed twice"},
    CrashKindInfo{bad_free, "bad-free", exploitable, "free of a pointer that was not allocated"},
    CrashKindInfo{null_deref, "null-deref", not_exploitable, "access through a null pointer"},
    CrashKindInfo{segv, "segv", probably_exploitable, "segmentation fault on a wild address"},
    CrashKindInfo{bus, "bus", probably_exploitable, "bus error (SIGBUS)"},
    CrashKindInfo{stack_overflow, "stack-overflow", not_exploitable,
                  "stack exhausted, usually unbounded recursion"},
    CrashKindInfo{fpe, "fpe", not_exploitable, "arithmetic exception (SIGFPE), e.g. division by zero"},
    CrashKindInfo{ill, "ill", probably_exploitable, "illegal instruction (SIGILL)"},
    CrashKindInfo{abort, "abort", not_exploitable, "the program called abort()"},
    CrashKindInfo{assert, "assert", not_exploitable, "an assertion failed"},
    CrashKindInfo{cxx_exception, "cxx-exception", not_exploitable, "an uncaught C++ exception"},
    CrashKindInfo{rust_panic, "rust-panic", not_exploitable, "a Rust panic"},
    CrashKindInfo{timeout, "timeout", not_exploitable, "the input ran longer than the time limit"},
    CrashKindInfo{oom, "oom", not_exploitable, "out of memory or an allocation above the limit"},
    CrashKindInfo{leak, "leak", not_exploitable, "memory leaked (LeakSanitizer)"},
    CrashKindInfo{ubsan, "ubsan", not_exploitable, "undefined behaviour reported by UBSan"},
    CrashKindInfo{killed, "killed", not_exploitable,
                  "the process was ended by a signal it cannot catch (SIGKILL: an OOM killer, a limit, itself)"},
    CrashKindInfo{target_exit, "target-exit", not_exploitable,
                  "the fuzz target called exit() while running an input (libFuzzer: \"fuzz target exited\")"},
    CrashKindInfo{live, "live", not_exploitable, "a live process the tool attached to and stopped (not a crash)"},
    CrashKindInfo{unknown, "unknown", not_exploitable, "the process stopped abnormally for an unknown reason"},
};

constexpr bool table_is_in_enum_order() {
  for (size_t i = 0; i < k_crash_kinds.size(); ++i) {
    if (static_cast<size_t>(k_crash_kinds[i].kind) != i) {
      return false;
    }
  }
  return k_crash_kinds.size() == static_cast<size_t>(CrashKind::unknown) + 1;
}
static_assert(table_is_in_enum_order(), "k_crash_kinds must list every CrashKind in enum order");

}  // namespace

std::span<const CrashKindInfo> crash_kinds() { return k_crash_kinds; }

const CrashKindInfo& crash_kind_info(CrashKind kind) { return k_crash_kinds[static_cast<size_t>(kind)]; }

std::string_view to_string(CrashKind kind) { return crash_kind_info(kind).id; }

std::string_view to_string(Severity severity) {
  switch (severity) {
    case exploitable:
      return "exploitable";
    case probably_exploitable:
      return "probably-exploitable";
    case not_exploitable:
      return "not-exploitable";
  }
  return "not-exploitable";
}

std::optional<CrashKind> crash_kind_from_string(std::string_view id) {
  for (const auto& info : k_crash_kinds) {
    if (info.id == id) {
      return info.kind;
    }
  }
  return std::nullopt;
}

}  // namespace triage::core
