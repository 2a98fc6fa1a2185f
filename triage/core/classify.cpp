#include "triage/core/classify.hpp"

#include <array>
#include <csignal>
#include <utility>

#include <fmt/format.h>

#include "triage/core/crash_handlers.hpp"
#include "triage/core/sanitizer_headlines.hpp"
#include "triage/core/signature.hpp"
#include "triage/core/symbol_name.hpp"
#include "triage/core/text_match.hpp"

namespace triage::core {
namespace {

using enum CrashKind;

constexpr uint64_t k_null_page = 4096;
/// A fault this close to the stack pointer hit the guard page below the stack: the stack ran out.
/// (A call faults 8 bytes below SP; a probed or large frame within its own size of it.)
constexpr uint64_t k_stack_guard_reach = 64 * 1024;

/// Rust's std prints this from its SIGSEGV handler before it aborts: "thread 'main' has overflowed its stack".
std::string rust_overflow_message(const std::string& text) {
  static const Pattern re(R"(thread '[^'\n]*' has overflowed its stack)");
  Groups m;
  return re.search(text, m) ? m.str(0) : std::string();
}

bool faulted_next_to_stack(const CrashSnapshot& s, std::optional<uint64_t> fault_address) {
  if (!fault_address || !s.stack_pointer || *fault_address < k_null_page) {
    return false;
  }
  const uint64_t a = *fault_address;
  const uint64_t sp = *s.stack_pointer;
  return (a > sp ? a - sp : sp - a) <= k_stack_guard_reach;
}

/// The captured stack was cut at its limit and is mostly one repeating cycle of functions.
bool deep_recursion(const CrashSnapshot& s) {
  if (!s.frames_truncated || s.frames.empty()) {
    return false;
  }
  std::vector<std::string> names;
  names.reserve(s.frames.size());
  for (const auto& f : s.frames) {
    names.push_back(normalize_function_name(f.function));
  }
  bool collapsed = false;
  const auto left = collapse_recursion(names, &collapsed);
  return collapsed && left.size() * 4 < names.size();
}

/// Why a crash no sanitizer described is a stack overflow.
std::string stack_overflow_evidence(const CrashSnapshot& s) {
  if (auto rust = rust_overflow_message(s.stderr_text); !rust.empty()) {
    return rust;
  }
  const std::string signal = s.signal_name.empty() ? "signal" : s.signal_name;
  if (faulted_next_to_stack(s, s.fault_address)) {
    return fmt::format("stack overflow: {} on address {:#x}, next to the stack pointer {:#x}", signal,
                       *s.fault_address, *s.stack_pointer);
  }
  return fmt::format("stack overflow: {} on address {:#x} under a recursion deeper than the {} frames captured",
                     signal, s.fault_address.value_or(0), s.frames.size());
}

/// The kind a fatal signal stands for. Without a sanitizer's word, a SIGSEGV next to the stack pointer
/// or at the bottom of a recursion that filled the captured stack is a stack overflow.
std::optional<CrashKind> kind_for_signal(const CrashSnapshot& s, int signo, std::optional<uint64_t> fault_address) {
  switch (signo) {
    case SIGSEGV:
    case SIGBUS:
      if (fault_address && *fault_address < k_null_page && signo == SIGSEGV) {
        return null_deref;
      }
      if (faulted_next_to_stack(s, fault_address) || deep_recursion(s)) {
        return stack_overflow;
      }
      return signo == SIGBUS ? bus : segv;
    case SIGFPE:
      return fpe;
    case SIGILL:
    case SIGTRAP:
      return ill;
    case SIGABRT:
      return abort;
    case SIGKILL:
      return killed;
    default:
      return std::nullopt;
  }
}

/// Refines an abort: runtimes call abort() after printing why (assert, terminate, panic=abort, Rust's
/// stack-overflow handler).
CrashKind refine_abort(const std::string& text) {
  if (!rust_overflow_message(text).empty()) {
    return stack_overflow;
  }
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

/// A sanitizer headline row's kind, refined by the access and, for a deadly signal, by the signal.
std::optional<CrashKind> kind_for_row(const SanitizerHeadlineRow& row, std::optional<bool> is_write,
                                      const CrashSnapshot& s, std::optional<uint64_t> address) {
  switch (row.refine) {
    case HeadlineRefine::none:
      return row.kind;
    case HeadlineRefine::by_access:
      return is_write.value_or(false) ? row.write_kind : row.kind;
    case HeadlineRefine::by_signal: {
      const int signo = row.signal != 0 ? row.signal : s.signal.value_or(0);
      auto kind = kind_for_signal(s, signo, address ? address : s.fault_address);
      if (kind == segv && is_write.value_or(false)) {
        kind = segv_write;
      }
      if (kind == abort) {
        kind = refine_abort(s.stderr_text);  // ASan's handle_abort report of an assert, a terminate, a panic
      }
      return kind;
    }
  }
  return std::nullopt;
}


std::string ubsan_check_id(std::string_view message) {
  return "ubsan-" + std::string(ubsan_check_for(message));
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
  const SanitizerHeadlineRow* row = find_headline_row_by_id(description);
  if (row == nullptr || row->refine == HeadlineRefine::by_signal) {
    return std::nullopt;  // a deadly signal: the signal and the fault address decide
  }
  return row->refine == HeadlineRefine::by_access && is_write.value_or(false) ? row->write_kind : row->kind;
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
  if (s.sanitizer && s.sanitizer->fatal) {
    if (const auto* row = find_headline_row_by_id(s.sanitizer->description)) {
      kind = kind_for_row(*row, s.sanitizer->is_write, s, s.sanitizer->address);
    }
  }
  std::optional<bool> headline_is_write;
  if (headline && !headline->access.empty()) {
    headline_is_write = headline->access.starts_with("WRITE");
  }
  if (!kind && headline && headline->tool != "libFuzzer" && headline->row != nullptr) {
    kind = kind_for_row(*headline->row, headline_is_write, s, headline->address);
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
          kind = kind_for_signal(s, *s.signal, s.fault_address);
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
  if (!kind && headline && headline->tool == "libFuzzer" && headline->row != nullptr) {
    kind = kind_for_row(*headline->row, std::nullopt, s, s.fault_address);  // out-of-memory, target exited
  }
  if (!kind && s.signal) {
    kind = kind_for_signal(s, *s.signal, s.fault_address);
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
      // libFuzzer's "out-of-memory (malloc(4294967296))"; ASan's "requested allocation size 0x.. exceeds ..."
      c.message = !headline ? "out of memory" : headline->tool == "libFuzzer" ? headline->description : headline->text;
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
    case segv_write:
    case bus:
    case ill:
      c.message = fmt::format("{} on address {:#x}", s.signal_name.empty() ? "signal" : s.signal_name,
                              s.fault_address.value_or(0));
      if (headline && !headline->access.empty()) {
        c.message += " (" + headline->access + ")";
      }
      break;
    case stack_overflow:
      if (!s.sanitizer && !(headline && headline->row && headline->row->kind == stack_overflow)) {
        c.message = stack_overflow_evidence(s);
        break;
      }
      [[fallthrough]];
    case heap_buffer_overflow_read:
    case heap_buffer_overflow_write:
    case stack_buffer_overflow:
    case global_buffer_overflow:
    case use_after_free:
    case double_free:
    case bad_free:
    case stack_use_after_return:
    case stack_use_after_scope:
    case container_overflow:
    case use_after_poison:
    case intra_object_overflow:
    case negative_size_param:
    case param_overlap:
    case alloc_dealloc_mismatch:
    case new_delete_type_mismatch:
    case bad_allocation_size:
    case invalid_pointer_pair:
    case odr_violation:
    case init_order_fiasco:
    case unknown_crash:
    case uninitialized_value:
    case tag_mismatch:
    case data_race:
    case lock_order_inversion:
    case thread_misuse: {
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
      } else if (headline && !headline->text.empty() && headline->text != desc) {
        // "bad-free: attempting free on address which was not malloc()-ed: 0x602000000010 in thread T0"
        std::string said = headline->text;
        while (!said.empty() && (said.back() == ':' || said.back() == ' ')) {
          said.pop_back();
        }
        c.message = said.starts_with(desc) ? said : desc + ": " + said;
      }
      break;
    }
    case killed:
      c.message = fmt::format("killed by {}", s.signal_name.empty() ? "SIGKILL" : s.signal_name);
      break;
    case target_exit:
      c.message = "the fuzz target called exit() while running the input";
      break;
    case input_overwrite:
      c.message = headline ? headline->text : "the fuzz target overwrote its const input";
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
