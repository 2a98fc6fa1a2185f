#pragma once
// Debugger sessions kept open across runs, one per binary file: a bulk worker's and `triage serve`'s
// warm debugger. A session is reopened when its binary changes on disk (a rebuild), its target is
// recreated every `recreate_target_every` runs so time and memory per run stay flat, and at most
// `max_binaries` sessions stay open (the least recently used one is closed).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "triage/core/error.hpp"
#include "triage/debugger/session.hpp"

namespace triage::debugger {

struct SessionPoolOptions {
  uint32_t recreate_target_every = 200;
  size_t max_binaries = 8;
};

class SessionPool {
 public:
  explicit SessionPool(SessionPoolOptions options = {}) : m_options(options) {}

  /// The open session for `binary`, set to walk with `rules` and `schemas` (which must outlive the
  /// next run). Opens it on first use and when the file changed since.
  core::Result<Session*> get(const std::string& binary, const core::WrapperRules& rules, const core::SchemaSet& schemas);

  size_t size() const { return m_entries.size(); }

 private:
  struct Entry {
    std::string binary;
    std::string identity;  ///< device, inode, size and mtime of the file when opened
    std::unique_ptr<Session> session;
    uint64_t runs = 0;
    uint64_t last_used = 0;
  };

  SessionPoolOptions m_options;
  std::vector<Entry> m_entries;
  uint64_t m_clock = 0;
};

}  // namespace triage::debugger
