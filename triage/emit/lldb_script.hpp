#pragma once
// An lldb command file for the interactive follow-up of one report, in the style of the fuzzing
// guide: auto-confirm, a breakpoint on the handler that fired (and on the N-th call of a hot blamed
// function), run, bt, frame select of the blamed frame, frame variable, the paths of the device
// registers, and the lldb_scripts device dump. Runnable as `lldb -b -s FILE -- BINARY ARTIFACT` (the
// lldb and lldb-server of the build: TRIAGE_LLDB_CLI, TRIAGE_LLDB_SERVER).
#include <optional>
#include <string>
#include <vector>

#include "triage/core/report.hpp"

namespace triage::emit {

using core::Report;

struct LldbScriptOptions {
  std::string scripts_dir;               ///< lldb_scripts/ (triage_lldb.py is imported from it); empty: none
  std::string lldb_server;               ///< for the comment telling how to run it; empty: the build's
  std::optional<uint32_t> blamed_calls;  ///< calls of the blamed function up to the crash, counted by a rerun
  uint32_t max_hot_calls = 100000;       ///< above this, no call-count breakpoint (it would crawl)
  uint32_t timeout_seconds = 10;         ///< libFuzzer -timeout for timeout reports
  std::vector<std::string> extra_env;    ///< NAME=VALUE the run had (bulk --env), set for the target too
};

/// The command file for `report` (a crash; also a leak: the allocation site is stopped at instead).
std::string make_lldb_script(const Report& report, const LldbScriptOptions& options);

/// The handler breakpoint the script sets for a report, or empty when lldb stops by itself (signals,
/// sanitizer reports). Exposed for tests.
std::string script_handler_breakpoint(const Report& report);

/// For a crash: sets the report's reproduce line and its lldb command file (what a bulk worker and
/// `minimize --store` store with each result). Other results are left as they are.
void attach_reproducer(Report& report, const LldbScriptOptions& options);


/// The shell line that runs a command file (`script`) on a crash: LLDB_DEBUGSERVER_PATH=... lldb -b
/// -s SCRIPT -- BINARY ARTIFACT, with the build's lldb unless `lldb_server` names another server.
std::string lldb_run_command(const std::string& script, const std::string& binary, const std::string& artifact,
                             const std::string& lldb_server = {});

}  // namespace triage::emit
