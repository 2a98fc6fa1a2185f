#include "triage/core/snapshot.hpp"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "triage/core/json_value.hpp"

namespace triage::core {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<StopCause, std::string_view>, 8> k_causes{{
    {StopCause::none, "none"},
    {StopCause::breakpoint, "breakpoint"},
    {StopCause::signal, "signal"},
    {StopCause::sanitizer, "sanitizer"},
    {StopCause::watchdog, "watchdog"},
    {StopCause::native_leak, "native-leak"},
    {StopCause::native_crash, "native-crash"},
    {StopCause::attach, "attach"},
}};

/// A snapshot that does not have the shape written by to_json: the message says where.
struct ShapeError {
  std::string what;
};

/// The objects of the array at `key` (none when absent or null); anything else there is a ShapeError.
const json::array_t& objects_at(const json& j, const char* key) {
  static const json::array_t none;
  if (!j.contains(key) || j.at(key).is_null()) {
    return none;
  }
  const json& a = j.at(key);
  if (!a.is_array()) {
    throw ShapeError{std::string("\"") + key + "\" is not an array"};
  }
  for (const auto& e : a) {
    if (!e.is_object()) {
      throw ShapeError{std::string("\"") + key + "\" holds a value that is not an object"};
    }
  }
  return a.get_ref<const json::array_t&>();
}

/// Device values nest; deeper than this is not a snapshot triage wrote (and would exhaust the stack).
constexpr int k_max_value_depth = 64;

template <class T>
void put_optional(json& j, const char* key, const std::optional<T>& v) {
  j[key] = v ? json(*v) : json(nullptr);
}

template <class T>
std::optional<T> get_optional(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) {
    return std::nullopt;
  }
  return json_value<T>(j.at(key));
}

template <class T>
T get_or(const json& j, const char* key, T fallback) {
  return json_member_or<T>(j, key, std::move(fallback));
}

json frame_to_json(const Frame& f) {
  return json{{"function", f.function}, {"module", f.module}, {"file", f.file},   {"line", f.line},
              {"column", f.column},     {"inlined", f.inlined}, {"pc", f.pc}};
}

Frame frame_from_json(const json& j) {
  Frame f;
  f.function = get_or<std::string>(j, "function", "");
  f.module = get_or<std::string>(j, "module", "");
  f.file = get_or<std::string>(j, "file", "");
  f.line = get_or<uint32_t>(j, "line", 0);
  f.column = get_or<uint32_t>(j, "column", 0);
  f.inlined = get_or<bool>(j, "inlined", false);
  f.pc = get_or<uint64_t>(j, "pc", 0);
  return f;
}

DumpedValue value_from_json(const json& j, int depth = 0) {
  if (!j.is_object()) {
    throw ShapeError{"a device value is not an object"};
  }
  if (depth > k_max_value_depth) {
    throw ShapeError{"device values nest deeper than " + std::to_string(k_max_value_depth)};
  }
  DumpedValue v;
  v.name = get_or<std::string>(j, "name", "");
  v.type = get_or<std::string>(j, "type", "");
  v.lldb_path = get_or<std::string>(j, "lldb_path", "");
  v.value = get_or<std::string>(j, "value", "");
  v.raw = get_optional<uint64_t>(j, "raw");
  v.register_name = get_or<std::string>(j, "register", "");
  v.schema_device = get_or<std::string>(j, "schema_device", "");
  v.wrappers = get_or<std::vector<std::string>>(j, "wrappers", {});
  if (j.contains("facts") && !j.at("facts").is_null()) {
    if (!j.at("facts").is_object()) {
      throw ShapeError{"\"facts\" is not an object"};
    }
    for (const auto& [k, val] : j.at("facts").items()) {
      v.facts.emplace_back(k, val.get<std::string>());
    }
  }
  for (const auto& c : objects_at(j, "children")) {
    v.children.push_back(value_from_json(c, depth + 1));
  }
  return v;
}

}  // namespace

std::string_view to_string(StopCause cause) {
  for (const auto& [c, name] : k_causes) {
    if (c == cause) {
      return name;
    }
  }
  return "none";
}

json to_json(const DumpedValue& v) {
  json j{{"name", v.name}, {"type", v.type}, {"lldb_path", v.lldb_path}, {"value", v.value}};
  put_optional(j, "raw", v.raw);
  if (!v.register_name.empty()) {
    j["register"] = v.register_name;
    j["schema_device"] = v.schema_device;
  }
  if (!v.wrappers.empty()) {
    j["wrappers"] = v.wrappers;
  }
  if (!v.facts.empty()) {
    json facts = json::object();
    for (const auto& [k, val] : v.facts) {
      facts[k] = val;
    }
    j["facts"] = std::move(facts);
  }
  if (!v.children.empty()) {
    json children = json::array();
    for (const auto& c : v.children) {
      children.push_back(to_json(c));
    }
    j["children"] = std::move(children);
  }
  return j;
}

json to_json(const CrashSnapshot& s) {
  json j;
  j["schema_version"] = s.schema_version;
  j["binary"] = s.binary;
  j["artifact"] = {{"path", s.artifact.path}, {"sha1", s.artifact.sha1}, {"size", s.artifact.size}};
  j["cause"] = to_string(s.cause);
  j["handler"] = s.handler;
  j["events"] = s.events;
  put_optional(j, "signal", s.signal);
  j["signal_name"] = s.signal_name;
  put_optional(j, "fault_address", s.fault_address);
  put_optional(j, "stack_pointer", s.stack_pointer);
  put_optional(j, "exit_status", s.exit_status);
  if (s.sanitizer) {
    json r{{"tool", s.sanitizer->tool}, {"description", s.sanitizer->description}, {"fatal", s.sanitizer->fatal}};
    put_optional(r, "address", s.sanitizer->address);
    put_optional(r, "access_size", s.sanitizer->access_size);
    put_optional(r, "is_write", s.sanitizer->is_write);
    j["sanitizer"] = std::move(r);
  } else {
    j["sanitizer"] = nullptr;
  }
  j["sanitizer_region"] = s.sanitizer_region;
  json stacks = json::array();
  for (const auto& st : s.sanitizer_stacks) {
    json sf = json::array();
    for (const auto& f : st.frames) {
      sf.push_back(frame_to_json(f));
    }
    stacks.push_back({{"role", st.role}, {"title", st.title}, {"frames", std::move(sf)}});
  }
  j["sanitizer_stacks"] = std::move(stacks);
  j["exception_type"] = s.exception_type;
  j["thread_id"] = s.thread_id;
  j["thread_name"] = s.thread_name;
  json frames = json::array();
  for (const auto& f : s.frames) {
    frames.push_back(frame_to_json(f));
  }
  j["frames"] = std::move(frames);
  j["frames_truncated"] = s.frames_truncated;
  json devices = json::array();
  for (const auto& d : s.devices) {
    json dj{{"device", d.device}, {"origin", d.origin}, {"value", to_json(d.value)}};
    put_optional(dj, "frame", d.frame);
    devices.push_back(std::move(dj));
  }
  j["devices"] = std::move(devices);
  if (s.action) {
    json a{{"rule", s.action->rule}, {"frame", s.action->frame}, {"function", s.action->function},
           {"value", to_json(s.action->value)}};
    put_optional(a, "index", s.action->index);
    j["action"] = std::move(a);
  } else {
    j["action"] = nullptr;
  }
  j["stderr"] = s.stderr_text;
  j["elapsed_ms"] = s.elapsed_ms;
  j["timeout_seconds"] = s.timeout_seconds;
  j["source"] = s.source;
  put_optional(j, "pid", s.pid);
  j["core_file"] = s.core_file;
  put_optional(j, "hit_count", s.hit_count);
  json threads = json::array();
  for (const auto& t : s.threads) {
    json tf = json::array();
    for (const auto& f : t.frames) {
      tf.push_back(frame_to_json(f));
    }
    threads.push_back({{"id", t.id}, {"name", t.name}, {"stop_reason", t.stop_reason}, {"frames", std::move(tf)},
                       {"truncated", t.truncated}});
  }
  j["threads"] = std::move(threads);
  return j;
}

Result<DumpedValue> dumped_value_from_json(const json& j) {
  try {
    return value_from_json(j);
  } catch (const json::exception& e) {
    return make_error(ErrorCode::data_invalid, std::string("malformed value JSON: ") + e.what());
  }
}

Result<CrashSnapshot> snapshot_from_json(const json& j) {
  try {
    if (!j.is_object()) {
      throw ShapeError{"not a JSON object"};
    }
    CrashSnapshot s;
    s.schema_version = get_or<int>(j, "schema_version", 0);
    if (s.schema_version != k_snapshot_schema_version) {
      return make_error(ErrorCode::data_invalid,
                        "unsupported snapshot schema_version " + std::to_string(s.schema_version));
    }
    s.binary = get_or<std::string>(j, "binary", "");
    if (j.contains("artifact") && !j.at("artifact").is_null()) {
      const auto& a = j.at("artifact");
      if (!a.is_object()) {
        throw ShapeError{"\"artifact\" is not an object"};
      }
      s.artifact = {get_or<std::string>(a, "path", ""), get_or<std::string>(a, "sha1", ""),
                    get_or<uint64_t>(a, "size", 0)};
    }
    // The cause decides crash or no-repro: it must be there, and one triage knows.
    if (!j.contains("cause")) {
      throw ShapeError{"no \"cause\""};
    }
    const auto cause = j.at("cause").get<std::string>();
    bool known = false;
    for (const auto& [c, name] : k_causes) {
      if (name == cause) {
        s.cause = c;
        known = true;
      }
    }
    if (!known) {
      throw ShapeError{"unknown cause \"" + cause + "\""};
    }
    s.handler = get_or<std::string>(j, "handler", "");
    s.events = get_or<std::vector<std::string>>(j, "events", {});
    s.signal = get_optional<int>(j, "signal");
    s.signal_name = get_or<std::string>(j, "signal_name", "");
    s.fault_address = get_optional<uint64_t>(j, "fault_address");
    s.stack_pointer = get_optional<uint64_t>(j, "stack_pointer");
    s.exit_status = get_optional<int>(j, "exit_status");
    if (j.contains("sanitizer") && !j.at("sanitizer").is_null()) {
      const auto& r = j.at("sanitizer");
      if (!r.is_object()) {
        throw ShapeError{"\"sanitizer\" is not an object"};
      }
      SanitizerReport rep;
      rep.tool = get_or<std::string>(r, "tool", "");
      rep.description = get_or<std::string>(r, "description", "");
      rep.address = get_optional<uint64_t>(r, "address");
      rep.access_size = get_optional<uint64_t>(r, "access_size");
      rep.is_write = get_optional<bool>(r, "is_write");
      rep.fatal = get_or<bool>(r, "fatal", true);
      s.sanitizer = rep;
    }
    s.exception_type = get_or<std::string>(j, "exception_type", "");
    s.thread_id = get_or<uint64_t>(j, "thread_id", 0);
    s.thread_name = get_or<std::string>(j, "thread_name", "");
    for (const auto& f : objects_at(j, "frames")) {
      s.frames.push_back(frame_from_json(f));
    }
    s.frames_truncated = get_or<bool>(j, "frames_truncated", false);
    for (const auto& d : objects_at(j, "devices")) {
      s.devices.push_back({get_or<std::string>(d, "device", ""), get_or<std::string>(d, "origin", ""),
                           value_from_json(d.at("value")), get_optional<uint32_t>(d, "frame")});
    }
    if (j.contains("action") && !j.at("action").is_null()) {
      const auto& a = j.at("action");
      if (!a.is_object() || !a.contains("value")) {
        throw ShapeError{"'action' must be an object with a value"};
      }
      s.action = FuzzAction{get_or<std::string>(a, "rule", ""), get_or<uint32_t>(a, "frame", 0),
                            get_or<std::string>(a, "function", ""), value_from_json(a.at("value")),
                            get_optional<uint64_t>(a, "index")};
    }
    s.stderr_text = get_or<std::string>(j, "stderr", "");
    s.elapsed_ms = get_or<double>(j, "elapsed_ms", 0.0);
    s.timeout_seconds = get_or<uint32_t>(j, "timeout_seconds", 0);
    s.source = get_or<std::string>(j, "source", "run");
    s.pid = get_optional<int64_t>(j, "pid");
    s.core_file = get_or<std::string>(j, "core_file", "");
    s.hit_count = get_optional<uint32_t>(j, "hit_count");
    s.sanitizer_region = get_or<std::string>(j, "sanitizer_region", "");
    for (const auto& st : objects_at(j, "sanitizer_stacks")) {
      EvidenceStack es{get_or<std::string>(st, "role", ""), get_or<std::string>(st, "title", ""), {}};
      for (const auto& f : objects_at(st, "frames")) {
        es.frames.push_back(frame_from_json(f));
      }
      s.sanitizer_stacks.push_back(std::move(es));
    }
    for (const auto& t : objects_at(j, "threads")) {
      ThreadSnapshot ts;
      ts.id = get_or<uint64_t>(t, "id", 0);
      ts.name = get_or<std::string>(t, "name", "");
      ts.stop_reason = get_or<std::string>(t, "stop_reason", "");
      ts.truncated = get_or<bool>(t, "truncated", false);
      for (const auto& f : objects_at(t, "frames")) {
        ts.frames.push_back(frame_from_json(f));
      }
      s.threads.push_back(std::move(ts));
    }
    return s;
  } catch (const ShapeError& e) {
    return make_error(ErrorCode::data_invalid, "malformed snapshot JSON: " + e.what);
  } catch (const json::exception& e) {
    return make_error(ErrorCode::data_invalid, std::string("malformed snapshot JSON: ") + e.what());
  }
}

}  // namespace triage::core
