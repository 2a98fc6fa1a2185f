#include "triage/server/unix_socket.hpp"

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace triage::server {
namespace {

bool make_address(const std::string& path, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return false;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return true;
}

/// An abstract address: a NUL, then the name (no terminator; the length says where it ends).
bool make_abstract_address(const std::string& name, sockaddr_un& addr, socklen_t& len) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (name.empty() || name.size() + 1 > sizeof addr.sun_path) {
    return false;
  }
  std::memcpy(addr.sun_path + 1, name.data(), name.size());
  len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  return true;
}

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w <= 0) {
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

using Clock = std::chrono::steady_clock;

/// Bounds the next receive on `fd` by what is left until `deadline` (none: no bound). False when
/// nothing is left.
bool arm(int fd, std::optional<Clock::time_point> deadline) {
  if (!deadline) {
    timeval forever{0, 0};
    return ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof forever) == 0;
  }
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(*deadline - Clock::now()).count();
  if (left <= 0) {
    return false;
  }
  timeval tv{static_cast<time_t>(left / 1000000), static_cast<suseconds_t>(left % 1000000)};
  return ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0;
}

bool read_all(int fd, char* p, size_t n, std::optional<Clock::time_point> deadline) {
  while (n > 0) {
    if (!arm(fd, deadline)) {
      return false;
    }
    const ssize_t r = ::recv(fd, p, n, 0);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r <= 0) {
      return false;
    }
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

std::string default_socket_path() {
  if (const char* env = std::getenv("TRIAGE_SOCKET"); env != nullptr && *env != '\0') {
    return env;
  }
  if (const char* run = std::getenv("XDG_RUNTIME_DIR"); run != nullptr && *run == '/') {
    return std::string(run) + "/triage/serve.sock";
  }
  return "/tmp/triage-" + std::to_string(::geteuid()) + "/serve.sock";
}

std::string prepare_socket_dir(const std::string& socket_path) {
  const std::string dir = std::filesystem::path(socket_path).parent_path().string();
  if (dir.empty()) {
    return "the socket path has no directory";
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return "cannot create " + dir + ": " + std::strerror(errno);
  }
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return dir + " is not a directory";
  }
  if (st.st_uid != ::geteuid()) {
    return dir + " belongs to another user";
  }
  if ((st.st_mode & 077) != 0) {
    return dir + " is open to other users (mode " + std::to_string(st.st_mode & 0777) + ")";
  }
  return {};
}

int connect_to(const std::string& socket_path) {
  sockaddr_un addr{};
  if (!make_address(socket_path, addr)) {
    return -1;
  }
  struct stat st {};
  const std::string dir = std::filesystem::path(socket_path).parent_path().string();
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    return -1;  // someone else's directory: do not hand them our terminal
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  if (!peer_is_same_user(fd)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int listen_on(const std::string& socket_path, std::string& why) {
  sockaddr_un addr{};
  if (!make_address(socket_path, addr)) {
    why = "socket path too long: " + socket_path;
    return -1;
  }
  if (why = prepare_socket_dir(socket_path); !why.empty()) {
    return -1;
  }
  if (const int probe = connect_to(socket_path); probe >= 0) {
    ::close(probe);
    why = "busy";
    return -1;
  }
  ::unlink(socket_path.c_str());  // stale: a server that died without cleaning up
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    why = "cannot listen on " + socket_path + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  ::chmod(socket_path.c_str(), 0600);
  return fd;
}

int listen_abstract(const std::string& name, std::string& why) {
  sockaddr_un addr{};
  socklen_t len = 0;
  if (!make_abstract_address(name, addr, len)) {
    why = "bad abstract socket name: " + name;
    return -1;
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0 || ::listen(fd, 64) != 0) {
    why = "cannot listen on @" + name + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

int connect_abstract(const std::string& name) {
  sockaddr_un addr{};
  socklen_t len = 0;
  if (!make_abstract_address(name, addr, len)) {
    return -1;
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0 || !peer_is_same_user(fd)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool peer_is_same_user(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  return ::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.uid == ::geteuid();
}

bool send_message(int fd, const std::string& payload, const std::vector<int>& fds) {
  const auto size = static_cast<uint32_t>(payload.size());
  char header[4];
  std::memcpy(header, &size, 4);
  iovec iov{header, sizeof header};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.resize(CMSG_SPACE(sizeof(int) * fds.size()));
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  ssize_t sent = 0;
  do {
    sent = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent != static_cast<ssize_t>(sizeof header)) {
    return false;
  }
  return write_all(fd, payload.data(), payload.size());
}

std::optional<std::string> receive_message(int fd, std::vector<int>* fds, size_t max_fds, size_t max_bytes,
                                           int timeout_ms) {
  const auto deadline =
      timeout_ms < 0 ? std::nullopt : std::optional(Clock::now() + std::chrono::milliseconds(timeout_ms));
  if (!arm(fd, deadline)) {
    return std::nullopt;
  }
  char header[4];
  iovec iov{header, sizeof header};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control(CMSG_SPACE(sizeof(int) * (max_fds == 0 ? 1 : max_fds)));
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  ssize_t got = 0;
  do {
    got = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
  } while (got < 0 && errno == EINTR);
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      const size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < n; ++i) {
        int passed = -1;
        std::memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        if (fds != nullptr && fds->size() < max_fds) {
          fds->push_back(passed);
        } else {
          ::close(passed);
        }
      }
    }
  }
  if (got != static_cast<ssize_t>(sizeof header) || (msg.msg_flags & MSG_CTRUNC) != 0) {
    return std::nullopt;
  }
  uint32_t size = 0;
  std::memcpy(&size, header, 4);
  if (size > max_bytes) {
    return std::nullopt;
  }
  std::string payload(size, '\0');
  if (!read_all(fd, payload.data(), size, deadline)) {
    return std::nullopt;
  }
  return payload;
}

}  // namespace triage::server
