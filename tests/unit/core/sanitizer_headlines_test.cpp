// Holds the headline table (triage/core/sanitizer_headlines.cpp) to the headlines the runtimes print:
// each line below is a headline as compiler-rt 19 or libFuzzer writes it, and every table row must be
// reached by one of them.
#include <gtest/gtest.h>

#include <csignal>
#include <set>

#include "triage/core/classify.hpp"
#include "triage/core/sanitizer_headlines.hpp"

namespace triage::core {
namespace {

struct Headline {
  std::string text;  ///< the report's first lines, as the runtime prints them
  std::string kind;  ///< the crash kind triage must report
  std::string description;
};

const std::vector<Headline>& headlines() {
  static const std::vector<Headline> k{
      {"==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x502000000011 at pc 0x55 bp 0x7f sp 0x7e\n"
       "READ of size 1 at 0x502000000011 thread T0\n",
       "heap-buffer-overflow-read", "heap-buffer-overflow"},
      {"==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x502000000011 at pc 0x55 bp 0x7f sp 0x7e\n"
       "WRITE of size 4 at 0x502000000011 thread T0\n",
       "heap-buffer-overflow-write", "heap-buffer-overflow"},
      {"==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n", "use-after-free",
       "heap-use-after-free"},
      {"==1==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7 at pc 0x1 bp 0x2 sp 0x3\n",
       "stack-buffer-overflow", "stack-buffer-overflow"},
      {"==1==ERROR: AddressSanitizer: stack-buffer-underflow on address 0x7 at pc 0x1 bp 0x2 sp 0x3\n",
       "stack-buffer-overflow", "stack-buffer-underflow"},
      {"==1==ERROR: AddressSanitizer: dynamic-stack-buffer-overflow on address 0x7 at pc 0x1 bp 0x2 sp 0x3\n",
       "stack-buffer-overflow", "dynamic-stack-buffer-overflow"},
      {"==1==ERROR: AddressSanitizer: stack-use-after-return on address 0x7f at pc 0x1 bp 0x2 sp 0x3\n",
       "stack-use-after-return", "stack-use-after-return"},
      {"==1==ERROR: AddressSanitizer: stack-use-after-scope on address 0x7f at pc 0x1 bp 0x2 sp 0x3\n",
       "stack-use-after-scope", "stack-use-after-scope"},
      {"==1==ERROR: AddressSanitizer: global-buffer-overflow on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n",
       "global-buffer-overflow", "global-buffer-overflow"},
      {"==1==ERROR: AddressSanitizer: container-overflow on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n",
       "container-overflow", "container-overflow"},
      {"==1==ERROR: AddressSanitizer: use-after-poison on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n", "use-after-poison",
       "use-after-poison"},
      {"==1==ERROR: AddressSanitizer: intra-object-overflow on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n",
       "intra-object-overflow", "intra-object-overflow"},
      {"==1==ERROR: AddressSanitizer: initialization-order-fiasco on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n",
       "initialization-order-fiasco", "initialization-order-fiasco"},
      {"==1==ERROR: AddressSanitizer: unknown-crash on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n", "unknown-crash",
       "unknown-crash"},
      {"==1==ERROR: AddressSanitizer: wild-addr-read on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n", "segv",
       "wild-addr-read"},
      {"==1==ERROR: AddressSanitizer: wild-addr-write on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n", "segv-write",
       "wild-addr-write"},
      {"==1==ERROR: AddressSanitizer: wild-jump on address 0x5 at pc 0x1 bp 0x2 sp 0x3\n", "segv", "wild-jump"},
      {"==1==ERROR: AddressSanitizer: attempting double-free on 0x502000000010 in thread T0:\n", "double-free",
       "double-free"},
      {"==1==ERROR: AddressSanitizer: attempting free on address which was not malloc()-ed: 0x502000000014 in "
       "thread T0\n",
       "bad-free", "bad-free"},
      {"==1==ERROR: AddressSanitizer: alloc-dealloc-mismatch (operator new [] vs operator delete) on 0x5020\n",
       "alloc-dealloc-mismatch", "alloc-dealloc-mismatch"},
      {"==1==ERROR: AddressSanitizer: new-delete-type-mismatch on 0x502000000010 in thread T0:\n",
       "new-delete-type-mismatch", "new-delete-type-mismatch"},
      {"==1==ERROR: AddressSanitizer: attempting to call malloc_usable_size() for pointer which is not owned: "
       "0x5020\n",
       "bad-free", "bad-malloc_usable_size"},
      {"==1==ERROR: AddressSanitizer: attempting to call __sanitizer_get_allocated_size() for pointer which is "
       "not owned: 0x5020\n",
       "bad-free", "bad-__sanitizer_get_allocated_size"},
      {"==1==ERROR: AddressSanitizer: memcpy-param-overlap: memory ranges [0x5,0x9) and [0x7, 0xb) overlap\n",
       "param-overlap", "memcpy-param-overlap"},
      {"==1==ERROR: AddressSanitizer: strcpy-param-overlap: memory ranges [0x5,0x9) and [0x7, 0xb) overlap\n",
       "param-overlap", "strcpy-param-overlap"},
      {"==1==ERROR: AddressSanitizer: negative-size-param: (size=-1)\n", "negative-size-param",
       "negative-size-param"},
      {"==1==ERROR: AddressSanitizer: bad parameters to __sanitizer_annotate_contiguous_container:\n",
       "unknown-crash", "bad-__sanitizer_annotate_contiguous_container"},
      {"==1==ERROR: AddressSanitizer: odr-violation (0x55): 'g' of size 4\n", "odr-violation", "odr-violation"},
      {"==1==ERROR: AddressSanitizer: invalid-pointer-pair: 0x5 0x6\n", "invalid-pointer-pair",
       "invalid-pointer-pair"},
      {"==1==ERROR: AddressSanitizer: calloc parameters overflow: count * size (-1 * 8) cannot be represented in "
       "type size_t (thread T0)\n",
       "bad-alloc-params", "calloc-overflow"},
      {"==1==ERROR: AddressSanitizer: reallocarray parameters overflow: count * size (-1 * 8) cannot be "
       "represented in type size_t (thread T0)\n",
       "bad-alloc-params", "reallocarray-overflow"},
      {"==1==ERROR: AddressSanitizer: pvalloc parameters overflow: size 0xffffffffffffffff rounded up to system "
       "page size 0x1000 cannot be represented in type size_t (thread T0)\n",
       "bad-alloc-params", "pvalloc-overflow"},
      {"==1==ERROR: AddressSanitizer: invalid allocation alignment: 3, alignment must be a power of two (thread "
       "T0)\n",
       "bad-alloc-params", "invalid-allocation-alignment"},
      {"==1==ERROR: AddressSanitizer: invalid alignment requested in aligned_alloc: 3, alignment must be a power "
       "of two and the requested size 0x5 must be a multiple of alignment (thread T0)\n",
       "bad-alloc-params", "invalid-aligned-alloc-alignment"},
      {"==1==ERROR: AddressSanitizer: invalid alignment requested in posix_memalign: 3, alignment must be a "
       "power of two and a multiple of sizeof(void*) == 8 (thread T0)\n",
       "bad-alloc-params", "invalid-posix-memalign-alignment"},
      {"==1==ERROR: AddressSanitizer: requested allocation size 0xffffffffffffff00 (0xffffffffffffff00 after "
       "adjustments for alignment, red zones etc.) exceeds maximum supported size of 0x10000000000 (thread T0)\n",
       "oom", "allocation-size-too-big"},
      {"==1==ERROR: MemorySanitizer: allocation-size-too-big\n", "oom", "allocation-size-too-big"},
      {"==1==ERROR: AddressSanitizer: out of memory: allocator is trying to allocate 0x10000000 bytes\n", "oom",
       "out-of-memory"},
      {"==1==ERROR: HWAddressSanitizer: out-of-memory\n", "oom", "out-of-memory"},
      {"==1==ERROR: MemorySanitizer: allocator is out of memory trying to allocate 0x10 bytes\n", "oom",
       "out-of-memory"},
      {"==1==ERROR: AddressSanitizer: specified RSS limit exceeded, currently set to soft_rss_limit_mb=1\n", "oom",
       "rss-limit-exceeded"},
      {"==1==ERROR: AddressSanitizer: rss-limit-exceeded\n", "oom", "rss-limit-exceeded"},
      {"==1==ERROR: AddressSanitizer: malloc-exceeds-limit\n", "oom", "malloc-exceeds-limit"},
      {"==1==ERROR: AddressSanitizer: stack-overflow on address 0x7ffe1f3fcff8 (pc 0x55 bp 0x7ffe sp 0x7ffe1f3fd000 "
       "T0)\n",
       "stack-overflow", "stack-overflow"},
      {"==1==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000008 (pc 0x55 bp 0x7f sp 0x7e T0)\n"
       "==1==The signal is caused by a READ memory access.\n==1==Hint: address points to the zero page.\n",
       "null-deref", "SEGV"},
      {"==1==ERROR: AddressSanitizer: SEGV on unknown address 0x602000100000 (pc 0x55 bp 0x7f sp 0x7e T0)\n"
       "==1==The signal is caused by a READ memory access.\n",
       "segv", "SEGV"},
      {"==1==ERROR: AddressSanitizer: SEGV on unknown address 0x602000100000 (pc 0x55 bp 0x7f sp 0x7e T0)\n"
       "==1==The signal is caused by a WRITE memory access.\n",
       "segv-write", "SEGV"},
      {"==1==ERROR: UndefinedBehaviorSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55 bp 0x7f sp 0x7e "
       "T0)\n",
       "null-deref", "SEGV"},
      {"==1==ERROR: UndefinedBehaviorSanitizer: stack-overflow on address 0x7ffe1f3fcff8 (pc 0x55 bp 0x7f sp "
       "0x7ffe1f3fd000 T0)\n",
       "stack-overflow", "stack-overflow"},
      {"==1==ERROR: AddressSanitizer: BUS on unknown address 0x7f0000000000 (pc 0x55 bp 0x7f sp 0x7e T0)\n", "bus",
       "BUS"},
      {"==1==ERROR: AddressSanitizer: FPE on unknown address 0x55 (pc 0x55 bp 0x7f sp 0x7e T0)\n", "fpe", "FPE"},
      {"==1==ERROR: AddressSanitizer: ILL on unknown address 0x55 (pc 0x55 bp 0x7f sp 0x7e T0)\n", "ill", "ILL"},
      {"==1==ERROR: AddressSanitizer: ABRT on unknown address 0x3e8 (pc 0x55 bp 0x7f sp 0x7e T0)\n", "abort",
       "ABRT"},
      {"==1==ERROR: AddressSanitizer: TRAP on unknown address 0x55 (pc 0x55 bp 0x7f sp 0x7e T0)\n", "ill", "TRAP"},
      {"==1==ERROR: AddressSanitizer: SEGV\n", "segv", "SEGV"},
      {"==1==ERROR: AddressSanitizer: BUS\n", "bus", "BUS"},
      {"==1==ERROR: AddressSanitizer: FPE\n", "fpe", "FPE"},
      {"==1==ERROR: AddressSanitizer: ILL\n", "ill", "ILL"},
      {"==1==ERROR: AddressSanitizer: ABRT\n", "abort", "ABRT"},
      {"==1==WARNING: MemorySanitizer: use-of-uninitialized-value\n", "use-of-uninitialized-value",
       "use-of-uninitialized-value"},
      {"==1==ERROR: HWAddressSanitizer: tag-mismatch on address 0x5 at pc 0x55\n", "tag-mismatch", "tag-mismatch"},
      {"==1==ERROR: HWAddressSanitizer: invalid-free on address 0x5 at pc 0x55 on thread T0\n", "bad-free",
       "invalid-free"},
      {"==1==ERROR: HWAddressSanitizer: allocation-tail-overwritten; heap object [0x5,0x9) of size 4\n",
       "heap-buffer-overflow-write", "allocation-tail-overwritten"},
      {"==================\nWARNING: ThreadSanitizer: data race (pid=9337)\n", "data-race", "data-race"},
      {"WARNING: ThreadSanitizer: heap-use-after-free (pid=9337)\n", "use-after-free", "heap-use-after-free"},
      {"==1==ERROR: AddressSanitizer: use-after-free on address 0x5\n", "use-after-free", "use-after-free"},
      {"WARNING: ThreadSanitizer: thread leak (pid=9337)\n", "leak", "thread-leak"},
      {"WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=9337)\n", "lock-order-inversion",
       "lock-order-inversion"},
      {"WARNING: ThreadSanitizer: double lock of a mutex (pid=9337)\n", "thread-misuse", "thread-misuse"},
      {"==1==ERROR: LeakSanitizer: detected memory leaks\n", "leak", "detected memory leaks"},
      {"==1== ERROR: libFuzzer: deadly signal\n", "abort", "deadly signal"},
      {"==1== ERROR: libFuzzer: timeout after 25 seconds\n", "timeout", "timeout after 25 seconds"},
      {"==1== ERROR: libFuzzer: out-of-memory (malloc(4294967296))\n", "oom", "out-of-memory (malloc(4294967296))"},
      {"==1== ERROR: libFuzzer: out-of-memory (used: 2100Mb; exceeds: 2048Mb)\n", "oom",
       "out-of-memory (used: 2100Mb; exceeds: 2048Mb)"},
      {"==1== ERROR: libFuzzer: fuzz target exited\n", "target-exit", "fuzz target exited"},
      {"==1== ERROR: libFuzzer: fuzz target overwrites its const input\n", "input-overwrite",
       "fuzz target overwrites its const input"},
  };
  return k;
}

/// The run a native replay makes of the report: it stopped where the runtime reports.
CrashSnapshot native_crash(const std::string& text) {
  CrashSnapshot s;
  s.cause = StopCause::native_crash;
  s.stderr_text = text;
  if (text.find("deadly signal") != std::string::npos) {
    s.signal = SIGABRT;  // libFuzzer's deadly signal: the signal the run died of
  }
  return s;
}

TEST(SanitizerHeadlines, EveryHeadlineHasItsKind) {
  for (const auto& h : headlines()) {
    SCOPED_TRACE(h.text);
    const auto parsed = parse_sanitizer_headline(h.text);
    ASSERT_TRUE(parsed);
    ASSERT_NE(parsed->row, nullptr);
    EXPECT_EQ(parsed->description, h.description);
    EXPECT_EQ(classify(native_crash(h.text)).kind_id, h.kind);
  }
}

TEST(SanitizerHeadlines, EveryRowIsReachedByARealHeadline) {
  std::set<const SanitizerHeadlineRow*> reached;
  for (const auto& h : headlines()) {
    if (const auto parsed = parse_sanitizer_headline(h.text)) {
      reached.insert(parsed->row);
    }
  }
  for (const auto& row : sanitizer_headlines()) {
    EXPECT_TRUE(reached.contains(&row)) << "no headline reaches the row " << row.tool << ": " << row.headline;
  }
}

TEST(SanitizerHeadlines, TheDebuggersBugIdGivesTheSameKind) {
  // LLDB's instrumentation stop describes the bug by the runtime's id, without the headline.
  for (const auto& [id, kind] : std::vector<std::pair<std::string, CrashKind>>{
           {"bad-free", CrashKind::bad_free},
           {"double-free", CrashKind::double_free},
           {"alloc-dealloc-mismatch", CrashKind::alloc_dealloc_mismatch},
           {"new-delete-type-mismatch", CrashKind::new_delete_type_mismatch},
           {"stack-use-after-return", CrashKind::stack_use_after_return},
           {"memcpy-param-overlap", CrashKind::param_overlap},
           {"calloc-overflow", CrashKind::bad_allocation_size},
           {"heap-use-after-free", CrashKind::use_after_free}}) {
    EXPECT_EQ(kind_for_sanitizer_description(id, std::nullopt), kind) << id;
  }
  EXPECT_EQ(kind_for_sanitizer_description("heap-buffer-overflow", true), CrashKind::heap_buffer_overflow_write);
  EXPECT_FALSE(kind_for_sanitizer_description("SEGV", std::nullopt));  // the signal decides
  EXPECT_FALSE(kind_for_sanitizer_description("Division by zero", std::nullopt));
}

TEST(SanitizerHeadlines, MessagesNameTheBugWithoutRunDependentRegisters) {
  const auto bad_free = classify(native_crash(
      "==1==ERROR: AddressSanitizer: attempting free on address which was not malloc()-ed: 0x502000000014 in "
      "thread T0\n"));
  EXPECT_EQ(bad_free.message,
            "bad-free: attempting free on address which was not malloc()-ed: 0x502000000014 in thread T0");
  const auto h = parse_sanitizer_headline(
      "==1==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000008 (pc 0x55 bp 0x7f sp 0x7ffe00 T0)\n");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->text, "SEGV on unknown address 0x000000000008");
  EXPECT_EQ(h->stack_pointer, 0x7ffe00u);
  EXPECT_EQ(h->address, 0x8u);
}

TEST(UbsanChecks, SpecificWordingsBeforeTheGenericOnes) {
  EXPECT_EQ(ubsan_check_for("pointer index expression with base 0x000000000000 overflowed to 0xffffffffffffffff"),
            "pointer-overflow");
  EXPECT_EQ(ubsan_check_for("index 10 out of bounds for type 'int[4]'"), "bounds");
  EXPECT_EQ(ubsan_check_for("null pointer passed as argument 1, which is declared to never be null"),
            "nonnull-attribute");
  EXPECT_EQ(ubsan_check_for("member access within null pointer of type 'struct S'"), "null");
  EXPECT_EQ(ubsan_check_for("member call on address 0x5 which does not point to an object of type 'B'"), "vptr");
  EXPECT_EQ(ubsan_check_for("applying zero offset to null pointer"), "pointer-overflow");
  EXPECT_EQ(ubsan_check_for("1e+10 is outside the range of representable values of type 'int'"),
            "float-cast-overflow");
  EXPECT_EQ(ubsan_check_for("execution reached the end of a value-returning function without returning a value"),
            "return");
  EXPECT_EQ(ubsan_check_for("something new"), "other");
}

}  // namespace
}  // namespace triage::core
