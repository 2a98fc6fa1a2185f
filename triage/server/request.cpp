#include "triage/server/request.hpp"

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

namespace triage::server {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 9> k_subcommands{"bulk", "report", "attach",  "core", "make-core",
                                                        "script", "merge", "replay", "serve"};

}  // namespace

std::string to_json(const Request& r) {
  return json{{"v", k_protocol_version}, {"op", r.op}, {"engine", r.engine}, {"argv", r.argv}, {"cwd", r.cwd},
              {"env", r.env}}
      .dump();
}

std::string to_json(const Reply& r) {
  return json{{"v", k_protocol_version}, {"status", r.status}, {"exit_code", r.exit_code}, {"message", r.message}}.dump();
}

std::optional<Request> request_from_json(const std::string& text) {
  const auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != k_protocol_version) {
    return std::nullopt;
  }
  try {
    Request r;
    r.op = j.at("op").get<std::string>();
    r.engine = j.value("engine", "");
    r.argv = j.value("argv", std::vector<std::string>{});
    r.cwd = j.value("cwd", "");
    r.env = j.value("env", std::map<std::string, std::string>{});
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::optional<Reply> reply_from_json(const std::string& text) {
  const auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != k_protocol_version) {
    return std::nullopt;
  }
  try {
    return Reply{j.at("status").get<std::string>(), j.value("exit_code", 0), j.value("message", "")};
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

bool is_served_command_line(const std::vector<std::string>& argv) {
  if (argv.size() < 3) {
    return false;
  }
  for (const auto& sub : k_subcommands) {
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
