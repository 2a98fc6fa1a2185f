#pragma once
// What a `triage` front end asks a running `triage serve` to do, and its answer. Plain data and its
// JSON form; the front end's stdin, stdout and stderr travel beside it as file descriptors.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace triage::server {

inline constexpr int k_protocol_version = 3;  // 2: strings as bytes_to_utf8; 3: offer and accept

struct Request {
  std::string op = "run";                    ///< "run" a command line, "stop" the server, "accept" its offer
  std::string engine;                        ///< file_identity() of the engine the front end would run
  std::vector<std::string> argv;             ///< the whole command line, argv[0] included
  std::string cwd;
  std::map<std::string, std::string> env;    ///< the variables triage reads (served_environment())
};

struct Reply {
  /// "offer" (the server will run it once accepted), "done" (exit_code is the command's), "refused"
  /// (run it yourself), "stopping"
  std::string status;
  int exit_code = 0;
  std::string message;
};

std::string to_json(const Request& r);
std::string to_json(const Reply& r);
std::optional<Request> request_from_json(const std::string& text);
std::optional<Reply> reply_from_json(const std::string& text);

/// The one-shot form `triage [options] BINARY ARTIFACT ...` is served; a command line whose first
/// argument is one of `subcommands` (the CLI's, cli/subcommand_names.hpp), --help/--version and
/// --no-server run in the caller's own process.
bool is_served_command_line(const std::vector<std::string>& argv, std::span<const std::string_view> subcommands);

/// The environment a served command must see as the caller had it: PATH (the target's), HOME and
/// XDG_CACHE_HOME (LLDB's index cache), LLDB_DEBUGSERVER_PATH and every TRIAGE_* variable.
bool is_served_variable(const std::string& name);

}  // namespace triage::server
