#include "triage/core/report.hpp"

#include <cctype>

#include <fmt/format.h>

#include "triage/core/stderr_report.hpp"
#include "triage/core/utf8.hpp"

namespace triage::core {
namespace {

std::string join_path(const std::string& parent, const std::string& child) {
  if (parent.empty()) {
    return child;
  }
  if (child.starts_with("[")) {
    return parent + child;
  }
  return parent + "." + child;
}

void collect(const DumpedValue& v, const std::string& rel, const SchemaSet& schemas, std::vector<RegisterReport>& out) {
  if (!v.register_name.empty()) {
    if (const auto* dev = schemas.find_device(v.schema_device)) {
      if (const auto* reg = dev->find_register(v.register_name)) {
        RegisterReport r;
        r.name = rel;
        r.register_name = v.register_name;
        r.lldb_path = v.lldb_path;
        r.schema = reg;
        if (v.raw) {
          r.decoded = decode_register(*reg, *v.raw);
        } else {
          r.decoded.text = "<unreadable>";
        }
        out.push_back(std::move(r));
      }
    }
  }
  for (const auto& c : v.children) {
    collect(c, join_path(rel, c.name), schemas, out);
  }
}

std::string basename_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string_view to_string(ResultKind result) {
  switch (result) {
    case ResultKind::crash:
      return "crash";
    case ResultKind::no_repro:
      return "no-repro";
    case ResultKind::error:
      return "error";
    case ResultKind::live:
      return "live";
  }
  return "error";
}

namespace {

void append_one_line(const DumpedValue& v, std::string& out, size_t max_chars) {
  if (out.size() > max_chars) {
    return;
  }
  // A variant names the value (Rust's `Write { .. }`); a wrapper that is not one (Some, Arc) does not.
  std::string label;
  for (const auto& w : v.wrappers) {
    if (!w.empty() && std::isupper(static_cast<unsigned char>(w[0])) && w != "Some") {
      label = w;
    }
  }
  if (v.children.empty()) {
    out += v.value.empty() ? (label.empty() ? "?" : label) : v.value;
    return;
  }
  if (!label.empty()) {
    out += label + " ";
  }
  out += "{ ";
  bool first = true;
  for (const auto& c : v.children) {
    out += first ? "" : ", ";
    first = false;
    out += c.name + ": ";
    append_one_line(c, out, max_chars);
  }
  out += " }";
}

}  // namespace

std::string one_line(const DumpedValue& value, size_t max_chars) {
  std::string out;
  append_one_line(value, out, max_chars);
  if (out.size() > max_chars) {
    out.resize(max_chars);
    out += "...";
  }
  return out;
}

std::string describe_action(const FuzzAction& action) {
  std::string value = one_line(action.value);
  if (value == "?" || value == "unknown variant" || value == "unreadable") {
    value = "(the value is not kept by this build; its debug build has it)";  // -O1 keeps the count at most
  }
  return (action.index ? fmt::format("#{} ", *action.index) : std::string()) + value;
}

std::string action_kind(const FuzzAction& action) {
  for (auto it = action.value.wrappers.rbegin(); it != action.value.wrappers.rend(); ++it) {
    if (!it->empty() && std::isupper(static_cast<unsigned char>((*it)[0])) && *it != "Some") {
      return *it;
    }
  }
  for (const auto& c : action.value.children) {
    if (c.name == "kind") {
      return c.value;
    }
  }
  return one_line(action.value, 60);
}

std::string_view lldb_variable_command(const DeviceReport& device) {
  return device.frame ? "frame variable" : "target variable";
}

std::vector<RegisterReport> collect_registers(const DumpedValue& root, const SchemaSet& schemas) {
  std::vector<RegisterReport> out;
  collect(root, "", schemas, out);
  return out;
}

namespace {

/// Text the target or the file system controls enters the model here as valid UTF-8, so that no
/// emitter or store can fail on it (an artifact named with a Latin-1 byte, a panic message cut inside
/// a character, binary garbage on stderr).
void make_text_valid(Report& r) {
  r.binary = valid_utf8(r.binary);
  r.artifact.path = valid_utf8(r.artifact.path);
  r.error = valid_utf8(r.error);
  r.classification.message = valid_utf8(r.classification.message);
  r.stderr_tail = valid_utf8(r.stderr_tail);
  r.core_file = valid_utf8(r.core_file);
  r.sanitizer_region = valid_utf8(r.sanitizer_region);
  for (auto& e : r.events) {
    e = valid_utf8(e);
  }
}

}  // namespace

Report analyze(const CrashSnapshot& s, const AnalysisConfig& config) {
  static const IgnoreList k_no_ignores;
  static const SchemaSet k_no_schemas;
  const IgnoreList& ignore = config.ignore ? *config.ignore : k_no_ignores;
  const SchemaSet& schemas = config.schemas ? *config.schemas : k_no_schemas;

  Report r;
  r.binary = s.binary;
  r.artifact = s.artifact;
  r.classification = classify(s);
  r.result = r.classification.crashed ? ResultKind::crash : ResultKind::no_repro;
  if (r.classification.kind == CrashKind::live) {
    r.result = ResultKind::live;
  }
  r.source = s.source;
  r.pid = s.pid;
  r.core_file = s.core_file;
  for (const auto& t : s.threads) {
    r.threads.push_back({t.id, t.name, t.stop_reason, filter_frames(t.frames, ignore)});
  }
  r.severity = crash_kind_info(r.classification.kind).severity;
  r.signal = s.signal;
  r.signal_name = s.signal_name;
  r.fault_address = s.fault_address;
  r.exit_status = s.exit_status;
  r.handler = s.handler;
  r.events = s.events;
  r.elapsed_ms = s.elapsed_ms;
  r.stderr_tail = tail(without_shadow_dump(s.stderr_text), config.stderr_tail_bytes);
  r.stack = filter_frames(s.frames, ignore);
  r.sanitizer_region = s.sanitizer_region;
  for (const auto& st : s.sanitizer_stacks) {
    r.sanitizer_stacks.push_back({st.role, st.title, filter_frames(st.frames, ignore)});
  }
  if (r.stack.blamed) {
    r.blamed = r.stack.frames[*r.stack.blamed];
  }
  for (const auto& root : s.devices) {
    DeviceReport d;
    d.name = root.device;
    d.type = root.value.type;
    d.lldb_path = root.value.lldb_path;
    d.origin = root.origin;
    d.frame = root.frame;
    d.state = root.value;
    d.registers = collect_registers(root.value, schemas);
    r.devices.push_back(std::move(d));
  }
  r.action = s.action;
  if (r.result == ResultKind::crash || r.result == ResultKind::live) {
    std::string location;
    if (r.classification.location && !r.classification.location->file.empty() &&
        (r.classification.kind == CrashKind::rust_panic || r.classification.kind == CrashKind::assert)) {
      location = fmt::format("{}:{}", basename_of(r.classification.location->file), r.classification.location->line);
    }
    r.signature = make_signature(r.classification.kind_id, r.stack, location, config.signature_frames);
  }
  make_text_valid(r);
  return r;
}

Report error_report(std::string binary, ArtifactInfo artifact, std::string message) {
  Report r;
  r.binary = std::move(binary);
  r.artifact = std::move(artifact);
  r.result = ResultKind::error;
  r.error = std::move(message);
  make_text_valid(r);
  return r;
}

}  // namespace triage::core
