#include "triage/cli/replay_command.hpp"

#include <filesystem>

#include "triage/cli/exit_codes.hpp"
#include "triage/cli/inputs.hpp"
#include "triage/cli/report_output.hpp"
#include "triage/core/native_report.hpp"
#include "triage/core/report.hpp"
#include "triage/debugger/native_run.hpp"
#include "triage/debugger/scratch_dir.hpp"
#include "triage/debugger/session.hpp"

#ifndef TRIAGE_LLVM_SYMBOLIZER
#define TRIAGE_LLVM_SYMBOLIZER "/usr/lib/llvm-19/bin/llvm-symbolizer"
#endif

namespace triage::cli {

CLI::App* add_replay_command(CLI::App& app, ReplayOptions& o) {
  CLI::App* cmd = app.add_subcommand("replay", "run an artifact natively (no debugger) and classify the crash");
  cmd->add_option("binary", o.binary, "fuzz binary (libFuzzer or replay)")->required();
  cmd->add_option("artifact", o.artifact, "artifact to run")->required();
  cmd->add_option("-f,--format", o.format, "report format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-t,--timeout", o.timeout_seconds, "seconds before the run counts as a timeout")
      ->check(CLI::Range(1u, 86400u));
  cmd->add_option("--fuzzer-arg", o.fuzzer_args, "argument passed before the artifact (e.g. -timeout=3)");
  cmd->add_option("--env", o.env, "NAME=VALUE added to the environment")->type_name("NAME=VALUE");
  cmd->add_option("--ignore", o.data.ignore_files, "extra frame ignore list TOML file")->type_name("FILE");
  return cmd;
}

int run_replay(const ReplayOptions& o) {
  const auto fail = [&o](const core::Error& error) {
    return report_failure(error, o.format, "", o.binary, o.artifact);
  };
  auto cfg = load_tool_config(o.data);
  if (!cfg) {
    return fail(cfg.error());
  }
  auto art = check_binary_and_artifact(o.binary, o.artifact);
  if (!art) {
    return fail(art.error());
  }
  std::vector<std::string> argv{o.binary};
  argv.insert(argv.end(), o.fuzzer_args.begin(), o.fuzzer_args.end());
  argv.push_back(std::filesystem::absolute(o.artifact).string());
  // Natively ASan symbolizes its own report with the pinned llvm-symbolizer; abort() gets an ASan
  // report with a stack (replay binaries have no libFuzzer handler); a huge allocation in a binary
  // without libFuzzer's malloc limit (2048 MiB) is reported instead of being attempted.
  std::vector<std::string> env = debugger::controlled_environment(false, {});
  for (auto& e : env) {
    if (e.starts_with("ASAN_OPTIONS=")) {
      e = std::string("ASAN_OPTIONS=detect_leaks=1:symbolize=1:color=never:handle_abort=1:max_allocation_size_mb=2047:"
                      "allocator_may_return_null=0:external_symbolizer_path=") +
          TRIAGE_LLVM_SYMBOLIZER;
    } else if (e.starts_with("RUST_BACKTRACE=")) {
      e = "RUST_BACKTRACE=1";  // a Rust target has no sanitizer stack: the panic hook prints one
    } else if (e.starts_with("UBSAN_OPTIONS=") || e.starts_with("LSAN_OPTIONS=")) {
      e = e.substr(0, e.find('=') + 1) + "symbolize=1:color=never";
    }
  }
  env.insert(env.end(), o.env.begin(), o.env.end());
  const auto dir = debugger::make_scratch_dir("replay");
  if (!dir) {
    return fail(dir.error());
  }
  auto run = debugger::run_native(argv, env, *dir + "/out", o.timeout_seconds);
  debugger::remove_scratch_dir(*dir);
  if (!run) {
    return fail(run.error());
  }
  core::NativeRun native{run->exit_status, run->signal, run->timed_out, o.timeout_seconds, run->output};
  core::CrashSnapshot snap = core::snapshot_from_native_run(native);
  snap.binary = std::filesystem::absolute(o.binary).string();
  snap.artifact = *art;
  snap.elapsed_ms = run->elapsed_ms;
  core::AnalysisConfig ac;
  ac.ignore = &cfg->ignore;
  ac.schemas = &cfg->schemas;
  core::Report report = core::analyze(snap, ac);
  report.reproduce_command = reproduce_command(o.binary, o.artifact);
  if (auto written = write_report(report, o.format, ""); !written) {
    return report_error(written.error());
  }
  return report.result == core::ResultKind::crash ? k_exit_crash : k_exit_no_repro;
}

}  // namespace triage::cli
