#include "triage/emit/lldb_script.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

#include "triage/core/crash_handlers.hpp"
#include "triage/core/reproduce.hpp"

#ifndef TRIAGE_LLDB_CLI
#define TRIAGE_LLDB_CLI "lldb"
#endif
#ifndef TRIAGE_LLDB_SERVER
#define TRIAGE_LLDB_SERVER "lldb-server"
#endif

namespace triage::emit {
namespace {

using core::CrashHandler;
using core::CrashKind;
using core::find_crash_handler;
using core::lldb_variable_command;

using core::shell_quote;

/// A comment line: no newline can end it early.
std::string comment(std::string_view text) {
  std::string out = "# ";
  for (char c : text) {
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\n";
}

/// Selects frame `index` of triage's stop. A timeout interrupts a loop wherever it happens to be, so
/// its frames are numbered differently on every run: there the frame is found by its function (the
/// first frame, innermost first, whose function it is; an inlined callee's frame does not count).
std::string select_frame(const Report& r, size_t index) {
  if (r.classification.kind != CrashKind::timeout || index >= r.stack.frames.size() ||
      r.stack.frames[index].normalized.empty()) {
    return fmt::format("frame select {}\n", index);
  }
  std::string name;
  for (char c : r.stack.frames[index].normalized) {
    if (c == '"' || c == '\\') {
      name += '\\';
    }
    name += c;
  }
  return fmt::format(
      "script next((lldb.thread.SetSelectedFrame(f.GetFrameID()) for f in lldb.thread if \"{}\" in "
      "(f.GetFunctionName() or \"\")), None)\nframe info\n",
      name);
}

}  // namespace

void attach_reproducer(Report& report, const LldbScriptOptions& options) {
  if (report.result == core::ResultKind::crash) {
    report.reproduce_command = core::reproduce_command(report.binary, report.artifact.path);
    report.lldb_command_file = make_lldb_script(report, options);
  }
}

std::string lldb_run_command(const std::string& script, const std::string& binary, const std::string& artifact,
                             const std::string& lldb_server) {
  return fmt::format("LLDB_DEBUGSERVER_PATH={} {} -b -s {} -- {}", shell_quote(lldb_server.empty() ? TRIAGE_LLDB_SERVER : lldb_server),
                     shell_quote(TRIAGE_LLDB_CLI), shell_quote(script), core::reproduce_command(binary, artifact));
}

std::string script_handler_breakpoint(const Report& report) {
  if (report.classification.kind == CrashKind::timeout) {
    return "fuzzer::Fuzzer::AlarmCallback";
  }
  // Signals and the sanitizer reports LLDB's plugin read (handler: the tool's name) stop lldb by themselves.
  const CrashHandler* h = find_crash_handler(report.handler);
  return h != nullptr ? std::string(h->script_breakpoint) : std::string();
}

std::string make_lldb_script(const Report& r, const LldbScriptOptions& o) {
  std::string s;
  const auto& c = r.classification;
  s += comment(fmt::format("triage: lldb command file for {}", r.artifact.path));
  s += comment(fmt::format("{} ({}): {}", c.kind_id, to_string(r.severity), c.message));
  if (r.blamed) {
    s += comment(fmt::format("blamed: {} at {}:{}", r.blamed->normalized, r.blamed->frame.file, r.blamed->frame.line));
  }
  s += comment(fmt::format("signature: {}", r.signature.id));
  s += comment("Run it:");
  s += comment("  " + lldb_run_command("THIS_FILE", r.binary, r.artifact.path, o.lldb_server));
  s += "settings set auto-confirm true\n";
  s += "settings set target.env-vars ASAN_OPTIONS=detect_leaks=0:color=never RUST_BACKTRACE=0";
  for (const auto& e : o.extra_env) {
    // One argument to lldb's settings parser: quoted when it holds a space or a quote.
    std::string word;
    for (char ch : e) {
      word += (ch == '"' || ch == '\\') ? std::string("\\") + ch : std::string(1, ch == '\n' ? ' ' : ch);
    }
    s += e.find_first_of(" \t\"'\\") == std::string::npos ? " " + word : " \"" + word + "\"";
  }
  s += "\n";
  if (!o.scripts_dir.empty()) {
    s += comment("Register summaries, wrapper-transparent children and `triage-dump` (lldb_scripts/).");
    s += fmt::format("command script import {}/triage_lldb.py\n", o.scripts_dir);
  }
  if (c.kind == CrashKind::timeout) {
    s += comment(fmt::format("A timeout: libFuzzer's alarm fires after {} s; its handler runs on the spinning thread.",
                             o.timeout_seconds));
    s += fmt::format("settings append target.run-args -timeout={}\n", o.timeout_seconds);
  }
  const std::string handler = script_handler_breakpoint(r);
  if (!handler.empty()) {
    s += comment(fmt::format("Stop where triage stopped: {}.", handler));
    s += fmt::format("breakpoint set -n {} -N triage_crash\n", handler);
  } else if (c.kind == CrashKind::leak) {
    s += comment("A leak: LeakSanitizer does not run under lldb; stop at the leaking allocation instead.");
  } else {
    s += comment(fmt::format("lldb stops by itself on {}.", r.handler.empty() ? "the crash" : r.handler));
  }
  const bool hot = r.blamed && o.blamed_calls && *o.blamed_calls > 1 && *o.blamed_calls <= o.max_hot_calls;
  const bool leak_stop = r.blamed && c.kind == CrashKind::leak;
  if (hot || leak_stop) {
    const uint32_t calls = o.blamed_calls.value_or(1);
    s += comment(fmt::format("{} is called {} time{} up to the crash: stop at the start of the last call first.",
                             r.blamed->normalized, calls, calls == 1 ? "" : "s"));
    s += fmt::format("breakpoint set -n {} -N triage_hot\n", r.blamed->normalized);
    if (calls > 1) {
      s += fmt::format("breakpoint modify -i {} triage_hot\n", calls - 1);
    }
  }
  s += "run\n";
  if (hot || leak_stop) {
    s += "bt 20\n";
    s += "frame variable\n";
    if (leak_stop) {
      s += "process kill\nquit\n";
      return s;
    }
    s += "breakpoint disable triage_hot\n";
    s += "continue\n";
  }
  if (r.handler.starts_with("SIG")) {
    // triage stopped on the signal; a UBSan report in recover mode stops lldb first (its runtime
    // plugin's breakpoint, which no command can turn off): go on to the signal, as triage did.
    s += comment("Past UBSan's recover-mode report stops, to the signal.");
    s += "script while lldb.process.GetSelectedThread().GetStopReason() == lldb.eStopReasonInstrumentation: "
         "lldb.process.Continue()\n";
  }
  s += "bt 40\n";
  if (r.stack.blamed) {
    s += comment(fmt::format("The blamed frame: {}", r.blamed ? r.blamed->normalized : ""));
    s += select_frame(r, *r.stack.blamed);
    s += "frame variable\n";
  }
  for (const auto& d : r.devices) {
    if (d.registers.empty()) {
      continue;
    }
    s += comment(fmt::format("Device {} ({}), found as {}", d.name, d.type, d.origin));
    const auto& frame = d.frame;
    if (frame) {
      s += select_frame(r, *frame);
    }
    const std::string_view var_cmd = lldb_variable_command(d);
    for (const auto& reg : d.registers) {
      s += comment(fmt::format("{} = {} at the crash", reg.name, reg.decoded.text));
      s += fmt::format("{} {}\n", var_cmd, reg.lldb_path);
    }
  }
  if (!o.scripts_dir.empty()) {
    if (r.stack.blamed) {
      s += select_frame(r, *r.stack.blamed);
    }
    s += "triage-dump\n";
  }
  s += "process kill\n";
  s += "quit\n";
  return s;
}

}  // namespace triage::emit
