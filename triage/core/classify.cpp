#include "triage/core/classify.hpp"

#include <array>
#include <csignal>
#include <utility>

#include <fmt/format.h>

#include "triage/core/crash_handlers.hpp"
#include "triage/core/glob.hpp"

namespace triage::core {
namespace {

using enum CrashKind;

constexpr uint64_t k_null_page = 4096;

/// Sanitizer report descriptions (ASan's JSON "description" and its "ERROR:" headline).
constexpr std::array<std::pair<std::string_view, CrashKind>, 21> k_sanitizer_kinds{{
    {"heap-use-after-free", use_after_free},
    {"use-after-free", use_after_free},
    {"double-free", double_free},
    {"attempting double-free*", double_free},
    {"bad-free", bad_free},
    {"attempting free on address which was not malloc*", bad_free},
    {"alloc-dealloc-mismatch*", bad_free},
    {"stack-buffer-overflow", stack_buffer_overflow},
    {"stack-buffer-underflow", stack_buffer_overflow},
    {"stack-use-after-*", stack_buffer_overflow},
    {"dynamic-stack-buffer-overflow", stack_buffer_overflow},
    {"global-buffer-overflow", global_buffer_overflow},
    {"stack-overflow", stack_overflow},
    {"allocation-size-too-big", oom},
    {"requested allocation size*", oom},
    {"out-of-memory*", oom},
    {"malloc-exceeds-limit*", oom},
    {"rss-limit-exceeded*", oom},
    {"detected memory leaks", leak},
    {"fuzz target exited", target_exit},
    {"FPE", fpe},
}};

std::optional<CrashKind> kind_for_signal(int signo, std::optional<uint64_t> fault_address) {
  switch (signo) {
    case SIGSEGV:
      return fault_address && *fault_address < k_null_page ? null_deref : segv;
    case SIGBUS:
      return bus;
    case SIGFPE:
      return fpe;
    case SIGILL:
      return ill;
    case SIGABRT:
      return abort;
    case SIGKILL:
      return killed;
    default:
      return std::nullopt;
  }
}

/// Refines an abort: runtimes call abort() after printing why (assert, terminate, panic=abort).
CrashKind refine_abort(const std::string& text) {
  if (parse_assert(text)) {
    return assert;
  }
  if (parse_terminate(text)) {
    return cxx_exception;
  }
  if (parse_rust_panic(text)) {
    return rust_panic;
  }
  return abort;
}

/// UBSan runtime-error messages -> the -fsanitize check that reports them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> k_ubsan_checks{{
    {"division by zero", "integer-divide-by-zero"},
    {"signed integer overflow", "signed-integer-overflow"},
    {"negation of", "signed-integer-overflow"},
    {"unsigned integer overflow", "unsigned-integer-overflow"},
    {"shift exponent", "shift"},
    {"left shift of", "shift"},
    {"index ", "bounds"},
    {"load of value", "invalid-value"},
    {"null pointer", "null"},
    {"misaligned", "alignment"},
    {"implicit conversion", "implicit-conversion"},
    {"pointer index expression", "pointer-overflow"},
    {"addition of unsigned offset", "pointer-overflow"},
    {"execution reached an unreachable", "unreachable"},
}};

std::string ubsan_check_id(std::string_view message) {
  for (const auto& [prefix, check] : k_ubsan_checks) {
    if (message.find(prefix) != std::string_view::npos) {
      return "ubsan-" + std::string(check);
    }
  }
  return "ubsan-other";
}

/// True when the snapshot's stop is one where a sanitizer or libFuzzer had just written its report:
/// the runtime's death path under the debugger (it set `sanitizer`), a libFuzzer limit handler, or a
/// native run, whose output ends with what the runtime wrote last.
bool stopped_in_report_path(const CrashSnapshot& s) {
  if (s.sanitizer || s.cause == StopCause::native_crash || s.cause == StopCause::native_leak ||
      s.cause == StopCause::sanitizer) {
    return true;
  }
  return s.cause == StopCause::breakpoint && kind_for_handler(s.handler) == oom;
}

}  // namespace

std::optional<CrashKind> kind_for_handler(std::string_view handler) {
  const CrashHandler* h = find_crash_handler(handler);
  return h != nullptr ? h->kind : std::nullopt;
}

std::optional<CrashKind> kind_for_sanitizer_description(std::string_view description, std::optional<bool> is_write) {
  if (description == "heap-buffer-overflow") {
    return is_write.value_or(false) ? heap_buffer_overflow_write : heap_buffer_overflow_read;
  }
  for (const auto& [pattern, kind] : k_sanitizer_kinds) {
    if (glob_match(pattern, description)) {
      return kind;
    }
  }
  return std::nullopt;
}

Classification classify(const CrashSnapshot& s) {
  Classification c;
  const std::string& text = s.stderr_text;
  if (s.cause == StopCause::none) {
    // A UBSan finding in recover mode is a finding even when the run went on to exit normally.
    if (s.sanitizer && s.sanitizer->tool == "UndefinedBehaviorSanitizer") {
      c.crashed = true;
      c.kind = ubsan;
      const auto rt = parse_ubsan_runtime_error(text);
      c.message = rt ? rt->first : s.sanitizer->description;
      c.kind_id = ubsan_check_id(c.message);
      if (rt) {
        c.location = rt->second;
      }
    }
    return c;
  }
  c.crashed = true;
  if (s.cause == StopCause::attach) {
    c.kind = live;
    c.kind_id = std::string(to_string(live));
    c.message = fmt::format("live process{} stopped by attach, {} thread{}",
                            s.pid ? fmt::format(" {}", *s.pid) : "", s.threads.size(), s.threads.size() == 1 ? "" : "s");
    return c;
  }

  std::optional<CrashKind> kind;
  // 1. A fatal ASan/LSan report names the bug most precisely (heap overflow vs UAF, stack overflow).
  // The output is read for one only when the run stopped where a runtime reports: the target can
  // print anything, an input holding a sanitizer report included.
  const auto headline = stopped_in_report_path(s) ? parse_sanitizer_headline(text) : std::nullopt;
  if (s.sanitizer && s.sanitizer->fatal && s.sanitizer->tool != "UndefinedBehaviorSanitizer") {
    kind = kind_for_sanitizer_description(s.sanitizer->description, s.sanitizer->is_write);
  }
  if (!kind && headline && headline->tool != "libFuzzer" && headline->tool != "UndefinedBehaviorSanitizer") {
    std::optional<bool> is_write;
    if (!headline->access.empty()) {
      is_write = headline->access.starts_with("WRITE");
    }
    kind = kind_for_sanitizer_description(headline->description, is_write);
  }
  // 2. The cause of the first significant stop.
  if (!kind) {
    switch (s.cause) {
      case StopCause::watchdog:
        kind = timeout;
        break;
      case StopCause::native_leak:
        kind = leak;
        break;
      case StopCause::breakpoint:
        kind = kind_for_handler(s.handler);
        if (kind == abort) {
          kind = refine_abort(text);
        }
        break;
      case StopCause::signal:
      case StopCause::native_crash:
        if (s.signal) {
          kind = kind_for_signal(*s.signal, s.fault_address);
          if (kind == abort) {
            kind = refine_abort(text);
          }
        }
        break;
      case StopCause::sanitizer:
      case StopCause::attach:
      case StopCause::none:
        break;
    }
  }
  if (!kind && headline && headline->tool == "libFuzzer") {
    kind = kind_for_sanitizer_description(headline->description, std::nullopt);  // out-of-memory, target exited
  }
  if (!kind && s.signal) {
    kind = kind_for_signal(*s.signal, s.fault_address);
  }
  c.kind = kind.value_or(unknown);
  c.kind_id = std::string(to_string(c.kind));

  // Message and location, per kind.
  switch (c.kind) {
    case rust_panic:
      if (auto p = parse_rust_panic(text)) {
        c.message = p->message;
        c.location = p->location;
      } else {
        c.message = "panic (message not captured)";
      }
      break;
    case assert:
      if (auto a = parse_assert(text)) {
        c.message = fmt::format("Assertion `{}' failed in {}", a->expression, a->function);
        c.location = a->location;
      } else {
        c.message = "assertion failed";
      }
      break;
    case cxx_exception: {
      auto e = parse_terminate(text);
      const std::string type = e ? e->type : s.exception_type;
      c.message = fmt::format("uncaught exception {}", type.empty() ? "(unknown type)" : type);
      if (e && !e->what.empty()) {
        c.message += ": " + e->what;
      }
      break;
    }
    case abort:
      c.message = last_program_line(text);
      if (c.message.empty()) {
        c.message = "abort() called";
      }
      break;
    case timeout:
      c.message = fmt::format("no result after {} s: interrupted while running", s.timeout_seconds);
      break;
    case leak:
      if (auto l = parse_leak_report(text)) {
        c.message = l->headline;
      } else {
        c.message = "memory leak";
      }
      break;
    case oom:
      c.message = headline ? headline->description : "out of memory";
      break;
    case fpe:
      if (auto rt = parse_ubsan_runtime_error(text)) {
        c.message = "SIGFPE: " + rt->first;
      } else {
        c.message = "SIGFPE (arithmetic exception)";
      }
      break;
    case null_deref:
    case segv:
    case bus:
    case ill:
      c.message = fmt::format("{} on address {:#x}", s.signal_name.empty() ? "signal" : s.signal_name,
                              s.fault_address.value_or(0));
      if (headline && !headline->access.empty()) {
        c.message += " (" + headline->access + ")";
      }
      break;
    case heap_buffer_overflow_read:
    case heap_buffer_overflow_write:
    case stack_buffer_overflow:
    case global_buffer_overflow:
    case use_after_free:
    case double_free:
    case bad_free:
    case stack_overflow: {
      const std::string desc = s.sanitizer ? s.sanitizer->description : (headline ? headline->description : "");
      c.message = desc;
      if (headline && !headline->access.empty()) {
        c.message += ": " + headline->access;
      } else if (c.kind == stack_overflow) {
        c.message += fmt::format(" (fault address {:#x})", s.fault_address.value_or(s.sanitizer && s.sanitizer->address
                                                                                        ? *s.sanitizer->address
                                                                                        : 0));
      } else if (s.sanitizer && s.sanitizer->access_size.value_or(0) != 0) {
        c.message += fmt::format(": {} of size {} at {:#x}", s.sanitizer->is_write.value_or(false) ? "WRITE" : "READ",
                                 *s.sanitizer->access_size, s.sanitizer->address.value_or(0));
      }
      break;
    }
    case killed:
      c.message = fmt::format("killed by {}", s.signal_name.empty() ? "SIGKILL" : s.signal_name);
      break;
    case target_exit:
      c.message = "the fuzz target called exit() while running the input";
      break;
    case ubsan:
    case live:
    case unknown:
      c.message = headline ? headline->description : s.handler;
      break;
  }
  return c;
}

}  // namespace triage::core
