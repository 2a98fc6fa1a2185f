#include "triage/cli/console.hpp"
#include "triage/cli/cli_conventions.hpp"
#include "triage/cli/core_command.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/cli/exit_codes.hpp"
#include "triage/cli/inputs.hpp"
#include "triage/cli/report_output.hpp"
#include "triage/core/elf_core.hpp"
#include "triage/core/stderr_report.hpp"
#include "triage/debugger/lldb_runtime.hpp"
#include "triage/debugger/native_run.hpp"
#include "triage/debugger/session.hpp"
#include "triage/emit/emitters.hpp"
#include "triage/emit/escape.hpp"
#include "triage/emit/formats.hpp"
#include "triage/debugger/target_environment.hpp"

namespace triage::cli {
namespace {

namespace fs = std::filesystem;

constexpr size_t k_max_log_bytes = 64 * 1024;

/// ASan and libFuzzer settings under which a crash ends in a core dump at the faulting instruction
/// (signals) or in abort() after the sanitizer report: ASan must abort instead of exiting and not
/// disable core dumps; libFuzzer must not catch the signals (it would _Exit instead).
constexpr const char* k_core_asan_options =
    "ASAN_OPTIONS=abort_on_error=1:disable_coredump=0:unmap_shadow_on_exit=1:detect_leaks=0:symbolize=0:"
    "color=never:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0";
constexpr const char* k_libfuzzer_core_flags[] = {"-handle_abrt=0", "-handle_segv=0", "-handle_bus=0",
                                                  "-handle_fpe=0",  "-handle_ill=0",  "-rss_limit_mb=0"};

std::string read_tail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return core::tail(text, k_max_log_bytes);
}

/// True when the binary carries libFuzzer's driver (its flags would be files to a replay binary).
bool is_libfuzzer_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes.find("handle_abrt") != std::string::npos && bytes.find("LLVMFuzzerTestOneInput") != std::string::npos;
}

std::string core_pattern() {
  std::ifstream in("/proc/sys/kernel/core_pattern");
  std::string line;
  std::getline(in, line);
  return line;
}

core::Result<core::CrashSnapshot> inspect_core(debugger::Session& session, const std::string& core_path,
                                               const CoreOptions& o) {
  const auto info = TRIAGE_TRY(core::read_elf_core(core_path));
  TRIAGE_TRY(core::check_core_matches(info, session.binary(), core_path));
  debugger::InspectOptions io;
  io.extra_roots = o.roots;
  io.dump_devices = !o.no_devices;
  auto snap = TRIAGE_TRY(session.load_core(core_path, io));
  if (!snap.signal && info.signal) {
    snap.signal = info.signal;
  }
  if (!snap.fault_address && info.fault_address) {
    snap.fault_address = info.fault_address;
  }
  std::string log = o.log;
  std::error_code ec;
  if (log.empty() && fs::exists(core_path + ".log", ec)) {
    log = core_path + ".log";
  }
  if (!log.empty()) {
    snap.stderr_text = read_tail(log);
  }
  return snap;
}

}  // namespace

void add_core_options(CLI::App* cmd, CoreOptions& o) {
  cmd->add_option("binary", o.binary, "the binary that dumped the cores")->required();
  cmd->add_option("cores", o.cores, "core files")->required()->type_name("FILE");
  cmd->add_option("--log", o.log, "stderr of the crashed run (one core; default: CORE.log when present)")
      ->type_name("FILE");
  add_format_option(*cmd, o.format, emit::report_formats(), "report format");
  cmd->add_option("-o,--output", o.output, "write the report(s) to FILE instead of stdout")->type_name("FILE");
  cmd->add_option("--lldb-server", o.lldb_server, "lldb-server to use");
  cmd->add_option("--root", o.roots, "extra device-state root expression")->type_name("EXPR");
  cmd->add_flag("--no-devices", o.no_devices, "do not dump device state");
  add_data_options(*cmd, o.data);
}

void add_make_core_options(CLI::App* cmd, MakeCoreOptions& o) {
  cmd->add_option("binary", o.binary, "fuzz binary")->required();
  cmd->add_option("artifacts", o.artifacts, "artifacts to run")->required();
  cmd->add_option("-o,--out-dir,--out", o.out_dir, "directory for <artifact>.core and <artifact>.core.log")
      ->type_name("DIR");
  cmd->add_option("-t,--timeout", o.timeout_seconds, "seconds per run")->check(CLI::Range(1u, 86400u));
}

int run_core(const CoreOptions& o) {
  auto cfg = load_tool_config(o.data);
  if (!cfg) {
    return report_error(cfg.error());
  }
  if (auto ok = check_binary(o.binary); !ok) {
    return report_error(ok.error());
  }
  if (!o.log.empty() && o.cores.size() != 1) {
    return report_error({core::ErrorCode::usage, "--log goes with one core file; name logs CORE.log for many"});
  }
  auto runtime = debugger::LldbRuntime::start({o.lldb_server, true});
  if (!runtime) {
    return report_error(runtime.error());
  }
  auto session = debugger::Session::open(o.binary, cfg->wrappers, cfg->schemas);
  if (!session) {
    return report_error(session.error());
  }
  std::vector<core::Report> reports;
  std::optional<core::Error> first_error;
  std::vector<double> load_ms;
  for (const auto& core_path : o.cores) {
    const auto start = std::chrono::steady_clock::now();
    auto snap = inspect_core(**session, core_path, o);
    load_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!snap) {
      if (o.cores.size() == 1) {
        return report_error(snap.error());
      }
      say("triage: error: {}\n", snap.error().message);
      first_error = first_error.value_or(snap.error());
      core::Report failed = core::error_report(o.binary, {}, snap.error().message);
      failed.source = "core";
      failed.core_file = core_path;
      reports.push_back(std::move(failed));
      continue;
    }
    reports.push_back(make_report(*snap, *cfg, o.signature_frames));
  }
  if (reports.size() == 1) {
    if (auto written = write_report(reports.front(), o.format, o.output); !written) {
      return report_error(written.error());
    }
  } else {
    std::string text;
    if (emit::report_format_from_string(o.format) == emit::ReportFormat::json) {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& r : reports) {
        all.push_back(emit::to_json(r));
      }
      text = emit::json_text(all) + "\n";
    } else {
      for (size_t i = 0; i < reports.size(); ++i) {
        text += fmt::format("{}==== core {}/{}: {} ====\n\n", i == 0 ? "" : "\n", i + 1, reports.size(), o.cores[i]);
        text += reports[i].result == core::ResultKind::error ? "triage: error: " + reports[i].error + "\n"
                                                              : emit::to_text(reports[i]);
      }
    }
    if (auto written = write_output(text, o.output); !written) {
      return report_error(written.error());
    }
    double rest = 0;
    for (size_t i = 1; i < load_ms.size(); ++i) {
      rest += load_ms[i];
    }
    say("triage core: {} cores, first {:.0f} ms, then {:.1f} ms each on average\n", load_ms.size(),
               load_ms.front(), rest / static_cast<double>(load_ms.size() - 1));
  }
  if (first_error) {
    return exit_code_for(first_error->code);
  }
  bool crashed = false;
  for (const auto& r : reports) {
    crashed = crashed || r.result == core::ResultKind::crash;
  }
  return crashed ? k_exit_crash : k_exit_no_repro;
}

int run_make_core(const MakeCoreOptions& o) {
  if (auto ok = check_binary(o.binary); !ok) {
    return report_error(ok.error());
  }
  const std::string pattern = core_pattern();
  if (pattern.starts_with("|")) {
    return report_error({core::ErrorCode::io_failed,
                         "kernel.core_pattern pipes cores to a handler (" + pattern +
                             "): set it to `core` (sysctl kernel.core_pattern=core) to get core files"});
  }
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  const bool libfuzzer = is_libfuzzer_binary(o.binary);
  int failures = 0;
  for (const auto& artifact : o.artifacts) {
    if (auto art = check_artifact(artifact, k_default_max_artifact_bytes); !art) {
      report_error(art.error());
      ++failures;
      continue;
    }
    const fs::path name = fs::path(artifact).filename();
    const fs::path workdir = fs::path(o.out_dir) / (name.string() + ".run");
    fs::remove_all(workdir, ec);
    fs::create_directories(workdir, ec);
    std::vector<std::string> argv{fs::absolute(o.binary).string()};
    if (libfuzzer) {
      argv.insert(argv.end(), std::begin(k_libfuzzer_core_flags), std::end(k_libfuzzer_core_flags));
    }
    argv.push_back(fs::absolute(artifact).string());
    auto env = debugger::controlled_environment(false, {});
    for (auto& e : env) {
      if (e.starts_with("ASAN_OPTIONS=")) {
        e = k_core_asan_options;
      }
    }
    const fs::path core_file = fs::path(o.out_dir) / (name.string() + ".core");
    const fs::path log_file = fs::path(o.out_dir) / (name.string() + ".core.log");
    auto run = debugger::run_native(argv, env, log_file.string(), o.timeout_seconds, {workdir.string(), true});
    if (!run) {
      report_error(run.error());
      ++failures;
      continue;
    }
    // core_pattern `core` or `core.%p`-like: take the one core file the run left in its directory.
    fs::path dumped;
    for (const auto& entry : fs::directory_iterator(workdir, ec)) {
      if (entry.path().filename().string().starts_with("core")) {
        dumped = entry.path();
      }
    }
    if (dumped.empty()) {
      say("triage: error: {}: no core dumped ({}; core_pattern `{}`, check `ulimit -Hc`)\n",
                 artifact,
                 run->timed_out ? "timed out"
                 : run->signal  ? fmt::format("killed by signal {}", *run->signal)
                                : fmt::format("exit status {}", run->exit_status.value_or(-1)),
                 pattern);
      ++failures;
    } else {
      fs::rename(dumped, core_file, ec);
      if (auto written = write_stdout(core_file.string() + "\n"); !written) {
        return report_error(written.error());
      }
    }
    fs::remove_all(workdir, ec);
  }
  return failures == 0 ? 0 : exit_code_for(core::ErrorCode::launch_failed);
}

}  // namespace triage::cli
