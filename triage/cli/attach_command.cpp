#include "triage/cli/attach_command.hpp"
#include "triage/cli/cli_conventions.hpp"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "triage/cli/exit_codes.hpp"
#include "triage/cli/inputs.hpp"
#include "triage/cli/report_output.hpp"
#include "triage/debugger/lldb_runtime.hpp"
#include "triage/debugger/session.hpp"

namespace triage::cli {
namespace {

namespace fs = std::filesystem;

/// The pid names a process we may trace; its executable.
core::Result<std::string> process_executable(int64_t pid) {
  if (pid <= 0) {
    return core::make_error(core::ErrorCode::usage, fmt::format("--pid {} is not a process id", pid));
  }
  if (::kill(static_cast<pid_t>(pid), 0) != 0) {
    if (errno == ESRCH) {
      return core::make_error(core::ErrorCode::process_missing, fmt::format("no process with pid {}", pid));
    }
    return core::make_error(core::ErrorCode::attach_denied,
                            fmt::format("not allowed to attach to pid {}: {}", pid, std::strerror(errno)));
  }
  std::error_code ec;
  const auto exe = fs::read_symlink(fmt::format("/proc/{}/exe", pid), ec);
  if (ec) {
    return core::make_error(core::ErrorCode::attach_denied,
                            fmt::format("cannot read the executable of pid {}: {}", pid, ec.message()));
  }
  return exe.string();
}

}  // namespace

void add_attach_options(CLI::App* cmd, AttachOptions& o) {
  cmd->add_option("--pid", o.pid, "process to attach to")->required();
  cmd->add_option("binary", o.binary, "its binary (default: /proc/PID/exe)");
  cmd->add_flag("--kill", o.kill, "kill the process afterwards instead of detaching");
  add_format_option(*cmd, o.format, emit::report_formats(), "report format");
  cmd->add_option("-o,--output", o.output, "write the report to FILE instead of stdout")->type_name("FILE");
  cmd->add_option("--lldb-server", o.lldb_server, "lldb-server to use");
  cmd->add_option("--root", o.roots, "extra device-state root expression")->type_name("EXPR");
  cmd->add_flag("--no-devices", o.no_devices, "do not dump device state");
  add_data_options(*cmd, o.data);
}

int run_attach(const AttachOptions& o) {
  auto cfg = load_tool_config(o.data);
  if (!cfg) {
    return report_error(cfg.error());
  }
  auto exe = process_executable(o.pid);
  if (!exe) {
    return report_error(exe.error());
  }
  const std::string binary = o.binary.empty() ? *exe : o.binary;
  if (auto ok = check_binary(binary); !ok) {
    return report_error(ok.error());
  }
  std::error_code ec;
  if (!o.binary.empty() && !fs::equivalent(binary, *exe, ec)) {
    return report_error({core::ErrorCode::usage, fmt::format("pid {} runs {}, not {}", o.pid, *exe, binary)});
  }
  auto runtime = debugger::LldbRuntime::start({o.lldb_server, true});
  if (!runtime) {
    return report_error(runtime.error());
  }
  auto session = debugger::Session::open(binary, cfg->wrappers, cfg->schemas);
  if (!session) {
    return report_error(session.error());
  }
  debugger::InspectOptions io;
  io.extra_roots = o.roots;
  io.dump_devices = !o.no_devices;
  io.kill_after = o.kill;
  auto snap = (*session)->attach(o.pid, io);
  if (!snap) {
    return report_error(snap.error());
  }
  core::Report report = make_report(*snap, *cfg, o.signature_frames);
  report.after_attach = o.kill ? "killed" : "detached, still running";
  if (auto written = write_report(report, o.format, o.output); !written) {
    return report_error(written.error());
  }
  return 0;
}

}  // namespace triage::cli
