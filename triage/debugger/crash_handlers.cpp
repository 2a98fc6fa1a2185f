#include "triage/debugger/crash_handlers.hpp"

#include <array>

namespace triage::debugger {
namespace {

// Order matters only for documentation; each is its own breakpoint.
constexpr std::array k_handlers{
    // Rust >= 1.73: every panic (panic!, index out of bounds, unwrap on None) goes through panic_fmt.
    HandlerBreakpoint{"core::panicking::panic_fmt", HandlerRole::crash, "core::panicking::panic_fmt"},
    // Older toolchains' names, kept as fallbacks (rust_panic resolves as __rustc::rust_panic today).
    HandlerBreakpoint{"rust_panic", HandlerRole::crash, "*rust_panic"},
    HandlerBreakpoint{"rust_begin_unwind", HandlerRole::crash, "*rust_begin_unwind"},
    HandlerBreakpoint{"__assert_fail", HandlerRole::crash, "__assert_fail"},
    HandlerBreakpoint{"std::terminate", HandlerRole::crash, "std::terminate"},
    // abort(): assert, terminate and panic=abort end here, after printing their message.
    HandlerBreakpoint{"abort", HandlerRole::crash_terminal, "abort"},
    HandlerBreakpoint{"__cxa_throw", HandlerRole::record_throw, "*__cxa_throw"},
    // ASan/UBSan death after the report is written (stderr is a file: nothing buffered). Stopping here
    // comes before AsanDie, where LLDB's AddressSanitizer plugin would JIT-compile an expression to read
    // the same report back (tens of ms per crash); a Die with no readable report falls through to it.
    HandlerBreakpoint{"__sanitizer::Die", HandlerRole::sanitizer_death, "__sanitizer::Die"},
    // libFuzzer: the malloc-limit path (HandleMalloc, hit on every malloc, cannot be the breakpoint)
    // and the RSS-limit thread print a stack trace before _Exit; so do its crash callbacks.
    HandlerBreakpoint{"fuzzer::PrintStackTrace", HandlerRole::libfuzzer_death, "fuzzer::PrintStackTrace"},
    HandlerBreakpoint{"fuzzer::Fuzzer::RssLimitCallback", HandlerRole::libfuzzer_death,
                      "fuzzer::Fuzzer::RssLimitCallback"},
};

}  // namespace

std::span<const HandlerBreakpoint> handler_breakpoints() { return k_handlers; }

}  // namespace triage::debugger
