#pragma once
// The crash-handler breakpoints (the table is core/crash_handlers.hpp), set by name before launch; they
// stay pending until libc/libstdc++ load.
#include <span>
#include <vector>

#include "triage/core/crash_handlers.hpp"

#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>
#include <string_view>

namespace triage::debugger {

using core::HandlerRole;
using HandlerBreakpoint = core::CrashHandler;

/// The rows of core::crash_handlers() that are breakpoints (every role but `cause`).
const std::vector<HandlerBreakpoint>& handler_breakpoints();

/// True when a breakpoint stop is in the handler itself; a location in another function of the same
/// base name (a device method called `abort`) is disabled for the rest of the session.
bool is_handler_location(lldb::SBThread& thread, lldb::break_id_t bp_id, const HandlerBreakpoint& h);

/// Disables LLDB's UBSan plugin breakpoint (see the definition); `last` carries the id found last time.
void disable_ubsan_report_breakpoint(lldb::SBTarget& target, lldb::break_id_t& last);

}  // namespace triage::debugger
