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

/// Written into the store's meta table. Opening an older store migrates it; a newer one is refused.
inline constexpr int k_store_schema_version = 4;

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
  /// True when the artifact at this path, with this content, was already triaged against this build.
  core::Result<bool> has_result(const std::string& artifact_sha1, int64_t binary_id, const std::string& artifact_path);
  /// A result recorded for this content and build under any path (copies of one input under other
  /// names run once): its record and report text.
  struct StoredResult {
    core::TriageRecord record;
    std::string report_json;
  };
  core::Result<std::optional<StoredResult>> result_for_content(const std::string& artifact_sha1, int64_t binary_id);
  /// Records one result (and its artifact) atomically.
  core::Result<void> put_result(int64_t binary_id, const core::TriageRecord& record, const std::string& report_json);
  /// Every recorded result, latest binary build per artifact path.
  core::Result<std::vector<core::TriageRecord>> records();
  /// Each artifact path's two latest results from different builds (binary or --env): `baseline` is
  /// empty for a path only one build ran. For comparing builds.
  struct LatestTwo {
    std::vector<core::TriageRecord> baseline;
    std::vector<core::TriageRecord> current;
  };
  core::Result<LatestTwo> latest_two_builds();
  /// The binary (path, and build as binary_id() was given it) of an artifact path's latest result.
  struct BinaryBuild {
    std::string path;
    std::string hash;
  };
  core::Result<std::optional<BinaryBuild>> binary_of(const std::string& artifact_path);
  /// What reproduces an artifact's latest result: its binary and the lldb command file its report
  /// carries (empty for results stored before reports carried one).
  struct Reproducer {
    std::string binary;
    std::string lldb_command_file;
  };
  core::Result<std::optional<Reproducer>> reproducer_of(const std::string& artifact_sha1,
                                                        const std::string& artifact_path);
  /// Copies every result of another output directory's store (any schema version up to ours, never
  /// modified) into this one, in one transaction; results already here are kept. Returns how many
  /// results were added.
  core::Result<size_t> merge_from(const std::string& other_path);

 private:
  explicit CampaignStore(sqlite3* db) : m_db(db) {}
  core::Result<void> exec(const std::string& sql);
  /// The schema version recorded in `schema_name` ("main", "other"); 0 when it has no meta table.
  core::Result<int> schema_version(const std::string& schema_name);
  /// Creates a new store's tables, or migrates an older one; refuses a newer one.
  core::Result<void> prepare_schema(const std::string& path);
  core::Result<size_t> merge_attached(const std::string& other_path);
  core::Result<int64_t> count_results();
  sqlite3* m_db = nullptr;
};

}  // namespace triage::store
