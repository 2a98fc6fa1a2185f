#pragma once
// `triage attach --pid N [binary]`: stop a live process, capture every thread and the device state,
// detach (or kill with --kill). Same report formats as one-shot.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

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
  size_t signature_frames = 3;
  DataOptions data;
};

CLI::App* add_attach_command(CLI::App& app, AttachOptions& options);
int run_attach(const AttachOptions& options);

}  // namespace triage::cli
