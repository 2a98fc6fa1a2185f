// The target's output, as a hostile target writes it: every parser of sanitizer, libFuzzer, UBSan,
// Rust panic and assert text, then the classification built on them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "triage/core/native_report.hpp"
#include "triage/core/report.hpp"
#include "triage/core/stderr_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace triage::core;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_rust_panic(text);
  (void)parse_assert(text);
  (void)parse_terminate(text);
  (void)parse_sanitizer_headline(text);
  (void)parse_leak_report(text);
  (void)parse_report_stack(text);
  (void)parse_rust_backtrace(text);
  (void)parse_ubsan_runtime_error(text);
  (void)last_program_line(text);
  (void)tail(text, size / 2);
  (void)sanitizer_report_from_text(text, true);
  (void)ubsan_report_from_text(text);
  // A native run that printed it, dead of a signal or exited, then analysed as a whole.
  NativeRun run;
  run.output = std::string(text);
  run.signal = size % 3 == 0 ? std::optional<int>(6) : std::nullopt;
  run.exit_status = size % 3 == 0 ? std::nullopt : std::optional<int>(1);
  CrashSnapshot s = snapshot_from_native_run(run);
  (void)analyze(s, AnalysisConfig{});
  return 0;
}
