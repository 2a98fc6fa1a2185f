#include "triage/debugger/inferior_reaper.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace triage::debugger {
namespace {

int g_pipe = -1;  // our end: the write side
pid_t g_owner = 0;

/// Field 22 of /proc/PID/stat (start time in clock ticks): tells a reused pid from our target.
unsigned long long start_time(int64_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%lld/stat", static_cast<long long>(pid));
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) {
    return 0;
  }
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');  // the command name may hold spaces and parentheses
  if (p == nullptr) {
    return 0;
  }
  // After ") ": state is field 3; start time is field 22, i.e. 19 more fields.
  int field = 2;
  for (++p; *p != '\0'; ++p) {
    if (*p == ' ' && ++field == 22) {
      return std::strtoull(p + 1, nullptr, 10);
    }
  }
  return 0;
}

[[noreturn]] void reap(int in) {
  ::signal(SIGINT, SIG_IGN);  // a Ctrl-C for the terminal's process group: we clean up on EOF instead
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  std::map<int64_t, unsigned long long> running;
  std::string pending;
  char buf[256];
  for (;;) {
    const ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    pending.append(buf, static_cast<size_t>(n));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1)) {
      const std::string line = pending.substr(0, nl);
      if (line.size() < 2) {
        continue;
      }
      const int64_t pid = std::strtoll(line.c_str() + 1, nullptr, 10);
      if (line[0] == '+') {
        running[pid] = start_time(pid);
      } else {
        running.erase(pid);
      }
    }
  }
  for (const auto& [pid, started] : running) {
    // A target leads its own process group, which holds whatever it forked. The group id stays taken
    // while the group has members, so a group named by a pid that no process has now is still ours.
    const unsigned long long now = start_time(pid);
    if (now == 0 || (started != 0 && now == started)) {
      ::kill(static_cast<pid_t>(-pid), SIGKILL);
    }
    if (started != 0 && now == started) {
      ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
  }
  ::_exit(0);
}

void send(char op, int64_t pid) {
  if (g_pipe < 0 || g_owner != ::getpid() || pid <= 0) {
    return;
  }
  char line[32];
  const int n = std::snprintf(line, sizeof line, "%c%lld\n", op, static_cast<long long>(pid));
  (void)!::write(g_pipe, line, static_cast<size_t>(n));
}

}  // namespace

void InferiorReaper::start() {
  if (g_pipe >= 0 && g_owner == ::getpid()) {
    return;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return;
  }
  // Forked twice: the reaper belongs to init at once, so it never waits as a zombie of ours (a server
  // that re-executes itself outlives the reaper it started before).
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return;
  }
  if (pid == 0 && ::fork() != 0) {
    ::_exit(0);
  }
  if (pid == 0) {
    // A session of its own: a kill aimed at our process group (a harness ending a run) must not end
    // the one process that cleans up after us.
    ::setsid();
    // Hold nothing of the parent's open: only the pipe (and /dev/null as stdio).
    const int devnull = ::open("/dev/null", O_RDWR);
    for (int i = 0; i < 3; ++i) {
      ::dup2(devnull, i);
    }
    if (DIR* d = ::opendir("/proc/self/fd")) {
      const int own = ::dirfd(d);
      while (dirent* e = ::readdir(d)) {
        const int fd = std::atoi(e->d_name);
        if (fd > 2 && fd != fds[0] && fd != own) {
          ::close(fd);
        }
      }
      ::closedir(d);
    }
    reap(fds[0]);
  }
  ::waitpid(pid, nullptr, 0);
  ::close(fds[0]);
  g_pipe = fds[1];
  g_owner = ::getpid();
}

void InferiorReaper::launched(int64_t pid) { send('+', pid); }

void InferiorReaper::finished(int64_t pid) { send('-', pid); }

}  // namespace triage::debugger
