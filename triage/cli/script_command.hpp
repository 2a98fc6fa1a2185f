#pragma once
// `triage script <binary> <artifact>`: runs the artifact (twice: the crash, then counting the calls of
// the blamed function) and writes an lldb command file for the interactive follow-up.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/cli/tool_config.hpp"

namespace triage::cli {

struct ScriptOptions {
  std::string binary;
  std::string artifact;
  std::string output;       ///< the command file; stdout when empty
  std::string scripts_dir;  ///< lldb_scripts/ to import; default: the source tree's
  uint32_t timeout_seconds = 10;
  std::string lldb_server;
  DataOptions data;
};

/// The lldb_scripts/ directory command files import: `given`, else $TRIAGE_LLDB_SCRIPTS, else the
/// source tree's; empty (with a warning) when it holds no triage_lldb.py.
std::string lldb_scripts_dir(const std::string& given);

/// Declares the options of `script` on its subcommand (cli/subcommands.cpp makes it).
void add_script_options(CLI::App* cmd, ScriptOptions& options);
int run_script(const ScriptOptions& options);

}  // namespace triage::cli
