#pragma once
// Targets must not outlive triage. When its connection drops, lldb-server detaches from the process it
// launched instead of killing it, so a triage killed mid-run (SIGKILL, a liblldb crash, a `triage serve`
// stopped with kill -9) would leave the target running untraced: a timeout artifact spins forever.
// A small process, forked at start-up before LLDB has threads, reads the pids of running targets from
// a pipe; when the pipe closes (we are gone) it SIGKILLs those still alive, with their process groups
// (each target leads one), and exits.
#include <cstdint>

namespace triage::debugger {

class InferiorReaper {
 public:
  /// Forks the reaper once per process (again after an exec). Call before SBDebugger::Initialize.
  static void start();
  /// A target is running (no-op when start() was never called, as in tests).
  static void launched(int64_t pid);
  /// It is gone.
  static void finished(int64_t pid);
};

}  // namespace triage::debugger
