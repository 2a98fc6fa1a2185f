#pragma once
// The front end's side of `triage serve`: hand the command line, the working directory, the variables
// triage reads and our stdin/stdout/stderr to the server, and wait for its exit code.
#include <optional>
#include <string>
#include <vector>

namespace triage::server {

/// The command's exit code when a server at `socket_path` ran it; nullopt when the caller must run it
/// itself: nothing listens, the server refused (another engine build, another lldb-server), or it went
/// away before answering (its output, if any, already went to our stdout/stderr).
std::optional<int> forward(const std::string& socket_path, const std::string& engine_identity,
                           const std::vector<std::string>& argv, char** envp);

/// Asks the server at `socket_path` to exit. False when none answered.
bool request_stop(const std::string& socket_path);

}  // namespace triage::server
