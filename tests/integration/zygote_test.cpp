// The lldb-server zygote and its shim (triage/debugserver/), driven the way LLDB drives a debugserver:
// start the shim with --fd=N on one end of a socket pair and speak gdb-remote on the other.
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "triage/debugger/lldb_server_zygote.hpp"
#include "triage/debugserver/zygote_env.hpp"

namespace {

const std::string k_lldb_server = std::string(TRIAGE_TEST_LLVM_ROOT) + "/bin/lldb-server";
const std::string k_shim = std::string(TRIAGE_TEST_BIN_DIR) + "/triage-debugserver";

/// Puts back what start_lldb_server_zygote changed in this process's environment.
class EnvironmentGuard {
 public:
  ~EnvironmentGuard() {
    for (const char* v : {"LLDB_DEBUGSERVER_PATH", triage::debugserver::k_zygote_socket_var,
                          triage::debugserver::k_real_lldb_server_var}) {
      ::unsetenv(v);
    }
  }
};

/// Sends one gdb-remote packet and returns the reply's payload ("" on timeout). Before no-ack mode
/// the server acknowledges with '+', which is skipped.
std::string exchange(int fd, const std::string& payload) {
  unsigned sum = 0;
  for (unsigned char c : payload) {
    sum += c;
  }
  const std::string packet = fmt::format("${}#{:02x}", payload, sum & 0xff);
  if (::write(fd, packet.data(), packet.size()) != static_cast<ssize_t>(packet.size())) {
    return {};
  }
  std::string in;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) {
      continue;
    }
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      return {};
    }
    in.append(buf, static_cast<size_t>(n));
    const auto start = in.find('$');
    const auto end = start == std::string::npos ? std::string::npos : in.find('#', start);
    if (end != std::string::npos && in.size() >= end + 3) {
      // Acknowledged, as the client must until no-ack mode is on (else the server sends it again).
      (void)!::write(fd, "+", 1);
      return in.substr(start + 1, end - start - 1);
    }
  }
  return {};
}

/// The pids whose parent is `parent`, and their command names.
std::vector<std::pair<pid_t, std::string>> children_of(pid_t parent) {
  std::vector<std::pair<pid_t, std::string>> out;
  DIR* d = ::opendir("/proc");
  while (const dirent* e = d != nullptr ? ::readdir(d) : nullptr) {
    const pid_t pid = std::atoi(e->d_name);
    if (pid <= 0) {
      continue;
    }
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos) {
      continue;
    }
    std::istringstream rest(text.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) {
      out.emplace_back(pid, text.substr(open + 1, close - open - 1));
    }
  }
  if (d != nullptr) {
    ::closedir(d);
  }
  return out;
}

/// Starts the shim as LLDB would: `triage-debugserver gdbserver --fd=N --native-regs --setsid`.
pid_t start_shim(int server_end) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string fd_arg = fmt::format("--fd={}", server_end);
    ::execl(k_shim.c_str(), k_shim.c_str(), "gdbserver", fd_arg.c_str(), "--native-regs", "--setsid", nullptr);
    ::_exit(127);
  }
  return pid;
}

/// Waits up to 10 s for a child; its wait status, or -1.
int wait_for(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  return -1;
}

TEST(LldbServerZygote, ForksTheServerThatAnswersAndEndsWithTheConnection) {
  EnvironmentGuard guard;
  const auto zygote = triage::debugger::start_lldb_server_zygote(k_lldb_server);
  ASSERT_GE(zygote.owner_fd, 0) << zygote.why_not;
  EXPECT_EQ(std::string(std::getenv("LLDB_DEBUGSERVER_PATH")), k_shim);

  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  const int server_end = ::dup(pair[1]);  // without close-on-exec: the shim must inherit it
  const pid_t shim = start_shim(server_end);
  ::close(server_end);
  ::close(pair[1]);

  EXPECT_EQ(exchange(pair[0], "QStartNoAckMode"), "OK");
  // The server that answered is the zygote's child (an lldb-server), not the shim exec'ing one.
  const auto servers = children_of(zygote.pid);
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_NE(servers[0].first, shim);
  EXPECT_EQ(servers[0].second, "lldb-server");
  const std::string host = exchange(pair[0], "qHostInfo");
  EXPECT_NE(host.find("triple:"), std::string::npos) << host;
  if (::access("/usr/bin/lsb_release", F_OK) == 0 || ::access("/bin/lsb_release", F_OK) == 0) {
    // Answered from the zygote's memory: "debian" in hex.
    EXPECT_NE(host.find("distribution_id:"), std::string::npos) << host;
  }

  // LLDB hanging up ends the server, and the shim with its status.
  ::close(pair[0]);
  const int status = wait_for(shim);
  ASSERT_NE(status, -1) << "the shim outlived its server";
  EXPECT_TRUE(WIFEXITED(status) || WIFSIGNALED(status));
  for (int i = 0; i < 100 && !children_of(zygote.pid).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(children_of(zygote.pid).empty());

  // Its owner gone (the pipe closed), the zygote ends too.
  ::close(zygote.owner_fd);
  const int zygote_status = wait_for(zygote.pid);
  ASSERT_NE(zygote_status, -1) << "the zygote outlived its owner";
  EXPECT_TRUE(WIFEXITED(zygote_status));
  EXPECT_EQ(WEXITSTATUS(zygote_status), 0);
}

TEST(LldbServerZygote, ShimRunsThePlainServerWhenNoZygoteAnswers) {
  EnvironmentGuard guard;
  ::setenv(triage::debugserver::k_zygote_socket_var, "triage-zygote-nobody-listens-here", 1);
  ::setenv(triage::debugserver::k_real_lldb_server_var, k_lldb_server.c_str(), 1);
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  const int server_end = ::dup(pair[1]);
  const pid_t shim = start_shim(server_end);
  ::close(server_end);
  ::close(pair[1]);
  EXPECT_EQ(exchange(pair[0], "QStartNoAckMode"), "OK");
  // The shim became lldb-server itself.
  std::ifstream comm(fmt::format("/proc/{}/comm", shim));
  std::string name;
  std::getline(comm, name);
  EXPECT_EQ(name, "lldb-server");
  ::close(pair[0]);
  EXPECT_NE(wait_for(shim), -1);
}

TEST(LldbServerZygote, ShimFallsBackWhenTheZygoteIsDead) {
  // A zygote started with an lldb-server that does not exist: the shim's request fails and it falls
  // back to the real server; nothing hangs.
  EnvironmentGuard guard;
  const auto zygote = triage::debugger::start_lldb_server_zygote("/nonexistent/lldb-server");
  ASSERT_GE(zygote.owner_fd, 0);
  ::setenv(triage::debugserver::k_real_lldb_server_var, k_lldb_server.c_str(), 1);
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  const int server_end = ::dup(pair[1]);
  const pid_t shim = start_shim(server_end);
  ::close(server_end);
  ::close(pair[1]);
  EXPECT_EQ(exchange(pair[0], "QStartNoAckMode"), "OK");
  ::close(pair[0]);
  EXPECT_NE(wait_for(shim), -1);
  ::close(zygote.owner_fd);
  EXPECT_NE(wait_for(zygote.pid), -1);
}

}  // namespace
