#pragma once
// A Session is one SBDebugger + SBTarget for one fuzz binary, reused for many runs (bulk mode launches
// thousands of artifacts through one Session). run() launches the binary on one artifact under the
// debugger, stops at the crash handlers, and returns a CrashSnapshot: plain data, no SB types.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "triage/core/error.hpp"
#include "triage/core/register_schema.hpp"
#include "triage/core/snapshot.hpp"
#include "triage/core/wrapper_rules.hpp"

namespace triage::debugger {

struct RunOptions {
  uint32_t timeout_seconds = 10;        ///< watchdog: interrupt and report `timeout` after this long
  uint32_t max_frames = 128;            ///< frames captured from the crashing thread
  std::vector<std::string> extra_args;  ///< passed to the binary before the artifact
  std::vector<std::string> extra_env;   ///< NAME=VALUE added to the controlled environment
  std::vector<std::string> extra_roots; ///< --root expressions evaluated in the crashing frame
  bool dump_devices = true;
  bool native_leak_check = true;        ///< rerun natively (LSan does not work under ptrace)
  std::string count_hits_of;            ///< a function: count its calls up to the stop (CrashSnapshot::hit_count)
};

/// Options for looking at a process that is not launched by the tool (attach, core file).
struct InspectOptions {
  uint32_t max_frames = 128;
  std::vector<std::string> extra_roots;
  bool dump_devices = true;
  bool kill_after = false;  ///< attach: kill the process instead of detaching
};

class Session {
 public:
  /// Creates the debugger and the target. Fails with binary_* errors for a bad binary.
  static core::Result<std::unique_ptr<Session>> open(const std::string& binary, const core::WrapperRules& rules,
                                                     const core::SchemaSet& schemas);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Runs one artifact. A crash, a clean exit and a hang are all results; errors are for a run that
  /// could not happen (launch failure, liblldb trouble).
  core::Result<core::CrashSnapshot> run(const std::string& artifact, const RunOptions& options);

  /// Attaches to the live process `pid` (running this binary), captures every thread and the device
  /// state seen from the harness thread, then detaches and leaves it running (or kills it). Nothing
  /// stays attached or stopped, on success or failure.
  core::Result<core::CrashSnapshot> attach(int64_t pid, const InspectOptions& options);

  /// Reads one core file of this binary in a target of its own, deleted afterwards; the debugger's
  /// module cache makes every core after the first cheap.
  core::Result<core::CrashSnapshot> load_core(const std::string& core_path, const InspectOptions& options);

  /// Deletes and recreates the target (keeps memory and time per run flat over thousands of runs).
  core::Result<void> recreate_target();
  /// Wrapper rules and schemas for the next runs (they must outlive them): a session kept open across
  /// requests serves each with the knowledge that request loaded.
  void use_knowledge(const core::WrapperRules& rules, const core::SchemaSet& schemas);
  const std::string& binary() const { return m_binary; }
  bool has_debug_info() const;

 private:
  struct Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
  std::string m_binary;
};

}  // namespace triage::debugger
