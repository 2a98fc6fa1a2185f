#include <nlohmann/json.hpp>

#include "triage/emit/emitters.hpp"
#include "triage/emit/escape.hpp"

namespace triage::emit {
namespace {

using json = nlohmann::json;

json frame_json(const core::FilteredFrame& f) {
  return json{{"function", f.frame.function},
              {"normalized", f.normalized},
              {"module", f.frame.module},
              {"file", f.frame.file},
              {"line", f.frame.line},
              {"column", f.frame.column},
              {"inlined", f.frame.inlined},
              {"ignored", f.ignored},
              {"ignored_by", f.ignored ? json(f.ignored_by) : json(nullptr)}};
}

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json to_json(const core::Report& r) {
  json j;
  j["schema_version"] = k_json_schema_version;
  j["tool"] = "triage";
  j["binary"] = r.binary;
  j["artifact"] = {{"path", r.artifact.path}, {"sha1", r.artifact.sha1}, {"size", r.artifact.size}};
  j["result"] = core::to_string(r.result);
  if (r.result == core::ResultKind::error) {
    j["error"] = r.error;
  }
  const bool crash = r.result == core::ResultKind::crash || r.result == core::ResultKind::live;
  j["source"] = r.source;
  j["pid"] = opt(r.pid);
  j["core_file"] = r.core_file.empty() ? json(nullptr) : json(r.core_file);
  if (r.result == core::ResultKind::live) {
    j["after_attach"] = r.after_attach;
  }
  {
    json threads = json::array();
    for (const auto& t : r.threads) {
      json frames = json::array();
      for (const auto& f : t.stack.frames) {
        frames.push_back(frame_json(f));
      }
      threads.push_back({{"id", t.id},
                         {"name", t.name},
                         {"stop_reason", t.stop_reason},
                         {"blamed", t.stack.blamed ? json(*t.stack.blamed) : json(nullptr)},
                         {"frames", std::move(frames)}});
    }
    j["threads"] = std::move(threads);
  }
  j["kind"] = crash ? json(r.classification.kind_id) : json(nullptr);
  j["severity"] = crash ? json(core::to_string(r.severity)) : json(nullptr);
  j["message"] = crash ? json(r.classification.message) : json(nullptr);
  j["location"] = r.classification.location
                      ? json{{"file", r.classification.location->file}, {"line", r.classification.location->line},
                             {"column", r.classification.location->column}}
                      : json(nullptr);
  j["signal"] = opt(r.signal);
  j["signal_name"] = r.signal_name.empty() ? json(nullptr) : json(r.signal_name);
  j["fault_address"] = opt(r.fault_address);
  j["exit_status"] = opt(r.exit_status);
  j["handler"] = r.handler;
  j["events"] = r.events;
  j["blamed_frame"] = r.blamed ? json{{"function", r.blamed->normalized},
                                      {"display_name", r.blamed->frame.function},
                                      {"file", r.blamed->frame.file},
                                      {"line", r.blamed->frame.line}}
                               : json(nullptr);
  json frames = json::array();
  for (const auto& f : r.stack.frames) {
    frames.push_back(frame_json(f));
  }
  j["frames"] = std::move(frames);
  // The sanitizer report beyond its headline: the region and the free / allocation stacks, each with
  // the frame it blames (schema 1: added fields).
  json stacks = json::array();
  for (const auto& st : r.sanitizer_stacks) {
    json sf = json::array();
    for (const auto& f : st.stack.frames) {
      sf.push_back(frame_json(f));
    }
    const auto* blamed = st.stack.blamed ? &st.stack.frames[*st.stack.blamed] : nullptr;
    stacks.push_back({{"role", st.role},
                      {"title", st.title},
                      {"blamed_frame", blamed ? json{{"function", blamed->normalized},
                                                     {"file", blamed->frame.file},
                                                     {"line", blamed->frame.line}}
                                              : json(nullptr)},
                      {"frames", std::move(sf)}});
  }
  j["sanitizer_evidence"] = r.sanitizer_region.empty() && r.sanitizer_stacks.empty()
                                ? json(nullptr)
                                : json{{"region", r.sanitizer_region}, {"stacks", std::move(stacks)}};
  json devices = json::array();
  for (const auto& d : r.devices) {
    json regs = json::array();
    for (const auto& reg : d.registers) {
      json fields = json::array();
      for (const auto& f : reg.decoded.fields) {
        json fj{{"name", f.name}, {"value", f.value}};
        if (!f.value_name.empty()) {
          fj["value_name"] = f.value_name;
        }
        fields.push_back(std::move(fj));
      }
      regs.push_back({{"name", reg.name},
                      {"register", reg.register_name},
                      {"value", reg.decoded.raw},
                      {"text", reg.decoded.text},
                      {"lldb_path", reg.lldb_path},
                      {"fields", std::move(fields)}});
    }
    devices.push_back({{"name", d.name},
                       {"type", d.type},
                       {"lldb_path", d.lldb_path},
                       {"origin", d.origin},
                       {"frame", opt(d.frame)},
                       {"wrappers", d.state.wrappers},
                       {"registers", std::move(regs)},
                       {"state", core::to_json(d.state)}});
  }
  j["devices"] = std::move(devices);
  // The fuzz action the harness was running (schema 1: an added field).
  j["action"] = r.action ? json{{"index", opt(r.action->index)},
                                {"text", core::describe_action(*r.action)},
                                {"frame", r.action->frame},
                                {"function", r.action->function},
                                {"rule", r.action->rule},
                                {"value", core::to_json(r.action->value)}}
                         : json(nullptr);
  if (crash) {
    j["signature"] = {{"version", r.signature.version},
                      {"id", r.signature.id},
                      {"kind", r.signature.kind},
                      {"frames", r.signature.frames},
                      {"location", r.signature.location},
                      {"recursion_collapsed", r.signature.recursion_collapsed}};
  } else {
    j["signature"] = nullptr;
  }
  j["stderr_tail"] = r.stderr_tail;
  j["reproduce"] = r.reproduce_command;
  if (!r.lldb_command_file.empty()) {
    j["lldb_command_file"] = r.lldb_command_file;
  }
  j["elapsed_ms"] = r.elapsed_ms;
  return j;
}

std::string to_json_text(const core::Report& report) { return json_text(to_json(report)) + "\n"; }

}  // namespace triage::emit
