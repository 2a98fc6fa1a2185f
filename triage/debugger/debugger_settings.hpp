#pragma once
// How every triage debugger is set up: a batch debugger that reads nothing from the network or the
// user's init files, walks raw values, kills its target when the connection drops, and keeps LLDB's
// index cache; plus the developer's packet log (TRIAGE_LLDB_LOG=FILE).
#include <lldb/API/SBDebugger.h>

namespace triage::debugger {

void configure_batch_debugger(lldb::SBDebugger& debugger);

}  // namespace triage::debugger
