#include "triage/debugger/lldb_server_zygote.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "triage/debugserver/zygote_env.hpp"
#include "triage/server/unix_socket.hpp"

namespace triage::debugger {

ZygoteStart start_lldb_server_zygote(const std::string& lldb_server) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return {-1, -1, "cannot find this executable"};
  }
  const std::string shim = (self.parent_path() / "triage-debugserver").string();
  const std::string preload = (self.parent_path().parent_path() / "lib" / "libtriage-lldb-zygote.so").string();
  if (::access(shim.c_str(), X_OK) != 0 || ::access(preload.c_str(), R_OK) != 0) {
    return {-1, -1, "no " + shim + " or " + preload};
  }
  const std::string name = fmt::format("triage-zygote-{}-{:016x}", ::getpid(), std::random_device{}() * 0x9e3779b97f4a7c15ULL);
  std::string why;
  const int listen_fd = server::listen_abstract(name, why);
  if (listen_fd < 0) {
    return {-1, -1, why};
  }
  int owner[2];
  if (::pipe2(owner, O_CLOEXEC) != 0) {
    ::close(listen_fd);
    return {-1, -1, "pipe failed"};
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The zygote: lldb-server itself, stopped before main() by the preloaded library.
    const int l = ::dup(listen_fd);  // dup: without close-on-exec
    const int o = ::dup(owner[0]);
    ::setenv("LD_PRELOAD", preload.c_str(), 1);
    ::setenv(debugserver::k_zygote_listen_fd_var, std::to_string(l).c_str(), 1);
    ::setenv(debugserver::k_zygote_owner_fd_var, std::to_string(o).c_str(), 1);
    const char* argv[] = {lldb_server.c_str(), "gdbserver", nullptr};
    ::execv(lldb_server.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(listen_fd);
  ::close(owner[0]);
  if (pid < 0) {
    ::close(owner[1]);
    return {-1, -1, "fork failed"};
  }
  ::setenv(debugserver::k_zygote_socket_var, name.c_str(), 1);
  ::setenv(debugserver::k_real_lldb_server_var, lldb_server.c_str(), 1);
  ::setenv("LLDB_DEBUGSERVER_PATH", shim.c_str(), 1);
  return {owner[1], pid, {}};
}

}  // namespace triage::debugger
