#pragma once
// Parses what the runtime printed before dying: Rust panic messages (old and current formats), glibc
// assert messages, libstdc++'s terminate message, sanitizer and libFuzzer headlines, LeakSanitizer
// stacks, and the last line a program printed before abort().
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace triage::core {

struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

struct PanicMessage {
  std::string message;
  SourceLocation location;
  std::string thread;
};

struct AssertMessage {
  std::string expression;
  std::string function;
  SourceLocation location;
};

struct ExceptionMessage {
  std::string type;
  std::string what;
};

struct SanitizerHeadlineRow;

struct SanitizerHeadline {
  std::string tool;         ///< AddressSanitizer, UndefinedBehaviorSanitizer, libFuzzer, LeakSanitizer, ...
  std::string description;  ///< the runtime's bug id: "heap-buffer-overflow", "bad-free", "SEGV"; libFuzzer's
                            ///< whole headline: "out-of-memory (malloc(4294967296))", "deadly signal"
  std::string text;         ///< the whole headline after "<tool>: ", pc/bp/sp and thread left out
  std::string access;       ///< "WRITE of size 1 at 0x602000000011 thread T0", "WRITE memory access"
  std::optional<uint64_t> address;        ///< "... on address 0x..." / "on unknown address 0x..."
  std::optional<uint64_t> stack_pointer;  ///< "sp 0x..." of the faulting context
  const SanitizerHeadlineRow* row = nullptr;  ///< the table row (sanitizer_headlines.hpp) it matched
};

/// One frame of an unsymbolized sanitizer stack: `#3 0x5555... (/path/binary+0x1234)` or symbolized
/// `#3 0x5555... in func file:line:col`.
struct ReportFrame {
  uint64_t pc = 0;
  std::string module;      ///< path of the module, when printed
  uint64_t module_offset = 0;
  std::string function;    ///< when symbolized
  SourceLocation location;
};

struct LeakReport {
  std::string headline;  ///< "Direct leak of 64 byte(s) in 1 object(s)"
  uint64_t bytes = 0;
  std::vector<ReportFrame> frames;  ///< allocation stack of the first (largest) direct leak
};

/// A stack of a sanitizer report besides the access's own: where the memory was freed or allocated.
struct ReportStack {
  std::string role;   ///< "free" or "alloc"
  std::string title;  ///< "freed by thread T0 here", "previously allocated by thread T0 here"
  std::vector<ReportFrame> frames;
};

/// What a sanitizer report says beyond its headline: the region the address is in and the free and
/// allocation stacks (ASan prints them for use-after-free, overflows, double and bad frees).
struct SanitizerEvidence {
  std::string region;  ///< "0x502000000054 is located 4 bytes inside of 16-byte region [0x..,0x..)"
  std::vector<ReportStack> stacks;
};

/// The evidence of the last report in `text` (empty when there is none).
SanitizerEvidence parse_sanitizer_evidence(std::string_view text);
/// `text` without ASan's shadow-memory dump ("Shadow bytes around the buggy address:" and the legend
/// that follows): bytes of noise for a reader that push the report out of a bounded tail.
std::string without_shadow_dump(std::string_view text);

std::optional<PanicMessage> parse_rust_panic(std::string_view text);
std::optional<AssertMessage> parse_assert(std::string_view text);
std::optional<ExceptionMessage> parse_terminate(std::string_view text);
std::optional<SanitizerHeadline> parse_sanitizer_headline(std::string_view text);
std::optional<LeakReport> parse_leak_report(std::string_view text);
/// The first stack block of a sanitizer/libFuzzer report ("#0 0x... in f file:line", or unsymbolized
/// "#0 0x... (module+0x...)"), after the first "ERROR:" line when there is one.
std::vector<ReportFrame> parse_report_stack(std::string_view text);
/// Rust's own panic backtrace (RUST_BACKTRACE=1): "  6: fuzz_ide_rs::channel::Channel::read_data"
/// followed by "             at src/channel.rs:148:43".
std::vector<ReportFrame> parse_rust_backtrace(std::string_view text);
/// "file.cpp:12:5: runtime error: division by zero" -> the message and location of the first one.
std::optional<std::pair<std::string, SourceLocation>> parse_ubsan_runtime_error(std::string_view text);
/// The last line the program itself printed (libFuzzer, sanitizer and runtime noise skipped).
std::string last_program_line(std::string_view text);

/// The last `max_bytes` of `text`, cut at a line start.
std::string tail(std::string_view text, size_t max_bytes);

}  // namespace triage::core
