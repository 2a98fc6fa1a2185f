#pragma once
// This process's lldb-server zygote (triage/debugserver/zygote_preload.cpp): every run gets a ready
// lldb-server forked from it, connected over a socket pair, instead of LLDB forking this (large)
// process to exec and dynamically link a new one.
#include <optional>
#include <string>
#include <utility>

namespace triage::debugger {

struct ZygoteStart {
  int owner_fd = -1;   ///< keep open while LLDB runs; closing it stops the zygote
  int pid = -1;        ///< the zygote (our child)
  std::string why_not; ///< empty when started
};

/// An lldb-server the zygote forked for us, connected by a socket pair and waiting for a client.
class ForkedServer {
 public:
  ForkedServer(int client_fd, int request_fd, int pid) : m_client_fd(client_fd), m_request_fd(request_fd), m_pid(pid) {}
  ForkedServer(ForkedServer&& o) noexcept
      : m_client_fd(std::exchange(o.m_client_fd, -1)), m_request_fd(std::exchange(o.m_request_fd, -1)), m_pid(o.m_pid) {}
  ForkedServer& operator=(ForkedServer&&) = delete;
  /// Closing the request ends the server if it still runs (the zygote kills it).
  ~ForkedServer();

  /// Our end of the connection: LLDB connects over it (fd://N) and owns it from then on.
  int client_fd() const { return m_client_fd; }
  int pid() const { return m_pid; }

 private:
  int m_client_fd;
  int m_request_fd;
  int m_pid;
};

/// A new lldb-server from this process's zygote: no fork of this (large) process, no exec, no dynamic
/// linking. nullopt when no zygote runs here or it does not answer.
std::optional<ForkedServer> fork_lldb_server();

/// Before SBDebugger::Initialize, after any other fork (the zygote must not share our descriptors).
/// Needs the preload library (../lib/libtriage-lldb-zygote.so from this executable); without it
/// there is no zygote and LLDB starts its lldb-servers itself.
ZygoteStart start_lldb_server_zygote(const std::string& lldb_server);

}  // namespace triage::debugger
