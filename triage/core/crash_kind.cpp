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
    CrashKindInfo{stack_use_after_return, "stack-use-after-return", exploitable,
                  "access to a stack object after its function returned"},
    CrashKindInfo{stack_use_after_scope, "stack-use-after-scope", exploitable,
                  "access to a stack object after its scope ended"},
    CrashKindInfo{container_overflow, "container-overflow", probably_exploitable,
                  "access past a container's size, inside its capacity"},
    CrashKindInfo{use_after_poison, "use-after-poison", probably_exploitable,
                  "access to memory the program poisoned (a custom allocator's freed memory)"},
    CrashKindInfo{intra_object_overflow, "intra-object-overflow", probably_exploitable,
                  "access past one field into the next one of the same object"},
    CrashKindInfo{negative_size_param, "negative-size-param", probably_exploitable,
                  "a memory function called with a negative size"},
    CrashKindInfo{param_overlap, "param-overlap", not_exploitable,
                  "memcpy/strcpy-like call on overlapping source and destination"},
    CrashKindInfo{alloc_dealloc_mismatch, "alloc-dealloc-mismatch", not_exploitable,
                  "memory freed with a function of another family (new[] vs delete, malloc vs delete)"},
    CrashKindInfo{new_delete_type_mismatch, "new-delete-type-mismatch", not_exploitable,
                  "delete of an object through a type of another size (a missing virtual destructor)"},
    CrashKindInfo{bad_allocation_size, "bad-alloc-params", not_exploitable,
                  "allocation parameters that cannot be right: an overflowing calloc/reallocarray/pvalloc size, "
                  "an invalid alignment"},
    CrashKindInfo{invalid_pointer_pair, "invalid-pointer-pair", not_exploitable,
                  "comparison or subtraction of pointers into different objects"},
    CrashKindInfo{odr_violation, "odr-violation", not_exploitable, "one global defined twice (ODR violation)"},
    CrashKindInfo{init_order_fiasco, "initialization-order-fiasco", not_exploitable,
                  "a global read before its dynamic initializer ran"},
    CrashKindInfo{unknown_crash, "unknown-crash", probably_exploitable,
                  "an invalid access AddressSanitizer could not describe"},
    CrashKindInfo{uninitialized_value, "use-of-uninitialized-value", probably_exploitable,
                  "a branch or call that depends on uninitialized memory (MemorySanitizer)"},
    CrashKindInfo{tag_mismatch, "tag-mismatch", probably_exploitable,
                  "an access through a pointer whose tag does not match the memory (HWAddressSanitizer)"},
    CrashKindInfo{data_race, "data-race", not_exploitable, "two threads access memory without ordering (ThreadSanitizer)"},
    CrashKindInfo{lock_order_inversion, "lock-order-inversion", not_exploitable,
                  "locks taken in inconsistent orders: a potential deadlock (ThreadSanitizer)"},
    CrashKindInfo{thread_misuse, "thread-misuse", not_exploitable,
                  "a misuse of threads or mutexes ThreadSanitizer reports (double lock, signal-unsafe call, ...)"},
    CrashKindInfo{null_deref, "null-deref", not_exploitable, "access through a null pointer"},
    CrashKindInfo{segv, "segv", probably_exploitable, "segmentation fault on a wild address"},
    CrashKindInfo{segv_write, "segv-write", exploitable, "segmentation fault writing to a wild address"},
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
    CrashKindInfo{input_overwrite, "input-overwrite", not_exploitable,
                  "the fuzz target wrote into its const input buffer (libFuzzer)"},
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

namespace {

constexpr std::array k_severities{
    SeverityInfo{Severity::exploitable, "exploitable", "high", "error", "8.8"},
    SeverityInfo{Severity::probably_exploitable, "probably-exploitable", "medium", "warning", "6.5"},
    SeverityInfo{Severity::not_exploitable, "not-exploitable", "low", "note", "3.0"},
};

}  // namespace

const SeverityInfo& severity_info(Severity severity) {
  for (const auto& s : k_severities) {
    if (s.severity == severity) {
      return s;
    }
  }
  return k_severities.back();
}

Severity severity_from_string(std::string_view id) {
  for (const auto& s : k_severities) {
    if (s.id == id) {
      return s.severity;
    }
  }
  return Severity::not_exploitable;
}

std::string_view to_string(Severity severity) { return severity_info(severity).id; }

std::optional<CrashKind> crash_kind_from_string(std::string_view id) {
  for (const auto& info : k_crash_kinds) {
    if (info.id == id) {
      return info.kind;
    }
  }
  return std::nullopt;
}

}  // namespace triage::core
