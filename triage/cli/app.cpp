#include "triage/cli/app.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "triage/campaign/child_cleanup.hpp"
#include "triage/cli/attach_command.hpp"
#include "triage/cli/bulk_command.hpp"
#include "triage/cli/cli_conventions.hpp"
#include "triage/cli/compare_command.hpp"
#include "triage/cli/core_command.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/cli/merge_command.hpp"
#include "triage/cli/minimize_command.hpp"
#include "triage/cli/oneshot_command.hpp"
#include "triage/cli/replay_command.hpp"
#include "triage/cli/script_command.hpp"
#include "triage/cli/serve_command.hpp"
#include "triage/cli/report_command.hpp"

namespace triage::cli {

int run_app(int argc, char** argv, const AppContext& context) {
  campaign::install_child_cleanup();
  CLI::App app{"triage: reproduce libFuzzer crash artifacts under LLDB, classify them, dump device state"};
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", "triage " TRIAGE_VERSION " (liblldb 19)");
  OneShotOptions oneshot;
  add_oneshot_options(app, oneshot);
  oneshot.sessions = context.sessions;
  ServeOptions serve;
  CLI::App* serve_cmd = add_serve_command(app, serve);
  ReplayOptions replay;
  CLI::App* replay_cmd = add_replay_command(app, replay);
  BulkOptions bulk;
  CLI::App* bulk_cmd = add_bulk_command(app, bulk);
  ReportOptions report;
  CLI::App* report_cmd = add_report_command(app, report);
  AttachOptions attach;
  CLI::App* attach_cmd = add_attach_command(app, attach);
  CoreOptions core_opts;
  CLI::App* core_cmd = add_core_command(app, core_opts);
  MakeCoreOptions make_core;
  CLI::App* make_core_cmd = add_make_core_command(app, make_core);
  ScriptOptions script;
  CLI::App* script_cmd = add_script_command(app, script);
  MergeOptions merge;
  CLI::App* merge_cmd = add_merge_command(app, merge);
  MinimizeOptions minimize;
  CLI::App* minimize_cmd = add_minimize_command(app, minimize);
  CompareOptions compare;
  CLI::App* compare_cmd = add_compare_command(app, compare);
  apply_cli_conventions(app);
  if (argc > 0) {
    app.name(argv[0]);
  }
  // `triage help [SUBCOMMAND]` is `triage [SUBCOMMAND] --help`.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "help" && args.size() <= 2) {
    args.erase(args.begin());
    args.emplace_back("--help");
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a vector from its back
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : exit_code_for(core::ErrorCode::usage);
  }
  if (bulk_cmd->parsed()) {
    return run_bulk(bulk);
  }
  if (report_cmd->parsed()) {
    return run_report(report);
  }
  if (attach_cmd->parsed()) {
    return run_attach(attach);
  }
  if (core_cmd->parsed()) {
    return run_core(core_opts);
  }
  if (make_core_cmd->parsed()) {
    return run_make_core(make_core);
  }
  if (script_cmd->parsed()) {
    return run_script(script);
  }
  if (minimize_cmd->parsed()) {
    return run_minimize(minimize);
  }
  if (compare_cmd->parsed()) {
    return run_compare(compare);
  }
  if (merge_cmd->parsed()) {
    return run_merge(merge);
  }
  if (serve_cmd->parsed()) {
    return run_serve(serve);
  }
  if (replay_cmd->parsed()) {
    return run_replay(replay);
  }
  return run_oneshot(oneshot);
}

}  // namespace triage::cli
