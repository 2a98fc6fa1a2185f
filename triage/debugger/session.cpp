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

#include <lldb/API/SBListener.h>

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

namespace triage::debugger {
namespace {

constexpr uint32_t k_max_stops = 64;
constexpr size_t k_max_output_bytes = 64 * 1024;

bool is_fatal_signal(int signo) {
  return signo == SIGSEGV || signo == SIGBUS || signo == SIGFPE || signo == SIGILL || signo == SIGABRT;
}

bool frames_mention(const std::vector<core::Frame>& frames, std::string_view needle) {
  for (const auto& f : frames) {
    if (f.function.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

/// Hands the target a connected lldb-server forked by the zygote: Launch then uses it instead of
/// forking this process to start one. False (the target as it was) when it does not connect.
bool connect_forked_server(lldb::SBDebugger& debugger, lldb::SBTarget& target, const ForkedServer& server) {
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

}  // namespace

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

Session::Session(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) { m_binary = m_impl->binary; }

core::Result<std::unique_ptr<Session>> Session::open(const std::string& binary, const core::WrapperRules& rules,
                                                     const core::SchemaSet& schemas) {
  auto impl = std::make_unique<Impl>(rules, schemas);
  impl->binary = std::filesystem::absolute(binary).string();
  impl->debugger = lldb::SBDebugger::Create(false);
  if (!impl->debugger.IsValid()) {
    return core::make_error(core::ErrorCode::debugger_failed, "cannot create an LLDB debugger");
  }
  impl->debugger.SetAsync(false);
  // LLDB reports ("AddressSanitizer report breakpoint hit") would go to our stdout.
  impl->devnull_out = std::fopen("/dev/null", "w");
  impl->devnull_err = std::fopen("/dev/null", "w");
  impl->debugger.SetOutputFileHandle(impl->devnull_out, false);
  impl->debugger.SetErrorFileHandle(impl->devnull_err, false);
  configure_batch_debugger(impl->debugger);
  impl->workdir = TRIAGE_TRY(make_scratch_dir("session"));
  if (auto created = impl->create_target(); !created) {
    remove_scratch_dir(impl->workdir);
    lldb::SBDebugger::Destroy(impl->debugger);
    return std::unexpected(created.error());
  }
  lldb::SBModule exe = impl->target.GetModuleAtIndex(0);
  if (!exe.IsValid() || exe.GetNumSymbols() == 0) {
    remove_scratch_dir(impl->workdir);
    lldb::SBDebugger::Destroy(impl->debugger);
    return core::make_error(core::ErrorCode::binary_stripped, binary + " has no symbols (stripped binary)");
  }
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

Session::~Session() {
  if (m_impl->target.IsValid()) {
    lldb::SBProcess p = m_impl->target.GetProcess();
    if (p.IsValid() && p.GetState() != lldb::eStateExited && p.GetState() != lldb::eStateInvalid) {
      p.Kill();
    }
    m_impl->debugger.DeleteTarget(m_impl->target);
  }
  lldb::SBDebugger::Destroy(m_impl->debugger);
  if (m_impl->devnull_out != nullptr) {
    std::fclose(m_impl->devnull_out);
  }
  if (m_impl->devnull_err != nullptr) {
    std::fclose(m_impl->devnull_err);
  }
  remove_scratch_dir(m_impl->workdir);
}

bool Session::has_debug_info() const {
  lldb::SBModule exe = m_impl->target.GetModuleAtIndex(0);
  return exe.IsValid() && exe.GetNumCompileUnits() > 0;
}

void Session::use_knowledge(const core::WrapperRules& rules, const core::SchemaSet& schemas) {
  m_impl->roots.use(rules, schemas);
}

core::Result<void> Session::recreate_target() {
  m_impl->debugger.DeleteTarget(m_impl->target);
  return m_impl->create_target();
}

core::Result<core::CrashSnapshot> Session::run(const std::string& artifact, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Impl& im = *m_impl;
  Impl::RunState st;
  st.output_path = (im.workdir / "run.out").string();
  st.snap.binary = im.binary;
  st.snap.artifact.path = artifact;
  st.snap.timeout_seconds = options.timeout_seconds;

  const auto& out_path = st.output_path;
  ::unlink(out_path.c_str());
  std::vector<std::string> args = options.extra_args;
  args.push_back(std::filesystem::absolute(artifact).string());
  std::vector<const char*> argv;
  for (const auto& a : args) {
    argv.push_back(a.c_str());
  }
  argv.push_back(nullptr);
  lldb::SBLaunchInfo info(argv.data());
  const auto env = controlled_environment(true, options.extra_env);
  std::vector<const char*> envp;
  for (const auto& e : env) {
    envp.push_back(e.c_str());
  }
  envp.push_back(nullptr);
  info.SetEnvironmentEntries(envp.data(), false);
  info.AddOpenFileAction(0, "/dev/null", true, false);
  info.AddOpenFileAction(1, out_path.c_str(), false, true);
  info.AddOpenFileAction(2, out_path.c_str(), false, true);
  info.SetWorkingDirectory(im.workdir.c_str());
  // Stop at entry so the watchdog holds the process before any user code runs.
  // In a process group of its own: whatever it forks is killed with it at the end of the run.
  info.SetLaunchFlags(info.GetLaunchFlags() | lldb::eLaunchFlagStopAtEntry |
                      lldb::eLaunchFlagLaunchInSeparateProcessGroup);

  lldb::SBBreakpoint counter;
  if (!options.count_hits_of.empty()) {
    counter = im.target.BreakpointCreateByName(options.count_hits_of.c_str());
    counter.SetAutoContinue(true);
  }
  lldb::SBError err;
  // With a zygote, LLDB is handed a connected lldb-server instead of forking this process to start one.
  // Kept to the end of the run: closing it has the zygote kill a server that is somehow still there.
  const auto server = fork_lldb_server();
  if (server) {
    connect_forked_server(im.debugger, im.target, *server);
  }
  lldb::SBProcess process = im.target.Launch(info, err);
  if (!process.IsValid() || err.Fail()) {
    return std::unexpected(to_error(err, core::ErrorCode::launch_failed, "cannot launch " + im.binary));
  }
  const auto target_pid = static_cast<int64_t>(process.GetProcessID());
  InferiorReaper::launched(target_pid);
  disable_ubsan_report_breakpoint(im.target, im.ubsan_breakpoint_id);
  {
    Watchdog watchdog(process, std::chrono::seconds(options.timeout_seconds));
    process.Continue();
    for (uint32_t stops = 0; stops < k_max_stops; ++stops) {
      const lldb::StateType state = process.GetState();
      if (state == lldb::eStateExited) {
        st.snap.exit_status = process.GetExitStatus();
        st.snap.events.push_back(fmt::format("exit:{}", process.GetExitStatus()));
        break;
      }
      if (state != lldb::eStateStopped) {
        st.snap.events.push_back(fmt::format("state:{}", lldb::SBDebugger::StateAsCString(state)));
        break;
      }
      if (watchdog.fired()) {
        st.snap.events.emplace_back("watchdog");
        if (!st.significant) {
          lldb::SBThread t = harness_thread(process);
          im.record_crash(st, t, core::StopCause::watchdog, "watchdog", options);
        }
        break;
      }
      im.on_stop(st, process, options);
      if (st.terminal) {
        break;
      }
      process.Continue();
    }
    const lldb::StateType final_state = process.GetState();
    if (final_state != lldb::eStateExited && final_state != lldb::eStateInvalid && final_state != lldb::eStateDetached) {
      process.Kill();
    }
  }
  if (target_pid > 0) {
    ::kill(static_cast<pid_t>(-target_pid), SIGKILL);
  }
  InferiorReaper::finished(target_pid);
  if (counter.IsValid()) {
    st.snap.hit_count = counter.GetHitCount();
    im.target.BreakpointDelete(counter.GetID());
  }
  // The tail the report keeps (a chatty target can print megabytes; the reports come last).
  st.snap.stderr_text = core::tail(read_file(out_path), k_max_output_bytes);
  if (!st.snap.sanitizer) {
    // UBSan in recover mode: its findings are read from the output (see disable_ubsan_report_breakpoint).
    if (auto ub = core::ubsan_report_from_text(st.snap.stderr_text)) {
      st.snap.events.push_back(fmt::format("sanitizer:{}:{}", ub->tool, ub->description));
      st.snap.sanitizer = std::move(ub);
    }
  }
  if (st.snap.sanitizer && st.snap.sanitizer->fatal) {
    // The free and allocation stacks ASan printed, unsymbolized (the debugged run has no symbolizer).
    auto evidence = core::parse_sanitizer_evidence(st.snap.stderr_text);
    st.snap.sanitizer_region = std::move(evidence.region);
    for (auto& stack : evidence.stacks) {
      st.snap.sanitizer_stacks.push_back(
          {std::move(stack.role), std::move(stack.title), symbolize_report_frames(im.target, stack.frames)});
    }
  }
  if (!st.significant && options.native_leak_check) {
    im.native_leak_check(st, args, options);
  }
  st.snap.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return std::move(st.snap);
}

namespace {

RunOptions run_options_for(const InspectOptions& o) {
  RunOptions r;
  r.max_frames = o.max_frames;
  r.extra_roots = o.extra_roots;
  r.dump_devices = o.dump_devices;
  return r;
}

core::ErrorCode attach_error_code(const std::string& message) {
  if (message.find("not permitted") != std::string::npos || message.find("denied") != std::string::npos) {
    return core::ErrorCode::attach_denied;
  }
  if (message.find("No such process") != std::string::npos || message.find("no such process") != std::string::npos) {
    return core::ErrorCode::process_missing;
  }
  return core::ErrorCode::attach_denied;
}

}  // namespace

core::Result<core::CrashSnapshot> Session::attach(int64_t pid, const InspectOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Impl& im = *m_impl;
  lldb::SBListener listener = im.debugger.GetListener();
  lldb::SBError err;
  lldb::SBProcess process = im.target.AttachToProcessWithID(listener, static_cast<lldb::pid_t>(pid), err);
  if (!process.IsValid() || err.Fail()) {
    const std::string why = err.GetCString() != nullptr ? err.GetCString() : "unknown error";
    if (process.IsValid()) {
      process.Detach();
    }
    return core::make_error(attach_error_code(why), fmt::format("cannot attach to pid {}: {}", pid, why));
  }
  // Whatever happens below, the process is left running (or killed when asked), never stopped.
  struct Release {
    lldb::SBProcess& process;
    bool kill;
    ~Release() {
      const lldb::StateType state = process.GetState();
      if (state == lldb::eStateExited || state == lldb::eStateDetached || state == lldb::eStateInvalid) {
        return;
      }
      if (kill) {
        process.Kill();
      } else {
        process.Detach(false);
      }
    }
  } release{process, options.kill_after};

  Impl::RunState st;
  st.snap.binary = im.binary;
  st.snap.source = "attach";
  st.snap.pid = pid;
  st.snap.threads = capture_threads(process, options.max_frames);
  lldb::SBThread thread = harness_thread(process);
  im.record_crash(st, thread, core::StopCause::attach, "attach", run_options_for(options));
  st.snap.events.emplace_back("attach");
  st.snap.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return std::move(st.snap);
}

core::Result<core::CrashSnapshot> Session::load_core(const std::string& core_path, const InspectOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Impl& im = *m_impl;
  lldb::SBError err;
  lldb::SBTarget target = im.debugger.CreateTarget(im.binary.c_str(), nullptr, nullptr, false, err);
  if (!target.IsValid() || err.Fail()) {
    return std::unexpected(to_error(err, core::ErrorCode::binary_not_elf, "cannot load " + im.binary));
  }
  struct DeleteTarget {
    lldb::SBDebugger& debugger;
    lldb::SBTarget& target;
    ~DeleteTarget() { debugger.DeleteTarget(target); }
  } cleanup{im.debugger, target};
  lldb::SBProcess process = target.LoadCore(core_path.c_str(), err);
  if (!process.IsValid() || err.Fail()) {
    return std::unexpected(to_error(err, core::ErrorCode::core_invalid, "cannot read core file " + core_path));
  }
  Impl::RunState st;
  st.snap.binary = im.binary;
  st.snap.source = "core";
  st.snap.core_file = core_path;
  st.snap.threads = capture_threads(process, options.max_frames);
  lldb::SBThread thread = stopped_thread(process);
  core::StopCause cause = core::StopCause::none;
  std::string handler = "core";
  if (thread.GetStopReason() == lldb::eStopReasonSignal) {
    const SignalInfo sig = read_signal(process, thread);
    st.snap.signal = sig.signo;
    st.snap.signal_name = sig.name;
    st.snap.fault_address = sig.fault_address;
    st.snap.events.push_back("core:" + sig.name);
    cause = core::StopCause::signal;
    handler = sig.name;
  }
  im.record_crash_in(target, st, thread, cause, handler, run_options_for(options));
  if (cause == core::StopCause::none) {
    st.snap.cause = core::StopCause::none;
  }
  // A process that dumped core inside a sanitizer's death path (its abort after the report) stopped
  // where the runtime reports, as a live run stops at the death breakpoint: the report it wrote is its.
  for (const auto& h : handler_breakpoints()) {
    if (cause == core::StopCause::signal && h.role == HandlerRole::sanitizer_death &&
        frames_mention(st.snap.frames, h.symbol)) {
      st.snap.cause = core::StopCause::sanitizer;
      st.snap.events.push_back("core:in:" + std::string(h.symbol));
      break;
    }
  }
  st.snap.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return std::move(st.snap);
}

}  // namespace triage::debugger
