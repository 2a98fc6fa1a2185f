#include "triage/campaign/directory_watch.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace triage::campaign {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t k_dir_events = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

/// Directories discovery does not walk either: hidden ones and build caches (CACHEDIR.TAG).
bool skipped_dir(const fs::path& dir) {
  std::error_code ec;
  return dir.filename().string().starts_with('.') || fs::exists(dir / "CACHEDIR.TAG", ec);
}

}  // namespace

core::Result<DirectoryWatch> DirectoryWatch::open(const std::vector<std::string>& roots) {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return core::make_error(core::ErrorCode::io_failed, std::string("inotify: ") + std::strerror(errno));
  }
  DirectoryWatch w(fd);
  for (const auto& r : roots) {
    std::error_code ec;
    if (fs::is_directory(r, ec)) {
      w.add_tree(r);
    } else if (fs::path parent = fs::absolute(r, ec).parent_path(); !parent.empty()) {
      w.add_tree(parent.string());  // a file root: its directory, for the file written again
    }
  }
  return w;
}

DirectoryWatch::DirectoryWatch(DirectoryWatch&& other) noexcept
    : m_fd(other.m_fd), m_dirs(std::move(other.m_dirs)), m_completed(std::move(other.m_completed)) {
  other.m_fd = -1;
}

DirectoryWatch::~DirectoryWatch() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void DirectoryWatch::add_tree(const std::string& dir) {
  if (skipped_dir(dir)) {
    return;
  }
  const int wd = ::inotify_add_watch(m_fd, dir.c_str(), k_dir_events);
  if (wd >= 0) {
    m_dirs[wd] = dir;
  }
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (std::error_code dir_ec; it->is_directory(dir_ec) && !it->is_symlink(dir_ec)) {
      add_tree(it->path().string());
    }
  }
}

void DirectoryWatch::drain() {
  alignas(inotify_event) char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(m_fd, buf, sizeof buf);
    if (n <= 0) {
      return;  // EAGAIN: all read
    }
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      const auto dir = m_dirs.find(e->wd);
      if ((e->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) != 0) {
        if (dir != m_dirs.end()) {
          m_dirs.erase(dir);  // the kernel drops the watch; a directory made again is found by its parent
        }
        continue;
      }
      if (dir == m_dirs.end() || e->len == 0) {
        continue;
      }
      const std::string path = dir->second + "/" + e->name;
      if ((e->mask & IN_ISDIR) != 0) {
        if ((e->mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
          add_tree(path);
        }
      } else if ((e->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0) {
        m_completed.insert(fs::path(path).lexically_normal().string());
      }
    }
  }
}

bool DirectoryWatch::wait(std::chrono::milliseconds timeout) {
  pollfd p{m_fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready > 0) {
    drain();
    return true;
  }
  return false;
}

std::set<std::string> DirectoryWatch::take_completed() {
  drain();
  return std::exchange(m_completed, {});
}

}  // namespace triage::campaign
