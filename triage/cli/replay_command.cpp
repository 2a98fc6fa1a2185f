#include "triage/cli/replay_command.hpp"
#include "triage/cli/cli_conventions.hpp"

#include <filesystem>

#include "triage/cli/exit_codes.hpp"
#include "triage/cli/inputs.hpp"
#include "triage/cli/report_output.hpp"
#include "triage/core/native_report.hpp"
#include "triage/core/report.hpp"
#include "triage/debugger/native_replay.hpp"
#include "triage/core/reproduce.hpp"

namespace triage::cli {

void add_replay_options(CLI::App* cmd, ReplayOptions& o) {
  cmd->add_option("binary", o.binary, "fuzz binary (libFuzzer or replay)")->required();
  cmd->add_option("artifact", o.artifact, "artifact to run")->required();
  add_format_option(*cmd, o.format, emit::report_formats(), "report format");
  cmd->add_option("-t,--timeout", o.timeout_seconds, "seconds before the run counts as a timeout")
      ->check(CLI::Range(1u, 86400u));
  cmd->add_option("--fuzzer-arg", o.fuzzer_args, "argument passed before the artifact (e.g. -timeout=3)");
  cmd->add_option("--env", o.env, "NAME=VALUE added to the environment")->type_name("NAME=VALUE");
  cmd->add_option("--ignore", o.data.ignore_files, "extra frame ignore list TOML file")->type_name("FILE");
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
  auto replayer = debugger::NativeReplayer::open(o.binary, {o.fuzzer_args, o.env, o.timeout_seconds});
  if (!replayer) {
    return fail(replayer.error());
  }
  auto snap = replayer->run(o.artifact);
  if (!snap) {
    return fail(snap.error());
  }
  snap->artifact = *art;
  core::AnalysisConfig ac;
  ac.ignore = &cfg->ignore;
  ac.schemas = &cfg->schemas;
  core::Report report = core::analyze(*snap, ac);
  report.reproduce_command = core::reproduce_command(o.binary, o.artifact);
  if (auto written = write_report(report, o.format, ""); !written) {
    return report_error(written.error());
  }
  return report.result == core::ResultKind::crash ? k_exit_crash : k_exit_no_repro;
}

}  // namespace triage::cli
