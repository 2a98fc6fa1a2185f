// triage-debugserver: what LLDB starts as its debugserver (LLDB_DEBUGSERVER_PATH) when the engine runs
// an lldb-server zygote (see zygote_preload.cpp). It hands its command line, environment, working
// directory and descriptors to the zygote, which forks an lldb-server that takes them over, then waits
// and ends as that lldb-server ends (LLDB watches this process as its debugserver). With no zygote to
// answer, it becomes the real lldb-server, so LLDB never notices the difference.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "triage/debugserver/launch_request.hpp"
#include "triage/debugserver/zygote_env.hpp"
#include "triage/server/unix_socket.hpp"

namespace {

[[noreturn]] void exec_real(char** argv) {
  const char* real = std::getenv(triage::debugserver::k_real_lldb_server_var);
  if (real == nullptr || *real == '\0') {
    real = "/usr/lib/llvm-" TRIAGE_LLVM_VERSION_STRING "/bin/lldb-server";
  }
  argv[0] = const_cast<char*>(real);
  ::execv(real, argv);
  const std::string msg = std::string("triage-debugserver: cannot run ") + real + ": " + std::strerror(errno) + "\n";
  (void)!::write(2, msg.data(), msg.size());
  std::_Exit(127);
}

/// Every descriptor this process has, but the connection to the zygote.
std::vector<int> open_descriptors(int except) {
  std::vector<int> fds;
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) {
    return fds;
  }
  const int dir_fd = ::dirfd(d);
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') {
      continue;
    }
    const int fd = std::atoi(e->d_name);
    if (fd != dir_fd && fd != except) {
      fds.push_back(fd);
    }
  }
  ::closedir(d);
  return fds;
}

}  // namespace

int main(int argc, char** argv) {
  const char* name = std::getenv(triage::debugserver::k_zygote_socket_var);
  const int conn = name != nullptr ? triage::server::connect_abstract(name) : -1;
  if (conn < 0) {
    exec_real(argv);
  }
  triage::debugserver::LaunchRequest req;
  const char* real = std::getenv(triage::debugserver::k_real_lldb_server_var);
  req.argv.emplace_back(real != nullptr ? real : argv[0]);
  for (int i = 1; i < argc; ++i) {
    req.argv.emplace_back(argv[i]);
  }
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "TRIAGE_ZYGOTE_", 14) != 0) {
      req.env.emplace_back(*e);
    }
  }
  char cwd[4096];
  if (::getcwd(cwd, sizeof cwd) != nullptr) {
    req.cwd = cwd;
  }
  req.fd_numbers = open_descriptors(conn);
  if (!triage::server::send_message(conn, triage::debugserver::encode(req), req.fd_numbers)) {
    ::close(conn);
    exec_real(argv);
  }
  if (!triage::server::receive_message(conn)) {
    ::close(conn);  // no lldb-server was started (the zygote could not fork, or went away)
    exec_real(argv);
  }
  const auto reply = triage::server::receive_message(conn);
  const auto status = reply ? triage::debugserver::decode_wait_status(*reply) : std::nullopt;
  if (!status) {
    return 1;  // the zygote died under it: whatever it started is gone too
  }
  if (WIFSIGNALED(*status)) {
    ::signal(WTERMSIG(*status), SIG_DFL);
    ::raise(WTERMSIG(*status));
    return 128 + WTERMSIG(*status);
  }
  return WIFEXITED(*status) ? WEXITSTATUS(*status) : 1;
}
