#include "triage/debugger/scratch_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace triage::debugger {
namespace {

constexpr const char* k_root = "/tmp";
constexpr size_t k_slots = 32;
constexpr size_t k_path_max = 256;

/// The directories this process has, as plain bytes a signal handler may read.
struct Slot {
  std::atomic<bool> used{false};
  char path[k_path_max]{};
};
Slot g_slots[k_slots];

/// Removes the files of `path`, then `path`: syscalls only (no allocation), for the signal handler.
void remove_one_level(const char* path) {
  const int dfd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd >= 0) {
    char dents[4096];
    for (;;) {
      const long n = ::syscall(SYS_getdents64, dfd, dents, sizeof dents);
      if (n <= 0) {
        break;
      }
      for (long off = 0; off < n;) {
        auto* d = reinterpret_cast<struct dirent64*>(dents + off);
        off += d->d_reclen;
        if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0) {
          ::unlinkat(dfd, d->d_name, 0);
        }
      }
    }
    ::close(dfd);
  }
  if (dfd < 0 && errno == ENOTDIR) {
    ::unlink(path);
    return;
  }
  ::rmdir(path);
}

void track(const std::string& path) {
  if (path.size() >= k_path_max) {
    return;
  }
  for (auto& slot : g_slots) {
    bool expected = false;
    if (slot.used.load() || !slot.used.compare_exchange_strong(expected, true)) {
      continue;
    }
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    return;
  }
}

void untrack(const std::string& path) {
  for (auto& slot : g_slots) {
    if (slot.used.load() && path == slot.path) {
      slot.path[0] = '\0';
      slot.used.store(false);
      return;
    }
  }
}

/// The pid in "<prefix><pid>-XXXXXX", or 0.
pid_t owner_of(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix)) {
    return 0;
  }
  name.remove_prefix(prefix.size());
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  const bool shaped = ec == std::errc() && end + 7 == name.data() + name.size() && *end == '-';
  return shaped ? pid : 0;
}

void remove_abandoned(std::string_view prefix) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(k_root, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    const pid_t pid = owner_of(name, prefix);
    struct stat st {};
    if (pid <= 0 || pid == ::getpid() || ::lstat(it->path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != ::geteuid()) {
      continue;
    }
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code gone;
      std::filesystem::remove_all(it->path(), gone);
    }
  }
}

}  // namespace

core::Result<std::string> make_scratch_dir(std::string_view what) {
  const std::string prefix = fmt::format("triage-{}-", what);
  remove_abandoned(prefix);
  std::string tmpl = fmt::format("{}/{}{}-XXXXXX", k_root, prefix, ::getpid());
  if (tmpl.size() >= k_path_max || ::mkdtemp(tmpl.data()) == nullptr) {
    return core::make_error(core::ErrorCode::io_failed,
                            fmt::format("cannot create a temporary directory in {}: {}", k_root, std::strerror(errno)));
  }
  track(tmpl);
  return tmpl;
}

void remove_scratch_dir(const std::string& path) {
  untrack(path);
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

void remove_on_signal(const std::string& path) { track(path); }

void forget_on_signal(const std::string& path) { untrack(path); }

void remove_scratch_dirs_now() {
  for (auto& slot : g_slots) {
    if (slot.used.load() && slot.path[0] == '/') {
      remove_one_level(slot.path);
    }
  }
}

}  // namespace triage::debugger
