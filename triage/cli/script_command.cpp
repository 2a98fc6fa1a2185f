#include "triage/cli/console.hpp"
#include "triage/cli/script_command.hpp"

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "triage/cli/exit_codes.hpp"
#include "triage/cli/inputs.hpp"
#include "triage/cli/report_output.hpp"
#include "triage/emit/lldb_script.hpp"
#include "triage/debugger/lldb_runtime.hpp"
#include "triage/debugger/session.hpp"

#ifndef TRIAGE_LLDB_SCRIPTS_DIR
#define TRIAGE_LLDB_SCRIPTS_DIR ""
#endif

namespace triage::cli {

std::string lldb_scripts_dir(const std::string& given) {
  std::string dir = given;
  if (dir.empty()) {
    const char* env = std::getenv("TRIAGE_LLDB_SCRIPTS");
    dir = env != nullptr ? env : TRIAGE_LLDB_SCRIPTS_DIR;
  }
  // lldb -b -s stops at the first failing command: import only what is there.
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::exists(std::filesystem::path(dir) / "triage_lldb.py", ec)) {
    say("triage: warning: no {}/triage_lldb.py: command files will not load the formatters\n", dir);
    dir.clear();
  }
  return dir;
}

void add_script_options(CLI::App* cmd, ScriptOptions& o) {
  cmd->add_option("binary", o.binary, "fuzz binary")->required();
  cmd->add_option("artifact", o.artifact, "crash artifact")->required();
  cmd->add_option("-o,--output", o.output, "command file to write (default: stdout)")->type_name("FILE");
  cmd->add_option("--scripts-dir", o.scripts_dir, "lldb_scripts directory the file imports (default: $TRIAGE_LLDB_SCRIPTS, then the source tree's)");
  cmd->add_option("-t,--timeout", o.timeout_seconds, "seconds before a run counts as a timeout")->check(CLI::Range(1u, 86400u));
  cmd->add_option("--lldb-server", o.lldb_server, "lldb-server to use");
  add_data_options(*cmd, o.data);
}

int run_script(const ScriptOptions& o) {
  auto cfg = load_tool_config(o.data);
  if (!cfg) {
    return report_error(cfg.error());
  }
  auto art = check_binary_and_artifact(o.binary, o.artifact);
  if (!art) {
    return report_error(art.error());
  }
  auto runtime = debugger::LldbRuntime::start({o.lldb_server, true});
  if (!runtime) {
    return report_error(runtime.error());
  }
  auto session = debugger::Session::open(o.binary, cfg->wrappers, cfg->schemas);
  if (!session) {
    return report_error(session.error());
  }
  debugger::RunOptions run;
  run.timeout_seconds = o.timeout_seconds;
  auto snap = (*session)->run(o.artifact, run);
  if (!snap) {
    return report_error(snap.error());
  }
  snap->artifact = *art;
  snap->binary = o.binary;
  const core::Report report = make_report(*snap, *cfg, core::k_default_signature_frames);
  if (report.result != core::ResultKind::crash) {
    return report_error({core::ErrorCode::usage, o.artifact + " does not crash: nothing to write a command file for"});
  }
  emit::LldbScriptOptions so;
  so.timeout_seconds = o.timeout_seconds;
  so.lldb_server = (*runtime)->lldb_server();
  so.scripts_dir = lldb_scripts_dir(o.scripts_dir);
  // The crash may come on the N-th call of a hot function: count the calls in a second run.
  if (report.blamed && report.classification.kind != core::CrashKind::timeout) {
    debugger::RunOptions count = run;
    count.count_hits_of = report.blamed->normalized;
    count.dump_devices = false;
    if (auto counted = (*session)->run(o.artifact, count); counted && counted->hit_count) {
      so.blamed_calls = counted->hit_count;
    }
  }
  if (auto written = write_output(emit::make_lldb_script(report, so), o.output); !written) {
    return report_error(written.error());
  }
  if (!o.output.empty()) {
    say("triage: wrote {}; run it with: {}\n", o.output,
        emit::lldb_run_command(o.output, o.binary, o.artifact, so.lldb_server));
  }
  return 0;
}

}  // namespace triage::cli
