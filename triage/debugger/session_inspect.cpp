// Session::attach and Session::load_core: a live process and ELF core files, through the same
// debugger and device walk as a run.
#include "triage/debugger/session.hpp"

#include <chrono>

#include "triage/debugger/session_impl.hpp"

namespace triage::debugger {

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
