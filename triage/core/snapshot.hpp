#pragma once
// CrashSnapshot: everything the debugger seam captured about one run, as plain data (no SB types).
// It is the contract between debugger/ and core/: serialisable to JSON so core tests need no LLDB.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "triage/core/error.hpp"

namespace triage::core {

inline constexpr int k_snapshot_schema_version = 1;

struct ArtifactInfo {
  std::string path;
  std::string sha1;
  uint64_t size = 0;
};

struct Frame {
  std::string function;  ///< display name as LLDB gives it (may carry arguments, templates)
  std::string module;    ///< file name of the module (basename)
  std::string file;      ///< source file, full path, empty when unknown
  uint32_t line = 0;
  uint32_t column = 0;
  bool inlined = false;
  uint64_t pc = 0;  ///< load address; never used for identity (ASLR is off under LLDB, on natively)
};

/// How the run ended, as seen by the debugger.
enum class StopCause {
  none,          ///< the process exited without any crash handler firing
  breakpoint,    ///< a crash-handler breakpoint (abort, __assert_fail, panic_fmt, ...)
  signal,        ///< a fatal signal, first chance
  sanitizer,     ///< LLDB's sanitizer instrumentation stop (ASan/UBSan report)
  watchdog,      ///< the tool interrupted a run that took too long
  native_leak,   ///< a native (undebugged) run reported a leak
  native_crash,  ///< a native run crashed (used when the debugger is not used)
  attach,        ///< the tool attached to a live process and stopped it (not a crash)
};

struct SanitizerReport {
  std::string tool;         ///< "AddressSanitizer", "UndefinedBehaviorSanitizer", "LeakSanitizer"
  std::string description;  ///< e.g. "heap-buffer-overflow", "Division by zero"
  std::optional<uint64_t> address;
  std::optional<uint64_t> access_size;
  std::optional<bool> is_write;
  bool fatal = true;  ///< UBSan in recover mode reports and continues
};

/// A stack of a sanitizer report besides the crash's own: where the memory was freed or allocated.
struct EvidenceStack {
  std::string role;   ///< "free" or "alloc"
  std::string title;  ///< "freed by thread T0 here"
  std::vector<Frame> frames;  ///< innermost first, symbolized
};

/// One value of the device state, already walked through wrapper types. Registers keep their raw bits;
/// decoding them is core's job (register_schema.hpp).
struct DumpedValue {
  std::string name;       ///< member / variable name ("channels[0]" for elements)
  std::string type;       ///< type name
  std::string lldb_path;  ///< paste into `frame variable` / `expr`
  std::string value;      ///< scalar text (numbers in decimal or hex, never a char), or a summary
  std::optional<uint64_t> raw;  ///< integer value / raw register bits
  std::string register_name;    ///< set when a register schema binds this value's type
  std::string schema_device;    ///< the schema (device) that binds it
  std::vector<std::string> wrappers;  ///< wrapper rules seen through to reach this value, outermost first
  std::vector<std::pair<std::string, std::string>> facts;  ///< wrapper facts: closed=false, strong=2, ...
  std::vector<DumpedValue> children;
};

struct DeviceRoot {
  std::string device;  ///< schema device name, e.g. "ide"
  std::string origin;  ///< where it was found: "frame #3 LLVMFuzzerTestOneInput", "global"
  DumpedValue value;
  std::optional<uint32_t> frame;  ///< the frame its lldb paths are relative to; none for globals
};

/// The fuzz action the harness was running at the crash (an `[[action]]` rule of the wrapper rules).
struct FuzzAction {
  std::string rule;      ///< the rule's name
  uint32_t frame = 0;    ///< the frame the value was read in
  std::string function;  ///< that frame's function, normalized
  DumpedValue value;     ///< the action, walked like device state
  std::optional<uint64_t> index;  ///< 1-based: the action's number in the input
};

/// One thread of a process seen whole (attach, core file): its stop reason and backtrace.
struct ThreadSnapshot {
  uint64_t id = 0;
  std::string name;
  std::string stop_reason;  ///< LLDB's stop description ("signal SIGSTOP", "none")
  std::vector<Frame> frames;
  bool truncated = false;
};

struct CrashSnapshot {
  int schema_version = k_snapshot_schema_version;
  std::string binary;
  ArtifactInfo artifact;
  StopCause cause = StopCause::none;
  std::string handler;              ///< the breakpoint/signal/instrumentation that made it a crash
  std::vector<std::string> events;  ///< every stop seen, in order ("breakpoint:__cxa_throw", "signal:SIGABRT")
  std::optional<int> signal;
  std::string signal_name;
  std::optional<uint64_t> fault_address;
  std::optional<uint64_t> stack_pointer;  ///< the crashing thread's SP at the stop (a fault next to it is a stack overflow)
  std::optional<int> exit_status;
  std::optional<SanitizerReport> sanitizer;
  std::string sanitizer_region;                ///< "0x.. is located 4 bytes inside of 16-byte region [..)"
  std::vector<EvidenceStack> sanitizer_stacks;  ///< free and allocation stacks of the report
  std::string exception_type;  ///< from the last __cxa_throw before the crash
  uint64_t thread_id = 0;
  std::string thread_name;
  std::vector<Frame> frames;  ///< crashing thread, innermost first (bounded)
  bool frames_truncated = false;
  std::vector<DeviceRoot> devices;
  std::optional<FuzzAction> action;
  std::string stderr_text;  ///< the tail of the process's stdout+stderr
  double elapsed_ms = 0;
  uint32_t timeout_seconds = 0;  ///< the watchdog limit used
  std::string source = "run";    ///< "run" (artifact launched), "attach" (live pid), "core" (core file)
  std::optional<int64_t> pid;    ///< the attached process
  std::string core_file;         ///< the core file read
  std::vector<ThreadSnapshot> threads;  ///< every thread, for attach and core files
  std::optional<uint32_t> hit_count;    ///< calls of RunOptions::count_hits_of up to the stop
};

std::string_view to_string(StopCause cause);

nlohmann::json to_json(const CrashSnapshot& snapshot);
nlohmann::json to_json(const DumpedValue& value);
Result<CrashSnapshot> snapshot_from_json(const nlohmann::json& json);
Result<DumpedValue> dumped_value_from_json(const nlohmann::json& json);

}  // namespace triage::core
