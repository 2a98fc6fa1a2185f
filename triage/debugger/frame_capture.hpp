#pragma once
// Reading a stop: the frames of a thread, the signal and fault address, the instrumentation report,
// the type of a C++ exception being thrown, and symbolizing module+offset frames from a native report.
#include <optional>
#include <string>
#include <vector>

#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include "triage/core/snapshot.hpp"
#include "triage/core/stderr_report.hpp"

namespace triage::debugger {

/// Frames of `thread`, innermost first, at most `max_frames` (never unwinds further: a stack overflow
/// has tens of thousands of frames). Sets `truncated` when there were more.
std::vector<core::Frame> capture_frames(lldb::SBThread& thread, uint32_t max_frames, bool* truncated);

/// Every thread of a stopped process (attach, core file): id, name, stop description and frames.
std::vector<core::ThreadSnapshot> capture_threads(lldb::SBProcess& process, uint32_t max_frames);

struct SignalInfo {
  int signo = 0;
  std::string name;
  std::optional<uint64_t> fault_address;
};
SignalInfo read_signal(lldb::SBProcess& process, lldb::SBThread& thread);

/// LLDB's instrumentation-runtime stop (ASan/UBSan plugin): the JSON report, parsed.
std::optional<core::SanitizerReport> read_instrumentation_report(lldb::SBThread& thread);

/// At a __cxa_throw breakpoint: the demangled type of the exception being thrown.
std::string read_thrown_type(lldb::SBProcess& process, lldb::SBThread& thread);

/// Symbolizes "(module+0xoffset)" frames of a native sanitizer report through the target.
std::vector<core::Frame> symbolize_report_frames(lldb::SBTarget& target, const std::vector<core::ReportFrame>& frames);

}  // namespace triage::debugger
