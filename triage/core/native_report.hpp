#pragma once
// A CrashSnapshot from a native (undebugged) run's exit status and output: the sanitizer or libFuzzer
// report gives the kind, its symbolized stack gives the frames. Used for leaks (LSan cannot run under
// ptrace), by `triage replay` (no debugger at all) and by the artifact replay tests.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "triage/core/snapshot.hpp"
#include "triage/core/stderr_report.hpp"

namespace triage::core {

struct NativeRun {
  std::optional<int> exit_status;
  std::optional<int> signal;  ///< terminating signal, when the process was killed by one
  bool timed_out = false;
  uint32_t timeout_seconds = 0;
  std::string output;  ///< stdout + stderr
};

CrashSnapshot snapshot_from_native_run(const NativeRun& run);

/// The report a sanitizer printed before dying (its ERROR headline and the "WRITE of size N at ..."
/// line), as LLDB's instrumentation stop would give it. nullopt when the text has none or the headline
/// is libFuzzer's own; also for a deadly signal's ("SEGV on unknown address", "FPE") unless
/// `include_signals`: a native run reports those as the signal.
std::optional<SanitizerReport> sanitizer_report_from_text(std::string_view text, bool include_signals = false);

/// The first UBSan finding in the output ("file:line:col: runtime error: ..."), as a non-fatal report
/// (recover mode: the run went on). nullopt when there is none.
std::optional<SanitizerReport> ubsan_report_from_text(std::string_view text);

/// Turns report frames into snapshot frames (module basename, location).
std::vector<Frame> frames_from_report(const std::vector<ReportFrame>& frames);

}  // namespace triage::core
