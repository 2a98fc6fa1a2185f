#pragma once
// Following a running campaign's artifact directories with inotify: files a fuzzer finished writing
// (closed after writing, or moved in), and directories that appear later (a new target), which are
// watched from then on. A queue overflow or a directory that cannot be watched (the watch limit) is
// not an error: the caller rescans on every wake-up and after each timeout anyway.
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "triage/core/error.hpp"

namespace triage::campaign {

class DirectoryWatch {
 public:
  static core::Result<DirectoryWatch> open(const std::vector<std::string>& roots);
  DirectoryWatch(DirectoryWatch&& other) noexcept;
  DirectoryWatch& operator=(DirectoryWatch&& other) = delete;
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;
  ~DirectoryWatch();

  /// Waits up to `timeout` for a change under the roots; true when one came (or the queue overflowed).
  bool wait(std::chrono::milliseconds timeout);
  /// The files closed after writing or moved in since the last call.
  std::set<std::string> take_completed();
  /// Directories watched now.
  size_t watched() const { return m_dirs.size(); }

 private:
  explicit DirectoryWatch(int fd) : m_fd(fd) {}
  void add_tree(const std::string& dir);
  void drain();
  int m_fd = -1;
  std::map<int, std::string> m_dirs;  ///< watch descriptor -> directory
  std::set<std::string> m_completed;
};

}  // namespace triage::campaign
