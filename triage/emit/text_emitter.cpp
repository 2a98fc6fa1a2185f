#include <map>

#include <fmt/format.h>

#include "triage/emit/emitters.hpp"
#include "triage/emit/escape.hpp"

namespace triage::emit {
namespace {

std::string location(const core::Frame& f) {
  if (f.file.empty()) {
    return f.module.empty() ? "" : "(" + f.module + ")";
  }
  std::string s = f.file;
  if (f.line) {
    s += fmt::format(":{}", f.line);
    if (f.column) {
      s += fmt::format(":{}", f.column);
    }
  }
  return s;
}

using DecodedByPath = std::map<std::string, std::string>;

void state_lines(const core::DumpedValue& v, unsigned indent, std::vector<std::string>& out, unsigned max,
                 const DecodedByPath& decoded) {
  if (out.size() >= max) {
    return;
  }
  std::string line(indent * 2, ' ');
  line += v.name;
  if (!v.wrappers.empty()) {
    line += " <";
    for (size_t i = 0; i < v.wrappers.size(); ++i) {
      line += (i ? "|" : "") + v.wrappers[i];
    }
    line += ">";
  }
  if (const auto it = decoded.find(v.lldb_path); !v.register_name.empty() && it != decoded.end()) {
    line += " = " + it->second;
  } else if (!v.value.empty()) {
    line += " = " + printable(v.value, LineBreaks::keep);
  }
  for (const auto& [k, val] : v.facts) {
    line += fmt::format("  [{}={}]", k, val);
  }
  out.push_back(std::move(line));
  for (const auto& c : v.children) {
    state_lines(c, indent + 1, out, max, decoded);
  }
}

}  // namespace

std::string to_text(const core::Report& r, const TextOptions& options) {
  std::string s;
  // Every line is shown with its control characters escaped: file names, messages and output come
  // from the target and the campaign, and an ESC or a newline in them must not reach the terminal.
  auto line = [&s](std::string_view l) {
    s += printable(l, LineBreaks::escape);
    s += '\n';
  };
  if (r.result == core::ResultKind::error) {
    line(fmt::format("triage: error: {}", r.error));
    return s;
  }
  if (r.result == core::ResultKind::no_repro) {
    line("result:    no-repro (the artifact did not crash)");
    line(fmt::format("binary:    {}", r.binary));
    line(fmt::format("artifact:  {} ({} bytes, sha1 {})", r.artifact.path, r.artifact.size, r.artifact.sha1));
    if (r.exit_status) {
      line(fmt::format("exit:      status {}", *r.exit_status));
    }
    if (!r.reproduce_command.empty()) {
      line(fmt::format("reproduce: {}", r.reproduce_command));
    }
    return s;
  }
  const auto& c = r.classification;
  if (r.result == core::ResultKind::live) {
    line(fmt::format("result:    live (attached to pid {}, then {})", r.pid.value_or(0),
                     r.after_attach.empty() ? "detached" : r.after_attach));
  } else {
    line(fmt::format("result:    crash: {} ({})", c.kind_id, core::to_string(r.severity)));
  }
  line(fmt::format("binary:    {}", r.binary));
  if (r.source == "core") {
    line(fmt::format("core:      {}", r.core_file));
  } else if (r.source == "run") {
    line(fmt::format("artifact:  {} ({} bytes, sha1 {})", r.artifact.path, r.artifact.size, r.artifact.sha1));
  }
  {
    const std::string msg = printable(c.message, LineBreaks::keep);
    const auto nl = msg.find('\n');
    line(fmt::format("message:   {}", nl == std::string::npos ? msg : msg.substr(0, nl) + " ..."));
  }
  if (c.location) {
    line(fmt::format("location:  {}:{}{}", c.location->file, c.location->line,
                     c.location->column ? fmt::format(":{}", c.location->column) : ""));
  }
  if (r.signal) {
    line(fmt::format("signal:    {} ({}){}", r.signal_name, *r.signal,
                     r.fault_address ? fmt::format(" at {:#x}", *r.fault_address) : ""));
  }
  if (r.action) {
    line(fmt::format("action:    {}  (frame #{} {})", core::describe_action(*r.action), r.action->frame,
                     r.action->function));
  }
  if (r.blamed) {
    line(fmt::format("blamed:    {}  {}", r.blamed->normalized, location(r.blamed->frame)));
  } else {
    line("blamed:    (no frame survived the ignore lists)");
  }
  if (r.blamed_source) {
    const auto& src = *r.blamed_source;
    for (size_t i = 0; i < src.lines.size(); ++i) {
      const uint32_t n = src.first_line + static_cast<uint32_t>(i);
      line(fmt::format("  {} {:5} | {}", n == src.highlight ? ">" : " ", n, src.lines[i]));
    }
  }
  std::string sig = fmt::format("signature: {}  [{}", r.signature.id, r.signature.kind);
  for (const auto& f : r.signature.frames) {
    sig += " | " + f;
  }
  if (!r.signature.location.empty()) {
    sig += " @ " + r.signature.location;
  }
  line(sig + "]");
  line("");
  // Frame numbers (here, in "found as frame #N" and "frame select N") count from the stop triage made,
  // which `triage script` makes too: a breakpoint on a crash handler stops above where the signal would.
  line(r.handler.empty() ? std::string("backtrace:")
                         : fmt::format("backtrace (frames numbered as lldb's `bt` at the stop on {}):", r.handler));
  unsigned shown = 0;
  size_t next = 0;
  for (size_t i = 0; i < r.stack.frames.size() && shown < options.max_frames; ++i, next = i) {
    const auto& f = r.stack.frames[i];
    if (f.ignored && !options.show_ignored_frames) {
      continue;
    }
    // Recursion: one line for a run of the same frame (a stack overflow has thousands).
    size_t run_end = i + 1;
    while (run_end < r.stack.frames.size() && r.stack.frames[run_end].normalized == f.normalized &&
           r.stack.frames[run_end].frame.line == f.frame.line && i > 0 &&
           r.stack.frames[i - 1].normalized == f.normalized) {
      ++run_end;
    }
    if (run_end > i + 1) {
      line(fmt::format("     #{}..#{} the same frame again ({} times{})", i, run_end - 1, run_end - i,
                       r.stack.frames.size() == run_end ? ", the captured stack ends here" : ""));
      i = run_end - 1;
      ++shown;
      continue;
    }
    ++shown;
    const bool blamed = r.stack.blamed && *r.stack.blamed == i;
    line(fmt::format("  {} #{:<3} {}{}  {}{}", blamed ? "=>" : (f.ignored ? "  " : " *"), i, f.normalized,
                     f.frame.inlined ? " [inlined]" : "", location(f.frame),
                     f.ignored ? fmt::format("  ({})", f.ignored_by) : ""));
  }
  if (r.stack.frames.size() > next) {
    line(fmt::format("     ... {} more frames", r.stack.frames.size() - next));
  }
  if (!r.sanitizer_region.empty() || !r.sanitizer_stacks.empty()) {
    line("");
    line("sanitizer report:");
    if (!r.sanitizer_region.empty()) {
      line(fmt::format("  {}", r.sanitizer_region));
    }
    for (const auto& st : r.sanitizer_stacks) {
      line(fmt::format("  {}:", st.title));
      unsigned listed = 0;
      for (size_t i = 0; i < st.stack.frames.size() && listed < options.evidence_frames; ++i) {
        const auto& f = st.stack.frames[i];
        const bool blamed = st.stack.blamed && *st.stack.blamed == i;
        if (f.ignored && !blamed) {
          continue;  // the allocator's and the runtime's own frames
        }
        ++listed;
        line(fmt::format("  {} #{:<3} {}  {}", blamed ? "=>" : "  ", i, f.normalized, location(f.frame)));
      }
    }
  }
  for (const auto& d : r.devices) {
    line("");
    line(fmt::format("device {} ({}), found as {}", d.name.empty() ? "?" : d.name, d.type, d.origin));
    const std::string_view read = core::lldb_variable_command(d);
    line(fmt::format("  lldb: {}{} {}", d.frame ? fmt::format("frame select {}; ", *d.frame) : "", read, d.lldb_path));
    if (!d.registers.empty()) {
      line("  registers:");
      for (const auto& reg : d.registers) {
        line(fmt::format("    {} = {}", reg.name, reg.decoded.text));
        line(fmt::format("      {} {}", read, reg.lldb_path));
      }
    }
    DecodedByPath decoded;
    for (const auto& reg : d.registers) {
      decoded[reg.lldb_path] = reg.decoded.text;
    }
    std::vector<std::string> lines;
    for (const auto& ch : d.state.children) {
      state_lines(ch, 2, lines, options.max_state_lines, decoded);
    }
    if (!lines.empty()) {
      line("  state:");
      for (const auto& l : lines) {
        line(l);
      }
      if (lines.size() >= options.max_state_lines) {
        line("    ... (truncated; --format json has all of it)");
      }
    }
  }
  if (r.threads.size() > 1) {
    line("");
    line(fmt::format("threads ({}):", r.threads.size()));
    for (const auto& t : r.threads) {
      line(fmt::format("  thread {}{}: {}", t.id, t.name.empty() ? "" : " \"" + printable(t.name, LineBreaks::escape) + "\"",
                       t.stop_reason.empty() ? "no stop reason" : printable(t.stop_reason, LineBreaks::escape)));
      unsigned shown_frames = 0;
      for (size_t i = 0; i < t.stack.frames.size() && shown_frames < options.thread_frames; ++i) {
        const auto& f = t.stack.frames[i];
        if (f.ignored && !options.show_ignored_frames && i != 0) {
          continue;
        }
        ++shown_frames;
        const bool blamed = t.stack.blamed && *t.stack.blamed == i;
        line(fmt::format("    {} #{:<3} {}  {}", blamed ? "=>" : (f.ignored ? "  " : " *"), i, f.normalized,
                         location(f.frame)));
      }
    }
  }
  if (!r.reproduce_command.empty()) {
    line("");
    line(fmt::format("reproduce: {}", r.reproduce_command));
  }
  if (!r.stderr_tail.empty()) {
    line("");
    line("stderr (tail):");
    std::string tail = printable(r.stderr_tail, LineBreaks::keep);
    // Last ~15 lines are enough on a terminal.
    size_t pos = tail.size();
    for (int n = 0; n < 16 && pos > 0; ++n) {
      pos = tail.rfind('\n', pos - 1);
      if (pos == std::string::npos) {
        pos = 0;
        break;
      }
    }
    std::string_view shown_tail(tail);
    shown_tail.remove_prefix(pos == 0 ? 0 : pos + 1);
    for (size_t start = 0; start < shown_tail.size();) {
      const size_t nl = shown_tail.find('\n', start);
      const size_t end = nl == std::string_view::npos ? shown_tail.size() : nl;
      line("  | " + std::string(shown_tail.substr(start, end - start)));
      start = end + 1;
    }
  }
  return s;
}

}  // namespace triage::emit
