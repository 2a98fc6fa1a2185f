#include "triage/debugger/crash_handlers.hpp"

#include <string_view>

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBBreakpoint.h>
#include <lldb/API/SBBreakpointLocation.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBSymbol.h>

#include "triage/core/glob.hpp"
#include "triage/core/symbol_name.hpp"

namespace triage::debugger {

const std::vector<HandlerBreakpoint>& handler_breakpoints() {
  static const std::vector<HandlerBreakpoint> breakpoints = [] {
    std::vector<HandlerBreakpoint> out;
    for (const auto& h : core::crash_handlers()) {
      if (h.role != HandlerRole::cause) {
        out.push_back(h);
      }
    }
    return out;
  }();
  return breakpoints;
}

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
