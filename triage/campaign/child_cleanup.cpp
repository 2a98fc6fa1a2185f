#include "triage/campaign/child_cleanup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "triage/debugger/scratch_dir.hpp"

namespace triage::campaign {
namespace {

constexpr int k_max_pids = 256;

/// Parses decimal pids from `buf` into `out`; returns the new count. No allocation.
int parse_pids(const char* buf, ssize_t n, pid_t* out, int count) {
  pid_t cur = 0;
  bool in_number = false;
  for (ssize_t i = 0; i < n && count < k_max_pids; ++i) {
    const char c = buf[i];
    if (c >= '0' && c <= '9') {
      cur = cur * 10 + (c - '0');
      in_number = true;
    } else if (in_number) {
      out[count++] = cur;
      cur = 0;
      in_number = false;
    }
  }
  if (in_number && count < k_max_pids) {
    out[count++] = cur;
  }
  return count;
}

/// Appends the children of every task of `pid` (from /proc/<pid>/task/<tid>/children).
int children_of(pid_t pid, pid_t* out, int count) {
  char path[64];
  // Build "/proc/<pid>/task" by hand: snprintf is not async-signal-safe.
  auto append_num = [](char* p, long v) {
    char tmp[24];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v > 0);
    while (n > 0) {
      *p++ = tmp[--n];
    }
    return p;
  };
  char* p = path;
  for (const char* s = "/proc/"; *s; ++s) {
    *p++ = *s;
  }
  p = append_num(p, pid);
  for (const char* s = "/task"; *s; ++s) {
    *p++ = *s;
  }
  *p = '\0';
  const int dfd = open(path, O_RDONLY | O_DIRECTORY);
  if (dfd < 0) {
    return count;
  }
  char dents[4096];
  for (;;) {
    const long n = syscall(SYS_getdents64, dfd, dents, sizeof dents);
    if (n <= 0) {
      break;
    }
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(dents + off);
      off += d->d_reclen;
      if (d->d_name[0] < '0' || d->d_name[0] > '9') {
        continue;
      }
      char cpath[128];
      char* q = cpath;
      for (const char* s = path; *s; ++s) {
        *q++ = *s;
      }
      *q++ = '/';
      for (const char* s = d->d_name; *s; ++s) {
        *q++ = *s;
      }
      for (const char* s = "/children"; *s; ++s) {
        *q++ = *s;
      }
      *q = '\0';
      const int fd = open(cpath, O_RDONLY);
      if (fd < 0) {
        continue;
      }
      char buf[1024];
      const ssize_t r = read(fd, buf, sizeof buf);
      close(fd);
      if (r > 0) {
        count = parse_pids(buf, r, out, count);
      }
    }
  }
  close(dfd);
  return count;
}

void on_signal(int signo) {
  kill_descendants();
  debugger::remove_scratch_dirs_now();
  _exit(128 + signo);
}

}  // namespace

void kill_descendants() {
  pid_t pids[k_max_pids];
  int count = children_of(getpid(), pids, 0);
  // Breadth-first over the tree; stop the parents first so they cannot respawn, then kill everything.
  for (int i = 0; i < count; ++i) {
    kill(pids[i], SIGSTOP);
    count = children_of(pids[i], pids, count);
  }
  for (int i = 0; i < count; ++i) {
    kill(pids[i], SIGKILL);
  }
}

void install_child_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
}

}  // namespace triage::campaign
