#include "triage/cli/subcommand_names.hpp"
#include "triage/cli/console.hpp"
#include "triage/cli/serve_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "triage/cli/app.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/core/file_identity.hpp"
#include "triage/debugger/lldb_runtime.hpp"
#include "triage/debugger/scratch_dir.hpp"
#include "triage/debugger/session_pool.hpp"
#include "triage/server/request.hpp"
#include "triage/server/client.hpp"
#include "triage/server/unix_socket.hpp"

extern char** environ;

namespace triage::cli {

void add_serve_options(CLI::App* cmd, ServeOptions& o) {
  cmd->add_option("--socket", o.socket, "UNIX socket to listen on (default: $TRIAGE_SOCKET, "
                                        "$XDG_RUNTIME_DIR/triage/serve.sock, /tmp/triage-UID/serve.sock)")
      ->type_name("FILE");
  cmd->add_flag("--detach", o.detach, "go to the background once listening");
  cmd->add_flag("--stop", o.stop, "ask the server on the socket to exit");
  cmd->add_option("--log", o.log, "append one line per request to FILE (default: stderr, nothing when detached)")
      ->type_name("FILE");
  cmd->add_option("--idle-exit", o.idle_exit_seconds, "exit after this many seconds without a request (0: never)");
  cmd->add_option("--restart-every", o.restart_every, "restart (same socket) after this many requests (0: never)");
  cmd->add_option("--lldb-server", o.lldb_server, "lldb-server to use");
  cmd->add_option("--listen-fd", o.listen_fd)->group("");
  cmd->add_option("--served", o.served_before)->group("");
}

namespace {

using Clock = std::chrono::steady_clock;

/// Runs one request on the caller's descriptors, directory and variables; puts ours back after.
class RequestScope {
 public:
  RequestScope(const server::Request& r, const std::vector<int>& fds) {
    std::fflush(stdout);
    std::fflush(stderr);
    for (int i = 0; i < 3; ++i) {
      m_saved_fds[i] = ::dup(i);
      ::dup2(fds[static_cast<size_t>(i)], i);
    }
    m_saved_cwd = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    m_cwd_ok = ::chdir(r.cwd.c_str()) == 0;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      const std::string entry(*e);
      const auto eq = entry.find('=');
      if (eq != std::string::npos && applies(entry.substr(0, eq))) {
        m_saved_env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
      }
    }
    for (const auto& [name, value] : m_saved_env) {
      ::unsetenv(name.c_str());
    }
    for (const auto& [name, value] : r.env) {
      if (applies(name)) {
        ::setenv(name.c_str(), value.c_str(), 1);
        m_request_env.emplace(name, value);
      }
    }
  }

  bool cwd_ok() const { return m_cwd_ok; }

  ~RequestScope() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(stdout);
    std::fflush(stderr);
    for (const auto& [name, value] : m_request_env) {
      ::unsetenv(name.c_str());
    }
    for (const auto& [name, value] : m_saved_env) {
      ::setenv(name.c_str(), value.c_str(), 1);
    }
    if (m_saved_cwd >= 0) {
      (void)::fchdir(m_saved_cwd);
      ::close(m_saved_cwd);
    }
    for (int i = 0; i < 3; ++i) {
      ::dup2(m_saved_fds[i], i);
      ::close(m_saved_fds[i]);
    }
  }

  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  /// The caller's value replaces ours for the request; LLDB_DEBUGSERVER_PATH is the server's own (a
  /// caller with another one is refused).
  static bool applies(const std::string& name) {
    return server::is_served_variable(name) && name != "LLDB_DEBUGSERVER_PATH";
  }

  int m_saved_fds[3] = {-1, -1, -1};
  int m_saved_cwd = -1;
  bool m_cwd_ok = false;
  std::map<std::string, std::string> m_saved_env;
  std::map<std::string, std::string> m_request_env;
};

/// Why this server must not run the request (the front end then runs it itself); empty when it may.
std::string refusal(const server::Request& r, const std::vector<int>& fds, const std::string& engine,
                    const std::string& lldb_server) {
  if (fds.size() != 3) {
    return "stdin, stdout and stderr did not come with the request";
  }
  if (r.engine != engine) {
    return "triage was rebuilt since this server started";
  }
  if (!server::is_served_command_line(r.argv, subcommand_words())) {
    return "not a one-shot command line";
  }
  for (const auto& a : r.argv) {
    if (a == "--lldb-server" || a.starts_with("--lldb-server=")) {
      return "--lldb-server is chosen when the server starts";
    }
  }
  if (auto it = r.env.find("LLDB_DEBUGSERVER_PATH"); it != r.env.end() && !it->second.empty() && it->second != lldb_server) {
    return "this server runs " + lldb_server;
  }
  return {};
}

int run_request(const server::Request& r, const std::vector<int>& fds, debugger::SessionPool& pool) {
  RequestScope scope(r, fds);
  if (!scope.cwd_ok()) {
    return report_error({core::ErrorCode::io_failed, "triage serve: cannot enter " + r.cwd});
  }
  std::vector<std::string> args = r.argv;
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  try {
    return run_app(static_cast<int>(args.size()), argv.data(), AppContext{&pool});
  } catch (const std::exception& e) {
    return report_error({core::ErrorCode::debugger_failed, std::string("triage serve: ") + e.what()});
  }
}

/// How long a caller has to send its request, and to accept the offer to run it.
constexpr int k_request_wait_ms = 2000;

/// Offers to run the request and waits for the caller to accept: a caller that stopped waiting (it
/// runs the command itself) must not get a second run's output on its descriptors.
bool accepted(int client) {
  if (!server::send_message(client, server::to_json(server::Reply{"offer", 0, ""}))) {
    return false;
  }
  const auto text = server::receive_message(client, nullptr, 0, 1 << 16, k_request_wait_ms);
  const auto answer = text ? server::request_from_json(*text) : std::nullopt;
  return answer && answer->op == "accept";
}

void close_all(const std::vector<int>& fds) {
  for (int fd : fds) {
    ::close(fd);
  }
}

/// Replaces this process with a fresh server on the same listening socket (LLDB keeps a little memory
/// per run; a new process starts from nothing, and requests queue on the socket meanwhile).
void restart(const ServeOptions& o, const std::string& socket, int listen_fd, uint64_t served, FILE* log) {
  ::fcntl(listen_fd, F_SETFD, 0);
  std::vector<std::string> args{"triage", "serve", "--socket", socket, "--listen-fd", std::to_string(listen_fd),
                                "--served", std::to_string(served), "--idle-exit", std::to_string(o.idle_exit_seconds),
                                "--restart-every", std::to_string(o.restart_every)};
  if (!o.lldb_server.empty()) {
    args.insert(args.end(), {"--lldb-server", o.lldb_server});
  }
  if (!o.log.empty()) {
    args.insert(args.end(), {"--log", o.log});
  }
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::fflush(log);
  ::execv("/proc/self/exe", argv.data());
  fmt::print(log, "triage serve: cannot restart: {}\n", std::strerror(errno));
}

}  // namespace

int run_serve(const ServeOptions& o) {
  const std::string socket = o.socket.empty() ? server::default_socket_path() : o.socket;
  if (o.stop) {
    if (!server::request_stop(socket)) {
      return report_error({core::ErrorCode::usage, "no triage serve answers at " + socket});
    }
    say("triage: the server at {} is stopping\n", socket);
    return 0;
  }
  int listen_fd = o.listen_fd;
  if (listen_fd < 0) {
    std::string why;
    listen_fd = server::listen_on(socket, why);
    if (listen_fd < 0) {
      if (why == "busy") {
        say("triage: a server already answers at {}\n", socket);
        return 0;
      }
      return report_error({core::ErrorCode::io_failed, "triage serve: " + why});
    }
  }
  if (o.detach) {
    const pid_t pid = ::fork();
    if (pid < 0) {
      return report_error({core::ErrorCode::io_failed, "triage serve: cannot fork"});
    }
    if (pid > 0) {
      say("triage: serving on {} (pid {})\n", socket, pid);
      return 0;
    }
    ::setsid();
    const int devnull = ::open("/dev/null", O_RDWR);
    for (int i = 0; i < 3; ++i) {
      ::dup2(devnull, i);
    }
    ::close(devnull);
  }
  ::signal(SIGPIPE, SIG_IGN);  // a caller that went away must not take the server with it
  debugger::remove_on_signal(socket);  // SIGINT/SIGTERM: the socket goes with us
  FILE* log = stderr;
  if (!o.log.empty()) {
    log = std::fopen(o.log.c_str(), "a");
    if (log == nullptr) {
      return report_error({core::ErrorCode::io_failed, "triage serve: cannot open " + o.log});
    }
    ::fcntl(::fileno(log), F_SETFD, FD_CLOEXEC);
  }
  // The log must not follow requests to the caller's stderr: write it on a descriptor of its own.
  if (log == stderr) {
    const int fd = ::fcntl(2, F_DUPFD_CLOEXEC, 3);
    log = fd >= 0 ? ::fdopen(fd, "w") : stderr;
  }
  std::setvbuf(log, nullptr, _IOLBF, 0);

  auto runtime = debugger::LldbRuntime::start({o.lldb_server, true});
  if (!runtime) {
    return report_error(runtime.error());
  }
  const std::string engine = core::file_identity("/proc/self/exe");
  if (o.served_before == 0) {
    fmt::print(log, "triage serve: listening on {} (pid {}, lldb-server {})\n", socket, ::getpid(),
               (*runtime)->lldb_server());
  }
  uint64_t served = o.served_before;
  enum class Next { serve, exit, restart } next = Next::serve;
  {
    debugger::SessionPool pool;
    while (next == Next::serve) {
      pollfd p{listen_fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, o.idle_exit_seconds == 0 ? -1 : static_cast<int>(o.idle_exit_seconds) * 1000);
      if (ready == 0) {
        fmt::print(log, "triage serve: {} s without a request, exiting\n", o.idle_exit_seconds);
        next = Next::exit;
        break;
      }
      if (ready < 0) {
        continue;
      }
      const int client = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) {
        continue;
      }
      std::vector<int> fds;
      // A caller has a moment to speak: one that connects and says nothing holds up no one for long.
      const auto text = server::peer_is_same_user(client)
                            ? server::receive_message(client, &fds, 3, 1 << 20, k_request_wait_ms)
                            : std::nullopt;
      const auto request = text ? server::request_from_json(*text) : std::nullopt;
      if (!request) {
        // not a triage front end: drop it
      } else if (request->op == "stop") {
        server::send_message(client, server::to_json(server::Reply{"stopping", 0, ""}));
        fmt::print(log, "triage serve: stop requested\n");
        next = Next::exit;
      } else if (const std::string why = refusal(*request, fds, engine, (*runtime)->lldb_server()); !why.empty()) {
        server::send_message(client, server::to_json(server::Reply{"refused", 0, why}));
        fmt::print(log, "triage serve: refused: {}\n", why);
        if (request->engine != engine) {
          next = Next::exit;  // a stale server only gets in the way
        }
      } else if (!accepted(client)) {
        fmt::print(log, "triage serve: the caller did not wait: {}\n", request->argv.back());
      } else {
        const auto start = Clock::now();
        const int code = run_request(*request, fds, pool);
        server::send_message(client, server::to_json(server::Reply{"done", code, ""}));
        ++served;
        fmt::print(log, "triage serve: #{} exit {} in {:.1f} ms: {}\n", served, code,
                   std::chrono::duration<double, std::milli>(Clock::now() - start).count(), request->argv.back());
        if (o.restart_every != 0 && served % o.restart_every == 0) {
          next = Next::restart;
        }
      }
      close_all(fds);
      ::close(client);
    }
  }
  if (next == Next::restart) {
    runtime->reset();
    restart(o, socket, listen_fd, served, log);  // returns only when exec failed
  }
  ::close(listen_fd);
  ::unlink(socket.c_str());
  debugger::forget_on_signal(socket);
  return 0;
}

}  // namespace triage::cli
