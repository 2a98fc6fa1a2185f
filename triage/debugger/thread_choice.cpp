#include "triage/debugger/thread_choice.hpp"

#include <cstdint>
#include <string_view>

#include <lldb/API/SBFrame.h>

namespace triage::debugger {
namespace {

constexpr uint32_t k_frames_scanned_for_harness = 64;

}  // namespace

lldb::SBThread stopped_thread(lldb::SBProcess& process) {
  for (uint32_t i = 0; i < process.GetNumThreads(); ++i) {
    lldb::SBThread t = process.GetThreadAtIndex(i);
    const auto reason = t.GetStopReason();
    if (reason != lldb::eStopReasonNone && reason != lldb::eStopReasonInvalid) {
      return t;
    }
  }
  return process.GetSelectedThread();
}

lldb::SBThread harness_thread(lldb::SBProcess& process) {
  for (uint32_t i = 0; i < process.GetNumThreads(); ++i) {
    lldb::SBThread t = process.GetThreadAtIndex(i);
    for (uint32_t f = 0; f < k_frames_scanned_for_harness; ++f) {
      lldb::SBFrame frame = t.GetFrameAtIndex(f);
      if (!frame.IsValid()) {
        break;
      }
      const char* name = frame.GetFunctionName();
      if (name != nullptr && (std::string_view(name).find("LLVMFuzzerTestOneInput") != std::string_view::npos ||
                              std::string_view(name) == "main")) {
        return t;
      }
    }
  }
  return process.GetThreadAtIndex(0);
}

}  // namespace triage::debugger
