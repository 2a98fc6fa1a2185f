// The lldb-server zygote (triage/debugserver/): the servers it forks speak gdb-remote on the socket
// they are handed, and end with their connection, their request or their owner.
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
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

namespace {

const std::string k_lldb_server = std::string(TRIAGE_TEST_LLVM_ROOT) + "/bin/lldb-server";

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

/// Waits up to 5 s for `pid` to have no children left.
bool no_children_soon(pid_t pid) {
  for (int i = 0; i < 100 && !children_of(pid).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return children_of(pid).empty();
}

TEST(LldbServerZygote, ForkedServerSpeaksGdbRemoteAndEndsWithItsConnection) {
  const auto zygote = triage::debugger::start_lldb_server_zygote(k_lldb_server);
  ASSERT_GE(zygote.owner_fd, 0) << zygote.why_not;
  {
    auto server = triage::debugger::fork_lldb_server();
    ASSERT_TRUE(server.has_value());
    EXPECT_EQ(exchange(server->client_fd(), "QStartNoAckMode"), "OK");
    // The server that answered is the zygote's child, and an lldb-server.
    const auto servers = children_of(zygote.pid);
    ASSERT_EQ(servers.size(), 1u);
    EXPECT_EQ(servers[0].first, server->pid());
    EXPECT_EQ(servers[0].second, "lldb-server");
    const std::string host = exchange(server->client_fd(), "qHostInfo");
    EXPECT_NE(host.find("triple:"), std::string::npos) << host;
    if (::access("/usr/bin/lsb_release", F_OK) == 0 || ::access("/bin/lsb_release", F_OK) == 0) {
      // lldb-server's `lsb_release -i`, answered from the zygote's memory.
      EXPECT_NE(host.find("distribution_id:"), std::string::npos) << host;
    }
    // The client hanging up ends the server.
    ::close(server->client_fd());
    EXPECT_TRUE(no_children_soon(zygote.pid));
  }
  // Its owner gone (the pipe closed), the zygote ends too.
  ::close(zygote.owner_fd);
  const int status = wait_for(zygote.pid);
  ASSERT_NE(status, -1) << "the zygote outlived its owner";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(LldbServerZygote, DroppingTheRequestKillsItsServer) {
  const auto zygote = triage::debugger::start_lldb_server_zygote(k_lldb_server);
  ASSERT_GE(zygote.owner_fd, 0) << zygote.why_not;
  int client = -1;
  {
    auto server = triage::debugger::fork_lldb_server();
    ASSERT_TRUE(server.has_value());
    client = server->client_fd();
    EXPECT_EQ(exchange(client, "QStartNoAckMode"), "OK");
    EXPECT_EQ(children_of(zygote.pid).size(), 1u);
  }  // a run that ends (or a worker that dies) closes its request: the zygote kills what it started
  EXPECT_TRUE(no_children_soon(zygote.pid));
  // The server's end is gone: end of file, or a reset when it died with our last "+" unread.
  pollfd p{client, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  char c = 0;
  const ssize_t n = ::read(client, &c, 1);
  EXPECT_TRUE(n == 0 || (n < 0 && errno == ECONNRESET)) << "read " << n << ", errno " << errno;
  ::close(client);
  ::close(zygote.owner_fd);
  EXPECT_NE(wait_for(zygote.pid), -1);
}

TEST(LldbServerZygote, NoServerWithoutAZygote) {
  // The zygote's lldb-server cannot be started: no server is forked, and nothing hangs; a run then
  // lets LLDB start its own lldb-server.
  const auto zygote = triage::debugger::start_lldb_server_zygote("/nonexistent/lldb-server");
  ASSERT_GE(zygote.owner_fd, 0);
  EXPECT_NE(wait_for(zygote.pid), -1);
  EXPECT_FALSE(triage::debugger::fork_lldb_server().has_value());
  ::close(zygote.owner_fd);
}

}  // namespace
