#include "triage/core/crash_handlers.hpp"

#include <array>

#include "triage/core/glob.hpp"

namespace triage::core {
namespace {

using enum CrashKind;
using R = HandlerRole;

constexpr std::array<CrashHandler, 12> k_handlers{{
    // Rust >= 1.73: every panic (panic!, index out of bounds, unwrap on None) goes through panic_fmt.
    {"core::panicking::panic_fmt", R::crash, "core::panicking::panic_fmt", rust_panic, "core::panicking::panic_fmt"},
    // Older toolchains' names, kept as fallbacks (rust_panic resolves as __rustc::rust_panic today).
    {"rust_panic", R::crash, "*rust_panic", rust_panic, "rust_panic"},
    {"rust_begin_unwind", R::crash, "*rust_begin_unwind", rust_panic, "rust_begin_unwind"},
    {"__assert_fail", R::crash, "__assert_fail", assert, "__assert_fail"},
    {"std::terminate", R::crash, "std::terminate", cxx_exception, "std::terminate"},
    // abort(): assert, terminate and panic=abort end here, after printing their message.
    {"abort", R::crash_terminal, "abort", abort, "abort"},
    {"__cxa_throw", R::record_throw, "*__cxa_throw", std::nullopt, ""},
    // ASan/UBSan death after the report is written (stderr is a file: nothing buffered). Stopping here
    // comes before AsanDie, where LLDB's AddressSanitizer plugin would JIT-compile an expression to read
    // the same report back (tens of ms per crash); a Die with no readable report falls through to it.
    {"__sanitizer::Die", R::sanitizer_death, "__sanitizer::Die", std::nullopt, "__sanitizer::Die"},
    // libFuzzer: the malloc-limit path and its exit() callback print a stack trace before _Exit, as
    // its crash callbacks do; the RSS-limit thread has a function of its own.
    {"fuzzer::PrintStackTrace", R::libfuzzer_death, "fuzzer::PrintStackTrace", std::nullopt, ""},
    {"fuzzer::Fuzzer::RssLimitCallback", R::libfuzzer_death, "fuzzer::Fuzzer::RssLimitCallback", oom,
     "fuzzer::Fuzzer::RssLimitCallback"},
    {"fuzzer::Fuzzer::HandleMalloc", R::cause, "fuzzer::Fuzzer::HandleMalloc", oom, "fuzzer::PrintStackTrace"},
    {"fuzzer::Fuzzer::ExitCallback", R::cause, "fuzzer::Fuzzer::ExitCallback", target_exit, "fuzzer::PrintStackTrace"},
}};

}  // namespace

std::span<const CrashHandler> crash_handlers() { return k_handlers; }

const CrashHandler* find_crash_handler(std::string_view handler) {
  for (const auto& h : k_handlers) {
    if (h.symbol == handler) {
      return &h;
    }
  }
  for (const auto& h : k_handlers) {
    if (glob_match(h.accept, handler)) {
      return &h;
    }
  }
  return nullptr;
}

}  // namespace triage::core
