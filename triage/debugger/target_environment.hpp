#pragma once
// The environment triage gives every target it runs, under the debugger or natively.
#include <string>
#include <vector>

namespace triage::debugger {

/// The environment every debugged run gets (ASan: no leak check under ptrace, no symbolizer: the tool
/// symbolizes through LLDB; deterministic, colour-free output); `extra` (NAME=VALUE) last.
std::vector<std::string> controlled_environment(bool under_debugger, const std::vector<std::string>& extra);

}  // namespace triage::debugger
