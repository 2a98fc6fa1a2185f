#pragma once
// Starts this process's lldb-server zygote (triage/debugserver/zygote_preload.cpp) and points LLDB at
// the debugserver shim, so every launch forks a ready lldb-server instead of starting one from scratch.
#include <string>

namespace triage::debugger {

struct ZygoteStart {
  int owner_fd = -1;   ///< keep open while LLDB runs; closing it stops the zygote
  int pid = -1;        ///< the zygote (our child)
  std::string why_not; ///< empty when started
};

/// Before SBDebugger::Initialize, after any other fork (the zygote must not share our descriptors).
/// Looks for the shim (triage-debugserver, next to this executable) and the preload library
/// (../lib/libtriage-lldb-zygote.so); leaves LLDB_DEBUGSERVER_PATH alone when either is missing.
ZygoteStart start_lldb_server_zygote(const std::string& lldb_server);

}  // namespace triage::debugger
