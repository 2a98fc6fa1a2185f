#pragma once
// What the engine asks the lldb-server zygote to run: an lldb-server command line, its environment
// and working directory, and which descriptor numbers the descriptors sent along with the request
// (SCM_RIGHTS, same order) must have in the new lldb-server.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace triage::debugserver {

struct LaunchRequest {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd;
  std::vector<int> fd_numbers;
};

/// "triage-zygote/1", then NUL-terminated fields: argc, the arguments, envc, the variables, the
/// working directory, fd count, the numbers.
std::string encode(const LaunchRequest& request);

/// nullopt for anything else (another version, truncated, counts that do not match, negative
/// descriptor numbers, an empty command line).
std::optional<LaunchRequest> decode(std::string_view bytes);

}  // namespace triage::debugserver
