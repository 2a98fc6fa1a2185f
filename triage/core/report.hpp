#pragma once
// The Report: what triage concluded about one artifact. Built by analyze() from a CrashSnapshot,
// rendered by the emitters (triage/emit/). Plain data.
#include <optional>
#include <string>
#include <vector>

#include "triage/core/classify.hpp"
#include "triage/core/crash_kind.hpp"
#include "triage/core/frame_filter.hpp"
#include "triage/core/register_schema.hpp"
#include "triage/core/signature.hpp"
#include "triage/core/snapshot.hpp"

namespace triage::core {

inline constexpr int k_report_schema_version = 1;

enum class ResultKind { crash, no_repro, error, live };
std::string_view to_string(ResultKind result);

struct RegisterReport {
  std::string name;           ///< path relative to the device root: "channels[0].drives[0].state.regs.status"
  std::string register_name;  ///< schema register name: "status"
  std::string lldb_path;
  const RegisterSchema* schema = nullptr;
  DecodedRegister decoded;
};

struct DeviceReport {
  std::string name;  ///< schema device name
  std::string type;
  std::string lldb_path;
  std::string origin;
  std::optional<uint32_t> frame;  ///< frame the lldb paths are relative to; none for globals
  std::vector<RegisterReport> registers;
  DumpedValue state;
};

struct SourceExcerpt {
  std::string file;
  uint32_t first_line = 0;
  std::vector<std::string> lines;
  uint32_t highlight = 0;
};

/// A free or allocation stack of the sanitizer report, filtered like the crash's own: its blamed frame
/// is where the program freed or allocated (for a use-after-free, the free is often the bug).
struct EvidenceStackReport {
  std::string role;   ///< "free" or "alloc"
  std::string title;  ///< "freed by thread T0 here"
  FilteredStack stack;
};

/// A thread of a process seen whole (attach, core): its frames, filtered like the crashing thread's.
struct ThreadReport {
  uint64_t id = 0;
  std::string name;
  std::string stop_reason;
  FilteredStack stack;
};

struct Report {
  std::string binary;
  ArtifactInfo artifact;
  ResultKind result = ResultKind::no_repro;
  std::string error;  ///< for ResultKind::error
  Classification classification;
  Severity severity = Severity::not_exploitable;
  std::optional<int> signal;
  std::string signal_name;
  std::optional<uint64_t> fault_address;
  std::optional<int> exit_status;
  FilteredStack stack;
  std::optional<FilteredFrame> blamed;
  std::string sanitizer_region;  ///< "0x.. is located 0 bytes after 16-byte region [..)"
  std::vector<EvidenceStackReport> sanitizer_stacks;
  std::optional<SourceExcerpt> blamed_source;  ///< filled by the CLI, which may read files
  std::vector<DeviceReport> devices;
  std::optional<FuzzAction> action;  ///< the fuzz action the harness was running
  Signature signature;
  std::string handler;
  std::vector<std::string> events;
  std::string stderr_tail;
  std::string reproduce_command;
  /// An lldb command file for this crash (emit/lldb_script.hpp); bulk workers fill it for the reports.
  std::string lldb_command_file;
  double elapsed_ms = 0;
  std::string source = "run";  ///< "run", "attach", "core"
  std::optional<int64_t> pid;
  std::string core_file;
  std::vector<ThreadReport> threads;  ///< attach and core files: every thread
  std::string after_attach;           ///< what the tool did after an attach: "detached" or "killed"
};

struct AnalysisConfig {
  const IgnoreList* ignore = nullptr;
  const SchemaSet* schemas = nullptr;
  size_t signature_frames = k_default_signature_frames;
  size_t stderr_tail_bytes = 4096;
};

Report analyze(const CrashSnapshot& snapshot, const AnalysisConfig& config);
Report error_report(std::string binary, ArtifactInfo artifact, std::string message);

/// The lldb command that reads a device's values at the crash: `frame variable` (after `frame select
/// N`) for a root found in a frame, `target variable` for a global. Never `expr`: LLDB's expression
/// evaluator does not understand Rust layouts and reads other values than the ones printed.
std::string_view lldb_variable_command(const DeviceReport& device);

/// A dumped value on one line, as OpenVMM's `xtask fuzz fmt` prints an action:
/// "Write { port_index: 3, width: Word, value: 41120 }". Cut at `max_chars`.
std::string one_line(const DumpedValue& value, size_t max_chars = 200);
/// "#7 Write { port_index: 3, ... }" (the number when the harness counts).
std::string describe_action(const FuzzAction& action);
/// What kind of action it is: its variant ("Write") or its `kind` member ("write"); the key
/// `--key-state action` splits buckets by.
std::string action_kind(const FuzzAction& action);

/// Registers found under a dumped device root, decoded.
std::vector<RegisterReport> collect_registers(const DumpedValue& root, const SchemaSet& schemas);

}  // namespace triage::core
