#include "triage/core/stderr_report.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <utility>

#include "triage/core/sanitizer_headlines.hpp"
#include "triage/core/text_match.hpp"

namespace triage::core {
namespace {

/// Longer lines are cut to this many bytes before any parser sees them: no report line is that long,
/// and a target can print anything.
constexpr size_t k_max_line = 16 * 1024;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    const size_t end = nl == std::string_view::npos ? text.size() : nl;
    lines.push_back(text.substr(start, std::min(end - start, k_max_line)));
    if (nl == std::string_view::npos) {
      break;
    }
    start = nl + 1;
  }
  return lines;
}

uint32_t to_u32(std::string_view s) {
  uint32_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

uint64_t to_u64(std::string_view s, int base) {
  uint64_t v = 0;
  if (base == 16 && s.starts_with("0x")) {
    s.remove_prefix(2);
  }
  std::from_chars(s.data(), s.data() + s.size(), v, base);
  return v;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

/// "path/file.rs:72:17" (column optional) -> location.
std::optional<SourceLocation> parse_location(std::string_view s) {
  static const Pattern re(R"((.+?):(\d+)(?::(\d+))?)");
  Groups m;
  if (!re.full_match(s, m)) {
    return std::nullopt;
  }
  return SourceLocation{m.str(1), to_u32(m.view(2)), m.matched(3) ? to_u32(m.view(3)) : 0};
}

bool is_noise(std::string_view line) {
  static constexpr std::string_view k_prefixes[] = {
      "INFO:", "Running:", "==", "MS:", "#", "Executed ", "***", "SUMMARY:", "artifact_prefix", "Test unit",
      "Base64:", "0x", "stat::", "DEDUP_TOKEN", "    #", "  #", "replay:", "AddressSanitizer", "HINT:",
      "terminate called", "  what():", "Shadow", "UndefinedBehaviorSanitizer", "NOTE:", "note:", "thread '",
      "-----", "MERGE", "Done ", "Loaded ", "Aborted", "Addressable:", "Partially", "Heap ", "Freed", "Stack ",
      "Global ", "Poisoned", "Container", "Array cookie", "Intra object", "ASan internal", "Left alloca",
      "READ of", "WRITE of", "is located", "allocated by", "freed by", "previously allocated", "Assertion",
      "  ", "\t", "Direct leak", "Indirect leak", "ERROR:"};
  if (trim(line).empty()) {
    return true;
  }
  for (auto p : k_prefixes) {
    if (line.starts_with(p)) {
      return true;
    }
  }
  return line.find("runtime error:") != std::string_view::npos || line.find("panicked at") != std::string_view::npos;
}

}  // namespace

std::optional<PanicMessage> parse_rust_panic(std::string_view text) {
  const auto lines = split_lines(text);
  // Current form (Rust >= 1.73): "thread 'main' (1234) panicked at src/x.rs:72:17:" then the message lines.
  static const Pattern current(R"(thread '([^']*)'(?: \(\d+\))? panicked at (.+:\d+:\d+):)");
  // Old form: "thread 'main' panicked at 'message', src/x.rs:72:17"
  static const Pattern old(R"(thread '([^']*)'(?: \(\d+\))? panicked at '(.*)', (.+:\d+(?::\d+)?))");
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    Groups m;
    if (current.full_match(line, m)) {
      PanicMessage p;
      p.thread = m.str(1);
      if (auto loc = parse_location(m.view(2))) {
        p.location = *loc;
      }
      std::string msg;
      for (size_t j = i + 1; j < lines.size(); ++j) {
        const auto l = lines[j];
        if (l.starts_with("note: ") || l.starts_with("stack backtrace:") || l.starts_with("==") ||
            l.starts_with("thread '") || l.starts_with("fatal runtime error") || l.starts_with("MS:") ||
            l.starts_with("INFO:") || l.starts_with("Running:")) {
          break;
        }
        msg += (msg.empty() ? "" : "\n") + std::string(l);
      }
      while (!msg.empty() && msg.back() == '\n') {
        msg.pop_back();
      }
      p.message = msg;
      return p;
    }
    if (old.full_match(line, m)) {
      PanicMessage p;
      p.thread = m.str(1);
      p.message = m.str(2);
      if (auto loc = parse_location(m.view(3))) {
        p.location = *loc;
      }
      return p;
    }
  }
  return std::nullopt;
}

std::optional<AssertMessage> parse_assert(std::string_view text) {
  // glibc: "prog: file.cpp:12: int f(int): Assertion `x > 0' failed."
  static const Pattern re(R"((?:^|\n)[^\n]*?: ([^\n:]+):(\d+): ([^\n]*): Assertion `([^\n]*)' failed\.)");
  Groups m;
  if (!re.search(text, m)) {
    return std::nullopt;
  }
  AssertMessage a;
  a.location = {m.str(1), to_u32(m.view(2)), 0};
  a.function = m.str(3);
  a.expression = m.str(4);
  return a;
}

std::optional<ExceptionMessage> parse_terminate(std::string_view text) {
  static const Pattern re(R"(terminate called after throwing an instance of '([^'\n]*)'(?:\n[ \t]*what\(\):[ \t]*([^\n]*))?)");
  Groups m;
  if (!re.search(text, m)) {
    return std::nullopt;
  }
  return ExceptionMessage{m.str(1), m.matched(2) ? trim(m.view(2)) : ""};
}

std::optional<SanitizerHeadline> parse_sanitizer_headline(std::string_view text) {
  // "==1==ERROR: AddressSanitizer: ...", "==1==WARNING: MemorySanitizer: ...", and ThreadSanitizer's
  // "WARNING: ThreadSanitizer: data race (pid=1)" without the pid prefix.
  static const Pattern re(
      R"((?:==\d+==\s*|^|\n)(?:ERROR|WARNING): (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer|ThreadSanitizer|HWAddressSanitizer|libFuzzer): ([^\n]*))");
  // The last headline: a runtime writes its report last, just before it dies, while anything earlier
  // may be the target's own output (an input that holds a report, echoed to stderr).
  Groups m;
  std::string_view rest = text;
  std::string_view after;
  bool found = false;
  for (Groups g; re.search(rest, g);) {
    m = g;
    found = true;
    const size_t end = static_cast<size_t>(g.view(0).data() - rest.data()) + g.view(0).size();
    after = rest.substr(end);
    rest = after;
  }
  if (!found) {
    return std::nullopt;
  }
  SanitizerHeadline h;
  h.tool = m.str(1);
  std::string desc = trim(m.view(2));
  static const Pattern addr(R"( on (?:unknown )?address (?:0x)?([0-9a-fA-F]+))");
  Groups am;
  if (addr.search(desc, am)) {
    h.address = to_u64(am.view(1), 16);
  }
  static const Pattern sp(R"(\bsp (0x[0-9a-fA-F]+))");
  if (Groups sm; sp.search(desc, sm)) {
    h.stack_pointer = to_u64(sm.view(1), 16);
  }
  // The text without what changes from run to run of one bug: "at pc 0x.. bp 0x.. sp 0x..",
  // "(pc 0x.. bp 0x.. sp 0x.. T0)".
  static const Pattern regs(R"(\s*(?:at pc 0x[0-9a-f]+ bp 0x[0-9a-f]+ sp 0x[0-9a-f]+|\(pc 0x[0-9a-f]+ bp 0x[0-9a-f]+ sp 0x[0-9a-f]+ T\d+\)))");
  h.text = desc;
  for (Groups rm; regs.search(h.text, rm);) {
    const size_t at = static_cast<size_t>(rm.view(0).data() - h.text.data());
    h.text.erase(at, rm.view(0).size());
  }
  h.row = find_headline_row(h.tool, h.text);
  if (h.tool == "libFuzzer") {
    h.description = desc;
  } else if (h.row != nullptr && h.row->id.find('*') == std::string_view::npos) {
    h.description = std::string(h.row->id);
  } else {
    // "memcpy-param-overlap: memory ranges ..." -> "memcpy-param-overlap"; "heap-buffer-overflow on ..."
    const size_t cut = std::min({desc.find(' '), desc.find(':'), desc.size()});
    h.description = trim(desc.substr(0, cut));
  }
  static const Pattern access(R"(((?:READ|WRITE) of size \d+ at 0x[0-9a-f]+ thread T\d+))");
  static const Pattern signal_access(R"(The signal is caused by a (READ|WRITE) memory access)");
  Groups a;
  if (access.search(after, a)) {
    h.access = a.str(1);
  } else if (signal_access.search(after, a)) {
    h.access = a.str(1) + " memory access";
  }
  return h;
}

/// One "#N 0x..." stack line, symbolized or not.
std::optional<ReportFrame> parse_stack_line(std::string_view line) {
  static const Pattern unsym(R"(\s*#(\d+) (0x[0-9a-f]+)\s+\((.+)\+(0x[0-9a-f]+)\)(?: \(BuildId: [0-9a-f]+\))?)");
  static const Pattern sym(R"(\s*#(\d+) (0x[0-9a-f]+) in (.+?)(?: (/\S+:\d+(?::\d+)?|\S+\.\w+:\d+(?::\d+)?))?(?: \((\S+)\+0x[0-9a-f]+\))?(?: \(BuildId: [0-9a-f]+\))?)");
  if (line.find('#') == std::string_view::npos) {
    return std::nullopt;  // most lines of a report: no need to run either pattern
  }
  Groups f;
  if (unsym.full_match(line, f)) {
    return ReportFrame{to_u64(f.view(2), 16), f.str(3), to_u64(f.view(4), 16), "", {}};
  }
  if (sym.full_match(line, f)) {
    ReportFrame rf{to_u64(f.view(2), 16), f.str(5), 0, f.str(3), {}};
    std::string where = f.str(4);
    // Code inlined from a header the symbolizer names no function for: "#0 0x... in /path/h.h:749:12".
    if (where.empty() && rf.function.starts_with('/') && parse_location(rf.function)) {
      where = std::exchange(rf.function, "");
    }
    if (auto loc = parse_location(where)) {
      rf.location = *loc;
      if (rf.location.file.starts_with('/')) {  // ".../gcc/x86_64-linux-gnu/12/../../../../include/..."
        rf.location.file = std::filesystem::path(rf.location.file).lexically_normal().string();
      }
    }
    return rf;
  }
  return std::nullopt;
}

std::vector<ReportFrame> stack_from(const std::vector<std::string_view>& lines, size_t start) {
  std::vector<ReportFrame> frames;
  bool started = false;
  for (size_t j = start; j < lines.size(); ++j) {
    auto f = parse_stack_line(lines[j]);
    if (f) {
      started = true;
      frames.push_back(std::move(*f));
    } else if (started) {
      break;
    }
  }
  return frames;
}

std::optional<LeakReport> parse_leak_report(std::string_view text) {
  const auto lines = split_lines(text);
  static const Pattern head(R"(^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\) allocated from:)");
  for (size_t i = 0; i < lines.size(); ++i) {
    Groups m;
    if (!head.search(lines[i], m)) {
      continue;
    }
    LeakReport r;
    r.headline = m.str(1) + " leak of " + m.str(2) + " byte(s) in " + m.str(3) + " object(s)";
    r.bytes = to_u64(m.view(2), 10);
    r.frames = stack_from(lines, i + 1);
    return r;
  }
  return std::nullopt;
}

SanitizerEvidence parse_sanitizer_evidence(std::string_view text) {
  SanitizerEvidence e;
  const auto lines = split_lines(text);
  // After the last headline: an earlier one may be the target's own output.
  static const Pattern headline(R"((?:==\d+==\s*|^)(?:ERROR|WARNING): \w+Sanitizer: )");
  size_t start = lines.size();
  for (size_t i = lines.size(); i-- > 0;) {
    if (Groups m; headline.search(lines[i], m)) {
      start = i;
      break;
    }
  }
  static const Pattern title(R"(^((freed|previously allocated|allocated) by thread T\d+(?: \([^)]*\))? here):)");
  static const Pattern located(R"(\bis located\b)");
  for (size_t i = start; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    Groups m;
    if (title.search(line, m)) {
      e.stacks.push_back({m.str(2) == "freed" ? "free" : "alloc", m.str(1), stack_from(lines, i + 1)});
    } else if (e.region.empty() && located.search(line, m)) {
      e.region = trim(line);
      if (e.region.ends_with(':')) {
        e.region.pop_back();
      }
    } else if (line.starts_with("SUMMARY:")) {
      break;
    }
  }
  return e;
}

std::string without_shadow_dump(std::string_view text) {
  const size_t at = text.find("Shadow bytes around the buggy address:");
  if (at == std::string_view::npos) {
    return std::string(text);
  }
  // The dump ends with the legend's last line; what follows (SUMMARY, ==ABORTING, libFuzzer's
  // artifact lines) stays.
  static constexpr std::string_view k_last_legend_lines[] = {"Right alloca redzone:", "Left alloca redzone:"};
  size_t end = std::string_view::npos;
  for (auto marker : k_last_legend_lines) {
    if (const size_t m = text.find(marker, at); m != std::string_view::npos) {
      const size_t nl = text.find('\n', m);
      end = std::max(end == std::string_view::npos ? 0 : end, nl == std::string_view::npos ? text.size() : nl + 1);
    }
  }
  if (end == std::string_view::npos) {
    end = text.find("SUMMARY:", at);
    if (end == std::string_view::npos) {
      return std::string(text);
    }
  }
  std::string out(text.substr(0, at));
  out += "(shadow bytes left out)\n";
  out += text.substr(end);
  return out;
}

std::vector<ReportFrame> parse_rust_backtrace(std::string_view text) {
  const auto lines = split_lines(text);
  static const Pattern frame(R"(\s*(\d+): (.+))");
  static const Pattern at(R"(\s+at (.+:\d+(?::\d+)?))");
  std::vector<ReportFrame> frames;
  bool in_trace = false;
  for (const std::string_view line : lines) {
    if (line.starts_with("stack backtrace:")) {
      in_trace = true;
      continue;
    }
    if (!in_trace) {
      continue;
    }
    Groups m;
    if (frame.full_match(line, m)) {
      frames.push_back(ReportFrame{0, "", 0, m.str(2), {}});
    } else if (!frames.empty() && at.full_match(line, m)) {
      if (auto loc = parse_location(m.view(1))) {
        frames.back().location = *loc;
      }
    } else {
      break;
    }
  }
  return frames;
}

std::vector<ReportFrame> parse_report_stack(std::string_view text) {
  const auto lines = split_lines(text);
  size_t start = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("ERROR: ") != std::string_view::npos) {
      start = i;
      break;
    }
  }
  return stack_from(lines, start);
}

std::optional<std::pair<std::string, SourceLocation>> parse_ubsan_runtime_error(std::string_view text) {
  static const Pattern re(R"((?:^|\n)([^\n]+?):(\d+):(\d+): runtime error: ([^\n]*))");
  Groups m;
  if (!re.search(text, m)) {
    return std::nullopt;
  }
  return std::pair{m.str(4), SourceLocation{m.str(1), to_u32(m.view(2)), to_u32(m.view(3))}};
}

std::string last_program_line(std::string_view text) {
  const auto lines = split_lines(text);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!is_noise(*it)) {
      return trim(*it);
    }
  }
  return {};
}

std::string tail(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  std::string_view t = text.substr(text.size() - max_bytes);
  if (const auto nl = t.find('\n'); nl != std::string_view::npos && nl + 1 < t.size()) {
    t.remove_prefix(nl + 1);
  }
  return std::string(t);
}

}  // namespace triage::core
