#include "triage/debugger/crash_handlers.hpp"

#include <array>
#include <string_view>

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBBreakpoint.h>
#include <lldb/API/SBBreakpointLocation.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBSymbol.h>

#include "triage/core/glob.hpp"
#include "triage/core/symbol_name.hpp"

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

/// True when the breakpoint stop is in the handler itself; a location in another function of the same
/// base name (a device method called `abort`) is disabled for the rest of the session.
bool is_handler_location(lldb::SBThread& thread, lldb::break_id_t bp_id, const HandlerBreakpoint& h) {
  const auto loc_id = static_cast<lldb::break_id_t>(thread.GetStopReasonDataAtIndex(1));
  lldb::SBBreakpoint bp = thread.GetProcess().GetTarget().FindBreakpointByID(bp_id);
  lldb::SBBreakpointLocation loc = bp.FindLocationByID(loc_id);
  const char* symbol = loc.IsValid() ? loc.GetAddress().GetSymbol().GetName() : nullptr;
  if (symbol == nullptr) {
    return true;  // no symbol to check against: trust the breakpoint
  }
  if (core::glob_match(h.accept, core::normalize_function_name(symbol))) {
    return true;
  }
  loc.SetEnabled(false);
  return false;
}

/// LLDB's UBSan plugin stops at every UBSan report (`__ubsan_on_report`, an internal breakpoint) and
/// JIT-compiles an expression to read the report back (~45 ms a report): the same facts UBSan prints
/// to the output we capture. Internal breakpoints have negative ids, counting down over the target's
/// life (a few per launch); the search starts below the one found last time (`last`, 0 at first).
void disable_ubsan_report_breakpoint(lldb::SBTarget& target, lldb::break_id_t& last) {
  constexpr lldb::break_id_t k_window = 64;
  for (lldb::break_id_t id = last - 1; id >= last - k_window; --id) {
    lldb::SBBreakpoint bp = target.FindBreakpointByID(id);
    if (!bp.IsValid()) {
      continue;
    }
    for (uint32_t i = 0; i < bp.GetNumLocations(); ++i) {
      const char* name = bp.GetLocationAtIndex(i).GetAddress().GetSymbol().GetName();
      if (name != nullptr && std::string_view(name) == "__ubsan_on_report") {
        bp.SetEnabled(false);
        last = id;
        return;
      }
    }
  }
}

}  // namespace triage::debugger
