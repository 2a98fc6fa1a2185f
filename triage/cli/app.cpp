#include "triage/cli/app.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "triage/campaign/child_cleanup.hpp"
#include "triage/cli/cli_conventions.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/cli/oneshot_command.hpp"
#include "triage/cli/subcommands.hpp"

namespace triage::cli {

int run_app(int argc, char** argv, const AppContext& context) {
  campaign::install_child_cleanup();
  CLI::App app{"triage: reproduce libFuzzer crash artifacts under LLDB, classify them, dump device state"};
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", "triage " TRIAGE_VERSION " (liblldb 19)");
  OneShotOptions oneshot;
  add_oneshot_options(app, oneshot);
  oneshot.sessions = context.sessions;
  CommandOptions options;
  const std::vector<CLI::App*> commands = add_subcommands(app, options);
  apply_cli_conventions(app);
  if (argc > 0) {
    app.name(argv[0]);
  }
  // `triage help [SUBCOMMAND]` is `triage [SUBCOMMAND] --help`.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == k_help_word && args.size() <= 2) {
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
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i]->parsed()) {
      return subcommands()[i].run(options);
    }
  }
  return run_oneshot(oneshot);
}

}  // namespace triage::cli
