#pragma once
// The campaign store: SQLite (WAL) in the bulk output directory. Binaries by content hash, artifacts
// by path and sha1, one result per (artifact content, binary build). A result is written in one
// transaction, so `kill -9` at any point leaves a consistent store and the next run redoes nothing
// that was recorded.
#include <optional>
#include <string>
#include <vector>

#include "triage/core/bucket.hpp"
#include "triage/core/error.hpp"

struct sqlite3;

namespace triage::store {

inline constexpr int k_store_schema_version = 1;

class CampaignStore {
 public:
  static core::Result<CampaignStore> open(const std::string& path);
  CampaignStore(CampaignStore&& other) noexcept;
  CampaignStore& operator=(CampaignStore&& other) noexcept;
  CampaignStore(const CampaignStore&) = delete;
  CampaignStore& operator=(const CampaignStore&) = delete;
  ~CampaignStore();

  /// The id of a binary build (path + content hash), inserted when new.
  core::Result<int64_t> binary_id(const std::string& path, const std::string& hash);
  /// True when this artifact content was already triaged against this binary build.
  core::Result<bool> has_result(const std::string& artifact_sha1, int64_t binary_id);
  /// Records one result (and its artifact) atomically.
  core::Result<void> put_result(int64_t binary_id, const core::TriageRecord& record, const std::string& report_json);
  /// Every recorded result, latest binary build per artifact path.
  core::Result<std::vector<core::TriageRecord>> records();
  /// Copies every row of `other` (another output directory's store) into this one.
  core::Result<size_t> merge_from(const std::string& other_path);

 private:
  explicit CampaignStore(sqlite3* db) : m_db(db) {}
  core::Result<void> exec(const std::string& sql);
  sqlite3* m_db = nullptr;
};

}  // namespace triage::store
