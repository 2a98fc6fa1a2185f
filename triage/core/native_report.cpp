#include "triage/core/native_report.hpp"

#include <charconv>
#include <csignal>
#include <cstring>
#include <utility>

#include "triage/core/sanitizer_headlines.hpp"

namespace triage::core {
namespace {

/// The signal a sanitizer's deadly-signal headline reports ("SEGV on unknown address"), or 0.
int headline_signal(const SanitizerHeadline& h) {
  return h.row != nullptr && h.row->refine == HeadlineRefine::by_signal ? h.row->signal : 0;
}

std::string signal_name(int signo) {
  const char* abbrev = sigabbrev_np(signo);
  return abbrev != nullptr ? "SIG" + std::string(abbrev) : "signal " + std::to_string(signo);
}

std::optional<bool> access_is_write(const SanitizerHeadline& h) {
  if (h.access.empty()) {
    return std::nullopt;
  }
  return h.access.starts_with("WRITE");
}

}  // namespace

std::optional<SanitizerReport> sanitizer_report_from_text(std::string_view text, bool include_signals) {
  const auto headline = parse_sanitizer_headline(text);
  if (!headline || headline->tool == "libFuzzer" || (!include_signals && headline_signal(*headline) != 0)) {
    return std::nullopt;
  }
  SanitizerReport r{headline->tool, headline->description, headline->address, std::nullopt, access_is_write(*headline),
                    true};
  // "WRITE of size 1 at 0x... thread T0"
  if (const auto of = headline->access.find(" of size "); of != std::string::npos) {
    uint64_t size = 0;
    const char* first = headline->access.data() + of + 9;
    const char* last = headline->access.data() + headline->access.size();
    if (auto [ptr, ec] = std::from_chars(first, last, size); ec == std::errc{} && ptr != first) {
      r.access_size = size;
    }
  }
  return r;
}

std::optional<SanitizerReport> ubsan_report_from_text(std::string_view text) {
  const auto rt = parse_ubsan_runtime_error(text);
  if (!rt) {
    return std::nullopt;
  }
  return SanitizerReport{"UndefinedBehaviorSanitizer", rt->first, std::nullopt, std::nullopt, std::nullopt, false};
}

std::vector<Frame> frames_from_report(const std::vector<ReportFrame>& frames) {
  std::vector<Frame> out;
  for (const auto& rf : frames) {
    Frame f;
    f.function = rf.function;
    const auto slash = rf.module.rfind('/');
    f.module = slash == std::string::npos ? rf.module : rf.module.substr(slash + 1);
    f.file = rf.location.file;
    f.line = rf.location.line;
    f.column = rf.location.column;
    f.pc = rf.pc;
    out.push_back(std::move(f));
  }
  return out;
}

CrashSnapshot snapshot_from_native_run(const NativeRun& run) {
  CrashSnapshot s;
  s.exit_status = run.exit_status;
  s.stderr_text = run.output;
  s.timeout_seconds = run.timeout_seconds;
  const auto headline = parse_sanitizer_headline(run.output);
  if (run.timed_out || (headline && headline->tool == "libFuzzer" && headline->description.starts_with("timeout"))) {
    s.cause = StopCause::watchdog;
    s.handler = "timeout";
    s.frames = frames_from_report(parse_report_stack(run.output));
    return s;
  }
  if (auto leak = parse_leak_report(run.output)) {
    s.cause = StopCause::native_leak;
    s.handler = "LeakSanitizer";
    s.sanitizer = SanitizerReport{"LeakSanitizer", "detected memory leaks", std::nullopt, leak->bytes, std::nullopt, true};
    s.frames = frames_from_report(leak->frames);
    return s;
  }
  const bool crashed = headline.has_value() || run.signal.has_value() || run.exit_status.value_or(0) != 0;
  if (!crashed) {
    s.cause = StopCause::none;
    return s;
  }
  s.cause = StopCause::native_crash;
  if (run.signal) {
    s.signal = run.signal;
  }
  if (headline) {
    s.handler = headline->tool;
    if (const int signo = headline_signal(*headline); signo != 0 && headline->tool != "libFuzzer") {
      s.signal = signo;
      s.fault_address = headline->address;
      s.stack_pointer = headline->stack_pointer;
    }
    if (headline->tool == "libFuzzer" && headline->description == "deadly signal" && !s.signal) {
      s.signal = SIGABRT;
    }
    if (!s.signal) {
      s.sanitizer = sanitizer_report_from_text(run.output);
    }
  }
  if (s.signal) {
    s.signal_name = signal_name(*s.signal);
  }
  s.frames = frames_from_report(parse_report_stack(run.output));
  if (s.sanitizer) {
    auto evidence = parse_sanitizer_evidence(run.output);
    s.sanitizer_region = std::move(evidence.region);
    for (auto& st : evidence.stacks) {
      s.sanitizer_stacks.push_back({std::move(st.role), std::move(st.title), frames_from_report(st.frames)});
    }
  }
  if (s.frames.empty()) {
    // No sanitizer runtime (a Rust target): the panic hook's own backtrace, when RUST_BACKTRACE is set.
    s.frames = frames_from_report(parse_rust_backtrace(run.output));
  }
  return s;
}

}  // namespace triage::core
