#pragma once
// `triage core <binary> <core>...`: the one-shot report from ELF core files, one debugger for all of
// them. `triage make-core <binary> <artifact>...`: runs artifacts natively with the settings that make
// a libFuzzer + ASan binary dump a core, one working directory per run (core_pattern may be `core`).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/core/signature.hpp"
#include "triage/cli/tool_config.hpp"

namespace triage::cli {

struct CoreOptions {
  std::string binary;
  std::vector<std::string> cores;
  std::string log;  ///< the crashed run's stderr (one core); default: <core>.log when it exists
  std::string format = "text";
  std::string output;
  std::string lldb_server;
  std::vector<std::string> roots;
  bool no_devices = false;
  size_t signature_frames = core::k_default_signature_frames;
  DataOptions data;
};

struct MakeCoreOptions {
  std::string binary;
  std::vector<std::string> artifacts;
  std::string out_dir = "cores";
  uint32_t timeout_seconds = 30;
};

/// Declares the options of `core` on its subcommand (cli/subcommands.cpp makes it).
void add_core_options(CLI::App* cmd, CoreOptions& options);
/// Declares the options of `make-core` on its subcommand (cli/subcommands.cpp makes it).
void add_make_core_options(CLI::App* cmd, MakeCoreOptions& options);
int run_core(const CoreOptions& options);
int run_make_core(const MakeCoreOptions& options);

}  // namespace triage::cli
