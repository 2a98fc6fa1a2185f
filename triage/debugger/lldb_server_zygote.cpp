#include "triage/debugger/lldb_server_zygote.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "triage/debugserver/launch_request.hpp"
#include "triage/debugserver/zygote_env.hpp"
#include "triage/server/unix_socket.hpp"

namespace triage::debugger {
namespace {

std::string g_zygote_name;    ///< the abstract socket of this process's zygote
std::string g_lldb_server;    ///< what it runs

}  // namespace

ForkedServer::~ForkedServer() {
  if (m_request_fd >= 0) {
    ::close(m_request_fd);
  }
}

std::optional<ForkedServer> fork_lldb_server() {
  if (g_zygote_name.empty()) {
    return std::nullopt;
  }
  const int conn = server::connect_abstract(g_zygote_name);
  if (conn < 0) {
    return std::nullopt;
  }
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    ::close(conn);
    return std::nullopt;
  }
  // What LLDB runs when it starts a debugserver itself (GDBRemoteCommunication::StartDebugserverProcess).
  debugserver::LaunchRequest req;
  req.argv = {g_lldb_server, "gdbserver", "--fd=3", "--native-regs", "--setsid"};
  for (char** e = environ; *e != nullptr; ++e) {
    req.env.emplace_back(*e);
  }
  std::error_code ec;
  req.cwd = std::filesystem::current_path(ec).string();
  // Its own output goes nowhere, as for a debugserver LLDB starts ("lldb-server exiting..." at the end).
  static const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  req.fd_numbers = {0, 1, 2, 3};
  const bool sent = devnull >= 0 && server::send_message(conn, debugserver::encode(req), {devnull, devnull, devnull, pair[1]});
  ::close(pair[1]);
  const auto started = sent ? server::receive_message(conn) : std::nullopt;
  if (!started) {
    ::close(pair[0]);
    ::close(conn);
    return std::nullopt;
  }
  return std::optional<ForkedServer>(std::in_place, pair[0], conn, std::atoi(started->c_str()));
}

ZygoteStart start_lldb_server_zygote(const std::string& lldb_server) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return {-1, -1, "cannot find this executable"};
  }
  const std::string preload = (self.parent_path().parent_path() / "lib" / "libtriage-lldb-zygote.so").string();
  if (::access(preload.c_str(), R_OK) != 0) {
    return {-1, -1, "no " + preload};
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
  // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
  const int listen_copy = ::fcntl(listen_fd, F_DUPFD, 3);  // without close-on-exec: the zygote keeps these
  const int owner_copy = ::fcntl(owner[0], F_DUPFD, 3);
  std::vector<std::string> env_strings{"LD_PRELOAD=" + preload,
                                       fmt::format("{}={}", debugserver::k_zygote_listen_fd_var, listen_copy),
                                       fmt::format("{}={}", debugserver::k_zygote_owner_fd_var, owner_copy)};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).starts_with("LD_PRELOAD=")) {
      continue;
    }
    env_strings.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env_strings) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  const char* argv[] = {lldb_server.c_str(), "gdbserver", nullptr};
  const pid_t pid = listen_copy >= 0 && owner_copy >= 0 ? ::fork() : -1;
  if (pid == 0) {
    // The zygote: lldb-server itself, stopped before main() by the preloaded library.
    ::execve(lldb_server.c_str(), const_cast<char* const*>(argv), envp.data());
    ::_exit(127);
  }
  for (int fd : {listen_copy, owner_copy}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  ::close(listen_fd);
  ::close(owner[0]);
  if (pid < 0) {
    ::close(owner[1]);
    return {-1, -1, "fork failed"};
  }
  g_zygote_name = name;
  g_lldb_server = lldb_server;
  return {owner[1], pid, {}};
}

}  // namespace triage::debugger
