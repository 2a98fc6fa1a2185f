// triage: the front end. A one-shot `triage BINARY ARTIFACT` goes to a running `triage serve` when one
// answers (LLDB already up, sessions warm); everything else, and every fallback, execs the engine
// (triage-engine, next to this file) with the same arguments. This file links no LLDB: it must start
// in a millisecond, where the engine's start-up alone is ~40 ms of dynamic linking.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "triage/cli/subcommand_names.hpp"
#include "triage/core/file_identity.hpp"
#include "triage/server/client.hpp"
#include "triage/server/request.hpp"
#include "triage/server/unix_socket.hpp"

extern char** environ;

namespace {

std::string engine_path() {
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    return "triage-engine";
  }
  std::string path(self, static_cast<size_t>(n));
  const auto slash = path.rfind('/');
  return path.substr(0, slash + 1) + "triage-engine";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string engine = engine_path();
  const std::vector<std::string> args(argv, argv + argc);
  const char* no_server = std::getenv("TRIAGE_NO_SERVER");
  if ((no_server == nullptr || *no_server == '\0') && triage::server::is_served_command_line(args, triage::cli::subcommand_words())) {
    if (auto code = triage::server::forward(triage::server::default_socket_path(), triage::core::file_identity(engine),
                                            args, environ)) {
      return *code;
    }
  }
  ::execv(engine.c_str(), argv);
  std::fprintf(stderr, "triage: error: cannot run %s: %s\n", engine.c_str(), std::strerror(errno));
  return 127;
}
