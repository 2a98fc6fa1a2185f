#include "triage/server/request.hpp"

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

#include "triage/core/json_value.hpp"
#include "triage/core/utf8.hpp"

namespace triage::server {
namespace {

using nlohmann::json;


}  // namespace

// Arguments, the directory and the environment are bytes (a file name need not be UTF-8): every
// string of a request travels through bytes_to_utf8, which JSON always accepts, and back.
std::string to_json(const Request& r) {
  json argv = json::array();
  for (const auto& a : r.argv) {
    argv.push_back(core::bytes_to_utf8(a));
  }
  json env = json::object();
  for (const auto& [k, v] : r.env) {
    env[core::bytes_to_utf8(k)] = core::bytes_to_utf8(v);
  }
  return json{{"v", k_protocol_version}, {"op", r.op},     {"engine", core::bytes_to_utf8(r.engine)},
              {"argv", argv},            {"cwd", core::bytes_to_utf8(r.cwd)}, {"env", env}}
      .dump();
}

std::string to_json(const Reply& r) {
  return json{{"v", k_protocol_version}, {"status", r.status}, {"exit_code", r.exit_code}, {"message", r.message}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Request> request_from_json(const std::string& text) {
  const auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  try {
    if (core::json_member_or<int>(j, "v", 0) != k_protocol_version) {
      return std::nullopt;
    }
    Request r;
    r.op = j.at("op").get<std::string>();
    r.engine = core::utf8_to_bytes(j.value("engine", ""));
    for (const auto& a : j.value("argv", std::vector<std::string>{})) {
      r.argv.push_back(core::utf8_to_bytes(a));
    }
    r.cwd = core::utf8_to_bytes(j.value("cwd", ""));
    for (const auto& [k, v] : j.value("env", std::map<std::string, std::string>{})) {
      r.env[core::utf8_to_bytes(k)] = core::utf8_to_bytes(v);
    }
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::optional<Reply> reply_from_json(const std::string& text) {
  const auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  try {
    if (core::json_member_or<int>(j, "v", 0) != k_protocol_version) {
      return std::nullopt;
    }
    return Reply{j.at("status").get<std::string>(), core::json_member_or<int>(j, "exit_code", 0), j.value("message", "")};
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

bool is_served_command_line(const std::vector<std::string>& argv, std::span<const std::string_view> subcommands) {
  if (argv.size() < 3) {
    return false;
  }
  for (const auto& sub : subcommands) {
    if (argv[1] == sub) {
      return false;
    }
  }
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h" || a == "--version" || a == "--no-server" || a.starts_with("--from-snapshot")) {
      return false;
    }
  }
  return true;
}

bool is_served_variable(const std::string& name) {
  return name == "PATH" || name == "HOME" || name == "XDG_CACHE_HOME" || name == "LLDB_DEBUGSERVER_PATH" ||
         name.starts_with("TRIAGE_");
}

}  // namespace triage::server
