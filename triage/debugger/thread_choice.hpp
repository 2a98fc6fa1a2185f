#pragma once
// Which thread of a stopped process to report: the one with a stop reason, or, after an interrupt or
// an attach (every thread stopped, none with a reason), the one running the fuzz harness.
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBThread.h>

namespace triage::debugger {

lldb::SBThread stopped_thread(lldb::SBProcess& process);
/// The thread with LLVMFuzzerTestOneInput (or main) on its stack; the first thread otherwise.
lldb::SBThread harness_thread(lldb::SBProcess& process);

}  // namespace triage::debugger
