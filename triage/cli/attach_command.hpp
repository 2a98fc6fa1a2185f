#pragma once
// `triage attach --pid N [binary]`: stop a live process, capture every thread and the device state,
// detach (or kill with --kill). Same report formats as one-shot.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/core/signature.hpp"
#include "triage/cli/tool_config.hpp"

namespace triage::cli {

struct AttachOptions {
  int64_t pid = 0;
  std::string binary;  ///< default: /proc/<pid>/exe
  bool kill = false;
  std::string format = "text";
  std::string output;
  std::string lldb_server;
  std::vector<std::string> roots;
  bool no_devices = false;
  size_t signature_frames = core::k_default_signature_frames;
  DataOptions data;
};

/// Declares the options of `attach` on its subcommand (cli/subcommands.cpp makes it).
void add_attach_options(CLI::App* cmd, AttachOptions& options);
int run_attach(const AttachOptions& options);

}  // namespace triage::cli
