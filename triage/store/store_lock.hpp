#pragma once
// One writer per output directory. Two `triage bulk` runs on one directory would both triage
// everything; the second now stops at once with a clear message (exit 51) instead. An flock on a file
// beside the store: the kernel drops it when the holder dies, even by SIGKILL, so no stale lock stays.
#include <string>

#include "triage/core/error.hpp"

namespace triage::store {

class StoreLock {
 public:
  /// Takes `<dir>/campaign.db.lock`, or fails with store_busy naming the holder's pid.
  static core::Result<StoreLock> acquire(const std::string& dir);
  StoreLock(StoreLock&& other) noexcept;
  StoreLock& operator=(StoreLock&& other) noexcept;
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  ~StoreLock();

 private:
  explicit StoreLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

}  // namespace triage::store
