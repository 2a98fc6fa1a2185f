#include "triage/core/sanitizer_headlines.hpp"

#include <array>
#include <csignal>

#include "triage/core/glob.hpp"

namespace triage::core {
namespace {

using enum CrashKind;
using enum HeadlineRefine;

using Row = SanitizerHeadlineRow;

constexpr std::string_view k_asan = "AddressSanitizer";
constexpr std::string_view k_any = "*Sanitizer";  // sanitizer_common prints these for every tool

// The headlines as compiler-rt 19 prints them (asan_errors.cpp, sanitizer_common's allocator and
// deadly-signal reports, msan, hwasan, tsan, lsan, libFuzzer's FuzzerLoop.cpp). Specific rows first.
constexpr std::array k_rows{
    // AddressSanitizer's generic memory errors: "<id> on address 0x... at pc ...".
    Row{k_asan, "heap-buffer-overflow*", "heap-buffer-overflow", heap_buffer_overflow_read, by_access,
        heap_buffer_overflow_write},
    Row{"*", "heap-use-after-free*", "heap-use-after-free", use_after_free},
    Row{"*", "use-after-free*", "use-after-free", use_after_free},
    Row{k_asan, "stack-buffer-overflow*", "stack-buffer-overflow", stack_buffer_overflow},
    Row{k_asan, "stack-buffer-underflow*", "stack-buffer-underflow", stack_buffer_overflow},
    Row{k_asan, "dynamic-stack-buffer-overflow*", "dynamic-stack-buffer-overflow", stack_buffer_overflow},
    Row{k_asan, "stack-use-after-return*", "stack-use-after-return", stack_use_after_return},
    Row{k_asan, "stack-use-after-scope*", "stack-use-after-scope", stack_use_after_scope},
    Row{k_asan, "global-buffer-overflow*", "global-buffer-overflow", global_buffer_overflow},
    Row{k_asan, "container-overflow*", "container-overflow", container_overflow},
    Row{k_asan, "use-after-poison*", "use-after-poison", use_after_poison},
    Row{k_asan, "intra-object-overflow*", "intra-object-overflow", intra_object_overflow},
    Row{k_asan, "initialization-order-fiasco*", "initialization-order-fiasco", init_order_fiasco},
    Row{k_asan, "unknown-crash*", "unknown-crash", unknown_crash},
    Row{k_asan, "wild-addr-read*", "wild-addr-read", segv},
    Row{k_asan, "wild-addr-write*", "wild-addr-write", segv_write},
    Row{k_asan, "wild-jump*", "wild-jump", segv},
    // AddressSanitizer's allocator and interceptor errors, each with its own wording.
    Row{k_asan, "attempting double-free*", "double-free", double_free},
    Row{k_asan, "attempting free on address which was not malloc*", "bad-free", bad_free},
    Row{k_asan, "alloc-dealloc-mismatch*", "alloc-dealloc-mismatch", alloc_dealloc_mismatch},
    Row{k_asan, "new-delete-type-mismatch*", "new-delete-type-mismatch", new_delete_type_mismatch},
    Row{k_asan, "attempting to call malloc_usable_size() for pointer which is not owned*", "bad-malloc_usable_size",
        bad_free},
    Row{k_asan, "attempting to call __sanitizer_get_allocated_size() for pointer which is not owned*",
        "bad-__sanitizer_get_allocated_size", bad_free},
    Row{k_asan, "*-param-overlap*", "*-param-overlap", param_overlap},
    Row{k_asan, "negative-size-param*", "negative-size-param", negative_size_param},
    Row{k_asan, "bad parameters to __sanitizer_annotate_contiguous_container*",
        "bad-__sanitizer_annotate_contiguous_container", unknown_crash},
    Row{k_asan, "odr-violation*", "odr-violation", odr_violation},
    Row{k_asan, "invalid-pointer-pair*", "invalid-pointer-pair", invalid_pointer_pair},
    // sanitizer_common's allocator reports (every tool with an allocator).
    Row{k_any, "calloc parameters overflow*", "calloc-overflow", bad_allocation_size},
    Row{k_any, "reallocarray parameters overflow*", "reallocarray-overflow", bad_allocation_size},
    Row{k_any, "pvalloc parameters overflow*", "pvalloc-overflow", bad_allocation_size},
    Row{k_any, "invalid allocation alignment*", "invalid-allocation-alignment", bad_allocation_size},
    Row{k_any, "invalid alignment requested in aligned_alloc*", "invalid-aligned-alloc-alignment",
        bad_allocation_size},
    Row{k_any, "invalid alignment requested in posix_memalign*", "invalid-posix-memalign-alignment",
        bad_allocation_size},
    // A size above the allocator's maximum (or -max_allocation_size_mb, as libFuzzer's malloc limit is
    // replayed) is what libFuzzer itself reports as out-of-memory (malloc(N)): one kind for both.
    Row{k_any, "requested allocation size*", "allocation-size-too-big", oom},
    Row{k_any, "allocation-size-too-big*", "allocation-size-too-big", oom},
    Row{k_any, "out of memory*", "out-of-memory", oom},
    Row{k_any, "out-of-memory*", "out-of-memory", oom},
    Row{k_any, "allocator is out of memory*", "out-of-memory", oom},
    Row{k_any, "specified RSS limit exceeded*", "rss-limit-exceeded", oom},
    Row{k_any, "rss-limit-exceeded*", "rss-limit-exceeded", oom},
    Row{k_any, "malloc-exceeds-limit*", "malloc-exceeds-limit", oom},
    // sanitizer_common's deadly-signal reports: "<SIG> on unknown address 0x... (pc ... sp ... T0)".
    Row{k_any, "stack-overflow*", "stack-overflow", stack_overflow},
    Row{k_any, "SEGV on *", "SEGV", segv, by_signal, segv_write, SIGSEGV},
    Row{k_any, "BUS on *", "BUS", bus, by_signal, bus, SIGBUS},
    Row{k_any, "FPE on *", "FPE", fpe, by_signal, fpe, SIGFPE},
    Row{k_any, "ILL on *", "ILL", ill, by_signal, ill, SIGILL},
    Row{k_any, "ABRT on *", "ABRT", abort, by_signal, abort, SIGABRT},
    Row{k_any, "TRAP on *", "TRAP", ill, by_signal, ill, SIGTRAP},
    Row{k_any, "SEGV", "SEGV", segv, by_signal, segv_write, SIGSEGV},
    Row{k_any, "BUS", "BUS", bus, by_signal, bus, SIGBUS},
    Row{k_any, "FPE", "FPE", fpe, by_signal, fpe, SIGFPE},
    Row{k_any, "ILL", "ILL", ill, by_signal, ill, SIGILL},
    Row{k_any, "ABRT", "ABRT", abort, by_signal, abort, SIGABRT},
    // MemorySanitizer, HWAddressSanitizer, ThreadSanitizer, LeakSanitizer.
    Row{"MemorySanitizer", "use-of-uninitialized-value*", "use-of-uninitialized-value", uninitialized_value},
    Row{"HWAddressSanitizer", "tag-mismatch*", "tag-mismatch", tag_mismatch},
    Row{"HWAddressSanitizer", "invalid-free*", "invalid-free", bad_free},
    Row{"HWAddressSanitizer", "allocation-tail-overwritten*", "allocation-tail-overwritten",
        heap_buffer_overflow_write},
    Row{"ThreadSanitizer", "data race*", "data-race", data_race},
    Row{"ThreadSanitizer", "thread leak*", "thread-leak", leak},
    Row{"ThreadSanitizer", "lock-order-inversion*", "lock-order-inversion", lock_order_inversion},
    Row{"ThreadSanitizer", "*", "thread-misuse", thread_misuse},
    Row{"LeakSanitizer", "detected memory leaks*", "detected memory leaks", leak},
    // libFuzzer's own reports ("==1== ERROR: libFuzzer: ...").
    Row{"libFuzzer", "deadly signal*", "deadly signal", unknown, by_signal},
    Row{"libFuzzer", "timeout after*", "timeout", timeout},
    Row{"libFuzzer", "out-of-memory*", "out-of-memory", oom},
    Row{"libFuzzer", "fuzz target exited*", "fuzz target exited", target_exit},
    Row{"libFuzzer", "fuzz target overwrites its const input*", "overwrites-const-input", input_overwrite},
};

/// UBSan "runtime error:" messages (ubsan_handlers.cpp) -> the -fsanitize check that reports them.
/// First match wins: specific wordings before the generic ones they contain ("pointer index
/// expression" before "index ", "null pointer passed as argument" before "null pointer").
constexpr std::array<std::pair<std::string_view, std::string_view>, 29> k_ubsan_checks{{
    {"division by zero", "integer-divide-by-zero"},
    {"signed integer overflow", "signed-integer-overflow"},
    {"negation of", "signed-integer-overflow"},
    {"unsigned integer overflow", "unsigned-integer-overflow"},
    {"shift exponent", "shift"},
    {"left shift of", "shift"},
    {"pointer index expression", "pointer-overflow"},
    {"addition of unsigned offset", "pointer-overflow"},
    {"subtraction of unsigned offset", "pointer-overflow"},
    {"applying non-zero offset", "pointer-overflow"},
    {"applying zero offset to null pointer", "pointer-overflow"},
    {"index ", "bounds"},
    {"which does not point to an object of type", "vptr"},
    {"through pointer to incorrect function type", "function"},
    {"null pointer passed as argument", "nonnull-attribute"},
    {"null pointer returned from function declared to never return null", "returns-nonnull-attribute"},
    {"_Nonnull", "nullability"},
    {"load of value", "invalid-value"},
    {"null pointer", "null"},
    {"alignment assumption", "alignment"},
    {"misaligned", "alignment"},
    {"implicit conversion", "implicit-conversion"},
    {"is outside the range of representable values", "float-cast-overflow"},
    {"variable length array bound", "vla-bound"},
    {"passing zero to", "builtin"},
    {"execution reached an unreachable", "unreachable"},
    {"execution reached the end of a value-returning function", "return"},
    {"control flow integrity check", "cfi"},
    {"assumption is violated", "builtin"},
}};

}  // namespace

std::string_view ubsan_check_for(std::string_view message) {
  for (const auto& [wording, check] : k_ubsan_checks) {
    if (message.find(wording) != std::string_view::npos) {
      return check;
    }
  }
  return "other";
}

std::span<const SanitizerHeadlineRow> sanitizer_headlines() { return k_rows; }

const SanitizerHeadlineRow* find_headline_row(std::string_view tool, std::string_view headline) {
  for (const auto& row : k_rows) {
    if (glob_match(row.tool, tool) && glob_match(row.headline, headline)) {
      return &row;
    }
  }
  return nullptr;
}

const SanitizerHeadlineRow* find_headline_row_by_id(std::string_view id) {
  for (const auto& row : k_rows) {
    if (row.tool != "libFuzzer" && glob_match(row.id, id)) {
      return &row;
    }
  }
  for (const auto& row : k_rows) {
    if (row.headline != "*" && glob_match(row.headline, id)) {
      return &row;
    }
  }
  return nullptr;
}

}  // namespace triage::core
