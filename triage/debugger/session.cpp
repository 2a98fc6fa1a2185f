#include "triage/debugger/session.hpp"

#include "triage/debugger/session_impl.hpp"
#include "triage/debugger/target_environment.hpp"

namespace triage::debugger {

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

}  // namespace triage::debugger
