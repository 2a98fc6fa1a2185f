#pragma once
// Session::Impl, private to the two files of a session: session.cpp (open, launch and run an
// artifact) and session_inspect.cpp (attach to a process, load core files). Not part of the seam's
// interface: nothing else includes it.
#include "triage/debugger/session.hpp"

#include <signal.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <lldb/API/SBBreakpoint.h>
#include <lldb/API/SBDebugger.h>
#include <lldb/API/SBEvent.h>
#include <lldb/API/SBListener.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBLaunchInfo.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include "triage/core/native_report.hpp"
#include "triage/core/stderr_report.hpp"
#include "triage/debugger/crash_handlers.hpp"
#include "triage/debugger/debugger_settings.hpp"
#include "triage/debugger/device_roots.hpp"
#include "triage/debugger/frame_capture.hpp"
#include "triage/debugger/inferior_reaper.hpp"
#include "triage/debugger/lldb_server_zygote.hpp"
#include "triage/debugger/native_run.hpp"
#include "triage/debugger/scratch_dir.hpp"
#include "triage/debugger/thread_choice.hpp"
#include "triage/debugger/sb_error.hpp"
#include "triage/debugger/watchdog.hpp"
#include "triage/debugger/target_environment.hpp"

namespace triage::debugger {

inline constexpr uint32_t k_max_stops = 64;
inline constexpr size_t k_max_output_bytes = 64 * 1024;

inline bool is_fatal_signal(int signo) {
  return signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE || signo == SIGILL || signo == SIGABRT;
}

inline bool frames_mention(const std::vector<core::Frame>& frames, std::string_view needle) {
  for (const auto& f : frames) {
    if (f.function.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

/// Hands the target a connected lldb-server forked by the zygote: Launch then uses it instead of
/// forking this process to start one. False (the target as it was) when it does not connect.
inline bool connect_forked_server(lldb::SBDebugger& debugger, lldb::SBTarget& target, const ForkedServer& server) {
  lldb::SBListener listener = debugger.GetListener();
  lldb::SBError err;
  lldb::SBProcess p =
      target.ConnectRemote(listener, fmt::format("fd://{}", server.client_fd()).c_str(), "gdb-remote", err);
  // Synchronous mode: "connected" becomes the public state (which Launch checks) once its event is taken.
  lldb::SBEvent event;
  for (int i = 0; i < 4 && p.IsValid() && err.Success() && p.GetState() != lldb::eStateConnected; ++i) {
    listener.WaitForEvent(1, event);
  }
  if (p.IsValid() && p.GetState() == lldb::eStateConnected) {
    return true;
  }
  if (p.IsValid()) {
    p.Destroy();
  }
  return false;
}


struct Session::Impl {
  lldb::SBDebugger debugger;
  lldb::SBTarget target;
  std::map<lldb::break_id_t, HandlerBreakpoint> handlers;
  std::string binary;
  std::filesystem::path workdir;
  DeviceRootFinder roots;
  FILE* devnull_out = nullptr;
  FILE* devnull_err = nullptr;
  lldb::break_id_t ubsan_breakpoint_id = 0;  ///< the UBSan plugin's internal breakpoint, last run

  Impl(const core::WrapperRules& rules, const core::SchemaSet& schemas) : roots(rules, schemas) {}

  core::Result<void> create_target() {
    lldb::SBError err;
    target = debugger.CreateTarget(binary.c_str(), nullptr, nullptr, true, err);
    if (!target.IsValid() || err.Fail()) {
      return std::unexpected(to_error(err, core::ErrorCode::binary_not_elf, "cannot load " + binary));
    }
    handlers.clear();
    ubsan_breakpoint_id = 0;
    for (const auto& h : handler_breakpoints()) {
      lldb::SBBreakpoint bp = target.BreakpointCreateByName(std::string(h.symbol).c_str());
      if (bp.IsValid()) {
        handlers.emplace(bp.GetID(), h);
      }
    }
    roots.reset();
    return {};
  }

  struct RunState {
    std::string output_path;  ///< the inferior's stdout+stderr, written as it runs
    core::CrashSnapshot snap;
    bool significant = false;
    bool terminal = false;
  };

  void record_crash(RunState& st, lldb::SBThread& thread, core::StopCause cause, std::string handler,
                    const RunOptions& options) {
    record_crash_in(target, st, thread, cause, std::move(handler), options);
  }

  void record_crash_in(lldb::SBTarget& in_target, RunState& st, lldb::SBThread& thread, core::StopCause cause,
                       std::string handler, const RunOptions& options) {
    st.significant = true;
    st.snap.cause = cause;
    st.snap.handler = std::move(handler);
    st.snap.thread_id = thread.GetThreadID();
    const char* tn = thread.GetName();
    st.snap.thread_name = tn != nullptr ? tn : "";
    bool truncated = false;
    st.snap.frames = capture_frames(thread, options.max_frames, &truncated);
    st.snap.frames_truncated = truncated;
    if (lldb::SBFrame top = thread.GetFrameAtIndex(0); top.IsValid() && top.GetSP() != LLDB_INVALID_ADDRESS) {
      st.snap.stack_pointer = top.GetSP();
    }
    if (options.dump_devices) {
      st.snap.devices = roots.find(in_target, thread, options.extra_roots);
      st.snap.action = roots.find_action(in_target, thread);
    }
  }

  /// A sanitizer report, from LLDB's instrumentation stop (handler: the tool) or read back from the
  /// output at the runtime's Die() (handler: __sanitizer::Die): non-fatal ones (UBSan in recover mode)
  /// are kept and the run goes on; a fatal one is the crash.
  void record_sanitizer_report(RunState& st, lldb::SBThread& thread, core::SanitizerReport report, std::string handler,
                               const RunOptions& options) {
    st.snap.events.push_back(fmt::format("sanitizer:{}:{}", report.tool, report.description));
    if (!report.fatal) {
      if (!st.snap.sanitizer) {
        st.snap.sanitizer = std::move(report);
      }
      return;
    }
    if (!st.snap.sanitizer || !st.snap.sanitizer->fatal) {
      st.snap.sanitizer = std::move(report);
    }
    if (!st.significant) {
      record_crash(st, thread, core::StopCause::sanitizer, std::move(handler), options);
    }
    st.terminal = true;
  }

  void on_stop(RunState& st, lldb::SBProcess& process, const RunOptions& options) {
    lldb::SBThread thread = stopped_thread(process);
    const lldb::StopReason reason = thread.GetStopReason();
    switch (reason) {
      case lldb::eStopReasonBreakpoint: {
        const auto id = static_cast<lldb::break_id_t>(thread.GetStopReasonDataAtIndex(0));
        const auto it = handlers.find(id);
        if (it == handlers.end()) {
          return;
        }
        const HandlerBreakpoint& h = it->second;
        if (!is_handler_location(thread, id, h)) {
          return;
        }
        st.snap.events.push_back("breakpoint:" + std::string(h.symbol));
        switch (h.role) {
          case HandlerRole::crash:
            if (!st.significant) {
              record_crash(st, thread, core::StopCause::breakpoint, std::string(h.symbol), options);
            }
            return;
          case HandlerRole::crash_terminal:
            if (!st.significant) {
              record_crash(st, thread, core::StopCause::breakpoint, std::string(h.symbol), options);
            }
            st.terminal = true;
            return;
          case HandlerRole::terminal:
            st.terminal = st.significant;
            return;
          case HandlerRole::cause:
            return;  // never a breakpoint (handler_breakpoints() leaves these rows out)
          case HandlerRole::record_throw:
            if (auto type = read_thrown_type(process, thread); !type.empty()) {
              st.snap.exception_type = std::move(type);
            }
            return;
          case HandlerRole::sanitizer_death: {
            // After a fatal signal we already captured, ASan's handler has printed its "deadly signal"
            // report by now ("FPE", "SEGV", "stack-overflow"): nothing more to wait for.
            auto report = core::sanitizer_report_from_text(core::tail(read_file(st.output_path), k_max_output_bytes),
                                                           st.significant);
            if (!report) {
              return;  // no report to read: LLDB's instrumentation stop still comes
            }
            record_sanitizer_report(st, thread, std::move(*report), std::string(h.symbol), options);
            return;
          }
          case HandlerRole::libfuzzer_death: {
            if (!st.significant) {
              bool truncated = false;
              const auto frames = capture_frames(thread, options.max_frames, &truncated);
              // The libFuzzer function below the stack trace names the crash (a malloc over the
              // limit, the RSS limit, exit() in the callback); a deadly-signal trace names none.
              for (const auto& cause : core::crash_handlers()) {
                const bool names_crash = cause.role == HandlerRole::cause ||
                                         (cause.role == HandlerRole::libfuzzer_death && cause.kind);
                if (names_crash && frames_mention(frames, cause.symbol)) {
                  record_crash(st, thread, core::StopCause::breakpoint, std::string(cause.symbol), options);
                  break;
                }
              }
            }
            st.terminal = true;
            return;
          }
        }
        return;
      }
      case lldb::eStopReasonSignal: {
        const SignalInfo sig = read_signal(process, thread);
        st.snap.events.push_back("signal:" + sig.name);
        if (!is_fatal_signal(sig.signo)) {
          return;
        }
        if (!st.significant) {
          st.snap.signal = sig.signo;
          st.snap.signal_name = sig.name;
          st.snap.fault_address = sig.fault_address;
          record_crash(st, thread, core::StopCause::signal, sig.name, options);
        } else if (sig.signo == SIGABRT) {
          st.terminal = true;
        }
        return;
      }
      case lldb::eStopReasonInstrumentation: {
        if (auto report = read_instrumentation_report(thread)) {
          std::string tool = report->tool;
          record_sanitizer_report(st, thread, std::move(*report), std::move(tool), options);
        }
        return;
      }
      case lldb::eStopReasonInvalid:
      case lldb::eStopReasonNone:
      case lldb::eStopReasonTrace:
      case lldb::eStopReasonWatchpoint:
      case lldb::eStopReasonException:
      case lldb::eStopReasonExec:
      case lldb::eStopReasonPlanComplete:
      case lldb::eStopReasonThreadExiting:
      case lldb::eStopReasonProcessorTrace:
      case lldb::eStopReasonFork:
      case lldb::eStopReasonVFork:
      case lldb::eStopReasonVForkDone:
        return;
    }
  }

  /// LeakSanitizer cannot run under ptrace: a run that exited cleanly under the debugger is run again
  /// natively with leak detection, and the leak's allocation stack is symbolized through the target.
  void native_leak_check(RunState& st, const std::vector<std::string>& args, const RunOptions& options) {
    std::vector<std::string> argv{binary};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto out = (workdir / "native.out").string();
    auto native = run_native(argv, controlled_environment(false, options.extra_env), out, options.timeout_seconds);
    if (!native) {
      return;
    }
    const auto leak = core::parse_leak_report(native->output);
    if (!leak) {
      // Under ptrace a SIGKILL is never seen as a stop, and LLDB reports the death as "exit status 9":
      // the native wait status tells a target that was killed from one that exited.
      // Only a death LLDB saw as exactly that status: a different native outcome is a flaky target.
      if (native->signal && !native->timed_out && st.snap.exit_status == *native->signal) {
        st.snap.cause = core::StopCause::signal;
        st.snap.signal = *native->signal;
        const char* abbrev = sigabbrev_np(*native->signal);
        st.snap.signal_name = abbrev != nullptr ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", *native->signal);
        st.snap.handler = st.snap.signal_name;
        st.snap.exit_status.reset();
        st.snap.events.push_back("native:signal:" + st.snap.signal_name);
        st.snap.stderr_text = core::tail(native->output, k_max_output_bytes);
        st.significant = true;
      }
      return;
    }
    st.snap.cause = core::StopCause::native_leak;
    st.snap.handler = "LeakSanitizer";
    st.snap.events.push_back("native:leak");
    st.snap.sanitizer = core::SanitizerReport{"LeakSanitizer", "detected memory leaks", std::nullopt,
                                              leak->bytes, std::nullopt, true};
    st.snap.exit_status = native->exit_status;
    st.snap.frames = symbolize_report_frames(target, leak->frames);
    st.snap.stderr_text = core::tail(native->output, k_max_output_bytes);
  }
};


}  // namespace triage::debugger
