// Preloaded into one long-lived lldb-server (LD_PRELOAD, TRIAGE_ZYGOTE_LISTEN_FD set): once the
// dynamic linker has relocated libLLVM and libclang-cpp and every static constructor has run, it
// stops before lldb-server's main() and forks a ready lldb-server for each request that comes in on
// its socket (a zygote, as Android starts apps). Starting Debian's lldb-server costs ~15 ms of CPU
// and 3,600 page faults before main() (566,000 relocations, 68 MB of libraries mapped, then all of it
// torn down again at exit), and LLDB starts one per launched process: in bulk mode that was a third
// of all CPU time. A forked child shares the relocated pages and starts in main() at once.
//
// It also answers lldb-server's `lsb_release -i` popen (HostInfoLinux::GetDistributionId, run at
// every start, two shells each) from the answer the zygote got once.
//
// Without TRIAGE_ZYGOTE_LISTEN_FD the library changes nothing: lldb-server runs as it always does.
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "triage/debugserver/launch_request.hpp"
#include "triage/debugserver/zygote_env.hpp"
#include "triage/server/unix_socket.hpp"

namespace {

using MainFn = int (*)(int, char**, char**);
using StartMainFn = int (*)(MainFn, int, char**, void (*)(), void (*)(), void (*)(), void*);
using PopenFn = FILE* (*)(const char*, const char*);
using PcloseFn = int (*)(FILE*);

MainFn g_real_main = nullptr;

/// Commands whose output the zygote read once; a forked lldb-server gets it from memory.
std::map<std::string, std::string>& known_answers() {
  static std::map<std::string, std::string> answers;
  return answers;
}
std::set<FILE*>& answer_streams() {
  static std::set<FILE*> streams;
  return streams;
}

PopenFn real_popen() { return reinterpret_cast<PopenFn>(dlsym(RTLD_NEXT, "popen")); }
PcloseFn real_pclose() { return reinterpret_cast<PcloseFn>(dlsym(RTLD_NEXT, "pclose")); }

/// lldb-server asks for the distribution at every start (the same two commands, in this order).
void learn_answers() {
  for (const char* exe : {"/bin/lsb_release", "/usr/bin/lsb_release"}) {
    if (::access(exe, F_OK) != 0) {
      continue;
    }
    const std::string command = std::string(exe) + " -i";
    // Its stderr is triage's: when the run ends before the answer is read (a bad core, say), the shell
    // would say "echo: I/O error" under triage's one-line error.
    FILE* f = real_popen()((command + " 2>/dev/null").c_str(), "r");
    if (f == nullptr) {
      continue;
    }
    std::string out;
    char buf[512];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
      out.append(buf, n);
    }
    if (real_pclose()(f) == 0) {
      known_answers()[command] = out;
    }
  }
}

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "triage lldb-server zygote: %s: %s\n", what, std::strerror(errno));
  std::_Exit(127);
}

/// In the new child: the descriptors the request sent, at the numbers it asked for; nothing else of ours.
void place_descriptors(const std::vector<int>& received, const std::vector<int>& numbers,
                       const std::vector<int>& ours) {
  for (int fd : ours) {
    ::close(fd);
  }
  // Out of the way first: a received descriptor may sit at a number another one must take.
  std::vector<int> high;
  for (int fd : received) {
    const int h = ::fcntl(fd, F_DUPFD_CLOEXEC, 512);
    if (h < 0) {
      die("fcntl");
    }
    ::close(fd);
    high.push_back(h);
  }
  for (size_t i = 0; i < high.size(); ++i) {
    if (::dup2(high[i], numbers[i]) < 0) {  // dup2 clears close-on-exec on the new number
      die("dup2");
    }
  }
  for (int h : high) {
    ::close(h);
  }
}

/// Becomes the lldb-server the request asked for: returns main()'s status.
int become_lldb_server(triage::debugserver::LaunchRequest& req, const std::vector<int>& received,
                       const std::vector<int>& ours) {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGCHLD, SIGPIPE, SIGINT, SIGTERM, SIGHUP}) {
    ::signal(sig, SIG_DFL);
  }
  place_descriptors(received, req.fd_numbers, ours);
  if (!req.cwd.empty() && ::chdir(req.cwd.c_str()) != 0) {
    die("chdir");
  }
  // Leaked on purpose: they are this process's argv and environment from now on.
  auto* env = new std::vector<char*>();
  for (auto& e : req.env) {
    env->push_back(e.data());
  }
  env->push_back(nullptr);
  environ = env->data();
  auto* argv = new std::vector<char*>();
  for (auto& a : req.argv) {
    argv->push_back(a.data());
  }
  argv->push_back(nullptr);
  return g_real_main(static_cast<int>(req.argv.size()), argv->data(), environ);
}

struct Running {
  int conn = -1;
  bool killed = false;
};

/// The zygote's loop, in place of main(): one lldb-server per request (its pid back to the requester),
/// reaped when it ends; the requester hanging up kills it. Returns (the process exits) when the owner
/// does.
int zygote_main(int /*argc*/, char** /*argv*/, char** /*envp*/) {
  const int listen_fd = std::atoi(std::getenv(triage::debugserver::k_zygote_listen_fd_var));
  const char* owner_var = std::getenv(triage::debugserver::k_zygote_owner_fd_var);
  const int owner_fd = owner_var != nullptr ? std::atoi(owner_var) : -1;
  ::unsetenv("LD_PRELOAD");  // children are lldb-servers like any other; their inferiors must not get us
  ::unsetenv(triage::debugserver::k_zygote_listen_fd_var);
  ::unsetenv(triage::debugserver::k_zygote_owner_fd_var);
  ::fcntl(listen_fd, F_SETFD, FD_CLOEXEC);
  if (owner_fd >= 0) {
    ::fcntl(owner_fd, F_SETFD, FD_CLOEXEC);
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::signal(SIGINT, SIG_IGN);  // a Ctrl-C for the terminal's process group: the owner decides
  ::signal(SIGPIPE, SIG_IGN);
  learn_answers();

  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  const int sig_fd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sig_fd < 0) {
    die("signalfd");
  }
  std::map<pid_t, Running> running;
  for (;;) {
    std::vector<pollfd> fds{{listen_fd, POLLIN, 0}, {sig_fd, POLLIN, 0}};
    if (owner_fd >= 0) {
      fds.push_back({owner_fd, POLLIN, 0});
    }
    const size_t first_conn = fds.size();
    std::vector<pid_t> conn_pids;
    for (const auto& [pid, r] : running) {
      if (!r.killed) {
        fds.push_back({r.conn, POLLIN, 0});
        conn_pids.push_back(pid);
      }
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      die("poll");
    }
    if (owner_fd >= 0 && fds[2].revents != 0) {
      return 0;  // the owner is gone (its end of the pipe closed): lldb-servers already started go on
    }
    if ((fds[1].revents & POLLIN) != 0) {
      signalfd_siginfo info{};
      while (::read(sig_fd, &info, sizeof info) > 0) {
      }
      pid_t pid = 0;
      while ((pid = ::waitpid(-1, nullptr, WNOHANG)) > 0) {
        const auto it = running.find(pid);
        if (it != running.end()) {
          ::close(it->second.conn);
          running.erase(it);
        }
      }
    }
    for (size_t i = first_conn; i < fds.size(); ++i) {
      if (fds[i].revents != 0) {  // the requester never writes after its request: it hung up
        Running& r = running[conn_pids[i - first_conn]];
        ::kill(conn_pids[i - first_conn], SIGKILL);
        r.killed = true;
      }
    }
    if ((fds[0].revents & POLLIN) == 0) {
      continue;
    }
    const int conn = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) {
      continue;
    }
    std::vector<int> received;
    const auto bytes = triage::server::peer_is_same_user(conn)
                           ? triage::server::receive_message(conn, &received, 64, 1 << 22)
                           : std::nullopt;
    auto req = bytes ? triage::debugserver::decode(*bytes) : std::nullopt;
    if (!req || req->fd_numbers.size() != received.size()) {
      for (int fd : received) {
        ::close(fd);
      }
      ::close(conn);
      continue;
    }
    std::vector<int> ours{listen_fd, sig_fd, conn};
    if (owner_fd >= 0) {
      ours.push_back(owner_fd);
    }
    for (const auto& [pid, r] : running) {
      ours.push_back(r.conn);
    }
    const pid_t child = ::fork();
    if (child == 0) {
      return become_lldb_server(*req, received, ours);
    }
    for (int fd : received) {
      ::close(fd);
    }
    if (child < 0 || !triage::server::send_message(conn, std::to_string(child))) {
      if (child > 0) {
        ::kill(child, SIGKILL);
        running[child] = Running{conn, true};  // reaped, and its connection closed, as usual
        continue;
      }
      ::close(conn);  // nothing started: the requester lets LLDB start a plain lldb-server
      continue;
    }
    running[child] = Running{conn, false};
  }
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int __libc_start_main(MainFn main, int argc, char** argv, void (*init)(),
                                                             void (*fini)(), void (*rtld_fini)(), void* stack_end) {
  const auto real = reinterpret_cast<StartMainFn>(dlsym(RTLD_NEXT, "__libc_start_main"));
  if (std::getenv(triage::debugserver::k_zygote_listen_fd_var) != nullptr) {
    g_real_main = main;
    main = zygote_main;
  }
  return real(main, argc, argv, init, fini, rtld_fini, stack_end);
}

__attribute__((visibility("default"))) FILE* popen(const char* command, const char* type) {
  if (command != nullptr && type != nullptr && type[0] == 'r') {
    const auto it = known_answers().find(command);
    if (it != known_answers().end()) {
      // The answers live as long as the process: the stream can read straight from them.
      FILE* f = ::fmemopen(const_cast<char*>(it->second.data()), it->second.size(), "r");
      if (f != nullptr) {
        answer_streams().insert(f);
        return f;
      }
    }
  }
  return real_popen()(command, type);
}

__attribute__((visibility("default"))) int pclose(FILE* stream) {
  if (answer_streams().erase(stream) != 0) {
    std::fclose(stream);
    return 0;  // the command's exit status: it succeeded when the zygote ran it
  }
  return real_pclose()(stream);
}

}  // extern "C"
