#pragma once
// The engine's command table, as ninja's kTools[]: each subcommand of subcommand_names.hpp bound to
// the function declaring its options and the one running it, over one struct holding every
// subcommand's options. A new subcommand is a row here and a name there.
#include <CLI/CLI.hpp>

#include <span>

#include "triage/cli/attach_command.hpp"
#include "triage/cli/bulk_command.hpp"
#include "triage/cli/compare_command.hpp"
#include "triage/cli/core_command.hpp"
#include "triage/cli/merge_command.hpp"
#include "triage/cli/minimize_command.hpp"
#include "triage/cli/replay_command.hpp"
#include "triage/cli/report_command.hpp"
#include "triage/cli/script_command.hpp"
#include "triage/cli/serve_command.hpp"
#include "triage/cli/subcommand_names.hpp"

namespace triage::cli {

struct CommandOptions {
  ServeOptions serve;
  ReplayOptions replay;
  BulkOptions bulk;
  ReportOptions report;
  AttachOptions attach;
  CoreOptions core;
  MakeCoreOptions make_core;
  ScriptOptions script;
  MergeOptions merge;
  MinimizeOptions minimize;
  CompareOptions compare;
};

struct Subcommand {
  SubcommandId id;
  void (*declare)(CLI::App* cmd, CommandOptions& options);
  int (*run)(const CommandOptions& options);
};

/// One row per subcommand, in k_subcommand_names' order.
std::span<const Subcommand> subcommands();

/// Adds every subcommand to `app` (name and help from subcommand_names.hpp, options from the table);
/// returns them in table order.
std::vector<CLI::App*> add_subcommands(CLI::App& app, CommandOptions& options);

}  // namespace triage::cli
